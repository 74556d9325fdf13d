// Drives the Glue job's PySpark core (packages/mesh-core/glue/meshkit_spark.py) on local Spark from
// TypeScript: one Python process (one SparkSession) per test file, jobs sent as JSON lines. Used by
// the parity tests and bench/spark.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import {
  toCheckPlan,
  landingFormatOf,
  loadContract,
  loadProductManifest,
  selectObject,
  toGlueColumns,
  type CheckPlan,
  type OdcsContract,
} from '@meshkit/contracts';
import { loadServedMajors } from '../src/index.js';
import { consumedViewName } from '../src/product.js';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const VENV_PYTHON = join(ROOT, '.venv', 'bin', 'python');
export const SPARK_CORE = join(ROOT, 'packages', 'mesh-core', 'glue', 'meshkit_spark.py');
export const IN_CI = !!process.env.CI && !['false', '0'].includes(process.env.CI.toLowerCase());

/**
 * Why the Spark core cannot run here (no .venv, no PySpark, no Java), or undefined. In CI
 * (CI=true) a reason is an error: .ci/run installs the venv, so the parity suite must run.
 */
export function sparkUnavailable(): string | undefined {
  let reason: string | undefined;
  if (!existsSync(VENV_PYTHON))
    reason = '.venv/bin/python is missing: install the pinned Python tools with `bash scripts/setup-python.sh`';
  else if (spawnSync(VENV_PYTHON, ['-c', 'import pyspark'], { stdio: 'ignore' }).status !== 0)
    reason = '.venv has no pyspark: run `bash scripts/setup-python.sh`';
  else if (spawnSync('java', ['-version'], { stdio: 'ignore' }).status !== 0)
    reason = 'java is not on PATH (PySpark needs Java 17)';
  if (reason && IN_CI) throw new Error(`${reason} (CI=true: the Spark parity suite must run)`);
  return reason;
}

/** A rule outcome of the Spark core's report (the runtime's RuleOutcome fields). */
export interface SparkRuleOutcome {
  id: string;
  kind: string;
  severity: string;
  level: string;
  columns: string[];
  outcome: string;
  metric: number | null;
  reason?: string;
}

/** The Spark core's report of one job. */
export interface SparkReport {
  status: 'passed' | 'warned' | 'failed';
  rowsIn: number;
  rowsOut: number;
  rowsQuarantined: number;
  rowsRejected: number;
  rules: SparkRuleOutcome[];
  servedMajors?: Array<{
    major: number;
    status: string;
    rowsIn: number;
    rowsOut: number;
    rowsQuarantined: number;
    rules: SparkRuleOutcome[];
  }>;
  seconds: number;
}

/** One job of the Spark core (see `run_job` in meshkit_spark.py). */
export interface SparkJob {
  plan: CheckPlan;
  input: string;
  format: 'csv' | 'jsonl' | 'parquet';
  transformSql?: string;
  out?: string;
  consumed?: Record<string, { path: string; columns: Array<{ name: string; glueType: string }> }>;
  served?: Array<{ major: number; sql: string; plan: CheckPlan; label?: string }>;
}

/** A job's failure, as the core reports it (`code` like the runtime's MeshError codes). */
export class SparkJobError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** One Python process running the Spark core, answering jobs in order. */
export class SparkCore {
  #child: ChildProcessWithoutNullStreams;
  #waiting: Array<(line: Record<string, unknown>) => void> = [];
  #stderr = '';
  #next = 1;

