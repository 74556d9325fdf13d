import { Duration, aws_s3 as s3 } from 'aws-cdk-lib';
import { MeshError, type Classification } from '@meshkit/contracts';

/**
 * The lifecycle policy of a product's S3 zones: one table, classification × retention →
 * transitions and expirations. Documented (with the reasons) in `docs/lifecycle-policy.md`; the
 * tests check the rules against the same table.
 */

/** The S3 zones of a data product that hold data (the lifecycle table's rows). */
export type DataZone = 'raw' | 'curated';

/** Storage classes the policy uses, in the order S3 allows objects to move through them. */
export type LifecycleStorageClass = 'INTELLIGENT_TIERING' | 'GLACIER_IR' | 'GLACIER' | 'DEEP_ARCHIVE';

/** One candidate transition of the table. */
export interface LifecycleStep {
  /** Target storage class. */
  readonly storageClass: LifecycleStorageClass;
  /** Days after creation. */
  readonly afterDays: number;
}

/** The lifecycle of one zone of one product, resolved from the table. */
export interface LifecyclePolicy {
  /** Transitions kept for this retention (see {@link MIN_STORAGE_DAYS}). */
  readonly transitions: LifecycleStep[];
  /** Current versions expire after this many days (the product's retention). */
  readonly expirationDays: number;
  /** Noncurrent versions expire after this many days. */
  readonly noncurrentExpirationDays: number;
  /** Incomplete multipart uploads are aborted after this many days. */
  readonly abortIncompleteUploadDays: number;
}

/** Candidate transitions per zone and classification (the policy table). */
export const LIFECYCLE_TABLE: Readonly<Record<DataZone, Readonly<Record<Classification, readonly LifecycleStep[]>>>> = {
  raw: {
    public: [
      { storageClass: 'INTELLIGENT_TIERING', afterDays: 0 },
      { storageClass: 'GLACIER_IR', afterDays: 90 },
      { storageClass: 'GLACIER', afterDays: 180 },
    ],
    internal: [
      { storageClass: 'INTELLIGENT_TIERING', afterDays: 0 },
      { storageClass: 'GLACIER_IR', afterDays: 90 },
      { storageClass: 'GLACIER', afterDays: 180 },
    ],
    confidential: [
      { storageClass: 'INTELLIGENT_TIERING', afterDays: 0 },
      { storageClass: 'GLACIER_IR', afterDays: 90 },
      { storageClass: 'GLACIER', afterDays: 180 },
      { storageClass: 'DEEP_ARCHIVE', afterDays: 365 },
    ],
    restricted: [
      { storageClass: 'INTELLIGENT_TIERING', afterDays: 0 },
      { storageClass: 'GLACIER_IR', afterDays: 90 },
      { storageClass: 'GLACIER', afterDays: 180 },
      { storageClass: 'DEEP_ARCHIVE', afterDays: 365 },
    ],
  },
  // Curated data is the output port, read by Athena: only classes Athena reads in place
  // (Intelligent-Tiering's automatic tiers and Glacier Instant Retrieval).
  curated: {
    public: [{ storageClass: 'INTELLIGENT_TIERING', afterDays: 0 }],
    internal: [{ storageClass: 'INTELLIGENT_TIERING', afterDays: 0 }],
    confidential: [
      { storageClass: 'INTELLIGENT_TIERING', afterDays: 0 },
      { storageClass: 'GLACIER_IR', afterDays: 365 },
    ],
    restricted: [
      { storageClass: 'INTELLIGENT_TIERING', afterDays: 0 },
      { storageClass: 'GLACIER_IR', afterDays: 365 },
    ],
  },
};

/**
 * Minimum storage duration S3 charges for each class. A transition is kept only when an object
 * stays in the class at least this long before it expires (`afterDays + minimum <= retention`):
 * moving it earlier would cost more than keeping it where it is.
 */
export const MIN_STORAGE_DAYS: Readonly<Record<LifecycleStorageClass, number>> = {
  INTELLIGENT_TIERING: 0,
  GLACIER_IR: 90,
  GLACIER: 90,
  DEEP_ARCHIVE: 180,
};

/** Retention when the manifest declares no `retentionDays`, per classification. */
export const DEFAULT_RETENTION_DAYS: Readonly<Record<Classification, number>> = {
  public: 365,
  internal: 365,
  confidential: 1095,
  restricted: 2555,
};

/** Days noncurrent versions are kept (the recovery window after an overwrite or delete). */
export const NONCURRENT_EXPIRATION_DAYS: Readonly<Record<Classification, number>> = {
  public: 30,
  internal: 30,
  confidential: 90,
  restricted: 90,
};

/** Days after which incomplete multipart uploads are aborted (every zone, every classification). */
export const ABORT_INCOMPLETE_UPLOAD_DAYS = 7;

/**
 * The lifecycle of one zone from the table.
 *
 * @param retentionDays the manifest's `retentionDays` (@default {@link DEFAULT_RETENTION_DAYS})
 * @throws MeshError `INVALID_CONFIG` when `retentionDays` is not a whole number ≥ 1
 */
export function lifecyclePolicy(
  zone: DataZone,
  classification: Classification,
  retentionDays?: number,
): LifecyclePolicy {
  if (retentionDays !== undefined && (!Number.isInteger(retentionDays) || retentionDays < 1)) {
    throw new MeshError(
      'INVALID_CONFIG',
      `retentionDays must be a whole number of days ≥ 1 (got ${String(retentionDays)})`,
    );
  }
  const expirationDays = retentionDays ?? DEFAULT_RETENTION_DAYS[classification];
  const transitions = LIFECYCLE_TABLE[zone][classification].filter(
    (t) => t.afterDays + MIN_STORAGE_DAYS[t.storageClass] <= expirationDays && t.afterDays < expirationDays,
  );
  return {
    transitions,
    expirationDays,
    noncurrentExpirationDays: NONCURRENT_EXPIRATION_DAYS[classification],
    abortIncompleteUploadDays: ABORT_INCOMPLETE_UPLOAD_DAYS,
  };
}

const STORAGE_CLASS: Record<LifecycleStorageClass, s3.StorageClass> = {
  INTELLIGENT_TIERING: s3.StorageClass.INTELLIGENT_TIERING,
  GLACIER_IR: s3.StorageClass.GLACIER_INSTANT_RETRIEVAL,
  GLACIER: s3.StorageClass.GLACIER,
  DEEP_ARCHIVE: s3.StorageClass.DEEP_ARCHIVE,
};

/** The S3 lifecycle rules of a policy (one rule over the whole bucket). */
export function lifecycleRules(policy: LifecyclePolicy): s3.LifecycleRule[] {
  return [
    {
      id: 'meshkit-lifecycle',
      enabled: true,
      abortIncompleteMultipartUploadAfter: Duration.days(policy.abortIncompleteUploadDays),
      expiration: Duration.days(policy.expirationDays),
      noncurrentVersionExpiration: Duration.days(policy.noncurrentExpirationDays),
      transitions: policy.transitions.map((t) => ({
        storageClass: STORAGE_CLASS[t.storageClass],
        transitionAfter: Duration.days(t.afterDays),
      })),
    },
  ];
}
