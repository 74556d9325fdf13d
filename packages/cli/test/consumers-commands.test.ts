// mesh lint, mesh impact, mesh retire: the command functions over temp copies of the example mesh.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { isMeshError } from '@meshkit/contracts';
import { bufferIo } from '../src/io.js';
import { meshImpact } from '../src/commands/impact.js';
import { meshLint } from '../src/commands/lint.js';
import { meshRetire } from '../src/commands/retire.js';
import { dropAmount, edit, exampleMesh, file, newMajorServingV1, publish } from '@meshkit/consumers/test/helpers';

const CP = 'marketing/campaign-performance';

test('mesh impact: a breaking edit exits 1 and the JSON lists the broken consumer', async () => {
  const root = exampleMesh();
  await publish(root, 'sales/orders');
  edit(root, 'sales/orders', 'contract.odcs.yaml', dropAmount);
  const io = bufferIo(root);
  assert.equal(await meshImpact('sales/orders', { format: 'json' }, io), 1);
  const out = JSON.parse(io.out);
  assert.equal(out.ok, false);
  assert.equal(out.breaks, 1);
  assert.deepEqual(
    out.consumers.map((c: { consumer: string; verdict: string }) => [c.consumer, c.verdict]),
    [[CP, 'breaks']],
  );
  assert.deepEqual(
    out.change.changes.map((c: { rule: string; breaking: boolean }) => [c.rule, c.breaking]),
    [['PROPERTY_REMOVED', true]],
  );
  assert.equal(out.baseline.version, '1.0.0');
});

test('mesh impact: no pending change exits 0 with a table', async () => {
  const root = exampleMesh();
  await publish(root, 'sales/orders');
  const io = bufferIo(root);
  assert.equal(await meshImpact('sales/orders', { format: 'text' }, io), 0);
  assert.match(io.out, /^CONSUMER +PATH +RANGE +COLUMNS +RESOLVES +VERDICT +REASON$/m);
  assert.match(io.out, /1 consumer\(s\): 0 break, 0 affected, 1 ok/);
});

test('mesh impact: bad usage is exit 2', async () => {
  const root = exampleMesh();
  const io = bufferIo(root);
  await assert.rejects(meshImpact('sales', { format: 'text' }, io), (e) => isMeshError(e) && e.exitCode === 2);
  await assert.rejects(
    meshImpact('sales/orders', { format: 'text', now: 'yesterday' }, io),
    (e) => isMeshError(e) && e.exitCode === 2 && /--now/.test(e.message),
  );
});

test('mesh lint: clean example mesh, then a deprecation warns (exit 0) until --now passes end of life (exit 1)', async () => {
  const root = exampleMesh();
  let io = bufferIo(root);
  assert.equal(await meshLint(undefined, { format: 'text' }, io), 0, io.out);
  edit(root, 'sales/orders', 'contract.odcs.yaml', (t) =>
    t
      .replace('status: active', 'status: deprecated')
      .replace('    value: FULL\n', '    value: FULL\n  - property: meshkit.endOfLife\n    value: "2027-06-30"\n'),
  );
  io = bufferIo(root);
  assert.equal(await meshLint(undefined, { format: 'text', now: '2027-01-01' }, io), 0);
  assert.match(io.out, /domains\/marketing\/products\/campaign-performance\/product\.yaml:17:14/);
  assert.match(io.out, /PRODUCT-CONSUMES-DEPRECATED/);
  io = bufferIo(root);
  assert.equal(await meshLint(CP, { format: 'json', now: '2027-07-01' }, io), 1);
  const json = JSON.parse(io.out);
  const found = JSON.stringify(json);
  assert.match(found, /past its end of life/);
});

test('mesh lint: contract lint findings of product contracts are included; unknown product is exit 2', async () => {
  const root = exampleMesh();
  edit(root, 'sales/orders', 'contract.odcs.yaml', (t) => t.replace(/^version: .*$/m, 'version: one'));
  const io = bufferIo(root);
  assert.equal(await meshLint(undefined, { format: 'text' }, io), 1);
  assert.match(io.out, /domains\/sales\/products\/orders\/contract\.odcs\.yaml:\d+:\d+/);
  await assert.rejects(
    meshLint('sales/nope', { format: 'text' }, bufferIo(root)),
    (e) => isMeshError(e) && e.exitCode === 2,
  );
});

test('mesh retire: refused with consumers (exit 1, file:line:col), bad usage for the current major (exit 2), then allowed', async () => {
  const root = exampleMesh();
  await publish(root, 'sales/orders');
  newMajorServingV1(root);
  let io = bufferIo(root);
  assert.equal(await meshRetire('sales/orders@1', { format: 'text' }, io), 1);
  assert.match(io.err, /refusing to retire sales\/orders@1/);
  assert.match(
    io.err,
    /domains\/marketing\/products\/campaign-performance\/product\.yaml:16:5: marketing\/campaign-performance consumes sales\/orders \^1\.0\.0/,
  );
  await assert.rejects(
    meshRetire('sales/orders@2', { format: 'text' }, bufferIo(root)),
    (e) => isMeshError(e) && e.exitCode === 2,
  );
  await assert.rejects(
    meshRetire('sales/orders', { format: 'text' }, bufferIo(root)),
    (e) => isMeshError(e) && e.exitCode === 2,
  );
  edit(root, CP, 'product.yaml', (t) => t.replace('version: ^1.0.0', 'version: ^2.0.0').replace('amount, ', ''));
  io = bufferIo(root);
  assert.equal(await meshRetire('sales/orders@1', { format: 'text' }, io), 0);
  assert.match(
    io.out,
    /retired sales\/orders@1: servedMajors entry removed from product\.yaml, domains\/sales\/products\/orders\/majors\/v1 deleted/,
  );
  assert.ok(!existsSync(file(root, 'sales/orders', 'majors/v1')));
});

test('mesh lint: an invalid product.yaml is reported with file:line:col and exit 2', async () => {
  const root = exampleMesh();
  edit(root, CP, 'product.yaml', (t) => t.replace('version: ^1.0.0', 'version: ^1.0.0\n    colour: blue'));
  const io = bufferIo(root);
  assert.equal(await meshLint(undefined, { format: 'text' }, io), 2);
  assert.match(
    io.out,
    /domains\/marketing\/products\/campaign-performance\/product\.yaml:18:5 error INVALID_CONFIG .*colour/,
  );
});
