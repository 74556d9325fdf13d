import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { chromiumSkip, openSitePage } from '@meshkit/testing';
import { startCatalogServer, type CatalogServer } from '../src/index.js';
import { exampleMesh, publishedExample, synthesize } from './web-helpers.js';

/*
 * The catalog page in headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core):
 * one browser launch for the whole file, against the server on port 0 with the example mesh
 * synthesized (its cdk.out: "who can read this product") and published into a temp local
 * catalog. Skipped only when Chromium is missing outside CI.
 */
const skip = chromiumSkip();

describe('catalog page in headless Chromium', { skip }, () => {
  let server: CatalogServer;
  let browser: import('playwright-core').Browser;
  let page: import('playwright-core').Page;
  let problems: string[] = [];

  before(async () => {
    const root = exampleMesh();
    await synthesize(root);
    const { catalog } = await publishedExample(root);
    server = await startCatalogServer({ backend: catalog, port: 0 });
    ({ browser, page, problems } = await openSitePage(server.url));
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('loads the index: title, heading, every product listed, no errors, nothing fetched from elsewhere', async () => {
    const res = await page.goto(server.url);
    assert.equal(res?.status(), 200);
    assert.equal(await page.title(), 'Meshkit catalog');
    assert.equal(await page.locator('h1').textContent(), 'Data products');
    assert.deepEqual(
      await page.locator('li.product:visible').evaluateAll((els) => els.map((e) => e.getAttribute('data-product'))),
      ['marketing/campaign-performance', 'sales/clickstream', 'sales/orders'],
    );
    assert.deepEqual(problems, []);
  });

  it('draws the edge sales/orders → marketing/campaign-performance with a non-empty path and an arrowhead', async () => {
    const edge = page.locator('svg.lineage g.edge[data-from="sales/orders"][data-to="marketing/campaign-performance"]');
    assert.equal(await edge.count(), 1);
    const d = await edge.locator('path.route').getAttribute('d');
    assert.match(d ?? '', /^M[\d.]+,[\d.]+.+/);
    const box = await edge.locator('path.route').boundingBox();
    assert.ok(box && box.width > 10, `the edge is drawn with a width: ${JSON.stringify(box)}`);
    assert.equal(await edge.locator('path.arrowhead').count(), 1);
    assert.match((await edge.locator('title').textContent()) ?? '', /columns record_id, amount, record_date/);
  });

  it('typing in the search box filters the list and highlights the graph', async () => {
    await page.locator('#q').fill('campaign');
    await page.waitForFunction("document.querySelectorAll('li.product:not([hidden])').length === 1");
    assert.deepEqual(
      await page.locator('li.product:visible').evaluateAll((els) => els.map((e) => e.getAttribute('data-product'))),
      ['marketing/campaign-performance'],
    );
    assert.equal(await page.locator('section.domain:visible').count(), 1);
    assert.equal(await page.locator('#search-status').textContent(), '1 of 3 products match');
    assert.deepEqual(
      await page
        .locator('svg.lineage .node.match')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-product'))),
      ['marketing/campaign-performance'],
    );
    // a column name finds the products that have it
    await page.locator('#q').fill('record_date');
    await page.waitForFunction("document.getElementById('search-status').textContent === '2 of 3 products match'");
    assert.deepEqual(
      await page.locator('li.product:visible').evaluateAll((els) => els.map((e) => e.getAttribute('data-product'))),
      ['marketing/campaign-performance', 'sales/orders'],
    );
    await page.locator('#q').fill('');
    await page.waitForFunction("document.querySelectorAll('li.product:not([hidden])').length === 3");
  });

  it('a product page (reached by clicking its node) shows its schema: the column names of sales/orders', async () => {
    await page.locator('svg.lineage a.node[data-product="sales/orders"]').click();
    await page.waitForURL(/\/products\/sales\/orders\.html$/);
    assert.equal(await page.locator('h1').textContent(), 'sales/orders');
    const columns = await page.locator('table.schema[data-object="orders"] th.column-name code').allTextContents();
    assert.deepEqual(columns, ['record_id', 'amount', 'status', 'record_date']);
    assert.match(
      (await page.locator('table.schema caption').first().textContent()) ?? '',
      /Columns of orders in 1\.0\.0/,
    );
    assert.equal((await page.getByRole('link', { name: 'marketing/campaign-performance' }).count()) > 0, true);
    assert.deepEqual(problems, []);
  });

  it('the product page shows who can read it: the campaign-performance job reads three columns of orders_v1 via Lake Formation', async () => {
    const section = page.getByRole('region', { name: 'Who can read this product' });
    await section.scrollIntoViewIfNeeded();
    assert.equal(await section.isVisible(), true);
    const row = section.locator('table.access tbody tr').filter({ hasText: 'job of marketing/campaign-performance' });
    assert.equal(await row.count(), 1);
    assert.equal(await row.isVisible(), true);
    assert.equal((await row.locator('td.reads').textContent())?.trim(), 'orders_v1: amount, record_date, record_id');
    assert.equal((await row.locator('td.via').textContent())?.trim(), 'Lake Formation');
    const own = section.locator('table.access tbody tr').filter({ hasText: 'job of sales/orders' });
    assert.match((await own.locator('td.reads').textContent())?.trim() ?? '', /orders_v1: all columns/);
    assert.deepEqual(problems, []);
  });
});
