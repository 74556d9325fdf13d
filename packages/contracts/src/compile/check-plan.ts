import type { OdcsContract } from '../odcs.js';
import { toGlueColumns } from './glue.js';
import { columnTypes } from './ddl.js';
import { selectObject } from './schema-object.js';
import { compileQuality } from './quality-compile.js';
import type { Comparison, QualityCheck, Scalar } from './quality-ir.js';
import { metricAggregate, passedSql, sqlDialect, toSqlChecks, type Dialect, type SqlDialect } from './sql.js';

/** A row-level rule of a {@link CheckPlan}: rows failing it go to quarantine. */
export interface PlanRowRule {
  id: string;
  kind: QualityCheck['kind'];
  severity: 'error' | 'warning';
  columns: string[];
  /** Boolean SQL over the checked relation, TRUE when the row passes (never NULL). */
  passSql: string;
  /** SQL text expression explaining the failure of one row (evaluated only on failing rows). */
  reasonSql: string;
}

/** A dataset-level rule of a {@link CheckPlan}: a SELECT returning one row with `value` and `passed`. */
export interface PlanDatasetRule {
  id: string;
  kind: QualityCheck['kind'];
  severity: 'error' | 'warning';
  columns: string[];
  sql: string;
  /** The threshold in words (`> 0 rows`, `<= 24 hours`). */
  threshold: string;
}

/** A check that compiles to nothing (kind `skipped`), with the reason. */
export interface PlanSkipped {
  id: string;
  severity: 'error' | 'warning';
  columns: string[];
  reason: string;
}

/** One output column of a {@link CheckPlan}. */
export interface PlanColumn {
  /** Storage name (snake_case, as in Glue). */
  name: string;
  /** The Glue (Hive) type (`decimal(12,2)`, `array<string>`): Spark SQL takes it as it is in `CAST`. */
  glueType: string;
  /** True for partition keys (they come last, in `partitionKeyPosition` order). */
  partition: boolean;
  /**
   * The text a value of this column may be cast from ({@link textCastPattern}): a text value
   * outside it does not cast, on either engine (its row is quarantined as `<column>.castable`).
   * Absent for text columns and types without a grammar (nested types, binary).
   */
  textPattern?: string;
}

/**
 * The checks of one output port compiled for one engine: the data both the local runtime
 * (DuckDB) and the Glue job's PySpark core (Spark SQL, shipped as the job argument
 * `--check-plan`) execute, so both engines run the same compiled rules. JSON-serialisable.
 */
export interface CheckPlan {
  /** Format marker, checked by the PySpark core. */
  format: 'meshkit.check-plan/1';
  dialect: SqlDialect;
  /** The schema object checked. */
  object: string;
  /** The relation the dataset rules read (the checked rows, typed by the contract). */
  table: string;
  /** Output columns: data columns, then partition keys (the Glue table's order). */
  columns: PlanColumn[];
  rowRules: PlanRowRule[];
  datasetRules: PlanDatasetRule[];
  skipped: PlanSkipped[];
}

/** Options of {@link toCheckPlan}. */
export interface CheckPlanOptions {
  /** SQL dialect. @default 'spark' */
  dialect?: SqlDialect;
  /** The relation under test, inserted verbatim (quote it yourself). @default '__dataset' */
  table?: string;
  /** Name of the schema object. @default the contract's only object */
  object?: string;
  /**
   * The instant time-relative rules (freshness) are evaluated at, as a literal in the SQL, so a
   * run is reproducible.
   * @default the engine's current timestamp when the rule runs
   */
  now?: Date;
}

/**
 * Compiles a contract's quality checks (`compileQuality`, the IR the DQDL is compiled from too)
 * into a {@link CheckPlan} in one SQL dialect: the row predicates and dataset checks of
 * `toSqlChecks`, each row rule with a human reason, plus the output columns.
 */
export function toCheckPlan(contract: OdcsContract, options: CheckPlanOptions = {}): CheckPlan {
  return compileCheckPlan(contract, options).plan;
}

/**
 * A contract's quality checks compiled once: the IR (`checks`), its {@link CheckPlan} (`plan`, as
 * {@link toCheckPlan} gives it) and the plan's dataset rules computed in one scan (`scan`, as
 * {@link datasetScan} gives it), for a runner that needs all three.
 */
