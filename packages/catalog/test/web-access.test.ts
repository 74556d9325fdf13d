import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import {
  buildCatalogModel,
  exportCatalogSite,
  LocalCatalog,
  productAccess,
  renderProductPage,
  routeCatalog,
  type CatalogModel,
  type ProductAccess,
  type ProductPayload,
} from '../src/index.js';
import { editOrders } from './helpers.js';
import { exampleMesh, publishedExample, synthesize } from './web-helpers.js';

/*
 * "Who can read this product": the product page and `/api/products/<d>/<p>` show `mesh verify`'s
 * access model of the cloud assembly `mesh synth` wrote (a copy of the example mesh, synthesized
 * into its cdk.out and published into its local catalog); no, a stale or an unreadable assembly
 * is one sentence, never a failed page.
 */

const NOW = new Date('2026-11-05T00:00:00Z');
const CAMPAIGN_JOB = 'job of marketing/campaign-performance';

/** The HTML of the "Who can read this product" section of a page. */
function accessHtml(page: string): string {
  const start = page.indexOf('<section class="access"');
  assert.ok(start >= 0, 'the page has the access section');
  return page.slice(start, page.indexOf('</section>', start) + '</section>'.length);
}

const available = (a: ProductAccess) => {
  assert.equal(a.status, 'available', a.status === 'available' ? '' : a.message);
  return a;
};

