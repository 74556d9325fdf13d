import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { isMeshError, loadProductManifest } from '@meshkit/contracts';
import { lintProducts, retireMajor } from '../src/index.js';
import { edit, exampleMesh, file, newMajorServingV1, pos, publish } from './helpers.js';

const CP = 'marketing/campaign-performance';

async function sideBySide(): Promise<string> {
  const root = exampleMesh();
  await publish(root, 'sales/orders');
  newMajorServingV1(root);
  return root;
}

test('retiring a major that consumers still depend on is refused and changes nothing', async () => {
  const root = await sideBySide();
  const before = readFileSync(file(root, 'sales/orders', 'product.yaml'), 'utf8');
  const r = await retireMajor(root, 'sales/orders', 1);
  assert.equal(r.outcome, 'refused');
  assert.deepEqual(
    r.dependents.map((d) => [d.consumer, d.range, d.before, d.after]),
    [[CP, '^1.0.0', '1.0.0', null]],
  );
  assert.equal(
    r.dependents[0]?.location?.line,
    pos(root, 'marketing/campaign-performance', 'product.yaml', '- product: sales/orders').line,
  );
  assert.equal(readFileSync(file(root, 'sales/orders', 'product.yaml'), 'utf8'), before);
  assert.ok(existsSync(file(root, 'sales/orders', 'majors/v1/contract.odcs.yaml')));
});

test('retiring is allowed once no consumer depends on the major only: entry removed (comments kept), folder deleted', async () => {
  const root = await sideBySide();
  edit(root, CP, 'product.yaml', (t) => t.replace('version: ^1.0.0', 'version: ">=1.0.0 <3"').replace('amount, ', ''));
  const r = await retireMajor(root, 'sales/orders', 1);
  assert.equal(r.outcome, 'retired');
  assert.deepEqual(r.removed, [file(root, 'sales/orders', 'majors/v1')]);
  const text = readFileSync(file(root, 'sales/orders', 'product.yaml'), 'utf8');
  assert.ok(!text.includes('servedMajors'), text);
  assert.ok(text.startsWith('# Manifest of sales/orders'), 'the header comment is kept');
  assert.ok(text.includes('# Seeded by @meshkit/domain-template'), 'comments are kept');
  assert.equal(loadProductManifest(file(root, 'sales/orders', 'product.yaml')).value.servedMajors.length, 0);
  assert.ok(!existsSync(file(root, 'sales/orders', 'majors/v1')));
  assert.deepEqual(
    (await lintProducts(root)).map((d) => d.rule),
    [],
    'the consumer now resolves to 2.0.0',
  );
});

test('retiring one of two served majors keeps the other entry and its comments', async () => {
  const root = await sideBySide();
  edit(root, 'sales/orders', 'product.yaml', (t) =>
    t.replace(
      'servedMajors:\n',
      'servedMajors:\n  - major: 0 # the very first\n    contract: majors/v0/contract.odcs.yaml\n    compatibilitySql: majors/v0/compat.sql\n',
    ),
  );
  const r = await retireMajor(root, 'sales/orders', 0);
  assert.equal(r.outcome, 'retired');
  const text = readFileSync(file(root, 'sales/orders', 'product.yaml'), 'utf8');
  assert.ok(!text.includes('major: 0'));
  assert.ok(text.includes('  - major: 1 # frozen at 1.0.0'), text);
  assert.ok(text.includes('# Major 1 stays served until its consumers move'), text);
});

test('retiring the current major or a major not served side by side is bad usage', async () => {
  const root = await sideBySide();
  await assert.rejects(
    retireMajor(root, 'sales/orders', 2),
    (e) => isMeshError(e) && e.exitCode === 2 && /is the current major/.test(e.message),
  );
  await assert.rejects(
    retireMajor(root, 'sales/orders', 7),
    (e) =>
      isMeshError(e) && e.exitCode === 2 && /does not serve major 7 side by side \(servedMajors: 1\)/.test(e.message),
  );
});

test('a failure while retiring leaves the product unchanged', async () => {
  const root = await sideBySide();
  edit(root, CP, 'product.yaml', (t) => t.replace('version: ^1.0.0', 'version: ^2.0.0').replace('amount, ', ''));
  const before = readFileSync(file(root, 'sales/orders', 'product.yaml'), 'utf8');
  let moved = false;
  await assert.rejects(
    retireMajor(root, 'sales/orders', 1, {
      beforeCommit: () => {
        moved = !existsSync(file(root, 'sales/orders', 'majors/v1'));
        throw new Error('disk full');
      },
    }),
    (e) => isMeshError(e) && /could not retire sales\/orders@1, nothing changed: disk full/.test(e.message),
  );
  assert.ok(moved, 'the folder was moved aside before the failure');
  assert.equal(readFileSync(file(root, 'sales/orders', 'product.yaml'), 'utf8'), before);
  assert.ok(existsSync(file(root, 'sales/orders', 'majors/v1/compat.sql')));
  assert.deepEqual(
    readdirSync(file(root, 'sales/orders', '.')).filter((f) => f.endsWith('.tmp')),
    [],
    'no temp file left',
  );
  assert.deepEqual(readdirSync(file(root, 'sales/orders', 'majors')), ['v1']);
});
