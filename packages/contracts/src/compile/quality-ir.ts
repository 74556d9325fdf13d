import type { Path } from '../load/source.js';
import type { OdcsContract, QualityRule, SchemaProperty, SlaProperty } from '../odcs.js';
import { readSlaValue } from '../diff/sla.js';
import { canonicalJson } from '../repository/canonical-json.js';
import { effectiveLogicalType } from './types.js';
import { byPosition, columnName, normaliseSeverity, ruleMetric, selectObject, snakeCase } from './schema-object.js';

/**
 * A normalised threshold: the check passes when `metric <op> value` (or the metric lies in / out
 * of the closed interval `[min, max]` for `between` / `notBetween`).
 */
export type Comparison =
  | { op: '=' | '!=' | '>' | '>=' | '<' | '<='; value: number }
  | { op: 'between' | 'notBetween'; min: number; max: number };

/** One end of a value range. Numbers for integer/number columns, ISO text for date/timestamp. */
export interface Bound {
  value: number | string;
  exclusive: boolean;
}

/** A value of an allowed-values or missing-values list. */
export type Scalar = string | number | boolean | null;

/** What every check has. */
export interface CheckBase {
  /** The rule's `id` when it has one, else `<column>.<kind>` (`<object>.<kind>` for table checks); unique within the list. */
  id: string;
  severity: 'error' | 'warning';
  /** Columns (storage names, as in Glue: `physicalName ?? name`, snake_cased); empty for table checks. */
  columns: string[];
  /**
   * True when a single row can be blamed: the check has a per-row predicate and tolerates no bad
   * row. Row-level checks become row predicates (quarantine), the others dataset checks.
   */
  rowLevel: boolean;
  /** Threshold on the check's metric (for row checks: the number or percentage of bad rows). */
  threshold: Comparison;
  /** Unit of the metric: bad `rows`, `percent` of rows, `hours` (freshness) or the query's own `value` (sql). */
  unit: 'rows' | 'percent' | 'hours' | 'value';
  /** Where the check comes from in the contract, e.g. `['schema', 0, 'properties', 3, 'quality', 0]`. */
  source: Path;
  /** True when the column is list- or struct-typed (DQDL cannot check it). */
  nested?: boolean;
  /** The rule's description, if any. */
  description?: string;
}

/**
 * One quality check, the single intermediate representation both DQDL and SQL are compiled from.
 * Row measures (bad row = …): `required`/`nullValues` (null), `missingValues` (value in
 * `values`; `null` in the list counts nulls), `allowedValues`/`invalidValues` (non-null value not
 * in `values` or not matching `pattern`), `pattern`, `range`, `length` (non-null value outside).
 * A null never fails a value check: nulls are the business of `required`.
 * Dataset measures: `unique`/`duplicateValues` (non-null rows that repeat an earlier value of the
 * column tuple), `primaryKey` (unique and complete), `rowCount`, `freshness` (age in hours of
 * the oldest non-null value; timestamps without zone are UTC), `sql` (the query's value).
 */
export type QualityCheck =
  | (CheckBase & { kind: 'required' | 'nullValues' })
  | (CheckBase & { kind: 'missingValues'; values: Scalar[] })
  | (CheckBase & { kind: 'allowedValues'; values: Scalar[] })
  | (CheckBase & { kind: 'invalidValues'; values?: Scalar[]; pattern?: string })
  | (CheckBase & { kind: 'pattern'; pattern: string })
  | (CheckBase & { kind: 'range'; valueType: 'number' | 'date' | 'timestamp'; min?: Bound; max?: Bound })
  | (CheckBase & { kind: 'length'; minLength?: number; maxLength?: number })
  | (CheckBase & { kind: 'unique' | 'duplicateValues' | 'primaryKey' | 'rowCount' })
  | (CheckBase & { kind: 'freshness'; maxAgeHours: number })
  | (CheckBase & { kind: 'sql'; query: string })
  | (CheckBase & { kind: 'skipped'; reason: string });

/** The kinds of {@link QualityCheck}. */
export type QualityCheckKind = QualityCheck['kind'];

/** Options of {@link compileQuality}. */
export interface QualityOptions {
  /** Name of the schema object. @default the contract's only object */
  object?: string;
}

