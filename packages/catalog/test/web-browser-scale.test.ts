import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { chromiumSkip, openSitePage } from '@meshkit/testing';
import { startCatalogServer, type CatalogServer } from '../src/index.js';
import { CountingMemoryCatalog, generatedRecords } from './scale-helpers.js';

/*
 * A paginated catalog (150 products: two index pages) in headless Chromium: search covers every
 * product through the embedded JSON index, results link to the product pages, the whole lineage
 * graph is on its own page. Skipped only when Chromium is missing outside CI (as web-browser.test.ts).
 */
const skip = chromiumSkip();

describe('a paginated catalog in headless Chromium', { skip }, () => {
  let server: CatalogServer;
  let browser: import('playwright-core').Browser;
  let page: import('playwright-core').Page;
  let problems: string[] = [];

  before(async () => {
    server = await startCatalogServer({ backend: new CountingMemoryCatalog(await generatedRecords(150)), port: 0 });
    ({ browser, page, problems } = await openSitePage(server.url));
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('the first index page lists 100 products and links page 2 and the lineage page', async () => {
    assert.equal((await page.goto(server.url))?.status(), 200);
    assert.equal(await page.locator('li.product:visible').count(), 100);
    assert.equal(await page.locator('#search-status').textContent(), '150 products');
    assert.equal(await page.locator('nav.pages a[href="index-2.html"]').first().isVisible(), true);
    assert.equal(await page.locator('a[href="lineage.html"]').isVisible(), true);
    assert.deepEqual(problems, []);
  });

  it('search finds products of every page from the JSON index, and a result opens its page', async () => {
    await page.locator('#q').fill('d37');
    await page.waitForFunction("document.getElementById('search-status').textContent === '2 of 150 products match'");
    assert.deepEqual(
      await page
        .locator('#search-results li.product')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-product'))),
      ['d37/p0', 'd37/p1'],
    );
    assert.equal(await page.locator('#product-pages').isHidden(), true);
    await page.locator('#q').fill('team-sales record_id');
    await page.waitForFunction("document.getElementById('search-status').textContent === '150 of 150 products match'");
    await page.locator('#q').fill('');
    await page.waitForFunction("document.getElementById('search-status').textContent === '150 products'");
    assert.equal(await page.locator('#product-pages').isVisible(), true);
    await page.locator('#q').fill('d37/p1');
    await page.locator('#search-results a', { hasText: 'd37/p1' }).click();
    await page.waitForURL(/\/products\/d37\/p1\.html$/);
    assert.equal(await page.locator('h1').textContent(), 'd37/p1');
    assert.deepEqual(problems, []);
  });

  it('the product page draws its neighbourhood and links the whole graph, which draws every product', async () => {
    assert.equal(await page.locator('svg.lineage a.node[data-product="d37/p1"]').count(), 1);
    await page.locator('a', { hasText: 'the whole lineage graph' }).click();
    await page.waitForURL(/\/lineage\.html$/);
    assert.equal(await page.locator('svg.lineage a.node').count(), 150);
    assert.equal(await page.locator('svg.lineage g.edge').count(), 149);
    assert.deepEqual(problems, []);
  });
});
