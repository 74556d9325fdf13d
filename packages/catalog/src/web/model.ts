import type { Classification, Deprecation } from '@meshkit/contracts';
import type { CatalogBackend, CatalogProduct } from '../backend.js';
import type { CatalogRecord } from '../record.js';
import { loadCatalogAccess, type AccessOptions, type CatalogAccess } from './access.js';
import { lineageOf } from './lineage-graph.js';
import { ConsumesIndex, productView } from './views.js';

export { lineageOf, neighbourhood, type Neighbourhood, type NeighbourhoodOptions } from './lineage-graph.js';

/** One column of a schema object, as the page shows it (nested properties flattened as `parent.child`). */
export interface ColumnView {
  /** Property name; nested properties are `parent.child`, array items `parent[]`. */
  name: string;
  /** ODCS `logicalType`, when set. */
  logicalType?: string;
  /** `physicalType` as written in the contract, when set. */
  physicalType?: string;
  /** The Glue type the column is deployed with (compiled from the contract). */
  glueType: string;
  required: boolean;
  primaryKey: boolean;
  /** `primaryKeyPosition`, when set. */
  primaryKeyPosition?: number;
  partitioned: boolean;
  /** The property's `classification`, when set. */
  classification?: string;
  description?: string;
}

/** One quality rule of the contract (object- or column-level). */
export interface QualityRuleView {
  /** The rule's `id` or `name`, else `<object>#<n>`. */
  id: string;
  /** Schema object the rule belongs to. */
  object: string;
  /** Column of a property-level rule; absent for object-level rules. */
  column?: string;
  /** `library` (a metric), `sql`, `text` or `custom`. */
  type: string;
  /** Library metric (`nullValues`, `rowCount`, …) or undefined. */
  metric?: string;
  /** Human-readable condition, e.g. `must be 0`, `must be greater than 0`. */
  condition: string;
  /** The rule's arguments (e.g. `validValues`), as JSON text; absent when none. */
  arguments?: string;
  /** SQL `query` of a `sql` rule. */
  query?: string;
  description?: string;
  severity?: string;
}

/** A schema object of a contract version. */
export interface SchemaObjectView {
  name: string;
  physicalName?: string;
  description?: string;
  columns: ColumnView[];
  /** Object- and property-level quality rules from the contract. */
  quality: QualityRuleView[];
  /** The compiled DQDL rule set stored in the record, when present. */
  dqdl?: string;
}

/** A `consumes` edge of a product (what it reads from a producer). */
export interface ConsumesView {
  /** `<domain>/<product>` of the producer. */
  product: string;
  /** Semver range of the producer's contract. */
  range: string;
  /** Columns read; undefined means every column. */
  columns?: string[];
  /** Whether the producer is in the catalog at all. */
  published: boolean;
  /** The highest published producer version satisfying the range, when there is one. */
  resolvedVersion?: string;
}

/** A reverse `consumes` edge: a product that reads this one (column-level lineage). */
export interface ConsumerView {
  /** `<domain>/<product>` of the consumer. */
  product: string;
  /** Version of the consumer whose `consumes` declares the edge (its latest). */
  consumerVersion: string;
  range: string;
  /** Columns read; undefined means every column. */
  columns?: string[];
  /** The highest published version of this product satisfying the range, when there is one. */
  resolvedVersion?: string;
}

/** One published contract version. */
export interface VersionView {
  version: string;
  major: number;
  /** Contract `id`. */
  id: string;
  /** Contract `status` (ODCS). */
  status: string;
  publishedAt: string;
  gitCommit: string | null;
  deprecation: Deprecation;
  owner: string;
  classification: Classification;
}

/** One major line of a product: its versions and the full view of its latest version. */
export interface MajorView {
  major: number;
  /** Every version of the major, ascending. */
  versions: VersionView[];
  /** The latest version of the major. */
  latest: VersionView;
  /** Schema objects of the latest version. */
  schema: SchemaObjectView[];
  /** What the latest version of this major consumes. */
  consumes: ConsumesView[];
}

/** A product of the catalog, as its page shows it. */
export interface ProductView {
  domain: string;
  product: string;
  /** `<domain>/<product>`. */
  ref: string;
  /** Contract `name` of the latest version, else the product name. */
  title: string;
  /** `description.purpose` of the latest version's contract. */
  description?: string;
  /** Owner of the latest version. */
  owner: string;
  /** Classification of the latest version. */
  classification: Classification;
  /** The latest version over every major. */
  latestVersion: string;
  /** Majors, descending (newest first). */
  majors: MajorView[];
  /** Deprecation of the latest version. */
  deprecation: Deprecation;
  /** What the latest version consumes. */
  consumes: ConsumesView[];
  /** Products whose latest version consumes this one. */
  consumers: ConsumerView[];
  /** Column names of the latest version (every object), for search. */
  columnNames: string[];
}

/** A domain and its products. */
export interface DomainView {
  name: string;
  /** `<domain>/<product>` refs, sorted. */
  products: string[];
}

/** A node of the lineage graph. */
export interface LineageNode {
  /** `<domain>/<product>`. */
  id: string;
  domain: string;
  product: string;
  /** False for a product that is consumed but not in the catalog (drawn dashed). */
  published: boolean;
  /** Latest version, for published products. */
  latestVersion?: string;
}

/** A `consumes` edge of the lineage graph, drawn producer → consumer. */
export interface LineageEdge {
  /** Producer `<domain>/<product>`. */
  from: string;
  /** Consumer `<domain>/<product>`. */
  to: string;
  range: string;
  /** Columns read; undefined means every column. */
  columns?: string[];
}