describe('who can read this product (synthesized example mesh)', () => {
  let root: string;
  let catalog: LocalCatalog;
  let model: CatalogModel;

  before(async () => {
    root = exampleMesh();
    await synthesize(root);
    ({ catalog } = await publishedExample(root));
    model = await buildCatalogModel(catalog, { now: NOW });
  });

  it("reads the assembly once for the model, from the catalog's repository (<root>/cdk.out)", () => {
    assert.equal(model.access.status, 'available');
    if (model.access.status !== 'available') return;
    assert.equal(model.access.assembly, 'cdk.out');
    assert.deepEqual(model.access.report.products, [
      'marketing/campaign-performance',
      'sales/clickstream',
      'sales/orders',
    ]);
  });

  it('sales/orders: the campaign-performance job reads orders_v1 columns amount, record_date, record_id via Lake Formation; its own job reads all and writes both zones', () => {
    const a = available(productAccess(model.access, 'sales/orders'));
    const campaign = a.principals.find((e) => e.principal.label === CAMPAIGN_JOB);
    assert.ok(campaign, `a row for ${CAMPAIGN_JOB}: ${JSON.stringify(a.principals.map((e) => e.principal.label))}`);
    assert.deepEqual(campaign.read, { orders_v1: ['amount', 'record_date', 'record_id'] });
    assert.deepEqual(campaign.via, ['lake-formation']);
    assert.deepEqual(campaign.write, []);
    assert.equal(campaign.principal.kind, 'role');
    assert.match(campaign.principal.id, /^arn:aws:iam::\d{12}:role\//);
    const own = a.principals.find((e) => e.principal.label === 'job of sales/orders')!;
    // Its own job reads the table and the raw zone (landing files, quarantine) it curates.
    assert.deepEqual(own.read, { '(raw zone)': ['*'], orders_v1: ['*'] });
    assert.deepEqual([...own.via].sort(), ['lake-formation', 's3']);
    assert.deepEqual([...own.write].sort(), ['curated', 'raw']);
  });

  it('the product page shows the section: principal, tables and columns ("all columns" for *), how, and who writes', () => {
    const html = accessHtml(renderProductPage(model, 'sales/orders')!);
    assert.match(html, /<h2 id="access-heading">Who can read this product<\/h2>/);
    const row = (label: string) => {
      const m = new RegExp(
        `<tr data-principal="[^"]+"><th scope="row"><span class="principal">${label}</span>[\\s\\S]*?</tr>`,
      ).exec(html);
      assert.ok(m, `a row for ${label}`);
      return m[0];
    };
    const campaign = row(CAMPAIGN_JOB);
    assert.match(
      campaign,
      /<td class="reads"><code>orders_v1<\/code>: <code>amount<\/code>, <code>record_date<\/code>, <code>record_id<\/code><\/td>/,
    );
    assert.match(campaign, /<td class="via">Lake Formation<\/td>/);
    assert.match(campaign, /<td class="writes"><span class="muted">nothing<\/span><\/td>/);
    const own = row('job of sales/orders');
    assert.match(own, /<code>orders_v1<\/code>: all columns/);
    assert.match(own, /<td class="via">Lake Formation, S3 directly<\/td>/);
    assert.match(
      own,
      /<td class="writes">raw zone, curated zone<\/td>|<td class="writes">curated zone, raw zone<\/td>/,
    );
    assert.match(
      html,
      /<h3 id="access-findings">Findings of <code>mesh verify<\/code><\/h3>\n(<p class="muted">None: <code>mesh verify<\/code> found nothing wrong with sales\/orders\.<\/p>|<table class="findings">)/,
    );
    // the stream product: its Firehose role reads and writes the raw zone only (it delivers there)
    const click = accessHtml(renderProductPage(model, 'sales/clickstream')!);
    assert.match(
      click,
      /<tr data-principal="arn:aws:iam::\d{12}:role\/mesh-sales-clickstream-ProductStreamIngestionRole[^"]*">(?:(?!<\/tr>)[\s\S])*?<td class="reads"><code>\(raw zone\)<\/code>: all columns<\/td><td class="via">S3 directly<\/td><td class="writes">raw zone<\/td>/,
    );
  });

  it('the JSON API: /api/products/<d>/<p> has an `access` field (the same model); /api/products stays without it', async () => {
    const r = await routeCatalog('GET', '/api/products/sales/orders', { backend: catalog, now: () => NOW });
    assert.equal(r.status, 200);
    const body = JSON.parse(r.body) as ProductPayload;
    const a = available(body.access);
    assert.deepEqual(a.principals.find((e) => e.principal.label === CAMPAIGN_JOB)?.read, {
      orders_v1: ['amount', 'record_date', 'record_id'],
    });
    assert.deepEqual(
      JSON.parse(r.body).access,
      JSON.parse(JSON.stringify(productAccess(model.access, 'sales/orders'))),
    );
    const list = JSON.parse(
      (await routeCatalog('GET', '/api/products', { backend: catalog, now: () => NOW })).body,
    ) as { products: object[] };
    assert.ok(list.products.every((p) => !('access' in p)));
  });

  it('the static export carries it too (page and api/products/<d>/<p>.json)', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'meshkit-web-access-')), 'site');
    await exportCatalogSite(catalog, dir, { now: NOW });
    assert.match(accessHtml(readFileSync(join(dir, 'products/sales/orders.html'), 'utf8')), new RegExp(CAMPAIGN_JOB));
    const body = JSON.parse(readFileSync(join(dir, 'api/products/sales/orders.json'), 'utf8')) as ProductPayload;
    assert.equal(body.access.status, 'available');
  });

  it('findings of mesh verify about the product are listed (id + message), HTML-escaped; `assemblyDir` picks another assembly', async () => {
    const broken = join(mkdtempSync(join(tmpdir(), 'meshkit-web-access-')), 'assembly');
    cpSync(join(root, 'cdk.out'), broken, { recursive: true });
    const file = join(broken, 'mesh-sales-orders.template.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"--raw-format": "csv"', '"--raw-format": "<b>csv</b>"'));
    const m = await buildCatalogModel(catalog, { now: NOW, assemblyDir: broken });
    const a = available(productAccess(m.access, 'sales/orders'));
    const finding = a.findings.find((f) => f.id === 'VERIFY-FLOW-FORMAT');
    assert.ok(finding, `VERIFY-FLOW-FORMAT among ${JSON.stringify(a.findings)}`);
    assert.equal(a.assembly, broken); // outside the root: shown absolute
    const html = accessHtml(renderProductPage(m, 'sales/orders')!);
    assert.match(html, /<table class="findings">/);
    assert.match(
      html,
      /<td><code>VERIFY-FLOW-FORMAT<\/code><\/td><td><code>mesh-sales-orders\/[^<]+<\/code><\/td><td>[^<]*&lt;b&gt;csv&lt;\/b&gt;/,
    );
    assert.ok(!html.includes('<b>csv</b>'));
    // another product's page does not list it
    assert.deepEqual(
      available(productAccess(m.access, 'marketing/campaign-performance')).findings.filter(
        (f) => f.id === 'VERIFY-FLOW-FORMAT',
      ),
      [],
    );
  });

  it('a stale assembly (the repository changed since mesh synth): one sentence saying to run mesh synth again, never a failed page', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'meshkit-web-stale-'));
    cpSync(root, copy, { recursive: true });
    editOrders(copy, { purpose: 'Changed after synth.' });
    const stale = new LocalCatalog(join(copy, '.mesh/catalog'), copy);
    const r = await routeCatalog('GET', '/products/sales/orders.html', { backend: stale, now: () => NOW });
    assert.equal(r.status, 200);
    const html = accessHtml(r.body);
    assert.match(
      html,
      /<p class="access-status" data-status="stale">The cloud assembly in cdk\.out is older than the repository [^<]*<code>mesh synth<\/code>[^<]*<code>mesh synth<\/code> again[^<]*<\/p>/,
    );
    assert.match(
      html,
      /<details><summary>What <code>mesh verify<\/code> said<\/summary><pre>[^<]*mesh-sales-orders[^<]*changed since it was synthesized/,
    );
    const api = JSON.parse(
      (await routeCatalog('GET', '/api/products/sales/orders', { backend: stale, now: () => NOW })).body,
    ) as ProductPayload;
    assert.equal(api.access.status, 'stale');
  });
});

