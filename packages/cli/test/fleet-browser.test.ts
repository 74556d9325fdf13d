// The fleet page of the catalog site in headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core), served by `mesh catalog serve --fleet` over the fleet of fleet.test.ts.
// Skipped only when Chromium is missing outside CI.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { chromiumSkip, openSitePage } from '@meshkit/testing';
import { bufferIo } from '../src/index.js';
import { startCatalogServe } from '../src/commands/catalog-web.js';
import type { CatalogServer } from '@meshkit/catalog';
import { fleetMesh } from './fleet-mesh.js';

const skip = chromiumSkip();

describe('fleet page in headless Chromium', { skip }, () => {
  let server: CatalogServer;
  let browser: import('playwright-core').Browser;
  let page: import('playwright-core').Page;
  let problems: string[] = [];

  before(async () => {
    const dir = await fleetMesh();
    server = await startCatalogServe({ port: 0, fleet: true, format: 'json' }, bufferIo(dir));
    ({ browser, page, problems } = await openSitePage(server.url));
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows every domain and product with its standing, template lag, published version and consumers; no errors, nothing fetched elsewhere', async () => {
    const res = await page.goto(`${server.url}fleet.html`);
    assert.equal(res?.status(), 200);
    assert.equal(await page.title(), 'Meshkit fleet');
    assert.deepEqual(
      await page.locator('table.fleet tr.product').evaluateAll((els) => els.map((e) => e.getAttribute('data-product'))),
      ['marketing/campaign-performance', 'sales/clickstream', 'sales/orders', 'sales/refunds'],
    );
    const refunds = page.locator('tr.product[data-product="sales/refunds"]');
    assert.match(await refunds.locator('td.template').innerText(), /0\.0\.9\s+behind 0\.1\.0/);
    const orders = page.locator('tr.product[data-product="sales/orders"]');
    assert.equal(await orders.locator('td.published').innerText(), '1.1.0');
    assert.equal(await orders.locator('td.consumers').innerText(), 'marketing/campaign-performance');
    assert.equal(await orders.locator('td.suppressions').innerText(), '1');
    assert.deepEqual(await page.locator('ul.packs li').allInnerTexts(), [
      '@meshkit/core 0.1.0 (28 rules)',
      '@example/policies 2.1.0 (1 rule)',
    ]);
    assert.deepEqual(problems, []);
  });

  it('each warning shows the day it becomes an error and its pack; the suppression its expiry', async () => {
    const warning = page.locator('section.stack[data-stack="mesh-sales-foundation"] tr.warning');
    assert.equal(await warning.count(), 1);
    assert.match(await warning.innerText(), /ACME-ENC-KMS-ROTATION-180\s+\(@example\/policies 2\.1\.0\)/);
    assert.equal(await warning.locator('td.enforce time').getAttribute('datetime'), '2030-06-01');
    const suppression = page.locator('section.stack[data-stack="mesh-sales-orders"] tr.suppression');
    assert.equal(await suppression.locator('td.expires time').getAttribute('datetime'), '2030-05-20');
  });

  it('a product links to its catalog page, and the fleet JSON is served beside it', async () => {
    await page.locator('tr.product[data-product="sales/orders"] a').click();
    await page.waitForURL(/products\/sales\/orders\.html$/);
    assert.match(await page.locator('h1').innerText(), /orders/);
    const api = await page.goto(`${server.url}api/fleet`);
    assert.equal(api?.status(), 200);
    assert.equal((await api.json()).format, 'meshkit.fleet/v1');
    assert.deepEqual(problems, []);
  });
});
