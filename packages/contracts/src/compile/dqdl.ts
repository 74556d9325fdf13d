import { MeshError } from '../errors.js';
import { formatPath } from '../load/schema-diagnostics.js';
import type { Path } from '../load/source.js';
import {
  isCalendarDate,
  isTimestampText,
  listValues,
  type Comparison,
  type QualityCheck,
  type Scalar,
} from './quality-ir.js';
import { metricSql, SparkSqlError } from './sql.js';

/** Options of {@link toDqdl}. */
export interface DqdlOptions {
  /**
   * Precede each rule with a comment line `# <id>` (`# <id> (warning)` for warnings; `# <id>, <id>`
   * when several checks compile to the same rule, which is emitted once) and explain skipped
   * checks in comments. DQDL has no per-rule severity: the comment is the only trace.
   * @default true
   */
  comment?: boolean;
}

/** A check that has no DQDL rule of the same meaning (see {@link dqdlProblems}). */
export interface DqdlProblem {
  id: string;
  kind: QualityCheck['kind'];
  /** Where the check comes from in the contract. */
  source: Path;
  message: string;
}

/**
 * A Glue Data Quality ruleset (`Rules = [ … ]`) from quality checks (from `compileQuality`),
 * meaning what `toSqlChecks` means on the same checks. Every rule is one line; the text parses
 * with the strict DQDL parser (`parseDqdl`), and Glue reads each value as written here:
 *
 * - required → `IsComplete`; null percentages → `Completeness` (of non-null rows, so the
 *   operator is mirrored: nulls `< 1` percent → `Completeness > 0.99`, computed in decimal);
 * - unique → `IsUnique "c"` (composite: `Uniqueness "a" "b" = 1.0`) and primaryKey →
 *   `IsPrimaryKey`; unique carries `where` the columns are not null (nulls never repeat);
 * - allowedValues → `ColumnValues "c" in [...]` when every value stays a string in DQDL (no
 *   `"YYYY-MM-DD"`/`"hh:mm"` look-alike, which DQDL reads as a date or time; no backslash, quote
 *   or line break, which Glue's SQL would read differently), else a `CustomSql`;
 * - pattern → `ColumnValues "c" matches "[\s\S]*(?:p)[\s\S]*"`: Glue anchors `matches` (deequ
 *   runs `^p$`) while an ODCS pattern is a JSON Schema pattern, found anywhere in the value; the
 *   wrapping keeps the partial-match meaning. deequ never counts an empty string as matching,
 *   so when `p` matches `''` empty strings are left out by the `where` clause;
 * - range: numbers as plain decimals (`ColumnValues "c" >= 0.0000001`, never exponents);
 *   `date` bounds that are calendar dates `"YYYY-MM-DD"`; `timestamp` bounds as a `CustomSql`
 *   over `primary` (DQDL has no timestamp literal); both bounds → two rules joined with `and`
 *   (DQDL `between` excludes its ends), unless both are exclusive;
 * - length → `ColumnLength`; rowCount → `RowCount`;
 * - freshness → `DataFreshness "c" <= N hours` (or `days`) for a whole number of hours, else a
 *   `CustomSql` on the age in hours of the oldest value;
 * - value checks (range, length, pattern, allowed values, freshness) carry
 *   `where "\`c\` is not null"`: a NULL never fails them, here as in the local checks;
 * - everything with a tolerance (rows or percent of bad rows, duplicate counts, missing
 *   values) and `sql` rules → `CustomSql` over `primary` with the metric SQL of `toSqlChecks` in
 *   the Spark dialect, on one line (comments dropped, strings and identifiers re-quoted for
 *   Spark) and passed verbatim (DQDL strips only the outer quotes);
 * - skipped checks and checks on nested (struct/array) columns, which DQDL does not support →
 *   comments only. Two checks compiling to the same rule give one rule.
 *
 * Inclusive `between` thresholds become `(R >= a) and (R <= b)`, `notBetween`
 * `(R < a) or (R > b)`.
 *
 * @throws {@link MeshError} `DQDL_UNEXPRESSIBLE` (exit 1) when a check has no DQDL rule of the
 * same meaning (see {@link dqdlProblems}; the lint rule CONTRACT-QUALITY-DQDL reports it at the
 * rule's position), or when no check gives a rule (DQDL refuses `Rules = []`; `compileQuality`
 * always adds a minimal rule to an object without executable checks).
 */
