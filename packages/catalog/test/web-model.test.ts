import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import semver from 'semver';
import type { OdcsContract } from '@meshkit/contracts';
import {
  buildCatalogModel,
  escapeHtml,
  layoutLineage,
  neighbourhood,
  pathOf,
  renderIndexPage,
  renderLineageSvg,
  renderProductPage,
  type CatalogBackend,
  type CatalogModel,
  type CatalogProduct,
  type CatalogRecord,
  type LineageGraph,
} from '../src/index.js';
import { publishedExample } from './web-helpers.js';

/** An in-memory backend: records as given, no validation (so tests can hold hostile text). */
class MemoryCatalog implements CatalogBackend {
  readonly kind = 'memory';
  readonly location = 'memory:';
  constructor(readonly records: CatalogRecord[]) {}
  async list(): Promise<CatalogProduct[]> {
    const refs = [...new Set(this.records.map((r) => `${r.domain}/${r.product}`))].sort();
    return refs.map((ref) => {
      const [domain = '', product = ''] = ref.split('/');
      const versions = this.records
        .filter((r) => r.domain === domain && r.product === product)
        .map((r) => r.version)
        .sort(semver.compare);
      const majors = [...new Set(versions.map((v) => semver.major(v)))].map((major) => ({
        major,
        versions: versions.filter((v) => semver.major(v) === major),
      }));
      return { domain, product, versions, majors };
    });
  }
  async versions(domain: string, product: string) {
    return (await this.list()).find((p) => p.domain === domain && p.product === product)?.versions ?? [];
  }
  async get(domain: string, product: string, version: string) {
    return this.records.find((r) => r.domain === domain && r.product === product && r.version === version);
  }
  async has(domain: string, product: string, version: string) {
    return (await this.get(domain, product, version)) !== undefined;
  }
  async publish(): Promise<'published'> {
    throw new Error('read-only');
  }
}

/** A copy of a record as another version, with edits to its contract. */
function variant(
  base: CatalogRecord,
  version: string,
  edit: (c: OdcsContract) => void = () => {},
  extra: Partial<CatalogRecord> = {},
): CatalogRecord {
  const contract = structuredClone(base.contract);
  contract.version = version;
  edit(contract);
  return {
    ...structuredClone(base),
    version,
    major: semver.major(version),
    contract,
    publishedAt: `2026-0${semver.major(version)}-0${semver.minor(version) + 1}T00:00:00.000Z`,
    ...extra,
  };
}

const NOW = new Date('2026-12-01T00:00:00Z');
let example: { orders: CatalogRecord; campaign: CatalogRecord; clickstream: CatalogRecord };

before(async () => {
  const { catalog } = await publishedExample();
  example = {
    orders: (await catalog.get('sales', 'orders', '1.0.0'))!,
    campaign: (await catalog.get('marketing', 'campaign-performance', '1.0.0'))!,
    clickstream: (await catalog.get('sales', 'clickstream', '1.0.0'))!,
  };
});

/** orders 1.0.0, 1.1.0 (deprecated, end of support passed) and 2.0.0; campaign-performance consuming orders ^1.0.0 and an unpublished product. */
function richCatalog(): MemoryCatalog {
  const { orders, campaign, clickstream } = example;
  const deprecated = variant(orders, '1.1.0', (c) => {
    c.status = 'deprecated';
    c.customProperties = [
      ...(c.customProperties ?? []),
      { property: 'meshkit.endOfSupport', value: '2026-11-15' },
      { property: 'meshkit.endOfLife', value: '2027-06-30' },
    ];
  });
  const v2 = variant(orders, '2.0.0', (c) => {
    c.status = 'active';
    c.schema![0]!.properties!.push({
      name: 'currency',
      logicalType: 'string',
      required: false,
      classification: 'public',
    });
  });
  const consumer = variant(campaign, '1.0.0', () => {}, {
    consumes: [...campaign.consumes, { product: 'finance/ledger', version: '^3.0.0' }],
  });
  return new MemoryCatalog([orders, deprecated, v2, consumer, clickstream]);
}

