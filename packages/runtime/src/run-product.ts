import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import {
  findRepoRoot,
  LANDING_FORMAT_EXTENSIONS,
  landingFormatOf,
  loadContract,
  loadProductManifest,
  MeshError,
  selectObject,
  type OdcsContract,
  type ProductManifest,
  writeFileDurable,
  PRODUCT_MANIFEST_FILE,
} from '@meshkit/contracts';
import { checkAndWrite, locator, type OutputResult } from './check-output.js';
import { bindCurrent, registerConsumed, type ConsumeContext } from './consume.js';
import { lineageEvent, type LineageField } from './lineage.js';
import { OWNER_FILE, publish, removeStaleTemporaries } from './output-dir.js';
import { defaultRunDir, findFixture, FIXTURE_INPUT, runClock } from './product.js';
import { registerRawInput, type RawInput } from './raw-input.js';
import type { ConsumedInput, RunReport, ServedMajorReport } from './report.js';
import { runError, unwritableOutput } from './run-errors.js';
import { lockDown } from './sandbox.js';
import { loadServedMajors, type ServedMajor } from './served-majors.js';
import { assertPortable, describe, runTransform } from './sql-steps.js';
import { contractColumns, quoteIdent, type ContractColumn } from './types.js';

export { runError, type RunErrorCode } from './run-errors.js';
export { sqlPosition } from './sql-steps.js';

/** Options of {@link runProduct}. */
export interface RunProductOptions {
  /** The product's folder (holding `product.yaml`, `transform.sql`, `fixtures/`). */
  productDir: string;
  /**
   * Repository root: consumed products are resolved under `<root>/domains/` and read from
   * `<root>/.mesh/runs/`.
   * @default the directory holding `mesh.config.yaml` above `productDir`, else `productDir`
   */
  root?: string;
  /** The product manifest. @default loaded from `<productDir>/product.yaml` */
  manifest?: ProductManifest;
  /** The product's contract. @default loaded from the manifest's `contract` file */
  contract?: OdcsContract;
  /**
   * Input file: CSV (`.csv`, header row, dialect sniffed), JSON lines (`.jsonl`, `.ndjson`) or
   * Parquet (`.parquet`), by extension.
   * @default the first of `<productDir>/fixtures/raw.{csv,jsonl,ndjson,parquet}`
   */
  input?: string;
  /** Output directory. @default `<root>/.mesh/runs/<domain>/<product>` */
  out?: string;
  /**
   * Where a consumed product (`<domain>/<product>`) is read from instead of the default (its
   * latest local run's curated output, else its fixtures): a Parquet/CSV/JSON lines file or a
   * directory of Parquet files.
   * @default {}
   */
  consumed?: Record<string, string>;
  /**
   * The instant time-relative rules (freshness) are evaluated at.
   * @default for a run of the product's own fixtures (no `input`), `fixtures.now` of product.yaml
   * when set (the fixtures' pinned clock); otherwise the current time
   */
  now?: Date;
  /** Called at the start of each step (for progress output). @default none */
  onProgress?: (step: string) => void;
  /** DuckDB worker threads. @default DuckDB's default (the number of cores) */
  threads?: number;
  /** @internal Test hook: called with the temporary directory just before it replaces the output. */
  beforePublish?: (tmpDir: string) => void | Promise<void>;
}

