import type { CatalogBackend } from '../backend.js';
import { assemblyStamp, productAccessIndex, type AccessOptions, type ProductAccess } from './access.js';
import {
  lineagePayload,
  productsPayload,
  versionPayloadOf,
  type LineagePayload,
  type ProductPayload,
  type ProductsPayload,
  type VersionPayload,
} from './api.js';
import {
  embeddableJson,
  indexPageCount,
  indexPath,
  INDEX_PAGE_SIZE,
  LINEAGE_PAGE,
  productPath,
  renderIndexPage,
  renderLineagePage,
  renderProductPage,
  searchIndexOf,
  versionApiPath,
} from './html.js';
import { FLEET_API_PATH, FLEET_PAGE_PATH, renderFleetPage, type FleetReport } from './fleet.js';
import { layoutLineage, type LineageLayout } from './layout.js';
import {
  catalogModelOf,
  readCatalogRecords,
  readCurrentConsumes,
  type CatalogModel,
  type CatalogModelOptions,
  type CatalogRecords,
  type ProductView,
} from './model.js';

/** Options of {@link CatalogSite}. */
export interface CatalogSiteOptions {
  /** Keep every page and payload once rendered (a server); an export renders each once and keeps nothing. @default false */
  cache?: boolean;
  /** Products per index page. @default INDEX_PAGE_SIZE */
  pageSize?: number;
  /** The fleet report (`mesh fleet`): the fleet page and its JSON are part of the site. @default none */
  fleet?: FleetReport;
}

/**
 * The catalog site of one catalog state: the page model, lookups by product, the whole lineage
 * graph laid out once (on first use), and every page and JSON payload rendered on demand
 * (memoized with `cache`). What `catalog serve` answers from and `catalog export` writes.
 */
export class CatalogSite {
  readonly pageSize: number;
  private readonly byRef: Map<string, ProductView>;
  private readonly accessOf: (ref: string) => ProductAccess;
  private layout: LineageLayout | undefined;
  private searchJson: string | undefined;
  private readonly memo = new Map<string, unknown>();

  /**
   * @param model the page model of `records`.
   * @param records the stored records it was built from (version payloads are answered from them).
   */
  constructor(
    readonly model: CatalogModel,
    readonly records: CatalogRecords,
    private readonly options: CatalogSiteOptions = {},
  ) {
    this.pageSize = options.pageSize ?? INDEX_PAGE_SIZE;
    this.byRef = new Map(model.products.map((p) => [p.ref, p]));
    this.accessOf = productAccessIndex(model.access);
  }

  /** Number of index pages. */
  get pageCount(): number {
    return indexPageCount(this.model.products.length, this.pageSize);
  }

  /** The product, or undefined. */
  product(ref: string): ProductView | undefined {
    return this.byRef.get(ref);
  }

  /** The whole lineage graph, laid out once per site (catalog state). */
  lineageLayout(): LineageLayout {
    return (this.layout ??= layoutLineage(this.model.lineage));
  }

  /** Index page `n` (1-based), or undefined past the last page. */
  indexPage(n = 1): string | undefined {
    if (!Number.isInteger(n) || n < 1 || n > this.pageCount) return undefined;
    return this.remember(`index:${n}`, () =>
      renderIndexPage(this.model, {
        page: n,
        pageSize: this.pageSize,
        layout: () => this.lineageLayout(),
        searchIndex: () => (this.searchJson ??= embeddableJson(searchIndexOf(this.model))),
      }),
    );
  }

  /** The page of the whole lineage graph. */
  lineagePage(): string {
    return this.remember('lineage', () => renderLineagePage(this.model, this.lineageLayout()));
  }

  /** A product's page, or undefined when the catalog has no such product. */
  productPage(ref: string): string | undefined {
    const product = this.byRef.get(ref);
    if (!product) return undefined;
    return this.remember(`page:${ref}`, () =>
      renderProductPage(this.model, ref, { product, access: this.accessOf(ref) })!,
    );
  }

  /** The fleet page, or undefined when the site has no fleet report. */
  fleetPage(): string | undefined {
    const fleet = this.options.fleet;
    return fleet && this.remember('fleet', () => renderFleetPage(this.model, fleet));
  }

  /** `/api/fleet`: the fleet report, or undefined. */
  fleetPayload(): FleetReport | undefined {
    return this.options.fleet;
  }

  /** `/api/products`. */
  productsPayload(): ProductsPayload {
    return this.remember('api:products', () => productsPayload(this.model));
  }

  /** `/api/products/<d>/<p>`, or undefined. */
  productPayload(ref: string): ProductPayload | undefined {
    const product = this.byRef.get(ref);
    return (
      product && {
        catalog: { kind: this.model.kind, location: this.model.location },
        generatedAt: this.model.generatedAt,
        product,
        access: this.accessOf(ref),
      }
    );
  }

  /** `/api/lineage`. */
  lineagePayload(): LineagePayload {
    return lineagePayload(this.model);
  }

  /** `/api/products/<d>/<p>/versions/<v>` from the records in memory, or undefined when never published. */
  versionPayload(ref: string, version: string, now: Date): VersionPayload | undefined {
    const record = this.records.get(ref)?.find((r) => r.version === version);
    return record && versionPayloadOf(this.model, record, now);
  }

