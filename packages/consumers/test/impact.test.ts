import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMeshError } from '@meshkit/contracts';
import { analyzeImpact, breakingReasons, changedColumn, formatImpactText, lintProducts } from '../src/index.js';
import { addConsumer, dropAmount, edit, exampleMesh, file, newMajorServingV1, pos, publish } from './helpers.js';

const CP = 'marketing/campaign-performance';

/** A temp example mesh with sales/orders 1.0.0 published (the default baseline). */
async function published(): Promise<string> {
  const root = exampleMesh();
  await publish(root, 'sales/orders');
  return root;
}

test('removing a consumed column breaks the direct consumer; the baseline is the published version', async () => {
  const root = await published();
  edit(root, 'sales/orders', 'contract.odcs.yaml', dropAmount);
  const r = await analyzeImpact(root, 'sales/orders', { cwd: root });
  assert.deepEqual(r.baseline, { label: 'catalog:sales/orders@1.0.0', version: '1.0.0' });
  assert.equal(r.diff?.compatible, false);
  assert.equal(r.breaks, 1);
  const [c] = r.consumers;
  assert.equal(c?.consumer, CP);
  assert.equal(c?.direct, true);
  assert.equal(c?.verdict, 'breaks');
  assert.deepEqual([c?.range, c?.before, c?.after], ['^1.0.0', '1.0.0', '1.0.0']);
  assert.deepEqual(c?.reasons, ["consumed column 'amount' removed"]);
  assert.deepEqual(c?.location && [c.location.file, c.location.line], [
    join('domains/marketing/products/campaign-performance/product.yaml'),
    pos(root, 'marketing/campaign-performance', 'product.yaml', '- product: sales/orders').line,
  ]);
  assert.match(
    formatImpactText(r),
    /marketing\/campaign-performance +direct +\^1\.0\.0 +order_id,amount,order_date +1\.0\.0 → 1\.0\.0 +BREAKS +consumed column 'amount' removed/,
  );
});

test('adding an optional column breaks nobody', async () => {
  const root = await published();
  edit(root, 'sales/orders', 'contract.odcs.yaml', (t) =>
    t
      .replace(
        'slaProperties:',
        [
          '      - id: coupon_prop',
          '        name: coupon',
          '        logicalType: string',
          '        description: Coupon code.',
          '        classification: internal',
          'slaProperties:',
        ].join('\n'),
      )
      .replace(/^version: .*$/m, 'version: 1.1.0'),
  );
  const r = await analyzeImpact(root, 'sales/orders', { cwd: root });
  assert.deepEqual(
    r.diff?.changes.map((c) => c.rule),
    ['PROPERTY_ADDED_OPTIONAL'],
  );
  assert.equal(r.breaks, 0);
  assert.deepEqual(
    r.consumers.map((c) => [c.consumer, c.verdict, c.after]),
    [[CP, 'ok', '1.1.0']],
  );
});

test('an incompatible change to a column the consumer does not read breaks nobody', async () => {
  const root = await published();
  edit(root, 'sales/orders', 'contract.odcs.yaml', (t) =>
    t.replace(/(name: status\n\s+logicalType: )string/, '$1integer'),
  );
  const r = await analyzeImpact(root, 'sales/orders', { cwd: root });
  assert.equal(r.diff?.compatible, false, 'the change itself is breaking');
  assert.ok(r.diff?.changes.some((c) => c.rule === 'TYPE_CHANGED' && changedColumn(c) === 'status'));
  assert.equal(r.breaks, 0);
  assert.equal(r.consumers[0]?.verdict, 'ok');
});

test('the same change breaks a consumer that declares no columns (it reads every column)', async () => {
  const root = await published();
  edit(root, CP, 'product.yaml', (t) => t.replace(/\n {4}columns: .*/, ''));
  edit(root, 'sales/orders', 'contract.odcs.yaml', (t) =>
    t.replace(/(name: status\n\s+logicalType: )string/, '$1integer'),
  );
  const r = await analyzeImpact(root, 'sales/orders', { cwd: root });
  assert.equal(r.breaks, 1);
  assert.match(r.consumers[0]!.reasons[0]!, /^TYPE_CHANGED on consumed column 'status'/);
});

test('a transitive consumer is listed with its path and is affected when a direct consumer breaks', async () => {
  const root = await published();
  addConsumer(root, 'marketing/roi', CP, '^1.0.0');
  addConsumer(root, 'finance/budget', 'marketing/roi', '^1.0.0');
  let r = await analyzeImpact(root, 'sales/orders', { cwd: root });
  assert.deepEqual(
    r.consumers.map((c) => [c.consumer, c.direct, c.path.join(' → '), c.verdict]),
    [
      [CP, true, `sales/orders → ${CP}`, 'ok'],
      ['marketing/roi', false, `sales/orders → ${CP} → marketing/roi`, 'ok'],
      ['finance/budget', false, `sales/orders → ${CP} → marketing/roi → finance/budget`, 'ok'],
    ],
  );
  edit(root, 'sales/orders', 'contract.odcs.yaml', dropAmount);
  r = await analyzeImpact(root, 'sales/orders', { cwd: root });
  assert.deepEqual(
    r.consumers.map((c) => c.verdict),
    ['breaks', 'affected', 'affected'],
  );
  assert.deepEqual([r.breaks, r.affected], [1, 2]);
  assert.match(
    r.consumers[1]!.reasons[0]!,
    /^through marketing\/campaign-performance → marketing\/roi: marketing\/campaign-performance breaks/,
  );
  assert.match(
    formatImpactText(r),
    /finance\/budget +via marketing\/campaign-performance → marketing\/roi .* affected/,
  );
});

