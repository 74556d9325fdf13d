import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { copyExampleMesh } from '@meshkit/testing';
import { runProduct } from '../src/index.js';
import { readParquet } from './helpers.js';

const NOW = new Date('2026-11-02T00:00:00Z');
const dirOf = (root: string, ref: string) => join(root, 'domains', ref.split('/')[0]!, 'products', ref.split('/')[1]!);

test('a consumed product is read from its latest local run, else computed from its fixtures', async () => {
  const root = copyExampleMesh({ prefix: 'meshkit-run-demo-' });
  // No run of sales/orders yet: its output is computed from its fixtures.
  const before = await runProduct({ productDir: dirOf(root, 'marketing/campaign-performance'), now: NOW });
  assert.equal(before.consumed[0]!.view, 'sales_orders');
  assert.equal(before.consumed[0]!.source, 'fixtures');
  assert.equal(before.consumed[0]!.rows, 30);
  // A local run of sales/orders from another input becomes what the consumer reads.
  const orders = await runProduct({
    productDir: dirOf(root, 'sales/orders'),
    now: NOW,
    input: join(dirOf(root, 'sales/orders'), 'fixtures/raw.csv'),
  });
  assert.equal(orders.status, 'passed');
  const after = await runProduct({ productDir: dirOf(root, 'marketing/campaign-performance'), now: NOW });
  assert.equal(after.consumed[0]!.source, 'run');
  assert.equal(after.consumed[0]!.path, join(root, '.mesh/runs/sales/orders/curated'));
  assert.equal(after.consumed[0]!.rows, orders.rowsOut);
  const rows = await readParquet(join(after.paths.curated, '**/*.parquet'), 'ORDER BY campaign_id');
  const web = rows.find((r) => r.campaign_id === 'cmp-001')!;
  assert.equal(web.channel, 'web');
  assert.ok(Number(web.orders) > 0, 'orders joined from sales_orders');
  assert.deepEqual([after.rowsIn, after.rowsOut, after.rowsQuarantined], [10, 8, 2]);
});
