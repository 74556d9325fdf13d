// The example products run clean out of the box, any day: their fixtures carry a pinned clock
// (fixtures.now in product.yaml), so freshness rules never age them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXAMPLE_MESH } from '@meshkit/testing';

const BIN = fileURLToPath(new URL('../bin/mesh.js', import.meta.url));
const PRODUCTS = ['sales/orders', 'sales/clickstream', 'marketing/campaign-performance'];

test('mesh run of every product of the example mesh passes without --now', () => {
  const out = mkdtempSync(join(tmpdir(), 'mesh-examples-'));
  for (const p of PRODUCTS) {
    const r = spawnSync(process.execPath, [BIN, 'run', p, '--out', join(out, p), '--format', 'json'], {
      cwd: EXAMPLE_MESH,
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, `${p}: ${r.stderr}${r.stdout.slice(0, 400)}`);
    const report = JSON.parse(r.stdout);
    assert.equal(report.status, 'passed', p);
    assert.equal(report.clock, 'fixtures', `${p} has fixtures.now in product.yaml`);
  }
});