export function compileCheckPlan(
  contract: OdcsContract,
  options: CheckPlanOptions = {},
): { checks: QualityCheck[]; plan: CheckPlan; scan: DatasetScan | undefined } {
  const dialectName = options.dialect ?? 'spark';
  const d = sqlDialect(dialectName);
  const table = options.table ?? '__dataset';
  const object = options.object === undefined ? {} : { object: options.object };
  const checks = compileQuality(contract, object);
  const types = columnTypes(contract, object);
  const sql = toSqlChecks(checks, { table, dialect: dialectName, columnTypes: types });
  const byId = new Map(checks.map((c) => [c.id, c]));
  const glue = toGlueColumns(contract, object);
  const plan: CheckPlan = {
    format: 'meshkit.check-plan/1',
    dialect: dialectName,
    object: selectObject(contract, options.object).object.name,
    table,
    columns: [
      ...glue.columns.map((c) => planColumn(c.name, c.type, false)),
      ...glue.partitionKeys.map((c) => planColumn(c.name, c.type, true)),
    ],
    rowRules: sql.rowPredicates.map((p) => {
      const c = byId.get(p.id)!;
      return {
        id: p.id,
        kind: c.kind,
        severity: p.severity,
        columns: c.columns,
        passSql: p.sql,
        reasonSql: reasonSql(c, d),
      };
    }),
    datasetRules: sql.datasetChecks.map((x) => {
      const c = byId.get(x.id)!;
      const query = c.kind === 'freshness' && options.now !== undefined ? pinNow(x.sql, d, options.now) : x.sql;
      return {
        id: x.id,
        kind: c.kind,
        severity: x.severity,
        columns: c.columns,
        sql: query,
        threshold: describeThreshold(c.threshold, c.unit),
      };
    }),
    skipped: checks
      .filter((c) => c.kind === 'skipped')
      .map((c) => ({ id: c.id, severity: c.severity, columns: c.columns, reason: (c as { reason: string }).reason })),
  };
  // The dataset rules whose metric is one aggregate, computed together (see datasetScan).
  const shared = plan.datasetRules.flatMap(({ id }) => {
    const c = byId.get(id)!;
    const binary = c.columns.length === 1 && types[c.columns[0]!]?.kind === 'binary';
    const metric = metricAggregate(c, dialectName, binary);
    if (metric === undefined) return [];
    return [
      { c, metric: c.kind === 'freshness' && options.now !== undefined ? pinNow(metric, d, options.now) : metric },
    ];
  });
  const verdicts = shared.map((x, i) => `m${i} AS v${i}, ${passedSql(x.c, `m${i}`)} AS p${i}`).join(', ');
  const metrics = shared.map((x, i) => `${x.metric} AS m${i}`).join(', ');
  const scan = shared.length
    ? { ids: shared.map((x) => x.c.id), sql: `SELECT ${verdicts} FROM (SELECT ${metrics} FROM ${table}) AS m` }
    : undefined;
  return { checks, plan, scan };
}

