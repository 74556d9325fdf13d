import { join, relative } from 'node:path';
import {
  formatDiagnostics,
  isMeshError,
  MeshError,
  MESH_CONFIG_FILE,
  loadMeshConfig,
  domainsDir,
  openProduct,
  PRODUCT_REF_PATTERN,
  runGit,
  type MeshConfig,
} from '@meshkit/contracts';
import {
  DEFAULT_GLUE_CONCURRENCY,
  listProducts,
  openLocalCatalog,
  publishProducts,
  type CatalogBackend,
  type PublishProductResult,
  type PublishSettled,
} from '@meshkit/catalog';
import type { DriftReport, GluePublishDetail, GlueSchemaRegistryCatalog } from '@meshkit/catalog/aws';
import { requireRepoRoot } from './mesh-target.js';
import { EXIT, type ExitCode } from '../exit.js';
import type { Io } from '../io.js';
import { progress, type Progress } from '../progress.js';

/** Catalog backends `mesh publish` can use: the embedded local catalog, or the AWS Glue Schema Registry. */
export const CATALOG_KINDS = ['local', 'glue'] as const;
export type CatalogKind = (typeof CATALOG_KINDS)[number];

export interface PublishOptions {
  /** Every product of the repository. @default false */
  all?: boolean;
  /** `glue`: the AWS Glue Schema Registry of `catalog.glue` (mesh.config.yaml), with a drift report of the deployed tables. @default 'local' */
  catalog?: CatalogKind;
  /** @default 'text' */
  format?: 'text' | 'json';
  /**
   * Products published at once (1–64). @default 8 with `--catalog glue` (DEFAULT_GLUE_CONCURRENCY:
   * registry calls overlap; throttled calls are retried), 1 for the local catalog (local disk)
   */
  concurrency?: number | string;
  /**
   * Publish from a working tree with uncommitted changes; the records say so (`gitDirty: true`),
   * since their `gitCommit` does not hold what was published. @default false: refused (exit 2)
   */
  allowDirty?: boolean;
}

/**
 * Files with uncommitted changes (modified, staged or untracked) under `root`, as `git status
 * --porcelain` lists them, `.mesh/` (runs, the default catalog), `cdk.out/` (mesh synth) and the
 * catalog folder excluded;
 * undefined outside a git repository.
 */
export function uncommittedFiles(root: string, catalogDir?: string): string[] | undefined {
  const excluded = [
    '.mesh',
    'cdk.out',
    ...(catalogDir && !relative(root, catalogDir).startsWith('..') && relative(root, catalogDir)
      ? [relative(root, catalogDir)]
      : []),
  ];
  const r = runGit(
    ['status', '--porcelain', '--untracked-files=all', '--', '.', ...excluded.map((e) => `:(exclude)${e}`)],
    root,
  );
  if (!r.ok) return undefined;
  return r.out
    .split('\n')
    .filter(Boolean)
    .map((l) => l.slice(3));
}

/**
 * The catalog backend of a repository: the embedded local catalog (`catalog.path`), or with
 * `glue` the AWS Glue Schema Registry of `catalog.glue` (the AWS SDK is loaded only then).
 * @param kind @default 'local'
 * @throws MeshError (exit 2) for the Glue backend without a region.
 */
export async function openCatalog(
  root: string,
  kind: CatalogKind = 'local',
  config?: MeshConfig,
): Promise<CatalogBackend> {
  const cfg = config ?? loadMeshConfig(join(root, MESH_CONFIG_FILE)).value;
  if (kind !== 'glue') return openLocalCatalog(root, cfg);
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const aws = await import('@meshkit/catalog/aws');
  return new aws.GlueSchemaRegistryCatalog({ root, config: cfg });
}

/** The products to publish: the named one, every one (--all), or the product folder `io.cwd` is in. */
function targets(root: string, target: string | undefined, all: boolean, io: Io): string[] {
  if (target && all) throw new MeshError('USAGE', 'name a <domain>/<product> or pass --all, not both', { exitCode: 2 });
  if (all) return listProducts(root);
  if (target) {
    if (!PRODUCT_REF_PATTERN.test(target))
      throw new MeshError('USAGE', `'${target}' is not <domain>/<product>`, { exitCode: 2 });
    return [target];
  }
  const m = /^domains\/([^/]+)\/products\/([^/]+)(\/|$)/.exec(relative(root, io.cwd).split('\\').join('/'));
  if (m) return [`${m[1]}/${m[2]}`];
  throw new MeshError('USAGE', 'name a <domain>/<product>, pass --all, or run inside a product folder', {
    exitCode: 2,
  });
}

