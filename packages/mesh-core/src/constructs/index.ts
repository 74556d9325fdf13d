// Barrel of the constructs (one construct per file).
export {};
export * from './naming.js';
export * from './access-log-bucket.js';
export * from './platform-foundation.js';
export * from './domain-foundation.js';
export { LF_TAG_DOMAIN, LF_TAG_CLASSIFICATION, CLASSIFICATIONS, DEFAULT_TRAIL_NAME } from './foundation-defaults.js';
export {
  DataProduct,
  productClassification,
  columnClassifications,
  type DataProductProps,
  type ProductMetadata,
} from './data-product.js';
export { majorOf, consumedTable } from './product-inputs.js';
export {
  lifecyclePolicy,
  lifecycleRules,
  LIFECYCLE_TABLE,
  MIN_STORAGE_DAYS,
  DEFAULT_RETENTION_DAYS,
  NONCURRENT_EXPIRATION_DAYS,
  ABORT_INCOMPLETE_UPLOAD_DAYS,
  type DataZone,
  type LifecyclePolicy,
  type LifecycleStep,
  type LifecycleStorageClass,
} from './product-lifecycle.js';
export { ProductZoneBucket, type ProductZoneBucketProps } from './product-zone-bucket.js';
export {
  ProductTable,
  PARQUET_INPUT_FORMAT,
  PARQUET_OUTPUT_FORMAT,
  PARQUET_SERDE,
  type ProductTableProps,
} from './product-table.js';
export { ProductQualityRuleset, type ProductQualityRulesetProps } from './product-quality-ruleset.js';
export {
  ProductGlueJob,
  MESH_METRICS_NAMESPACE,
  MAX_TRANSFORM_SQL_BYTES,
  defaultScriptPath,
  defaultCorePath,
  type ProductGlueJobProps,
  type ConsumedTable,
  type ServedMajorOutput,
} from './product-glue-job.js';
export { ProductBatchIngestion, type ProductBatchIngestionProps } from './product-batch-ingestion.js';
export { ProductScheduleTrigger, glueSchedule, type ProductScheduleTriggerProps } from './product-schedule-trigger.js';
export {
  ProductStreamIngestion,
  STREAM_RAW_STAGING_REASON,
  type ProductStreamIngestionProps,
} from './product-stream-ingestion.js';
export { ProductServedMajor, type ProductServedMajorProps } from './product-served-major.js';
export {
  ProductLakeFormation,
  type ProductLakeFormationProps,
  type ProductTablePermission,
} from './product-lake-formation.js';
export {
  ProductAlarms,
  freshnessWindow,
  DEFAULT_FRESHNESS_WINDOW,
  MAX_FRESHNESS_WINDOW,
  type ProductAlarmsProps,
} from './product-alarms.js';
export { ProductDataLocation, type ProductDataLocationProps } from './product-data-location.js';
export {
  ProductConsumerGrants,
  type ProductConsumerGrantsProps,
  type ConsumedProduct,
} from './product-consumer-grants.js';
export {
  ProductCrossAccountShares,
  type ProductCrossAccountSharesProps,
  type CrossAccountConsumer,
} from './product-cross-account-shares.js';
export {
  ReplicaFoundation,
  REPLICA_KEY_ALIAS,
  replicaBucketName,
  type ReplicaFoundationProps,
  type ReplicatedProduct,
} from './replica-foundation.js';
export { ProductReplication, type ProductReplicationProps, type ProductReplicaTarget } from './product-replication.js';
