import { Aws, Stack, Token, aws_iam as iam, type aws_kms as kms, type aws_s3 as s3 } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { MeshError } from '@meshkit/contracts';
import { acknowledgeWildcardResources } from './product-nag.js';

/** Where a critical product's curated zone replicates to (a bucket in another region). */
export interface ProductReplicaTarget {
  /** Region of the replica. */
  readonly region: string;
  /**
   * The replica bucket (versioned, SSE-KMS, in `region`; created by a stack in that region and
   * passed across with `crossRegionReferences`, or imported with `Bucket.fromBucketArn`).
   */
  readonly bucket: s3.IBucket;
  /**
   * The key encrypting replicas (a key in `region`); give it, or its alias as `keyAlias`.
   * @default none: `keyAlias` is required
   */
  readonly key?: kms.IKey;
  /**
   * Alias of the key encrypting replicas in `region` (e.g. `alias/meshkit/replica`, created by
   * `ReplicaFoundation`): replicas are encrypted with the alias's key, and the replication role
   * may use the keys of `region` that carry this alias (`kms:ResourceAliases`).
   * @default none: `key` is required
   */
  readonly keyAlias?: string;
}

/** Properties of {@link ProductReplication}. */
export interface ProductReplicationProps {
  /** The curated zone (must be versioned and SSE-KMS). */
  readonly source: s3.Bucket;
  /** The key encrypting the source (the domain key). */
  readonly sourceKey: kms.IKey;
  /** Where to replicate. */
  readonly target: ProductReplicaTarget;
}

/**
 * Cross-region replication of a product's curated zone: every object (and delete markers),
 * SSE-KMS objects included, re-encrypted with the replica key, through a role limited to the two
 * buckets and the two keys. The replication configuration is set on the source's CloudFormation
 * resource, which is what the policy pack's DR rule reads.
 */
export class ProductReplication extends Construct {
  /** The replication role (assumed by S3). */
  readonly role: iam.Role;
  /** The replica region. */
  readonly region: string;

  constructor(scope: Construct, id: string, props: ProductReplicationProps) {
    super(scope, id);
    const here = Stack.of(this).region;
    if (!Token.isUnresolved(here) && !Token.isUnresolved(props.target.region) && here === props.target.region) {
      throw new MeshError('INVALID_CONFIG', `replicaRegion must differ from the product's region (${here})`);
    }
    this.region = props.target.region;
    const { source, target } = props;
    if ((target.key === undefined) === (target.keyAlias === undefined)) {
      throw new MeshError('INVALID_CONFIG', 'the replica target takes either key or keyAlias (one of them)');
    }
    const replicaKmsKeyId =
      target.key?.keyArn ?? `arn:${Aws.PARTITION}:kms:${target.region}:${Aws.ACCOUNT_ID}:${target.keyAlias!}`;
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('s3.amazonaws.com'),
      description: `Replicates ${source.node.path} to ${target.region}`,
    });
    const policy = new iam.Policy(this, 'Policy', {
      statements: [
        new iam.PolicyStatement({
          sid: 'SourceBucket',
          actions: ['s3:GetReplicationConfiguration', 's3:ListBucket'],
          resources: [source.bucketArn],
        }),
        new iam.PolicyStatement({
          sid: 'SourceObjects',
          actions: ['s3:GetObjectVersionForReplication', 's3:GetObjectVersionAcl', 's3:GetObjectVersionTagging'],
          resources: [source.arnForObjects('*')],
        }),
        new iam.PolicyStatement({
          sid: 'ReplicaObjects',
          actions: ['s3:ReplicateObject', 's3:ReplicateDelete', 's3:ReplicateTags'],
          resources: [target.bucket.arnForObjects('*')],
        }),
        new iam.PolicyStatement({
          sid: 'DecryptSource',
          actions: ['kms:Decrypt'],
          resources: [props.sourceKey.keyArn],
        }),
        target.key
          ? new iam.PolicyStatement({
              sid: 'EncryptReplica',
              actions: ['kms:Encrypt', 'kms:GenerateDataKey'],
              resources: [target.key.keyArn],
            })
          : new iam.PolicyStatement({
              sid: 'EncryptReplica',
              actions: ['kms:Encrypt', 'kms:GenerateDataKey'],
              resources: [`arn:${Aws.PARTITION}:kms:${target.region}:${Aws.ACCOUNT_ID}:key/*`],
              conditions: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': target.keyAlias } },
            }),
      ],
    });
    policy.attachToRole(this.role);

    const cfn = source.node.defaultChild as s3.CfnBucket;
    cfn.replicationConfiguration = {
      role: this.role.roleArn,
      rules: [
        {
          id: 'meshkit-replica',
          status: 'Enabled',
          priority: 1,
          filter: { prefix: '' },
          deleteMarkerReplication: { status: 'Enabled' },
          sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: 'Enabled' } },
          destination: { bucket: target.bucket.bucketArn, encryptionConfiguration: { replicaKmsKeyId } },
        },
      ],
    };
    acknowledgeWildcardResources(
      policy,
      'Replication reads every object version of the source zone and writes every object of the replica: object wildcards of exactly those two buckets (and, for a replica key given by alias, the keys of the replica region carrying that alias), no action wildcards.',
    );
  }
}
