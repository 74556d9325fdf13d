import { randomUUID } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import semver from 'semver';
import {
  bindQuery,
  findRepoRoot,
  LANDING_FORMAT_EXTENSIONS,
  landingFormatOf,
  loadContract,
  loadProductManifest,
  loadSource,
  MeshError,
  replaceDirectory,
  selectObject,
  type Diagnostic,
  type MeshErrorCode,
  type OdcsContract,
  type Path,
  type ProductManifest,
  writeFileDurable,
} from '@meshkit/contracts';
import { lineageEvent, type LineageField } from './lineage.js';
import { formatOf, literalPath, registerRawInput } from './raw-input.js';
import { checkPortableSql } from './portable-sql.js';
import { checkRawCasts } from './raw-cast.js';
import {
  consumedViewName,
  defaultRunDir,
  findFixture,
  FIXTURE_INPUT,
  FIXTURE_OUTPUT,
  loadRunTarget,
  runClock,
} from './product.js';
import { castRule, qualityPlan, type RowRule } from './quality.js';
import { lockDown, selectStatementProblem } from './sandbox.js';
import type { ConsumedInput, RuleOutcome, RunReport, ServedMajorReport } from './report.js';
import { loadServedMajors, type ServedMajor } from './served-majors.js';
import {
  castability,
  conformanceCastSql,
  contractColumns,
  quoteIdent,
  quoteString,
  type ContractColumn,
} from './types.js';

/** Codes of the runtime's user-fixable errors (rendered like every MeshError). */
export type RunErrorCode = Extract<
  MeshErrorCode,
  | 'INPUT_NOT_FOUND'
  | 'INPUT_UNREADABLE'
  | 'TRANSFORM_SQL'
  | 'UNPORTABLE_SQL'
  | 'NONCONFORMING_OUTPUT'
  | 'QUALITY_SQL'
  | 'OUTPUT_UNWRITABLE'
>;

