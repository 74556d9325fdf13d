import {
  Aws,
  DefaultStackSynthesizer,
  Duration,
  Fn,
  RemovalPolicy,
  Stack,
  Tags,
  Token,
  aws_cloudtrail as cloudtrail,
  aws_glue as glue,
  type aws_iam as iam,
  aws_kms as kms,
  aws_lakeformation as lakeformation,
  aws_s3 as s3,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { MeshError } from '@meshkit/contracts';
import type { MandatoryTags } from '../tags.js';
import { AccessLogBucket } from './access-log-bucket.js';
import {
  CLASSIFICATIONS,
  DEFAULT_ACCESS_LOG_RETENTION_DAYS,
  DEFAULT_TRAIL_NAME,
  LF_TAG_CLASSIFICATION,
  LF_TAG_DOMAIN,
  NOT_APPLICABLE_TAG,
  TRAIL_MAX_SELECTOR_VALUES,
} from './foundation-defaults.js';
import { allowCloudTrail, allowReaders, allowUseViaServices } from './foundation-key-policy.js';
import {
  assertInteger,
  assertMeshName,
  assertNonBlank,
  assertPrincipalArn,
  assertUnique,
} from './foundation-validate.js';
import { productBucketArnPrefix } from './naming.js';
import { secureBucketProps } from './secure-bucket.js';

/** A data product classified `restricted`, whose buckets the platform trail audits. */
export interface RestrictedProduct {
  /** Domain of the product (one of `PlatformFoundationProps.domains`). */
  readonly domain: string;
  /** Product name. */
  readonly product: string;
}

/** Properties of a {@link PlatformFoundation} (from `mesh.config.yaml` and the domain list). */
export interface PlatformFoundationProps {
  /**
   * Lake Formation administrators to add (IAM roles, or role/user ARNs). They are appended to the
   * existing administrators (`MutationType: APPEND`), never replace them.
   * @default []
   */
  readonly lakeFormationAdmins?: Array<iam.IRole | string>;
  /**
   * Also append the stack's CloudFormation execution role (default synthesizer only) to the Lake
   * Formation administrators: CloudFormation needs it to create the LF-tags, and the domain and
   * product stacks need it for their databases, tables, tag associations and grants.
   * @default true
   */
  readonly cdkExecutionRoleAsAdmin?: boolean;
  /** Names of all domains of the mesh: the values of the `domain` LF-tag (at least one). */
  readonly domains: string[];
  /**
   * Products classified `restricted`: the trail records S3 data events (read and write) on every
   * bucket of each, selected by its deterministic name prefix (see `productBucketPrefix`).
   * At most 497 (CloudTrail's quota of 500 selector values, 3 of them fixed).
   * @default []
   */
  readonly restrictedProducts?: RestrictedProduct[];
  /**
   * Organisation (`mesh.config.yaml` `organisation`), part of product bucket names: give the same
   * value the products use.
   * @default - no organisation part
   */
  readonly organisation?: string;
  /**
   * Roles (possibly in other accounts) that read the Data Catalog, e.g. through Lake Formation
   * cross-account grants: the catalog key lets them decrypt and describe through Glue.
   * @default []
   */
  readonly catalogReaderRoles?: string[];
  /**
   * Name of the CloudTrail trail (the platform's only one; the account quota is 5 per region).
   * @default 'meshkit-data-events'
   */
  readonly trailName?: string;
  /**
   * Whether the trail records events of every region (selectors still match the product buckets
   * of this account whatever their region).
   * @default false
   */
  readonly multiRegionTrail?: boolean;
  /**
   * Days the trail's log files are kept.
   * @default - never expire (audit evidence)
   */
  readonly trailLogRetentionDays?: number;
  /**
   * Days S3 server access logs (of the trail bucket) are kept.
   * @default 365
   */
  readonly logRetentionDays?: number;
  /**
   * Removal policy of the stateful resources (key, buckets).
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Owning team (tag `owner` of the platform's resources).
   * @default 'platform'
   */
  readonly owner?: string;
  /**
   * Cost center (tag `cost-center` of the platform's resources).
   * @default 'platform'
   */
  readonly costCenter?: string;
}

/**
 * The account-level foundation of the mesh: deploy exactly one per account and region (the
 * example mesh keeps it in `platform/`).
 *
 * - Lake Formation data lake settings: administrators appended (`MutationType: APPEND`), no
 *   `IAM_ALLOWED_PRINCIPALS` default permissions on new databases and tables;
 * - Data Catalog encryption: SSE-KMS with the platform key (rotation on), connection passwords
 *   encrypted;
 * - the LF-tags shared by every domain: `domain` (the domain names) and `classification`
 *   (public, internal, confidential, restricted);
 * - one CloudTrail trail (KMS-encrypted, log file validation, single-region by default) with
 *   advanced event selectors: management events, plus S3 data events on the buckets of the
 *   `restricted` products — selected by name prefix, so the platform stack references no product
 *   stack. Its bucket is KMS-encrypted, SSL-only and logs to an {@link AccessLogBucket}.
 *
 * @throws MeshError (INVALID_CONFIG) naming the prop, for an invalid or duplicate domain, an
 * unknown domain of a restricted product, too many restricted products, or an invalid ARN.
 */
export class PlatformFoundation extends Construct {
  /** The platform key: Data Catalog, connection passwords, trail log files and bucket. */
  public readonly key: kms.Key;
  /** Lake Formation data lake settings (admins appended). */
  public readonly dataLakeSettings: lakeformation.CfnDataLakeSettings;
  /** Data Catalog encryption settings. */
  public readonly catalogEncryption: glue.CfnDataCatalogEncryptionSettings;
  /** The `domain` LF-tag. */
  public readonly domainTag: lakeformation.CfnTag;
  /** The `classification` LF-tag. */
  public readonly classificationTag: lakeformation.CfnTag;
  /** The trail. */
  public readonly trail: cloudtrail.Trail;
  /** The trail's L1 resource (its advanced event selectors). */
  public readonly trailResource: cloudtrail.CfnTrail;
  /** ARN of the trail. */
  public readonly trailArn: string;
  /** Bucket of the trail's log files. */
  public readonly trailBucket: s3.Bucket;
  /** Access-log bucket of the trail bucket. */
  public readonly accessLogs: AccessLogBucket;
  /** ARN principals appended to the Lake Formation administrators. */
  public readonly lakeFormationAdminArns: readonly string[];
  /** Mandatory tags applied to the platform's resources. */
  public readonly tags: MandatoryTags;

  constructor(scope: Construct, id: string, props: PlatformFoundationProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const settings = platformSettings(props, stack);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.lakeFormationAdminArns = settings.admins;

    // Key
    this.trailArn = `arn:${stack.partition}:cloudtrail:${stack.region}:${stack.account}:trail/${settings.trailName}`;
    this.key = new kms.Key(this, 'Key', {
      description: 'Meshkit platform: encrypts the Data Catalog, connection passwords and the audit trail',
      alias: 'alias/meshkit/platform',
      enableKeyRotation: true,
      removalPolicy,
    });
    allowUseViaServices(this.key, ['glue']);
    allowReaders(this.key, 'AllowCatalogReadersDecrypt', settings.catalogReaders, ['glue']);
    allowCloudTrail(this.key, this.trailArn);

    // Lake Formation
    this.dataLakeSettings = new lakeformation.CfnDataLakeSettings(this, 'DataLakeSettings', {
      mutationType: 'APPEND',
      admins: settings.admins.map((arn) => ({ dataLakePrincipalIdentifier: arn })),
      createDatabaseDefaultPermissions: [],
      createTableDefaultPermissions: [],
      // Glue 5.0 jobs read whole tables they are granted in Full Table Access mode, which needs
      // this account setting; column-limited grants are read with fine-grained access control.
      allowFullTableExternalDataAccess: true,
      // Cross-account grants (consumes across accounts) as AWS RAM shares of version 4.
      parameters: { CROSS_ACCOUNT_VERSION: '4' },
    });
    this.domainTag = this.lfTag('DomainTag', LF_TAG_DOMAIN, [...props.domains]);
    this.classificationTag = this.lfTag('ClassificationTag', LF_TAG_CLASSIFICATION, [...CLASSIFICATIONS]);

    // Data Catalog encryption
    this.catalogEncryption = new glue.CfnDataCatalogEncryptionSettings(this, 'CatalogEncryption', {
      catalogId: Aws.ACCOUNT_ID,
      dataCatalogEncryptionSettings: {
        encryptionAtRest: { catalogEncryptionMode: 'SSE-KMS', sseAwsKmsKeyId: this.key.keyArn },
        connectionPasswordEncryption: { returnConnectionPasswordEncrypted: true, kmsKeyId: this.key.keyArn },
      },
    });

    // Trail
    this.accessLogs = new AccessLogBucket(this, 'AccessLogs', {
      retentionDays: settings.logRetentionDays,
      removalPolicy,
    });
    this.trailBucket = this.trailLogBucket(props.trailLogRetentionDays, removalPolicy);
    this.trail = new cloudtrail.Trail(this, 'Trail', {
      trailName: settings.trailName,
      bucket: this.trailBucket,
      encryptionKey: this.key,
      enableFileValidation: true,
      isMultiRegionTrail: props.multiRegionTrail ?? false,
      includeGlobalServiceEvents: true,
    });
    this.trailResource = this.trail.node.defaultChild as cloudtrail.CfnTrail;
    // Advanced selectors replace the basic ones (a trail has either, never both).
    this.trailResource.eventSelectors = undefined;
    this.trailResource.advancedEventSelectors = trailSelectors(settings.restricted, props.organisation);

    // Tags
    this.tags = {
      domain: NOT_APPLICABLE_TAG,
      product: NOT_APPLICABLE_TAG,
      owner: props.owner ?? 'platform',
      classification: NOT_APPLICABLE_TAG,
      'cost-center': props.costCenter ?? 'platform',
      'contract-version': NOT_APPLICABLE_TAG,
    };
    for (const [k, v] of Object.entries(this.tags)) Tags.of(this).add(k, v);
  }

  /** An LF-tag shared by every domain, created once the deploying role is a data lake administrator. */
  private lfTag(id: string, tagKey: string, tagValues: string[]): lakeformation.CfnTag {
    const tag = new lakeformation.CfnTag(this, id, { catalogId: Aws.ACCOUNT_ID, tagKey, tagValues });
    tag.node.addDependency(this.dataLakeSettings);
    return tag;
  }

  /** The bucket of the trail's log files (platform key, access-logged; expiring when a retention is given). */
  private trailLogBucket(retentionDays: number | undefined, removalPolicy: RemovalPolicy): s3.Bucket {
    return new s3.Bucket(this, 'TrailBucket', {
      ...secureBucketProps(this.key),
      serverAccessLogsBucket: this.accessLogs.bucket,
      serverAccessLogsPrefix: 'trail/',
      removalPolicy,
      lifecycleRules:
        retentionDays === undefined
          ? undefined
          : [
              {
                id: 'expire-trail-logs',
                expiration: Duration.days(retentionDays),
                noncurrentVersionExpiration: Duration.days(1),
              },
            ],
    });
  }
}

/** Name of the construct in its error messages. */
const OWNER = 'PlatformFoundation';

/** The props of a {@link PlatformFoundation}, checked, with their defaults. */
interface PlatformSettings {
  /** The restricted products, deduplicated. */
  readonly restricted: RestrictedProduct[];
  readonly catalogReaders: readonly string[];
  /** Lake Formation administrator ARNs (with the CloudFormation execution role when asked). */
  readonly admins: string[];
  readonly trailName: string;
  readonly logRetentionDays: number;
}

/** @throws MeshError `INVALID_CONFIG` naming the prop */
function platformSettings(props: PlatformFoundationProps, stack: Stack): PlatformSettings {
  if (!Array.isArray(props.domains) || props.domains.length === 0) {
    throw new MeshError('INVALID_CONFIG', `${OWNER}: domains must list at least one domain`);
  }
  props.domains.forEach((d, i) => assertMeshName(OWNER, `domains[${i}]`, d));
  assertUnique(OWNER, 'domains', props.domains);
  const restricted = dedupe(props.restrictedProducts ?? []);
  restricted.forEach((p, i) => {
    if (!props.domains.includes(p.domain)) {
      throw new MeshError(
        'INVALID_CONFIG',
        `${OWNER}: restrictedProducts[${i}].domain '${p.domain}' is not one of domains (${props.domains.join(', ')})`,
      );
    }
    assertMeshName(OWNER, `restrictedProducts[${i}].product`, p.product);
  });
  const maxRestricted = TRAIL_MAX_SELECTOR_VALUES - 3;
  if (restricted.length > maxRestricted) {
    throw new MeshError(
      'INVALID_CONFIG',
      `${OWNER}: restrictedProducts has ${restricted.length} products; one trail's selectors hold at most ${maxRestricted}`,
    );
  }
  const catalogReaders = props.catalogReaderRoles ?? [];
  catalogReaders.forEach((arn, i) => assertPrincipalArn(OWNER, `catalogReaderRoles[${i}]`, arn));
  const admins = (props.lakeFormationAdmins ?? []).map((a) => (typeof a === 'string' ? a : a.roleArn));
  admins.forEach((arn, i) => assertPrincipalArn(OWNER, `lakeFormationAdmins[${i}]`, arn, true));
  if (props.cdkExecutionRoleAsAdmin ?? true) {
    if (stack.synthesizer instanceof DefaultStackSynthesizer)
      admins.push(Fn.sub(stack.synthesizer.cloudFormationExecutionRoleArn));
  }
  const trailName = props.trailName ?? DEFAULT_TRAIL_NAME;
  if (!Token.isUnresolved(trailName) && !/^[A-Za-z0-9][A-Za-z0-9._-]{1,126}[A-Za-z0-9]$/.test(trailName)) {
    throw new MeshError(
      'INVALID_CONFIG',
      `${OWNER}: trailName '${trailName}' must be 3-128 letters, digits, '.', '_' or '-', starting and ending with a letter or digit`,
    );
  }
  const logRetentionDays = props.logRetentionDays ?? DEFAULT_ACCESS_LOG_RETENTION_DAYS;
  assertInteger(OWNER, 'logRetentionDays', logRetentionDays, 1);
  if (props.trailLogRetentionDays !== undefined)
    assertInteger(OWNER, 'trailLogRetentionDays', props.trailLogRetentionDays, 1);
  if (props.owner !== undefined) assertNonBlank(OWNER, 'owner', props.owner);
  if (props.costCenter !== undefined) assertNonBlank(OWNER, 'costCenter', props.costCenter);
  return { restricted, catalogReaders, admins, trailName, logRetentionDays };
}

function dedupe(products: readonly RestrictedProduct[]): RestrictedProduct[] {
  const seen = new Set<string>();
  return products.filter((p) => {
    const key = `${p.domain}/${p.product}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The trail's advanced event selectors: all management events; with restricted products, also
 * S3 object-level data events on every bucket whose name starts with one of their prefixes.
 */
function trailSelectors(
  restricted: readonly RestrictedProduct[],
  organisation: string | undefined,
): cloudtrail.CfnTrail.AdvancedEventSelectorProperty[] {
  const selectors: cloudtrail.CfnTrail.AdvancedEventSelectorProperty[] = [
    {
      name: 'Management events',
      fieldSelectors: [{ field: 'eventCategory', equalTo: ['Management'] }],
    },
  ];
  if (restricted.length > 0) {
    selectors.push({
      name: 'S3 data events of restricted products',
      fieldSelectors: [
        { field: 'eventCategory', equalTo: ['Data'] },
        { field: 'resources.type', equalTo: ['AWS::S3::Object'] },
        {
          field: 'resources.ARN',
          startsWith: restricted.map((p) =>
            productBucketArnPrefix({ organisation, domain: p.domain, product: p.product }),
          ),
        },
      ],
    });
  }
  return selectors;
}
