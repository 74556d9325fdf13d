import { NOT_APPLICABLE_TAG_VALUE, type Classification } from '@meshkit/contracts';

/**
 * The secure defaults of the platform and domain foundations, decided in one place.
 * Changing one of these changes every stack built from the constructs.
 */

/** LF-tag key whose values are the domain names. */
export const LF_TAG_DOMAIN = 'domain';
/** LF-tag key whose values are the classification levels. */
export const LF_TAG_CLASSIFICATION = 'classification';
/** Classification levels, least to most sensitive (the values of the `classification` LF-tag). */
export const CLASSIFICATIONS: readonly Classification[] = ['public', 'internal', 'confidential', 'restricted'];

/** Athena bytes-scanned cutoff per query: 100 GiB. */
export const DEFAULT_BYTES_SCANNED_CUTOFF = 100 * 1024 ** 3;
/** Smallest cutoff Athena accepts: 10 MiB. */
export const MIN_BYTES_SCANNED_CUTOFF = 10 * 1024 ** 2;
/** Days S3 server access logs are kept. */
export const DEFAULT_ACCESS_LOG_RETENTION_DAYS = 365;
/** Days Athena query results are kept. */
export const DEFAULT_QUERY_RESULTS_RETENTION_DAYS = 30;
/** Name of the platform's CloudTrail trail. */
export const DEFAULT_TRAIL_NAME = 'meshkit-data-events';

/** CloudTrail quota: values across all conditions of all advanced event selectors of a trail. */
export const TRAIL_MAX_SELECTOR_VALUES = 500;

/**
 * Services whose callers (IAM principals of the account) may use a domain key through them
 * (`kms:ViaService`): the services products store or move data with.
 */
export const DOMAIN_KEY_VIA_SERVICES = ['s3', 'glue', 'kinesis', 'firehose', 'athena', 'sns'] as const;

/**
 * Services through which the declared consumer roles (possibly in other accounts) may decrypt a
 * domain's data: reading objects (S3), querying (Athena), reading the catalog (Glue).
 */
export const CONSUMER_VIA_SERVICES = ['s3', 'athena', 'glue'] as const;

/**
 * AWS service principals that publish to a domain's encrypted SNS topics and queues on their own
 * behalf (alarm actions, EventBridge rules, S3 event notifications).
 */
export const DOMAIN_KEY_PUBLISHER_SERVICES = [
  'cloudwatch.amazonaws.com',
  'events.amazonaws.com',
  's3.amazonaws.com',
] as const;

/** Key actions that let a principal encrypt and decrypt data with a key. */
export const KEY_USE_ACTIONS = [
  'kms:Encrypt',
  'kms:Decrypt',
  'kms:ReEncrypt*',
  'kms:GenerateDataKey*',
  'kms:DescribeKey',
];
/** Key actions of a reader. */
export const KEY_READ_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey'];

/** Feature flag that makes S3 grant log delivery through a bucket policy instead of ACLs. */
export const S3_ACCESS_LOGS_USE_BUCKET_POLICY = '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy';

/** Value of a mandatory tag that does not apply to a platform or domain resource. */
export const NOT_APPLICABLE_TAG = NOT_APPLICABLE_TAG_VALUE;