/** A MeshError of the runtime. `code` carries a {@link RunErrorCode}. */
export function runError(
  code: RunErrorCode,
  message: string,
  options: { file?: string; line?: number; column?: number; exitCode: 1 | 2; details?: Diagnostic[]; cause?: unknown },
): MeshError {
  return new MeshError(code, message, options);
}

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
  const startedAt = new Date(started).toISOString();
  const runId = randomUUID();
  const productDir = resolve(options.productDir);
  const root = resolve(options.root ?? findRepoRoot(productDir) ?? productDir);
  const manifest = options.manifest ?? loadProductManifest(join(productDir, 'product.yaml')).value;
  const fixtureRun = internal.fixtureRun ?? options.input === undefined;
  const { now, clock } = runClock(manifest, fixtureRun, options.now, new Date(started));
  const contract = options.contract ?? loadValidContract(join(productDir, manifest.contract), root);
  const ref = `${manifest.domain}/${manifest.name}`;
  const object = selectObject(contract).object;
  const columns = contractColumns(contract);
  const out = resolve(options.out ?? defaultRunDir(root, manifest.domain, manifest.name));
  const progress = options.onProgress ?? (() => undefined);
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
  for (const m of served) assertPortable(m.sql, shown(m.sqlFile));

  // The default input is the fixture in the landing format (product.yaml ingestion.format).
  const landing = landingFormatOf(manifest.ingestion);
  const landingExtensions = LANDING_FORMAT_EXTENSIONS[landing];
  const input = resolve(
    options.input ??
      findFixture(productDir, FIXTURE_INPUT, landingExtensions) ??
      join(productDir, 'fixtures', `${FIXTURE_INPUT}${landingExtensions[0]}`),
  );
  if (!existsSync(input)) {
    const tried =
      options.input === undefined
        ? ` (looked for fixtures/${FIXTURE_INPUT}{${landingExtensions.join(',')}}: ingestion.format is ${landing} in product.yaml)`
        : '';
    throw runError('INPUT_NOT_FOUND', `input not found: ${input}${tried}`, { file: input, exitCode: 2 });
  }

  const instance = await DuckDBInstance.create(':memory:', options.threads ? { threads: String(options.threads) } : {});
  const conn = await instance.connect();
  // UTC, like the Glue job (Spark's session time zone): a timestamp without zone is UTC, and
  // current_date is the same day on both engines.
  await conn.run(`SET TimeZone = 'UTC'`);
  // NULLs sort first in ascending and last in descending order, as in Spark (DuckDB's default
  // is NULLS LAST both ways): window functions and ORDER BY … LIMIT pick the same rows.
  await conn.run(`SET default_null_order = 'nulls_first_on_asc_last_on_desc'`);
  const tmp = `${out}.tmp-${runId.slice(0, 8)}`;
  removeStaleTemporaries(out);
  const tempDirs: string[] = [];
  try {
    const t0 = Date.now();
    progress(`reading ${shown(input)}`);
    const raw = await registerRawInput(conn, input, 'raw', columns, tempDirs);
    assertPortable(transformSql, shown(transformFile), raw.textColumns);
    const inputSchemas: Record<string, LineageField[]> =
      raw.empty === 'no-header' ? {} : { raw: await describe(conn, 'raw') };
    const consumed: ConsumedInput[] = [];
    const ctx: ConsumeContext = {
      root,
      ...(options.now ? { now: options.now } : {}),
      chain: [...(internal.chain ?? []), ref],
      tempDirs,
      readPaths: [input],
    };
    for (const c of manifest.consumes) {
      progress(`registering consumed product ${c.product}`);
      const info = await registerConsumed(conn, ctx, c, options.consumed?.[c.product]);
      consumed.push(info);
      inputSchemas[info.view] = await describe(conn, info.view);
    }
    const tRead = Date.now();

    // From here on only SQL runs: the files registered above (and the temporary links they are
    // read through) and the output directory stay reachable, nothing else, and no SET can change
    // that (see sandbox.ts).
    await conn.run(`SET partitioned_write_flush_threshold = ${ROW_GROUP_ROWS}`);
    await lockDown(conn, { readPaths: [...ctx.readPaths, ...tempDirs], writeDirs: [tmp] });

    if (raw.empty === 'no-header') {
      // Nothing to transform, not even a header: the output is empty (dataset rules still judge it).
      await conn.run(
        `CREATE TEMP VIEW __transform AS SELECT ${columns.map((c) => `CAST(NULL AS ${c.duckType}) AS ${quoteIdent(c.name)}`).join(', ')} WHERE FALSE`,
      );
    } else {
      progress('running transform.sql');
      await runTransform(conn, transformSql, shown(transformFile));
    }
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    writeFileSync(join(tmp, OWNER_FILE), `${process.pid}\n`); // a marker, removed before the rename: no fsync needed
    const current = await checkAndWrite(conn, {
      prefix: '',
      fromView: '__transform',
      sql: transformSql,
      sqlFile: shown(transformFile),
      ref,
      contract,
      contractFile: shown(join(productDir, manifest.contract)),
      locate: locator(join(productDir, manifest.contract)),
      objectName: object.name,
      columns,
      now,
      dir: tmp,
      writeRejected: true,
      progress,
    });
    const { rowsIn, written, quarantined, rules } = current;
    const servedReports: ServedMajorReport[] = [];
    for (const m of served) {
      progress(`deriving major ${m.major} with ${shown(m.sqlFile)}`);
      if (!servedReports.length) await bindCurrent(conn, join(tmp, 'curated'), columns);
      await runTransform(conn, m.sql, shown(m.sqlFile), `__compat_v${m.major}`);
      const r = await checkAndWrite(conn, {
        prefix: `v${m.major}_`,
        fromView: `__compat_v${m.major}`,
        sql: m.sql,
        sqlFile: shown(m.sqlFile),
        ref: `${ref} v${m.major}`,
        contract: m.contract,
        contractFile: shown(m.contractFile),
        locate: locator(m.contractFile),
        objectName: m.object,
        columns: m.columns,
        now,
        dir: join(tmp, `v${m.major}`),
        writeRejected: false,
        progress,
      });
      servedReports.push({
        major: m.major,
        contract: { id: m.contract.id, version: m.contract.version, object: m.object },
        compatibilitySql: shown(m.sqlFile),
        status: r.status,
        rowsIn: r.rowsIn,
        rowsOut: r.written,
        rowsQuarantined: r.quarantined,
        rules: r.rules,
        paths: { dir: '', curated: '', quarantine: '' },
      });
    }
    const worst = (a: RunReport['status'], b: RunReport['status']) =>
      a === 'failed' || b === 'failed' ? 'failed' : a === 'warned' || b === 'warned' ? 'warned' : 'passed';
    const status: RunReport['status'] = servedReports.reduce<RunReport['status']>(
      (s, r) => worst(s, r.status),
      current.status,
    );
    const target = status === 'failed' ? `${out}.failed` : out;
    for (const r of servedReports) {
      const dir = join(target, `v${r.major}`);
      r.paths = { dir, curated: join(dir, 'curated'), quarantine: join(dir, 'quarantine', 'rows.parquet') };
    }
    const { transform: tTransform, curated: tCurated, check: tCheck } = current.times;
    const tWrite = Date.now();
    const report: RunReport = {
      product: ref,
      contract: { id: contract.id, version: contract.version, object: object.name },
      status,
      runId,
      startedAt,
      finishedAt: new Date(tWrite).toISOString(),
      evaluatedAt: now.toISOString(),
      clock,
      input: {
        path: input,
        format: raw.format,
        rowsRead: raw.rows + raw.rejected,
        rowsRejected: raw.rejected,
        ...(raw.empty
          ? {
              empty:
                raw.empty === 'no-header'
                  ? `${shown(input)} is empty (no header row): transform.sql was not run, the output has no rows`
                  : `${shown(input)} has a header row and no records: the output has no rows`,
            }
          : {}),
      },
      consumed,
      rowsIn,
      rowsOut: written,
      rowsQuarantined: quarantined,
      rules,
      ...(servedReports.length ? { servedMajors: servedReports } : {}),
      timings: {
        read: tRead - t0,
        transform: tTransform - tRead,
        check: tCheck - tCurated,
        write: tCurated - tTransform + (tWrite - tCheck),
        total: tWrite - started,
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
    const outputSchema = columns.map((c) => ({ name: c.name, type: c.duckType }));
    writeFileDurable(join(tmp, 'run-report.json'), JSON.stringify(report, null, 2) + '\n');
    writeFileDurable(
      join(tmp, 'openlineage.json'),
      JSON.stringify(lineageEvent({ report, transformSql, inputSchemas, outputSchema }), null, 2) + '\n',
    );
    rmSync(join(tmp, OWNER_FILE), { force: true });
    await options.beforePublish?.(tmp);
    publish(tmp, target);
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

/**
 * Whether evaluating `transform.sql` twice yields the same rows (given one transaction): no
 * volatile function (random, uuid, nextval, …), no window function (row_number() OVER () or ties
 * in its ORDER BY may number rows differently), no LIMIT/OFFSET/SAMPLE (which rows without ORDER
 * BY). Conservative: a false negative only costs materialising the transform's output once.
 */
function repeatable(sql: string): boolean {
  const code = sql.replace(/--[^\n]*|\/\*[\s\S]*?\*\/|'(?:[^']|'')*'/g, ' ');
  return !/\b(?:random|rand|uuid|uuidv4|uuidv7|gen_random_uuid|nextval|currval|setseed|shuffle|any_value)\s*\(|\bover\b|\blimit\b|\boffset\b|\bsample\b|\btablesample\b|\bfirst\s*\(|\blast\s*\(|\barbitrary\s*\(|\blist\s*\(|\barray_agg\s*\(|\bstring_agg\s*\(|\bcollect_list\s*\(/i.test(
    code,
  );
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

/** File-system error codes of an output that cannot be written (a full disk, a quota, a read-only or failing device, permissions). */
const UNWRITABLE = new Set(['ENOSPC', 'EDQUOT', 'EROFS', 'EIO', 'EACCES', 'EPERM', 'EFBIG']);

/**
 * A failure to write the run's output (Node's file-system errors, DuckDB's IO errors) as a
 * `OUTPUT_UNWRITABLE` MeshError (exit 2): nothing was published, the last good output stays.
 */
function unwritableOutput(e: unknown, out: string, shown: (p: string) => string): MeshError | undefined {
  const code = (e as NodeJS.ErrnoException)?.code;
  const message = e instanceof Error ? e.message : String(e);
  const fsError = typeof code === 'string' && UNWRITABLE.has(code) && !(e instanceof MeshError);
  const duckIo =
    e instanceof MeshError &&
    e.code === 'TRANSFORM_SQL' &&
    /No space left on device|Disk quota exceeded|Read-only file system|IO Error: Could not (?:write|open|create)/i.test(
      message,
    );
  if (!fsError && !duckIo) return undefined;
  const why = fsError ? `${code}: ${message.split('\n')[0]}` : firstParagraph(e).replace(/^SQL error in [^:]+: /, '');
  return runError(
    'OUTPUT_UNWRITABLE',
    `cannot write the run output ${shown(out)} (${why}); nothing was published, the last good output was kept: free space or fix the folder, then run again`,
    { file: shown(out), exitCode: 2, cause: e },
  );
}

/** The file in a run's temporary output directory naming the process writing it. */
const OWNER_FILE = '.meshkit-run.pid';

/**
 * Removes the temporary output directories (`<out>.tmp-*`, `<out>.failed.tmp-*`) that killed runs
 * left: those whose writing process is gone (or unknown). A concurrent run's stays.
 */
function removeStaleTemporaries(out: string): void {
  const dir = dirname(out);
  if (!existsSync(dir)) return;
  const base = basename(out);
  for (const name of readdirSync(dir)) {
    if (!(name.startsWith(`${base}.tmp-`) || name.startsWith(`${base}.failed.tmp-`))) continue;
    const owner = join(dir, name, OWNER_FILE);
    let alive = false;
    try {
      const pid = Number(readFileSync(owner, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid) {
        process.kill(pid, 0);
        alive = true;
      }
    } catch (e) {
      alive = (e as NodeJS.ErrnoException).code === 'EPERM';
    }
    if (!alive) rmSync(join(dir, name), { recursive: true, force: true });
  }
}

/**
 * Replaces `target` by `tmp`: the old directory is moved aside, the new one renamed in, the old
 * one removed. If the process dies between the two renames, the next run restores the old one.
 */
function publish(tmp: string, target: string): void {
  mkdirSync(dirname(target), { recursive: true });
  restoreInterrupted(target);
  replaceDirectory(tmp, target);
}

function restoreInterrupted(target: string): void {
  const dir = dirname(target);
  const prefix = `${basename(target)}.old-`;
  const olds = readdirSync(dir).filter((n) => n.startsWith(prefix));
  for (const o of olds) {
    if (!existsSync(target)) renameSync(join(dir, o), target);
    else rmSync(join(dir, o), { recursive: true, force: true });
  }
}

/** Names of the quarantine's two extra columns, `failed_rules` and `reason` (prefixed with `_` while they clash with a contract column). */
function metaNames(columns: ContractColumn[]): { failed: string; reason: string } {
  const taken = new Set(columns.map((c) => c.name));
  const free = (n: string): string => (taken.has(n) ? free(`_${n}`) : n);
  return { failed: free('failed_rules'), reason: free('reason') };
}

async function copyCount(conn: DuckDBConnection, sql: string): Promise<number> {
  const r = await conn.run(sql);
  return Number(r.rowsChanged);
}

async function describe(conn: DuckDBConnection, view: string): Promise<LineageField[]> {
  const rows = (await conn.runAndReadAll(`DESCRIBE ${quoteIdent(view)}`)).getRowObjects();
  return rows.map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
}

function firstParagraph(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return m
    .split(/\n\s*\n/)[0]!
    .replace(/\s*\n\s*/g, ' ')
    .trim();
}

/** Registers a consumed product as the view `<domain>_<product>`, typed by the producer's contract. */
interface ConsumeContext {
  root: string;
  /** `--now`, when given (else each fixture run uses its own clock). */
  now?: Date;
  chain: string[];
  tempDirs: string[];
  /** Every file or directory the run registered as input: the only ones user SQL may read. */
  readPaths: string[];
}

/** What the runtime passes to itself: the second parameter of {@link runProductWith}. */
export interface RunInternals {
  /** Products being run, outermost first (cycle detection). @default [] */
  chain?: string[];
  /** Whether `input` is the product's own fixture (the stream path replays it through a spool file). @default `input === undefined` */
  fixtureRun?: boolean;
}

async function registerConsumed(
  conn: DuckDBConnection,
  ctx: ConsumeContext,
  c: { product: string; version: string },
  override: string | undefined,
): Promise<ConsumedInput> {
  const { root } = ctx;
  const [domain, product] = c.product.split('/') as [string, string];
  const view = consumedViewName(c.product);
  const producer = loadRunTarget(root, domain, product);
  // The major whose output is read: the current one when it satisfies the range, else the
  // highest served older major that does (its output is <run>/v<major>/).
  let served: ServedMajor | undefined;
  if (
    semver.validRange(c.version) &&
    semver.valid(producer.contract.version) &&
    !semver.satisfies(producer.contract.version, c.version)
  ) {
    const majors = loadServedMajors(root, producer.productDir, producer.manifest, producer.contract);
    served = majors.find((m) => semver.satisfies(m.contract.version, c.version));
    if (!served) {
      const offered = [producer.contract.version, ...majors.map((m) => m.contract.version)].join(', ');
      throw runError(
        'INPUT_UNREADABLE',
        `consumes ${c.product} ${c.version}, but no major it serves satisfies that range (served: ${offered})`,
        { exitCode: 2 },
      );
    }
  }
  const usedContract = served?.contract ?? producer.contract;
  const cols = contractColumns(usedContract);
  const majorDir = (dir: string) => (served ? join(dir, `v${served.major}`) : dir);
  const runDir = join(majorDir(defaultRunDir(root, domain, product)), 'curated');
  let source: ConsumedInput['source'] = 'run';
  let path: string;
  let shownPath: string | undefined;
  if (override !== undefined) {
    path = resolve(override);
    source = 'run';
  } else if (existsSync(runDir)) path = runDir;
  else {
    source = 'fixtures';
    // The output sample in fixtures/ is the current major's: an older major is computed.
    const sample = served ? undefined : findFixture(producer.productDir, FIXTURE_OUTPUT);
    if (sample) path = sample;
    else if (findFixture(producer.productDir, FIXTURE_INPUT)) {
      // Its output computed from its fixtures: a run of the producer into a temporary directory.
      if (ctx.chain.includes(c.product)) {
        throw runError(
          'INPUT_UNREADABLE',
          `products consume each other in a cycle: ${[...ctx.chain, c.product].join(' → ')}`,
          { exitCode: 2 },
        );
      }
      const dir = mkdtempSync(join(tmpdir(), 'meshkit-consumed-'));
      ctx.tempDirs.push(dir);
      const r = await runProductWith(
        {
          productDir: producer.productDir,
          root,
          manifest: producer.manifest,
          contract: producer.contract,
          out: join(dir, 'run'),
          ...(ctx.now ? { now: ctx.now } : {}),
        },
        { chain: [...ctx.chain, c.product] },
      );
      path = served ? join(majorDir(r.paths.dir), 'curated') : r.paths.curated;
      shownPath = findFixture(producer.productDir, FIXTURE_INPUT)!;
    } else {
      throw runError(
        'INPUT_NOT_FOUND',
        `consumed product ${c.product} has neither a local run (${relative(root, runDir)}) nor fixtures (${relative(root, join(producer.productDir, 'fixtures'))}/${FIXTURE_OUTPUT}.* or ${FIXTURE_INPUT}.*): run it first with mesh run ${c.product}`,
        { exitCode: 2 },
      );
    }
  }
  if (!existsSync(path))
    throw runError('INPUT_NOT_FOUND', `input of ${c.product} not found: ${path}`, { file: path, exitCode: 2 });
  ctx.readPaths.push(path);
  const src = `__src_${view}`;
  const emptyRun = statSync(path).isDirectory() && !hasParquet(path);
  if (emptyRun) {
    await conn.run(
      `CREATE TEMP VIEW ${quoteIdent(src)} AS SELECT ${cols.map((x) => `CAST(NULL AS ${x.duckType}) AS ${quoteIdent(x.name)}`).join(', ')} WHERE FALSE`,
    );
  } else {
    const format = formatOf(path);
    const at = literalPath(path, ctx.tempDirs);
    if (format === 'parquet') {
      const glob = statSync(path).isDirectory() ? join(at, '**', '*.parquet') : at;
      await conn.run(
        `CREATE TEMP VIEW ${quoteIdent(src)} AS SELECT * FROM read_parquet(${quoteString(glob)}, hive_partitioning = true, union_by_name = true)`,
      );
    } else if (format === 'csv') {
      await conn.run(
        `CREATE TEMP VIEW ${quoteIdent(src)} AS SELECT * FROM read_csv(${quoteString(at)}, header = true)`,
      );
    } else if (format === 'jsonl') {
      await conn.run(
        `CREATE TEMP VIEW ${quoteIdent(src)} AS SELECT * FROM read_json(${quoteString(at)}, format = 'newline_delimited')`,
      );
    } else {
      throw runError('INPUT_UNREADABLE', `cannot read ${path}: use a .csv, .jsonl/.ndjson or .parquet file`, {
        file: path,
        exitCode: 2,
      });
    }
  }
  const have = new Set((await describe(conn, src)).map((f) => f.name.toLowerCase()));
  const missing = cols.filter((x) => !have.has(x.name.toLowerCase())).map((x) => x.name);
  if (missing.length) {
    throw runError(
      'INPUT_UNREADABLE',
      `${path} (consumed product ${c.product}) lacks column(s) of its contract: ${missing.join(', ')}`,
      { file: path, exitCode: 2 },
    );
  }
  await conn.run(
    `CREATE TEMP VIEW ${quoteIdent(view)} AS SELECT ${cols.map((x) => `TRY_CAST(${quoteIdent(x.name)} AS ${x.duckType}) AS ${quoteIdent(x.name)}`).join(', ')} FROM ${quoteIdent(src)}`,
  );
  const rows = Number(
    (await conn.runAndReadAll(`SELECT count(*) AS n FROM ${quoteIdent(view)}`)).getRowObjects()[0]!.n,
  );
  return {
    product: c.product,
    view,
    source,
    path: shownPath ?? path,
    rows,
    versionRange: c.version,
    contractVersion: usedContract.version,
    ...(served ? { servedMajor: served.major } : {}),
  };
}

function hasParquet(dir: string): boolean {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isFile() && e.name.endsWith('.parquet')) return true;
    if (e.isDirectory() && hasParquet(join(dir, e.name))) return true;
  }
  return false;
}

/** DuckDB's default Parquet row group size. */
const ROW_GROUP_ROWS = 122_880;

/** Binds `sql` (transform.sql, or a compatibility SQL) as the view `view`; DuckDB errors become MeshErrors at the line of `file`. */
async function runTransform(conn: DuckDBConnection, sql: string, file: string, view = '__transform'): Promise<void> {
  const problem = await selectStatementProblem(conn, sql);
  if (problem) {
    throw runError('TRANSFORM_SQL', `${sqlLabel(file)} must be one SELECT query: ${problem.message}`, {
      file,
      ...(problem.line ? { line: problem.line, column: problem.column } : {}),
      exitCode: 1,
    });
  }
  const body = sql.replace(/;\s*$/, '');
  await sqlStep(() => conn.run(`CREATE TEMP VIEW ${quoteIdent(view)} AS\n` + body), file, sql, 1);
}

async function sqlStep(fn: () => Promise<unknown>, file: string, sql?: string, lineOffset = 0): Promise<void> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof MeshError) throw e;
    const message = e instanceof Error ? e.message : String(e);
    const where = sql === undefined ? undefined : sqlPosition(message, sql, lineOffset);
    throw runError('TRANSFORM_SQL', `SQL error in ${sqlLabel(file)}: ${firstParagraph(e)}`, {
      file,
      ...(where ? { line: where.line, ...(where.column ? { column: where.column } : {}) } : {}),
      exitCode: 1,
      cause: e,
    });
  }
}

/** `transform.sql`, or the path of a compatibility SQL from the product folder (`majors/v1/compat.sql`). */
function sqlLabel(file: string): string {
  const parts = file.split(/[\\/]/);
  const i = parts.lastIndexOf('majors');
  return i >= 0 ? parts.slice(i).join('/') : basename(file);
}

/** The line (and column) of transform.sql a DuckDB error points at (`LINE n:` and a caret). */
export function sqlPosition(
  message: string,
  sql: string,
  lineOffset = 0,
): { line: number; column?: number } | undefined {
  const m = /\nLINE (\d+): (.*)\n( *)\^/.exec(message);
  if (!m) return undefined;
  const line = Number(m[1]) - lineOffset;
  const lines = sql.split('\n');
  if (line < 1 || line > lines.length) return undefined;
  const shownText = m[2]!;
  const caret = m[3]!.length - `LINE ${m[1]}: `.length;
  const src = lines[line - 1]!;
  // DuckDB may elide the start of a long line with "...": locate the shown text in the source.
  const visible = shownText.startsWith('...') ? shownText.slice(3) : shownText;
  const offset = src.indexOf(visible.replace(/\.\.\.$/, ''));
  if (offset < 0) return { line };
  const column = offset + caret - (shownText.startsWith('...') ? 3 : 0) + 1;
  return column >= 1 && column <= src.length + 1 ? { line, column } : { line };
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

/** Fails the run (exit 1, file:line:col of the first finding) when `sql` is outside the portable SQL subset. */
function assertPortable(sql: string, file: string, rawTextColumns: readonly string[] = []): void {
  const findings = rawTextColumns.length ? checkRawCasts(sql, rawTextColumns) : checkPortableSql(sql);
  if (!findings.length) return;
  const f = findings[0]!;
  const details: Diagnostic[] = findings.map((x) => ({
    rule: x.rule,
    severity: 'error',
    message: x.message,
    location: { file, line: x.line, column: x.column },
  }));
  throw runError(
    'UNPORTABLE_SQL',
    `${f.message}${findings.length > 1 ? ` (and ${findings.length - 1} more outside the portable SQL subset)` : ''}`,
    {
      file,
      line: f.line,
      column: f.column,
      exitCode: 1,
      details,
    },
  );
}

/** One output port to check and write: the current major's (transform.sql) or a served major's (its compatibility SQL). */
interface OutputSpec {
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

interface OutputResult {
  rowsIn: number;
  written: number;
  quarantined: number;
  rules: RuleOutcome[];
  status: RunReport['status'];
  /** Instants (ms) at the end of the transform pass, of the curated write and of the checks. */
  times: { transform: number; curated: number; check: number };
}

/**
 * The checks every output port gets, then its files: conformance with the contract (missing,
 * extra, never-castable columns fail the run; values that do not cast are quarantined), the
 * contract's row rules (quarantine) and dataset rules (pass / warn / fail), curated Parquet
 * (hive-partitioned by the partition keys) and the quarantine, with conservation asserted.
 */
async function checkAndWrite(conn: DuckDBConnection, o: OutputSpec): Promise<OutputResult> {
  const { columns, prefix: p, sqlFile, dir } = o;
  const t = (name: string) => `__${p}${name}`;
  const described = await describe(conn, o.fromView);
  const casts = conformance(described, columns, sqlFile, o.contractFile, o.objectName);
  const plan = qualityPlan(o.contract, t('dataset'), o.now, o.objectName);
  const rowRules: RowRule[] = [...casts.rules, ...plan.rowRules];
  const okSql = rowRules.length ? rowRules.map((r) => `(${r.passSql})`).join(' AND ') : 'TRUE';
  const sourceType = new Map(described.map((d) => [d.name.toLowerCase(), d.type]));
  const typedSelect = columns
    .map((c, i) =>
      casts.cast.has(c.name)
        ? `${conformanceCastSql(quoteIdent(c.name), sourceType.get(c.name.toLowerCase())!, c)} AS ${quoteIdent(c.name)}, ${quoteIdent(c.name)} AS "__orig_${i}"`
        : quoteIdent(c.name),
    )
    .join(', ');
  const names = columns.map((c) => quoteIdent(c.name)).join(', ');
  // The contract's `type: sql` rules: each one SELECT (DuckDB's parser), else the run stops
  // before anything is evaluated, at the rule's query in the contract.
  for (const c of plan.checks) {
    if (c.kind !== 'sql') continue;
    const problem = await selectStatementProblem(conn, bindQuery(c.query, t('dataset')));
    if (problem)
      throw qualitySqlError(
        o,
        c,
        `must be one SELECT query: ${problem.message}${problem.line ? ` (line ${problem.line}, column ${problem.column} of the query)` : ''}`,
      );
  }
  // The checked rows are streamed, not materialised: the SQL's output is read once for the
  // quarantine (failing rows only, kept in a small temp table the rule counts come from), once
  // for the curated output and once per dataset rule. All of it runs in one transaction, so
  // current_date/current_timestamp are one instant in every pass; SQL whose rows may differ
  // between two evaluations (random(), uuid(), window functions, LIMIT) is materialised first,
  // so each row is checked and written exactly as it was computed once.
  await conn.run('BEGIN TRANSACTION');
  const source = repeatable(o.sql) ? 'VIEW' : 'TABLE';
  await sqlStep(
    () => conn.run(`CREATE TEMP ${source} ${t('source')} AS SELECT * FROM ${quoteIdent(o.fromView)}`),
    sqlFile,
  );
  await conn.run(`CREATE TEMP VIEW ${t('typed')} AS SELECT ${typedSelect} FROM ${t('source')}`);
  await conn.run(`CREATE TEMP VIEW ${t('dataset')} AS SELECT ${names} FROM ${t('typed')}`);
  let rowsIn = 0;
  await sqlStep(async () => {
    rowsIn = Number((await conn.runAndReadAll(`SELECT count(*) AS n FROM ${t('source')}`)).getRowObjects()[0]!.n);
  }, sqlFile);
  const tTransform = Date.now();

  // Curated output first (into the temporary sibling): together with the quarantine pass it
  // evaluates every value of the SQL, so a runtime SQL error surfaces as one of that file.
  o.progress(p ? `writing the ${p.slice(0, -1)} output` : 'writing curated output');
  mkdirSync(join(dir, 'quarantine'), { recursive: true });
  const keys = columns.filter((c) => c.partition);
  let written = 0;
  if (!casts.cast.size && keys.every((k) => hiveRoundTrips(k.duckType))) {
    // One pass: every checked row is written once, partitioned by whether it passed (and the
    // partition keys); the passing part becomes curated/, the failing rows are read back.
    await sqlStep(async () => {
      written = await writeSplit(conn, t('typed'), names, okSql, keys, dir, t('failing'));
    }, sqlFile);
  } else {
    // Values that did not cast keep their original text in hidden columns (and a text partition
    // key would not read back exactly from its folder name): the failing rows are a pass of their own.
    await sqlStep(
      () => conn.run(`CREATE TEMP TABLE ${t('failing')} AS SELECT * FROM ${t('typed')} WHERE NOT (${okSql})`),
      sqlFile,
    );
    mkdirSync(join(dir, 'curated'), { recursive: true });
    const curatedTo = keys.length ? join(dir, 'curated') : join(dir, 'curated', 'data_0.parquet');
    await sqlStep(async () => {
      written = await copyCount(
        conn,
        `COPY (SELECT ${names} FROM ${t('typed')} WHERE ${okSql}) TO ${quoteString(curatedTo)} (FORMAT parquet${keys.length ? `, PARTITION_BY (${keys.map((k) => quoteIdent(k.name)).join(', ')}), OVERWRITE_OR_IGNORE` : ''})`,
      );
    }, sqlFile);
  }
  const tCurated = Date.now();

  o.progress('evaluating quality rules');
  // Every row failing a row rule is in the failing table: the rule counts need no pass over all rows.
  const counts = (
    await conn.runAndReadAll(
      `SELECT count(*) AS q${rowRules.map((r, i) => `, count(*) FILTER (WHERE NOT (${r.passSql})) AS r${i}`).join('')} FROM ${t('failing')}`,
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
  for (const d of plan.datasetRules) {
    const base = {
      id: d.id,
      kind: d.kind,
      severity: d.severity,
      level: 'dataset' as const,
      columns: d.columns,
      threshold: d.threshold,
    };
    try {
      const row = (await conn.runAndReadAll(d.sql)).getRowObjects()[0];
      const value = row?.value === null || row?.value === undefined ? null : Number(row.value);
      const passed = row?.passed === true;
      rules.push({ ...base, outcome: passed ? 'passed' : d.severity === 'error' ? 'failed' : 'warned', metric: value });
    } catch (e) {
      const c = plan.checks.find((x) => x.id === d.id);
      if (c?.kind === 'sql') throw qualitySqlError(o, c, `failed to run: ${firstParagraph(e)}`, e);
      rules.push({
        ...base,
        outcome: d.severity === 'error' ? 'failed' : 'warned',
        metric: null,
        reason: `the rule's SQL failed: ${firstParagraph(e)}`,
      });
    }
  }
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
  const status: RunReport['status'] = rules.some((r) => r.outcome === 'failed')
    ? 'failed'
    : rules.some((r) => r.outcome === 'warned')
      ? 'warned'
      : 'passed';
  const tCheck = Date.now();

  o.progress('writing quarantine');
  const meta = metaNames(columns);
  const original = columns
    .map((c, i) => (casts.cast.has(c.name) ? `"__orig_${i}" AS ${quoteIdent(c.name)}` : quoteIdent(c.name)))
    .join(', ');
  const failedList = `list_filter([${rowRules.map((r) => `CASE WHEN NOT (${r.passSql}) THEN ${quoteString(r.id)} END`).join(', ')}]::VARCHAR[], lambda x: x IS NOT NULL)`;
  const reason = rowRules.length
    ? `concat_ws('; ', ${rowRules.map((r) => `CASE WHEN NOT (${r.passSql}) THEN ${r.reasonSql} END`).join(', ')})`
    : `''`;
  const quarantined = await copyCount(
    conn,
    `COPY (SELECT ${original}, ${rowRules.length ? failedList : '[]::VARCHAR[]'} AS ${quoteIdent(meta.failed)}, ${reason} AS ${quoteIdent(meta.reason)} FROM ${t('failing')}) TO ${quoteString(join(dir, 'quarantine', 'rows.parquet'))} (FORMAT parquet)`,
  );
  if (o.writeRejected)
    await copyCount(
      conn,
      `COPY (SELECT * FROM __rejected) TO ${quoteString(join(dir, 'quarantine', 'rejected-input.parquet'))} (FORMAT parquet)`,
    );
  await conn.run('COMMIT');
  if (written + quarantined !== rowsIn || quarantined !== Number(counts.q)) {
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
 * Writes the rows of `typed` in one pass, partitioned by whether they pass `okSql` (then by the
 * partition `keys`): the passing part becomes `<dir>/curated/` (the files and folders a plain
 * partitioned COPY of those rows writes), the failing rows are read back into the temp table
 * `failing` (typed like `typed`, partition keys from their folder names) and their files removed.
 * @returns the number of rows written to `curated/` (from the written files' statistics)
 */
async function writeSplit(
  conn: DuckDBConnection,
  typed: string,
  names: string,
  okSql: string,
  keys: ContractColumn[],
  dir: string,
  failing: string,
): Promise<number> {
  const taken = new Set(keys.map((k) => k.name));
  let ok = '__ok';
  while (taken.has(ok)) ok = `_${ok}`;
  const split = join(dir, '__split');
  const by = [ok, ...keys.map((k) => k.name)].map(quoteIdent).join(', ');
  const files = (
    await conn.runAndReadAll(
      `COPY (SELECT ${names}, (${okSql}) AS ${quoteIdent(ok)} FROM ${typed}) TO ${quoteString(split)} (FORMAT parquet, PARTITION_BY (${by}), OVERWRITE_OR_IGNORE, RETURN_STATS)`,
    )
  ).getRowObjects();
  await conn.run(`CREATE TEMP TABLE ${failing} AS SELECT * FROM ${typed} WHERE FALSE`);
  const failed = join(split, `${ok}=false`);
  if (existsSync(failed)) {
    const hiveTypes = keys.map((k) => `${quoteString(k.name)}: ${quoteString(k.duckType)}`).join(', ');
    await conn.run(
      `INSERT INTO ${failing} BY NAME SELECT ${names} FROM read_parquet(${quoteString(join(failed, '**', '*.parquet'))}, hive_partitioning = ${keys.length > 0}${keys.length ? `, hive_types = {${hiveTypes}}` : ''})`,
    );
  }
  const passed = join(split, `${ok}=true`);
  const written = files
    .filter((f) => String(f.filename).startsWith(passed + sep))
    .reduce((n, f) => n + Number(f.count), 0);
  if (existsSync(passed)) renameSync(passed, join(dir, 'curated'));
  else if (keys.length) mkdirSync(join(dir, 'curated'));
  else {
    mkdirSync(join(dir, 'curated'));
    await conn.run(
      `COPY (SELECT ${names} FROM ${typed} WHERE FALSE) TO ${quoteString(join(dir, 'curated', 'data_0.parquet'))} (FORMAT parquet)`,
    );
  }
  rmSync(split, { recursive: true, force: true });
  return written;
}

/** Whether a partition key of this DuckDB type reads back exactly from its hive folder name (`day=2026-11-01`): not text, whose `NULL` and empty values do not. */
function hiveRoundTrips(duckType: string): boolean {
  return /^(?:TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|FLOAT|DOUBLE|DECIMAL\(\d+,\d+\)|BOOLEAN|DATE|TIMESTAMP)$/i.test(
    duckType.trim(),
  );
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
function locator(file: string): OutputSpec['locate'] {
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

/**
 * Binds the relation `current` of the compatibility SQL: the current major's curated output as
 * just written (the rows that passed its checks), typed by the current contract.
 */
async function bindCurrent(conn: DuckDBConnection, curated: string, columns: ContractColumn[]): Promise<void> {
  const typed = columns.map((c) => `CAST(${quoteIdent(c.name)} AS ${c.duckType}) AS ${quoteIdent(c.name)}`).join(', ');
  if (!hasParquet(curated)) {
    await conn.run(
      `CREATE TEMP VIEW current AS SELECT ${columns.map((c) => `CAST(NULL AS ${c.duckType}) AS ${quoteIdent(c.name)}`).join(', ')} WHERE FALSE`,
    );
    return;
  }
  await conn.run(
    `CREATE TEMP VIEW current AS SELECT ${typed} FROM read_parquet(${quoteString(join(curated, '**', '*.parquet'))}, hive_partitioning = true, union_by_name = true)`,
  );
}
