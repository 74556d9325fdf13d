import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { catalogList, catalogShow } from '../src/commands/catalog.js';
import { meshPublish } from '../src/commands/publish.js';
import { contractCheck } from '../src/commands/contract-check.js';
import { bufferIo } from '../src/io.js';
import { copyExampleMesh } from '@meshkit/testing';

const repo = () => {
  const dir = copyExampleMesh({ prefix: 'mesh-publish-cli-' });
  return dir;
};
const orders = (root: string) => join(root, 'domains/sales/products/orders/contract.odcs.yaml');

test('mesh publish --all records every product with the git commit; a second run is a no-op', async () => {
  const root = repo();
  const git = (...a: string[]) => execFileSync('git', a, { cwd: root, stdio: 'pipe', encoding: 'utf8' }).trim();
  git('init', '-q');
  git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'add', '.');
  git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'init');
  const head = git('rev-parse', 'HEAD');
  const io = bufferIo(root);
  assert.equal(await meshPublish(undefined, { all: true }, io), 0, io.err);
  assert.match(io.out, /sales\/orders 1\.1\.0: published/);
  assert.match(io.out, /marketing\/campaign-performance \S+: published/);
  const rec = JSON.parse(readFileSync(join(root, '.mesh/catalog/sales/orders/v1/1.1.0.json'), 'utf8'));
  assert.equal(rec.gitCommit, head);
  const again = bufferIo(root);
  assert.equal(await meshPublish(undefined, { all: true, format: 'json' }, again), 0);
  const json = JSON.parse(again.out);
  assert.ok(json.results.length >= 3);
  assert.ok(json.results.every((r: { outcome: string }) => r.outcome === 'unchanged'));
});

test('mesh publish: a breaking change in the same major is exit 1, as a new major exit 0; conflicts exit 1', async () => {
  const root = repo();
  const io = bufferIo(root);
  assert.equal(await meshPublish('sales/orders', {}, io), 0, io.err);
  const text = readFileSync(orders(root), 'utf8');
  const broken = text.replace(/ {6}- id: customer_email_prop[\s\S]*?(?= {6}- id: amount_prop)/, '');
  writeFileSync(orders(root), broken.replace(/^version: .*$/m, 'version: 1.2.0'));
  const io2 = bufferIo(root);
  assert.equal(await meshPublish('sales/orders', {}, io2), 1);
  assert.match(io2.out, /VERSION_BUMP_INSUFFICIENT/);
  assert.match(io2.out, /BLOCKED, nothing published/);
  writeFileSync(orders(root), broken.replace(/^version: .*$/m, 'version: 2.0.0'));
  const io3 = bufferIo(root);
  assert.equal(await meshPublish('sales/orders', {}, io3), 0, io3.out + io3.err);
  assert.match(io3.out, /2\.0\.0: published/);
  writeFileSync(orders(root), text.replace(/purpose: .*$/m, 'purpose: changed'));
  const io4 = bufferIo(root);
  assert.equal(await meshPublish('sales/orders', {}, io4), 1);
  assert.match(io4.err, /already published with different content/);
});

test('mesh publish: bad usage is exit 2 without a stack trace', async () => {
  const root = repo();
  await assert.rejects(meshPublish('sales/orders', { all: true }, bufferIo(root)), /not both/);
  await assert.rejects(meshPublish(undefined, {}, bufferIo(root)), /name a <domain>\/<product>/);
  const io = bufferIo(root);
  assert.equal(await meshPublish('sales/nope', {}, io), 2);
  assert.match(io.err, /no product 'sales\/nope'/);
  const inside = bufferIo(join(root, 'domains/sales/products/orders'));
  assert.equal(await meshPublish(undefined, {}, inside), 0, inside.err);
  assert.match(inside.out, /sales\/orders 1\.1\.0: published/);
});

test('mesh catalog list and show (text and json); a corrupted record is exit 2', async () => {
  const root = repo();
  const empty = bufferIo(root);
  assert.equal(await catalogList({}, empty), 0);
  assert.match(empty.out, /is empty/);
  await meshPublish(undefined, { all: true }, bufferIo(root));
  const list = bufferIo(root);
  assert.equal(await catalogList({ format: 'text' }, list), 0);
  assert.match(list.out, /^sales$/m);
  assert.match(list.out, /orders {2}owner team-sales {2}restricted/);
  assert.match(list.out, /v1: 1\.1\.0/);
  const listJson = bufferIo(root);
  await catalogList({ format: 'json' }, listJson);
  const products = JSON.parse(listJson.out).products;
  assert.deepEqual(products.find((p: { product: string }) => p.product === 'orders').majors, [
    { major: 1, versions: ['1.1.0'] },
  ]);
  const show = bufferIo(root);
  assert.equal(await catalogShow('marketing/campaign-performance', {}, show), 0);
  assert.match(show.out, /consumes +sales\/orders \^1\.1\.0/);
  assert.match(show.out, /quality \S+ \(DQDL\)/);
  const showJson = bufferIo(root);
  assert.equal(await catalogShow('sales/orders@1.1.0', { format: 'json' }, showJson), 0);
  assert.equal(JSON.parse(showJson.out).contract.id, 'sales-orders');
  const missing = bufferIo(root);
  assert.equal(await catalogShow('sales/orders@9.9.9', {}, missing), 1);
  assert.match(missing.err, /published: 1\.1\.0/);
  await assert.rejects(catalogShow('sales', {}, bufferIo(root)), /not <domain>\/<product>/);
  const file = join(root, '.mesh/catalog/sales/orders/v1/1.1.0.json');
  assert.ok(existsSync(file));
  writeFileSync(file, '{ broken');
  await assert.rejects(
    catalogShow('sales/orders', {}, bufferIo(root)),
    (e: { code?: string; exitCode?: number; file?: string }) =>
      e.code === 'CATALOG_CORRUPT' && e.exitCode === 2 && e.file === file,
  );
});

test('mesh contract check takes the latest published version of the same major as its baseline', async () => {
  const root = repo();
  assert.equal(await meshPublish(undefined, { all: true, catalog: 'local', format: 'text' }, bufferIo(root)), 0);
  // A column removed with the version left at the published 1.1.0: the catalog says what changed.
  const file = orders(root);
  writeFileSync(file, readFileSync(file, 'utf8').replace(/ {6}- id: channel_prop\n( {8}.*\n)+?(?=slaProperties:)/, ''));
  const io = bufferIo(root);
  assert.equal(await contractCheck('sales/orders', { format: 'text' }, io), 1, io.out + io.err);
  assert.match(io.out, /VERSION_NOT_BUMPED/);
  assert.match(io.out, /1\.1\.0 → 1\.1\.0; changes require major/);
});
