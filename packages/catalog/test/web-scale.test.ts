// The catalog site at scale (issue 19): the layered layout, neighbourhoods to a depth, the
// paginated index with its search index, the site rendered once per catalog state.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CatalogSite,
  CatalogSiteCache,
  DAGRE_MAX_NODES,
  INDEX_GRAPH_MAX_NODES,
  buildCatalogModel,
  catalogModelOf,
  layoutLineage,
  neighbourhood,
  readCatalogRecords,
  renderIndexPage,
  type LineageGraph,
  type SearchIndex,
} from '../src/index.js';
import { CountingMemoryCatalog, generatedRecords } from './scale-helpers.js';

const NOW = new Date('2026-12-01T00:00:00Z');

/** A seeded random DAG: node i consumes 1–3 earlier nodes. */
function randomDag(n: number): LineageGraph {
  let seed = 7;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const nodes = Array.from({ length: n }, (_, i) => ({
    id: `d${i % 9}/product-${i}`,
    domain: `d${i % 9}`,
    product: `product-${i}`,
    published: i % 11 !== 0,
    latestVersion: '1.0.0',
  }));
  const edges: LineageGraph['edges'] = [];
  for (let i = 1; i < n; i++) {
    const from = new Set(Array.from({ length: 1 + Math.floor(rand() * 3) }, () => Math.floor(rand() * i)));
    for (const f of from) edges.push({ from: nodes[f]!.id, to: nodes[i]!.id, range: '^1.0.0' });
  }
  return { nodes, edges };
}

describe('layered layout (large graphs)', () => {
  const overlaps = (a: { x: number; y: number; width: number; height: number }, b: typeof a) =>
    Math.abs(a.x - b.x) * 2 < a.width + b.width && Math.abs(a.y - b.y) * 2 < a.height + b.height;

  it('places 400 nodes without overlap, inside the drawing, producers left of consumers, edges border to border', () => {
    const graph = randomDag(400);
    const layout = layoutLineage(graph);
    assert.equal(layout.nodes.length, 400);
    const byId = new Map(layout.nodes.map((n) => [n.id, n]));
    // Nodes of one column share x: check overlaps within columns (others are apart by construction: asserted below).
    const columns = new Map<number, typeof layout.nodes>();
    for (const n of layout.nodes) {
      assert.ok(
        n.x - n.width / 2 >= 0 &&
          n.x + n.width / 2 <= layout.width &&
          n.y - n.height / 2 >= 0 &&
          n.y + n.height / 2 <= layout.height,
        `${n.id} inside`,
      );
      columns.set(n.x, [...(columns.get(n.x) ?? []), n]);
    }
    for (const col of columns.values()) {
      const ys = col.map((n) => n.y).sort((a, b) => a - b);
      for (let i = 1; i < ys.length; i++)
        assert.ok(ys[i]! - ys[i - 1]! >= col[0]!.height, 'no overlap within a column');
    }
    const xs = [...columns.keys()].sort((a, b) => a - b);
    for (let i = 1; i < xs.length; i++) {
      const left = columns.get(xs[i - 1]!)!;
      const right = columns.get(xs[i]!)!;
      assert.ok(!left.some((a) => right.some((b) => overlaps(a, b))), 'columns do not overlap');
    }
    assert.equal(layout.edges.length, graph.edges.length);
    for (const e of layout.edges) {
      const from = byId.get(e.from)!;
      const to = byId.get(e.to)!;
      assert.ok(from.x < to.x, `${e.from} left of ${e.to}`);
      assert.deepEqual(e.points[0], { x: Math.round((from.x + from.width / 2) * 10) / 10, y: from.y });
      assert.deepEqual(e.points.at(-1), { x: Math.round((to.x - to.width / 2) * 10) / 10, y: to.y });
    }
  });

  it('auto: dagre up to DAGRE_MAX_NODES nodes, layered beyond; a cycle still gets every node placed', () => {
    const small = randomDag(DAGRE_MAX_NODES);
    assert.deepEqual(layoutLineage(small), layoutLineage(small, { engine: 'dagre' }));
    const big = randomDag(DAGRE_MAX_NODES + 1);
    assert.deepEqual(layoutLineage(big), layoutLineage(big, { engine: 'layered' }));
    const cycle: LineageGraph = {
      nodes: ['a/x', 'b/y', 'c/z'].map((id) => ({ id, domain: id[0]!, product: id.slice(2), published: true })),
      edges: [
        { from: 'a/x', to: 'b/y', range: '*' },
        { from: 'b/y', to: 'c/z', range: '*' },
        { from: 'c/z', to: 'a/x', range: '*' },
      ],
    };
    const layout = layoutLineage(cycle, { engine: 'layered' });
    assert.equal(new Set(layout.nodes.map((n) => `${n.x},${n.y}`)).size, 3);
    assert.ok(layout.edges.every((e) => e.points.length === 4));
  });
});

