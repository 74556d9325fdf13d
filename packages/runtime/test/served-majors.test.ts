import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyExampleMesh } from '@meshkit/testing';
import { MeshError } from '@meshkit/contracts';
import { loadServedMajors, runProduct, formatRunSummary } from '../src/index.js';
import { readParquet } from './helpers.js';
import { COMPAT_SQL, moveOrdersToV2, ORDERS } from './served-majors-fixture.js';

const NOW = new Date('2026-11-02T00:00:00Z');
const CAMPAIGNS = (root: string) => join(root, 'domains/marketing/products/campaign-performance');

async function rejects(p: Promise<unknown>): Promise<MeshError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof MeshError, `expected a MeshError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected the run to fail');
}

test('a product without served majors keeps its layout: no v<N>/ folder, no servedMajors in the report', async () => {
  const root = copyExampleMesh({ prefix: 'meshkit-run-demo-' });
  const r = await runProduct({ productDir: ORDERS(root), now: NOW });
  assert.equal(r.servedMajors, undefined);
  assert.deepEqual(
    ['curated', 'quarantine', 'run-report.json', 'openlineage.json'].map((f) => existsSync(join(r.paths.dir, f))),
    [true, true, true, true],
  );
  assert.equal(existsSync(join(r.paths.dir, 'v1')), false);
});

test('mesh run of a product serving major 1 writes both majors, each checked against its own contract', async () => {
  const root = copyExampleMesh({ prefix: 'meshkit-run-demo-' });
  moveOrdersToV2(root);
  const r = await runProduct({ productDir: ORDERS(root), now: NOW });
  assert.equal(r.status, 'passed');
  assert.equal(r.contract.version, '2.0.0');
  const v1 = r.servedMajors?.[0];
  assert.ok(v1);
  assert.equal(v1.major, 1);
  assert.equal(v1.contract.version, '1.1.0');
  assert.equal(v1.status, 'passed');
  assert.equal(v1.compatibilitySql, 'domains/sales/products/orders/majors/v1/compat.sql');
  // The old major carries every row of the current output, checked by the old contract's rules.
  assert.equal(v1.rowsIn, r.rowsOut);
  assert.equal(v1.rowsOut, r.rowsOut);
  assert.equal(v1.rowsQuarantined, 0);
  assert.ok(
    v1.rules.some((x) => x.id === 'orders_unique_ids' && x.outcome === 'passed'),
    'the v1 dataset rule ran',
  );
  assert.ok(
    v1.rules.some((x) => x.id.startsWith('amount') && x.level === 'row'),
    'the v1 row rules on amount ran',
  );
  assert.equal(v1.paths.curated, join(root, '.mesh/runs/sales/orders/v1/curated'));
  // Current output: amount_cents (bigint); v1 output: amount (decimal) = cents / 100, partitioned like v1.
  const current = await readParquet(join(r.paths.curated, '**/*.parquet'), 'ORDER BY order_id');
  const old = await readParquet(join(v1.paths.curated, '**/*.parquet'), 'ORDER BY order_id');
  assert.equal(old.length, current.length);
  assert.ok(!('amount' in current[0]!) && 'amount_cents' in current[0]!);
  assert.ok(!('amount_cents' in old[0]!) && 'amount' in old[0]!);
  for (const [i, row] of old.entries())
    assert.equal(Math.round(Number(row.amount) * 100), Number(current[i]!.amount_cents));
  assert.deepEqual(
    old.map((x) => x.order_id),
    current.map((x) => x.order_id),
  );
  assert.ok(
    existsSync(join(v1.paths.curated, `order_date=${String(old[0].order_date)}`)),
    'v1 partitioned by its partition key',
  );
  assert.ok(existsSync(v1.paths.quarantine));
  const stored = JSON.parse(readFileSync(r.paths.report, 'utf8')) as typeof r;
  assert.equal(stored.servedMajors?.[0]?.rowsOut, v1.rowsOut);
  assert.match(
    formatRunSummary(r),
    /major v1 {2}PASSED \(contract 1\.1\.0 via domains\/sales\/products\/orders\/majors\/v1\/compat\.sql\)/,
  );
});

test('a compat.sql that drops a required column fails the run naming majors/v1/compat.sql; the last good output stays', async () => {
  const root = copyExampleMesh({ prefix: 'meshkit-run-demo-' });
  moveOrdersToV2(root);
  const good = await runProduct({ productDir: ORDERS(root), now: NOW });
  writeFileSync(
    join(ORDERS(root), 'majors/v1/compat.sql'),
    COMPAT_SQL.replace('  amount_cents / 100.0 AS amount,\n', ''),
  );
  const e = await rejects(runProduct({ productDir: ORDERS(root), now: NOW }));
  assert.equal(e.code, 'NONCONFORMING_OUTPUT');
  assert.equal(e.exitCode, 1);
  assert.equal(e.file, 'domains/sales/products/orders/majors/v1/compat.sql');
  assert.match(
    e.message,
    /the output of majors\/v1\/compat\.sql does not match schema object 'orders' of domains\/sales\/products\/orders\/majors\/v1\/contract\.odcs\.yaml: missing column\(s\) amount/,
  );
  // Nothing half-written: the previous run (both majors) is still the output.
  assert.equal(JSON.parse(readFileSync(good.paths.report, 'utf8')).runId, good.runId);
  assert.ok(existsSync(join(good.paths.dir, 'v1', 'curated')));
});

test('a compat.sql giving a column a type that never casts fails the run (exit 1) naming the column', async () => {
  const root = copyExampleMesh({ prefix: 'meshkit-run-demo-' });
  moveOrdersToV2(root, COMPAT_SQL.replace('amount_cents / 100.0 AS amount', 'order_date AS amount'));
  const e = await rejects(runProduct({ productDir: ORDERS(root), now: NOW }));
  assert.equal(e.code, 'NONCONFORMING_OUTPUT');
  assert.equal(e.exitCode, 1);
  assert.match(e.message, /majors\/v1\/compat\.sql.*type\(s\) not castable amount \(DATE → DECIMAL\(12,2\)\)/);
  assert.equal(existsSync(join(root, '.mesh/runs/sales/orders')), false, 'no output written');
});

test('compat.sql goes through the portable-SQL checker and DuckDB errors point into it (file:line:col)', async () => {
  const root = copyExampleMesh({ prefix: 'meshkit-run-demo-' });
  moveOrdersToV2(root, COMPAT_SQL.replace('  status,\n', "  status,\n  strftime(order_date, '%Y') AS y,\n"));
  const e = await rejects(runProduct({ productDir: ORDERS(root), now: NOW }));
  assert.equal(e.code, 'UNPORTABLE_SQL');
  assert.equal(e.file, 'domains/sales/products/orders/majors/v1/compat.sql');
  assert.equal(e.line, 7);
  assert.equal(e.column, 3);

  writeFileSync(join(ORDERS(root), 'majors/v1/compat.sql'), COMPAT_SQL.replace('  status,\n', '  statuss,\n'));
  const sqlError = await rejects(runProduct({ productDir: ORDERS(root), now: NOW }));
  assert.equal(sqlError.code, 'TRANSFORM_SQL');
  assert.match(sqlError.message, /^SQL error in majors\/v1\/compat\.sql: /);
  assert.equal(sqlError.file, 'domains/sales/products/orders/majors/v1/compat.sql');
  assert.equal(sqlError.line, 6);
});

test('rows of the current output the old contract refuses are quarantined in v1/ with the old rule ids', async () => {
  const root = copyExampleMesh({ prefix: 'meshkit-run-demo-' });
  moveOrdersToV2(
    root,
    COMPAT_SQL.replace('  status,\n', "  CASE WHEN channel = 'web' THEN 'LOST' ELSE status END AS status,\n"),
  );
  const r = await runProduct({ productDir: ORDERS(root), now: NOW });
  const v1 = r.servedMajors![0]!;
  assert.ok(v1.rowsQuarantined > 0);
  assert.equal(v1.rowsIn, v1.rowsOut + v1.rowsQuarantined);
  assert.equal(v1.rowsIn, r.rowsOut);
  const q = await readParquet(v1.paths.quarantine);
  assert.equal(q.length, v1.rowsQuarantined);
  assert.deepEqual(q[0]!.failed_rules, ['status_values']);
});

test('a served major whose frozen contract is not of that major is refused at its product.yaml line', async () => {
  const root = copyExampleMesh({ prefix: 'meshkit-run-demo-' });
  moveOrdersToV2(root);
  const yaml = readFileSync(join(ORDERS(root), 'product.yaml'), 'utf8');
  writeFileSync(join(ORDERS(root), 'product.yaml'), yaml.replace('  - major: 1\n', '  - major: 0\n'));
  const e = await rejects(runProduct({ productDir: ORDERS(root), now: NOW }));
  assert.equal(e.code, 'INVALID_CONFIG');
  assert.equal(e.exitCode, 2);
  assert.equal(e.file, 'domains/sales/products/orders/product.yaml');
  assert.equal(e.line, yaml.split('\n').indexOf('  - major: 1') + 1);
  assert.match(e.message, /majors\/v1\/contract\.odcs\.yaml is version 1\.1\.0, not a 0\.x version/);
  assert.throws(
    () =>
      loadServedMajors(root, ORDERS(root), {
        servedMajors: [{ major: 1, contract: 'nope.yaml', compatibilitySql: 'majors/v1/compat.sql' }],
      } as never),
    (x: MeshError) => x.code === 'INPUT_NOT_FOUND' && /nope\.yaml/.test(x.message),
  );
});

test("a consumer whose range only an older major satisfies reads that major's output (^1.1.0 → v1)", async () => {
  const root = copyExampleMesh({ prefix: 'meshkit-run-demo-' });
  moveOrdersToV2(root);
  // No run of sales/orders: the producer runs on its fixtures; the consumer reads its v1 output.
  const before = await runProduct({ productDir: CAMPAIGNS(root), now: NOW });
  assert.equal(before.status, 'passed');
  assert.equal(before.consumed[0]!.servedMajor, 1);
  assert.equal(before.consumed[0]!.contractVersion, '1.1.0');
  assert.equal(before.consumed[0]!.source, 'fixtures');
  const orders = await runProduct({ productDir: ORDERS(root), now: NOW });
  const after = await runProduct({ productDir: CAMPAIGNS(root), now: NOW });
  assert.equal(after.consumed[0]!.source, 'run');
  assert.equal(after.consumed[0]!.path, join(root, '.mesh/runs/sales/orders/v1/curated'));
  assert.equal(after.consumed[0]!.rows, orders.servedMajors![0]!.rowsOut);
  const rows = await readParquet(join(after.paths.curated, '**/*.parquet'), 'ORDER BY campaign_id');
  assert.ok(
    rows.some((x) => Number(x.revenue) > 0),
    'revenue summed from v1 amount',
  );
  // The same revenue as before the new major: v1 is the old output, rebuilt.
  const plain = copyExampleMesh({ prefix: 'meshkit-run-demo-' });
  await runProduct({ productDir: ORDERS(plain), now: NOW });
  const reference = await runProduct({ productDir: CAMPAIGNS(plain), now: NOW });
  assert.deepEqual(rows, await readParquet(join(reference.paths.curated, '**/*.parquet'), 'ORDER BY campaign_id'));

  // A range no served major satisfies is refused, listing what is served.
  const p = join(CAMPAIGNS(root), 'product.yaml');
  writeFileSync(p, readFileSync(p, 'utf8').replace('^1.1.0', '^3.0.0'));
  const e = await rejects(runProduct({ productDir: CAMPAIGNS(root), now: NOW }));
  assert.match(
    e.message,
    /consumes sales\/orders \^3\.0\.0, but no major it serves satisfies that range \(served: 2\.0\.0, 1\.1\.0\)/,
  );
});
