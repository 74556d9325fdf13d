import semver from 'semver';
import {
  deprecationOf,
  glueType,
  type Classification,
  type Deprecation,
  type OdcsContract,
  type QualityRule,
  type SchemaProperty,
} from '@meshkit/contracts';
import type { CatalogBackend, CatalogProduct } from '../backend.js';
import type { CatalogRecord } from '../record.js';
import { loadCatalogAccess, type AccessOptions, type CatalogAccess } from './access.js';

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
  const currentConsumes = options.currentConsumes ?? new Map<string, CatalogRecord['consumes']>();
  const consumesOfLatest = (r: CatalogRecord): CatalogRecord['consumes'] => {
    const ref = `${r.domain}/${r.product}`;
    const list = records.get(ref);
    return list && list[list.length - 1] === r ? (currentConsumes.get(ref) ?? r.consumes) : r.consumes;
  };
  const versionsOf = (ref: string) => (records.get(ref) ?? []).map((r) => r.version);
  const resolve = (ref: string, range: string) => semver.maxSatisfying(versionsOf(ref), range) ?? undefined;
  const consumesOf = (r: CatalogRecord): ConsumesView[] =>
    consumesOfLatest(r).map((c) => ({
      product: c.product,
      range: c.version,
      ...(c.columns ? { columns: [...c.columns] } : {}),
      published: records.has(c.product),
      ...opt('resolvedVersion', resolve(c.product, c.version)),
    }));
  // Reverse index: producer ref → the consumers whose latest version reads it.
  const readers = new Map<string, ConsumerView[]>();
  for (const [other, olist] of records) {
    const o = olist[olist.length - 1]!;
    for (const c of consumesOfLatest(o)) {
      const list = readers.get(c.product) ?? [];
      list.push({
        product: other,
        consumerVersion: o.version,
        range: c.version,
        ...(c.columns ? { columns: [...c.columns] } : {}),
        ...opt('resolvedVersion', resolve(c.product, c.version)),
      });
      readers.set(c.product, list);
    }
  }

  const products: ProductView[] = [];
  for (const [ref, list] of [...records].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const latest = list[list.length - 1]!;
    const byMajor = new Map<number, CatalogRecord[]>();
    for (const r of list) byMajor.set(r.major, [...(byMajor.get(r.major) ?? []), r]);
    const majors: MajorView[] = [...byMajor]
      .sort(([a], [b]) => b - a)
      .map(([major, rs]) => {
        const top = rs[rs.length - 1]!;
        const versions = rs.map((r) => versionView(r, now));
        return {
          major,
          versions,
          latest: versions[versions.length - 1]!,
          schema: schemaOf(top),
          consumes: consumesOf(top),
        };
      });
    const consumers = [...(readers.get(ref) ?? [])].sort((a, b) =>
      a.product < b.product ? -1 : a.product > b.product ? 1 : 0,
    );
    const latestMajor = majors.find((m) => m.major === latest.major)!;
    products.push({
      domain: latest.domain,
      product: latest.product,
      ref,
      title: typeof latest.contract.name === 'string' && latest.contract.name ? latest.contract.name : latest.product,
      ...opt('description', purposeOf(latest.contract)),
      owner: latest.owner,
      classification: latest.classification,
      latestVersion: latest.version,
      majors,
      deprecation: deprecationOf(latest.contract, now),
      consumes: latestMajor.consumes,
      consumers,
      columnNames: [...new Set(latestMajor.schema.flatMap((o) => o.columns.map((c) => c.name)))],
    });
  }

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

/** The lineage graph of a set of products: their `consumes` edges, producers not in the catalog as unpublished nodes. */
export function lineageOf(products: ProductView[]): LineageGraph {
  const nodes = new Map<string, LineageNode>();
  for (const p of products)
    nodes.set(p.ref, {
      id: p.ref,
      domain: p.domain,
      product: p.product,
      published: true,
      latestVersion: p.latestVersion,
    });
  const edges: LineageEdge[] = [];
  for (const p of products) {
    for (const c of p.consumes) {
      if (!nodes.has(c.product)) {
        const [domain = '', product = ''] = c.product.split('/');
        nodes.set(c.product, { id: c.product, domain, product, published: false });
      }
      edges.push({ from: c.product, to: p.ref, range: c.range, ...(c.columns ? { columns: c.columns } : {}) });
    }
  }
  return { nodes: [...nodes.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)), edges };
}

