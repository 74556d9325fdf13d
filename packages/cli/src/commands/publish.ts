import { execFileSync } from 'node:child_process';
import { join, relative } from 'node:path';
import { formatDiagnostics, isMeshError, loadContract, loadProductManifest, MeshError, MESH_CONFIG_FILE, loadMeshConfig, type MeshConfig } from '@meshkit/contracts';
import { listProducts, openLocalCatalog, publishProduct, type CatalogBackend, type PublishProductResult } from '@meshkit/catalog';
import type { DriftReport, GluePublishDetail, GlueSchemaRegistryCatalog } from '@meshkit/catalog/aws';
import { PRODUCT_REF } from '../context.js';
import { requireRepoRoot } from './mesh-target.js';
import { EXIT, type ExitCode } from '../exit.js';
import type { Io } from '../io.js';

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
  const excluded = ['.mesh', 'cdk.out', ...(catalogDir && !relative(root, catalogDir).startsWith('..') && relative(root, catalogDir) ? [relative(root, catalogDir)] : [])];
  try {
    const out = execFileSync('git', ['status', '--porcelain', '--untracked-files=all', '--', '.', ...excluded.map((e) => `:(exclude)${e}`)], {
      cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'],
    });
    return out.split('\n').filter(Boolean).map((l) => l.slice(3));
  } catch {
    return undefined;
  }
}

/**
 * The catalog backend of a repository: the embedded local catalog (`catalog.path`), or with
 * `glue` the AWS Glue Schema Registry of `catalog.glue` (the AWS SDK is loaded only then).
 * @param kind @default 'local'
 * @throws MeshError (exit 2) for the Glue backend without a region.
 */
