/**
 * @meshkit/runtime — runs a data product locally on embedded DuckDB with the quality semantics of
 * its Glue job: the same transform.sql (in the SQL subset both engines accept), the same quality
 * checks compiled from the contract's shared IR.
 */
export { runProduct, runError, sqlPosition, type RunProductOptions, type RunErrorCode } from './run-product.js';
export {
  formatRunSummary,
  type RunReport,
  type RuleOutcome,
  type ConsumedInput,
  type ServedMajorReport,
} from './report.js';
export { loadServedMajors, type ServedMajor } from './served-majors.js';
export { lineageEvent, type LineageField, type LineageInput } from './lineage.js';
export {
  checkPortableSql,
  tokenizeSql,
  NON_PORTABLE_FUNCTIONS,
  SqlTokenizeError,
  type PortabilityFinding,
  type SqlToken,
} from './portable-sql.js';
export {
  qualityPlan,
  describeThreshold,
  castRule,
  type QualityPlan,
  type RowRule,
  type DatasetRule,
} from './quality.js';
export {
  contractColumns,
  glueToDuckType,
  castability,
  conformanceCastSql,
  quoteIdent,
  quoteString,
  type ContractColumn,
} from './types.js';
export {
  loadRunTarget,
  consumedViewName,
  defaultRunDir,
  findFixture,
  FIXTURE_INPUT,
  FIXTURE_OUTPUT,
  INPUT_EXTENSIONS,
} from './product.js';
export {
  runProductStream,
  formatStreamSummary,
  type RunStreamOptions,
  type StreamRunReport,
  type StreamStats,
} from './stream/run-stream.js';
export { startKinesalite, type LocalKinesis } from './stream/local-kinesis.js';
export { createProducer } from './stream/producer.js';
export {
  KINESIS_LIMITS,
  type Producer,
  type ProducerOptions,
  type ProducerRetryOptions,
  type ProducerMetrics,
  type CloseReport,
  type UndeliveredRecord,
  type DeadLetterReason,
} from './stream/producer-options.js';
export { compileRecordValidator, type RecordValidator, type RecordValidatorOptions } from './stream/validator.js';
export { ProducerError, type ProducerErrorCode } from './stream/errors.js';
export {
  localKinesisClient,
  createLocalStream,
  readAllRecords,
  type LocalClientOptions,
  type ReadRecord,
} from './stream/local.js';
export { checkRawCasts } from './raw-cast.js';
