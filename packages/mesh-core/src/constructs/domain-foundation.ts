import {
  Aws,
  Duration,
  RemovalPolicy,
  Stack,
  Tags,
  aws_athena as athena,
  aws_glue as glue,
  aws_kms as kms,
  aws_lakeformation as lf,
  aws_s3 as s3,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { MeshError, type Consumer } from '@meshkit/contracts';
import type { IDomain } from '../domain/domain.js';
import type { MandatoryTags } from '../tags.js';
import { AccessLogBucket } from './access-log-bucket.js';
import {
  CONSUMER_VIA_SERVICES,
  DEFAULT_ACCESS_LOG_RETENTION_DAYS,
  DEFAULT_BYTES_SCANNED_CUTOFF,
  DEFAULT_QUERY_RESULTS_RETENTION_DAYS,
  DOMAIN_KEY_PUBLISHER_SERVICES,
  DOMAIN_KEY_VIA_SERVICES,
  LF_TAG_CLASSIFICATION,
  LF_TAG_DOMAIN,
  MIN_BYTES_SCANNED_CUTOFF,
  NOT_APPLICABLE_TAG,
} from './foundation-defaults.js';
import {
  allowCloudWatchLogs,
  allowReaders,
  allowServicePublishers,
  allowUseViaServices,
} from './foundation-key-policy.js';
import {
  assertInteger,
  assertMeshName,
  assertNonBlank,
  assertPrincipalArn,
  assertUnique,
} from './foundation-validate.js';
import { glueDatabaseName } from './naming.js';
import { secureBucketProps } from './secure-bucket.js';

/** Properties of a {@link DomainFoundation} (from the domain's `domain.yaml` and `mesh.config.yaml`). */
export interface DomainFoundationProps {
  /** Domain name: lowercase kebab-case, 2–40 characters (e.g. `sales`). */
  readonly domainName: string;
  /** Owning team (tag `owner` of the domain's resources). */
  readonly owner: string;
  /** Cost center (tag `cost-center` of the domain's resources). */
  readonly costCenter: string;
  /**
   * Reader roles of the mesh (`mesh.config.yaml` `consumers`; those whose `domains` leave this
   * domain out are ignored). Each one allowed to read this domain (no `domains` = every domain)
   * and with at least one classification gets ONE Lake Formation tag-based grant for the whole
   * domain: SELECT + DESCRIBE, without grant option, on the tables tagged `domain = <domain>` and
   * `classification ∈ <its classifications>` (LFTagPolicy, resource type TABLE, catalog = the
   * account), including roles in other accounts. The grant covers every present and future
   * product of the domain, so it lives here and not in the product stacks.
   *
   * The LF-tags `domain` (with this domain's value) and `classification` must exist before the
   * domain stack deploys: deploy the platform stack (`PlatformFoundation`, which creates them) first.
   * @default []
   */
  readonly consumers?: readonly Consumer[];
  /**
   * ARNs of the IAM roles that read the domain's products, possibly in other accounts. The domain
   * key lets them decrypt and describe, through S3, Athena and Glue only. Each role must exist
   * when the key policy is deployed.
   * @default the role ARNs of the `consumers` allowed to read this domain (deduplicated)
   */
  readonly consumerRoles?: string[];
  /**
   * Bytes an Athena query of the domain's workgroup may scan before it is cancelled
   * (at least 10 MiB).
   * @default 107374182400 (100 GiB)
   */
  readonly athenaBytesScannedCutoff?: number;
  /**
   * Removal policy of the stateful resources (key, buckets, Glue database, Athena workgroup).
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Days S3 server access logs are kept in the domain's access-log bucket.
   * @default 365
   */
  readonly logRetentionDays?: number;
  /**
   * Days Athena query results are kept.
   * @default 30
   */
  readonly queryResultsRetentionDays?: number;
}

/**
 * The shared, secure foundation of one domain (one per domain and environment, in the domain's
 * `foundation/` stack). Products in other stacks use it through {@link IDomain}.
 *
 * - a customer-managed KMS key with rotation (alias `alias/meshkit/<domain>`), whose key policy
 *   lets the account's principals use it through S3, Glue, Kinesis, Firehose, Athena and SNS,
 *   CloudWatch Logs encrypt the account's log groups, CloudWatch/EventBridge/S3 publish to
 *   encrypted topics, and the consumer roles decrypt through S3, Athena and Glue;
 * - one Lake Formation tag-based grant (SELECT + DESCRIBE on `domain = <domain>`,
 *   `classification ∈ <the consumer's classifications>`) per consumer allowed to read the domain;
 * - the Glue database `<domain_snake_case>` with no `IAM_ALLOWED_PRINCIPALS` default grant;
 * - the Athena workgroup `mesh-<domain>`: configuration enforced, results SSE-KMS with the domain
 *   key in a dedicated bucket, bytes-scanned cutoff, CloudWatch metrics;
 * - the Glue security configuration `mesh-<domain>`: S3 SSE-KMS, CloudWatch SSE-KMS, job
 *   bookmarks CSE-KMS, all with the domain key;
 * - the S3 server access-log bucket ({@link AccessLogBucket}) the products' buckets log to;
 * - the mandatory tags (`domain`, `owner`, `cost-center`; `-` for product, classification and
 *   contract-version) on every taggable resource.
 *
 * @throws MeshError (INVALID_CONFIG) naming the prop, for an invalid domain name, owner, cost
 * center, consumer role ARN or name, cutoff or retention.
 */
export class DomainFoundation extends Construct implements IDomain {
  public readonly domainName: string;
  /** The domain's customer-managed key (rotation on). */
  public readonly key: kms.Key;
  /** The Glue database of the domain's tables. */
  public readonly database: glue.CfnDatabase;
  public readonly databaseName: string;
  /** The Athena workgroup of the domain. */
  public readonly workgroup: athena.CfnWorkGroup;
  public readonly workgroupName: string;
  /** The Glue security configuration every job of the domain must use. */
  public readonly securityConfiguration: glue.CfnSecurityConfiguration;
  public readonly securityConfigurationName: string;
  /** The access-log bucket construct (its `bucket` is the real `s3.Bucket`). */
  public readonly accessLogs: AccessLogBucket;
  /**
   * The access-log bucket as products see it: a reference (not the `s3.Bucket` itself), so that
   * a product's bucket naming it as `serverAccessLogsBucket` cannot add statements to, or switch
   * ACLs on, the domain stack's bucket; its policy already admits log delivery from the account.
   * CDK warns `@aws-cdk/aws-s3:accessLogsPolicyNotAdded` on such buckets: acknowledge it.
   */
  public readonly accessLogsBucket: s3.IBucket;
  /** Bucket of the workgroup's query results (SSE-KMS with the domain key). */
  public readonly queryResultsBucket: s3.Bucket;
  /** `s3://` location of the workgroup's query results. */
  public readonly queryResultsLocation: string;
  /** Consumer role ARNs admitted by the key policy. */
  public readonly consumerRoles: readonly string[];
  /** The consumers allowed to read this domain (`domains` absent or listing it), in input order. */
  public readonly consumers: readonly Consumer[];
  /** Tag-based Lake Formation grants of the domain, by consumer name. */
  public readonly consumerGrants: Record<string, lf.CfnPrincipalPermissions> = {};
  /** Mandatory tags applied to the domain's resources. */
  public readonly tags: MandatoryTags;

  constructor(scope: Construct, id: string, props: DomainFoundationProps) {
    super(scope, id);
    const settings = domainSettings(props);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;

    this.domainName = props.domainName;
    this.consumerRoles = [...settings.consumerRoles];
    this.consumers = settings.consumers;
    this.databaseName = glueDatabaseName(props.domainName);
    this.workgroupName = `mesh-${props.domainName}`;
    this.securityConfigurationName = `mesh-${props.domainName}`;

    // Key
    this.key = this.domainKey(removalPolicy);

    // Access logs
    this.accessLogs = new AccessLogBucket(this, 'AccessLogs', {
      retentionDays: settings.logRetentionDays,
      removalPolicy,
    });
    this.accessLogsBucket = s3.Bucket.fromBucketAttributes(this, 'AccessLogsBucketRef', {
      bucketArn: this.accessLogs.bucket.bucketArn,
      bucketName: this.accessLogs.bucket.bucketName,
    });

    // Glue database
    this.database = new glue.CfnDatabase(this, 'Database', {
      catalogId: Aws.ACCOUNT_ID,
      databaseInput: {
        name: this.databaseName,
        description: `Data products of the '${props.domainName}' domain (owner: ${props.owner})`,
        createTableDefaultPermissions: [],
      },
    });
    this.database.applyRemovalPolicy(removalPolicy);

    // Lake Formation: one tag-based grant per consumer for the whole domain.
    const grantIds = new Map<string, string>();
    for (const consumer of settings.consumers) this.grantConsumer(consumer, grantIds);

    // Athena
    this.queryResultsBucket = this.queryResults(settings.resultsRetentionDays, removalPolicy);
    this.queryResultsLocation = `s3://${this.queryResultsBucket.bucketName}/results/`;
    this.workgroup = this.athenaWorkgroup(settings.cutoff, removalPolicy);

    // Glue security configuration
    this.securityConfiguration = new glue.CfnSecurityConfiguration(this, 'SecurityConfiguration', {
      name: this.securityConfigurationName,
      encryptionConfiguration: {
        s3Encryptions: [{ s3EncryptionMode: 'SSE-KMS', kmsKeyArn: this.key.keyArn }],
        cloudWatchEncryption: { cloudWatchEncryptionMode: 'SSE-KMS', kmsKeyArn: this.key.keyArn },
        jobBookmarksEncryption: { jobBookmarksEncryptionMode: 'CSE-KMS', kmsKeyArn: this.key.keyArn },
      },
    });

    // Tags
    this.tags = {
      domain: props.domainName,
      product: NOT_APPLICABLE_TAG,
      owner: props.owner,
      classification: NOT_APPLICABLE_TAG,
      'cost-center': props.costCenter,
      'contract-version': NOT_APPLICABLE_TAG,
    };
    for (const [k, v] of Object.entries(this.tags)) Tags.of(this).add(k, v);
  }

  /** The domain key (rotation on) and its key policy: services, logs, publishers, consumer roles. */
  private domainKey(removalPolicy: RemovalPolicy): kms.Key {
    const key = new kms.Key(this, 'Key', {
      description: `Meshkit domain '${this.domainName}': encrypts the domain's data, results and logs`,
      alias: `alias/meshkit/${this.domainName}`,
      enableKeyRotation: true,
      removalPolicy,
    });
    allowUseViaServices(key, DOMAIN_KEY_VIA_SERVICES);
    allowCloudWatchLogs(key);
    allowServicePublishers(key, DOMAIN_KEY_PUBLISHER_SERVICES);
    allowReaders(key, 'AllowConsumerRolesDecrypt', this.consumerRoles, CONSUMER_VIA_SERVICES);
    return key;
  }

  /**
   * The tag-based grant of one consumer (none without classifications): SELECT + DESCRIBE on the
   * domain's tables of its classifications.
   * @param grantIds construct ids given so far, with the consumer name of each
   * @throws MeshError `INVALID_CONFIG` when two consumer names give the same construct id
   */
  private grantConsumer(consumer: Consumer, grantIds: Map<string, string>): void {
    const classifications = [...new Set(consumer.classifications)];
    if (classifications.length === 0) return;
    const id = `ConsumerGrant-${safeId(consumer.name)}`;
    const clash = grantIds.get(id);
    if (clash !== undefined) {
      throw new MeshError(
        'INVALID_CONFIG',
        `${OWNER}: consumers[].name '${clash}' and '${consumer.name}' differ only by punctuation; rename one`,
      );
    }
    grantIds.set(id, consumer.name);
    const catalogId = Stack.of(this).account;
    this.consumerGrants[consumer.name] = new lf.CfnPrincipalPermissions(this, id, {
      catalog: catalogId,
      principal: { dataLakePrincipalIdentifier: consumer.roleArn },
      resource: {
        lfTagPolicy: {
          catalogId,
          resourceType: 'TABLE',
          expression: [
            { tagKey: LF_TAG_DOMAIN, tagValues: [this.domainName] },
            { tagKey: LF_TAG_CLASSIFICATION, tagValues: classifications },
          ],
        },
      },
      permissions: ['SELECT', 'DESCRIBE'],
      permissionsWithGrantOption: [],
    });
  }

  /** The bucket of the workgroup's query results (SSE-KMS with the domain key, expiring). */
  private queryResults(retentionDays: number, removalPolicy: RemovalPolicy): s3.Bucket {
    return new s3.Bucket(this, 'QueryResults', {
      ...secureBucketProps(this.key),
      serverAccessLogsBucket: this.accessLogs.bucket,
      serverAccessLogsPrefix: 'athena-results/',
      removalPolicy,
      lifecycleRules: [
        {
          id: 'expire-query-results',
          expiration: Duration.days(retentionDays),
          noncurrentVersionExpiration: Duration.days(1),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
    });
  }

  /** The Athena workgroup: configuration enforced, results SSE-KMS, bytes-scanned cutoff. */
  private athenaWorkgroup(cutoff: number, removalPolicy: RemovalPolicy): athena.CfnWorkGroup {
    const workgroup = new athena.CfnWorkGroup(this, 'Workgroup', {
      name: this.workgroupName,
      description: `Queries of the '${this.domainName}' domain`,
      state: 'ENABLED',
      recursiveDeleteOption: false,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: cutoff,
        resultConfiguration: {
          outputLocation: this.queryResultsLocation,
          expectedBucketOwner: Stack.of(this).account,
          encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: this.key.keyArn },
        },
      },
    });
    workgroup.applyRemovalPolicy(removalPolicy);
    return workgroup;
  }
}

/** Name of the construct in its error messages. */
const OWNER = 'DomainFoundation';

/** The props of a {@link DomainFoundation}, checked, with their defaults. */
interface DomainSettings {
  /** The consumers allowed to read the domain. */
  readonly consumers: readonly Consumer[];
  readonly consumerRoles: readonly string[];
  readonly cutoff: number;
  readonly logRetentionDays: number;
  readonly resultsRetentionDays: number;
}

/** @throws MeshError `INVALID_CONFIG` naming the prop */
function domainSettings(props: DomainFoundationProps): DomainSettings {
  assertMeshName(OWNER, 'domainName', props.domainName);
  assertNonBlank(OWNER, 'owner', props.owner);
  assertNonBlank(OWNER, 'costCenter', props.costCenter);
  const consumers = (props.consumers ?? []).filter(
    (c) => c.domains === undefined || c.domains.includes(props.domainName),
  );
  (props.consumers ?? []).forEach((c, i) => {
    assertNonBlank(OWNER, `consumers[${i}].name`, c.name);
    assertPrincipalArn(OWNER, `consumers[${i}].roleArn`, c.roleArn);
  });
  assertUnique(
    OWNER,
    'consumers[].name',
    consumers.map((c) => c.name),
  );
  const consumerRoles = props.consumerRoles ?? [...new Set(consumers.map((c) => c.roleArn))];
  consumerRoles.forEach((arn, i) => assertPrincipalArn(OWNER, `consumerRoles[${i}]`, arn));
  assertUnique(OWNER, 'consumerRoles', consumerRoles);
  const cutoff = props.athenaBytesScannedCutoff ?? DEFAULT_BYTES_SCANNED_CUTOFF;
  assertInteger(OWNER, 'athenaBytesScannedCutoff', cutoff, MIN_BYTES_SCANNED_CUTOFF);
  const logRetentionDays = props.logRetentionDays ?? DEFAULT_ACCESS_LOG_RETENTION_DAYS;
  assertInteger(OWNER, 'logRetentionDays', logRetentionDays, 1);
  const resultsRetentionDays = props.queryResultsRetentionDays ?? DEFAULT_QUERY_RESULTS_RETENTION_DAYS;
  assertInteger(OWNER, 'queryResultsRetentionDays', resultsRetentionDays, 1);
  return { consumers, consumerRoles, cutoff, logRetentionDays, resultsRetentionDays };
}

/** A construct id fragment from a consumer name (alphanumerics only). */
function safeId(name: string): string {
  return name.replace(/[^A-Za-z0-9]/g, '') || 'consumer';
}