const ZERO: Comparison = { op: '=', value: 0 };

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
 * - `text` and `custom` rules, rules on nested properties and rules without a usable operator
 *   → kind `skipped` with the reason.
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

  props.forEach((p, j) => {
    const col = columnName(p);
    const nested = p.logicalType === 'object' || p.logicalType === 'array';
    const at = [...base, 'properties', j];
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
    if (effectiveLogicalType(p) === 'string') {
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
    (p.quality ?? []).forEach((rule, k) =>
      out.add(
        ruleCheck(rule, [...at, 'quality', k], {
          column: col,
          nested,
          table,
          ...(p.logicalType ? { logicalType: p.logicalType } : {}),
        }),
      ),
    );
    nestedRules(p, at, out);
  });

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

/**
 * The description of the minimal check `table.rowCount` (`RowCount >= 0`) that
 * {@link compileQuality} adds to a schema object without any executable check: Glue refuses an
 * empty ruleset (`Rules = []`), and the local run evaluates the same check (the row count, always
 * passing), so both engines keep one rule list. The lint warning CONTRACT-SCHEMA-QUALITY asks for
 * real rules.
 */
export const MINIMAL_RULE_DESCRIPTION =
  'Meshkit minimal rule: the schema object has no executable quality check, and a Glue ruleset needs one (RowCount >= 0 always passes)';

/** Replaces `${object}`, `{object}`, `${table}` and `{table}` in a `sql` check's query by `table`; strips trailing `;`. */
export function bindQuery(query: string, table: string): string {
  return query
    .replace(/\$?\{(?:object|table)\}/g, () => table)
    .trim()
    .replace(/;+\s*$/, '');
}

type Draft = QualityCheck extends infer C ? (C extends QualityCheck ? Omit<C, 'id'> & { id?: string } : never) : never;

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

/** The comparison of a rule's operator, or why there is none. */
export function ruleThreshold(rule: QualityRule): Comparison | string {
  const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
  const pair = (v: unknown): v is [number, number] => Array.isArray(v) && v.length === 2 && num(v[0]) && num(v[1]);
  if ('mustBe' in rule) return num(rule.mustBe) ? { op: '=', value: rule.mustBe } : 'mustBe is not a number';
  if ('mustNotBe' in rule)
    return num(rule.mustNotBe) ? { op: '!=', value: rule.mustNotBe } : 'mustNotBe is not a number';
  if (num(rule.mustBeGreaterThan)) return { op: '>', value: rule.mustBeGreaterThan };
  if (num(rule.mustBeGreaterOrEqualTo)) return { op: '>=', value: rule.mustBeGreaterOrEqualTo };
  if (num(rule.mustBeLessThan)) return { op: '<', value: rule.mustBeLessThan };
  if (num(rule.mustBeLessOrEqualTo)) return { op: '<=', value: rule.mustBeLessOrEqualTo };
  if (pair(rule.mustBeBetween))
    return { op: 'between', min: Math.min(...rule.mustBeBetween), max: Math.max(...rule.mustBeBetween) };
  if (pair(rule.mustNotBeBetween))
    return { op: 'notBetween', min: Math.min(...rule.mustNotBeBetween), max: Math.max(...rule.mustNotBeBetween) };
  return 'the rule has no operator (mustBe, mustBeLessThan, …)';
}

/** True when a threshold on a count or percentage of bad rows tolerates none. */
export function isZeroTolerance(t: Comparison, unit: CheckBase['unit']): boolean {
  if (t.op === '=' || t.op === '<=') return t.value === 0;
  if (t.op === '<') return unit === 'rows' ? t.value > 0 && t.value <= 1 : false;
  if (t.op === 'between') return t.min <= 0 && t.max === 0;
  return false;
}

const scalars = (v: unknown): Scalar[] | undefined =>
  Array.isArray(v) && v.every((x) => x === null || ['string', 'number', 'boolean'].includes(typeof x))
    ? (v as Scalar[])
    : undefined;

interface RuleContext {
  column?: string;
  nested?: boolean;
  table: string;
  props?: SchemaProperty[];
  logicalType?: string;
}

function ruleCheck(rule: QualityRule, source: Path, ctx: RuleContext): Draft {
  const severity = normaliseSeverity(rule.severity);
  const columns = ctx.column ? [ctx.column] : [];
  const common = {
    ...(typeof rule.id === 'string' ? { id: rule.id } : {}),
    severity,
    columns,
    source,
    ...(rule.description ? { description: rule.description } : {}),
    ...(ctx.nested ? { nested: true } : {}),
  };
  const skip = (reason: string): Draft => ({
    ...common,
    kind: 'skipped',
    rowLevel: false,
    threshold: ZERO,
    unit: 'rows',
    reason,
  });
  const type = rule.type ?? (ruleMetric(rule) !== undefined ? 'library' : undefined);
  if (type === 'text') return skip('text rules are documentation, not executable');
  if (type === 'custom')
    return skip(`custom rules (engine ${String(rule.engine ?? 'unknown')}) are not executed by Meshkit`);
  const threshold = ruleThreshold(rule);
  if (typeof threshold === 'string') return skip(threshold);
  if (type === 'sql') {
    if (typeof rule.query !== 'string' || !rule.query.trim()) return skip('sql rule without a query');
    const query = ctx.column ? rule.query.replace(/\$?\{(?:property|column)\}/g, () => ctx.column!) : rule.query;
    return { ...common, kind: 'sql', rowLevel: false, threshold, unit: 'value', query };
  }
  if (type !== 'library') return skip(`unknown rule type '${String(type)}'`);
  const metric = ruleMetric(rule);
  const unit = rule.unit === 'percent' ? 'percent' : 'rows';
  if (rule.unit !== undefined && rule.unit !== 'percent' && rule.unit !== 'rows')
    return skip(`unit '${rule.unit}' is not rows or percent`);
  const zero = isZeroTolerance(threshold, unit);
  const args = rule.arguments ?? {};
  if (metric === 'rowCount') {
    if (ctx.column) return skip('rowCount is a schema-level metric');
    return { ...common, kind: 'rowCount', rowLevel: false, threshold, unit: 'rows' };
  }
  if (metric === 'duplicateValues') {
    let cols = columns;
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
  switch (metric) {
    case 'nullValues':
      return { ...common, kind: zero ? 'required' : 'nullValues', rowLevel: zero, threshold, unit };
    case 'missingValues': {
      const values =
        args.missingValues === undefined
          ? ctx.logicalType === undefined || ctx.logicalType === 'string'
            ? [null, '']
            : [null]
          : scalars(args.missingValues);
      if (!values) return skip('arguments.missingValues must be a list of values');
      return { ...common, kind: 'missingValues', rowLevel: zero, threshold, unit, values };
    }
    case 'invalidValues': {
      const values = args.validValues === undefined ? undefined : scalars(args.validValues);
      const pattern = typeof args.pattern === 'string' ? args.pattern : undefined;
      if (args.validValues !== undefined && !values) return skip('arguments.validValues must be a list of values');
      if (!values && pattern === undefined)
        return skip('invalidValues needs arguments.validValues or arguments.pattern');
      if (zero && values && pattern === undefined)
        return { ...common, kind: 'allowedValues', rowLevel: true, threshold, unit, values };
      if (zero && !values && pattern !== undefined)
        return { ...common, kind: 'pattern', rowLevel: true, threshold, unit, pattern };
      return {
        ...common,
        kind: 'invalidValues',
        rowLevel: zero,
        threshold,
        unit,
        ...(values ? { values } : {}),
        ...(pattern !== undefined ? { pattern } : {}),
      };
    }
    default:
      return skip(`unknown library metric '${String(metric)}'`);
  }
}

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

function freshnessCheck(
  contract: OdcsContract,
  sla: SlaProperty,
  source: Path,
  props: SchemaProperty[],
  objectName: string,
  physicalName?: string,
): Draft | undefined {
  if (!/^(latency|freshness)$/i.test(sla.property)) return undefined;
  const element = typeof sla.element === 'string' ? sla.element : contract.slaDefaultElement;
  if (typeof element !== 'string') return undefined;
  const dot = element.lastIndexOf('.');
  const owner = dot >= 0 ? element.slice(0, dot) : undefined;
  const colName = element.slice(dot + 1);
  const objects = contract.schema ?? [];
  const names = (n: string | undefined) => n?.toLowerCase();
  // An element that names another object of the contract is that object's business.
  if (
    owner !== undefined &&
    names(owner) !== names(objectName) &&
    names(owner) !== names(physicalName) &&
    objects.some((o) => names(o.name) === names(owner) || names(o.physicalName) === names(owner))
  )
    return undefined;
  const prop = props.find((p) => names(p.name) === names(colName) || names(p.physicalName) === names(colName));
  const severity = normaliseSeverity(sla.severity);
  if (!prop) {
    if (owner !== undefined && names(owner) !== names(objectName) && names(owner) !== names(physicalName))
      return undefined;
    return {
      kind: 'skipped',
      columns: [],
      severity,
      rowLevel: false,
      threshold: ZERO,
      unit: 'hours',
      source,
      reason: `SLA ${sla.property} element '${element}' names no column of ${objectName}`,
    };
  }
  const column = columnName(prop);
  // Read as the diff reads it (number + unit, 25h, PT15M, …); a bare number without a unit is days.
  const read = readSlaValue(sla);
  const hours =
    read.kind === 'duration'
      ? read.ms / 3_600_000
      : read.kind === 'number' && read.unit === ''
        ? read.value * 24
        : Number.NaN;
  if (!(hours > 0)) {
    return {
      kind: 'skipped',
      columns: [column],
      severity,
      rowLevel: false,
      threshold: ZERO,
      unit: 'hours',
      source,
      reason: `SLA ${sla.property} needs a positive duration (a number with a unit such as d, h or m; 25h; PT15M)`,
    };
  }
  if (!['date', 'timestamp'].includes(effectiveLogicalType(prop) ?? '')) {
    return {
      kind: 'skipped',
      columns: [column],
      severity,
      rowLevel: false,
      threshold: ZERO,
      unit: 'hours',
      source,
      reason: `SLA ${sla.property} element '${element}' is not a date or timestamp column`,
    };
  }
  return {
    ...(typeof sla.id === 'string' ? { id: sla.id } : {}),
    kind: 'freshness',
    columns: [column],
    severity,
    rowLevel: false,
    threshold: { op: '<=', value: hours },
    unit: 'hours',
    maxAgeHours: hours,
    source,
  };
}