/** Options of {@link neighbourhood}. */
export interface NeighbourhoodOptions {
  /** How many `consumes` hops upstream (producers) and downstream (consumers) to include. @default 1 */
  depth?: number;
  /** At most this many products on each side (nearest first, then by name); the rest is left out (`truncated`). @default unlimited */
  limit?: number;
}

/** A product's neighbourhood: part of the lineage graph, and whether products were left out by `limit`. */
export interface Neighbourhood extends LineageGraph {
  /** Products left out upstream and downstream because of `limit`. */
  truncated: { upstream: number; downstream: number };
}

interface LineageIndex {
  nodes: Map<string, LineageNode>;
  order: Map<LineageEdge, number>;
  out: Map<string, LineageEdge[]>;
  in: Map<string, LineageEdge[]>;
}
const indexes = new WeakMap<LineageGraph, LineageIndex>();

/** Adjacency of a lineage graph, built once per graph object. */
function lineageIndex(graph: LineageGraph): LineageIndex {
  let ix = indexes.get(graph);
  if (!ix) {
    ix = {
      nodes: new Map(graph.nodes.map((n) => [n.id, n])),
      order: new Map(graph.edges.map((e, i) => [e, i])),
      out: new Map(),
      in: new Map(),
    };
    for (const e of graph.edges) {
      ix.out.set(e.from, [...(ix.out.get(e.from) ?? []), e]);
      ix.in.set(e.to, [...(ix.in.get(e.to) ?? []), e]);
    }
    indexes.set(graph, ix);
  }
  return ix;
}

/**
 * The part of a lineage graph around one product: the product, its producers up to `depth` hops
 * upstream and its consumers up to `depth` hops downstream (one hop each way by default), with
 * the edges along those paths. Costs what it returns (an adjacency index is built once per graph).
 */
export function neighbourhood(graph: LineageGraph, id: string, options: NeighbourhoodOptions = {}): Neighbourhood {
  const ix = lineageIndex(graph);
  const depth = options.depth ?? 1;
  const limit = options.limit ?? Infinity;
  const ids = new Set([id]);
  const edges = new Set<LineageEdge>();
  const walk = (adjacent: Map<string, LineageEdge[]>, far: (e: LineageEdge) => string): number => {
    const seen = new Set([id]);
    let frontier = [id];
    let left = 0;
    for (let d = 0; d < depth && frontier.length; d++) {
      const nextFrontier: string[] = [];
      for (const v of frontier) {
        for (const e of [...(adjacent.get(v) ?? [])].sort((a, b) => (far(a) < far(b) ? -1 : 1))) {
          const w = far(e);
          if (seen.has(w)) {
            if (ids.has(w) && ids.has(v)) edges.add(e);
            continue;
          }
          seen.add(w);
          nextFrontier.push(w); // walked on even when left out, so the count of what is left out is whole
          if (seen.size - 1 > limit) {
            left++;
            continue;
          }
          ids.add(w);
          if (ids.has(v)) edges.add(e);
        }
      }
      frontier = nextFrontier;
    }
    return left;
  };
  const upstream = walk(ix.in, (e) => e.from);
  const downstream = walk(ix.out, (e) => e.to);
  return {
    nodes: [...ids].sort().flatMap((n) => ix.nodes.get(n) ?? []),
    edges: [...edges].sort((a, b) => ix.order.get(a)! - ix.order.get(b)!),
    truncated: { upstream, downstream },
  };
}

function versionView(r: CatalogRecord, now: Date): VersionView {
  return {
    version: r.version,
    major: r.major,
    id: r.id,
    status: String(r.contract.status ?? 'active'),
    publishedAt: r.publishedAt,
    gitCommit: r.gitCommit,
    deprecation: deprecationOf(r.contract, now),
    owner: r.owner,
    classification: r.classification,
  };
}

