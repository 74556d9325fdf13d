/**
 * `compileQuality`: the quality IR (quality-ir.ts) of one schema object, from its properties'
 * structural constraints, its quality rules (quality-rule-check.ts) and the contract's freshness
 * SLA (quality-freshness.ts).
 */
import type { Path } from '../load/source.js';
import type { LogicalTypeOptions, OdcsContract, SchemaProperty } from '../odcs.js';
import {
  MINIMAL_RULE_DESCRIPTION,
  ZERO,
  type Bound,
  type CheckBase,
  type Draft,
  type QualityCheck,
} from './quality-ir.js';
import { canonicalJson } from '../repository/canonical-json.js';
import { freshnessCheck } from './quality-freshness.js';
import { ruleCheck } from './quality-rule-check.js';
import { byPosition, columnName, normaliseSeverity, selectObject, snakeCase } from './schema-object.js';
import { effectiveLogicalType } from './types.js';

/** Options of {@link compileQuality}. */
export interface QualityOptions {
  /** Name of the schema object. @default the contract's only object */
  object?: string;
}

/**
 * Compiles the quality expectations of one schema object into checks:
 *
 * - structural: `required: true` → required; `unique: true` → unique; `primaryKey` columns →
 *   one primaryKey check (composite, by `primaryKeyPosition`) plus required per key column;
 *   `logicalTypeOptions` minimum/maximum/exclusive* (integer, number, date, timestamp) → range,
 *   minLength/maxLength → length, pattern → pattern;
 * - library rules (property and object level): nullValues, missingValues
 *   (`arguments.missingValues`, default `[null, '']`, `[null]` for non-string columns), invalidValues (`arguments.validValues`
 *   or `arguments.pattern`), duplicateValues (object level: `arguments.properties`), rowCount,
 *   with any operator and `unit` rows (default) or percent. A zero tolerance (`mustBe: 0`)
 *   gives the row-level kinds required / allowedValues / pattern / unique;
 * - `type: sql` rules → sql (`${property}`/`{property}`/`${column}` replaced by the column now,
 *   `${object}`/`{object}`/`${table}` later by the compiler: see {@link bindQuery});
 * - freshness from the contract's SLA: `slaProperties` entries `latency` or `freshness` whose
 *   `element` (or `slaDefaultElement`) names a column of this object (`table.column` or
 *   `column`), value in `unit` d/h/m (default days);
 * - `text` and `custom` rules, rules on nested properties and time ranges → kind `skipped` with
 *   the reason; so are rules written wrong (no usable operator, an unknown metric, missing
 *   arguments, a pattern on a non-text column, …), flagged `mistake` (a lint error, and
 *   `mesh run` refuses them).
 *
 * Derived checks identical to an earlier one (same kind, columns, parameters, threshold and
 * severity) are dropped; rules with an `id` are always kept. Order is stable. An object with no
 * executable check (none, or only skipped and nested ones) gets the minimal check
 * `table.rowCount` `>= 0` (see {@link MINIMAL_RULE_DESCRIPTION}).
 */
export function compileQuality(contract: OdcsContract, options: QualityOptions = {}): QualityCheck[] {
  const { object, index } = selectObject(contract, options.object);
  const table = snakeCase(object.name);
  const props = object.properties ?? [];
  const out = new Builder();
  const base = ['schema', index] as const;
  props.forEach((p, j) => propertyChecks(p, [...base, 'properties', j], table, out));
  const keys = byPosition(
    props.filter((p) => p.primaryKey === true),
    'primaryKeyPosition',
  );
  if (keys.length) {
    out.add({
      kind: 'primaryKey',
      columns: keys.map(columnName),
      severity: 'error',
      threshold: ZERO,
      unit: 'rows',
      rowLevel: false,
      source: [...base, 'properties', props.indexOf(keys[0]!), 'primaryKey'],
    });
  }
  (object.quality ?? []).forEach((rule, k) => out.add(ruleCheck(rule, [...base, 'quality', k], { table, props })));
  (contract.slaProperties ?? []).forEach((sla, k) => {
    const check = freshnessCheck(contract, sla, ['slaProperties', k], props, object.name, object.physicalName);
    if (check) out.add(check);
  });
  if (!out.checks.some((c) => c.kind !== 'skipped' && !c.nested)) {
    out.add({
      kind: 'rowCount',
      columns: [],
      severity: 'error',
      threshold: { op: '>=', value: 0 },
      unit: 'rows',
      rowLevel: false,
      source: [...base],
      description: MINIMAL_RULE_DESCRIPTION,
    });
  }
  return out.checks;
}