test('a new major that leaves the old major served breaks nobody on the old range; without it the range is unsatisfied', async () => {
  const root = await published();
  newMajorServingV1(root);
  let r = await analyzeImpact(root, 'sales/orders', {
    cwd: root,
    against: file(root, 'sales/orders', 'majors/v1/contract.odcs.yaml'),
  });
  assert.equal(r.version, '2.0.0');
  assert.equal(r.breaks, 0);
  assert.deepEqual([r.consumers[0]?.before, r.consumers[0]?.after, r.consumers[0]?.verdict], ['1.0.0', '1.0.0', 'ok']);
  assert.match(r.consumers[0]!.reasons[0]!, /reads 1\.0\.0 \(major 1 still served\), not the changed 2\.0\.0/);

  const bare = await published();
  newMajorServingV1(bare, { serve: false });
  writeFileSync(
    join(bare, 'v1.odcs.yaml'),
    await (
      await import('node:fs/promises')
    ).readFile(join(root, 'domains/sales/products/orders/majors/v1/contract.odcs.yaml'), 'utf8'),
  );
  r = await analyzeImpact(bare, 'sales/orders', { cwd: bare, against: 'v1.odcs.yaml' });
  assert.equal(r.breaks, 1);
  assert.deepEqual([r.consumers[0]?.before, r.consumers[0]?.after], ['1.0.0', null]);
  assert.match(
    r.consumers[0]!.reasons[0]!,
    /range \^1\.0\.0 is no longer satisfied by any served version: served after the change 2\.0\.0 \(workspace\)/,
  );
});

test('the deprecation of the product and of its served majors is shown', async () => {
  const root = await published();
  newMajorServingV1(root);
  edit(root, 'sales/orders', 'majors/v1/contract.odcs.yaml', (t) =>
    t
      .replace('status: active', 'status: deprecated')
      .replace('    value: FULL\n', '    value: FULL\n  - property: meshkit.endOfLife\n    value: "2027-06-30"\n'),
  );
  const r = await analyzeImpact(root, 'sales/orders', { cwd: root, now: new Date('2027-01-01') });
  assert.deepEqual(
    r.deprecation.map((d) => [d.version, d.from, d.phase, d.endOfLife]),
    [
      ['2.0.0', 'current', 'active', undefined],
      ['1.0.0', 'servedMajors', 'deprecated', '2027-06-30'],
    ],
  );
  assert.match(formatImpactText(r), /deprecation: 1\.0\.0 \(served major 1\): deprecated, end of life 2027-06-30/);
  // 1.0.0 is published (draft) and deprecated afterwards in majors/v1: lint and impact both read
  // the window from that file. The consumer still on the deprecated major hears it in its row, as mesh lint tells it.
  assert.match(
    r.consumers[0]!.reasons.join('; '),
    /resolves to 1\.0\.0 \(served major 1\): deprecated, end of life 2027-06-30: mesh lint warns \(PRODUCT-CONSUMES-DEPRECATED\)/,
  );
  const late = await analyzeImpact(root, 'sales/orders', { cwd: root, now: new Date('2027-07-01') });
  assert.equal(late.consumers[0]?.verdict, 'ok');
  assert.match(
    late.consumers[0].reasons.join('; '),
    /resolves to 1\.0\.0 \(served major 1\): end-of-life, end of life 2027-06-30: mesh lint fails/,
  );
  const lint = await lintProducts(root, { now: new Date('2027-07-01'), cwd: root });
  assert.ok(lint.some((d) => d.rule === 'PRODUCT-CONSUMES-DEPRECATED' && d.severity === 'error'));
});

test('bad input: an unknown product (with a suggestion), an unreadable --against', async () => {
  const root = await published();
  await assert.rejects(
    analyzeImpact(root, 'sales/ordres', { cwd: root }),
    (e) => isMeshError(e) && e.exitCode === 2 && /did you mean sales\/orders/.test(e.message),
  );
  await assert.rejects(
    analyzeImpact(root, 'sales/orders', { cwd: root, against: 'no-such-ref-or-file' }),
    (e) => isMeshError(e) && e.exitCode === 2,
  );
});

test('breakingReasons: a rename of a consumed column names both names', () => {
  const base = { schema: [{ name: 'o', properties: [{ name: 'a' }, { name: 'b' }] }] };
  const next = { schema: [{ name: 'o', properties: [{ name: 'a2' }, { name: 'b' }] }] };
  const diff = {
    compatible: false,
    mode: 'FULL',
    requiredBump: 'major',
    changes: [
      {
        rule: 'PROPERTY_RENAMED',
        severity: 'error',
        path: 'schema[o].properties[a2]',
        message: "property 'a' renamed to 'a2'",
        breaks: { backward: true, forward: true },
        location: { file: 'x', line: 1, column: 1 },
      },
    ],
  };
  const reasons = breakingReasons(
    { version: '1.0.1', baseline: base as never, next: next as never, diff: diff as never },
    ['a'],
  );
  assert.deepEqual(reasons, ["consumed column 'a' renamed (property 'a' renamed to 'a2')"]);
  assert.deepEqual(
    breakingReasons({ version: '1.0.1', baseline: base as never, next: next as never, diff: diff as never }, ['b']),
    [],
  );
});