describe('buildCatalogModel', () => {
  let model: CatalogModel;
  before(async () => {
    model = await buildCatalogModel(richCatalog(), { now: NOW });
  });

  it('groups products by domain, sorted', () => {
    assert.deepEqual(model.domains, [
      { name: 'marketing', products: ['marketing/campaign-performance'] },
      { name: 'sales', products: ['sales/clickstream', 'sales/orders'] },
    ]);
    assert.equal(model.generatedAt, NOW.toISOString());
  });

  it('lists majors newest first with every version and the latest of each', () => {
    const orders = model.products.find((p) => p.ref === 'sales/orders')!;
    assert.equal(orders.latestVersion, '2.0.0');
    assert.deepEqual(
      orders.majors.map((m) => [m.major, m.latest.version, m.versions.map((v) => v.version)]),
      [
        [2, '2.0.0', ['2.0.0']],
        [1, '1.1.0', ['1.0.0', '1.1.0']],
      ],
    );
    assert.equal(orders.owner, 'team-sales');
    assert.equal(orders.classification, 'internal');
    assert.equal(orders.description, 'Every confirmed customer order.');
    assert.equal(orders.majors[1]!.versions[0]!.gitCommit, '0123456789abcdef0123456789abcdef01234567');
  });

  it('shows the schema of each major: types, required, primary key, partition, classification', () => {
    const orders = model.products.find((p) => p.ref === 'sales/orders')!;
    const [v2, v1] = orders.majors;
    assert.deepEqual(
      v1!.schema[0]!.columns.map((c) => c.name),
      ['record_id', 'amount', 'status', 'record_date'],
    );
    assert.deepEqual(
      v2!.schema[0]!.columns.map((c) => c.name),
      ['record_id', 'amount', 'status', 'record_date', 'currency'],
    );
    const [id, amount, , date] = v1!.schema[0]!.columns;
    assert.deepEqual(
      [id!.logicalType, id!.required, id!.primaryKey, id!.primaryKeyPosition, id!.classification],
      ['string', true, true, 1, 'internal'],
    );
    assert.deepEqual(
      [amount!.logicalType, amount!.physicalType, amount!.glueType, amount!.primaryKey],
      ['number', 'decimal(12,2)', 'decimal(12,2)', false],
    );
    assert.equal(date!.partitioned, true);
    assert.equal(v2!.schema[0]!.columns[4]!.required, false);
    assert.deepEqual(orders.columnNames, ['record_id', 'amount', 'status', 'record_date', 'currency']);
  });

  it('lists object- and column-level quality rules with a readable condition, and the stored DQDL', () => {
    const obj = model.products.find((p) => p.ref === 'sales/orders')!.majors[1]!.schema[0]!;
    assert.deepEqual(
      obj.quality.map((q) => [q.id, q.column ?? null, q.metric, q.condition]),
      [
        ['orders_not_empty', null, 'rowCount', 'must be greater than 0'],
        ['orders_unique_ids', null, 'duplicateValues', 'must be 0'],
        ['status_values', 'status', 'invalidValues', 'must be 0'],
      ],
    );
    assert.equal(obj.quality[2]!.arguments, '{"validValues":["NEW","ACTIVE","CLOSED"]}');
    assert.match(obj.dqdl ?? '', /Rules = \[/);
  });

  it('computes consumers (reverse edges with range, columns and the version they resolve to) and consumes', () => {
    const orders = model.products.find((p) => p.ref === 'sales/orders')!;
    assert.deepEqual(orders.consumers, [
      {
        product: 'marketing/campaign-performance',
        consumerVersion: '1.0.0',
        range: '^1.0.0',
        columns: ['record_id', 'amount', 'record_date'],
        resolvedVersion: '1.1.0',
      },
    ]);
    const campaign = model.products.find((p) => p.ref === 'marketing/campaign-performance')!;
    assert.deepEqual(campaign.consumes, [
      {
        product: 'sales/orders',
        range: '^1.0.0',
        columns: ['record_id', 'amount', 'record_date'],
        published: true,
        resolvedVersion: '1.1.0',
      },
      { product: 'finance/ledger', range: '^3.0.0', published: false },
    ]);
    assert.deepEqual(model.products.find((p) => p.ref === 'sales/clickstream')!.consumers, []);
  });

  it('reports deprecation per version from status and the meshkit.* dates', () => {
    const orders = model.products.find((p) => p.ref === 'sales/orders')!;
    const v1 = orders.majors[1]!;
    assert.deepEqual(v1.latest.deprecation, {
      status: 'deprecated',
      endOfSupport: '2026-11-15',
      endOfLife: '2027-06-30',
      phase: 'unsupported',
    });
    assert.equal(v1.versions[0]!.deprecation.phase, 'active');
    assert.equal(orders.deprecation.phase, 'active');
  });

  it('builds the lineage graph: producer → consumer edges, unpublished producers as nodes', () => {
    assert.deepEqual(
      model.lineage.nodes.map((n) => [n.id, n.published]),
      [
        ['finance/ledger', false],
        ['marketing/campaign-performance', true],
        ['sales/clickstream', true],
        ['sales/orders', true],
      ],
    );
    assert.deepEqual(model.lineage.edges, [
      {
        from: 'sales/orders',
        to: 'marketing/campaign-performance',
        range: '^1.0.0',
        columns: ['record_id', 'amount', 'record_date'],
      },
      { from: 'finance/ledger', to: 'marketing/campaign-performance', range: '^3.0.0' },
    ]);
    assert.deepEqual(
      neighbourhood(model.lineage, 'sales/orders').nodes.map((n) => n.id),
      ['marketing/campaign-performance', 'sales/orders'],
    );
  });

  it('is empty for an empty catalog', async () => {
    const empty = await buildCatalogModel(new MemoryCatalog([]), { now: NOW });
    assert.deepEqual([empty.domains, empty.products, empty.lineage], [[], [], { nodes: [], edges: [] }]);
    assert.match(renderIndexPage(empty), /The catalog is empty/);
  });
});

describe('layoutLineage', () => {
  const overlaps = (a: { x: number; y: number; width: number; height: number }, b: typeof a) =>
    Math.abs(a.x - b.x) * 2 < a.width + b.width && Math.abs(a.y - b.y) * 2 < a.height + b.height;

  it('places the example edge from the producer to the consumer, left to right', async () => {
    const model = await buildCatalogModel(richCatalog(), { now: NOW });
    const layout = layoutLineage(model.lineage);
    const edge = layout.edges.find((e) => e.from === 'sales/orders' && e.to === 'marketing/campaign-performance')!;
    assert.ok(edge.points.length >= 2);
    const from = layout.nodes.find((n) => n.id === 'sales/orders')!;
    const to = layout.nodes.find((n) => n.id === 'marketing/campaign-performance')!;
    assert.ok(from.x < to.x, 'producer left of consumer');
    const onBorder = (p: { x: number; y: number }, n: typeof from) => {
      const dx = Math.abs(p.x - n.x) - n.width / 2;
      const dy = Math.abs(p.y - n.y) - n.height / 2;
      return dx <= 1 && dy <= 1 && (Math.abs(dx) <= 1 || Math.abs(dy) <= 1);
    };
    assert.ok(
      onBorder(edge.points[0]!, from),
      `starts at the producer border: ${JSON.stringify([edge.points[0], from])}`,
    );
    assert.ok(
      onBorder(edge.points.at(-1)!, to),
      `ends at the consumer border: ${JSON.stringify([edge.points.at(-1), to])}`,
    );
  });

  it('never overlaps nodes, and keeps every node inside the drawing, on a larger graph', () => {
    const nodes = Array.from({ length: 24 }, (_, i) => ({
      id: `d${i % 4}/product-number-${i}`,
      domain: `d${i % 4}`,
      product: `product-number-${i}`,
      published: i % 7 !== 0,
      latestVersion: '1.0.0',
    }));
    const edges = nodes.slice(1).map((n, i) => ({ from: nodes[Math.floor(i / 3)]!.id, to: n.id, range: '^1.0.0' }));
    const layout = layoutLineage({ nodes, edges } satisfies LineageGraph);
    for (let i = 0; i < layout.nodes.length; i++) {
      const a = layout.nodes[i]!;
      assert.ok(
        a.x - a.width / 2 >= 0 &&
          a.x + a.width / 2 <= layout.width &&
          a.y - a.height / 2 >= 0 &&
          a.y + a.height / 2 <= layout.height,
        `${a.id} inside`,
      );
      for (let j = i + 1; j < layout.nodes.length; j++)
        assert.ok(!overlaps(a, layout.nodes[j]!), `${a.id} overlaps ${layout.nodes[j]!.id}`);
    }
    assert.equal(layout.edges.length, edges.length);
    assert.ok(layout.edges.every((e) => e.points.length >= 2));
  });

  it('is deterministic', () => {
    const g: LineageGraph = {
      nodes: [
        { id: 'a/x', domain: 'a', product: 'x', published: true },
        { id: 'b/y', domain: 'b', product: 'y', published: true },
      ],
      edges: [{ from: 'a/x', to: 'b/y', range: '*' }],
    };
    assert.deepEqual(layoutLineage(g), layoutLineage(g));
  });
});

describe('renderLineageSvg', () => {
  it('draws each edge as <g class="edge" data-from data-to> with a titled path and an arrowhead; unpublished nodes dashed, unlinked', async () => {
    const model = await buildCatalogModel(richCatalog(), { now: NOW });
    const svg = renderLineageSvg(layoutLineage(model.lineage), { href: (r) => `products/${r}.html` });
    const edge =
      /<g class="edge" data-from="sales\/orders" data-to="marketing\/campaign-performance"><title>([^<]*)<\/title><path class="route" d="([^"]+)" fill="none"\/><path class="arrowhead" d="([^"]+)"\/><\/g>/.exec(
        svg,
      );
    assert.ok(edge, svg);
    assert.equal(
      edge[1],
      'sales/orders → marketing/campaign-performance: ^1.0.0; columns record_id, amount, record_date',
    );
    assert.match(edge[2]!, /^M[\d.]+,[\d.]+/);
    assert.match(edge[3]!, /^M[\d.,L]+Z$/);
    assert.match(svg, /<a class="node" data-product="sales\/orders" href="products\/sales\/orders.html">/);
    assert.match(
      svg,
      /<g class="node unpublished" data-product="finance\/ledger">[^]*?stroke-dasharray="5 4"[^]*?unpublished<\/text>/,
    );
    assert.doesNotMatch(svg, /href="products\/finance\/ledger.html"/);
  });

  it('pathOf: a line for two points, a B-spline ending on the last point otherwise', () => {
    assert.equal(
      pathOf([
        { x: 0, y: 0 },
        { x: 10, y: 5 },
      ]),
      'M0,0L10,5',
    );
    const d = pathOf([
      { x: 0, y: 0 },
      { x: 6, y: 0 },
      { x: 12, y: 6 },
    ]);
    assert.match(d, /^M0,0L1,0C/);
    assert.ok(d.endsWith('L12,6'), d);
  });
});

describe('HTML pages', () => {
  const hostile = '<script>alert("x")</script>';
  async function hostileModel() {
    const rec = variant(
      example.orders,
      '1.0.0',
      (c) => {
        c.description = { purpose: `Orders ${hostile} & more` };
        c.schema![0]!.properties![0]!.description = `id ${hostile}`;
      },
      { owner: `team-${hostile}`, domain: 'sales', product: 'orders' },
    );
    return buildCatalogModel(new MemoryCatalog([rec]), { now: NOW });
  }

  it('escapes owners, descriptions and column text on the index page', async () => {
    const html = renderIndexPage(await hostileModel());
    assert.doesNotMatch(html, /<script>alert/);
    assert.match(html, /Owner <strong>team-&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt;<\/strong>/);
    assert.match(html, /<p>Orders &lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt; &amp; more<\/p>/);
    assert.match(html, /data-search="[^"]*team-&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt;/);
    assert.equal((html.match(/<script>/g) ?? []).length, 1, "only the page's own search script");
  });

  it('escapes the product page and loads nothing from elsewhere', async () => {
    const html = renderProductPage(await hostileModel(), 'sales/orders')!;
    assert.doesNotMatch(html, /<script/);
    assert.match(html, /<td>id &lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt;<\/td>/);
    assert.doesNotMatch(html, /(src|href)="(https?:)?\/\//);
    assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  it('product page: headings, one section per major, schema table with column names, quality, consumers, deprecation banner', async () => {
    const model = await buildCatalogModel(richCatalog(), { now: NOW });
    const html = renderProductPage(model, 'sales/orders')!;
    assert.match(html, /<h1>sales\/orders<\/h1>/);
    assert.match(html, /<section class="major" id="v2"[^]*<section class="major" id="v1"/);
    for (const col of ['record_id', 'amount', 'status', 'record_date'])
      assert.match(html, new RegExp(`<th scope="row" class="column-name"><code>${col}</code>`));
    assert.match(html, /<code>orders_unique_ids<\/code>/);
    assert.match(
      html,
      /<a href="..\/..\/products\/marketing\/campaign-performance.html">marketing\/campaign-performance<\/a>/,
    );
    assert.match(
      html,
      /<div class="banner phase-unsupported" role="note"><strong>Major 1 \(1.1.0\) is past its end of support<\/strong> \(status deprecated; end of support 2026-11-15, end of life 2027-06-30\)/,
    );
    assert.match(html, /href="..\/..\/api\/products\/sales\/orders\/versions\/1.0.0.json"/);
    assert.equal(renderProductPage(model, 'sales/nope'), undefined);
  });

  it('index page: labelled search box, product list with search text, the lineage SVG', async () => {
    const html = renderIndexPage(await buildCatalogModel(richCatalog(), { now: NOW }));
    assert.match(html, /<label for="q">Search products<\/label><input id="q"/);
    assert.match(
      html,
      /<li class="product" data-product="sales\/orders" data-search="sales orders sales\/orders team-sales orders record_id amount status record_date currency">/,
    );
    assert.match(html, /<g class="edge" data-from="sales\/orders" data-to="marketing\/campaign-performance">/);
    assert.match(html, /<span class="badge">consumes 2<\/span>/);
  });
});
