/**
 * The checks every output port of a run gets (the current major's transform.sql, each served
 * major's compatibility SQL): conformance with the contract, its row rules (quarantine) and
 * dataset rules (pass / warn / fail), then its files, with conservation asserted.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import {
  bindQuery,
  checkPortableRegex,
  dqdlProblems,
  loadSource,
  type MeshError,
  type OdcsContract,
  type Path,
} from '@meshkit/contracts';
import type { LineageField } from './lineage.js';
import { castRule, qualityPlan, type QualityPlan, type RowRule } from './quality.js';
import type { RuleOutcome, RunReport } from './report.js';
import { firstParagraph, runError } from './run-errors.js';
import { selectStatementProblem } from './sandbox.js';
import { describe, repeatable, sqlLabel, sqlStep } from './sql-steps.js';
import { castability, conformanceCastSql, quoteIdent, type ContractColumn } from './types.js';
import { writeCurated, writeQuarantine, type CheckedRows } from './write-output.js';

/** One output port to check and write: the current major's (transform.sql) or a served major's (its compatibility SQL). */
export interface OutputSpec {
  /** Prefix of the temporary objects (`''` for the current major, `v1_` …). */
  prefix: string;
  /** The view holding the SQL's result. */
  fromView: string;
  sql: string;
  /** The SQL file, as shown in errors. */
  sqlFile: string;
  /** `<domain>/<product>` (and major), for the conservation message. */
  ref: string;
  contract: OdcsContract;
  contractFile: string;
  /** Position of a path of the contract in its file (for errors of its `type: sql` rules). */
  locate: (path: Path) => { line: number; column: number } | undefined;
  objectName: string;
  columns: ContractColumn[];
  now: Date;
  /** Directory receiving `curated/` and `quarantine/`. */
  dir: string;
  /** Also write `quarantine/rejected-input.parquet` (the current major only). */
  writeRejected: boolean;
  progress: (step: string) => void;
}

/** What checking and writing one output port gave. */
export interface OutputResult {
  rowsIn: number;
  written: number;
  quarantined: number;
  rules: RuleOutcome[];
  status: RunReport['status'];
  /** Instants (ms) at the end of the transform pass, of the curated write and of the checks. */
  times: { transform: number; curated: number; check: number };
}

/** The checks of one output port, compiled: the columns to cast, the rules, the typed SELECT. */
interface PortChecks {
  cast: Set<string>;
  plan: QualityPlan;
  rowRules: RowRule[];
  okSql: string;
  typedSelect: string;
}

/**
 * The checks every output port gets, then its files: conformance with the contract (missing,
 * extra, never-castable columns fail the run; values that do not cast are quarantined), the
 * contract's row rules (quarantine) and dataset rules (pass / warn / fail), curated Parquet
 * (hive-partitioned by the partition keys) and the quarantine, with conservation asserted.
 */
