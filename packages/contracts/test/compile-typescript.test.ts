import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { toTypeScript, recordTypeName } from '../src/compile/index.js';
import { contractWith, ordersContract } from './compile-fixture.js';
import { fileURLToPath } from 'node:url';

test('interface names', () => {
  assert.equal(recordTypeName('orders'), 'OrdersRecord');
  assert.equal(recordTypeName('order_lines'), 'OrderLinesRecord');
  assert.equal(recordTypeName('Air_Quality'), 'AirQualityRecord');
  assert.equal(recordTypeName('2fa-codes'), 'T2faCodesRecord');
});

test('fragments: optional + null, literal unions, nested objects, arrays, TSDoc', () => {
  const ts = toTypeScript(ordersContract());
  assert.match(ts, /\/\*\* One row per order line\. \*\/\nexport interface OrdersRecord \{/);
  assert.match(ts, / {2}\/\*\* Order identifier\. \*\/\n {2}order_id: string;/);
  assert.match(ts, /\n {2}line_no: number;/);
  assert.match(ts, /\n {2}status: "NEW" \| "PAID" \| "SHIPPED";/);
  assert.match(ts, /\n {2}amount\?: number \| null;/);
  assert.match(ts, /\n {2}updated_at: string;/);
  assert.match(ts, /\n {2}tags\?: string\[\] \| null;/);
  assert.match(ts, /\n {2}customer\?: \{\n {4}id: string;\n {4}zip: string;\n {2}\} \| null;/);
  assert.match(ts, /\*\\\/ comment ends/, 'a */ inside a description cannot close the comment');
});

test('all objects without --object; one with it; odd names quoted', () => {
  const c = contractWith([
    { name: 'a', properties: [{ name: 'my-field', logicalType: 'integer', required: true }] },
    { name: 'b', properties: [] },
  ]);
  const all = toTypeScript(c);
  assert.match(all, /export interface ARecord \{\n {2}"my-field": number;\n\}/);
  assert.match(all, /export interface BRecord \{\}/);
  const one = toTypeScript(c, { object: 'b' });
  assert.ok(!one.includes('ARecord'));
});

test('the generated source compiles with tsc --strict', () => {
  const dir = mkdtempSync(join(tmpdir(), 'meshkit-ts-'));
  try {
    const file = join(dir, 'orders.ts');
    writeFileSync(
      file,
      toTypeScript(ordersContract()) +
        `\nconst ok: OrdersRecord = { order_id: 'ORD-1', line_no: 1, status: 'PAID', updated_at: '2024-01-01T00:00:00Z', customer: { id: 'c', zip: '1' } };\n` +
        `// @ts-expect-error status outside the allowed values\nconst bad: OrdersRecord = { ...ok, status: 'LOST' };\nexport { ok, bad };\n`,
    );
    const tsc = fileURLToPath(new URL('../../../node_modules/.bin/tsc', import.meta.url));
    execFileSync(tsc, ['--noEmit', '--strict', '--target', 'es2022', '--module', 'nodenext', 'orders.ts'], {
      cwd: dir,
      stdio: 'pipe',
    });
  } catch (e) {
    const err = e as { stdout?: Buffer; message: string };
    assert.fail(`tsc failed: ${err.stdout?.toString() ?? err.message}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
