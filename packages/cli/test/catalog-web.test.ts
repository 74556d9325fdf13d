import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { isMeshError } from '@meshkit/contracts';
import { catalogExport, startCatalogServe } from '../src/commands/catalog-web.js';
import { meshPublish } from '../src/commands/publish.js';
import { bufferIo } from '../src/io.js';
import { copyExampleMesh } from '@meshkit/testing';

async function published(): Promise<string> {
  const root = copyExampleMesh({ prefix: 'mesh-catalog-web-' });
  const io = bufferIo(root);
  assert.equal(await meshPublish(undefined, { all: true }, io), 0, io.err);
  return root;
}

test('mesh catalog serve: port 0 prints the URL, the JSON API answers, close stops it', async () => {
  const root = await published();
  const io = bufferIo(root);
  const server = await startCatalogServe({ port: '0' }, io);
  try {
    assert.match(io.out, new RegExp(`serving on http://127\\.0\\.0\\.1:${server.port}/`));
    const res = await fetch(`${server.url}api/lineage`);
    assert.equal(res.status, 200);
    const body = (await res.json()) as { edges: Array<{ from: string; to: string }> };
    assert.ok(body.edges.some((e) => e.from === 'sales/orders' && e.to === 'marketing/campaign-performance'));
  } finally {
    await server.close();
  }
  assert.equal(server.server.listening, false);
});

test('mesh catalog serve: a bad port and a corrupted catalog are exit-2 errors before listening', async () => {
  const root = await published();
  await assert.rejects(
    startCatalogServe({ port: 'eighty' }, bufferIo(root)),
    (e) => isMeshError(e) && e.exitCode === 2 && /--port eighty/.test(e.message),
  );
  const file = join(root, '.mesh/catalog/sales/orders/v1/1.1.0.json');
  writeFileSync(file, '{ not json');
  await assert.rejects(
    startCatalogServe({ port: 0 }, bufferIo(root)),
    (e) => isMeshError(e) && e.code === 'CATALOG_CORRUPT' && e.file === file && e.exitCode === 2,
  );
});

test('mesh catalog export --html <dir> writes the static site; corruption writes nothing', async () => {
  const root = await published();
  const io = bufferIo(root);
  assert.equal(await catalogExport({ html: 'site' }, io), 0, io.err);
  assert.match(io.out, /exported 3 products \(\d+ files\)/);
  assert.match(readFileSync(join(root, 'site/products/sales/orders.html'), 'utf8'), /<code>order_id<\/code>/);
  assert.ok(existsSync(join(root, 'site/api/products/sales/orders/versions/1.1.0.json')));
  writeFileSync(join(root, '.mesh/catalog/sales/orders/v1/1.1.0.json'), '[]');
  await assert.rejects(
    catalogExport({ html: 'other' }, bufferIo(root)),
    (e) => isMeshError(e) && e.code === 'CATALOG_CORRUPT',
  );
  assert.equal(existsSync(join(root, 'other')), false);
});