export async function checkAndWrite(conn: DuckDBConnection, o: OutputSpec): Promise<OutputResult> {
  const t = (name: string) => `__${o.prefix}${name}`;
  const checks = await compileChecks(conn, o, t('dataset'));
  // The checked rows are streamed, not materialised: the SQL's output is read once for the
  // curated output and the quarantine (failing rows only, kept in a small temp table the rule
  // counts come from) and once per dataset rule. All of it runs in one transaction, so
  // current_date/current_timestamp are one instant in every pass; SQL whose rows may differ
  // between two evaluations (random(), uuid(), window functions, LIMIT) is materialised first,
  // so each row is checked and written exactly as it was computed once.
  await conn.run('BEGIN TRANSACTION');
  const source = repeatable(o.sql) ? 'VIEW' : 'TABLE';
  await sqlStep(
    () => conn.run(`CREATE TEMP ${source} ${t('source')} AS SELECT * FROM ${quoteIdent(o.fromView)}`),
    o.sqlFile,
  );
  const names = o.columns.map((c) => quoteIdent(c.name)).join(', ');
  await conn.run(`CREATE TEMP VIEW ${t('typed')} AS SELECT ${checks.typedSelect} FROM ${t('source')}`);
  await conn.run(`CREATE TEMP VIEW ${t('dataset')} AS SELECT ${names} FROM ${t('typed')}`);
  let rowsIn = 0;
  await sqlStep(async () => {
    rowsIn = Number((await conn.runAndReadAll(`SELECT count(*) AS n FROM ${t('source')}`)).getRowObjects()[0]!.n);
  }, o.sqlFile);
  const tTransform = Date.now();

  // Curated output first (into the temporary sibling): it evaluates every value of the SQL, so a
  // runtime SQL error surfaces as one of that file.
  o.progress(o.prefix ? `writing the ${o.prefix.slice(0, -1)} output` : 'writing curated output');
  mkdirSync(join(o.dir, 'quarantine'), { recursive: true });
  const rows: CheckedRows = {
    typed: t('typed'),
    failing: t('failing'),
    columns: o.columns,
    okSql: checks.okSql,
    casts: checks.cast.size > 0,
    dir: o.dir,
  };
  let written = 0;
  await sqlStep(async () => {
    written = await writeCurated(conn, rows);
  }, o.sqlFile);
  const tCurated = Date.now();

  o.progress('evaluating quality rules');
  const { rules, failing } = await evaluateRules(conn, o, checks, t('failing'));
  const status: RunReport['status'] = rules.some((r) => r.outcome === 'failed')
    ? 'failed'
    : rules.some((r) => r.outcome === 'warned')
      ? 'warned'
      : 'passed';
  const tCheck = Date.now();

  o.progress('writing quarantine');
  const quarantined = await writeQuarantine(conn, rows, checks.rowRules, checks.cast, o.writeRejected);
  await conn.run('COMMIT');
  if (written + quarantined !== rowsIn || quarantined !== failing) {
    throw new Error(
      `conservation violated for ${o.ref}: ${rowsIn} row(s) in, ${written} written, ${quarantined} quarantined (a Meshkit bug: please report it)`,
    );
  }
  return {
    rowsIn,
    written,
    quarantined,
    rules,
    status,
    times: { transform: tTransform, curated: tCurated, check: tCheck },
  };
}

/**
 * The port's checks: conformance of the SQL's columns (`fromView`) with the contract, the quality
 * plan over `dataset`, and the contract's `type: sql` rules parsed — each one SELECT (DuckDB's
 * parser), else the run stops before anything is evaluated, at the rule's query in the contract.
 */
async function compileChecks(conn: DuckDBConnection, o: OutputSpec, dataset: string): Promise<PortChecks> {
  const described = await describe(conn, o.fromView);
  const casts = conformance(described, o.columns, o.sqlFile, o.contractFile, o.objectName);
  const plan = qualityPlan(o.contract, dataset, o.now, o.objectName);
  const rowRules: RowRule[] = [...casts.rules, ...plan.rowRules];
  const okSql = rowRules.length ? rowRules.map((r) => `(${r.passSql})`).join(' AND ') : 'TRUE';
  const sourceType = new Map(described.map((d) => [d.name.toLowerCase(), d.type]));
  const typedSelect = o.columns
    .map((c, i) =>
      casts.cast.has(c.name)
        ? `${conformanceCastSql(quoteIdent(c.name), sourceType.get(c.name.toLowerCase())!, c)} AS ${quoteIdent(c.name)}, ${quoteIdent(c.name)} AS "__orig_${i}"`
        : quoteIdent(c.name),
    )
    .join(', ');
  // A rule neither engine can run as written (a list value not of the column's type, a bound that
  // is not a date, …): the lint error CONTRACT-QUALITY-DQDL, here a stop before anything is
  // evaluated, at the rule in the contract. (`type: sql` rules have their own checks below.)
  const unexpressible = [
    ...dqdlProblems(plan.checks.filter((c) => c.kind !== 'sql')),
    ...plan.checks.flatMap((c) => {
      const pattern = c.kind === 'pattern' || c.kind === 'invalidValues' ? c.pattern : undefined;
      const problem = pattern === undefined ? undefined : checkPortableRegex(pattern);
      return problem ? [{ ...c, message: `pattern ${JSON.stringify(pattern)}: ${problem.message}` }] : [];
    }),
  ][0];
  if (unexpressible) {
    const at = o.locate(unexpressible.source);
    throw runError(
      'DQDL_UNEXPRESSIBLE',
      `quality rule ${unexpressible.id} of ${o.contractFile} cannot be checked as written: ${unexpressible.message}`,
      { file: o.contractFile, ...(at ? { line: at.line, column: at.column } : {}), exitCode: 1 },
    );
  }
  for (const c of plan.checks) {
    if (c.kind !== 'sql') continue;
    const problem = await selectStatementProblem(conn, bindQuery(c.query, dataset));
    if (problem)
      throw qualitySqlError(
        o,
        c,
        `must be one SELECT query: ${problem.message}${problem.line ? ` (line ${problem.line}, column ${problem.column} of the query)` : ''}`,
      );
  }
  return { cast: casts.cast, plan, rowRules, okSql, typedSelect };
}

