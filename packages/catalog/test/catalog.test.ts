import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { copyExampleMesh } from '@meshkit/testing';
import { isMeshError } from '@meshkit/contracts';
import { catalogDir, LocalCatalog, openLocalCatalog, publishProduct, recordProblem } from '../src/index.js';
import { sealRecord } from '../src/record.js';
import { editOrders } from './helpers.js';

const NOW = new Date('2026-01-02T03:04:05Z');

async function publish(root: string, product = 'sales/orders', now = NOW) {
  return publishProduct({ root, product, catalog: openLocalCatalog(root), now });
}

describe('publishProduct to the local catalog', () => {
  it('publishes a record with contract, owner, classification, consumes, DQDL, JSON Schema, time and commit', async () => {
    const root = copyExampleMesh({ prefix: 'meshkit-catalog-' });
    const r = await publish(root, 'marketing/campaign-performance');
    assert.equal(r.outcome, 'published');
    const file = join(root, '.mesh/catalog/marketing/campaign-performance/v1', `${r.version}.json`);
    assert.ok(existsSync(file));
    const rec = JSON.parse(readFileSync(file, 'utf8'));
    assert.equal(recordProblem(rec), undefined);
    assert.equal(rec.owner, 'team-marketing');
    assert.equal(rec.classification, 'internal');
    assert.deepEqual(
      rec.consumes.map((c: { product: string }) => c.product),
      ['sales/orders'],
    );
    assert.equal(rec.publishedAt, NOW.toISOString());
    assert.equal(rec.gitCommit, null);
    assert.equal(rec.contract.version, r.version);
    const [obj] = Object.keys(rec.jsonSchema);
    assert.ok(obj);
    assert.match(rec.dqdl[obj], /Rules = \[/);
    assert.equal(typeof rec.jsonSchema[obj].properties, 'object');
  });

  it('re-publishing identical content is a no-op that writes nothing', async () => {
    const root = copyExampleMesh({ prefix: 'meshkit-catalog-' });
    assert.equal((await publish(root)).outcome, 'published');
    const dir = join(root, '.mesh/catalog/sales/orders/v1');
    const before = statSync(join(dir, '1.1.0.json'));
    const r = await publish(root, 'sales/orders', new Date('2027-01-01T00:00:00Z'));
    assert.equal(r.outcome, 'unchanged');
    assert.deepEqual(readdirSync(dir), ['1.1.0.json']);
    assert.equal(statSync(join(dir, '1.1.0.json')).mtimeMs, before.mtimeMs);
  });

  it('a version published by an older Meshkit (other compiled DQDL and JSON Schema, a comment more in the text) is the same version, not a conflict', async () => {
    const root = copyExampleMesh({ prefix: 'meshkit-catalog-' });
    await publish(root);
    const file = join(root, '.mesh/catalog/sales/orders/v1/1.1.0.json');
    const { contentHash: _c, sha256: _s, ...older } = JSON.parse(readFileSync(file, 'utf8'));
    const [obj] = Object.keys(older.dqdl);
    older.dqdl[obj!] = 'Rules = [ RowCount > 0 ]';
    older.jsonSchema[obj!] = { type: 'object' };
    older.contractText = `# published long ago\n${older.contractText}`;
    writeFileSync(file, JSON.stringify(sealRecord(older), null, 2));
    const before = readFileSync(file, 'utf8');
    assert.equal((await publish(root, 'sales/orders', new Date('2027-01-01T00:00:00Z'))).outcome, 'unchanged');
    assert.equal(readFileSync(file, 'utf8'), before, 'the published record stays as it was');
  });

  it('refuses a version that exists with different content (exit 1)', async () => {
    const root = copyExampleMesh({ prefix: 'meshkit-catalog-' });
    await publish(root);
    editOrders(root, { purpose: 'Something else entirely.' });
    await assert.rejects(
      publish(root),
      (e) =>
        isMeshError(e) &&
        e.code === 'CATALOG_VERSION_CONFLICT' &&
        e.exitCode === 1 &&
        /1\.1\.0\.json$/.test(e.file ?? ''),
    );
  });

  it('gates against the same major: a breaking change is refused in 1.x, accepted as 2.0.0, and 2.x is not held to 1.x', async () => {
    const root = copyExampleMesh({ prefix: 'meshkit-catalog-' });
    await publish(root);
    editOrders(root, { version: '1.2.0' });
    const minor = await publish(root);
    assert.equal(minor.outcome, 'published');
    assert.deepEqual(minor.baselines, ['1.1.0']);
    editOrders(root, { version: '1.3.0', dropEmail: true });
    const broken = await publish(root);
    assert.equal(broken.outcome, 'blocked');
    assert.deepEqual(broken.baselines, ['1.2.0']);
    assert.ok(
      broken.diagnostics.some((d) => d.rule === 'VERSION_BUMP_INSUFFICIENT'),
      JSON.stringify(broken.diagnostics),
    );
    assert.equal(existsSync(join(root, '.mesh/catalog/sales/orders/v1/1.3.0.json')), false);
    editOrders(root, { version: '2.0.0' });
    const major = await publish(root);
    assert.equal(major.outcome, 'published');
    assert.deepEqual(major.baselines, []);
    editOrders(root, { version: '2.1.0' });
    assert.deepEqual((await publish(root)).baselines, ['2.0.0']);
    const cat = openLocalCatalog(root);
    assert.deepEqual(await cat.versions('sales', 'orders'), ['1.1.0', '1.2.0', '2.0.0', '2.1.0']);
    const [entry] = await cat.list();
    assert.deepEqual(entry?.majors, [
      { major: 1, versions: ['1.1.0', '1.2.0'] },
      { major: 2, versions: ['2.0.0', '2.1.0'] },
    ]);
  });

  it('compares with every version of the major under a _TRANSITIVE mode', async () => {
    const root = copyExampleMesh({ prefix: 'meshkit-catalog-' });
    const file = join(root, 'domains/sales/products/orders/contract.odcs.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('value: FULL', 'value: FULL_TRANSITIVE'));
    await publish(root);
    editOrders(root, { version: '1.2.0' });
    editOrders(root, { version: '1.3.0' });
    await publish(root);
    editOrders(root, { version: '1.4.0' });
    const r = await publish(root);
    assert.equal(r.outcome, 'published');
    assert.deepEqual(r.baselines, ['1.1.0', '1.3.0']);
  });

  it('reports a corrupted record with its path and never repairs it', async () => {
    const root = copyExampleMesh({ prefix: 'meshkit-catalog-' });
    await publish(root);
    const file = join(root, '.mesh/catalog/sales/orders/v1/1.1.0.json');
    const cat = openLocalCatalog(root);
    const good = readFileSync(file, 'utf8');
    writeFileSync(file, good.replace('"team-sales"', '"team-evil"'));
    await assert.rejects(
      cat.get('sales', 'orders', '1.1.0'),
      (e) => isMeshError(e) && e.code === 'CATALOG_CORRUPT' && e.file === file && /sha256 mismatch/.test(e.message),
    );
    await assert.rejects(publish(root), (e) => isMeshError(e) && e.code === 'CATALOG_CORRUPT');
    assert.match(readFileSync(file, 'utf8'), /team-evil/);
    writeFileSync(file, good.slice(0, 100));
    await assert.rejects(
      cat.get('sales', 'orders', '1.1.0'),
      (e) => isMeshError(e) && e.code === 'CATALOG_CORRUPT' && /not valid JSON/.test(e.message),
    );
    writeFileSync(file, JSON.stringify({ format: 'meshkit.catalog/v1', domain: 'sales' }));
    await assert.rejects(
      cat.get('sales', 'orders', '1.1.0'),
      (e) => isMeshError(e) && /'product' is missing/.test(e.message),
    );
  });

  it('lint errors block and nothing is written', async () => {
    const root = copyExampleMesh({ prefix: 'meshkit-catalog-' });
    const file = join(root, 'domains/sales/products/orders/contract.odcs.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^id: sales-orders$/m, 'id: 42'));
    const r = await publish(root);
    assert.equal(r.outcome, 'blocked');
    assert.ok(r.diagnostics.some((d) => d.severity === 'error'));
    assert.equal(existsSync(join(root, '.mesh/catalog')), false);
  });

  it('takes the location from mesh.config.yaml catalog.path', () => {
    const root = copyExampleMesh({ prefix: 'meshkit-catalog-' });
    assert.equal(catalogDir(root), join(root, '.mesh/catalog'));
    writeFileSync(
      join(root, 'mesh.config.yaml'),
      readFileSync(join(root, 'mesh.config.yaml'), 'utf8') + 'catalog:\n  path: shared/catalog\n',
    );
    assert.equal(catalogDir(root), join(root, 'shared/catalog'));
    assert.ok(new LocalCatalog('x').location.endsWith('/x'));
  });
});