/**
 * Runs a data product locally on embedded DuckDB:
 *
 * 1. registers the input as the view `raw` (malformed CSV rows and invalid JSON lines are
 *    rejected to quarantine with DuckDB's reason) and each consumed product as the view
 *    `<domain>_<product>` (its latest run's curated output under `<root>/.mesh/runs/`, else its
 *    `fixtures/output.*`, else its `fixtures/raw.*`, cast to its contract's columns);
 * 2. checks `transform.sql` against the portable SQL subset, then runs it;
 * 3. checks the result against the contract (missing, extra and incompatible columns);
 * 4. evaluates the contract's quality checks compiled from the shared IR: rows failing a
 *    row-level rule (or whose value cannot be cast to the contract type) go to quarantine with
 *    the failed rule ids and a reason; dataset rules pass, warn (warning severity) or fail
 *    (error severity), evaluated over the whole checked dataset like Glue's EvaluateDataQuality;
 * 5. writes curated Parquet (hive-partitioned by the contract's partition keys), the quarantine
 *    (`quarantine/rows.parquet`, `quarantine/rejected-input.parquet`), `run-report.json` and
 *    `openlineage.json` into a temporary sibling directory and renames it over the output
 *    directory — a run that fails a dataset rule at error severity is published to
 *    `<out>.failed` instead, leaving the last good output in place.
 *
 * 6. for each older major the product still serves (`servedMajors` of product.yaml, see
 *    {@link loadServedMajors}): binds the curated rows just written as the view `current`, runs
 *    its compatibility SQL (portable-SQL checked, errors at its line) and gives the result the
 *    same checks against the frozen contract (steps 3–4), written to `<out>/v<major>/curated/`
 *    and `<out>/v<major>/quarantine/rows.parquet` in the same temporary directory (one rename).
 *
 * Conservation (`rowsIn = rowsOut + rowsQuarantined`, counted from what was written) is asserted
 * on every run, for every major.
 *
 * @throws MeshError exit 2: missing or unreadable input, missing transform.sql, unknown consumed
 * product, an inconsistent `servedMajors` entry; exit 1: unportable SQL or a SQL error in
 * transform.sql or a compatibility SQL (with its line), output not matching the contract (naming
 * the columns and the SQL file).
 */
export async function runProduct(options: RunProductOptions): Promise<RunReport> {
  return runProductWith(options, {});
}

/**
 * {@link runProduct} with what the runtime passes to itself (a consumed producer's run, the stream
 * path): a parameter of its own, not options of the public API. Not exported by the package index.
 */
export async function runProductWith(options: RunProductOptions, internal: RunInternals): Promise<RunReport> {
  const started = Date.now();
  const run = planRun(options, internal, started);
  const { out, progress, shown } = run;
  const { instance, conn } = await openDuckDb(options.threads);
  const tmp = `${out}.tmp-${run.runId.slice(0, 8)}`;
  removeStaleTemporaries(out);
  const tempDirs: string[] = [];
  try {
    const t0 = Date.now();
    const inputs = await registerInputs(conn, run, options, internal, tempDirs);
    const tRead = Date.now();

    // From here on only SQL runs: the files registered above (and the temporary links they are
    // read through) and the output directory stay reachable, nothing else, and no SET can change
    // that (see sandbox.ts).
    await conn.run(`SET partitioned_write_flush_threshold = ${ROW_GROUP_ROWS}`);
    await lockDown(conn, { readPaths: [...inputs.readPaths, ...tempDirs], writeDirs: [tmp] });
    await bindTransform(conn, run, inputs.raw);
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    writeFileSync(join(tmp, OWNER_FILE), `${process.pid}\n`); // a marker, removed before the rename: no fsync needed
    const current = await checkAndWrite(conn, {
      prefix: '',
      fromView: '__transform',
      sql: run.transformSql,
      sqlFile: shown(run.transformFile),
      ref: run.ref,
      contract: run.contract,
      contractFile: shown(join(run.productDir, run.manifest.contract)),
      locate: locator(join(run.productDir, run.manifest.contract)),
      objectName: run.objectName,
      columns: run.columns,
      now: run.now,
      dir: tmp,
      writeRejected: true,
      progress,
    });
    const servedReports = await writeServedMajors(conn, run, tmp);
    const tWrite = Date.now();
    const report = runReport(run, inputs, current, servedReports, { started, t0, read: tRead, done: tWrite });
    const outputSchema = run.columns.map((c) => ({ name: c.name, type: c.duckType }));
    writeFileDurable(join(tmp, 'run-report.json'), JSON.stringify(report, null, 2) + '\n');
    writeFileDurable(
      join(tmp, 'openlineage.json'),
      JSON.stringify(
        lineageEvent({ report, transformSql: run.transformSql, inputSchemas: inputs.schemas, outputSchema }),
        null,
        2,
      ) + '\n',
    );
    rmSync(join(tmp, OWNER_FILE), { force: true });
    await options.beforePublish?.(tmp);
    publish(tmp, report.paths.dir);
    return report;
  } catch (e) {
    throw unwritableOutput(e, out, shown) ?? e;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
    conn.closeSync();
    instance.closeSync();
  }
}