/**
 * The outcome of every rule: row rules counted over the failing rows (every row failing one is
 * there: no pass over all rows), dataset rules run over the whole checked dataset, skipped rules.
 * @returns the outcomes, and the number of failing rows
 */
async function evaluateRules(
  conn: DuckDBConnection,
  o: OutputSpec,
  { plan, rowRules }: PortChecks,
  failingTable: string,
): Promise<{ rules: RuleOutcome[]; failing: number }> {
  const counts = (
    await conn.runAndReadAll(
      `SELECT count(*) AS q${rowRules.map((r, i) => `, count(*) FILTER (WHERE NOT (${r.passSql})) AS r${i}`).join('')} FROM ${failingTable}`,
    )
  ).getRowObjects()[0]!;
  const rules: RuleOutcome[] = rowRules.map((r, i) => {
    const failedRows = Number(counts[`r${i}`]);
    return {
      id: r.id,
      kind: r.kind,
      severity: r.severity,
      level: 'row',
      columns: r.columns,
      outcome: failedRows ? 'quarantined' : 'passed',
      metric: failedRows,
    };
  });
  const scanned = await scanOutcomes(conn, plan);
  for (const d of plan.datasetRules) rules.push(scanned.get(d.id) ?? (await datasetOutcome(conn, o, plan, d)));
  for (const s of plan.skipped) {
    const c = plan.checks.find((x) => x.id === s.id);
    rules.push({
      id: s.id,
      kind: 'skipped',
      severity: c?.severity ?? 'error',
      level: 'dataset',
      columns: c?.columns ?? [],
      outcome: 'skipped',
      metric: null,
      reason: s.reason,
    });
  }
  return { rules, failing: Number(counts.q) };
}

/**
 * The outcomes of the dataset rules computed in one scan ({@link QualityPlan.scan}), by rule id:
 * each the outcome its own query gives. When the scan fails, each of its rules fails (or warns)
 * with the reason, as a rule whose own query fails does.
 */
async function scanOutcomes(conn: DuckDBConnection, plan: QualityPlan): Promise<Map<string, RuleOutcome>> {
  const outcomes = new Map<string, RuleOutcome>();
  if (!plan.scan) return outcomes;
  let row: Record<string, unknown> | undefined;
  let reason: string | undefined;
  try {
    row = (await conn.runAndReadAll(plan.scan.sql)).getRowObjects()[0]!;
  } catch (e) {
    reason = `the rule's SQL failed: ${firstParagraph(e)}`;
  }
  plan.scan.ids.forEach((id, i) => {
    const d = plan.datasetRules.find((x) => x.id === id)!;
    outcomes.set(
      id,
      row ? datasetVerdict(d, row[`v${i}`], row[`p${i}`]) : { ...datasetVerdict(d, null, false), reason: reason! },
    );
  });
  return outcomes;
}

