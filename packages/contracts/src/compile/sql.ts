import { bindQuery, type Comparison, type QualityCheck, type Scalar } from './quality-ir.js';
import { SqlTokenizeError, tokenizeSql } from './sql-tokens.js';
import type { ColumnType } from './types.js';

/** SQL dialects the checks are written in. */
export type SqlDialect = 'duckdb' | 'spark';

/** Options of {@link toSqlChecks}. */
export interface SqlOptions {
  /** The table (or view) under test, inserted verbatim: quote it with {@link quoteIdentifier} (the CLI does). */
  table: string;
  /**
   * Resolved types of the columns, by column name (`columnTypes(contract)`). With them the checks
   * fit the column type: a length bound on a binary column counts bytes (`octet_length`), a
   * pattern on a binary column is skipped. @default {} (every column treated as text where it matters)
   */
  columnTypes?: Readonly<Record<string, ColumnType>>;
  /**
   * `duckdb` (the local runtime): identifiers in double quotes, standard string literals,
   * `regexp_matches` (partial match, like ECMAScript `test`). `spark` (Spark SQL 3.5, used for
   * DQDL `CustomSql`): identifiers in backticks, backslash-escaped literals, `RLIKE`.
   * @default 'duckdb'
   */
  dialect?: SqlDialect;
}

/** A check a single row can fail: `sql` is a boolean expression, TRUE when the row passes (never NULL). */
export interface RowPredicate {
  id: string;
  severity: 'error' | 'warning';
  column?: string;
  sql: string;
}

/** A check on the whole table: `sql` is a SELECT returning one row with columns `value` and `passed` (boolean, never NULL). */
export interface DatasetCheck {
  id: string;
  severity: 'error' | 'warning';
  sql: string;
}

/** The SQL of a list of checks. Each non-skipped check is in exactly one of the two lists. */
export interface SqlChecks {
  rowPredicates: RowPredicate[];
  datasetChecks: DatasetCheck[];
  /** Checks that compile to nothing (kind `skipped`), with the reason. */
  skipped: Array<{ id: string; reason: string }>;
}

/**
 * Compiles quality checks (from `compileQuality`) to SQL: row-level checks to row predicates
 * (for quarantining rows), the others to dataset checks. Semantics are those documented on
 * `QualityCheck`: a NULL never fails a value check (range, length, pattern, allowed values),
 * between is inclusive, duplicates are non-null rows repeating an earlier value (tuple), and
 * percentages are of all rows (0 on an empty table).
 */
export function toSqlChecks(checks: readonly QualityCheck[], options: SqlOptions): SqlChecks {
  const d = dialect(options.dialect ?? 'duckdb');
  const out: SqlChecks = { rowPredicates: [], datasetChecks: [], skipped: [] };
  const types = options.columnTypes ?? {};
  const binary = (c: QualityCheck): boolean => c.columns.length === 1 && types[c.columns[0]!]?.kind === 'binary';
  for (const c of checks) {
    if (c.kind === 'skipped') {
      out.skipped.push({ id: c.id, reason: c.reason });
      continue;
    }
    if ((c.kind === 'pattern' || (c.kind === 'invalidValues' && c.pattern !== undefined)) && binary(c)) {
      out.skipped.push({ id: c.id, reason: `a pattern does not apply to the binary column ${c.columns[0]}` });
      continue;
    }
    const bad = badRow(c, d, binary(c));
    if (c.rowLevel && bad !== undefined) {
      out.rowPredicates.push({
        id: c.id,
        severity: c.severity,
        ...(c.columns[0] ? { column: c.columns[0] } : {}),
        sql: `NOT coalesce(${bad}, FALSE)`,
      });
    } else {
      out.datasetChecks.push({ id: c.id, severity: c.severity, sql: datasetSql(c, options.table, d, binary(c)) });
    }
  }
  return out;
}

/**
 * The SELECT computing a check's metric as one row with the column `value` (used for dataset
 * checks and for DQDL `CustomSql`).
 */
export function metricSql(c: QualityCheck, table: string, dialectName: SqlDialect = 'duckdb'): string {
  return metricSelect(c, table, dialect(dialectName));
}

/**
 * An identifier quoted for the dialect: `"2024_orders"` (DuckDB), `` `2024_orders` `` (Spark). A
 * dotted name (`main.orders`) is quoted per part.
 */
export function quoteIdentifier(name: string, dialectName: SqlDialect = 'duckdb'): string {
  const d = dialect(dialectName);
  return name
    .split('.')
    .map((part) => d.ident(part))
    .join('.');
}