describe('neighbourhood', () => {
  const graph = randomDag(200);
  it('depth 1 is the direct producers and consumers; depth 2 adds their own', () => {
    const id = graph.nodes[20]!.id;
    const direct = new Set([
      id,
      ...graph.edges.filter((e) => e.to === id).map((e) => e.from),
      ...graph.edges.filter((e) => e.from === id).map((e) => e.to),
    ]);
    assert.deepEqual(
      neighbourhood(graph, id).nodes.map((n) => n.id),
      [...direct].sort(),
    );
    const two = neighbourhood(graph, id, { depth: 2 });
    assert.ok(two.nodes.length > direct.size);
    for (const e of two.edges)
      assert.ok(
        two.nodes.some((n) => n.id === e.from) && two.nodes.some((n) => n.id === e.to),
        'edges join drawn nodes',
      );
    assert.deepEqual(two.truncated, { upstream: 0, downstream: 0 });
  });

  it('limit keeps the nearest products each way and counts the rest', () => {
    const id = graph.nodes[0]!.id; // the first node: many consumers
    const all = neighbourhood(graph, id, { depth: 3 });
    const cut = neighbourhood(graph, id, { depth: 3, limit: 5 });
    assert.equal(cut.nodes.length, 6);
    assert.equal(cut.truncated.downstream, all.nodes.length - 6);
    assert.equal(cut.truncated.upstream, 0);
  });
});

describe('paginated index and the site', () => {
  it('150 products: two index pages, the second linked, a search index of every product, the graph on its own page', async () => {
    const backend = new CountingMemoryCatalog(await generatedRecords(150));
    const model = await buildCatalogModel(backend, { now: NOW });
    assert.ok(model.lineage.nodes.length > INDEX_GRAPH_MAX_NODES);
    const first = renderIndexPage(model);
    assert.equal((first.match(/<li class="product"/g) ?? []).length, 100);
    assert.match(first, /<a href="index-2.html">2<\/a>/);
    assert.match(first, /<a href="lineage.html">the whole lineage graph<\/a>/);
    assert.doesNotMatch(first, /<svg class="lineage"/);
    const json = /<script type="application\/json" id="search-index">([^<]*)<\/script>/.exec(first)?.[1];
    assert.ok(json, 'the search index is embedded');
    const index = JSON.parse(json) as SearchIndex;
    assert.equal(index.products.length, 150);
    assert.deepEqual(index.products.at(-1)!.slice(0, 5), ['d37/p1', 'Orders', 'team-sales', 'internal', '1.0.0']);
    assert.deepEqual(
      index.products[0]![6].map((i) => index.columns[i]),
      model.products[0]!.columnNames,
    );
    const second = renderIndexPage(model, { page: 2 });
    assert.equal((second.match(/<li class="product"/g) ?? []).length, 50);
    assert.throws(() => renderIndexPage(model, { page: 3 }), RangeError);
    const site = new CatalogSite(model, await readCatalogRecords(backend));
    const files = [...site.files(NOW)].map(([path]) => path);
    assert.deepEqual(files.slice(0, 3), ['index.html', 'index-2.html', 'lineage.html']);
    assert.equal(files.filter((f) => f.startsWith('products/')).length, 150);
    assert.match(site.lineagePage(), /<svg class="lineage"/);
    const page = site.productPage('d00/p0')!;
    assert.match(
      page,
      /Producers and consumers up to 2 hops away; <a href="..\/..\/lineage.html">the whole lineage graph<\/a>/,
    );
  });

  it('a product page of a well-connected product draws at most the limit and says how many were left out', async () => {
    const records = await generatedRecords(60);
    // Every product also consumes d00/p0: 59 consumers.
    for (const r of records.slice(1))
      if (!r.consumes.some((c) => c.product === 'd00/p0'))
        r.consumes = [...r.consumes, { product: 'd00/p0', version: '^1.0.0' }];
    const backend = new CountingMemoryCatalog(records);
    const site = new CatalogSite(
      catalogModelOf(backend, await readCatalogRecords(backend), { now: NOW }),
      await readCatalogRecords(backend),
    );
    const page = site.productPage('d00/p0')!;
    const svg = /<svg class="lineage"[\s\S]*?<\/svg>/.exec(page)![0];
    assert.equal((svg.match(/class="node/g) ?? []).length, 13);
    assert.match(page, /\(47 more not drawn: every direct one is listed below\)/);
    assert.equal(
      (page.match(/<tr><td><a href="..\/..\/products\//g) ?? []).length,
      59,
      'the consumers table lists all 59',
    );
  });

  it('CatalogSiteCache: one site per catalog state; a published version reads only that record', async () => {
    const records = await generatedRecords(40);
    const backend = new CountingMemoryCatalog(records);
    const sites = new CatalogSiteCache(backend, { now: () => NOW });
    const a = await sites.current();
    assert.equal(backend.gets, 40);
    assert.equal(await sites.current(), a, 'unchanged catalog: the same site');
    assert.equal(a.productPage('d01/p2'), a.productPage('d01/p2'));
    assert.equal(backend.gets, 40);
    const next = structuredClone(records[5]!);
    await backend.publish({ ...next, version: '1.1.0', contract: { ...next.contract, version: '1.1.0' } });
    const b = await sites.current();
    assert.notEqual(b, a);
    assert.equal(backend.gets, 41, 'only the new record is read');
    assert.equal(b.product('d01/p1')!.latestVersion, '1.1.0');
    const [x, y] = await Promise.all([sites.current(), sites.current()]);
    assert.equal(x, y);
  });
});