/** A dataset rule's outcome from its metric and verdict. */
function datasetVerdict(d: QualityPlan['datasetRules'][number], metric: unknown, passed: unknown): RuleOutcome {
  return {
    id: d.id,
    kind: d.kind,
    severity: d.severity,
    level: 'dataset',
    columns: d.columns,
    threshold: d.threshold,
    outcome: passed === true ? 'passed' : d.severity === 'error' ? 'failed' : 'warned',
    metric: metric === null || metric === undefined ? null : Number(metric),
  };
}

/** A dataset rule's outcome: its SELECT run; a failing `type: sql` rule stops the run (exit 1), another one fails or warns. */
async function datasetOutcome(
  conn: DuckDBConnection,
  o: OutputSpec,
  plan: QualityPlan,
  d: QualityPlan['datasetRules'][number],
): Promise<RuleOutcome> {
  try {
    const row = (await conn.runAndReadAll(d.sql)).getRowObjects()[0];
    return datasetVerdict(d, row?.value, row?.passed);
  } catch (e) {
    const c = plan.checks.find((x) => x.id === d.id);
    if (c?.kind === 'sql') throw qualitySqlError(o, c, `failed to run: ${firstParagraph(e)}`, e);
    return { ...datasetVerdict(d, null, false), reason: `the rule's SQL failed: ${firstParagraph(e)}` };
  }
}

/**
 * Compares the transform's output columns with the contract: missing, extra and never-castable
 * columns fail the run (exit 1, naming them); columns whose values need a cast get a
 * `<column>.castable` row rule.
 */
function conformance(
  described: LineageField[],
  columns: ContractColumn[],
  transformFile: string,
  contractFile: string,
  objectName: string,
): { cast: Set<string>; rules: RowRule[] } {
  const byName = new Map(described.map((d) => [d.name.toLowerCase(), d]));
  const expected = new Set(columns.map((c) => c.name.toLowerCase()));
  const missing = columns.filter((c) => !byName.has(c.name.toLowerCase())).map((c) => c.name);
  const extra = described.filter((d) => !expected.has(d.name.toLowerCase())).map((d) => d.name);
  const incompatible: string[] = [];
  const cast = new Set<string>();
  const rules: RowRule[] = [];
  columns.forEach((c, i) => {
    const d = byName.get(c.name.toLowerCase());
    if (!d) return;
    const how = castability(d.type, c.duckType);
    if (how === 'never') incompatible.push(`${c.name} (${d.type} → ${c.duckType})`);
    if (how === 'values') {
      cast.add(c.name);
      rules.push(castRule(c.name, `__orig_${i}`, c.duckType));
    }
  });
  const problems = [
    missing.length ? `missing column(s) ${missing.join(', ')}` : '',
    extra.length ? `extra column(s) ${extra.join(', ')}` : '',
    incompatible.length ? `type(s) not castable ${incompatible.join(', ')}` : '',
  ].filter(Boolean);
  if (problems.length) {
    throw runError(
      'NONCONFORMING_OUTPUT',
      `the output of ${sqlLabel(transformFile)} does not match schema object '${objectName}' of ${contractFile}: ${problems.join('; ')}`,
      { file: transformFile, exitCode: 1 },
    );
  }
  return { cast, rules };
}

/** The error (exit 1) of a contract's `type: sql` quality rule, at its query in the contract file. */
function qualitySqlError(o: OutputSpec, c: { id: string; source: Path }, what: string, cause?: unknown): MeshError {
  const at = o.locate([...c.source, 'query']) ?? o.locate(c.source);
  return runError('QUALITY_SQL', `quality rule ${c.id} (type: sql) of ${o.contractFile} ${what}`, {
    file: o.contractFile,
    ...(at ? { line: at.line, column: at.column } : {}),
    exitCode: 1,
    ...(cause === undefined ? {} : { cause }),
  });
}

/** Positions in a contract file, read when first asked for (errors only). */
export function locator(file: string): OutputSpec['locate'] {
  let source: ReturnType<typeof loadSource> | undefined;
  return (path) => {
    try {
      source ??= loadSource(file);
      const l = source.locate(path);
      return { line: l.line, column: l.column };
    } catch {
      return undefined;
    }
  };
}
