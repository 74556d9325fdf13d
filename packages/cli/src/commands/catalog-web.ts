import { resolve } from 'node:path';
import { MeshError } from '@meshkit/contracts';
import {
  CatalogSiteCache,
  DEFAULT_CATALOG_HOST,
  DEFAULT_CATALOG_PORT,
  exportCatalogSite,
  startCatalogServer,
  type CatalogServer,
} from '@meshkit/catalog';
import { EXIT, type ExitCode } from '../exit.js';
import type { Io } from '../io.js';
import { openCatalog, type CatalogKind } from './publish.js';
import { requireRepoRoot } from './mesh-target.js';
import { progress } from '../progress.js';

/** Options of `mesh catalog serve`. */
export interface CatalogServeOptions {
  /** TCP port; 0 picks a free one. @default 7411 */
  port?: number | string;
  /** Interface to bind. @default '127.0.0.1' */
  host?: string;
  /** `json` prints one JSON line `{ url, catalog }` once listening. @default 'text' */
  format?: 'text' | 'json';
  /** Which catalog to show: the embedded local one or the AWS Glue Schema Registry. @default 'local' */
  catalog?: CatalogKind;
  /** Add the fleet page (`fleet.html`, `api/fleet`): the mesh is synthesized and checked once, before listening. @default false */
  fleet?: boolean;
}

/** Options of `mesh catalog export`. */
export interface CatalogExportOptions {
  /** Directory of the static site (relative to the working directory). */
  html: string;
  /** @default 'text' */
  format?: 'text' | 'json';
  /** Which catalog to export: the embedded local one or the AWS Glue Schema Registry. @default 'local' */
  catalog?: CatalogKind;
  /** Add the fleet page (`fleet.html`, `api/fleet.json`). @default false */
  fleet?: boolean;
}

/** The fleet report for the site (`--fleet`), built by `mesh fleet`'s library call. */
async function fleetOf(root: string, catalog: Awaited<ReturnType<typeof openCatalog>>, wanted: boolean | undefined) {
  if (!wanted) return undefined;
  const { buildFleetReport } = await import('./fleet.js');
  return (await buildFleetReport(root, { catalog })).fleet;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

function parsePort(value: number | string | undefined): number {
  if (value === undefined) return DEFAULT_CATALOG_PORT;
  const n = typeof value === 'number' ? value : /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new MeshError('USAGE', `--port ${String(value)} is not a TCP port (0-65535; 0 picks a free one)`, {
      exitCode: 2,
    });
  return n;
}

/**
 * Starts the catalog site of the repository above `io.cwd` and returns the running server (for
 * tests and embedding; `catalogServe` waits for it to close). The catalog is read once before
 * listening, so a corrupted record fails here (MeshError `CATALOG_CORRUPT`, exit 2, with the
 * file) instead of serving an error page; afterwards pages are rendered once per catalog state
 * (a version published or a record changed shows on the next request).
 * @throws MeshError `USAGE` (exit 2) outside a repository, for a bad or busy port.
 */
export async function startCatalogServe(options: CatalogServeOptions, io: Io): Promise<CatalogServer> {
  const port = parsePort(options.port);
  const host = options.host ?? DEFAULT_CATALOG_HOST;
  const root = requireRepoRoot(io);
  const catalog = await openCatalog(root, options.catalog);
  const fleet = await fleetOf(root, catalog, options.fleet);
  // Built once here (a corrupted catalog fails before listening), then kept per catalog state.
  const site = new CatalogSiteCache(catalog, fleet ? { fleet } : {});
  const { model } = await site.current();
  const server = await startCatalogServer({
    backend: catalog,
    port,
    host,
    site,
    ...(fleet ? { fleet } : {}),
    onError: (e) => io.stderr(`mesh: ${e instanceof MeshError ? e.format() : ((e as Error)?.message ?? String(e))}\n`),
  });
  if (options.format === 'json') {
    io.stdout(JSON.stringify({ url: server.url, catalog: catalog.location, products: model.products.length }) + '\n');
  } else {
    io.stdout(
      `catalog ${catalog.location} (${model.products.length} product${model.products.length === 1 ? '' : 's'})\n`,
    );
    io.stdout(`serving on ${server.url}  (JSON API: ${server.url}api/products; Ctrl-C to stop)\n`);
    if (!LOOPBACK.has(host))
      io.stderr(
        `mesh: warning: listening on ${host}, reachable from other machines; the catalog has no authentication\n`,
      );
  }
  return server;
}

/**
 * `mesh catalog serve [--port <n>] [--host 127.0.0.1]`: the catalog web page and JSON API on
 * node:http (127.0.0.1 only unless `--host`). Resolves when the server closes: on SIGINT or
 * SIGTERM it stops cleanly and returns 0. Exit 2 outside a repository, for a bad or busy port,
 * or when the catalog is corrupted.
 */
export async function catalogServe(options: CatalogServeOptions, io: Io): Promise<ExitCode> {
  const server = await startCatalogServe(options, io);
  const stop = (signal: NodeJS.Signals) => {
    if (options.format !== 'json') io.stdout(`\n${signal}: stopping the catalog server\n`);
    void server.close();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    await server.closed;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
  return EXIT.OK;
}

/**
 * `mesh catalog export --html <dir>`: the same pages and JSON API as static files (index.html,
 * products/<domain>/<product>.html, api/…), written atomically (temp directory, then rename: never
 * a half-written export; an earlier export is replaced, any other non-empty directory refused).
 * Exit 0; 2 outside a repository, for a refused directory, or when the catalog is corrupted
 * (nothing written).
 */
export async function catalogExport(options: CatalogExportOptions, io: Io): Promise<ExitCode> {
  if (!options.html)
    throw new MeshError('USAGE', 'pass --html <dir>: the directory to write the static catalog site to', {
      exitCode: 2,
    });
  const root = requireRepoRoot(io);
  const catalog = await openCatalog(root, options.catalog);
  const fleet = await fleetOf(root, catalog, options.fleet);
  const bar = progress(io, 'exporting product pages', options);
  let result;
  try {
    result = await exportCatalogSite(catalog, resolve(io.cwd, options.html), {
      onProgress: (done, total) => bar.update(done, total),
      ...(fleet ? { fleet } : {}),
    });
  } finally {
    bar.done();
  }
  if (options.format === 'json') {
    io.stdout(JSON.stringify({ dir: result.dir, products: result.products, files: result.files }, null, 2) + '\n');
  } else {
    io.stdout(
      `exported ${result.products} product${result.products === 1 ? '' : 's'} (${result.files.length} files) from ${catalog.location} to ${result.dir}\n`,
    );
    io.stdout(`open ${resolve(result.dir, 'index.html')}\n`);
  }
  return EXIT.OK;
}