function purposeOf(c: OdcsContract): string | undefined {
  const p = c.description?.purpose;
  return typeof p === 'string' && p.trim() ? p.trim() : undefined;
}

function schemaOf(r: CatalogRecord): SchemaObjectView[] {
  return (r.contract.schema ?? []).map((o) => {
    const columns: ColumnView[] = [];
    const quality: QualityRuleView[] = (o.quality ?? []).map((q, i) => ruleView(q, o.name, undefined, i));
    const walk = (props: SchemaProperty[], prefix: string) => {
      for (const p of props) {
        const name = `${prefix}${p.name}`;
        columns.push(columnView(p, name));
        (p.quality ?? []).forEach((q, i) => quality.push(ruleView(q, o.name, name, i)));
        if (p.logicalType === 'object' && p.properties) walk(p.properties, `${name}.`);
        if (p.logicalType === 'array' && p.items?.logicalType === 'object' && p.items.properties)
          walk(p.items.properties, `${name}[].`);
      }
    };
    walk(o.properties ?? [], '');
    const dqdl = r.dqdl[o.name];
    return {
      name: o.name,
      ...opt('physicalName', o.physicalName),
      ...opt('description', o.description),
      columns,
      quality,
      ...opt('dqdl', dqdl),
    };
  });
}

function columnView(p: SchemaProperty, name: string): ColumnView {
  return {
    name,
    ...opt('logicalType', p.logicalType),
    ...opt('physicalType', typeof p.physicalType === 'string' ? p.physicalType : undefined),
    glueType: glueType(p),
    required: p.required === true,
    primaryKey: p.primaryKey === true,
    ...opt(
      'primaryKeyPosition',
      typeof p.primaryKeyPosition === 'number' && p.primaryKeyPosition >= 0 ? p.primaryKeyPosition : undefined,
    ),
    partitioned: p.partitioned === true,
    ...opt('classification', typeof p.classification === 'string' ? p.classification : undefined),
    ...opt('description', typeof p.description === 'string' ? p.description : undefined),
  };
}

const CONDITIONS: Array<[keyof QualityRule, string]> = [
  ['mustBe', 'must be'],
  ['mustNotBe', 'must not be'],
  ['mustBeGreaterThan', 'must be greater than'],
  ['mustBeGreaterOrEqualTo', 'must be at least'],
  ['mustBeLessThan', 'must be less than'],
  ['mustBeLessOrEqualTo', 'must be at most'],
  ['mustBeBetween', 'must be between'],
  ['mustNotBeBetween', 'must not be between'],
];

function ruleView(q: QualityRule, object: string, column: string | undefined, index: number): QualityRuleView {
  const metric = q.metric ?? (typeof q.rule === 'string' ? q.rule : undefined);
  const parts: string[] = [];
  for (const [key, words] of CONDITIONS) {
    const v = q[key];
    if (v === undefined) continue;
    parts.push(
      Array.isArray(v) && v.length === 2
        ? `${words} ${String(v[0])} and ${String(v[1])}`
        : `${words} ${typeof v === 'string' ? v : JSON.stringify(v)}`,
    );
  }
  const unit = q.unit ? ` (${q.unit})` : '';
  return {
    id: q.id ?? q.name ?? `${column ?? object}#${index + 1}`,
    object,
    ...opt('column', column),
    type: q.type ?? (metric ? 'library' : q.query ? 'sql' : 'text'),
    ...opt('metric', metric),
    condition: parts.length ? parts.join(', ') + unit : '—',
    ...opt('arguments', q.arguments && Object.keys(q.arguments).length ? JSON.stringify(q.arguments) : undefined),
    ...opt('query', typeof q.query === 'string' ? q.query : undefined),
    ...opt('description', typeof q.description === 'string' ? q.description : undefined),
    ...opt('severity', typeof q.severity === 'string' ? q.severity : undefined),
  };
}

/** `{ [key]: value }` when value is defined, else `{}` (keeps optional properties absent under exactOptionalPropertyTypes). */
function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