export async function openCatalog(root: string, kind: CatalogKind = 'local', config?: MeshConfig): Promise<CatalogBackend> {
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
    if (!PRODUCT_REF.test(target)) throw new MeshError('USAGE', `'${target}' is not <domain>/<product>`, { exitCode: 2 });
    return [target];
  }
  const m = /^domains\/([^/]+)\/products\/([^/]+)(\/|$)/.exec(relative(root, io.cwd).split('\\').join('/'));
  if (m) return [`${m[1]}/${m[2]}`];
  throw new MeshError('USAGE', 'name a <domain>/<product>, pass --all, or run inside a product folder', { exitCode: 2 });
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
  if (!products.length) throw new MeshError('USAGE', `no product under ${join(root, 'domains')}`, { exitCode: 2 });
  const catalog = await openCatalog(root, options.catalog, config);
  // The records name the commit that holds what is published: an uncommitted tree is refused unless --allow-dirty (recorded).
  const dirty = uncommittedFiles(root, catalog.kind === 'local' ? catalog.location : undefined) ?? [];
  if (dirty.length && !options.allowDirty) {
    throw new MeshError('USAGE', `the working tree has ${dirty.length} uncommitted change(s) (${dirty.slice(0, 3).join(', ')}${dirty.length > 3 ? ', …' : ''}): commit them so the catalog records the commit holding what is published, or pass --allow-dirty (the records then say gitDirty); nothing was published`, { exitCode: 2 });
  }
  const glue = options.catalog === 'glue' ? catalog as GlueSchemaRegistryCatalog : undefined;
  let status: ExitCode = EXIT.OK;
  const results: Array<{
    product: string; version?: string; outcome: string; baselines?: string[]; error?: string; diagnostics?: PublishProductResult['diagnostics'];
    registry?: Omit<GluePublishDetail, 'domain' | 'product' | 'version' | 'outcome'>; drift?: DriftReport;
    servedMajors?: Array<{ version: string; outcome: string; patchOf?: string }>; manifest?: string;
  }> = [];
  for (const product of products) {
    try {
      const seen = glue?.published.length ?? 0;
      const r = await publishProduct({ root, product, catalog, config, ...(dirty.length ? { gitDirty: true } : {}) });
      const result: (typeof results)[number] = { product, version: r.version, outcome: r.outcome, baselines: r.baselines, diagnostics: r.diagnostics };
      if (r.servedMajors?.length) result.servedMajors = r.servedMajors.map((s) => ({ version: s.version, outcome: s.outcome, ...(s.patchOf ? { patchOf: s.patchOf } : {}) }));
      if (r.manifest) result.manifest = r.manifest;
      results.push(result);
      if (r.outcome === 'blocked' && status === EXIT.OK) status = EXIT.FAILED;
      const detail = glue && glue.published.length > seen ? glue.published.at(-1) : undefined;
      if (detail) {
        const { domain: _d, product: _p, version: _v, outcome: _o, ...registry } = detail;
        result.registry = registry;
        try {
          result.drift = await glueDrift(glue!, root, product);
        } catch (e) {
          if (!isMeshError(e)) throw e;
          io.stderr(`mesh: ${product}: drift not checked: ${e.message}\n`); // a report only: the publish stands
        }
      }
      if (options.format !== 'json') {
        if (r.diagnostics.length) io.stdout(formatDiagnostics(r.diagnostics, 'text', { sources: r.sources }) + '\n');
        const against = r.baselines.length ? ` (checked against ${r.baselines.join(', ')})` : '';
        const where = detail ? ` — registry ${detail.registryName}, schema ${detail.schemaName}, version ${detail.versionNumber}` : '';
        io.stdout(`${product} ${r.version}: ${r.outcome === 'blocked' ? 'BLOCKED, nothing published' : r.outcome}${r.outcome === 'published' ? against : ''}${where}\n`);
        if (detail?.compatibilityNote) io.stdout(`  note: ${detail.compatibilityNote}\n`);
        for (const s of result.servedMajors ?? []) {
          const patch = s.patchOf ? ` (a metadata-only change of the frozen ${s.patchOf}: its patch release)` : '';
          io.stdout(`  served older major ${s.version}: ${s.outcome === 'blocked' ? 'BLOCKED' : s.outcome}${patch}\n`);
        }
        if (r.manifest === 'published') io.stdout(`  product metadata (owner, classification, consumes): published\n`);
        if (dirty.length) io.stdout(`  recorded as published from an uncommitted tree (--allow-dirty)\n`);
        if (result.drift) {
          const d = result.drift;
          if (!d.deployed) io.stdout(`  table ${d.database}.${d.table}: not deployed\n`);
          else if (!d.drift.length) io.stdout(`  table ${d.database}.${d.table}: no drift\n`);
          else for (const line of d.drift) io.stdout(`  drift: ${line}\n`);
        }
      }
    } catch (e) {
      if (!isMeshError(e)) throw e;
      results.push({ product, outcome: 'error', error: e.format() });
      if (e.exitCode === EXIT.USAGE || status === EXIT.OK) status = e.exitCode;
      if (options.format !== 'json') io.stderr(`mesh: ${product}: ${e.format()}\n`);
    }
  }
  if (options.format === 'json') io.stdout(JSON.stringify({ catalog: catalog.location, ok: status === EXIT.OK, results }, null, 2) + '\n');
  else io.stdout(`catalog: ${catalog.location}\n`);
  return status;
}

/** Drift of the deployed table of a product from its current contract (the Glue backend). */
async function glueDrift(glue: GlueSchemaRegistryCatalog, root: string, product: string): Promise<DriftReport> {
  const [domain = '', name = ''] = product.split('/');
  const dir = join(root, 'domains', domain, 'products', name);
  const manifest = loadProductManifest(join(dir, 'product.yaml')).value;
  const contract = loadContract(join(dir, manifest.contract)).contract!;
  const { driftReport } = await import('@meshkit/catalog/aws');
  return driftReport({ glue: glue.glue, lakeFormation: glue.lakeFormation, domain, product: name, contract, manifest });
}
