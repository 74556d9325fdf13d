// The catalog site (CatalogSite, i19) with what main brought beside it: the fleet page as a page,
// route and export entry of the site, and the products' metadata records (consumes published
// without a new contract version) read by the site and noticed by serve's cache.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CatalogSiteCache, exportCatalogSite, publishProduct, routeCatalog, type FleetReport } from '../src/index.js';
import { publishedExample } from './web-helpers.js';

const NOW = new Date('2026-11-02T00:00:00Z');

const FLEET: FleetReport = {
  format: 'meshkit.fleet/v1',
  generatedAt: NOW.toISOString(),
  now: NOW.toISOString(),
  templateLatest: '0.1.0',
  packs: [{ name: '@meshkit/core', version: '0.1.0', rules: 12 }],
  platform: [{ stack: 'mesh-platform', violations: [], warnings: [], suppressions: [] }],
  domains: [
    {
      name: 'sales',
      owner: 'sales-team',
      templateVersion: '0.1.0',
      behind: false,
      foundation: { stack: 'mesh-sales-foundation', violations: [], warnings: [], suppressions: [] },
      products: [
        {
          ref: 'sales/orders',
          product: 'orders',
          owner: 'sales-team',
          classification: 'internal',
          contractVersion: '1.0.0',
          publishedVersion: '1.0.0',
          templateVersion: '0.1.0',
          behind: false,
          consumers: ['marketing/campaign-performance'],
          standing: {
            stack: 'mesh-sales-orders',
            violations: [],
            warnings: [
              {
                rule: 'MESH-TAG-MANDATORY',
                path: 'mesh-sales-orders/Bucket',
                message: 'no data-steward tag',
                enforceFrom: '2027-03-01',
              },
            ],
            suppressions: [],
          },
        },
      ],
    },
  ],
  summary: {
    domains: 1,
    products: 1,
    violations: 0,
    warnings: 1,
    enforcedWithin30Days: 0,
    suppressions: 0,
    expiringWithin30Days: 0,
    behindTemplate: 0,
  },
};

describe('catalog site: fleet page and product metadata records', () => {
  it('the fleet page is a page, a route and an export entry of the site; without a report those paths are 404', async () => {
    const { root, catalog } = await publishedExample();
    const sites = new CatalogSiteCache(catalog, { now: () => NOW, fleet: FLEET });
    const site = await sites.current();
    assert.match(site.fleetPage()!, /<title>Meshkit fleet<\/title>/);
    assert.match(site.fleetPage()!, /href="products\/sales\/orders\.html"/);
    assert.equal(site.fleetPage(), site.fleetPage(), 'rendered once per site');
    const files = new Map(site.files(NOW));
    assert.equal(files.get('fleet.html'), site.fleetPage());
    assert.equal(JSON.parse(files.get('api/fleet.json')!).format, 'meshkit.fleet/v1');

    const page = await routeCatalog('GET', '/fleet.html', { backend: catalog, site: sites, fleet: FLEET });
    assert.equal(page.status, 200);
    assert.equal(page.body, site.fleetPage());
    const api = await routeCatalog('GET', '/api/fleet', { backend: catalog, site: sites, fleet: FLEET });
    assert.equal(JSON.parse(api.body).summary.warnings, 1);
    assert.equal((await routeCatalog('GET', '/fleet.html', { backend: catalog })).status, 404);
    assert.equal((await routeCatalog('GET', '/api/fleet', { backend: catalog })).status, 404);

    const out = join(mkdtempSync(join(tmpdir(), 'meshkit-site-fleet-')), 'site');
    const r = await exportCatalogSite(catalog, out, { now: NOW, root, fleet: FLEET });
    assert.ok(r.files.includes('fleet.html') && r.files.includes('api/fleet.json'));
    assert.match(readFileSync(join(out, 'fleet.html'), 'utf8'), /MESH-TAG-MANDATORY/);
    const plain = await exportCatalogSite(catalog, join(out, '..', 'plain'), { now: NOW, root });
    assert.ok(!plain.files.includes('fleet.html'));
  });

  it('a consumer that only moves its consumes: serve builds a new site (the metadata record changed) and draws the new edge', async () => {
    const { root, catalog } = await publishedExample();
    const sites = new CatalogSiteCache(catalog, { now: () => NOW });
    const before = await sites.current();
    assert.equal(await sites.current(), before, 'same catalog state, same site');
    const edge = (s: typeof before) =>
      s.model.lineage.edges.find((e) => e.from === 'sales/orders' && e.to === 'marketing/campaign-performance');
    assert.equal(edge(before)?.range, '^1.0.0');

    const manifest = join(root, 'domains/marketing/products/campaign-performance/product.yaml');
    writeFileSync(
      manifest,
      readFileSync(manifest, 'utf8').replace('    version: ^1.0.0\n', '    version: ">=1.0.0 <3"\n'),
    );
    const r = await publishProduct({
      root,
      product: 'marketing/campaign-performance',
      catalog,
      now: NOW,
      gitCommit: null,
    });
    assert.equal(r.outcome, 'unchanged', 'no new contract version');
    assert.equal(r.manifest, 'published');

    const after = await sites.current();
    assert.notEqual(after, before, 'the metadata record is part of the catalog state');
    assert.equal(edge(after)?.range, '>=1.0.0 <3');
    const orders = after.model.products.find((p) => p.ref === 'sales/orders')!;
    assert.deepEqual(
      orders.consumers.map((c) => [c.product, c.range]),
      [['marketing/campaign-performance', '>=1.0.0 <3']],
    );
    assert.match(after.productPage('sales/orders')!, /&gt;=1\.0\.0 &lt;3/);
  });
});