/** The quoting and dialect-specific functions of one SQL dialect (see {@link sqlDialect}). */
export interface Dialect {
  name: SqlDialect;
  /** The name of the text type in casts (`VARCHAR` / `STRING`). */
  text: string;
  ident(name: string): string;
  string(s: string): string;
  regex(expr: string, pattern: string): string;
  ageHours(expr: string): string;
}

/** The helpers of a dialect: identifier and string quoting, regex match, age in hours. */
export function sqlDialect(name: SqlDialect): Dialect {
  return dialect(name);
}

function dialect(name: SqlDialect): Dialect {
  if (name === 'spark') {
    const string = sparkString;
    return {
      name,
      string,
      text: 'STRING',
      ident: (n) => '`' + n.replace(/`/g, '``') + '`',
      regex: (e, p) => `${e} RLIKE ${string(javaRegex(p))}`,
      // Microseconds, like DuckDB's epoch() (fractional seconds): unix_timestamp() truncates to seconds.
      ageHours: (e) => `(unix_micros(current_timestamp()) - unix_micros(CAST(${e} AS TIMESTAMP))) / 3600000000.0`,
    };
  }
  const string = (s: string) => `'${s.replace(/'/g, "''")}'`;
  return {
    name,
    string,
    text: 'VARCHAR',
    ident: (n) => `"${n.replace(/"/g, '""')}"`,
    regex: (e, p) => `regexp_matches(${e}, ${string(p)})`,
    ageHours: (e) => `(epoch(current_timestamp) - epoch(CAST(${e} AS TIMESTAMP))) / 3600.0`,
  };
}

/**
 * A pattern (RE2 / ECMAScript reading, as DuckDB's `regexp_matches` applies it) for
 * java.util.regex (Spark's `RLIKE`), so both match the same strings: `(?d)` makes `\n` the only
 * line terminator (Java's `.` also refuses `\r`, `\u0085`, `\u2028`), and each `$` outside a
 * character class becomes `\z` (Java's `$` also matches before a final line terminator).
 */
export function javaRegex(pattern: string): string {
  let out = '(?d)';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '\\') {
      out += ch + (pattern[i + 1] ?? '');
      i++;
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
      out += ch;
      continue;
    }
    if (ch === '[') {
      inClass = true;
      out += ch;
      if (pattern[i + 1] === '^') {
        out += '^';
        i++;
      }
      if (pattern[i + 1] === ']') {
        out += ']';
        i++;
      }
      continue;
    }
    out += ch === '$' ? '\\z' : ch;
  }
  return out;
}

function literal(v: Scalar, d: Dialect): string {
  if (v === null) return 'NULL';
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'NULL';
  return d.string(v);
}

function typed(v: number | string, type: 'number' | 'date' | 'timestamp', d: Dialect): string {
  if (type === 'number') return String(v);
  if (type === 'date') return `CAST(${d.string(String(v))} AS DATE)`;
  return `CAST(${d.string(utcTimestampText(String(v)))} AS TIMESTAMP)`;
}

/**
 * A timestamp bound as UTC wall-clock text `YYYY-MM-DD hh:mm:ss[.f…]`: a zone (`Z`, `±hh:mm`) is
 * applied here, because DuckDB's CAST to TIMESTAMP drops it while Spark converts to the session
 * zone (UTC in Glue). Text without a zone, or that is not an ISO timestamp, is returned as it is.
 */
export function utcTimestampText(s: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/.exec(s.trim());
  if (!m) return s;
  const [, date, time, fraction = '', zone] = m;
  const offset = zone === 'Z' ? '+00:00' : zone!.includes(':') ? zone! : `${zone!.slice(0, 3)}:${zone!.slice(3)}`;
  const at = new Date(`${date}T${time!.length === 5 ? `${time}:00` : time}${offset}`);
  if (Number.isNaN(at.getTime())) return s;
  return `${at.toISOString().slice(0, 19).replace('T', ' ')}${fraction}`;
}