/** The checks of one property (at `at`): structural ones, then its rules, then its nested properties' rules. */
function propertyChecks(p: SchemaProperty, at: Path, table: string, out: Builder): void {
  const col = columnName(p);
  const nested = p.logicalType === 'object' || p.logicalType === 'array';
  const common = {
    columns: [col],
    severity: 'error' as const,
    threshold: ZERO,
    unit: 'rows' as const,
    ...(nested ? { nested: true } : {}),
  };
  if (p.required === true || p.primaryKey === true) {
    out.add({
      ...common,
      kind: 'required',
      rowLevel: true,
      source: [...at, p.required === true ? 'required' : 'primaryKey'],
    });
  }
  if (p.unique === true) out.add({ ...common, kind: 'unique', rowLevel: false, source: [...at, 'unique'] });
  const o = p.logicalTypeOptions ?? {};
  const range = rangeOf(p);
  if (range) out.add({ ...common, kind: 'range', rowLevel: true, source: [...at, 'logicalTypeOptions'], ...range });
  else if (
    p.logicalType === 'time' &&
    (o.minimum !== undefined ||
      o.maximum !== undefined ||
      o.exclusiveMinimum !== undefined ||
      o.exclusiveMaximum !== undefined)
  ) {
    out.add({
      ...common,
      kind: 'skipped',
      rowLevel: false,
      source: [...at, 'logicalTypeOptions'],
      reason: 'time ranges are not checked (Spark has no TIME type)',
    });
  }
  if (effectiveLogicalType(p) === 'string') stringChecks(o, at, common, out);
  (p.quality ?? []).forEach((rule, k) =>
    out.add(
      ruleCheck(rule, [...at, 'quality', k], {
        column: col,
        nested,
        table,
        ...(effectiveLogicalType(p) ? { logicalType: effectiveLogicalType(p) } : {}),
      }),
    ),
  );
  nestedRules(p, at, out);
}

/** `length` and `pattern` checks of a string property's `logicalTypeOptions`. */
function stringChecks(
  o: LogicalTypeOptions,
  at: Path,
  common: Pick<CheckBase, 'columns' | 'severity' | 'threshold' | 'unit' | 'nested'>,
  out: Builder,
): void {
  const minLength = typeof o.minLength === 'number' ? o.minLength : undefined;
  const maxLength = typeof o.maxLength === 'number' ? o.maxLength : undefined;
  if (minLength !== undefined || maxLength !== undefined) {
    out.add({
      ...common,
      kind: 'length',
      rowLevel: true,
      source: [...at, 'logicalTypeOptions'],
      ...(minLength !== undefined ? { minLength } : {}),
      ...(maxLength !== undefined ? { maxLength } : {}),
    });
  }
  if (typeof o.pattern === 'string')
    out.add({
      ...common,
      kind: 'pattern',
      rowLevel: true,
      source: [...at, 'logicalTypeOptions', 'pattern'],
      pattern: o.pattern,
    });
}

/** The checks of one object, deduplicated, each with a unique id. */
class Builder {
  readonly checks: QualityCheck[] = [];
  readonly #ids = new Set<string>();
  readonly #signatures = new Set<string>();

  add(draft: Draft | undefined): void {
    if (!draft) return;
    const { id: own, source: _s, description: _d, ...rest } = draft;
    const signature = canonicalJson(rest);
    if (own === undefined && draft.kind !== 'skipped' && this.#signatures.has(signature)) return;
    this.#signatures.add(signature);
    let id = own ?? `${draft.columns.length ? draft.columns.join('+') : 'table'}.${draft.kind}`;
    for (let n = 2; this.#ids.has(id); n++) id = `${own ?? `${draft.columns.join('+') || 'table'}.${draft.kind}`}_${n}`;
    this.#ids.add(id);
    this.checks.push({ ...draft, id });
  }
}

/** The value range a property's `logicalTypeOptions` declare, for number, date and timestamp columns. */
function rangeOf(
  p: SchemaProperty,
): { valueType: 'number' | 'date' | 'timestamp'; min?: Bound; max?: Bound } | undefined {
  const o = p.logicalTypeOptions ?? {};
  const logical = effectiveLogicalType(p);
  const valueType =
    logical === 'integer' || logical === 'number'
      ? 'number'
      : logical === 'date'
        ? 'date'
        : logical === 'timestamp'
          ? 'timestamp'
          : undefined;
  if (!valueType) return undefined;
  const ok = (v: unknown): v is number | string =>
    valueType === 'number' ? typeof v === 'number' && Number.isFinite(v) : typeof v === 'string' && v !== '';
  let min: Bound | undefined;
  let max: Bound | undefined;
  if (ok(o.exclusiveMinimum)) min = { value: o.exclusiveMinimum, exclusive: true };
  else if (ok(o.minimum)) min = { value: o.minimum, exclusive: o.exclusiveMinimum === true };
  if (ok(o.exclusiveMaximum)) max = { value: o.exclusiveMaximum, exclusive: true };
  else if (ok(o.maximum)) max = { value: o.maximum, exclusive: o.exclusiveMaximum === true };
  if (!min && !max) return undefined;
  return { valueType, ...(min ? { min } : {}), ...(max ? { max } : {}) };
}

/** Rules on the nested properties of `p` (at any depth): skipped, with the reason. */
function nestedRules(p: SchemaProperty, at: Path, out: Builder): void {
  const visit = (children: SchemaProperty[] | undefined, path: Path): void => {
    (children ?? []).forEach((c, j) => {
      const here = [...path, 'properties', j];
      (c.quality ?? []).forEach((rule, k) =>
        out.add({
          kind: 'skipped',
          columns: [columnName(p)],
          severity: normaliseSeverity(rule.severity),
          rowLevel: false,
          threshold: ZERO,
          unit: 'rows',
          source: [...here, 'quality', k],
          ...(typeof rule.id === 'string' ? { id: rule.id } : {}),
          reason: `rules on nested property '${c.name}' are not checked (neither DQDL nor the SQL checks address nested fields)`,
        }),
      );
      visit(c.properties, here);
    });
  };
  visit(p.properties, at);
}
