// mesh fleet: the platform team's view across every domain and product (the fleet of fleet-mesh.ts).
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { run, bufferIo } from '../src/index.js';
import { fleetMesh } from './fleet-mesh.js';

async function mesh(args: string[], cwd: string) {
  const io = bufferIo(cwd);
  const code = await run(args, io);
  return { code, out: io.out, err: io.err };
}

describe('mesh fleet', () => {
  let dir: string;
  before(async () => {
    dir = await fleetMesh();
  });

  test('json: standing, enforcement dates, suppressions with days left, template lag, pack versions, published version, consumers', async () => {
    const r = await mesh(['fleet', '--format', 'json', '--now', '2030-05-10'], dir);
    assert.equal(r.code, 0, r.err);
    const f = JSON.parse(r.out);
    assert.equal(f.format, 'meshkit.fleet/v1');
    assert.deepEqual(
      f.packs.map((p: { name: string; version: string }) => `${p.name} ${p.version}`),
      ['@meshkit/core 0.1.0', '@example/policies 2.1.0'],
    );
    const sales = f.domains.find((d: { name: string }) => d.name === 'sales');
    assert.deepEqual(
      sales.foundation.warnings.map((w: { rule: string; pack: string; packVersion: string; enforceFrom: string }) => [
        w.rule,
        w.pack,
        w.packVersion,
        w.enforceFrom,
      ]),
      [['ACME-ENC-KMS-ROTATION-180', '@example/policies', '2.1.0', '2030-06-01']],
    );
    const orders = sales.products.find((p: { ref: string }) => p.ref === 'sales/orders');
    assert.equal(orders.publishedVersion, '1.1.0');
    assert.deepEqual(orders.consumers, ['marketing/campaign-performance']);
    assert.deepEqual(
      orders.standing.suppressions.map((x: { rule: string; expires: string; daysLeft: number; expired: boolean }) => [
        x.rule,
        x.expires,
        x.daysLeft,
        x.expired,
      ]),
      [['MESH-ENC-SNS', '2030-05-20', 10, false]],
    );
    const refunds = sales.products.find((p: { ref: string }) => p.ref === 'sales/refunds');
    assert.deepEqual([refunds.templateVersion, refunds.behind, refunds.publishedVersion], ['0.0.9', true, undefined]);
    assert.equal(f.templateLatest, '0.1.0');
    assert.equal(f.summary.behindTemplate, 1);
    assert.equal(f.summary.violations, 0);
    assert.ok(f.summary.warnings >= 2, 'every foundation key and the platform key');
    assert.equal(f.summary.enforcedWithin30Days, f.summary.warnings);
    assert.equal(f.summary.expiringWithin30Days, 1);
  });

  test('text: one line per domain and product, each warning with its date; enforcement day previewed with --now fails', async () => {
    const r = await mesh(['fleet', '--now', '2030-05-10'], dir);
    assert.equal(r.code, 0, r.err);
    assert.match(
      r.out,
      /^fleet at 2030-05-10: template 0\.1\.0; packs @meshkit\/core 0\.1\.0, @example\/policies 2\.1\.0$/m,
    );
    assert.match(
      r.out,
      /^sales \(foundation, team-sales\): 0 violation\(s\), 1 warning\(s\), 0 suppression\(s\); template no provenance$/m,
    );
    assert.match(
      r.out,
      /^ {2}warning ACME-ENC-KMS-ROTATION-180 \(@example\/policies 2\.1\.0\) mesh-sales-foundation\/Foundation\/Key\/Resource: rotation period above 180 days \(an error from 2030-06-01\)$/m,
    );
    assert.match(
      r.out,
      /^ {2}sales\/refunds \(team-sales, internal\): .*; template 0\.0\.9 \(behind 0\.1\.0\); contract 1\.0\.0, published never; consumers none$/m,
    );
    assert.match(
      r.out,
      /^ {4}suppressed MESH-ENC-SNS mesh-sales-orders\/Notices until 2030-05-20 \(10 day\(s\) left\): public notices only/m,
    );
    const day = await mesh(['fleet', '--now', '2030-06-01'], dir);
    assert.equal(day.code, 1);
    assert.match(
      day.out,
      /^ {2}error {3}ACME-ENC-KMS-ROTATION-180 \(@example\/policies 2\.1\.0\) mesh-sales-foundation/m,
    );
    assert.match(day.out, /suppressed MESH-ENC-SNS .* \(EXPIRED\)/);
  });

  test("html: the catalog site's fleet page; catalog export --fleet writes it beside the JSON", async () => {
    const r = await mesh(['fleet', '--format', 'html', '--now', '2030-05-10'], dir);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^<!doctype html>/);
    assert.match(r.out, /<title>Meshkit fleet<\/title>/);
    assert.match(
      r.out,
      /<tr class="product" data-product="sales\/orders"><th scope="row"><a href="products\/sales\/orders.html">sales\/orders<\/a>/,
    );
    const out = join(dir, 'site');
    const e = await mesh(['catalog', 'export', '--html', out, '--fleet', '--format', 'json'], dir);
    assert.equal(e.code, 0, e.err);
    assert.ok(JSON.parse(e.out).files.includes('fleet.html'));
    assert.equal(JSON.parse(readFileSync(join(out, 'api', 'fleet.json'), 'utf8')).format, 'meshkit.fleet/v1');
  });
});