/** The boolean expression TRUE when the row is bad, for kinds that have one. */
function badRow(c: QualityCheck, d: Dialect, binary = false): string | undefined {
  const col = c.columns[0] === undefined ? undefined : d.ident(c.columns[0]);
  if (col === undefined) return undefined;
  // A date or timestamp list holds ISO texts (listValues): cast as range bounds are.
  const inList = (values: Scalar[]) =>
    values
      .filter((v) => v !== null)
      .map((v) => {
        const type = 'valueType' in c ? c.valueType : undefined;
        return typeof v === 'string' && (type === 'date' || type === 'timestamp') ? typed(v, type, d) : literal(v, d);
      })
      .join(', ');
  switch (c.kind) {
    case 'required':
    case 'nullValues':
      return `${col} IS NULL`;
    case 'missingValues': {
      const list = inList(c.values);
      const parts = [...(c.values.includes(null) ? [`${col} IS NULL`] : []), ...(list ? [`${col} IN (${list})`] : [])];
      return parts.length ? `(${parts.join(' OR ')})` : 'FALSE';
    }
    case 'allowedValues':
    case 'invalidValues':
    case 'pattern': {
      const conds: string[] = [];
      const values = c.kind === 'pattern' ? undefined : c.values;
      const pattern = c.kind === 'allowedValues' ? undefined : c.pattern;
      if (values) {
        const list = inList(values);
        conds.push(list ? `${col} NOT IN (${list})` : 'TRUE');
      }
      if (pattern !== undefined) conds.push(`NOT ${d.regex(col, pattern)}`);
      return `(${col} IS NOT NULL AND (${conds.join(' OR ')}))`;
    }
    case 'range': {
      const ok: string[] = [];
      if (c.min) ok.push(`${col} ${c.min.exclusive ? '>' : '>='} ${typed(c.min.value, c.valueType, d)}`);
      if (c.max) ok.push(`${col} ${c.max.exclusive ? '<' : '<='} ${typed(c.max.value, c.valueType, d)}`);
      return `(${col} IS NOT NULL AND NOT (${ok.join(' AND ')}))`;
    }
    case 'length': {
      const ok: string[] = [];
      const length = binary ? 'octet_length' : 'length'; // bytes of a binary value, characters of text
      if (c.minLength !== undefined) ok.push(`${length}(${col}) >= ${c.minLength}`);
      if (c.maxLength !== undefined) ok.push(`${length}(${col}) <= ${c.maxLength}`);
      return `(${col} IS NOT NULL AND NOT (${ok.join(' AND ')}))`;
    }
    default:
      return undefined;
  }
}

/** `expr` compared with a threshold (between is inclusive). */
export function compareSql(expr: string, t: Comparison): string {
  switch (t.op) {
    case 'between':
      return `(${expr} >= ${t.min} AND ${expr} <= ${t.max})`;
    case 'notBetween':
      return `(${expr} < ${t.min} OR ${expr} > ${t.max})`;
    case '!=':
      return `${expr} <> ${t.value}`;
    default:
      return `${expr} ${t.op} ${t.value}`;
  }
}

function metricSelect(c: QualityCheck, table: string, d: Dialect, binary = false): string {
  const cols = c.columns.map((x) => d.ident(x));
  const total = `(SELECT count(*) FROM ${table})`;
  const scale = (rows: string) => (c.unit === 'percent' ? `coalesce(100.0 * ${rows} / nullif(${total}, 0), 0)` : rows);
  switch (c.kind) {
    case 'rowCount':
      return `SELECT count(*) AS value FROM ${table}`;
    case 'freshness':
      return `SELECT ${d.ageHours(`min(${cols[0]})`)} AS value FROM ${table}`;
    case 'sql': {
      const query = bindQuery(c.query, table);
      return `SELECT (${d.name === 'spark' ? toSparkSql(query) : query}) AS value`;
    }
    case 'unique':
    case 'duplicateValues':
    case 'primaryKey': {
      const nonNull = cols.map((x) => `${x} IS NOT NULL`).join(' AND ');
      const dups = `(SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(*) AS n FROM ${table} WHERE ${nonNull} GROUP BY ${cols.join(', ')}) AS g)`;
      if (c.kind === 'primaryKey') {
        return `SELECT ${dups} + (SELECT count(*) FROM ${table} WHERE NOT (${nonNull})) AS value`;
      }
      return `SELECT ${scale(dups)} AS value`;
    }
    default: {
      const bad = badRow(c, d, binary) ?? 'FALSE';
      return `SELECT ${scale(`(SELECT coalesce(sum(CASE WHEN ${bad} THEN 1 ELSE 0 END), 0) FROM ${table})`)} AS value`;
    }
  }
}

/**
 * A dataset check's metric as one aggregate expression over the table under test (no FROM), so
 * the metrics of several checks come from one scan: the value of {@link metricSql}'s query (a
 * NULL-free column's duplicates are its non-null rows minus its distinct non-null values, which
 * is the query's `sum(n - 1)` over the groups). Undefined for checks that need a query of their
 * own: `sql` rules, uniqueness over several columns.
 */
