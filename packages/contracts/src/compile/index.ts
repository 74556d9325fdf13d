// Barrel of src/compile: the contract compilers (JSON Schema, TypeScript, validator module, Glue
// columns, quality IR → DQDL and SQL).
export { selectObject, columnName, snakeCase, type SelectedObject } from './schema-object.js';
export { toJsonSchema, type JsonSchema, type JsonSchemaDraft, type JsonSchemaOptions } from './json-schema.js';
export { toTypeScript, recordTypeName, type TypeScriptOptions } from './typescript.js';
export { toValidatorModule, type ValidatorModuleOptions } from './validator-module.js';
export { toGlueColumns, glueType, normalisePhysicalType, type GlueColumn, type GlueTableColumns, type GlueOptions } from './glue.js';
export {
  compileQuality, bindQuery, ruleThreshold, isZeroTolerance,
  type QualityCheck, type QualityCheckKind, type CheckBase, type Comparison, type Bound, type Scalar, type QualityOptions,
} from './quality-ir.js';
export { toDqdl, dqdlString, type DqdlOptions } from './dqdl.js';
export { toSqlChecks, metricSql, compareSql, sqlDialect, javaRegex, type SqlChecks, type SqlOptions, type SqlDialect, type Dialect, type RowPredicate, type DatasetCheck } from './sql.js';
export {
  toCheckPlan, textCastPattern, describeThreshold, reasonSql, shownValueSql,
  type CheckPlan, type CheckPlanOptions, type PlanColumn, type PlanRowRule, type PlanDatasetRule, type PlanSkipped,
} from './check-plan.js';
