import { deprecationOf, type Deprecation } from '@meshkit/contracts';
import type { CatalogBackend } from '../backend.js';
import type { CatalogRecord } from '../record.js';
import { productAccess, type ProductAccess } from './access.js';
import type { CatalogModel, LineageGraph, ProductView } from './model.js';

/*
 * The JSON API (same payloads from `catalog serve` and in `catalog export --html`):
 *   GET /api/products                                        ProductsPayload
 *   GET /api/products/<domain>/<product>                     ProductPayload (with `access`: who can read it)
 *   GET /api/products/<domain>/<product>/versions/<version>  VersionPayload
 *   GET /api/lineage                                         LineagePayload
 * Each path also answers with a `.json` suffix (the file names of the static export).
 */

/** `/api/products`: every product, without schemas. */
export interface ProductsPayload {
  catalog: { kind: string; location: string };
  generatedAt: string;
  domains: CatalogModel['domains'];
  products: Array<
    Omit<ProductView, 'majors'> & {
      majors: Array<{ major: number; latestVersion: string; versions: string[]; deprecation: Deprecation }>;
    }
  >;
}

/**
 * `/api/products/<domain>/<product>`: one product with every major's versions, schema, quality
 * rules and lineage edges, and who can read and write it (`mesh verify`'s access model).
 */
export interface ProductPayload {
  catalog: { kind: string; location: string };
  generatedAt: string;
  product: ProductView;
  /** Who can read the product (tables, columns, how) and write its zones, and `mesh verify`'s findings about it; or why that is not known (`status`, `message`). */
  access: ProductAccess;
}

/** `/api/products/<domain>/<product>/versions/<version>`: the stored record of one version and its deprecation. */
export interface VersionPayload {
  catalog: { kind: string; location: string };
  record: CatalogRecord;
  deprecation: Deprecation;
}

/** `/api/lineage`: products as nodes, `consumes` edges producer → consumer. */
export interface LineagePayload extends LineageGraph {
  catalog: { kind: string; location: string };
  generatedAt: string;
}

const catalogOf = (m: { kind: string; location: string }) => ({ kind: m.kind, location: m.location });

/** Payload of `/api/products`. */
export function productsPayload(model: CatalogModel): ProductsPayload {
  return {
    catalog: catalogOf(model),
    generatedAt: model.generatedAt,
    domains: model.domains,
    products: model.products.map(({ majors, ...rest }) => ({
      ...rest,
      majors: majors.map((m) => ({
        major: m.major,
        latestVersion: m.latest.version,
        versions: m.versions.map((v) => v.version),
        deprecation: m.latest.deprecation,
      })),
    })),
  };
}

/** Payload of `/api/products/<domain>/<product>`, or undefined when the product is not in the catalog. */
export function productPayload(model: CatalogModel, ref: string): ProductPayload | undefined {
  const product = model.products.find((p) => p.ref === ref);
  return (
    product && {
      catalog: catalogOf(model),
      generatedAt: model.generatedAt,
      product,
      access: productAccess(model.access, ref),
    }
  );
}

/**
 * Payload of `/api/products/<domain>/<product>/versions/<version>`, or undefined when that
 * version was never published.
 * @param now instant of the deprecation phase. @default new Date()
 * @throws MeshError `CATALOG_CORRUPT` when the record fails its checks.
 */
export async function versionPayload(
  backend: CatalogBackend,
  domain: string,
  product: string,
  version: string,
  now: Date = new Date(),
): Promise<VersionPayload | undefined> {
  const record = await backend.get(domain, product, version);
  return record && versionPayloadOf(backend, record, now);
}

/** Payload of `/api/products/<domain>/<product>/versions/<version>` for a record already read. */
export function versionPayloadOf(
  catalog: { kind: string; location: string },
  record: CatalogRecord,
  now: Date = new Date(),
): VersionPayload {
  return { catalog: catalogOf(catalog), record, deprecation: deprecationOf(record.contract, now) };
}

/** Payload of `/api/lineage`. */
export function lineagePayload(model: CatalogModel): LineagePayload {
  return { catalog: catalogOf(model), generatedAt: model.generatedAt, ...model.lineage };
}