  /**
   * Every file of the static site, one at a time (path relative to the root, content): the index
   * pages, the lineage page, each product's page and JSON, each version's JSON, `api/products.json`
   * and `api/lineage.json`, and with a fleet report `fleet.html` and `api/fleet.json`. Nothing is
   * kept once yielded (unless `cache`).
   */
  *files(now: Date): Generator<[path: string, content: string]> {
    const json = (value: unknown) => JSON.stringify(value, null, 2) + '\n';
    for (let n = 1; n <= this.pageCount; n++) yield [indexPath(n), this.indexPage(n)!];
    if (this.model.lineage.nodes.length) yield [LINEAGE_PAGE, this.lineagePage()];
    yield ['api/products.json', json(this.productsPayload())];
    yield ['api/lineage.json', json(this.lineagePayload())];
    const fleet = this.fleetPage();
    if (fleet !== undefined) {
      yield [FLEET_PAGE_PATH, fleet];
      yield [FLEET_API_PATH, json(this.fleetPayload())];
    }
    for (const p of this.model.products) {
      yield [productPath(p.ref), this.productPage(p.ref)!];
      yield [`api/products/${p.ref}.json`, json(this.productPayload(p.ref))];
      for (const r of this.records.get(p.ref) ?? [])
        yield [versionApiPath(p.ref, r.version), json(versionPayloadOf(this.model, r, now))];
    }
  }

  private remember<T>(key: string, make: () => T): T {
    if (!this.options.cache) return make();
    if (!this.memo.has(key)) this.memo.set(key, make());
    return this.memo.get(key) as T;
  }
}

/** Options of {@link CatalogSiteCache}. */
export interface CatalogSiteCacheOptions extends AccessOptions {
  /** Instant of deprecation phases. @default new Date() at each request */
  now?: () => Date;
  /** Products per index page. @default INDEX_PAGE_SIZE */
  pageSize?: number;
  /** The fleet report every site built carries (see {@link CatalogSiteOptions.fleet}). @default none */
  fleet?: FleetReport;
}

/**
 * The site of a backend, built lazily and kept per catalog state: each {@link current} call takes
 * the catalog's fingerprints (local: one stat per record, no read; else its `list()`) and stats
 * the cloud assembly's manifest; while neither changed (and the day is the same: deprecation
 * phases), the same {@link CatalogSite} answers, with its pages rendered once. A version
 * published (or a record changed on disk) makes the next call build a new site, reading only the
 * records it does not hold unchanged. A repository edit without a new `mesh synth` or publish is
 * not noticed (the access model's staleness is judged when the site is built).
 */
export class CatalogSiteCache {
  private key: string | undefined;
  private site: CatalogSite | undefined;
  private building: { key: string; site: Promise<CatalogSite> } | undefined;
  private prints: Map<string, string> | undefined;

  constructor(
    readonly backend: CatalogBackend,
    private readonly options: CatalogSiteCacheOptions = {},
  ) {}

  /**
   * The site of the catalog as it is now.
   * @throws MeshError `CATALOG_CORRUPT` when a record read for it fails its checks (nothing is cached then).
   */
  async current(): Promise<CatalogSite> {
    const prints = this.backend.fingerprints ? await this.backend.fingerprints() : undefined;
    const listed = prints ? undefined : await this.backend.list();
    const now = (this.options.now ?? (() => new Date()))();
    const access: AccessOptions = {
      ...(this.options.root ? { root: this.options.root } : {}),
      ...(this.options.assemblyDir ? { assemblyDir: this.options.assemblyDir } : {}),
    };
    const key = JSON.stringify([
      prints ? [...prints] : listed,
      assemblyStamp(this.backend, access),
      now.toISOString().slice(0, 10),
    ]);
    if (key === this.key && this.site) return this.site;
    if (this.building?.key === key) return this.building.site;
    // Records kept from the previous state: all of them (immutable versions), or with fingerprints
    // only those whose record did not change on disk.
    let previous = this.site?.records;
    if (previous && prints) {
      const old = this.prints ?? new Map<string, string>();
      previous = new Map(
        [...previous].map(([ref, list]) => [
          ref,
          list.filter((r) => {
            const id = `${ref}@${r.version}`;
            return old.get(id) !== undefined && old.get(id) === prints.get(id);
          }),
        ]),
      );
    }
    const site = (async () => {
      const records = await readCatalogRecords(this.backend, previous, listed ?? (await this.backend.list()));
      const currentConsumes = await readCurrentConsumes(this.backend);
      const model = catalogModelOf(this.backend, records, {
        now,
        currentConsumes,
        ...access,
      } satisfies CatalogModelOptions);
      return new CatalogSite(model, records, {
        cache: true,
        ...(this.options.pageSize ? { pageSize: this.options.pageSize } : {}),
        ...(this.options.fleet ? { fleet: this.options.fleet } : {}),
      });
    })();
    this.building = { key, site };
    try {
      const built = await site;
      if (this.building?.key === key) {
        this.site = built;
        this.key = key;
        this.prints = prints;
      }
      return built;
    } finally {
      if (this.building?.key === key) this.building = undefined;
    }
  }
}
