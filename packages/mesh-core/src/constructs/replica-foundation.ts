import { RemovalPolicy, Stack, Tags, Token, aws_kms as kms, aws_s3 as s3 } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { MeshError } from '@meshkit/contracts';
import { AccessLogBucket } from './access-log-bucket.js';
import { NOT_APPLICABLE_TAG } from './foundation-defaults.js';
import { allowUseViaServices } from './foundation-key-policy.js';
import { productBucketName } from './naming.js';
import { secureBucketProps } from './secure-bucket.js';

/** Alias of the replica key in every replica region (`alias/meshkit/replica`). */
export const REPLICA_KEY_ALIAS = 'alias/meshkit/replica';

/** A critical product whose curated zone replicates to the region of a {@link ReplicaFoundation}. */
export interface ReplicatedProduct {
  readonly domain: string;
  readonly product: string;
}

/** Properties of {@link ReplicaFoundation}. */
export interface ReplicaFoundationProps {
  /** The critical products replicated here (one replica bucket each). */
  readonly products: readonly ReplicatedProduct[];
  /** Organisation (`mesh.config.yaml` `organisation`), part of the bucket names. @default none */
  readonly organisation?: string;
  /** What happens to the key and the buckets when they leave the stack. @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * What critical products replicate to, in one replica region (`mesh.config.yaml`
 * `platform.replicaRegion`; its own stack in that region, `mesh-replica-<region>`): a
 * customer-managed key with rotation (alias {@link REPLICA_KEY_ALIAS}, usable by the account's
 * principals through S3 only) and, per critical product, a replica bucket named like the
 * product's zones (`…-<region>-replica`, see {@link replicaBucketName}) with the mesh's secure
 * bucket defaults and server access logs to a log bucket of the region.
 *
 * Product stacks (in the home region) find both by name: the bucket by
 * {@link replicaBucketName}, the key by its alias ({@link REPLICA_KEY_ALIAS}); no
 * cross-region references, no hand-passed props.
 */
export class ReplicaFoundation extends Construct {
  /** The replica key. */
  readonly key: kms.Key;
  /** Replica buckets by `<domain>/<product>`. */
  readonly buckets: Record<string, s3.Bucket> = {};
  /** The access-log bucket of the region. */
  readonly accessLogs: AccessLogBucket;

  constructor(scope: Construct, id: string, props: ReplicaFoundationProps) {
    super(scope, id);
    const region = Stack.of(this).region;
    if (Token.isUnresolved(region))
      throw new MeshError(
        'INVALID_CONFIG',
        'ReplicaFoundation: its stack needs an explicit region (the replica region)',
      );
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.key = new kms.Key(this, 'Key', {
      description: 'Meshkit replica key: encrypts the replicas of critical products in this region',
      alias: REPLICA_KEY_ALIAS,
      enableKeyRotation: true,
      removalPolicy,
    });
    allowUseViaServices(this.key, ['s3']);
    this.accessLogs = new AccessLogBucket(this, 'AccessLogs', { removalPolicy });
    for (const p of props.products) {
      const bucket = new s3.Bucket(this, `Replica-${p.domain}-${p.product}`, {
        ...secureBucketProps(this.key),
        bucketName: replicaBucketName({ ...p, organisation: props.organisation, region }),
        serverAccessLogsBucket: this.accessLogs.bucket,
        serverAccessLogsPrefix: `${p.domain}/${p.product}/replica/`,
        removalPolicy,
      });
      this.buckets[`${p.domain}/${p.product}`] = bucket;
      Tags.of(bucket).add('domain', p.domain);
      Tags.of(bucket).add('product', p.product);
    }
    const tags = {
      domain: NOT_APPLICABLE_TAG,
      product: NOT_APPLICABLE_TAG,
      owner: 'platform',
      classification: NOT_APPLICABLE_TAG,
      'cost-center': 'platform',
      'contract-version': NOT_APPLICABLE_TAG,
    };
    for (const [k, v] of Object.entries(tags)) Tags.of(this).add(k, v, { priority: 50 });
  }
}

/** Name of a product's replica bucket in `region` (`<base>-<account>-<region>-replica`). */
export function replicaBucketName(props: ReplicatedProduct & { organisation?: string; region: string }): string {
  return productBucketName({
    domain: props.domain,
    product: props.product,
    organisation: props.organisation,
    zone: 'replica',
    region: props.region,
  });
}