describe('who can read this product, without a usable assembly', () => {
  it('no assembly: the section says so in one sentence and how to get it (mesh synth); page 200, API status "missing"', async () => {
    const { catalog } = await publishedExample();
    const r = await routeCatalog('GET', '/products/sales/orders.html', { backend: catalog, now: () => NOW });
    assert.equal(r.status, 200);
    const html = accessHtml(r.body);
    assert.match(html, /<h2 id="access-heading">Who can read this product<\/h2>/);
    assert.match(
      html,
      /<p class="access-status" data-status="missing">There is no synthesized cloud assembly in cdk\.out yet, so who can read this product is not known: run <code>mesh synth<\/code>, then reload \(or export again\)\.<\/p>/,
    );
    assert.ok(!html.includes('<table'));
    const api = JSON.parse(
      (await routeCatalog('GET', '/api/products/sales/orders', { backend: catalog, now: () => NOW })).body,
    ) as ProductPayload;
    assert.deepEqual(api.access, {
      status: 'missing',
      assembly: 'cdk.out',
      message:
        'There is no synthesized cloud assembly in cdk.out yet, so who can read this product is not known: run `mesh synth`, then reload (or export again).',
    });
  });

  it('an unreadable assembly (broken manifest) is a sentence too, with what mesh verify said', async () => {
    const { root, catalog } = await publishedExample();
    mkdirSync(join(root, 'cdk.out'));
    writeFileSync(join(root, 'cdk.out', 'manifest.json'), '{ not json');
    const model = await buildCatalogModel(catalog, { now: NOW });
    const a = productAccess(model.access, 'sales/orders');
    assert.equal(a.status, 'unreadable');
    const html = accessHtml(renderProductPage(model, 'sales/orders')!);
    assert.match(
      html,
      /data-status="unreadable">The cloud assembly in cdk\.out cannot be read[^<]*<code>mesh synth<\/code> again/,
    );
    assert.match(html, /<pre>[^<]*manifest\.json/);
  });

  it('a catalog that does not know its repository says so (and the root can be given explicitly)', async () => {
    const { root } = await publishedExample();
    const bare = new LocalCatalog(join(root, '.mesh/catalog')); // no root
    const model = await buildCatalogModel(bare, { now: NOW });
    assert.equal(model.access.status, 'no-repository');
    assert.match(
      accessHtml(renderProductPage(model, 'sales/orders')!),
      /data-status="no-repository">The repository of this catalog is not known[^<]*<code>mesh synth<\/code>/,
    );
    assert.equal((await buildCatalogModel(bare, { now: NOW, root })).access.status, 'missing');
  });
});