export function metricAggregate(
  c: QualityCheck,
  dialectName: SqlDialect = 'duckdb',
  binary = false,
): string | undefined {
  const d = dialect(dialectName);
  const cols = c.columns.map((x) => d.ident(x));
  const scale = (rows: string) => (c.unit === 'percent' ? `coalesce(100.0 * ${rows} / nullif(count(*), 0), 0)` : rows);
  switch (c.kind) {
    case 'rowCount':
      return 'count(*)';
    case 'freshness':
      return d.ageHours(`min(${cols[0]})`);
    case 'sql':
      return undefined;
    case 'unique':
    case 'duplicateValues':
    case 'primaryKey': {
      if (cols.length !== 1) return undefined;
      // A primary key also counts its NULL rows: all rows minus the distinct non-null values.
      if (c.kind === 'primaryKey') return `(count(*) - count(DISTINCT ${cols[0]}))`;
      return scale(`(count(${cols[0]}) - count(DISTINCT ${cols[0]}))`);
    }
    default: {
      const bad = badRow(c, d, binary) ?? 'FALSE';
      return scale(`coalesce(sum(CASE WHEN ${bad} THEN 1 ELSE 0 END), 0)`);
    }
  }
}

/** Whether a dataset check's metric `value` (SQL) passes: its threshold, a NULL metric failing (passing for freshness: no rows). */
export function passedSql(c: QualityCheck, value: string): string {
  const onNull = c.kind === 'freshness' ? 'TRUE' : 'FALSE';
  return `coalesce(${compareSql(value, c.threshold)}, ${onNull})`;
}

function datasetSql(c: QualityCheck, table: string, d: Dialect, binary: boolean): string {
  return `SELECT value, ${passedSql(c, 'value')} AS passed FROM (${metricSelect(c, table, d, binary)}) AS m`;
}

/** A Spark SQL string literal: backslash-escaped `\\`, `'` and line breaks (one line). */
function sparkString(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r')}'`;
}

/** A `type: sql` query that has no Spark SQL text of the same meaning. */
export class SparkSqlError extends Error {
  constructor(
    message: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
    this.name = 'SparkSqlError';
  }
}

/**
 * The Spark SQL text of one query written for DuckDB (a contract's `type: sql` rule), on one
 * line: comments dropped (a `--` comment cannot swallow the rest), string literals re-quoted the
 * Spark way (`'it''s'` → `'it\\'s'`, backslashes doubled: Spark unescapes them, DuckDB does not),
 * double-quoted identifiers as backticks (Spark reads `"x"` as a string). Other tokens verbatim.
 *
 * @throws {@link SparkSqlError} when the text is not exactly one query (`SELECT`, `WITH`,
 * `VALUES`, a trailing `;` allowed) or uses syntax with no Spark equivalent (`E'…'`, `$$…$$`,
 * `r'…'` strings, parameters), with the line and column of the query.
 */
export function toSparkSql(query: string): string {
  let tokens;
  try {
    tokens = tokenizeSql(query);
  } catch (e) {
    if (e instanceof SqlTokenizeError)
      throw new SparkSqlError(`the query does not parse: ${e.message}`, e.line, e.column);
    throw e;
  }
  if (tokens.length && tokens[tokens.length - 1]!.text === ';') tokens = tokens.slice(0, -1);
  const first = tokens.find((t) => t.text !== '(');
  if (!first) throw new SparkSqlError('the query is empty');
  if (first.kind !== 'word' || !['select', 'with', 'values'].includes(first.text.toLowerCase())) {
    throw new SparkSqlError(
      `the rule must be one query (SELECT or WITH … SELECT), not ${first.text.toUpperCase()}`,
      first.line,
      first.column,
    );
  }
  const semi = tokens.find((t) => t.text === ';');
  if (semi) throw new SparkSqlError('the rule must hold exactly one statement (found a ;)', semi.line, semi.column);
  let out = '';
  tokens.forEach((t, k) => {
    if (k > 0 && t.offset > tokens[k - 1]!.end) out += ' ';
    switch (t.kind) {
      case 'string':
        if (t.prefix)
          throw new SparkSqlError(
            `${t.prefix === '$$' ? '$$…$$' : `${t.prefix}'…'`} strings have no Spark SQL equivalent: write '…'`,
            t.line,
            t.column,
          );
        out += sparkString(t.text);
        return;
      case 'quoted':
      case 'backtick':
        out += '`' + t.text.replace(/`/g, '``') + '`';
        return;
      case 'param':
        throw new SparkSqlError(
          `${t.text}: prepared-statement parameters have no value in a quality rule`,
          t.line,
          t.column,
        );
      default:
        out += t.text;
    }
  });
  return out;
}