/**
 * `mesh publish [<domain>/<product>|--all] [--catalog local|glue]`: lint (errors block), the version
 * gate against the latest published version of the same major, then record the version in the
 * catalog. Identical re-publish is a no-op. With `--catalog glue` each product's line names the
 * registry, schema and schema version, followed by the drift of the deployed Glue table and LF-tags
 * (a report: drift does not change the exit code). Exit 0 all published or unchanged, 1 a product
 * was blocked, conflicts with a published version or was refused by the registry (pre-flight,
 * FAILURE), 2 bad usage, an uncommitted git tree without `--allow-dirty`, missing configuration
 * (no AWS region), a corrupted catalog or a catalog that cannot be written (a full disk: nothing
 * was published). Each publish also records the product's metadata (owner, classification,
 * `consumes`) beside its contract records, so a consumer that only moves its `consumes` updates
 * the catalog's lineage without a new contract version.
 */
export async function meshPublish(target: string | undefined, options: PublishOptions, io: Io): Promise<ExitCode> {
  const root = requireRepoRoot(io);
  const config = loadMeshConfig(join(root, MESH_CONFIG_FILE)).value;
  const products = targets(root, target, Boolean(options.all), io);
  if (!products.length) throw new MeshError('USAGE', `no product under ${domainsDir(root)}`, { exitCode: 2 });
  const concurrency = parseConcurrency(options.concurrency, options.catalog === 'glue' ? DEFAULT_GLUE_CONCURRENCY : 1);
  const catalog = await openCatalog(root, options.catalog, config);
  // The records name the commit that holds what is published: an uncommitted tree is refused unless --allow-dirty (recorded).
  const dirty = uncommittedFiles(root, catalog.kind === 'local' ? catalog.location : undefined) ?? [];
  if (dirty.length && !options.allowDirty) {
    throw new MeshError(
      'USAGE',
      `the working tree has ${dirty.length} uncommitted change(s) (${dirty.slice(0, 3).join(', ')}${dirty.length > 3 ? ', …' : ''}): commit them so the catalog records the commit holding what is published, or pass --allow-dirty (the records then say gitDirty); nothing was published`,
      { exitCode: 2 },
    );
  }
  const glue = options.catalog === 'glue' ? (catalog as GlueSchemaRegistryCatalog) : undefined;
  const bar = progress(io, 'publishing', options);
  const outcomes = new PublishOutcomes(
    products.length,
    options.format === 'json' ? undefined : (result, sources) => printResult(result, sources, bar, dirty.length > 0),
  );
  const glueExtra = new Map<string, GlueExtra>();
  try {
    await publishProducts({
      root,
      products,
      catalog,
      config,
      concurrency,
      ...(dirty.length ? { gitDirty: true } : {}),
      ...(glue ? { afterEach: (settled) => recordGlueExtra(glue, root, settled, bar, glueExtra) } : {}),
      onSettled: (settled, index, done, total) => {
        outcomes.settle(settled, index, glueExtra.get(settled.product));
        glueExtra.delete(settled.product);
        bar.update(done, total, settled.product);
      },
    });
  } finally {
    bar.done();
  }
  const status = outcomes.status;
  if (options.format === 'json')
    io.stdout(
      JSON.stringify({ catalog: catalog.location, ok: status === EXIT.OK, results: outcomes.results }, null, 2) + '\n',
    );
  else io.stdout(`catalog: ${catalog.location}\n`);
  return status;
}

/** One product's outcome, as `mesh publish` prints it (and lists it in `--format json`). */
interface PublishResult {
  product: string;
  version?: string;
  outcome: string;
  baselines?: string[];
  error?: string;
  diagnostics?: PublishProductResult['diagnostics'];
  registry?: Omit<GluePublishDetail, 'domain' | 'product' | 'version' | 'outcome'>;
  drift?: DriftReport;
  servedMajors?: Array<{ version: string; outcome: string; patchOf?: string }>;
  manifest?: string;
}

/** What the Glue backend adds to a product's outcome: the registry's detail and the deployed table's drift. */
type GlueExtra = Pick<PublishResult, 'registry' | 'drift'>;

/**
 * The outcomes of a publish run, one per product, and the run's exit code. Products settle in any
 * order; each outcome is printed once the ones before it are: output in product order.
 */
class PublishOutcomes {
  readonly results: PublishResult[];
  status: ExitCode = EXIT.OK;
  readonly #sources = new Map<number, Map<string, string>>();
  #printed = 0;

  constructor(
    count: number,
    private readonly print: ((result: PublishResult, sources: Map<string, string> | undefined) => void) | undefined,
  ) {
    this.results = new Array<PublishResult>(count);
  }

