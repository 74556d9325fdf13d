// Barrel of src/compile: the contract compilers (JSON Schema, TypeScript, validator module, Glue
// columns, quality IR → DQDL and SQL).
export { selectObject, columnName, snakeCase, type SelectedObject } from './schema-object.js';
export {
  toJsonSchema,
  LOCAL_DATE_TIME,
  type JsonSchema,
  type JsonSchemaDraft,
  type JsonSchemaOptions,
} from './json-schema.js';
export { toTypeScript, recordTypeName, type TypeScriptOptions } from './typescript.js';
export { toValidatorModule, type ValidatorModuleOptions } from './validator-module.js';
export {
  toGlueColumns,
  glueType,
  normalisePhysicalType,
  type GlueColumn,
  type GlueTableColumns,
  type GlueOptions,
} from './glue.js';
export {
  columnType,
  parseColumnType,
  isTimestampPhysicalType,
  effectiveLogicalType,
  logicalTypeOf,
  type ColumnType,
} from './types.js';
export {
  glueTypeOf,
  sparkTypeOf,
  duckdbTypeOf,
  jsonSchemaTypeOf,
  typeScriptTypeOf,
  sparkSqlType,
  duckdbType,
} from './type-spellings.js';
export { compileQuality, type QualityOptions } from './quality-compile.js';
export {
  bindQuery,
  ruleThreshold,
  isZeroTolerance,
  MINIMAL_RULE_DESCRIPTION,
  type QualityCheck,
  type QualityCheckKind,
  type CheckBase,
  type Comparison,
  type Bound,
  type Scalar,
} from './quality-ir.js';
export { toDqdl, dqdlString, dqdlNumber, dqdlProblems, type DqdlOptions, type DqdlProblem } from './dqdl.js';
export { parseDqdl, dqdlLeafRules } from './dqdl-parse.js';
export {
  DqdlSyntaxError,
  type DqdlRuleset,
  type DqdlRule,
  type DqdlCondition,
  type DqdlOperand,
  type DqdlDurationUnit,
} from './dqdl-ast.js';
export { DQDL_RULE_TYPES } from './dqdl-rule-types.js';
export { tokenizeSql, SqlTokenizeError, type SqlToken } from './sql-tokens.js';
export { toCreateTable, columnTypes, type DdlOptions } from './ddl.js';
export {
  toSqlChecks,
  metricSql,
  metricAggregate,
  passedSql,
  compareSql,
  quoteIdentifier,
  toSparkSql,
  SparkSqlError,
  utcTimestampText,
  sqlDialect,
  javaRegex,
  type SqlChecks,
  type SqlOptions,
  type SqlDialect,
  type Dialect,
  type RowPredicate,
  type DatasetCheck,
} from './sql.js';
export {
  toCheckPlan,
  compileCheckPlan,
  datasetScan,
  textCastPattern,
  describeThreshold,
  reasonSql,
  shownValueSql,
  type CheckPlan,
  type CheckPlanOptions,
  type DatasetScan,
  type PlanColumn,
  type PlanRowRule,
  type PlanDatasetRule,
  type PlanSkipped,
} from './check-plan.js';