/** What one run works from, resolved before DuckDB starts. */
interface RunPlan {
  runId: string;
  startedAt: string;
  productDir: string;
  root: string;
  manifest: ProductManifest;
  now: Date;
  clock: RunReport['clock'];
  contract: OdcsContract;
  /** `<domain>/<product>`. */
  ref: string;
  objectName: string;
  columns: ContractColumn[];
  out: string;
  progress: (step: string) => void;
  /** A path as shown in messages (relative to the root). */
  shown: (p: string) => string;
  transformFile: string;
  transformSql: string;
  served: ServedMajor[];
  input: string;
}

/**
 * Resolves the run: product, contract, clock, output directory; transform.sql present and
 * portable; served majors loaded and their SQL portable; the input found — before anything runs.
 */
function planRun(options: RunProductOptions, internal: RunInternals, started: number): RunPlan {
  const productDir = resolve(options.productDir);
  const root = resolve(options.root ?? findRepoRoot(productDir) ?? productDir);
  const manifest = options.manifest ?? loadProductManifest(join(productDir, PRODUCT_MANIFEST_FILE)).value;
  const fixtureRun = internal.fixtureRun ?? options.input === undefined;
  const { now, clock } = runClock(manifest, fixtureRun, options.now, new Date(started));
  const contract = options.contract ?? loadValidContract(join(productDir, manifest.contract), root);
  const ref = `${manifest.domain}/${manifest.name}`;
  const shown = (p: string) => relative(root, p) || '.';

  // transform.sql: present and portable.
  const transformFile = join(productDir, 'transform.sql');
  if (!existsSync(transformFile)) {
    throw runError('INPUT_NOT_FOUND', `${ref} has no transform.sql (expected ${shown(transformFile)})`, {
      file: shown(transformFile),
      exitCode: 2,
    });
  }
  const transformSql = readFileSync(transformFile, 'utf8');
  assertPortable(transformSql, shown(transformFile));

  // Served majors: frozen contracts and compatibility SQL, loaded and portable before anything runs.
  const served = loadServedMajors(root, productDir, manifest, contract);
  for (const m of served) assertPortable(m.compatibilitySql, shown(m.compatibilitySqlFile));
  return {
    runId: randomUUID(),
    startedAt: new Date(started).toISOString(),
    productDir,
    root,
    manifest,
    now,
    clock,
    contract,
    ref,
    objectName: selectObject(contract).object.name,
    columns: contractColumns(contract),
    out: resolve(options.out ?? defaultRunDir(root, manifest.domain, manifest.name)),
    progress: options.onProgress ?? (() => undefined),
    shown,
    transformFile,
    transformSql,
    served,
    input: runInput(productDir, manifest, options.input),
  };
}

/** The input file: `input`, else the fixture in the landing format (product.yaml ingestion.format). */
function runInput(productDir: string, manifest: ProductManifest, given: string | undefined): string {
  const landing = landingFormatOf(manifest.ingestion);
  const landingExtensions = LANDING_FORMAT_EXTENSIONS[landing];
  const input = resolve(
    given ??
      findFixture(productDir, FIXTURE_INPUT, landingExtensions) ??
      join(productDir, 'fixtures', `${FIXTURE_INPUT}${landingExtensions[0]}`),
  );
  if (!existsSync(input)) {
    const tried =
      given === undefined
        ? ` (looked for fixtures/${FIXTURE_INPUT}{${landingExtensions.join(',')}}: ingestion.format is ${landing} in product.yaml)`
        : '';
    throw runError('INPUT_NOT_FOUND', `input not found: ${input}${tried}`, { file: input, exitCode: 2 });
  }
  return input;
}

