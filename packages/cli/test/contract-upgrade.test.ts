// mesh contract upgrade, unsupported apiVersions and the SQL export of contracts written elsewhere.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bufferIo, run } from '../src/index.js';

const CORPUS = fileURLToPath(new URL('../../contracts/test/fixtures/corpus/', import.meta.url));

async function mesh(args: string[], cwd: string) {
  const io = bufferIo(cwd);
  const code = await run(args, io);
  return { code, out: io.out, err: io.err };
}

function workdir(file = 'v300-postgres-orders.odcs.yaml'): string {
  const dir = mkdtempSync(join(tmpdir(), 'mesh-upgrade-'));
  copyFileSync(CORPUS + file, join(dir, 'c.odcs.yaml'));
  return dir;
}

describe('mesh contract upgrade', () => {
  test('rewrites v3.0.0 as v3.1.0 in place, lists each rewrite, then has nothing to do', async () => {
    const dir = workdir();
    const before = readFileSync(join(dir, 'c.odcs.yaml'), 'utf8');
    const r = await mesh(['contract', 'upgrade', 'c.odcs.yaml'], dir);
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /^c\.odcs\.yaml:2:13 apiVersion: v3\.0\.0 → v3\.1\.0$/m);
    assert.match(r.err, /^c\.odcs\.yaml:90:13 rule: nullCheck → metric: nullValues/m);
    assert.match(r.err, /upgraded ODCS v3\.0\.0 → v3\.1\.0 \(12 rewrites; no semantic change\)/);
    const after = readFileSync(join(dir, 'c.odcs.yaml'), 'utf8');
    assert.notEqual(after, before);
    assert.match(after, /^# An orders table as a PostgreSQL shop would describe it in ODCS v3\.0\.0\.$/m);
    const again = await mesh(['contract', 'upgrade', 'c.odcs.yaml'], dir);
    assert.equal(again.code, 0);
    assert.match(again.err, /already ODCS v3\.1\.0, nothing to upgrade/);
    assert.equal(readFileSync(join(dir, 'c.odcs.yaml'), 'utf8'), after);
    // The upgraded file diffs as no change against the original.
    writeFileSync(join(dir, 'old.odcs.yaml'), before);
    const diff = await mesh(['contract', 'diff', 'old.odcs.yaml', 'c.odcs.yaml', '--format', 'json'], dir);
    assert.equal(diff.code, 0, diff.out + diff.err);
    assert.deepEqual(JSON.parse(diff.out), { compatible: true, mode: 'FULL', requiredBump: 'none', changes: [] });
  });

  test('--dry-run prints and writes nothing; --out writes elsewhere', async () => {
    const dir = workdir('v301-kafka-events.odcs.yaml');
    const before = readFileSync(join(dir, 'c.odcs.yaml'), 'utf8');
    const r = await mesh(['contract', 'upgrade', 'c.odcs.yaml', '--dry-run'], dir);
    assert.equal(r.code, 0);
    assert.match(r.out, /^apiVersion: v3\.1\.0$/m);
    assert.equal(readFileSync(join(dir, 'c.odcs.yaml'), 'utf8'), before);
    const o = await mesh(['contract', 'upgrade', 'c.odcs.yaml', '-o', 'new.odcs.yaml'], dir);
    assert.equal(o.code, 0);
    assert.equal(readFileSync(join(dir, 'new.odcs.yaml'), 'utf8'), r.out);
  });

  test('a construct without a v3.1.0 equivalent: exit 1, positioned, nothing written', async () => {
    const dir = workdir();
    const text = readFileSync(join(dir, 'c.odcs.yaml'), 'utf8').replace(
      'rule: rowCount\n        mustBeGreaterThan: 0',
      'rule: countCheck',
    );
    writeFileSync(join(dir, 'c.odcs.yaml'), text);
    const r = await mesh(['contract', 'upgrade', 'c.odcs.yaml'], dir);
    assert.equal(r.code, 1);
    assert.match(r.err, /c\.odcs\.yaml:24:15 error ODCS-UPGRADE quality rule 'countCheck'/);
    assert.equal(readFileSync(join(dir, 'c.odcs.yaml'), 'utf8'), text);
  });
});

describe('unsupported apiVersion: one line naming the supported versions, exit 2', () => {
  for (const [version, extra] of [
    [
      'v2.2.2',
      /ODCS v2 contracts must be converted to v3 by hand \(mesh contract upgrade only upgrades v3\.0\.x to v3\.1\.0\)/,
    ],
    ['v4.0.0', /^/],
  ] as const) {
    test(version, async () => {
      const dir = workdir();
      const p = join(dir, 'c.odcs.yaml');
      writeFileSync(p, readFileSync(p, 'utf8').replace('apiVersion: v3.0.0', `apiVersion: ${version}`));
      for (const cmd of [
        ['contract', 'lint', 'c.odcs.yaml'],
        ['contract', 'export', 'c.odcs.yaml', '--to', 'glue'],
        ['contract', 'upgrade', 'c.odcs.yaml'],
      ]) {
        const r = await mesh(cmd, dir);
        assert.equal(r.code, 2, cmd.join(' '));
        // The error is one line (lint adds its usual `1 error, 0 warnings` summary below it).
        const text = (r.out + r.err)
          .trim()
          .split('\n')
          .filter((l) => !/^\d+ errors?, \d+ warnings?$/.test(l))
          .join('\n');
        assert.equal(text.split('\n').length, 1, `${cmd.join(' ')}: ${text}`);
        assert.match(
          text,
          new RegExp(
            `c\\.odcs\\.yaml:2:13.*unsupported apiVersion "${version}": Meshkit reads ODCS v3\\.1\\.0, v3\\.0\\.2, v3\\.0\\.1, v3\\.0\\.0`,
          ),
        );
        assert.match(text, extra);
        assert.doesNotMatch(text, /\n\s+at /);
      }
    });
  }
});

describe('mesh contract export --to sql', () => {
  test('a table starting with a digit is quoted everywhere; binary lengths count bytes', async () => {
    const dir = workdir();
    const r = await mesh(['contract', 'export', 'c.odcs.yaml', '--to', 'sql'], dir);
    assert.equal(r.code, 0, r.err);
    const out = JSON.parse(r.out) as {
      createTable: string;
      rowPredicates: Array<{ id: string; sql: string }>;
      datasetChecks: Array<{ sql: string }>;
    };
    assert.match(
      out.createTable,
      /^CREATE TABLE "2024_orders" \(\n {2}"order_id" BIGINT,\n {2}"created_at" TIMESTAMP,\n {2}"paid_at" TIMESTAMPTZ,/,
    );
    for (const d of out.datasetChecks) assert.doesNotMatch(d.sql, /FROM 2024_orders/);
    assert.ok(out.datasetChecks.some((d) => d.sql.includes('FROM "2024_orders"')));
    assert.match(out.rowPredicates.find((p) => p.id === 'receipt_pdf.length')!.sql, /octet_length\("receipt_pdf"\)/);
  });
});
