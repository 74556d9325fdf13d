import { MeshError } from '../errors.js';
import type { OdcsContract, QualityRule, SchemaObject, SchemaProperty } from '../odcs.js';
import { scalarList, typedList, valueTypeOf } from './quality-ir.js';
import { effectiveLogicalType } from './types.js';

/** The schema object a compiler works on, and its index in `contract.schema`. */
export interface SelectedObject {
  object: SchemaObject;
  index: number;
}

/**
 * Picks the schema object to compile.
 *
 * @param name the object's `name` (or `physicalName`); @default the only object of the contract
 * @throws {@link MeshError} `USAGE` (exit 2) when the name matches no object, when the contract
 * has no schema object, or when it has several and none was chosen.
 */
export function selectObject(contract: OdcsContract, name?: string): SelectedObject {
  const objects = contract.schema ?? [];
  const names = objects.map((o) => o.name).join(', ');
  if (name !== undefined) {
    let index = objects.findIndex((o) => o.name === name);
    if (index < 0) index = objects.findIndex((o) => o.physicalName === name);
    const object = objects[index];
    if (!object) {
      throw new MeshError('USAGE', `contract has no schema object '${name}'${names ? ` (objects: ${names})` : ''}`, {
        exitCode: 2,
      });
    }
    return { object, index };
  }
  if (objects.length === 0) throw new MeshError('USAGE', 'contract has no schema object to compile', { exitCode: 2 });
  if (objects.length > 1) {
    throw new MeshError('USAGE', `contract has several schema objects (${names}): choose one with --object`, {
      exitCode: 2,
    });
  }
  return { object: objects[0]!, index: 0 };
}

/**
 * A storage-safe column name: `physicalName ?? name`, camelCase split into snake_case, lower-cased,
 * every character outside `[a-z0-9_]` replaced by `_` (Glue/Hive lower-cases names anyway).
 * `DataValue` → `data_value`, `txn-ref dt` → `txn_ref_dt`.
 */
export function columnName(prop: { name?: string; physicalName?: string }): string {
  return snakeCase(prop.physicalName ?? prop.name ?? 'col');
}

/** `OrderLines` → `order_lines`, `order-id` → `order_id` (see {@link columnName}). */
export function snakeCase(raw: string): string {
  const s = raw
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^_(?=.)|(?<=.)_$/g, '');
  return s === '' || s === '_' ? 'col' : s;
}

/** The library metric of a rule (`metric`, or its deprecated spelling `rule`). */
export function ruleMetric(rule: QualityRule): string | undefined {
  if (rule.metric !== undefined) return rule.metric;
  return typeof rule.rule === 'string' ? rule.rule : undefined;
}

/** True when the rule is an error-level (the default) library rule `metric` with `mustBe: 0`. */
export function isStrictZeroRule(rule: QualityRule, metric: string): boolean {
  return (
    ruleMetric(rule) === metric &&
    (rule.type === undefined || rule.type === 'library') &&
    rule.mustBe === 0 &&
    normaliseSeverity(rule.severity) === 'error'
  );
}

/**
 * The values a property may take according to its `invalidValues` rule with
 * `arguments.validValues` and `mustBe: 0` (error severity only: a warning must not reject records),
 * as values of the property's type, as the quality checks compare them ({@link listValues}: YAML's
 * `[1, 2]` are the texts `'1'`, `'2'` of a string property); as written when an entry is not.
 */
export function allowedValues(prop: SchemaProperty): unknown[] | undefined {
  for (const rule of prop.quality ?? []) {
    const valid = rule.arguments?.validValues;
    if (isStrictZeroRule(rule, 'invalidValues') && Array.isArray(valid)) {
      const scalars = scalarList(valid);
      return scalars ? typedList(scalars, valueTypeOf(effectiveLogicalType(prop))).values : valid;
    }
  }
  return undefined;
}

/** The pattern of a property: `logicalTypeOptions.pattern`, else an `invalidValues` rule's `arguments.pattern` with `mustBe: 0`. */
export function propertyPattern(prop: SchemaProperty): string | undefined {
  const own = prop.logicalTypeOptions?.pattern;
  if (typeof own === 'string') return own;
  for (const rule of prop.quality ?? []) {
    const p = rule.arguments?.pattern;
    if (isStrictZeroRule(rule, 'invalidValues') && typeof p === 'string' && !Array.isArray(rule.arguments?.validValues))
      return p;
  }
  return undefined;
}

/**
 * True when a record must carry a non-null value: `required: true`, `primaryKey: true`, or an
 * error-level `nullValues` rule with `mustBe: 0`.
 */
export function isNotNull(prop: SchemaProperty): boolean {
  return (
    prop.required === true ||
    prop.primaryKey === true ||
    (prop.quality ?? []).some((r) => isStrictZeroRule(r, 'nullValues'))
  );
}

/** ODCS severity → `error` | `warning`: `warning`, `warn` and `info` are warnings, anything else (or none) an error. */
export function normaliseSeverity(severity: unknown): 'error' | 'warning' {
  return typeof severity === 'string' && /^(warn|warning|info)$/i.test(severity.trim()) ? 'warning' : 'error';
}

/** Properties sorted by a 1-based position field; missing or negative positions keep declaration order, after the others. */
export function byPosition<T extends SchemaProperty>(
  props: T[],
  key: 'primaryKeyPosition' | 'partitionKeyPosition',
): T[] {
  const pos = (p: T): number => {
    const v = p[key];
    return typeof v === 'number' && v >= 0 ? v : Number.POSITIVE_INFINITY;
  };
  return props
    .map((p, i) => ({ p, i }))
    .sort((a, b) => pos(a.p) - pos(b.p) || a.i - b.i)
    .map((x) => x.p);
}

/**
 * The `items` of an array property, typed as a property (ODCS items are properties without a
 * required name; `SchemaItem` loses its fields through `Omit` over an index signature).
 */
export function itemOf(prop: SchemaProperty): SchemaProperty | undefined {
  const items = prop.items as unknown;
  return items !== null && typeof items === 'object' && !Array.isArray(items) ? (items as SchemaProperty) : undefined;
}
