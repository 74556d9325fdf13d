import { createHash } from 'node:crypto';
import { Aws, Token } from 'aws-cdk-lib';
import { MeshError, domainDatabaseName, organisationSlug } from '@meshkit/contracts';
import { assertMeshName } from './foundation-validate.js';

/**
 * Deterministic physical names shared by the stacks of the mesh.
 *
 * Products live in their own stacks, and the platform stack must select their buckets (the
 * CloudTrail data-event selectors of restricted products) without a reference to them: a
 * reference would create a cross-stack dependency from the platform to every product. Both sides
 * therefore compute the same names from the same inputs with these pure functions.
 *
 * **Product bucket names** — `<base>-<account>-<region>-<zone>`, for example
 * `acme-sales-orders-123456789012-eu-west-1-raw`:
 * - `base` is `<organisation>-<domain>-<product>` (organisation slugged: lowercase, runs of other
 *   characters become `-`; left out when not given). When it is longer than
 *   {@link PRODUCT_BUCKET_BASE_MAX_LENGTH} it becomes its first characters, `-`, and the first 8
 *   hex digits of the SHA-256 of the full base, so names stay unique and readable;
 * - `account` and `region` make the name unique across environments (S3 names are global); they
 *   default to the `AWS::AccountId` / `AWS::Region` pseudo parameters, resolved at deploy time;
 * - `zone` comes last so that every bucket of one product, in every zone and region, starts with
 *   the same {@link productBucketPrefix} `<base>-<account>-`: one `StartsWith` value per product
 *   in a CloudTrail selector covers all its buckets.
 *
 * The length budget assumes the longest region name (16 characters reserved) and zone, so every
 * name is at most 63 characters whatever the region the pseudo parameter resolves to.
 */

/** Zones of a data product that get their own bucket. */
export type ProductZone = 'raw' | 'curated' | 'landing' | 'replica';

/** All product zones, in data-flow order. */
export const PRODUCT_ZONES: readonly ProductZone[] = ['landing', 'raw', 'curated', 'replica'];

/** Longest S3 bucket name. */
export const MAX_BUCKET_NAME_LENGTH = 63;
const ACCOUNT_LENGTH = 12;
/** Characters reserved for the region (the longest today, `us-isof-south-1`, has 15). */
const REGION_MAX_LENGTH = 16;
const ZONE_MAX_LENGTH = Math.max(...PRODUCT_ZONES.map((z) => z.length));
/** Longest `<organisation>-<domain>-<product>` part kept verbatim in a product bucket name. */
export const PRODUCT_BUCKET_BASE_MAX_LENGTH =
  MAX_BUCKET_NAME_LENGTH - (1 + ACCOUNT_LENGTH + 1 + REGION_MAX_LENGTH + 1 + ZONE_MAX_LENGTH);
const HASH_LENGTH = 8;

/** Identifies one data product's buckets, in every zone and region. */
export interface ProductBucketPrefixProps {
  /**
   * The organisation (`mesh.config.yaml` `organisation`, a display name: it is slugged).
   * @default - no organisation part
   */
  readonly organisation?: string;
  /** Domain name, lowercase kebab-case 2–40 characters. */
  readonly domain: string;
  /** Product name, lowercase kebab-case 2–40 characters. */
  readonly product: string;
  /**
   * 12-digit AWS account id of the product's stack.
   * @default Aws.ACCOUNT_ID (the `AWS::AccountId` pseudo parameter)
   */
  readonly account?: string;
}

/** Identifies one bucket of a data product. */
export interface ProductBucketNameProps extends ProductBucketPrefixProps {
  /** The zone the bucket holds. */
  readonly zone: ProductZone;
  /**
   * AWS region of the bucket (give it explicitly for a bucket in another region, e.g. a replica).
   * @default Aws.REGION (the `AWS::Region` pseudo parameter)
   */
  readonly region?: string;
}

/** Lowercase slug of an organisation's display name (`Acme Corp.` → `acme-corp`); the rule lives in @meshkit/contracts. */
export { organisationSlug };

const FORBIDDEN_BUCKET_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];

function productBase(props: ProductBucketPrefixProps): string {
  assertMeshName('productBucketName', 'domain', props.domain);
  assertMeshName('productBucketName', 'product', props.product);
  const org = props.organisation === undefined ? '' : organisationSlug(props.organisation);
  const full = [org, props.domain, props.product].filter((p) => p !== '').join('-');
  if (FORBIDDEN_BUCKET_PREFIXES.some((p) => full.startsWith(p))) {
    throw new MeshError(
      'INVALID_CONFIG',
      `productBucketName: organisation '${props.organisation ?? ''}' makes bucket names start with a prefix S3 reserves (${FORBIDDEN_BUCKET_PREFIXES.join(', ')})`,
    );
  }
  if (full.length <= PRODUCT_BUCKET_BASE_MAX_LENGTH) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, HASH_LENGTH);
  const head = full.slice(0, PRODUCT_BUCKET_BASE_MAX_LENGTH - HASH_LENGTH - 1).replace(/-+$/, '');
  return `${head}-${hash}`;
}

function accountPart(account: string | undefined): string {
  if (account === undefined) return Aws.ACCOUNT_ID;
  if (!Token.isUnresolved(account) && !/^\d{12}$/.test(account)) {
    throw new MeshError('INVALID_CONFIG', `productBucketName: account '${account}' must be a 12-digit AWS account id`);
  }
  return account;
}

/**
 * The prefix every bucket of one data product starts with, in every zone and region:
 * `<base>-<account>-` (see the module documentation).
 */
export function productBucketPrefix(props: ProductBucketPrefixProps): string {
  return `${productBase(props)}-${accountPart(props.account)}-`;
}

/**
 * The physical name of one bucket of a data product, `<base>-<account>-<region>-<zone>`,
 * at most 63 characters, lowercase (see the module documentation).
 *
 * @throws MeshError (INVALID_CONFIG) for a domain or product that is not kebab-case 2–40, an
 * account that is not 12 digits, or a region that is not a region name.
 */
export function productBucketName(props: ProductBucketNameProps): string {
  if (!PRODUCT_ZONES.includes(props.zone)) {
    throw new MeshError(
      'INVALID_CONFIG',
      `productBucketName: zone '${String(props.zone)}' must be one of ${PRODUCT_ZONES.join(', ')}`,
    );
  }
  const region = props.region ?? Aws.REGION;
  if (
    !Token.isUnresolved(region) &&
    (region.length > REGION_MAX_LENGTH || !/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/.test(region))
  ) {
    throw new MeshError('INVALID_CONFIG', `productBucketName: region '${region}' is not an AWS region name`);
  }
  return `${productBucketPrefix(props)}${region}-${props.zone}`;
}

/**
 * ARN prefix of every object in every bucket of one data product:
 * `arn:<partition>:s3:::<productBucketPrefix>` (a CloudTrail `resources.ARN` `StartsWith` value,
 * or an IAM resource `…*`).
 */
export function productBucketArnPrefix(props: ProductBucketPrefixProps): string {
  return `arn:${Aws.PARTITION}:s3:::${productBucketPrefix(props)}`;
}

/** Name of a domain's Glue database: the domain name in snake_case (`order-mgmt` → `order_mgmt`). */
export function glueDatabaseName(domain: string): string {
  assertMeshName('glueDatabaseName', 'domain', domain);
  return domainDatabaseName(domain);
}
