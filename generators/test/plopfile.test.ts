import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import nodePlop from 'node-plop';
import { readProvenance, renderTemplate } from '@meshkit/domain-template';

const plopfile = fileURLToPath(new URL('../plopfile.mjs', import.meta.url));

test('plop generators domain and product render what renderTemplate renders, with provenance', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'gen-plop-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  copyFileSync(fileURLToPath(new URL('../../mesh.config.yaml', import.meta.url)), join(root, 'mesh.config.yaml'));
  const plop = await nodePlop(plopfile, { destBasePath: root, force: false });
  assert.deepEqual(
    plop
      .getGeneratorList()
      .map((g) => g.name)
      .sort(),
    ['domain', 'product'],
  );
  const d = await plop.getGenerator('domain').runActions({ domain: 'sales', owner: 'team-sales', costCenter: '' });
  assert.deepEqual(d.failures, []);
  const p = await plop
    .getGenerator('product')
    .runActions({ domain: 'sales', product: 'orders', ingestion: 'stream', owner: '' });
  assert.deepEqual(p.failures, []);
  const dir = join(root, 'domains/sales/products/orders');
  const expected = renderTemplate({
    kind: 'product',
    domain: 'sales',
    product: 'orders',
    ingestion: 'stream',
    owner: 'team-sales',
    scope: '@example',
  });
  for (const f of expected) assert.ok(existsSync(join(dir, f.path)), f.path);
  assert.equal(readProvenance(dir)?.answers.ingestion, 'stream');
  const again = await plop
    .getGenerator('product')
    .runActions({ domain: 'sales', product: 'orders', ingestion: 'batch', owner: '' });
  assert.match(
    String((again.failures[0] as { message?: string } | undefined)?.message ?? again.failures[0]),
    /already exists/,
  );
  const bad = await plop
    .getGenerator('product')
    .runActions({ domain: 'sales', product: 'x.y', ingestion: 'batch', owner: '' });
  assert.match(
    String((bad.failures[0] as { message?: string } | undefined)?.message ?? bad.failures[0]),
    /must not contain dots/,
  );
});
