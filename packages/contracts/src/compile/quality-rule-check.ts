/**
 * One ODCS quality rule as a check of the quality IR: `sql` rules, the library metrics
 * (nullValues, missingValues, invalidValues, duplicateValues, rowCount) with their thresholds, and
 * the rules Meshkit does not execute (`text`, `custom`, no usable operator), skipped with the reason.
 */
import type { Path } from '../load/source.js';
import type { QualityRule, SchemaProperty } from '../odcs.js';
import {
  isZeroTolerance,
  ruleThreshold,
  scalarList,
  typedList,
  valueTypeOf,
  ZERO,
  type CheckBase,
  type Comparison,
  type Draft,
  type ValueType,
} from './quality-ir.js';
import { columnName, normaliseSeverity, ruleMetric } from './schema-object.js';

/** Where a rule sits: on a property (`column`) or on the schema object (`props`: the object's properties). */
export interface RuleContext {
  column?: string;
  nested?: boolean;
  table: string;
  props?: SchemaProperty[];
  logicalType?: string;
}

/** What every check of one rule has: its id, severity, columns, source, description. */
type RuleCommon = Pick<CheckBase, 'severity' | 'columns' | 'source' | 'description' | 'nested'> & { id?: string };

/** The check of one rule at `source`. */
export function ruleCheck(rule: QualityRule, source: Path, ctx: RuleContext): Draft {
  const severity = normaliseSeverity(rule.severity);
  const columns = ctx.column ? [ctx.column] : [];
  const common: RuleCommon = {
    ...(typeof rule.id === 'string' ? { id: rule.id } : {}),
    severity,
    columns,
    source,
    ...(rule.description ? { description: rule.description } : {}),
    ...(ctx.nested ? { nested: true } : {}),
  };
  const skip = skipper(common);
  const type = rule.type ?? (ruleMetric(rule) !== undefined ? 'library' : undefined);
  if (type === 'text') return skip('text rules are documentation, not executable', false);
  if (type === 'custom')
    return skip(`custom rules (engine ${String(rule.engine ?? 'unknown')}) are not executed by Meshkit`, false);
  const threshold = ruleThreshold(rule);
  if (typeof threshold === 'string') return skip(threshold);
  if (type === 'sql') {
    if (typeof rule.query !== 'string' || !rule.query.trim()) return skip('sql rule without a query');
    const query = ctx.column ? rule.query.replace(/\$?\{(?:property|column)\}/g, () => ctx.column!) : rule.query;
    return { ...common, kind: 'sql', rowLevel: false, threshold, unit: 'value', query };
  }
  if (type !== 'library') return skip(`unknown rule type '${String(type)}'`);
  if (rule.unit !== undefined && rule.unit !== 'percent' && rule.unit !== 'rows')
    return skip(`unit '${rule.unit}' is not rows or percent`);
  return libraryCheck(rule, threshold, ctx, common);
}

/** A `skipped` check of the rule, with the reason; a mistake unless `mistake` is false (skipped by design). */
function skipper(common: RuleCommon): (reason: string, mistake?: boolean) => Draft {
  return (reason, mistake = true) => ({
    ...common,
    kind: 'skipped',
    rowLevel: false,
    threshold: ZERO,
    unit: 'rows',
    reason,
    ...(mistake ? { mistake } : {}),
  });
}

/** A library rule (a metric with a threshold, in rows or percent). */
function libraryCheck(rule: QualityRule, threshold: Comparison, ctx: RuleContext, common: RuleCommon): Draft {
  const skip = skipper(common);
  const metric = ruleMetric(rule);
  const unit = rule.unit === 'percent' ? 'percent' : 'rows';
  const zero = isZeroTolerance(threshold, unit);
  const args = rule.arguments ?? {};
  if (metric === 'rowCount') {
    if (ctx.column) return skip('rowCount is a schema-level metric');
    return { ...common, kind: 'rowCount', rowLevel: false, threshold, unit: 'rows' };
  }
  if (metric === 'duplicateValues') {
    let cols = common.columns;
    if (!ctx.column) {
      const names = Array.isArray(args.properties)
        ? args.properties.filter((x): x is string => typeof x === 'string')
        : [];
      const found = names.map((n) => ctx.props?.find((p) => p.name === n || p.physicalName === n));
      if (!names.length) return skip('duplicateValues at schema level needs arguments.properties');
      if (found.some((f) => !f)) return skip(`duplicateValues names unknown properties (${names.join(', ')})`);
      cols = found.map((f) => columnName(f!));
    }
    return { ...common, columns: cols, kind: zero ? 'unique' : 'duplicateValues', rowLevel: false, threshold, unit };
  }
  if (!ctx.column) return skip(`${String(metric)} is a property-level metric`);
  const valueType = valueTypeOf(ctx.logicalType);
  switch (metric) {
    case 'nullValues':
      return { ...common, kind: zero ? 'required' : 'nullValues', rowLevel: zero, threshold, unit };
    case 'missingValues': {
      const values =
        args.missingValues === undefined
          ? valueType === 'string'
            ? [null, '']
            : [null]
          : scalarList(args.missingValues);
      if (!values) return skip('arguments.missingValues must be a list of values');
      return { ...common, kind: 'missingValues', rowLevel: zero, threshold, unit, ...typedList(values, valueType) };
    }
    case 'invalidValues':
      return invalidValuesCheck(args, zero, threshold, unit, { ...common, valueType });
    default:
      return skip(`unknown library metric '${String(metric)}'`);
  }
}

/**
 * `invalidValues` (`arguments.validValues` and/or `arguments.pattern`): with a zero tolerance, the
 * row-level `allowedValues` or `pattern` when only one of them is given.
 */
function invalidValuesCheck(
  args: Record<string, unknown>,
  zero: boolean,
  threshold: Comparison,
  unit: 'rows' | 'percent',
  { valueType, ...common }: RuleCommon & { valueType: ValueType | undefined },
): Draft {
  const values = args.validValues === undefined ? undefined : scalarList(args.validValues);
  const pattern = typeof args.pattern === 'string' ? args.pattern : undefined;
  const skip = skipper(common);
  if (args.validValues !== undefined && !values) return skip('arguments.validValues must be a list of values');
  if (!values && pattern === undefined) return skip('invalidValues needs arguments.validValues or arguments.pattern');
  if (pattern !== undefined && valueType !== undefined && valueType !== 'string')
    return skip(`arguments.pattern checks text, and the column is ${valueType}`);
  if (zero && values && pattern === undefined)
    return { ...common, kind: 'allowedValues', rowLevel: true, threshold, unit, ...typedList(values, valueType) };
  if (zero && !values && pattern !== undefined)
    return { ...common, kind: 'pattern', rowLevel: true, threshold, unit, pattern };
  return {
    ...common,
    kind: 'invalidValues',
    rowLevel: zero,
    threshold,
    unit,
    ...(values ? typedList(values, valueType) : {}),
    ...(pattern !== undefined ? { pattern } : {}),
  };
}
