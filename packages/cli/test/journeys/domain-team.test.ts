// Golden journey of a domain team: new domain → new products (batch, stream) → edit contract and
// fixtures → run → synth → verify → publish → catalog export, every step through the built CLI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freshRepo } from './journey-helpers.js';

test('journey: a domain team builds, runs, synthesizes, verifies and publishes its products', () => {
  const { root, mesh, edit, commit } = freshRepo('journey-domain-team-');
  mesh(['new', 'domain', 'sales', '--yes'], { code: 0 });
  mesh(['new', 'product', 'sales/orders', '--yes'], { code: 0 });
  mesh(['new', 'product', 'sales/clicks', '--ingestion', 'stream', '--yes'], { code: 0 });
  const orders = 'domains/sales/products/orders';
  assert.match(
    readFileSync(join(root, orders, 'product.yaml'), 'utf8'),
    /^fixtures:\n {2}now: "/m,
    "the generator pins the fixtures' clock",
  );

  // The team's edit: a channel column in the contract, the fixtures (with one value that does not cast) and the transform.
  edit(`${orders}/contract.odcs.yaml`, (t) =>
    t.replace(
      '      - id: record_date_prop\n',
      `      - id: channel_prop
        name: channel
        logicalType: string
        description: Sales channel of the record.
        classification: internal
        examples: [web]
      - id: record_date_prop
`,
    ),
  );
  edit(
    `${orders}/fixtures/raw.csv`,
    (t) =>
      t
        .trim()
        .split('\n')
        .map((l, i) => (i === 0 ? 'record_id,amount,status,record_date,channel' : `${l},${i % 2 ? 'web' : 'app'}`))
        .join('\n') + '\nr-0005,n/a,NEW,2026-11-01,web\n',
  );
  edit(`${orders}/transform.sql`, (t) =>
    t.replace('  CAST(record_date AS DATE) AS record_date', '  CAST(record_date AS DATE) AS record_date,\n  channel'),
  );

  const run = mesh(['run', 'sales/orders'], {
    code: 0,
    match: [
      /sales\/orders \(contract \S+ \S+\): PASSED/,
      /5 row\(s\) read, 1 malformed → quarantine/,
      /clock .*fixtures\.now of product\.yaml/,
      /rows {6}4 in = 4 out \+ 0 quarantined/,
    ],
  });
  const report = JSON.parse(readFileSync(join(root, '.mesh/runs/sales/orders/run-report.json'), 'utf8'));
  assert.equal(report.clock, 'fixtures', run.out);
  mesh(['run', 'sales/clicks'], { code: 0, match: [/sales\/clicks \(contract \S+ \S+\): PASSED/] });
  // A real input is judged by the real clock: the fixtures' days are long past their 24 h freshness.
  mesh(['run', 'sales/orders', '--input', `${orders}/fixtures/raw.csv`, '--out', '.mesh/real'], {
    code: 1,
    match: [/FAIL record_date\.freshness/],
  });

  mesh(['synth'], { code: 0 });
  mesh(['verify'], { code: 0 });

  // Publishing is refused from an uncommitted tree, then records the commit.
  mesh(['publish', '--all'], { code: 2, match: [/uncommitted change/, /nothing was published/] });
  commit('sales: orders (batch, with channel) and clicks (stream)');
  mesh(['publish', '--all'], { code: 0, match: [/sales\/orders \S+: published/, /sales\/clicks \S+: published/] });
  mesh(['publish', '--all'], { code: 0, match: [/sales\/orders \S+: unchanged/], noMatch: [/: published/] });
  mesh(['catalog', 'list'], { code: 0, match: [/orders/, /clicks/] });
  mesh(['catalog', 'export', '--html', 'site'], { code: 0 });
  assert.ok(existsSync(join(root, 'site', 'index.html')), 'the catalog site is written');
});
