/**
 * Consumed products of a run: each registered as the view `<domain>_<product>`, typed by the
 * producer's contract (of the major the consumer's range selects), read from the producer's
 * latest local run, else its fixtures (its output sample, or a run of it over its input fixture).
 */
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import semver from 'semver';
import type { RepositoryProduct } from '@meshkit/contracts';
import { hasParquet } from './output-dir.js';
import {
  consumedViewName,
  defaultRunDir,
  findFixture,
  FIXTURE_INPUT,
  FIXTURE_OUTPUT,
  loadRunTarget,
} from './product.js';
import { formatOf, literalPath } from './raw-input.js';
import type { ConsumedInput } from './report.js';
import { runError } from './run-errors.js';
import { runProductWith } from './run-product.js';
import { servedMajorOf, type ServedMajor } from './served-majors.js';
import { describe } from './sql-steps.js';
import { contractColumns, quoteIdent, quoteString, type ContractColumn } from './types.js';

/** What registering the consumed products of one run shares. */
export interface ConsumeContext {
  root: string;
  /** `--now`, when given (else each fixture run uses its own clock). */
  now?: Date;
  chain: string[];
  tempDirs: string[];
  /** Every file or directory the run registered as input: the only ones user SQL may read. */
  readPaths: string[];
}

/** A `consumes` entry of product.yaml. */
interface Consumes {
  product: string;
  version: string;
}

/** Where a consumed product's rows are read from. */
interface ConsumedSource {
  path: string;
  source: ConsumedInput['source'];
  /** The path shown in the report when it is not `path` (the producer's input fixture, for a computed output). */
  shownPath?: string;
}

/** Registers a consumed product as the view `<domain>_<product>`, typed by the producer's contract. */
export async function registerConsumed(
  conn: DuckDBConnection,
  ctx: ConsumeContext,
  c: Consumes,
  override: string | undefined,
): Promise<ConsumedInput> {
  const [domain, product] = c.product.split('/') as [string, string];
  const view = consumedViewName(c.product);
  const producer = loadRunTarget(ctx.root, domain, product);
  const served = servedMajorFor(producer, c);
  const usedContract = served?.contract ?? producer.contract;
  const cols = contractColumns(usedContract);
  const { path, source, shownPath } = await consumedSource(ctx, c, producer, served, override);
  if (!existsSync(path))
    throw runError('INPUT_NOT_FOUND', `input of ${c.product} not found: ${path}`, { file: path, exitCode: 2 });
  ctx.readPaths.push(path);
  const src = `__src_${view}`;
  await registerSourceView(conn, src, path, cols, ctx.tempDirs);
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

/**
 * The major whose output is read: the current one (undefined) when it satisfies the range, else
 * the highest served older major that does (its output is `<run>/v<major>/`).
 */
function servedMajorFor(producer: RepositoryProduct, c: Consumes): ServedMajor | undefined {
  if (
    !semver.validRange(c.version) ||
    !semver.valid(producer.contract.version) ||
    semver.satisfies(producer.contract.version, c.version)
  )
    return undefined;
  const majors = producer.servedMajors().map(servedMajorOf);
  const served = majors.find((m) => semver.satisfies(m.contract.version, c.version));
  if (!served) {
    const offered = [producer.contract.version, ...majors.map((m) => m.contract.version)].join(', ');
    throw runError(
      'INPUT_UNREADABLE',
      `consumes ${c.product} ${c.version}, but no major it serves satisfies that range (served: ${offered})`,
      { exitCode: 2 },
    );
  }
  return served;
}

/** Where the consumed rows come from: the override, the producer's latest run, else its fixtures. */
async function consumedSource(
  ctx: ConsumeContext,
  c: Consumes,
  producer: RepositoryProduct,
  served: ServedMajor | undefined,
  override: string | undefined,
): Promise<ConsumedSource> {
  const { root } = ctx;
  const [domain, product] = c.product.split('/') as [string, string];
  const majorDir = (dir: string) => (served ? join(dir, `v${served.major}`) : dir);
  const runDir = join(majorDir(defaultRunDir(root, domain, product)), 'curated');
  if (override !== undefined) return { path: resolve(override), source: 'run' };
  if (existsSync(runDir)) return { path: runDir, source: 'run' };
  // The output sample in fixtures/ is the current major's: an older major is computed.
  const sample = served ? undefined : findFixture(producer.dir, FIXTURE_OUTPUT);
  if (sample) return { path: sample, source: 'fixtures' };
  if (!findFixture(producer.dir, FIXTURE_INPUT)) {
    throw runError(
      'INPUT_NOT_FOUND',
      `consumed product ${c.product} has neither a local run (${relative(root, runDir)}) nor fixtures (${relative(root, join(producer.dir, 'fixtures'))}/${FIXTURE_OUTPUT}.* or ${FIXTURE_INPUT}.*): run it first with mesh run ${c.product}`,
      { exitCode: 2 },
    );
  }
  // Its output computed from its fixtures: a run of the producer into a temporary directory.
  if (ctx.chain.includes(c.product)) {
    throw runError(
      'INPUT_UNREADABLE',
      `products consume each other in a cycle: ${[...ctx.chain, c.product].join(' → ')}`,
      {
        exitCode: 2,
      },
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'meshkit-consumed-'));
  ctx.tempDirs.push(dir);
  const r = await runProductWith(
    {
      productDir: producer.dir,
      root,
      manifest: producer.manifest,
      contract: producer.contract,
      out: join(dir, 'run'),
      ...(ctx.now ? { now: ctx.now } : {}),
    },
    { chain: [...ctx.chain, c.product] },
  );
  return {
    path: served ? join(majorDir(r.paths.dir), 'curated') : r.paths.curated,
    source: 'fixtures',
    shownPath: findFixture(producer.dir, FIXTURE_INPUT)!,
  };
}

/** The view `src` over the file or run directory `path` (a run without rows: typed, empty). */
async function registerSourceView(
  conn: DuckDBConnection,
  src: string,
  path: string,
  cols: ContractColumn[],
  tempDirs: string[],
): Promise<void> {
  if (statSync(path).isDirectory() && !hasParquet(path)) {
    await conn.run(
      `CREATE TEMP VIEW ${quoteIdent(src)} AS SELECT ${cols.map((x) => `CAST(NULL AS ${x.duckType}) AS ${quoteIdent(x.name)}`).join(', ')} WHERE FALSE`,
    );
    return;
  }
  const format = formatOf(path);
  const at = literalPath(path, tempDirs);
  if (format === 'parquet') {
    const glob = statSync(path).isDirectory() ? join(at, '**', '*.parquet') : at;
    await conn.run(
      `CREATE TEMP VIEW ${quoteIdent(src)} AS SELECT * FROM read_parquet(${quoteString(glob)}, hive_partitioning = true, union_by_name = true)`,
    );
  } else if (format === 'csv') {
    await conn.run(`CREATE TEMP VIEW ${quoteIdent(src)} AS SELECT * FROM read_csv(${quoteString(at)}, header = true)`);
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

/**
 * Binds the relation `current` of the compatibility SQL: the current major's curated output as
 * just written (the rows that passed its checks), typed by the current contract.
 */
export async function bindCurrent(conn: DuckDBConnection, curated: string, columns: ContractColumn[]): Promise<void> {
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
