import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { MeshError, replaceDirectory, writeFileDurable } from '@meshkit/contracts';
import type { CatalogBackend } from '../backend.js';
import type { AccessOptions } from './access.js';
import { catalogModelOf, readCatalogRecords, readCurrentConsumes } from './model.js';
import { CatalogSite } from './site.js';
import type { FleetReport } from './fleet.js';

/** Marker file of an export: a directory holding it may be replaced by a new export. */
export const EXPORT_MARKER = '.meshkit-catalog-export.json';

/**
 * Options of {@link exportCatalogSite}; `root` (default: the backend's) and `assemblyDir`
 * (default `<root>/cdk.out`) locate the cloud assembly of "who can read this product".
 */
export interface ExportOptions extends AccessOptions {
  /** Instant of deprecation phases and `generatedAt`. @default new Date() */
  now?: Date;
  /** Called after each product page is written, with the products done and their total (progress). */
  onProgress?: (done: number, total: number) => void;
  /** The fleet report (`mesh fleet`): written as `fleet.html` and `api/fleet.json`. @default none */
  fleet?: FleetReport;
}

/** What {@link exportCatalogSite} wrote. */
export interface ExportResult {
  /** Absolute directory of the export. */
  dir: string;
  /** Files written, relative to {@link dir}, sorted. */
  files: string[];
  /** Number of products. */
  products: number;
}

/**
 * Writes the catalog site as static files: `index.html` (and `index-<n>.html` for a catalog of
 * more than one index page), `lineage.html`, `products/<d>/<p>.html` and the JSON API
 * (`api/products.json`, `api/products/<d>/<p>.json`, `api/products/<d>/<p>/versions/<v>.json`,
 * `api/lineage.json`) — the same pages and payloads `catalog serve` answers with. Every record is
 * read (and checked) once, the lineage graph laid out once, and each file written to disk as soon
 * as it is rendered (memory stays flat with the catalog's size). Atomic: files go into a temp
 * directory beside `dir`, which then replaces `dir` by rename; a failure leaves `dir` as it was.
 * A previous export is replaced; any other non-empty directory is refused.
 * @throws MeshError `CATALOG_CORRUPT` (exit 2, with the file) before anything is written;
 *   `USAGE` (exit 2) when `dir` is a file or a non-empty directory that is not an export,
 *   or cannot be written (e.g. a parent is a file, no permission); nothing is left behind.
 */
export async function exportCatalogSite(
  backend: CatalogBackend,
  dir: string,
  options: ExportOptions = {},
): Promise<ExportResult> {
  const target = resolve(dir);
  checkTarget(target);
  const now = options.now ?? new Date();
  const access = {
    ...(options.root ? { root: options.root } : {}),
    ...(options.assemblyDir ? { assemblyDir: options.assemblyDir } : {}),
  };
  const listed = await backend.list();
  const records = await readCatalogRecords(backend, undefined, listed);
  const currentConsumes = await readCurrentConsumes(backend, listed);
  const site = new CatalogSite(
    catalogModelOf(backend, records, { now, currentConsumes, ...access }),
    records,
    options.fleet ? { fleet: options.fleet } : {},
  );
  const model = site.model;

  const parent = dirname(target);
  try {
    mkdirSync(parent, { recursive: true });
  } catch (e) {
    throw unwritable(target, e);
  }
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const temp = join(parent, `.${basename(target)}.tmp-${tag}`);
  const files: string[] = [];
  const made = new Set<string>();
  try {
    const put = (path: string, content: string) => {
      const file = join(temp, path);
      const folder = dirname(file);
      if (!made.has(folder)) {
        mkdirSync(folder, { recursive: true });
        made.add(folder);
      }
      writeFileDurable(file, content);
      files.push(path);
    };
    const total = model.products.length;
    let done = 0;
    for (const [path, content] of site.files(now)) {
      put(path, content);
      if (path.endsWith('.html') && path.startsWith('products/')) options.onProgress?.(++done, total);
    }
    put(
      EXPORT_MARKER,
      JSON.stringify(
        {
          format: 'meshkit.catalog-export/v1',
          generatedAt: model.generatedAt,
          catalog: { kind: model.kind, location: model.location },
        },
        null,
        2,
      ) + '\n',
    );
    checkTarget(target); // again: another process may have created it meanwhile
    replaceDirectory(temp, target);
  } catch (e) {
    throw unwritable(target, e);
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
  return { dir: target, files: files.filter((f) => f !== EXPORT_MARKER).sort(), products: model.products.length };
}

/** A file-system error while writing the export, as an error a person can act on (exit 2); MeshErrors pass through. */
function unwritable(target: string, e: unknown): unknown {
  const err = e as NodeJS.ErrnoException;
  if (e instanceof MeshError || !err?.code) return e;
  return new MeshError(
    'USAGE',
    `cannot write the catalog site to ${target} (${err.code}: ${err.message}); nothing was exported: choose a writable --html directory`,
    { exitCode: 2, cause: e },
  );
}

function checkTarget(target: string): void {
  if (!existsSync(target)) return;
  if (!statSync(target).isDirectory()) {
    throw new MeshError('USAGE', `${target} exists and is not a directory: choose another --html directory`, {
      exitCode: 2,
    });
  }
  const entries = readdirSync(target);
  if (entries.length && !entries.includes(EXPORT_MARKER)) {
    throw new MeshError(
      'USAGE',
      `${target} is not empty and holds no earlier catalog export (${EXPORT_MARKER}); refusing to replace it: choose an empty or new directory`,
      { exitCode: 2 },
    );
  }
}
