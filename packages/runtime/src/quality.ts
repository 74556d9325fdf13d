import { compileQuality, toSqlChecks, type Comparison, type OdcsContract, type QualityCheck, type Scalar } from '@meshkit/contracts';
import { quoteIdent, quoteString } from './types.js';

/** A row-level rule the runtime evaluates: rows failing it go to quarantine. */
export interface RowRule {
  id: string;
  kind: QualityCheck['kind'] | 'castable';
  severity: 'error' | 'warning';
  columns: string[];
  /** Boolean SQL, TRUE when the row passes (never NULL). */
  passSql: string;
  /** SQL text expression explaining the failure of one row (evaluated only on failing rows). */
  reasonSql: string;
}

/** A dataset-level rule: a SELECT returning `value` and `passed`. */
export interface DatasetRule {
  id: string;
  kind: QualityCheck['kind'];
  severity: 'error' | 'warning';
  columns: string[];
  sql: string;
  threshold: string;
}

/** The quality plan of one run, compiled from the contract through the shared IR. */
export interface QualityPlan {
  checks: QualityCheck[];
  rowRules: RowRule[];
  datasetRules: DatasetRule[];
  skipped: Array<{ id: string; reason: string }>;
}

/**
 * Compiles a contract's quality checks (`compileQuality`, the IR the DQDL of the Glue job is also
 * compiled from) into the runtime's plan over `table`: the row predicates and dataset checks of
 * `toSqlChecks` (DuckDB dialect), each with a human reason. Freshness is evaluated as of `now`
 * (the run's evaluation instant) instead of the wall clock, so a run is reproducible.
 */
export function qualityPlan(contract: OdcsContract, table: string, now: Date, object?: string): QualityPlan {
  const checks = compileQuality(contract, object === undefined ? {} : { object });
  const sql = toSqlChecks(checks, { table });
  const byId = new Map(checks.map((c) => [c.id, c]));
  const at = `CAST(${quoteString(now.toISOString().replace('T', ' ').replace('Z', '+00'))} AS TIMESTAMPTZ)`;
  return {
    checks,
    rowRules: sql.rowPredicates.map((p) => {
      const c = byId.get(p.id)!;
      return { id: p.id, kind: c.kind, severity: p.severity, columns: c.columns, passSql: p.sql, reasonSql: reasonSql(c) };
    }),
    datasetRules: sql.datasetChecks.map((d) => {
      const c = byId.get(d.id)!;
      const query = c.kind === 'freshness' ? d.sql.replace(/(?<!["\w])current_timestamp(?!["\w])/g, at) : d.sql;
      return { id: d.id, kind: c.kind, severity: d.severity, columns: c.columns, sql: query, threshold: describeThreshold(c.threshold, c.unit) };
    }),
    skipped: sql.skipped,
  };
}

/** `< 5 percent`, `between 1 and 10 rows`, … */
export function describeThreshold(t: Comparison, unit: QualityCheck['unit']): string {
  const u = unit === 'value' ? '' : ` ${unit}`;
  if (t.op === 'between') return `between ${t.min} and ${t.max}${u}`;
  if (t.op === 'notBetween') return `not between ${t.min} and ${t.max}${u}`;
  return `${t.op} ${(t as Extract<Comparison, { value: number }>).value}${u}`;
}

const shown = (col: string) => `coalesce('''' || left(CAST(${quoteIdent(col)} AS VARCHAR), 80) || '''', 'NULL')`;
const list = (values: Scalar[]) => values.map((v) => (v === null ? 'NULL' : String(v))).join(', ');

function reasonSql(c: QualityCheck): string {
  const col = c.columns[0] ?? '';
  const text = (s: string) => quoteString(s);
  const prefix = `${c.id}: ${col}`;
  switch (c.kind) {
    case 'required': case 'nullValues':
      return text(`${prefix} is null`);
    case 'missingValues':
      return `${text(`${prefix} = `)} || ${shown(col)} || ${text(` is a missing value (${list(c.values)})`)}`;
    case 'allowedValues':
      return `${text(`${prefix} = `)} || ${shown(col)} || ${text(` is not one of ${list(c.values)}`)}`;
    case 'pattern':
      return `${text(`${prefix} = `)} || ${shown(col)} || ${text(` does not match ${c.pattern}`)}`;
    case 'invalidValues':
      return `${text(`${prefix} = `)} || ${shown(col)} || ${text(` is invalid${c.values ? ` (valid: ${list(c.values)})` : ''}${c.pattern !== undefined ? ` (pattern ${c.pattern})` : ''}`)}`;
    case 'range': {
      const lo = c.min ? `${c.min.exclusive ? '(' : '['}${c.min.value}` : '(-∞';
      const hi = c.max ? `${c.max.value}${c.max.exclusive ? ')' : ']'}` : '∞)';
      return `${text(`${prefix} = `)} || ${shown(col)} || ${text(` is outside ${lo}, ${hi}`)}`;
    }
    case 'length':
      return `${text(`${prefix} = `)} || ${shown(col)} || ${text(` has a length outside ${c.minLength ?? 0}..${c.maxLength ?? '∞'}`)}`;
    default:
      return text(`${c.id} failed`);
  }
}

/** The pseudo-rule of a column whose value cannot be cast to the contract's type (`<column>.castable`). */
export function castRule(column: string, originalColumn: string, duckType: string): RowRule {
  const orig = quoteIdent(originalColumn);
  return {
    id: `${column}.castable`, kind: 'castable', severity: 'error', columns: [column],
    passSql: `NOT (${orig} IS NOT NULL AND ${quoteIdent(column)} IS NULL)`,
    reasonSql: `${quoteString(`${column}.castable: ${column} = `)} || coalesce('''' || left(CAST(${orig} AS VARCHAR), 80) || '''', 'NULL') || ${quoteString(` cannot be cast to ${duckType}`)}`,
  };
}