/** Products as nodes, `consumes` edges from producer to consumer. */
export interface LineageGraph {
  nodes: LineageNode[];
  edges: LineageEdge[];
}

/** Everything the catalog pages and the JSON API show. */
export interface CatalogModel {
  /** Backend kind, e.g. `local`. */
  kind: string;
  /** Backend location (directory, registry). */
  location: string;
  /** When the model was built (ISO 8601); also the instant deprecation phases are computed at. */
  generatedAt: string;
  domains: DomainView[];
  /** Every product, sorted by ref. */
  products: ProductView[];
  lineage: LineageGraph;
  /** `mesh verify`'s access model of the repository's cloud assembly (who can read and write each product), or why there is none. */
  access: CatalogAccess;
}

/** Options of {@link buildCatalogModel}. */
export interface CatalogModelOptions extends AccessOptions {
  /** Instant of deprecation phases. @default new Date() */
  now?: Date;
  /**
   * Each product's current `consumes` (its metadata record, {@link readCurrentConsumes}), used for
   * its latest version instead of that record's own `consumes`.
   * @default read from the backend by {@link buildCatalogModel}; none (each record's own) for {@link catalogModelOf}
   */
  currentConsumes?: ReadonlyMap<string, CatalogRecord['consumes']>;
}

/** Every stored record of a catalog by `<domain>/<product>`, versions ascending. */
export type CatalogRecords = Map<string, CatalogRecord[]>;

/**
 * Reads every version of every product from a backend (each record read and checked once). With
 * `previous` (an earlier read of the same backend), records already read are reused: versions
 * are immutable, so only versions published since are read.
 * @param listed the backend's `list()`, when the caller already has it.
 * @throws MeshError `CATALOG_CORRUPT` (exit 2, with the file) when a stored record fails its checks.
 */
export async function readCatalogRecords(
  backend: CatalogBackend,
  previous?: CatalogRecords,
  listed?: CatalogProduct[],
): Promise<CatalogRecords> {
  const records: CatalogRecords = new Map();
  for (const p of listed ?? (await backend.list())) {
    const ref = `${p.domain}/${p.product}`;
    const known = new Map((previous?.get(ref) ?? []).map((r) => [r.version, r]));
    const list: CatalogRecord[] = [];
    for (const v of p.versions) {
      const r = known.get(v) ?? (await backend.get(p.domain, p.product, v));
      if (r) list.push(r);
    }
    if (list.length) records.set(ref, list);
  }
  return records;
}

/**
 * Reads every version of every product from a backend and builds the page model: domains →
 * products → majors → versions, schema, quality rules, consumes edges both ways and the lineage
 * graph, and — once for the whole model — `mesh verify`'s access model of the cloud assembly
 * (`loadCatalogAccess`: never throws; no, a stale or an unreadable assembly is a status). Reads
 * everything, so a corrupted record surfaces here.
 * @throws MeshError `CATALOG_CORRUPT` (exit 2, with the file) when a stored record fails its checks.
 */
export async function buildCatalogModel(
  backend: CatalogBackend,
  options: CatalogModelOptions = {},
): Promise<CatalogModel> {
  const listed = await backend.list();
  const records = await readCatalogRecords(backend, undefined, listed);
  return catalogModelOf(backend, records, {
    ...options,
    currentConsumes: options.currentConsumes ?? (await readCurrentConsumes(backend, listed)),
  });
}

/**
 * Each product's current `consumes` from its metadata record (`getManifest`; backends without
 * metadata records give an empty map), by `<domain>/<product>`: a consumer that moved its
 * `consumes` without a new contract version is drawn where it reads now.
 * @param listed the backend's `list()`, when the caller already has it.
 */
export async function readCurrentConsumes(
  backend: CatalogBackend,
  listed?: CatalogProduct[],
): Promise<Map<string, CatalogRecord['consumes']>> {
  const current = new Map<string, CatalogRecord['consumes']>();
  if (!backend.getManifest) return current;
  for (const p of listed ?? (await backend.list())) {
    const m = await backend.getManifest(p.domain, p.product);
    if (m) current.set(`${p.domain}/${p.product}`, m.consumes);
  }
  return current;
}

/**
 * The page model of records already read ({@link readCatalogRecords}); see {@link buildCatalogModel}.
 * Linear in the catalog: consumers come from one reverse index of every `consumes` edge.
 */
export function catalogModelOf(
  backend: Pick<CatalogBackend, 'kind' | 'location' | 'root'>,
  records: CatalogRecords,
  options: CatalogModelOptions = {},
): CatalogModel {
  const now = options.now ?? new Date();
  // The products' metadata records: their current `consumes` (a consumer may move majors without a new contract version).
  const edges = new ConsumesIndex(records, options.currentConsumes ?? new Map<string, CatalogRecord['consumes']>());
  const products = [...records]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([ref, list]) => productView(ref, list, edges, now));
  const domains = new Map<string, string[]>();
  for (const p of products) domains.set(p.domain, [...(domains.get(p.domain) ?? []), p.ref]);
  return {
    kind: backend.kind,
    location: backend.location,
    generatedAt: now.toISOString(),
    domains: [...domains].map(([name, refs]) => ({ name, products: refs })),
    products,
    lineage: lineageOf(products),
    access: loadCatalogAccess(backend, options),
  };
}