/** The engine's current timestamp in `sql` replaced by the instant `now` (a run's evaluation instant). */
function pinNow(sql: string, d: Dialect, now: Date): string {
  const at =
    d.name === 'spark'
      ? `CAST(${d.string(now.toISOString())} AS TIMESTAMP)`
      : `CAST(${d.string(now.toISOString().replace('T', ' ').replace('Z', '+00'))} AS TIMESTAMPTZ)`;
  const nowPattern = d.name === 'spark' ? /(?<!["\w`])current_timestamp\(\)/g : /(?<!["\w])current_timestamp(?!["\w])/g;
  return sql.replace(nowPattern, at);
}

/** The dataset rules of a plan computed in one scan ({@link datasetScan}). */
export interface DatasetScan {
  /** Ids of the rules the scan computes, in plan order: the i-th one's metric is `v<i>`, its verdict `p<i>`. */
  ids: string[];
  /** One SELECT over the plan's table returning one row with `v<i>` and `p<i>` (boolean, never NULL) per rule. */
  sql: string;
}

/**
 * The dataset rules of `toCheckPlan(contract, options)` whose metric is one aggregate
 * ({@link metricAggregate}: row counts, freshness, single-column uniqueness, counts of bad rows),
 * computed in one scan of the table: each `v<i>` and `p<i>` is the `value` and `passed` of that
 * rule's own query in the plan. The other dataset rules (`sql` rules, uniqueness over several
 * columns) need their own query. Undefined when no rule qualifies.
 */
export function datasetScan(contract: OdcsContract, options: CheckPlanOptions = {}): DatasetScan | undefined {
  return compileCheckPlan(contract, options).scan;
}

function planColumn(name: string, glueType: string, partition: boolean): PlanColumn {
  const textPattern = textCastPattern(glueType);
  return { name, glueType, partition, ...(textPattern !== undefined ? { textPattern } : {}) };
}

const SPACE = ' *';
const DATE = '[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}';
const TIME = '[T ]([01]?[0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\\.[0-9]+)?)?';
const ZONE = '( ?(Z|UTC|[+-][0-9]{2}(:?[0-9]{2})?))?';
const NUMBER = '[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?';

/**
 * The grammar of the text a value of Glue type `glueType` may be cast from, as an anchored
 * regular expression in the subset RE2 (DuckDB) and java.util.regex (Spark) read alike; both
 * engines cast a text value only when it matches, so they accept the same values (each engine's
 * own cast accepts more, differently: `1_000`, `0x10`, `2024/02/03`, `T24:00`, `infinity` dates):
 *
 * - integers (`tinyint` … `bigint`): optional sign, digits (`1.5` and `1e3` are not integers);
 * - `decimal(p,s)`: decimal notation with an optional exponent; `float`/`double` also `NaN`,
 *   `Inf`, `Infinity` (any case, signed);
 * - `boolean`: `true`/`false`/`t`/`f`/`yes`/`no`/`y`/`n`/`1`/`0`, any case;
 * - `date`: `YYYY-M-D`, optionally followed by a time (its date is taken);
 * - `timestamp`: `YYYY-M-D`, optionally ` hh:mm[:ss[.fraction]]` (or `T`), optionally a zone
 *   `Z`, `UTC` or `±hh[:mm]` (converted to UTC; without one, the value is UTC).
 *
 * Leading and trailing spaces are allowed (both engines cast the trimmed text). Undefined for
 * text and nested/binary types.
 */
export function textCastPattern(glueType: string): string | undefined {
  const t = glueType.toLowerCase().replace(/\s+/g, '');
  const whole = (body: string) => `^${SPACE}(${body})${SPACE}$`;
  if (/^(tinyint|smallint|int|integer|bigint)$/.test(t)) return whole('[+-]?[0-9]+');
  if (/^decimal\(\d+,\d+\)$/.test(t) || t === 'decimal') return whole(NUMBER);
  if (t === 'double' || t === 'float') return whole(`${NUMBER}|(?i:[+-]?(nan|inf|infinity))`);
  if (t === 'boolean') return whole('(?i:true|false|t|f|yes|no|y|n|1|0)');
  if (t === 'date') return whole(`${DATE}(${TIME}${ZONE})?`);
  if (t === 'timestamp') return whole(`${DATE}(${TIME})?${ZONE}`);
  return undefined;
}

/** `< 5 percent`, `between 1 and 10 rows`, … */
export function describeThreshold(t: Comparison, unit: QualityCheck['unit']): string {
  const u = unit === 'value' ? '' : ` ${unit}`;
  if (t.op === 'between') return `between ${t.min} and ${t.max}${u}`;
  if (t.op === 'notBetween') return `not between ${t.min} and ${t.max}${u}`;
  return `${t.op} ${(t as Extract<Comparison, { value: number }>).value}${u}`;
}

const list = (values: Scalar[]) => values.map((v) => (v === null ? 'NULL' : String(v))).join(', ');

/** The value of `column` as shown in a reason: `'<first 80 characters>'` or `NULL`. */
export function shownValueSql(column: string, d: Dialect): string {
  const q = d.string("'");
  return `coalesce(${q} || left(CAST(${d.ident(column)} AS ${d.text}), 80) || ${q}, 'NULL')`;
}

/** SQL text expression explaining why one row fails check `c` (for the quarantine's `reason`). */
export function reasonSql(c: QualityCheck, d: Dialect): string {
  const col = c.columns[0] ?? '';
  const text = (s: string) => d.string(s);
  const prefix = `${c.id}: ${col}`;
  const shown = () => shownValueSql(col, d);
  switch (c.kind) {
    case 'required':
    case 'nullValues':
      return text(`${prefix} is null`);
    case 'missingValues':
      return `${text(`${prefix} = `)} || ${shown()} || ${text(` is a missing value (${list(c.values)})`)}`;
    case 'allowedValues':
      return `${text(`${prefix} = `)} || ${shown()} || ${text(` is not one of ${list(c.values)}`)}`;
    case 'pattern':
      return `${text(`${prefix} = `)} || ${shown()} || ${text(` does not match ${c.pattern}`)}`;
    case 'invalidValues':
      return `${text(`${prefix} = `)} || ${shown()} || ${text(` is invalid${c.values ? ` (valid: ${list(c.values)})` : ''}${c.pattern !== undefined ? ` (pattern ${c.pattern})` : ''}`)}`;
    case 'range': {
      const lo = c.min ? `${c.min.exclusive ? '(' : '['}${c.min.value}` : '(-∞';
      const hi = c.max ? `${c.max.value}${c.max.exclusive ? ')' : ']'}` : '∞)';
      return `${text(`${prefix} = `)} || ${shown()} || ${text(` is outside ${lo}, ${hi}`)}`;
    }
    case 'length':
      return `${text(`${prefix} = `)} || ${shown()} || ${text(` has a length outside ${c.minLength ?? 0}..${c.maxLength ?? '∞'}`)}`;
    default:
      return text(`${c.id} failed`);
  }
}