/** An in-memory DuckDB with the session settings both engines share. */
async function openDuckDb(threads: number | undefined): Promise<{ instance: DuckDBInstance; conn: DuckDBConnection }> {
  const instance = await DuckDBInstance.create(':memory:', threads ? { threads: String(threads) } : {});
  const conn = await instance.connect();
  // UTC, like the Glue job (Spark's session time zone): a timestamp without zone is UTC, and
  // current_date is the same day on both engines.
  await conn.run(`SET TimeZone = 'UTC'`);
  // NULLs sort first in ascending and last in descending order, as in Spark (DuckDB's default
  // is NULLS LAST both ways): window functions and ORDER BY … LIMIT pick the same rows.
  await conn.run(`SET default_null_order = 'nulls_first_on_asc_last_on_desc'`);
  // Row order in written files is not part of a product's output (Spark does not keep it either):
  // DuckDB may then write partitioned output in parallel (~8 % of bench:run).
  await conn.run('SET preserve_insertion_order = false');
  return { instance, conn };
}

/** The registered inputs of a run. */
interface RunInputs {
  raw: RawInput;
  consumed: ConsumedInput[];
  /** Columns of each input view (for the lineage event). */
  schemas: Record<string, LineageField[]>;
  /** Every file or directory registered as input: the only ones user SQL may read. */
  readPaths: string[];
}

/** Registers the input as `raw` (its casts checked against transform.sql) and each consumed product as its view. */
async function registerInputs(
  conn: DuckDBConnection,
  run: RunPlan,
  options: RunProductOptions,
  internal: RunInternals,
  tempDirs: string[],
): Promise<RunInputs> {
  run.progress(`reading ${run.shown(run.input)}`);
  const raw = await registerRawInput(conn, run.input, 'raw', run.columns, tempDirs);
  assertPortable(run.transformSql, run.shown(run.transformFile), raw.textColumns);
  const schemas: Record<string, LineageField[]> = raw.empty === 'no-header' ? {} : { raw: await describe(conn, 'raw') };
  const consumed: ConsumedInput[] = [];
  const ctx: ConsumeContext = {
    root: run.root,
    ...(options.now ? { now: options.now } : {}),
    chain: [...(internal.chain ?? []), run.ref],
    tempDirs,
    readPaths: [run.input],
  };
  for (const c of run.manifest.consumes) {
    run.progress(`registering consumed product ${c.product}`);
    const info = await registerConsumed(conn, ctx, c, options.consumed?.[c.product]);
    consumed.push(info);
    schemas[info.view] = await describe(conn, info.view);
  }
  return { raw, consumed, schemas, readPaths: ctx.readPaths };
}

/** Binds transform.sql as `__transform`; an input without even a header gives an empty, typed output instead. */
async function bindTransform(conn: DuckDBConnection, run: RunPlan, raw: RawInput): Promise<void> {
  if (raw.empty === 'no-header') {
    // Nothing to transform, not even a header: the output is empty (dataset rules still judge it).
    await conn.run(
      `CREATE TEMP VIEW __transform AS SELECT ${run.columns.map((c) => `CAST(NULL AS ${c.duckType}) AS ${quoteIdent(c.name)}`).join(', ')} WHERE FALSE`,
    );
    return;
  }
  run.progress('running transform.sql');
  await runTransform(conn, run.transformSql, run.shown(run.transformFile));
}

/** Each served older major: its compatibility SQL over the curated rows just written, checked against its frozen contract, written to `<tmp>/v<major>/`. */
async function writeServedMajors(conn: DuckDBConnection, run: RunPlan, tmp: string): Promise<ServedMajorReport[]> {
  const reports: ServedMajorReport[] = [];
  for (const m of run.served) {
    run.progress(`deriving major ${m.major} with ${run.shown(m.compatibilitySqlFile)}`);
    if (!reports.length) await bindCurrent(conn, join(tmp, 'curated'), run.columns);
    await runTransform(conn, m.compatibilitySql, run.shown(m.compatibilitySqlFile), `__compat_v${m.major}`);
    const r = await checkAndWrite(conn, {
      prefix: `v${m.major}_`,
      fromView: `__compat_v${m.major}`,
      sql: m.compatibilitySql,
      sqlFile: run.shown(m.compatibilitySqlFile),
      ref: `${run.ref} v${m.major}`,
      contract: m.contract,
      contractFile: run.shown(m.contractFile),
      locate: locator(m.contractFile),
      objectName: m.object,
      columns: m.columns,
      now: run.now,
      dir: join(tmp, `v${m.major}`),
      writeRejected: false,
      progress: run.progress,
    });
    reports.push({
      major: m.major,
      contract: { id: m.contract.id, version: m.contract.version, object: m.object },
      compatibilitySql: run.shown(m.compatibilitySqlFile),
      status: r.status,
      rowsIn: r.rowsIn,
      rowsOut: r.written,
      rowsQuarantined: r.quarantined,
      rules: r.rules,
      paths: { dir: '', curated: '', quarantine: '' },
    });
  }
  return reports;
}