  private constructor(child: ChildProcessWithoutNullStreams) {
    this.#child = child;
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (!line.startsWith('@@meshkit ')) return;
      this.#waiting.shift()?.(JSON.parse(line.slice('@@meshkit '.length)) as Record<string, unknown>);
    });
    child.stderr.on('data', (d: Buffer) => {
      this.#stderr = (this.#stderr + d.toString()).slice(-8000);
    });
    child.on('exit', (code) => {
      for (const w of this.#waiting.splice(0))
        w({ error: { code: 'EXITED', message: `the Spark core exited (${code}):\n${this.#stderr}` } });
    });
  }

  /**
   * Starts the core (a SparkSession on `local[cores]`) and waits until it is ready.
   * @param cores Spark's local threads. @default 2
   * @param options.quickJit run the JVM with its quick JIT only (`-XX:TieredStopAtLevel=1`): for
   * many tiny jobs (the parity tests), where C2's optimising compiles cost more CPU than they save
   * (the parity file: ~74 s → ~37 s of JVM CPU); not for a benchmark of large inputs. Results are
   * the same (JIT tiers do not change semantics). @default false
   */
  static async start(cores = 2, options: { quickJit?: boolean } = {}): Promise<SparkCore> {
    const child = spawn(VENV_PYTHON, [SPARK_CORE, '--serve'], {
      cwd: ROOT,
      env: {
        ...process.env,
        MESHKIT_SPARK_CORES: String(cores),
        PYSPARK_PYTHON: VENV_PYTHON,
        ...(options.quickJit ? { MESHKIT_SPARK_JAVA_OPTIONS: '-XX:TieredStopAtLevel=1' } : {}),
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const core = new SparkCore(child);
    const ready = await core.#answer();
    if (!ready.ready) throw new Error(`the Spark core did not start: ${JSON.stringify(ready)}`);
    return core;
  }

  #answer(): Promise<Record<string, unknown>> {
    return new Promise((res) => this.#waiting.push(res));
  }

  /** Runs one job; rejects with {@link SparkJobError} when the core reports a failure. */
  async run(job: SparkJob): Promise<SparkReport> {
    const id = this.#next++;
    const answer = this.#answer();
    this.#child.stdin.write(JSON.stringify({ id, ...job }) + '\n');
    const a = await answer;
    if (a.error) {
      const e = a.error as { code: string; message: string };
      throw new SparkJobError(e.code, e.message);
    }
    return a.report as SparkReport;
  }

  /** Stops the process. */
  async close(): Promise<void> {
    const exited = new Promise((res) => this.#child.once('exit', res));
    this.#child.stdin.end();
    await Promise.race([exited, new Promise((res) => setTimeout(res, 20_000))]);
    if (this.#child.exitCode === null) this.#child.kill();
  }
}

/** The columns of a contract as the core's consumed-view typing expects them. */
export function planColumns(contract: OdcsContract): Array<{ name: string; glueType: string }> {
  const g = toGlueColumns(contract);
  return [...g.columns, ...g.partitionKeys].map((c) => ({ name: c.name, glueType: c.type }));
}

/**
 * The Spark job of a product folder, as the Glue job gets it: the check plan (Spark dialect,
 * freshness evaluated at `now`), transform.sql, the served majors' SQL and plans, the consumed
 * products (read from `consumed[<domain>/<product>]`, typed by their contracts).
 */
export function sparkJobOf(
  productDir: string,
  root: string,
  input: string,
  now: Date,
  consumed: Record<string, string> = {},
): SparkJob {
  const manifest = loadProductManifest(join(productDir, 'product.yaml')).value;
  const contract = loadContract(join(productDir, manifest.contract)).contract!;
  const served = loadServedMajors(root, productDir, manifest, contract);
  const ext = input.toLowerCase();
  const format = ext.endsWith('.csv')
    ? 'csv'
    : ext.endsWith('.jsonl') || ext.endsWith('.ndjson')
      ? 'jsonl'
      : ext.endsWith('.parquet')
        ? 'parquet'
        : landingFormatOf(manifest.ingestion);
  return {
    plan: toCheckPlan(contract, { dialect: 'spark', now, object: selectObject(contract).object.name }),
    input: resolve(input),
    format,
    transformSql: readFileSync(join(productDir, 'transform.sql'), 'utf8'),
    consumed: Object.fromEntries(
      manifest.consumes.map((c) => {
        const [domain, product] = c.product.split('/') as [string, string];
        const producerDir = join(root, 'domains', domain, 'products', product);
        const producerContract = loadContract(
          join(producerDir, loadProductManifest(join(producerDir, 'product.yaml')).value.contract),
        ).contract!;
        const path = consumed[c.product];
        if (!path) throw new Error(`sparkJobOf: no input given for consumed product ${c.product}`);
        return [consumedViewName(c.product), { path: resolve(path), columns: planColumns(producerContract) }];
      }),
    ),
    served: served.map((m) => ({
      major: m.major,
      sql: m.sql,
      plan: toCheckPlan(m.contract, { dialect: 'spark', now }),
      label: `majors/v${m.major}`,
    })),
  };
}