  /** Records the product at `index` (with what the Glue backend added), then prints what is complete. */
  settle(settled: PublishSettled, index: number, extra: GlueExtra | undefined): void {
    const { product } = settled;
    if (settled.error) {
      const e = settled.error;
      this.results[index] = { product, outcome: 'error', error: e.format() };
      if (e.exitCode === EXIT.USAGE || this.status === EXIT.OK) this.status = e.exitCode;
    } else {
      const r = settled.result;
      const result: PublishResult = {
        product,
        version: r.version,
        outcome: r.outcome,
        baselines: r.baselines,
        diagnostics: r.diagnostics,
        ...extra,
      };
      if (r.servedMajors?.length)
        result.servedMajors = r.servedMajors.map((m) => ({
          version: m.version,
          outcome: m.outcome,
          ...(m.patchOf ? { patchOf: m.patchOf } : {}),
        }));
      if (r.manifest) result.manifest = r.manifest;
      this.results[index] = result;
      this.#sources.set(index, r.sources);
      if (r.outcome === 'blocked' && this.status === EXIT.OK) this.status = EXIT.FAILED;
    }
    this.#flush();
  }

  /** Prints the results that are complete up to the first one still running. */
  #flush(): void {
    while (this.#printed < this.results.length && this.results[this.#printed]) {
      this.print?.(this.results[this.#printed]!, this.#sources.get(this.#printed));
      this.#sources.delete(this.#printed);
      this.#printed++;
    }
  }
}

/**
 * After a product is published to the Glue Schema Registry: what the registry did for it and the
 * drift of its deployed table, kept in `extras` until the product settles.
 */
async function recordGlueExtra(
  glue: GlueSchemaRegistryCatalog,
  root: string,
  settled: PublishSettled,
  bar: Progress,
  extras: Map<string, GlueExtra>,
): Promise<void> {
  if (!settled.result || settled.result.outcome === 'blocked') return;
  // What the registry did for this product (runs overlap: found by product and version, not by position).
  const [domain, name] = settled.product.split('/');
  const detail = [...glue.published]
    .reverse()
    .find((d) => d.domain === domain && d.product === name && d.version === settled.result.version);
  if (!detail) return;
  const { domain: _d, product: _p, version: _v, outcome: _o, ...registry } = detail;
  const extra: GlueExtra = { registry };
  try {
    extra.drift = await glueDrift(glue, root, settled.product);
  } catch (e) {
    if (!isMeshError(e)) throw e;
    bar.print(`mesh: ${settled.product}: drift not checked: ${e.message}\n`, 'stderr'); // a report only: the publish stands
  }
  extras.set(settled.product, extra);
}

/** `--concurrency`: a whole number from 1 to 64. */
function parseConcurrency(value: number | string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = typeof value === 'number' ? value : /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > 64)
    throw new MeshError('USAGE', `--concurrency ${String(value)} is not a number of products from 1 to 64`, {
      exitCode: 2,
    });
  return n;
}

/** The text lines of one product's outcome (errors go to stderr). */
function printResult(
  result: PublishResult,
  sources: Map<string, string> | undefined,
  bar: Progress,
  dirty = false,
): void {
  const { product } = result;
  if (result.outcome === 'error') {
    bar.print(`mesh: ${product}: ${result.error}\n`, 'stderr');
    return;
  }
  const lines: string[] = [];
  if (result.diagnostics?.length)
    lines.push(formatDiagnostics(result.diagnostics, 'text', { sources: sources ?? new Map() }));
  const against = result.baselines?.length ? ` (checked against ${result.baselines.join(', ')})` : '';
  const detail = result.registry;
  const where = detail
    ? ` — registry ${detail.registryName}, schema ${detail.schemaName}, version ${detail.versionNumber}`
    : '';
  lines.push(
    `${product} ${result.version}: ${result.outcome === 'blocked' ? 'BLOCKED, nothing published' : result.outcome}${result.outcome === 'published' ? against : ''}${where}`,
  );
  if (detail?.compatibilityNote) lines.push(`  note: ${detail.compatibilityNote}`);
  for (const s of result.servedMajors ?? []) {
    const patch = s.patchOf ? ` (a metadata-only change of the frozen ${s.patchOf}: its patch release)` : '';
    lines.push(`  served older major ${s.version}: ${s.outcome === 'blocked' ? 'BLOCKED' : s.outcome}${patch}`);
  }
  if (result.manifest === 'published') lines.push(`  product metadata (owner, classification, consumes): published`);
  if (dirty) lines.push(`  recorded as published from an uncommitted tree (--allow-dirty)`);
  if (result.drift) {
    const d = result.drift;
    if (!d.deployed) lines.push(`  table ${d.database}.${d.table}: not deployed`);
    else if (!d.drift.length) lines.push(`  table ${d.database}.${d.table}: no drift`);
    else for (const line of d.drift) lines.push(`  drift: ${line}`);
  }
  bar.print(lines.join('\n') + '\n');
}

/** Drift of the deployed table of a product from its current contract (the Glue backend). */
async function glueDrift(glue: GlueSchemaRegistryCatalog, root: string, product: string): Promise<DriftReport> {
  const [domain = '', name = ''] = product.split('/');
  const { contract, manifest } = openProduct(root, domain, name);
  const { driftReport } = await import('@meshkit/catalog/aws');
  return driftReport({ glue: glue.glue, lakeFormation: glue.lakeFormation, domain, product: name, contract, manifest });
}
