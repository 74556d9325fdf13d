import { relative } from 'node:path';
import { findRepoRoot, formatDiagnostics, isMeshError, MeshError, MESH_CONFIG_FILE, loadMeshConfig } from '@meshkit/contracts';
import { listProducts, openLocalCatalog, publishProduct, type PublishProductResult } from '@meshkit/catalog';
import { join } from 'node:path';
import { PRODUCT_REF } from '../context.js';
import { EXIT, type ExitCode } from '../exit.js';
import type { Io } from '../io.js';

/** Catalog backends `mesh publish` and `mesh catalog` can use (this slice: the embedded local one). */
export const CATALOG_KINDS = ['local'] as const;
export type CatalogKind = (typeof CATALOG_KINDS)[number];

export interface PublishOptions {
  /** Every product of the repository. @default false */
  all?: boolean;
  /** @default 'local' */
  catalog?: CatalogKind;
  /** @default 'text' */
  format?: 'text' | 'json';
}

/** The repository root above `io.cwd`, or a usage error. */
export function requireRoot(io: Io): string {
  const root = findRepoRoot(io.cwd);
  if (!root) throw new MeshError('USAGE', `no ${MESH_CONFIG_FILE} found above ${io.cwd}: run inside a Meshkit repository`, { exitCode: 2 });
  return root;
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
 * `mesh publish [<domain>/<product>|--all] [--catalog local]`: lint (errors block), the version
 * gate against the latest published version of the same major, then record the version in the
 * catalog. Identical re-publish is a no-op. Exit 0 all published or unchanged, 1 a product was
 * blocked or conflicts with a published version, 2 bad usage or a corrupted catalog.
 */
export async function meshPublish(target: string | undefined, options: PublishOptions, io: Io): Promise<ExitCode> {
  const root = requireRoot(io);
  const config = loadMeshConfig(join(root, MESH_CONFIG_FILE)).value;
  const products = targets(root, target, Boolean(options.all), io);
  if (!products.length) throw new MeshError('USAGE', `no product under ${join(root, 'domains')}`, { exitCode: 2 });
  const catalog = openLocalCatalog(root, config);
  let status: ExitCode = EXIT.OK;
  const results: Array<{ product: string; version?: string; outcome: string; baselines?: string[]; error?: string; diagnostics?: PublishProductResult['diagnostics'] }> = [];
  for (const product of products) {
    try {
      const r = await publishProduct({ root, product, catalog, config });
      results.push({ product, version: r.version, outcome: r.outcome, baselines: r.baselines, diagnostics: r.diagnostics });
      if (r.outcome === 'blocked' && status === EXIT.OK) status = EXIT.FAILED;
      if (options.format !== 'json') {
        if (r.diagnostics.length) io.stdout(formatDiagnostics(r.diagnostics, 'text', { sources: r.sources }) + '\n');
        const against = r.baselines.length ? ` (checked against ${r.baselines.join(', ')})` : '';
        io.stdout(`${product} ${r.version}: ${r.outcome === 'blocked' ? 'BLOCKED, nothing published' : r.outcome}${r.outcome === 'published' ? against : ''}\n`);
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
