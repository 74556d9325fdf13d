// The page views of catalog records: products with their majors, versions, schema objects,
// columns, quality rules and `consumes` edges both ways.
import semver from 'semver';
import { deprecationOf, glueType, type OdcsContract, type QualityRule, type SchemaProperty } from '@meshkit/contracts';
import type { CatalogRecord } from '../record.js';
import type {
  CatalogRecords,
  ColumnView,
  ConsumerView,
  ConsumesView,
  MajorView,
  ProductView,
  QualityRuleView,
  SchemaObjectView,
  VersionView,
} from './model.js';

/**
 * The `consumes` edges of the catalog both ways: what a record consumes (its product's current
 * `consumes` for the latest version), and a reverse index of the consumers whose latest version
 * reads each product.
 */
export class ConsumesIndex {
  /** Producer ref → the consumers whose latest version reads it. */
  private readonly readers = new Map<string, ConsumerView[]>();

  constructor(
    private readonly records: CatalogRecords,
    private readonly currentConsumes: ReadonlyMap<string, CatalogRecord['consumes']>,
  ) {
    for (const [other, olist] of records) {
      const o = olist[olist.length - 1]!;
      for (const c of this.consumesOfLatest(o)) {
        const list = this.readers.get(c.product) ?? [];
        list.push({
          product: other,
          consumerVersion: o.version,
          range: c.version,
          ...(c.columns ? { columns: [...c.columns] } : {}),
          ...opt('resolvedVersion', this.resolve(c.product, c.version)),
        });
        this.readers.set(c.product, list);
      }
    }
  }

  /** What a record consumes, each edge resolved against the catalog. */
  consumesOf(r: CatalogRecord): ConsumesView[] {
    return this.consumesOfLatest(r).map((c) => ({
      product: c.product,
      range: c.version,
      ...(c.columns ? { columns: [...c.columns] } : {}),
      published: this.records.has(c.product),
      ...opt('resolvedVersion', this.resolve(c.product, c.version)),
    }));
  }

  /** The consumers of a product, sorted by ref. */
  consumersOf(ref: string): ConsumerView[] {
    return [...(this.readers.get(ref) ?? [])].sort((a, b) =>
      a.product < b.product ? -1 : a.product > b.product ? 1 : 0,
    );
  }

  private consumesOfLatest(r: CatalogRecord): CatalogRecord['consumes'] {
    const ref = `${r.domain}/${r.product}`;
    const list = this.records.get(ref);
    return list && list[list.length - 1] === r ? (this.currentConsumes.get(ref) ?? r.consumes) : r.consumes;
  }

  private resolve(ref: string, range: string): string | undefined {
    const versions = (this.records.get(ref) ?? []).map((r) => r.version);
    return semver.maxSatisfying(versions, range) ?? undefined;
  }
}

/** The view of one product from its records (versions ascending). */
export function productView(ref: string, list: CatalogRecord[], edges: ConsumesIndex, now: Date): ProductView {
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
        consumes: edges.consumesOf(top),
      };
    });
  const latestMajor = majors.find((m) => m.major === latest.major)!;
  return {
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
    consumers: edges.consumersOf(ref),
    columnNames: [...new Set(latestMajor.schema.flatMap((o) => o.columns.map((c) => c.name)))],
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
