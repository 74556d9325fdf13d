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
  /**
   * The older major read when the producer's current major does not satisfy the range (the
   * highest served major that does: its output `<run>/v<major>/`). Absent when the current one is read.
   */
  servedMajor?: number;
}

/** One served older major in a run: its output, derived from the current output by its compatibility SQL. */
export interface ServedMajorReport {
  major: number;
  /** The frozen contract it was checked against. */
  contract: { id: string; version: string; object: string };
  /** The compatibility SQL file (relative to the repository root). */
  compatibilitySql: string;
  /** `failed` when a dataset rule of the old contract at error severity failed (the whole run is then `failed`). */
  status: 'passed' | 'warned' | 'failed';
  /** Rows the compatibility SQL produced; always `rowsOut + rowsQuarantined`. */
  rowsIn: number;
  rowsOut: number;
  rowsQuarantined: number;
  rules: RuleOutcome[];
  /** `<out>/v<major>`, its `curated/` and `quarantine/rows.parquet`. */
  paths: { dir: string; curated: string; quarantine: string };
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
  /**
   * Where `evaluatedAt` comes from: `given` (`--now`), `fixtures` (the pinned clock
   * `fixtures.now` of product.yaml, on a run of the product's own fixtures) or `real`.
   */
  clock: 'given' | 'fixtures' | 'real';
  /**
   * The input: `rowsRead` records, `rowsRejected` of them quarantined at input (malformed, one per
   * physical line, or holding a value that does not cast to the contract); `empty` says why an
   * input gave no rows (a 0-byte file, a header without records).
   */
  input: { path: string; format: 'csv' | 'jsonl' | 'parquet'; rowsRead: number; rowsRejected: number; empty?: string };
  consumed: ConsumedInput[];
  /** Rows of the checked dataset (the transform's output). Always `rowsOut + rowsQuarantined`. */
  rowsIn: number;
  rowsOut: number;
  rowsQuarantined: number;
  rules: RuleOutcome[];
  /**
   * The older majors served side by side (`servedMajors` of product.yaml), each derived from the
   * current output by its compatibility SQL and checked against its frozen contract. Absent when
   * the product serves no older major.
   */
  servedMajors?: ServedMajorReport[];
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
  lines.push(
    `  input     ${r.input.path} (${r.input.format}): ${r.input.rowsRead} row(s) read, ${r.input.rowsRejected} malformed → quarantine`,
  );
  if (r.input.empty) lines.push(`  empty     ${r.input.empty}`);
  for (const c of r.consumed)
    lines.push(
      `  consumed  ${c.view} ← ${c.product} ${c.contractVersion}${c.servedMajor !== undefined ? ` (served major v${c.servedMajor})` : ''} (${c.source}: ${c.path}), ${c.rows} row(s)`,
    );
  if (r.clock === 'fixtures')
    lines.push(`  clock     ${r.evaluatedAt} (fixtures.now of product.yaml: the fixtures' pinned clock)`);
  lines.push(`  rows      ${r.rowsIn} in = ${r.rowsOut} out + ${r.rowsQuarantined} quarantined`);
  const shownRules = r.rules.filter((x) => x.outcome !== 'passed');
  const passed = r.rules.length - shownRules.length;
  lines.push(
    `  rules     ${passed} passed, ${r.rules.filter((x) => x.outcome === 'quarantined').length} quarantined rows, ${r.rules.filter((x) => x.outcome === 'warned').length} warned, ${r.rules.filter((x) => x.outcome === 'failed').length} failed, ${r.rules.filter((x) => x.outcome === 'skipped').length} skipped`,
  );
  const max = 12;
  for (const x of shownRules.slice(0, max)) {
    const what =
      x.outcome === 'skipped'
        ? (x.reason ?? '')
        : x.level === 'row'
          ? `${x.metric} row(s)`
          : `metric ${x.metric === null ? 'null' : Number.isInteger(x.metric) ? x.metric : x.metric.toFixed(2)} (expected ${x.threshold})`;
    lines.push(`    ${mark[x.outcome]} ${x.id}: ${what}`);
  }
  if (shownRules.length > max) lines.push(`    … and ${shownRules.length - max} more (see ${r.paths.report})`);
  for (const m of r.servedMajors ?? []) {
    const bad = m.rules
      .filter((x) => x.outcome === 'failed' || x.outcome === 'warned' || x.outcome === 'quarantined')
      .map((x) => `${x.outcome === 'quarantined' ? 'quar' : x.outcome === 'failed' ? 'FAIL' : 'warn'} ${x.id}`);
    lines.push(
      `  major v${m.major}  ${m.status.toUpperCase()} (contract ${m.contract.version} via ${m.compatibilitySql}): ${m.rowsIn} in = ${m.rowsOut} out + ${m.rowsQuarantined} quarantined${bad.length ? `; ${bad.join(', ')}` : ''}`,
    );
  }
  lines.push(
    `  time      ${(r.timings.total / 1000).toFixed(2)} s (read ${r.timings.read} ms, transform ${r.timings.transform} ms, checks ${r.timings.check} ms, write ${r.timings.write} ms)`,
  );
  lines.push(`  output    ${r.paths.dir}`);
  return lines.join('\n') + '\n';
}