export function toDqdl(checks: readonly QualityCheck[], options: DqdlOptions = {}): string {
  const comment = options.comment ?? true;
  const rules: Array<{ text: string; ids: string[]; warning: boolean }> = [];
  const notes: string[] = [];
  for (const c of checks) {
    const note = (reason: string) => {
      if (comment) notes.push(`  # skipped ${oneLine(c.id)}: ${oneLine(reason)}`);
    };
    if (c.kind === 'skipped') {
      note(c.reason);
      continue;
    }
    if (c.nested) {
      note('DQDL does not support nested or list-typed columns');
      continue;
    }
    const text = dqdlRule(c);
    if (typeof text !== 'string') {
      throw new MeshError(
        'DQDL_UNEXPRESSIBLE',
        `quality check ${c.id} (${formatPath([...c.source])}) cannot be expressed in DQDL: ${text.problem} (mesh contract lint reports it at its line: CONTRACT-QUALITY-DQDL)`,
        { exitCode: 1 },
      );
    }
    const same = rules.find((r) => r.text === text);
    if (same) {
      same.ids.push(c.id);
      same.warning &&= c.severity === 'warning';
      continue;
    }
    rules.push({ text, ids: [c.id], warning: c.severity === 'warning' });
  }
  if (!rules.length) {
    throw new MeshError(
      'DQDL_UNEXPRESSIBLE',
      'no quality check compiles to a DQDL rule, and Glue refuses an empty ruleset (Rules = [])',
      { exitCode: 1 },
    );
  }
  const entries = rules.map(
    (r) => `${comment ? `  # ${r.ids.map(oneLine).join(', ')}${r.warning ? ' (warning)' : ''}\n` : ''}  ${r.text}`,
  );
  const body = [...entries.join(',\n').split('\n'), ...notes];
  return `Rules = [\n${body.join('\n')}\n]\n`;
}

/**
 * The checks that have no DQDL rule meaning the same (an invalid date bound, a `type: sql` rule
 * that is not one query or uses syntax that cannot be carried to Spark SQL unchanged). Skipped
 * and nested checks are not problems: they are documented comments of the ruleset.
 */
export function dqdlProblems(checks: readonly QualityCheck[]): DqdlProblem[] {
  return checks.flatMap((c): DqdlProblem[] => {
    if (c.nested) return [];
    if (c.kind === 'skipped') return c.mistake ? [{ id: c.id, kind: c.kind, source: c.source, message: c.reason }] : [];
    const r = dqdlRule(c);
    return typeof r === 'string' ? [] : [{ id: c.id, kind: c.kind, source: c.source, message: r.problem }];
  });
}

/**
 * A DQDL quoted string that Glue reads back as `s` exactly (parameters, `where` clauses and
 * `matches` patterns are passed verbatim: the parser strips the outer quotes and nothing else).
 * A `"` not already escaped by a backslash is written `\"`; that backslash reaches the reader,
 * which is harmless where it is used (Spark SQL string literals and Java regular expressions read
 * `\"` as `"`). Backslashes are never doubled.
 *
 * @throws Error when `s` holds a line break or ends with an odd run of backslashes (it would
 * escape the closing quote): callers render those first.
 */
export function dqdlString(s: string): string {
  if (/[\r\n]/.test(s)) throw new Error(`a DQDL string must be one line: ${JSON.stringify(s)}`);
  let out = '';
  let run = 0;
  for (const ch of s) {
    if (ch === '"' && run % 2 === 0) out += '\\';
    out += ch;
    run = ch === '\\' ? run + 1 : 0;
  }
  if (run % 2 === 1) throw new Error(`a DQDL string cannot end with an escaping backslash: ${JSON.stringify(s)}`);
  return `"${out}"`;
}

/** DQDL lexes these quoted forms as dates and times, never as strings. */
const DATE_OR_TIME = /^"(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{1,2}:[0-9]{2} (?:AM|PM)|[0-9]{2}:[0-9]{2})"$/;

/**
 * The DQDL literal of a string of an `in [...]` list, or undefined when the value cannot stay the
 * same string through Glue: a backslash or a quote (deequ writes the values into Spark SQL as
 * `'…'` with `''` for a quote, which Spark reads as two literals), a line break, or a value DQDL
 * lexes as a date or time (`"2020-01-01"`, `"12:30"`).
 */
