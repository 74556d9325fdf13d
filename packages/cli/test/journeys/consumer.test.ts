// Golden journey of a consumer and its producer: consumes (range + columns) → producer breaking
// edit → impact (exit 1) → mesh major (after the edit) → the consumer stays on the old major →
// deprecation window → the consumer migrates → retire; every publish succeeds and the catalog's
// lineage is current at every step.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { freshRepo } from './journey-helpers.js';

test('journey: a consumer follows its producer through a new major, a deprecation and a retirement', () => {
  const { mesh, edit, commit, read } = freshRepo('journey-consumer-');
  const orders = 'domains/sales/products/orders';
  const report = 'domains/marketing/products/report';
  mesh(['new', 'domain', 'sales', '--yes'], { code: 0 });
  mesh(['new', 'product', 'sales/orders', '--yes'], { code: 0 });
  mesh(['new', 'domain', 'marketing', '--yes'], { code: 0 });
  mesh(['new', 'product', 'marketing/report', '--yes'], { code: 0 });
  const v1 = /^version: (\S+)$/m.exec(read(`${orders}/contract.odcs.yaml`))![1]!;
  const major1 = v1.split('.')[0]!;
  // The consumer reads record_id, amount, status and record_date of major 1 of sales/orders.
  edit(
    `${report}/product.yaml`,
    (t) =>
      `${t}consumes:\n  - product: sales/orders\n    version: ^${v1}\n    columns: [record_id, amount, status, record_date]\n`,
  );
  edit(`${report}/transform.sql`, (t) =>
    t.replace(/^SELECT[\s\S]*$/m, 'SELECT record_id, amount, status, record_date\nFROM sales_orders\n'),
  );
  mesh(['run', 'sales/orders'], { code: 0, match: [/PASSED/] });
  mesh(['run', 'marketing/report'], { code: 0, match: [/PASSED/, /consumed {2}sales_orders ← sales\/orders/] });
  commit('marketing/report consumes sales/orders');
  mesh(['publish', '--all'], { code: 0, match: [/sales\/orders \S+: published/, /marketing\/report \S+: published/] });
  mesh(['catalog', 'show', 'marketing/report'], {
    code: 0,
    match: [new RegExp(`consumes +sales/orders \\^${v1.replace(/\./g, '\\.')}`)],
  });

  // The producer's breaking edit: amount (decimal) becomes amount_cents (bigint).
  edit(`${orders}/contract.odcs.yaml`, (t) =>
    t
      .replace(
        / {6}- id: amount_prop\n {8}name: amount\n {8}logicalType: number\n {8}physicalType: decimal\(12,2\)/,
        '      - id: amount_cents_prop\n        name: amount_cents\n        logicalType: integer\n        physicalType: bigint',
      )
      .replace('examples: [129.5]', 'examples: [12950]'),
  );
  edit(`${orders}/transform.sql`, (t) =>
    t.replace(
      / {2}CAST\(amount AS DECIMAL\(12, 2\)\) AS amount,/,
      '  CAST(round(TRY_CAST(amount AS DECIMAL(12, 2)) * 100) AS BIGINT) AS amount_cents,',
    ),
  );
  mesh(['impact', 'sales/orders'], { code: 1, match: [/marketing\/report/, /break/i] });

  // mesh major after the edit: major 1 is frozen as released (the catalog), the edit becomes major 2.
  mesh(['major', 'sales/orders'], {
    code: 0,
    match: [new RegExp(`the frozen ${v1.replace(/\./g, '\\.')} contract, as released in the catalog`)],
  });
  assert.match(read(`${orders}/majors/v${major1}/contract.odcs.yaml`), /name: amount\n/);
  assert.match(read(`${orders}/contract.odcs.yaml`), new RegExp(`^version: ${Number(major1) + 1}\\.0\\.0$`, 'm'));
  edit(`${orders}/majors/v${major1}/compat.sql`, (t) =>
    t.replace(
      /^ {2}amount,?$/m,
      (l) => `  CAST(amount_cents / 100.0 AS DECIMAL(12, 2)) AS amount${l.endsWith(',') ? ',' : ''}`,
    ),
  );
  mesh(['run', 'sales/orders'], { code: 0, match: [/PASSED/, new RegExp(`major v${major1} +PASSED`)] });
  // The consumer stays on major 1: it reads the served v1 output, unchanged.
  mesh(['run', 'marketing/report'], { code: 0, match: [/PASSED/, new RegExp(`served major v${major1}`)] });
  mesh(['impact', 'sales/orders'], { code: 0 });
  commit(`sales/orders major ${Number(major1) + 1}`);
  mesh(['publish', '--all'], {
    code: 0,
    match: [
      /sales\/orders \d+\.0\.0: published/,
      new RegExp(`served older major ${v1.replace(/\./g, '\\.')}: unchanged`),
    ],
  });

  // The deprecation window of major 1: a patch release of that major, no conflict.
  edit(`${orders}/majors/v${major1}/contract.odcs.yaml`, (t) =>
    t
      .replace(/^status: .*$/m, 'status: deprecated')
      .replace(
        /^customProperties:\n/m,
        'customProperties:\n  - property: meshkit.endOfSupport\n    value: "2027-01-31"\n  - property: meshkit.endOfLife\n    value: "2027-06-30"\n',
      ),
  );
  commit('deprecate sales/orders major 1');
  mesh(['publish', '--all'], {
    code: 0,
    match: [/served older major \S+: published \(a metadata-only change of the frozen/],
  });
  mesh(['lint', 'marketing/report', '--now', '2027-01-15'], { code: 0, match: [/deprecated/] });
  mesh(['lint', 'marketing/report', '--now', '2027-07-01'], { code: 1, match: [/end of life/] });

  // The consumer migrates: only consumes and the transform change — its contract does not.
  edit(`${report}/product.yaml`, (t) =>
    t
      .replace(`version: ^${v1}`, `version: ^${Number(major1) + 1}.0.0`)
      .replace(
        'columns: [record_id, amount, status, record_date]',
        'columns: [record_id, amount_cents, status, record_date]',
      ),
  );
  edit(`${report}/transform.sql`, (t) =>
    t.replace('SELECT record_id, amount,', 'SELECT record_id, CAST(amount_cents / 100.0 AS DECIMAL(12, 2)) AS amount,'),
  );
  mesh(['run', 'marketing/report'], { code: 0, match: [/PASSED/], noMatch: [/served major/] });
  commit('marketing/report moves to sales/orders major 2');
  mesh(['publish', '--all'], {
    code: 0,
    match: [/marketing\/report \S+: unchanged/, /product metadata \(owner, classification, consumes\): published/],
  });
  mesh(['catalog', 'show', 'marketing/report'], {
    code: 0,
    match: [new RegExp(`consumes +sales/orders \\^${Number(major1) + 1}\\.0\\.0`)],
  });

  // Nobody needs major 1 any more: retire it, publish.
  mesh(['retire', `sales/orders@${major1}`], { code: 0 });
  commit('retire sales/orders major 1');
  mesh(['publish', '--all'], { code: 0, noMatch: [/BLOCKED|conflict/i] });
  mesh(['catalog', 'list'], { code: 0, match: [/orders/, /report/] });
});
