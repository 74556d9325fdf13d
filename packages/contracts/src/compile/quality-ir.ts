/**
 * The quality IR: one list of checks per schema object, compiled from a contract by
 * `compileQuality` (quality-compile.ts), from which the DQDL ruleset, the SQL checks and the Spark
 * checks are all generated. This module defines the checks and the helpers every compiler shares.
 */
import type { Path } from '../load/source.js';
import type { QualityRule } from '../odcs.js';

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

/**
 * The type of a column's values as a rule's value list (`missingValues`, `validValues`) holds
 * them: the column's logical type, text for `time` and for a column without one.
 */
export type ValueType = 'string' | 'integer' | 'number' | 'boolean' | 'date' | 'timestamp';

/** The {@link ValueType} of a column of this (effective) logical type; undefined for `object` and `array`. */
export function valueTypeOf(logicalType: string | undefined): ValueType | undefined {
  if (logicalType === 'object' || logicalType === 'array') return undefined;
  return logicalType === 'integer' ||
    logicalType === 'number' ||
    logicalType === 'boolean' ||
    logicalType === 'date' ||
    logicalType === 'timestamp'
    ? logicalType
    : 'string';
}

const INTEGER_TEXT = /^[+-]?\d+$/;
const NUMBER_TEXT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * The entries of a rule's value list as values of a column of `type`, the way both engines then
 * compare them: YAML reads `[1, 2]` as numbers, which for a text column are the texts `'1'` and
 * `'2'` (and `true` the text `'true'`); the text `'5'` is the number 5 for an integer or number
 * column, `'true'` the boolean for a boolean one; dates are `YYYY-MM-DD` and timestamps ISO texts
 * ({@link isTimestampText}). `null` stays (it counts nulls). Integers beyond ±2^53 are refused:
 * YAML numbers cannot hold them exactly.
 * @returns the typed values, or the problem naming the first entry that is not a value of `type`
 */
export function listValues(
  values: readonly Scalar[],
  type: ValueType | undefined,
): { values: Scalar[] } | { problem: string } {
  const out: Scalar[] = [];
  for (const v of values) {
    const typed = v === null || type === undefined ? v : typedValue(v, type);
    if (typed === undefined)
      return {
        problem: `${JSON.stringify(v)}, which is not ${type === 'integer' ? 'an' : 'a'} ${type} (the column's type)`,
      };
    out.push(typed);
  }
  return { values: out };
}

/** `v` when it is a list of scalars (strings, numbers, booleans, nulls), else undefined. */
export function scalarList(v: unknown): Scalar[] | undefined {
  return Array.isArray(v) && v.every((x) => x === null || ['string', 'number', 'boolean'].includes(typeof x))
    ? (v as Scalar[])
    : undefined;
}

/**
 * A rule's value list as values of the column's type ({@link listValues}), with the type. A list
 * holding a value of another type stays as written: the check's DQDL rule then has a problem
 * (`dqdlProblems`: a lint error, and `mesh run` refuses the contract).
 */
export function typedList(
  values: Scalar[],
  valueType: ValueType | undefined,
): { values: Scalar[]; valueType?: ValueType } {
  const typed = listValues(values, valueType);
  return { values: 'values' in typed ? typed.values : values, ...(valueType ? { valueType } : {}) };
}

function typedValue(v: string | number | boolean, type: ValueType): Scalar | undefined {
  const text = typeof v === 'string' ? v.trim() : undefined;
  switch (type) {
    case 'string':
      return String(v);
    case 'integer': {
      const n = typeof v === 'number' ? v : text !== undefined && INTEGER_TEXT.test(text) ? Number(text) : undefined;
      return n !== undefined && Number.isSafeInteger(n) ? n : undefined;
    }
    case 'number': {
      const n = typeof v === 'number' ? v : text !== undefined && NUMBER_TEXT.test(text) ? Number(text) : undefined;
      return n !== undefined && Number.isFinite(n) ? n : undefined;
    }
    case 'boolean':
      return typeof v === 'boolean'
        ? v
        : /^(true|false)$/i.test(text ?? '')
          ? text!.toLowerCase() === 'true'
          : undefined;
    case 'date':
      return text !== undefined && isCalendarDate(text) ? text : undefined;
    case 'timestamp':
      return text !== undefined && isTimestampText(text) ? text : undefined;
  }
}

/** `"YYYY-MM-DD"` that is a real calendar date. */
export function isCalendarDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** An ISO date or timestamp text the engines read alike: `YYYY-MM-DD`, optionally `[T ]hh:mm[:ss[.fff]]` and a zone `Z`/`±hh:mm`. */
export function isTimestampText(s: string): boolean {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(s);
  return (
    !!m &&
    isCalendarDate(m[1]!) &&
    (m[2] === undefined || (Number(m[2]) < 24 && Number(m[3]) < 60 && Number(m[4] ?? 0) < 60))
  );
}

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
  | (CheckBase & { kind: 'missingValues'; values: Scalar[]; valueType?: ValueType })
  | (CheckBase & { kind: 'allowedValues'; values: Scalar[]; valueType?: ValueType })
  | (CheckBase & { kind: 'invalidValues'; values?: Scalar[]; pattern?: string; valueType?: ValueType })
  | (CheckBase & { kind: 'pattern'; pattern: string })
  | (CheckBase & { kind: 'range'; valueType: 'number' | 'date' | 'timestamp'; min?: Bound; max?: Bound })
  | (CheckBase & { kind: 'length'; minLength?: number; maxLength?: number })
  | (CheckBase & { kind: 'unique' | 'duplicateValues' | 'primaryKey' | 'rowCount' })
  | (CheckBase & { kind: 'freshness'; maxAgeHours: number })
  | (CheckBase & { kind: 'sql'; query: string })
  | (CheckBase & {
      kind: 'skipped';
      reason: string;
      /**
       * True when the rule is skipped because it is written wrong (an unknown metric, missing
       * arguments, no usable operator, a pattern on a non-text column, …), not by design (`text`
       * and `custom` rules, nested properties, time ranges): a lint error (`dqdlProblems`), and
       * `mesh run` refuses it.
       */
      mistake?: boolean;
    });

/** The kinds of {@link QualityCheck}. */
export type QualityCheckKind = QualityCheck['kind'];

/** The zero threshold: no bad row tolerated. */
export const ZERO: Comparison = { op: '=', value: 0 };

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

/** A check before its id is settled (`id` only when the rule has its own). */
export type Draft = QualityCheck extends infer C
  ? C extends QualityCheck
    ? Omit<C, 'id'> & { id?: string }
    : never
  : never;

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
