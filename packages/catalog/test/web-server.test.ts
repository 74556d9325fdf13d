import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isMeshError } from '@meshkit/contracts';
import {
  EXPORT_MARKER,
  exportCatalogSite,
  publishProduct,
  startCatalogServer,
  type CatalogServer,
  type LocalCatalog,
  type LineagePayload,
  type ProductPayload,
  type ProductsPayload,
  type VersionPayload,
} from '../src/index.js';
import { editOrders } from './helpers.js';
import { publishedExample } from './web-helpers.js';

async function fetchRaw(url: string, init?: RequestInit) {
  const res = await fetch(url, init);
  return { status: res.status, type: res.headers.get('content-type'), headers: res.headers, text: await res.text() };
}

describe('catalog server (real HTTP)', () => {
  let root: string;
  let catalog: LocalCatalog;
  let server: CatalogServer;
  const errors: unknown[] = [];
  before(async () => {
    ({ root, catalog } = await publishedExample());
    server = await startCatalogServer({ backend: catalog, port: 0, onError: (e) => errors.push(e) });
  });
  after(() => server.close());

  it('listens on 127.0.0.1 on a picked port', () => {
    assert.equal(server.host, '127.0.0.1');
    assert.ok(server.port > 0);
    assert.equal(server.url, `http://127.0.0.1:${server.port}/`);
  });

  it('GET /api/products: every product with majors, owner, classification, consumers', async () => {
    const r = await fetchRaw(`${server.url}api/products`);
    assert.equal(r.status, 200);
    assert.equal(r.type, 'application/json; charset=utf-8');
    const body = JSON.parse(r.text) as ProductsPayload;
    assert.deepEqual(
      body.products.map((p) => p.ref),
      ['marketing/campaign-performance', 'sales/clickstream', 'sales/orders'],
    );
    const orders = body.products.find((p) => p.ref === 'sales/orders')!;
    assert.deepEqual(orders.majors, [
      { major: 1, latestVersion: '1.0.0', versions: ['1.0.0'], deprecation: { status: 'draft', phase: 'active' } },
    ]);
    assert.equal(orders.owner, 'team-sales');
    assert.deepEqual(
      orders.consumers.map((c) => [c.product, c.range, c.columns]),
      [['marketing/campaign-performance', '^1.0.0', ['record_id', 'amount', 'record_date']]],
    );
    assert.equal(body.catalog.kind, 'local');
  });

  it('GET /api/products/<d>/<p>: the product with its schema', async () => {
    const r = await fetchRaw(`${server.url}api/products/sales/orders`);
    assert.equal(r.status, 200);
    const { product } = JSON.parse(r.text) as ProductPayload;
    assert.deepEqual(
      product.majors[0]!.schema[0]!.columns.map((c) => c.name),
      ['record_id', 'amount', 'status', 'record_date'],
    );
    const alias = JSON.parse((await fetchRaw(`${server.url}api/products/sales/orders.json`)).text) as ProductPayload; // the export's file name answers too
    assert.deepEqual(alias.product, product);
  });

  it('GET /api/products/<d>/<p>/versions/<v>: the stored record and its deprecation', async () => {
    const r = await fetchRaw(`${server.url}api/products/marketing/campaign-performance/versions/1.0.0`);
    assert.equal(r.status, 200);
    const body = JSON.parse(r.text) as VersionPayload;
    assert.equal(body.record.version, '1.0.0');
    assert.equal(body.record.owner, 'team-marketing');
    assert.match(body.record.contractText, /apiVersion: v3\.1\.0/);
    assert.equal(body.deprecation.phase, 'active');
  });

  it('GET /api/lineage: nodes and the sales/orders → marketing/campaign-performance edge', async () => {
    const body = JSON.parse((await fetchRaw(`${server.url}api/lineage`)).text) as LineagePayload;
    assert.deepEqual(
      body.nodes.map((n) => n.id),
      ['marketing/campaign-performance', 'sales/clickstream', 'sales/orders'],
    );
    assert.deepEqual(body.edges, [
      {
        from: 'sales/orders',
        to: 'marketing/campaign-performance',
        range: '^1.0.0',
        columns: ['record_id', 'amount', 'record_date'],
      },
    ]);
  });

  it('404 JSON for unknown products, versions and API paths; 404 HTML for unknown pages', async () => {
    for (const path of [
      'api/products/sales/nope',
      'api/products/sales/orders/versions/9.9.9',
      'api/products/sales/orders/versions/not-a-version',
      'api/products/Bad_Name/x',
      'api/nothing',
    ]) {
      const r = await fetchRaw(server.url + path);
      assert.equal(r.status, 404, path);
      assert.equal(r.type, 'application/json; charset=utf-8', path);
      assert.equal(JSON.parse(r.text).error.code, 'NOT_FOUND', path);
    }
    const page = await fetchRaw(`${server.url}products/sales/nope.html`);
    assert.equal(page.status, 404);
    assert.equal(page.type, 'text/html; charset=utf-8');
    assert.match(page.text, /No product sales\/nope in this catalog/);
  });

  it('405 with Allow for anything but GET and HEAD; HEAD has headers and no body', async () => {
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const r = await fetchRaw(`${server.url}api/products`, { method });
      assert.equal(r.status, 405, method);
      assert.equal(r.headers.get('allow'), 'GET, HEAD');
      assert.equal(JSON.parse(r.text).error.code, 'METHOD_NOT_ALLOWED');
    }
    assert.equal((await fetchRaw(server.url, { method: 'POST' })).status, 405);
    const head = await fetchRaw(`${server.url}api/products`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.text, '');
    assert.ok(Number(head.headers.get('content-length')) > 0);
  });

  it('serves the pages as HTML with a CSP that loads nothing from elsewhere', async () => {
    const index = await fetchRaw(server.url);
    assert.equal(index.status, 200);
    assert.equal(index.type, 'text/html; charset=utf-8');
    assert.match(index.headers.get('content-security-policy') ?? '', /^default-src 'none'; .*frame-ancestors 'none'$/);
    assert.match(index.text, /<g class="edge" data-from="sales\/orders" data-to="marketing\/campaign-performance">/);
    const page = await fetchRaw(`${server.url}products/sales/orders.html`);
    assert.equal(page.status, 200);
    assert.match(page.text, /<code>record_id<\/code>/);
    assert.equal((await fetchRaw(`${server.url}products/sales/orders`)).status, 200);
  });

  it('reads the catalog on each request: a new publish shows without a restart', async () => {
    editOrders(root, { version: '1.1.0' });
    const r = await publishProduct({
      root,
      product: 'sales/orders',
      catalog,
      now: new Date('2026-11-02T00:00:00Z'),
      gitCommit: null,
    });
    assert.equal(r.outcome, 'published');
    const body = JSON.parse((await fetchRaw(`${server.url}api/products/sales/orders`)).text) as ProductPayload;
    assert.equal(body.product.latestVersion, '1.1.0');
  });

  it('a corrupted record is a 500 naming the file (and reported), not a page', async () => {
    const file = catalog.fileOf('sales', 'clickstream', '1.0.0');
    const good = readFileSync(file, 'utf8');
    writeFileSync(file, good.replace('"team-sales"', '"team-evil"'));
    try {
      const api = await fetchRaw(`${server.url}api/products`);
      assert.equal(api.status, 500);
      const { error } = JSON.parse(api.text);
      assert.equal(error.code, 'CATALOG_CORRUPT');
      assert.equal(error.file, file);
      const html = await fetchRaw(server.url);
      assert.equal(html.status, 500);
      assert.ok(html.text.includes(file));
      assert.ok(errors.some((e) => isMeshError(e) && e.code === 'CATALOG_CORRUPT'));
    } finally {
      writeFileSync(file, good);
    }
  });

  it('refuses a port in use (exit 2) and an invalid port', async () => {
    await assert.rejects(
      startCatalogServer({ backend: catalog, port: server.port }),
      (e) => isMeshError(e) && e.exitCode === 2 && /in use/.test(e.message),
    );
    await assert.rejects(
      startCatalogServer({ backend: catalog, port: 70000 }),
      (e) => isMeshError(e) && e.code === 'USAGE',
    );
  });

  it('close() ends keep-alive connections and resolves closed', async () => {
    const s = await startCatalogServer({ backend: catalog, port: 0 });
    await new Promise<void>((resolve, reject) => {
      const req = request(`${s.url}api/lineage`, { agent: new Agent({ keepAlive: true }) }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', reject);
      req.end();
    });
    await s.close();
    await s.closed;
    assert.equal(s.server.listening, false);
  });
});