function listString(v: string): string | undefined {
  if (/[\\'\r\n]/.test(v)) return undefined;
  const quoted = `"${v.replace(/"/g, '\\"')}"`;
  return DATE_OR_TIME.test(quoted) ? undefined : quoted;
}

/**
 * `n` as a DQDL number: plain decimal digits (`1000000000000000000000`, `0.0000001`), exactly
 * the shortest decimal that reads back as `n`. DQDL has no exponent form.
 */
export function dqdlNumber(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`not a finite number: ${n}`);
  return plainDecimal(String(Object.is(n, -0) ? 0 : n));
}

function plainDecimal(s: string): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const [, sign, int, frac = '', exp] = m;
  const digits = int! + frac;
  const point = int!.length + Number(exp);
  const raw =
    point <= 0
      ? `0.${'0'.repeat(-point)}${digits}`
      : point >= digits.length
        ? digits + '0'.repeat(point - digits.length)
        : `${digits.slice(0, point)}.${digits.slice(point)}`;
  const trimmed = raw.includes('.') ? raw.replace(/0+$/, '').replace(/\.$/, '') : raw;
  return sign + trimmed.replace(/^0+(?=\d)/, '');
}

/** `(100 - p) / 100` in exact decimal arithmetic, as a plain decimal (a percentage of nulls as a completeness). */
function complement(p: number): string {
  const s = dqdlNumber(p);
  const neg = s.startsWith('-');
  const [int, frac = ''] = (neg ? s.slice(1) : s).split('.');
  const scale = frac.length + 2;
  const mant = BigInt(int! + frac) * (neg ? -1n : 1n);
  const v = 100n * 10n ** BigInt(frac.length) - mant; // (100 - p) · 10^frac
  const abs = (v < 0n ? -v : v).toString().padStart(scale + 1, '0');
  const text = `${abs.slice(0, -scale)}.${abs.slice(-scale)}`.replace(/0+$/, '').replace(/\.$/, '');
  return (v < 0n ? '-' : '') + (text.includes('.') ? text : `${text}.0`);
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

function cond(prefix: string, t: Comparison, suffix = ''): string {
  switch (t.op) {
    case 'between':
      return `(${prefix} >= ${dqdlNumber(t.min)}${suffix}) and (${prefix} <= ${dqdlNumber(t.max)}${suffix})`;
    case 'notBetween':
      return `(${prefix} < ${dqdlNumber(t.min)}${suffix}) or (${prefix} > ${dqdlNumber(t.max)}${suffix})`;
    default:
      return `${prefix} ${t.op} ${dqdlNumber(t.value)}${suffix}`;
  }
}

const MIRROR = { '=': '=', '!=': '!=', '>': '<', '>=': '<=', '<': '>', '<=': '>=' } as const;

/** A threshold on the percentage of nulls as a threshold on completeness (fraction of non-nulls). */
function completenessRule(cols: string, t: Comparison): string {
  const rule = `Completeness ${cols}`;
  if (t.op === 'between') return `(${rule} >= ${complement(t.max)}) and (${rule} <= ${complement(t.min)})`;
  if (t.op === 'notBetween') return `(${rule} < ${complement(t.max)}) or (${rule} > ${complement(t.min)})`;
  const single = t as Extract<Comparison, { value: number }>;
  return `${rule} ${MIRROR[single.op]} ${complement(single.value)}`;
}

/** Whether the JSON Schema (ECMAScript) pattern matches the empty string. */
function matchesEmpty(pattern: string): boolean {
  for (const flags of ['u', '']) {
    try {
      return new RegExp(pattern, flags).test('');
    } catch {
      /* try without the u flag */
    }
  }
  return false;
}

/** A pattern written on one line (line breaks as `\n` / `\r` escapes, which Java reads alike). */
function regexOneLine(p: string): string {
  return p.replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

/** The DQDL rule of one check, or why there is none. */
function dqdlRule(c: QualityCheck): string | { problem: string } {
  if ((c.kind === 'missingValues' || c.kind === 'allowedValues' || c.kind === 'invalidValues') && c.values) {
    const typed = listValues(c.values, c.valueType);
    if ('problem' in typed) return { problem: `the list holds ${typed.problem}` };
  }
  return kindRule(c);
}

/** The DQDL rule of one check by its kind, or why there is none. */
function kindRule(c: QualityCheck): string | { problem: string } {
  const cols = c.columns.map(dqdlString).join(' ');
  const col = c.columns[0] ?? '';
  const ident = (x: string) => '`' + x.replace(/`/g, '``') + '`';
  const notNullSql = c.columns.map((x) => `${ident(x)} is not null`).join(' and ');
  const notNull = ` where ${dqdlString(notNullSql)}`;
  const custom = (t: Comparison = c.threshold, select?: (sql: string) => string): string | { problem: string } => {
    try {
      const sql = metricSql(c, 'primary', 'spark');
      return cond(`CustomSql ${dqdlString(select ? select(sql) : sql)}`, t);
    } catch (e) {
      if (e instanceof SparkSqlError) return { problem: e.message };
      throw e;
    }
  };
  switch (c.kind) {
    case 'required':
      return c.unit === 'percent' ? `Completeness ${cols} = 1.0` : `IsComplete ${cols}`;
    case 'nullValues':
      return c.unit === 'percent' ? completenessRule(cols, c.threshold) : custom();
    case 'unique':
      return `${c.columns.length === 1 ? `IsUnique ${cols}` : `Uniqueness ${cols} = 1.0`}${notNull}`;
    case 'primaryKey':
      return `IsPrimaryKey ${cols}`;
    case 'allowedValues': {
      const values = c.values.filter((v): v is Exclude<Scalar, null> => v !== null);
      if (values.length && values.every((v) => typeof v === 'string')) {
        const list = values.map((v) => listString(v));
        if (list.every((v) => v !== undefined)) return `ColumnValues ${cols} in [${list.join(',')}]${notNull}`;
      }
      if (values.length && values.every((v) => typeof v === 'number' && Number.isFinite(v))) {
        return `ColumnValues ${cols} in [${values.map((v) => dqdlNumber(v as number)).join(',')}]${notNull}`;
      }
      return custom();
    }
    case 'pattern': {
      const where = matchesEmpty(c.pattern) ? `${notNullSql} and ${ident(col)} <> ''` : notNullSql;
      return `ColumnValues ${cols} matches ${dqdlString(`[\\s\\S]*(?:${regexOneLine(c.pattern)})[\\s\\S]*`)} where ${dqdlString(where)}`;
    }
    case 'range': {
      const bounds = [c.min, c.max].filter((b) => b !== undefined);
      if (c.valueType === 'date' && bounds.some((b) => !isCalendarDate(String(b.value)))) {
        return {
          problem: `date bound ${bounds.map((b) => JSON.stringify(b.value)).join(', ')} is not a calendar date YYYY-MM-DD`,
        };
      }
      if (c.valueType === 'timestamp') {
        const bad = bounds.find((b) => !isTimestampText(String(b.value)));
        if (bad)
          return {
            problem: `timestamp bound ${JSON.stringify(bad.value)} is not an ISO date or timestamp (YYYY-MM-DD[Thh:mm[:ss]][Z|±hh:mm])`,
          };
        return custom({ op: '=', value: 0 });
      }
      const v = (x: number | string) => (typeof x === 'number' ? dqdlNumber(x) : `"${x}"`);
      if (c.min && c.max && c.min.exclusive && c.max.exclusive)
        return `ColumnValues ${cols} between ${v(c.min.value)} and ${v(c.max.value)}${notNull}`;
      const parts: string[] = [];
      if (c.min) parts.push(`ColumnValues ${cols} ${c.min.exclusive ? '>' : '>='} ${v(c.min.value)}${notNull}`);
      if (c.max) parts.push(`ColumnValues ${cols} ${c.max.exclusive ? '<' : '<='} ${v(c.max.value)}${notNull}`);
      return parts.length === 1 ? parts[0]! : parts.map((p) => `(${p})`).join(' and ');
    }
    case 'length': {
      const parts: string[] = [];
      if (c.minLength !== undefined) parts.push(`ColumnLength ${cols} >= ${c.minLength}${notNull}`);
      if (c.maxLength !== undefined) parts.push(`ColumnLength ${cols} <= ${c.maxLength}${notNull}`);
      return parts.length === 1 ? parts[0]! : parts.map((p) => `(${p})`).join(' and ');
    }
    case 'rowCount':
      return cond('RowCount', c.threshold);
    case 'freshness': {
      const hours = c.maxAgeHours;
      if (Number.isInteger(hours))
        return `DataFreshness ${cols} <= ${hours % 24 === 0 ? `${hours / 24} days` : `${hours} hours`}${notNull}`;
      // No whole number of hours (DataFreshness takes hours or days): the age of the oldest
      // non-null value, 0 when there is none (as the local check, which passes then).
      return custom({ op: '<=', value: hours }, (sql) => `SELECT coalesce(value, 0) AS value FROM (${sql}) AS m`);
    }
    default:
      return custom();
  }
}
