import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runProduct } from '../src/index.js';
import { contract, tempProduct } from './helpers.js';

// Fixtures dated 2026-11-01; the contract wants them at most 24 hours old.
const CONTRACT = contract(
  `    properties:
      - { name: id, logicalType: string, required: true }
      - { name: made_on, logicalType: date }
`,
  `slaProperties:
  - { property: latency, value: 24, unit: h, element: items.made_on }
`,
);
const CSV = 'id,made_on\na,2026-11-01\nb,2026-11-01\n';
const MANIFEST =
  'domain: shop\nname: items\nowner: team-shop\ningestion:\n  mode: batch\nfixtures:\n  now: "2026-11-01T12:00:00Z"\n';

test('a fixture run evaluates freshness at fixtures.now of product.yaml, any day', async () => {
  const { productDir } = tempProduct({
    contract: CONTRACT,
    transform: 'SELECT id, made_on FROM raw\n',
    fixtures: { 'raw.csv': CSV },
    productYaml: MANIFEST,
  });
  const report = await runProduct({ productDir });
  assert.equal(report.status, 'passed');
  assert.equal(report.clock, 'fixtures');
  assert.equal(report.evaluatedAt, '2026-11-01T12:00:00.000Z');
  assert.equal(report.rules.find((r) => r.kind === 'freshness')?.metric, 12);
});

test('a real input uses the real clock (the fixtures pin only themselves); --now overrides both', async () => {
  const { productDir } = tempProduct({
    contract: CONTRACT,
    transform: 'SELECT id, made_on FROM raw\n',
    fixtures: { 'raw.csv': CSV },
    productYaml: MANIFEST,
  });
  const real = await runProduct({ productDir, input: join(productDir, 'fixtures', 'raw.csv') });
  assert.equal(real.clock, 'real');
  assert.equal(real.status, Date.now() - Date.parse('2026-11-01T00:00:00Z') > 24 * 3600e3 ? 'failed' : 'passed');
  const given = await runProduct({ productDir, now: new Date('2026-11-03T00:00:00Z') });
  assert.equal(given.clock, 'given');
  assert.equal(given.status, 'failed');
});

test('without fixtures.now a fixture run uses the real clock', async () => {
  const { productDir } = tempProduct({
    contract: CONTRACT,
    transform: 'SELECT id, made_on FROM raw\n',
    fixtures: { 'raw.csv': CSV },
  });
  const report = await runProduct({ productDir });
  assert.equal(report.clock, 'real');
});