describe('exportCatalogSite', () => {
  let catalog: LocalCatalog;
  let root: string;
  before(async () => {
    ({ root, catalog } = await publishedExample());
  });

  it('writes index, product pages and the JSON API as files, identical in content to the server payloads', async () => {
    const dir = join(root, 'site');
    const r = await exportCatalogSite(catalog, dir, { now: new Date('2026-11-05T00:00:00Z') });
    assert.equal(r.products, 3);
    assert.deepEqual(r.files, [
      'api/lineage.json',
      'api/products.json',
      'api/products/marketing/campaign-performance.json',
      'api/products/marketing/campaign-performance/versions/1.0.0.json',
      'api/products/sales/clickstream.json',
      'api/products/sales/clickstream/versions/1.0.0.json',
      'api/products/sales/orders.json',
      'api/products/sales/orders/versions/1.0.0.json',
      'index.html',
      'lineage.html',
      'products/marketing/campaign-performance.html',
      'products/sales/clickstream.html',
      'products/sales/orders.html',
    ]);
    for (const f of r.files) assert.ok(existsSync(join(dir, f)), f);
    const index = readFileSync(join(dir, 'index.html'), 'utf8');
    assert.match(index, /href="products\/sales\/orders.html"/);
    assert.match(index, /data-from="sales\/orders" data-to="marketing\/campaign-performance"/);
    const s = await startCatalogServer({ backend: catalog, port: 0, now: () => new Date('2026-11-05T00:00:00Z') });
    try {
      for (const f of [
        'api/products.json',
        'api/lineage.json',
        'api/products/sales/orders.json',
        'index.html',
        'lineage.html',
        'products/sales/orders.html',
      ]) {
        assert.equal((await fetchRaw(s.url + f)).text, readFileSync(join(dir, f), 'utf8'), f);
      }
    } finally {
      await s.close();
    }
  });

  it('replaces an earlier export, refuses a foreign non-empty directory, leaves no temp directories', async () => {
    const dir = join(root, 'site2');
    await exportCatalogSite(catalog, dir);
    writeFileSync(join(dir, 'stale.txt'), 'old');
    await exportCatalogSite(catalog, dir);
    assert.equal(existsSync(join(dir, 'stale.txt')), false);
    assert.ok(existsSync(join(dir, EXPORT_MARKER)));
    const foreign = join(root, 'foreign');
    mkdirSync(foreign);
    writeFileSync(join(foreign, 'notes.txt'), 'mine');
    await assert.rejects(
      exportCatalogSite(catalog, foreign),
      (e) => isMeshError(e) && e.code === 'USAGE' && e.exitCode === 2,
    );
    assert.deepEqual(readdirSync(foreign), ['notes.txt']);
    assert.deepEqual(
      readdirSync(root).filter((f) => f.startsWith('.site') || f.startsWith('.foreign')),
      [],
    );
  });

  it('a corrupted catalog is CATALOG_CORRUPT with the file, and nothing is written (an earlier export stays whole)', async () => {
    const dir = join(root, 'site3');
    await exportCatalogSite(catalog, dir);
    const before = readFileSync(join(dir, 'index.html'), 'utf8');
    const file = catalog.fileOf('sales', 'orders', '1.0.0');
    const good = readFileSync(file, 'utf8');
    writeFileSync(file, good.slice(0, 100));
    try {
      await assert.rejects(
        exportCatalogSite(catalog, dir),
        (e) => isMeshError(e) && e.code === 'CATALOG_CORRUPT' && e.file === file && e.exitCode === 2,
      );
      await assert.rejects(
        exportCatalogSite(catalog, join(root, 'never')),
        (e) => isMeshError(e) && e.code === 'CATALOG_CORRUPT',
      );
      assert.equal(readFileSync(join(dir, 'index.html'), 'utf8'), before);
      assert.equal(existsSync(join(root, 'never')), false);
      assert.deepEqual(
        readdirSync(root).filter((f) => f.includes('.tmp-') || f.includes('.old-')),
        [],
      );
    } finally {
      writeFileSync(file, good);
    }
  });
});

