// The example products run clean out of the box, any day: their fixtures carry a pinned clock
// (fixtures.now in product.yaml), so freshness rules never age them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../bin/mesh.js', import.meta.url));
const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const DEMO = fileURLToPath(new URL('../demo/mesh/', import.meta.url));
const PRODUCTS = ['sales/orders', 'sales/clickstream', 'marketing/campaign-performance'];

for (const [where, cwd] of [
  ['domains/', REPO],
  ['packages/cli/demo/mesh', DEMO],
] as const) {
  test(`mesh run of every example product in ${where} passes without --now`, () => {
    const out = mkdtempSync(join(tmpdir(), 'mesh-examples-'));
    for (const p of PRODUCTS) {
      const r = spawnSync(process.execPath, [BIN, 'run', p, '--out', join(out, p), '--format', 'json'], {
        cwd,
        encoding: 'utf8',
      });
      assert.equal(r.status, 0, `${p}: ${r.stderr}${r.stdout.slice(0, 400)}`);
      const report = JSON.parse(r.stdout);
      assert.equal(report.status, 'passed', p);
      assert.equal(report.clock, 'fixtures', `${p} has fixtures.now in product.yaml`);
    }
  });
}
