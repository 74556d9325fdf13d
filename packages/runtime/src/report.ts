/** Outcome of one rule in a run. */
export interface RuleOutcome {
  id: string;
  kind: string;
  severity: 'error' | 'warning';
  /** `row`: failing rows are quarantined; `dataset`: the run passes, warns or fails. */
  level: 'row' | 'dataset';
  columns: string[];
  /**
   * `passed`; `quarantined` (row rule with failing rows); `warned` / `failed` (dataset rule at
   * warning / error severity); `skipped` (not executable, with the reason).
   */
  outcome: 'passed' | 'quarantined' | 'warned' | 'failed' | 'skipped';
  /** Row rules: the number of failing rows; dataset rules: the metric's value. */
  metric: number | null;
  /** Dataset rules: the threshold the metric is compared with. */
  threshold?: string;
  /** Skipped rules: why. */
  reason?: string;
}

/** A consumed product as the run saw it. */
export interface ConsumedInput {
  /** `<domain>/<product>`. */
  product: string;
  /** The view name in transform.sql, `<domain>_<product>` snake_cased. */
  view: string;
  /** `run`: the producer's latest local run; `fixtures`: its fixtures. */
  source: 'run' | 'fixtures';
  path: string;
  rows: number;
  /** The version range declared in product.yaml and the producer's contract version. */
  versionRange: string;
  contractVersion: string;
}

/** The run report (`run-report.json`). */
export interface RunReport {
  /** `<domain>/<product>`. */
  product: string;
  contract: { id: string; version: string; object: string };
  /** `failed` when a dataset rule at error severity failed (the output then goes to `<out>.failed`). */
  status: 'passed' | 'warned' | 'failed';
  runId: string;
  startedAt: string;
  finishedAt: string;
  /** Instant freshness is evaluated against. */
  evaluatedAt: string;
  input: { path: string; format: 'csv' | 'jsonl' | 'parquet'; rowsRead: number; rowsRejected: number };
  consumed: ConsumedInput[];
  /** Rows of the checked dataset (the transform's output). Always `rowsOut + rowsQuarantined`. */
  rowsIn: number;
  rowsOut: number;
  rowsQuarantined: number;
  rules: RuleOutcome[];
  /** Milliseconds per step. */
  timings: { read: number; transform: number; check: number; write: number; total: number };
  /** Where the outputs are (after the final rename). */
  paths: { dir: string; curated: string; quarantine: string; rejectedInput: string; report: string; lineage: string };
}

/** A one-screen text summary of a run. */
export function formatRunSummary(r: RunReport): string {
  const lines: string[] = [];
  const mark = { passed: 'ok  ', quarantined: 'quar', warned: 'warn', failed: 'FAIL', skipped: 'skip' } as const;
  lines.push(`${r.product} (contract ${r.contract.id} ${r.contract.version}): ${r.status.toUpperCase()}`);
  lines.push(`  input     ${r.input.path} (${r.input.format}): ${r.input.rowsRead} row(s) read, ${r.input.rowsRejected} malformed → quarantine`);
  for (const c of r.consumed) lines.push(`  consumed  ${c.view} ← ${c.product} ${c.contractVersion} (${c.source}: ${c.path}), ${c.rows} row(s)`);
  lines.push(`  rows      ${r.rowsIn} in = ${r.rowsOut} out + ${r.rowsQuarantined} quarantined`);
  const shownRules = r.rules.filter((x) => x.outcome !== 'passed');
  const passed = r.rules.length - shownRules.length;
  lines.push(`  rules     ${passed} passed, ${r.rules.filter((x) => x.outcome === 'quarantined').length} quarantined rows, ${r.rules.filter((x) => x.outcome === 'warned').length} warned, ${r.rules.filter((x) => x.outcome === 'failed').length} failed, ${r.rules.filter((x) => x.outcome === 'skipped').length} skipped`);
  const max = 12;
  for (const x of shownRules.slice(0, max)) {
    const what = x.outcome === 'skipped' ? x.reason ?? '' : x.level === 'row' ? `${x.metric} row(s)` : `metric ${x.metric === null ? 'null' : Number.isInteger(x.metric) ? x.metric : x.metric.toFixed(2)} (expected ${x.threshold})`;
    lines.push(`    ${mark[x.outcome]} ${x.id}: ${what}`);
  }
  if (shownRules.length > max) lines.push(`    … and ${shownRules.length - max} more (see ${r.paths.report})`);
  lines.push(`  time      ${(r.timings.total / 1000).toFixed(2)} s (read ${r.timings.read} ms, transform ${r.timings.transform} ms, checks ${r.timings.check} ms, write ${r.timings.write} ms)`);
  lines.push(`  output    ${r.paths.dir}`);
  return lines.join('\n') + '\n';
}