describe('catalog server: DNS rebinding', () => {
  let server: CatalogServer;
  before(async () => {
    const { catalog } = await publishedExample();
    server = await startCatalogServer({ backend: catalog, port: 0 });
  });
  after(() => server.close());

  const get = (host: string | undefined, path = '/api/products') =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: server.port,
          path,
          method: 'GET',
          setHost: host === undefined ? false : true,
          headers: host === undefined ? {} : { host },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => {
            text += c;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on('error', reject);
      req.end();
    });

  it('answers its own loopback address and port (127.0.0.1, localhost, [::1])', async () => {
    for (const host of [
      `127.0.0.1:${server.port}`,
      `localhost:${server.port}`,
      `LOCALHOST:${server.port}`,
      `[::1]:${server.port}`,
    ]) {
      assert.equal((await get(host)).status, 200, host);
    }
  });

  it('refuses any other Host with 421 and says which URL to open', async () => {
    for (const host of [
      'evil.example',
      `evil.example:${server.port}`,
      '127.0.0.1',
      `127.0.0.1:${server.port + 1}`,
      `localhost.evil.example:${server.port}`,
    ]) {
      const r = await get(host);
      assert.equal(r.status, 421, host);
      assert.match(
        r.text,
        new RegExp(`answers only Host 127\\.0\\.0\\.1:${server.port}.*open http://127\\.0\\.0\\.1:${server.port}/`),
      );
      assert.doesNotMatch(r.text, /orders/);
    }
    // No Host at all: node:http itself answers 400 (HTTP/1.1 requires it).
    assert.ok([400, 421].includes((await get(undefined)).status));
  });
});