/** The run report: the worst status of all majors decides where the run is published (`<out>`, or `<out>.failed`). */
function runReport(
  run: RunPlan,
  inputs: RunInputs,
  current: OutputResult,
  servedReports: ServedMajorReport[],
  at: { started: number; t0: number; read: number; done: number },
): RunReport {
  const worst = (a: RunReport['status'], b: RunReport['status']) =>
    a === 'failed' || b === 'failed' ? 'failed' : a === 'warned' || b === 'warned' ? 'warned' : 'passed';
  const status = servedReports.reduce<RunReport['status']>((s, r) => worst(s, r.status), current.status);
  const target = status === 'failed' ? `${run.out}.failed` : run.out;
  for (const r of servedReports) {
    const dir = join(target, `v${r.major}`);
    r.paths = { dir, curated: join(dir, 'curated'), quarantine: join(dir, 'quarantine', 'rows.parquet') };
  }
  const { transform: tTransform, curated: tCurated, check: tCheck } = current.times;
  const { raw } = inputs;
  return {
    product: run.ref,
    contract: { id: run.contract.id, version: run.contract.version, object: run.objectName },
    status,
    runId: run.runId,
    startedAt: run.startedAt,
    finishedAt: new Date(at.done).toISOString(),
    evaluatedAt: run.now.toISOString(),
    clock: run.clock,
    input: {
      path: run.input,
      format: raw.format,
      rowsRead: raw.rows + raw.rejected,
      rowsRejected: raw.rejected,
      ...(raw.empty ? { empty: emptyInputMessage(run.shown(run.input), raw.empty) } : {}),
    },
    consumed: inputs.consumed,
    rowsIn: current.rowsIn,
    rowsOut: current.written,
    rowsQuarantined: current.quarantined,
    rules: current.rules,
    ...(servedReports.length ? { servedMajors: servedReports } : {}),
    timings: {
      read: at.read - at.t0,
      transform: tTransform - at.read,
      check: tCheck - tCurated,
      write: tCurated - tTransform + (at.done - tCheck),
      total: at.done - at.started,
    },
    paths: {
      dir: target,
      curated: join(target, 'curated'),
      quarantine: join(target, 'quarantine', 'rows.parquet'),
      rejectedInput: join(target, 'quarantine', 'rejected-input.parquet'),
      report: join(target, 'run-report.json'),
      lineage: join(target, 'openlineage.json'),
    },
  };
}

function emptyInputMessage(input: string, empty: NonNullable<RawInput['empty']>): string {
  return empty === 'no-header'
    ? `${input} is empty (no header row): transform.sql was not run, the output has no rows`
    : `${input} has a header row and no records: the output has no rows`;
}

/** What the runtime passes to itself: the second parameter of {@link runProductWith}. */
export interface RunInternals {
  /** Products being run, outermost first (cycle detection). @default [] */
  chain?: string[];
  /** Whether `input` is the product's own fixture (the stream path replays it through a spool file). @default `input === undefined` */
  fixtureRun?: boolean;
}

function loadValidContract(file: string, root: string): OdcsContract {
  const loaded = loadContract(file, { name: relative(root, file) });
  if (loaded.contract) return loaded.contract;
  const first = loaded.diagnostics[0];
  throw new MeshError('INVALID_CONTRACT', `the contract is invalid: ${first?.message ?? 'unknown problem'}`, {
    file: relative(root, file),
    ...(first ? { line: first.location.line, column: first.location.column } : {}),
    details: loaded.diagnostics,
  });
}

/** DuckDB's default Parquet row group size. */
const ROW_GROUP_ROWS = 122_880;
