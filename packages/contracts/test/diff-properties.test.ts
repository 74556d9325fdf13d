/** Property-based tests of the compatibility diff (fast-check). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { diffContracts } from '../src/diff/diff.js';
import { REVERSE_RULE } from '../src/diff/rules.js';
import { load, type Doc } from './diff-helpers.js';

const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const strip = (o: Doc): Doc => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

const stringProp = fc.record({
  logicalType: fc.constant('string'),
  physicalType: opt(fc.constantFrom('string', 'varchar(10)', 'varchar(20)', 'char(10)', 'text')),
  logicalTypeOptions: opt(
    fc
      .record({
        minLength: opt(fc.integer({ min: 0, max: 3 })),
        maxLength: opt(fc.integer({ min: 5, max: 9 })),
        pattern: opt(fc.constantFrom('^[a-z]*$', '^[0-9]*$')),
        format: opt(fc.constantFrom('email', 'uuid')),
      })
      .map(strip),
  ),
  quality: opt(
    fc
      .subarray(['a', 'b', 'c', 'd'], { minLength: 1 })
      .map((vs) => [{ metric: 'invalidValues', mustBe: 0, arguments: { validValues: vs } }]),
  ),
});
const numberProp = fc.constantFrom(['integer', 'i32', 'i64'], ['number', 'f32', 'f64']).chain(([logicalType, f1, f2]) =>
  fc.record({
    logicalType: fc.constant(logicalType),
    physicalType: opt(fc.constantFrom('tinyint', 'int', 'bigint', 'double', 'float', 'decimal(10,2)', 'decimal(12,2)')),
    logicalTypeOptions: opt(
      fc
        .record({
          minimum: opt(fc.integer({ min: -2, max: 2 })),
          maximum: opt(fc.integer({ min: 10, max: 12 })),
          exclusiveMinimum: opt(fc.integer({ min: -3, max: 3 })),
          format: opt(fc.constantFrom(f1, f2)),
        })
        .map(strip),
    ),
    quality: opt(fc.constantFrom(0, 5, 10).map((n) => [{ metric: 'nullValues', mustBeLessOrEqualTo: n }])),
  }),
);
const property = fc
  .tuple(
    fc.oneof(stringProp, numberProp),
    fc.record({
      required: opt(fc.boolean()),
      unique: opt(fc.boolean()),
      primaryKey: opt(fc.boolean()),
      partitioned: opt(fc.boolean()),
      classification: opt(fc.constantFrom('public', 'restricted')),
      description: opt(fc.constantFrom('x', 'y')),
    }),
  )
  .map(([t, flags]) => strip({ ...strip(t), ...strip(flags) }));

const object = fc
  .record({
    name: fc.constantFrom('orders', 'customers', 'lines'),
    props: fc.uniqueArray(fc.tuple(fc.constantFrom('id', 'amount', 'note', 'qty', 'code'), property), {
      selector: ([n]) => n,
      maxLength: 4,
    }),
    quality: opt(fc.constantFrom(0, 10, 100).map((n) => [{ metric: 'rowCount', mustBeGreaterThan: n }])),
  })
  .map(({ name, props, quality }) => strip({ name, properties: props.map(([n, p]) => ({ name: n, ...p })), quality }));

const contract = fc
  .record({
    id: fc.constantFrom('c1', 'c2'),
    status: fc.constantFrom('active', 'deprecated'),
    schema: fc.uniqueArray(object, { selector: (o) => o.name, maxLength: 3 }),
    sla: fc.subarray([
      { property: 'latency', value: 4, unit: 'h' },
      { property: 'latency', value: 2, unit: 'h', element: 'orders.id' },
      { property: 'retention', value: 1, unit: 'y' },
    ]),
    latency: fc.constantFrom(1, 4, 240),
  })
  .map(({ id, status, schema, sla, latency }) => ({
    apiVersion: 'v3.1.0',
    kind: 'DataContract',
    id,
    version: '1.0.0',
    status,
    schema,
    slaProperties: sla.map((s) => (s.element ? s : { ...s, value: s.property === 'latency' ? latency : s.value })),
  }));

const reverseKeys = (v: unknown): unknown =>
  Array.isArray(v)
    ? [...v].reverse().map(reverseKeys)
    : v && typeof v === 'object'
      ? Object.fromEntries(
          Object.entries(v)
            .reverse()
            .map(([k, x]) => [k, reverseKeys(x)]),
        )
      : v;

describe('diff properties', () => {
  it('diff(a, a) reports nothing, even with every list and key reordered', () => {
    fc.assert(
      fc.property(contract, (a) => {
        const r = diffContracts([load(a, 'a.yaml')], load(reverseKeys(a) as Doc, 'b.yaml'));
        assert.deepEqual(
          r.changes.map((c) => `${c.rule} ${c.path}`),
          [],
        );
        assert.equal(r.requiredBump, 'none');
        assert.ok(r.compatible);
      }),
      { numRuns: 150 },
    );
  });

  it('every change that breaks BACKWARD a→b has its paired rule breaking FORWARD b→a', () => {
    fc.assert(
      fc.property(contract, contract, (a, b) => {
        const ab = diffContracts([load(a, 'a.yaml')], load(b, 'b.yaml'), { mode: 'NONE' });
        const ba = diffContracts([load(b, 'b.yaml')], load(a, 'a.yaml'), { mode: 'NONE' });
        for (const c of ab.changes) {
          if (!c.breaks.backward) continue;
          const pair = REVERSE_RULE[c.rule];
          assert.ok(pair, `${c.rule} has a paired rule`);
          assert.ok(
            ba.changes.some((d) => d.rule === pair && d.breaks.forward),
            `${c.rule} at ${c.path} (a→b) but no forward-breaking ${pair} b→a: ${ba.changes.map((d) => `${d.rule} ${d.path}`).join(', ')}`,
          );
        }
      }),
      { numRuns: 200 },
    );
  });

  it('the verdict is consistent with the changes under every mode', () => {
    const modes = ['NONE', 'BACKWARD', 'FORWARD', 'FULL'] as const;
    fc.assert(
      fc.property(contract, contract, fc.constantFrom(...modes), (a, b, mode) => {
        const r = diffContracts([load(a, 'a.yaml')], load(b, 'b.yaml'), { mode });
        const checks = { NONE: [false, false], BACKWARD: [true, false], FORWARD: [false, true], FULL: [true, true] }[
          mode
        ];
        const breaking = r.changes.filter((c) => (c.breaks.backward && checks[0]) || (c.breaks.forward && checks[1]));
        assert.equal(r.compatible, breaking.length === 0);
        assert.equal(r.requiredBump === 'major', breaking.length > 0);
        assert.equal(r.requiredBump === 'none', r.changes.length === 0);
        for (const c of r.changes) assert.equal(c.severity === 'error', breaking.includes(c));
      }),
      { numRuns: 100 },
    );
  });
});
