import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run, bufferIo } from '../src/index.js';
import { copyExampleMesh } from '@meshkit/testing';

const NOW = '2026-11-02T00:00:00Z';
const CONTRACT = 'domains/sales/products/orders/contract.odcs.yaml';

/** The example mesh with one more object-level quality rule in the orders contract, on line 31. */
function withRule(lines: string[]): string {
  const root = copyExampleMesh({ prefix: 'mesh-quality-sql-' });
  const file = join(root, CONTRACT);
  const text = readFileSync(file, 'utf8').replace(
    '    quality:\n      - id: orders_not_empty\n',
    `    quality:\n${lines.map((l) => `      ${l}\n`).join('')}      - id: orders_not_empty\n`,
  );
  writeFileSync(file, text);
  return root;
}

test('mesh run: a multi-statement type: sql rule is exit 1, one line naming the rule at its line, no stack trace, nothing written', async () => {
  const root = withRule([
    '- id: sneaky',
    '  type: sql',
    '  query: "SELECT 0; COPY (SELECT 1) TO \'owned.csv\'"',
    '  mustBe: 0',
  ]);
  const io = bufferIo(root);
  assert.equal(await run(['run', 'sales/orders', '--now', NOW], io), 1);
  assert.match(
    io.err.trim(),
    new RegExp(
      `^mesh: ${CONTRACT.replace(/\./g, '\\.')}:31:\\d+: quality rule sneaky \\(type: sql\\) of ${CONTRACT.replace(/\./g, '\\.')} must be one SELECT query: it holds 2 statements`,
    ),
  );
  assert.ok(!/\n\s+at /.test(io.err), io.err);
  assert.ok(!existsSync(join(root, 'owned.csv')) && !existsSync(join(root, '.mesh/runs/sales/orders')));
});

test('mesh run: a type: sql rule failing at run time is exit 1 naming the rule and its line', async () => {
  const root = withRule(['- id: cast_fails', '  type: sql', "  query: SELECT CAST('abc' AS INTEGER)", '  mustBe: 0']);
  const io = bufferIo(root);
  assert.equal(await run(['run', 'sales/orders', '--now', NOW], io), 1);
  assert.match(
    io.err,
    /contract\.odcs\.yaml:31:\d+: quality rule cast_fails \(type: sql\) .*failed to run: Conversion Error/,
  );
  assert.ok(!/\n\s+at /.test(io.err), io.err);
});

test('mesh contract lint: the same rule is the lint error CONTRACT-QUALITY-DQDL at its line', async () => {
  const root = withRule(['- id: sneaky', '  type: sql', '  query: "SELECT 0; SELECT 1"', '  mustBe: 0']);
  const io = bufferIo(root);
  assert.equal(await run(['contract', 'lint', CONTRACT], io), 1);
  assert.match(
    io.out + io.err,
    /contract\.odcs\.yaml:31:\d+.*CONTRACT-QUALITY-DQDL|CONTRACT-QUALITY-DQDL[\s\S]*31:\d+/,
  );
});
