// mesh publish over a product's life: uncommitted trees, consumes-only changes (product metadata).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildCatalogModel, openLocalCatalog } from '@meshkit/catalog';
import { isMeshError } from '@meshkit/contracts';
import { meshPublish } from '../src/commands/publish.js';
import { bufferIo } from '../src/io.js';
import { copyExampleMesh } from '@meshkit/testing';

function gitRepo(prefix: string): { root: string; git: (...a: string[]) => string; commit: (m: string) => void } {
  const root = copyExampleMesh({ prefix: prefix });
  const git = (...a: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...a], {
      cwd: root,
      stdio: 'pipe',
      encoding: 'utf8',
    }).trim();
  git('init', '-q');
  const commit = (m: string) => {
    git('add', '-A');
    git('commit', '-qm', m);
  };
  commit('init');
  return { root, git, commit };
}

async function exitOf(p: Promise<number>): Promise<{ code: number; message: string }> {
  try {
    return { code: await p, message: '' };
  } catch (e) {
    if (isMeshError(e)) return { code: e.exitCode, message: e.message };
    throw e;
  }
}

test('mesh publish refuses an uncommitted tree (exit 2, nothing published); --allow-dirty publishes and records it', async () => {
  const { root, git } = gitRepo('mesh-publish-dirty-');
  const file = join(root, 'domains/sales/products/orders/contract.odcs.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace(/purpose: .*$/m, 'purpose: edited, not committed'));
  const refused = await exitOf(meshPublish('sales/orders', {}, bufferIo(root)));
  assert.equal(refused.code, 2);
  assert.match(
    refused.message,
    /1 uncommitted change\(s\) \(domains\/sales\/products\/orders\/contract\.odcs\.yaml\).*--allow-dirty.*nothing was published/,
  );
  assert.ok(!existsSync(join(root, '.mesh/catalog/sales')), 'nothing was published');
  const io = bufferIo(root);
  assert.equal(await meshPublish('sales/orders', { allowDirty: true }, io), 0, io.err);
  assert.match(io.out, /recorded as published from an uncommitted tree/);
  const record = JSON.parse(readFileSync(join(root, '.mesh/catalog/sales/orders/v1/1.1.0.json'), 'utf8'));
  assert.deepEqual([record.gitCommit, record.gitDirty], [git('rev-parse', 'HEAD'), true]);
  // The catalog's own files and runs under .mesh/ never make the tree dirty.
  git('checkout', '--', '.');
  const clean = bufferIo(root);
  assert.equal(await meshPublish('marketing/campaign-performance', {}, clean), 0, clean.err);
});

test('a consumer that only moves its consumes publishes that fact: no conflict, the lineage is current', async () => {
  const { root, commit } = gitRepo('mesh-publish-consumes-');
  assert.equal(await meshPublish(undefined, { all: true }, bufferIo(root)), 0);
  const manifest = join(root, 'domains/marketing/products/campaign-performance/product.yaml');
  writeFileSync(
    manifest,
    readFileSync(manifest, 'utf8').replace(
      '    version: ^1.1.0\n',
      '    version: ">=1.1.0 <3"\n    columns: [channel, amount]\n',
    ),
  );
  commit('campaign-performance reads two columns, any major up to 2');
  const io = bufferIo(root);
  assert.equal(await meshPublish('marketing/campaign-performance', {}, io), 0, io.out + io.err);
  assert.match(io.out, /marketing\/campaign-performance 1\.0\.0: unchanged/);
  assert.match(io.out, /product metadata \(owner, classification, consumes\): published/);
  const model = await buildCatalogModel(openLocalCatalog(root));
  const orders = model.products.find((p) => p.ref === 'sales/orders')!;
  assert.deepEqual(
    orders.consumers.map((c) => [c.product, c.range, c.columns]),
    [['marketing/campaign-performance', '>=1.1.0 <3', ['channel', 'amount']]],
  );
  const again = bufferIo(root);
  assert.equal(await meshPublish('marketing/campaign-performance', {}, again), 0);
  assert.doesNotMatch(again.out, /product metadata/, 'unchanged metadata is not rewritten');
});

test('mesh major after the breaking edit freezes the released contract (catalog, else git HEAD), not the edited working copy; publish then succeeds', async () => {
  for (const released of ['catalog', 'git'] as const) {
    const { root, commit } = gitRepo(`mesh-major-after-${released}-`);
    if (released === 'catalog') assert.equal(await meshPublish('sales/orders', {}, bufferIo(root)), 0);
    const dir = join(root, 'domains/sales/products/orders');
    const committed = readFileSync(join(dir, 'contract.odcs.yaml'), 'utf8');
    const edited = committed.replace(/ {6}- id: customer_email_prop[\s\S]*?(?= {6}- id: amount_prop)/, '');
    assert.notEqual(edited, committed);
    writeFileSync(join(dir, 'contract.odcs.yaml'), edited);
    const io = bufferIo(root);
    const { meshMajor } = await import('../src/commands/major.js');
    assert.equal(await meshMajor('sales/orders', { format: 'json' }, io), 0, io.err);
    const result = JSON.parse(io.out);
    assert.deepEqual([result.frozenFrom, result.from, result.to], [released, '1.1.0', '2.0.0']);
    assert.equal(
      readFileSync(join(dir, 'majors/v1/contract.odcs.yaml'), 'utf8'),
      committed,
      'the frozen 1.1.0 is the released one',
    );
    assert.equal(
      readFileSync(join(dir, 'contract.odcs.yaml'), 'utf8'),
      edited.replace(/^version: 1\.1\.0$/m, 'version: 2.0.0'),
      'the edit stays, now major 2',
    );
    // The v1 compatibility SQL derives the released columns (customer_email included).
    assert.match(readFileSync(join(dir, 'majors/v1/compat.sql'), 'utf8'), /customer_email/);
    commit('major 2 of sales/orders');
    const pub = bufferIo(root);
    assert.equal(await meshPublish('sales/orders', {}, pub), 0, pub.out + pub.err);
    assert.match(pub.out, /sales\/orders 2\.0\.0: published/);
    assert.match(
      pub.out,
      new RegExp(`served older major 1\\.1\\.0: ${released === 'catalog' ? 'unchanged' : 'published'}`),
    );
  }
});

test('deprecating a served major (metadata only) is a patch release of that major; a data change of it is still a conflict', async () => {
  const { root, commit } = gitRepo('mesh-deprecate-');
  const { meshMajor } = await import('../src/commands/major.js');
  assert.equal(await meshPublish('sales/orders', {}, bufferIo(root)), 0);
  assert.equal(await meshMajor('sales/orders', {}, bufferIo(root)), 0);
  commit('major 2');
  assert.equal(await meshPublish('sales/orders', {}, bufferIo(root)), 0);
  const frozen = join(root, 'domains/sales/products/orders/majors/v1/contract.odcs.yaml');
  const text = readFileSync(frozen, 'utf8');
  writeFileSync(
    frozen,
    text
      .replace(/^status: .*$/m, 'status: deprecated')
      .replace(
        /^customProperties:\n/m,
        'customProperties:\n  - property: meshkit.endOfSupport\n    value: "2027-01-31"\n  - property: meshkit.endOfLife\n    value: "2027-06-30"\n',
      ),
  );
  commit('deprecate major 1');
  const io = bufferIo(root);
  assert.equal(await meshPublish('sales/orders', {}, io), 0, io.out + io.err);
  assert.match(
    io.out,
    /served older major 1\.1\.1: published \(a metadata-only change of the frozen 1\.1\.0: its patch release\)/,
  );
  const record = JSON.parse(readFileSync(join(root, '.mesh/catalog/sales/orders/v1/1.1.1.json'), 'utf8'));
  assert.equal(record.contract.status, 'deprecated');
  assert.match(record.contractText, /^version: 1\.1\.1$/m);
  const again = bufferIo(root);
  assert.equal(await meshPublish('sales/orders', {}, again), 0);
  assert.match(again.out, /served older major 1\.1\.1: unchanged/);
  writeFileSync(
    frozen,
    readFileSync(frozen, 'utf8').replace(/ {6}- id: channel_prop\n( {8}.*\n)+?(?=slaProperties:)/, ''),
  );
  commit('a data change of the frozen major');
  const conflict = bufferIo(root);
  assert.equal(await meshPublish('sales/orders', {}, conflict), 1);
  assert.match(conflict.err + conflict.out, /already published with different content/);
});
