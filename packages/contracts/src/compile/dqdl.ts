import type { Comparison, QualityCheck } from './quality-ir.js';
import { metricSql } from './sql.js';

/** Options of {@link toDqdl}. */
export interface DqdlOptions {
  /**
   * Precede each rule with a comment line `# <id>` (`# <id> (warning)` for warnings) and explain
   * skipped checks in comments. DQDL has no per-rule severity: the comment is the only trace.
   * @default true
   */
  comment?: boolean;
}

/**
 * A Glue Data Quality ruleset (`Rules = [ … ]`) from quality checks (from `compileQuality`),
 * meaning the same as `toSqlChecks` on the same checks:
 *
 * - required → `IsComplete`; null percentages → `Completeness` (of non-null rows, so the
 *   operator is mirrored: nulls `< 1` percent → `Completeness > 0.99`);
 * - unique → `IsUnique "c"` (composite: `Uniqueness "a" "b" = 1.0`); primaryKey → `IsPrimaryKey`;
 * - allowedValues → `ColumnValues "c" in [...]`, pattern → `ColumnValues "c" matches "…"`,
 *   range → `ColumnValues "c" >= x` (both bounds: two rules joined with `and`, because DQDL
 *   `between` excludes its ends while ODCS ranges include them), length → `ColumnLength`; these
 *   carry `where "c is not null"` because a NULL never fails a value check;
 * - rowCount → `RowCount`; freshness → `DataFreshness "c" <= N hours` (or minutes);
 * - everything with a tolerance (rows or percent of bad rows, duplicate counts, missing
 *   values) and `sql` rules → `CustomSql` over `primary`, with the metric SQL of `toSqlChecks`
 *   in the Spark dialect;
 * - skipped checks and checks on nested (struct/array) columns, which DQDL does not support →
 *   comments only.
 *
 * Inclusive `between` thresholds become `(R >= a) and (R <= b)`, `notBetween`
 * `(R < a) or (R > b)`.
 */
export function toDqdl(checks: readonly QualityCheck[], options: DqdlOptions = {}): string {
  const comment = options.comment ?? true;
  const entries: string[] = [];
  const notes: string[] = [];
  for (const c of checks) {
    const note = (reason: string) => { if (comment) notes.push(`  # skipped ${oneLine(c.id)}: ${oneLine(reason)}`); };
    if (c.kind === 'skipped') { note(c.reason); continue; }
    if (c.nested) { note('DQDL does not support nested or list-typed columns'); continue; }
    const head = comment ? `  # ${oneLine(c.id)}${c.severity === 'warning' ? ' (warning)' : ''}\n` : '';
    entries.push(`${head}  ${rule(c)}`);
  }
  const body = [...entries.join(',\n').split('\n'), ...notes].filter((l) => l !== '');
  return body.length ? `Rules = [\n${body.join('\n')}\n]\n` : 'Rules = []\n';
}

/** A DQDL string literal: backslashes and double quotes escaped, line breaks as spaces. */
export function dqdlString(s: string): string {
  return `"${s.replace(/\r?\n|\r/g, ' ').replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

function num(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(12)));
}

function cond(prefix: string, t: Comparison, suffix = ''): string {
  switch (t.op) {
    case 'between': return `(${prefix} >= ${num(t.min)}${suffix}) and (${prefix} <= ${num(t.max)}${suffix})`;
    case 'notBetween': return `(${prefix} < ${num(t.min)}${suffix}) or (${prefix} > ${num(t.max)}${suffix})`;
    default: return `${prefix} ${t.op} ${num(t.value)}${suffix}`;
  }
}

const MIRROR = { '=': '=', '!=': '!=', '>': '<', '>=': '<=', '<': '>', '<=': '>=' } as const;

/** A threshold on the percentage of nulls as a threshold on completeness (fraction of non-nulls). */
function completeness(t: Comparison): Comparison {
  const f = (v: number) => (100 - v) / 100;
  if (t.op === 'between' || t.op === 'notBetween') return { op: t.op, min: f(t.max), max: f(t.min) };
  const single = t as Extract<Comparison, { value: number }>;
  return { op: MIRROR[single.op], value: f(single.value) };
}

function rule(c: QualityCheck): string {
  const cols = c.columns.map(dqdlString).join(' ');
  const col = c.columns[0] ?? '';
  const notNull = ` where ${dqdlString('`' + col.replace(/`/g, '``') + '` is not null')}`;
  const custom = (): string => cond(`CustomSql ${dqdlString(metricSql(c, 'primary', 'spark'))}`, c.threshold);
  switch (c.kind) {
    case 'required':
      return c.unit === 'percent' ? `Completeness ${cols} = 1.0` : `IsComplete ${cols}`;
    case 'nullValues':
      return c.unit === 'percent' ? cond(`Completeness ${cols}`, completeness(c.threshold)) : custom();
    case 'unique':
      return c.columns.length === 1 ? `IsUnique ${cols}` : `Uniqueness ${cols} = 1.0`;
    case 'primaryKey':
      return `IsPrimaryKey ${cols}`;
    case 'allowedValues': {
      const values = c.values.filter((v) => v !== null);
      if (values.length && values.every((v) => typeof v === 'string')) {
        return `ColumnValues ${cols} in [${values.map((v) => dqdlString(v as string)).join(',')}]${notNull}`;
      }
      if (values.length && values.every((v) => typeof v === 'number' && Number.isFinite(v))) {
        return `ColumnValues ${cols} in [${values.map((v) => num(v as number)).join(',')}]${notNull}`;
      }
      return custom();
    }
    case 'pattern':
      return `ColumnValues ${cols} matches ${dqdlString(c.pattern)}${notNull}`;
    case 'range': {
      const v = (x: number | string) => typeof x === 'number' ? num(x) : dqdlString(x);
      const parts: string[] = [];
      if (c.min && c.max && c.min.exclusive && c.max.exclusive) return `ColumnValues ${cols} between ${v(c.min.value)} and ${v(c.max.value)}${notNull}`;
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
      return Number.isInteger(hours) ? `DataFreshness ${cols} <= ${hours} hours` : `DataFreshness ${cols} <= ${Math.round(hours * 60)} minutes`;
    }
    default:
      return custom();
  }
}
