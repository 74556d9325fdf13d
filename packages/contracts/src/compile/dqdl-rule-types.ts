/**
 * The DQDL rule types Glue knows, from awslabs/dqdl `configuration/dqdl/rules-config.json`: their
 * parameter counts, return types, and whether they take a `where` clause or a threshold.
 */

/** What Glue allows of a rule type. */
export interface RuleType {
  /** Number of parameters, or `[min]` for a variadic last parameter (at least `min`). */
  params: number | [number];
  returns: string;
  threshold?: boolean;
  where?: boolean;
  analyzerOnly?: boolean;
}

const T = (params: RuleType['params'], returns: string, flags: Partial<RuleType> = {}): RuleType => ({
  params,
  returns,
  ...flags,
});
/** The rule types Glue knows, by name; several entries for overloads by parameter count. */
export const DQDL_RULE_TYPES: Readonly<Record<string, readonly RuleType[]>> = {
  RowCount: [T(0, 'NUMBER', { where: true })],
  RowCountMatch: [T(1, 'NUMBER')],
  ColumnCount: [T(0, 'NUMBER')],
  Completeness: [T(1, 'NUMBER', { where: true })],
  IsComplete: [T(1, 'BOOLEAN', { where: true })],
  ColumnDataType: [T(1, 'STRING', { threshold: true, where: true })],
  ColumnNamesMatchPattern: [T(1, 'BOOLEAN')],
  ColumnExists: [T(1, 'BOOLEAN')],
  ColumnCorrelation: [T(2, 'NUMBER', { where: true })],
  Uniqueness: [T([1], 'NUMBER', { where: true })],
  IsUnique: [T([1], 'BOOLEAN', { where: true })],
  Mean: [T(1, 'NUMBER', { where: true })],
  Sum: [T(1, 'NUMBER', { where: true })],
  StandardDeviation: [T(1, 'NUMBER', { where: true })],
  Variance: [T(1, 'NUMBER', { where: true })],
  Range: [T(1, 'NUMBER', { where: true })],
  Entropy: [T(1, 'NUMBER', { where: true })],
  DistinctValuesCount: [T(1, 'NUMBER', { where: true })],
  UniqueValueRatio: [T(1, 'NUMBER', { where: true })],
  ColumnLength: [T(1, 'NUMBER', { where: true })],
  IsPrimaryKey: [T([1], 'BOOLEAN', { where: true })],
  ColumnValues: [T(1, 'STRING_ARRAY|NUMBER_ARRAY|DATE_ARRAY', { threshold: true, where: true })],
  DataFreshness: [T(1, 'DURATION_ARRAY', { where: true })],
  CustomSql: [T(1, 'NUMBER|BOOLEAN', { threshold: true })],
  ReferentialIntegrity: [T(2, 'NUMBER')],
  DatasetMatch: [T(2, 'NUMBER'), T(3, 'NUMBER')],
  SchemaMatch: [T(1, 'NUMBER')],
  AggregateMatch: [T(2, 'NUMBER')],
  DetectAnomalies: [T([1], 'BOOLEAN')],
  AllStatistics: [T(1, 'NUMBER', { analyzerOnly: true })],
  FileMatch: [T(2, 'BOOLEAN'), T(1, 'STRING'), T(0, 'STRING')],
  FileUniqueness: [T(1, 'NUMBER'), T(0, 'NUMBER')],
  FileFreshness: [T(1, 'DATE', { threshold: true }), T(0, 'DATE', { threshold: true })],
  FileSize: [T(1, 'SIZE', { threshold: true }), T(0, 'SIZE', { threshold: true })],
};

/** The overload of rule type `name` that takes `count` parameters, if any. */
export function ruleType(name: string, count: number): RuleType | undefined {
  return DQDL_RULE_TYPES[name]?.find((t) => (Array.isArray(t.params) ? count >= t.params[0] : count === t.params));
}
