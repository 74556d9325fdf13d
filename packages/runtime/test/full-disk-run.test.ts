// A run onto a full disk: exit 2, nothing published, the last good output intact (a small tmpfs, when it can be mounted).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMeshError } from '@meshkit/contracts';
import { runProduct } from '../src/index.js';
import { contract, tempProduct } from './helpers.js';

test('mesh run onto a full disk: OUTPUT_UNWRITABLE exit 2, nothing published, the last good output kept', async (t) => {
  const mnt = mkdtempSync(join(tmpdir(), 'meshkit-run-tmpfs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', mnt], { stdio: 'ignore' });
  } catch {
    if (process.env.CI === 'true' && process.getuid?.() === 0) assert.fail('cannot mount a tmpfs as root in CI');
    t.skip('cannot mount a tmpfs here (needs root)');
    return;
  }
  try {
    const rows = Array.from({ length: 50 }, (_, i) => `${i},${i}.50,2026-11-01`).join('\n');
    const { root, productDir } = tempProduct({
      contract: contract(
        `    properties:\n      - { name: id, logicalType: integer }\n      - { name: amount, logicalType: number, physicalType: 'decimal(12,2)' }\n      - { name: day, logicalType: date }\n`,
      ),
      transform: 'SELECT id, amount, day FROM raw\n',
      fixtures: { 'raw.csv': `id,amount,day\n${rows}\n` },
    });
    const out = join(mnt, 'items');
    const good = await runProduct({ productDir, root, out });
    assert.equal(good.status, 'passed');
    const report = readFileSync(join(out, 'run-report.json'), 'utf8');
    let i = 0;
    try {
      for (;;) writeFileSync(join(mnt, `fill-${i++}`), Buffer.alloc(4096));
    } catch {
      /* full */
    }
    let error: unknown;
    try {
      await runProduct({ productDir, root, out });
    } catch (e) {
      error = e;
    }
    assert.ok(isMeshError(error), `a MeshError, got ${String(error)}`);
    assert.equal(error.code, 'OUTPUT_UNWRITABLE');
    assert.equal(error.exitCode, 2);
    assert.match(error.message, /nothing was published, the last good output was kept/);
    assert.equal(readFileSync(join(out, 'run-report.json'), 'utf8'), report, 'the last good output is intact');
    assert.deepEqual(
      readdirSync(mnt).filter((n) => n.startsWith('items.')),
      [],
      'no temporary output left',
    );
  } finally {
    execFileSync('umount', [mnt]);
  }
});
