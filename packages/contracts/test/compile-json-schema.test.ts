import { test } from 'node:test';
import assert from 'node:assert/strict';
import Ajv from 'ajv';
import Ajv2019 from 'ajv/dist/2019.js';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import { toJsonSchema, selectObject, type JsonSchema } from '../src/compile/index.js';
import { MeshError } from '../src/errors.js';
import { contractWith, ordersContract } from './compile-fixture.js';

const ajv07 = new Ajv.default({ allErrors: true, strict: false });
addFormats.default(ajv07);
const ajv19 = new Ajv2019.default({ allErrors: true, strict: false });
addFormats.default(ajv19);
const props = (s: JsonSchema) => s.properties as Record<string, JsonSchema>;

test('record schema: types, required, nullability, enum, options', () => {
  const s = toJsonSchema(ordersContract());
  assert.equal(s.$schema, 'https://json-schema.org/draft/2019-09/schema');
  assert.equal(s.$id, 'urn:odcs:sales-orders:orders:1.2.0');
  assert.equal(s.title, 'orders');
  assert.deepEqual(s.required, ['order_id', 'line_no', 'status', 'updated_at']);
  const p = props(s);
  assert.deepEqual(p.order_id, { description: 'Order identifier.', pattern: '^ORD-[0-9]+$', type: 'string' });
  assert.deepEqual(p.line_no, { minimum: 1, type: 'integer' });
  assert.deepEqual(p.status, { type: 'string', enum: ['NEW', 'PAID', 'SHIPPED'] });
  assert.deepEqual(p.amount!.type, ['number', 'null']);
  assert.equal(p.amount!.maximum, 100000);
  assert.deepEqual(p.updated_at, { format: 'date-time', type: 'string' });
  assert.equal(p.order_date!.format, 'date');
  assert.deepEqual(p.tags, { items: { type: 'string' }, maxItems: 3, type: ['array', 'null'] });
  assert.deepEqual(p.customer!.required, ['id', 'zip'], 'nullValues mustBe 0 makes a nested field required');
  assert.equal(s.additionalProperties, undefined, 'records stay open');
});

test('exclusive bounds: numeric and draft-04 boolean forms', () => {
  const c = contractWith([
    {
      name: 't',
      properties: [
        {
          name: 'a',
          logicalType: 'integer',
          logicalTypeOptions: { minimum: 18, exclusiveMaximum: 100, multipleOf: 2 },
        },
        { name: 'b', logicalType: 'number', logicalTypeOptions: { maximum: 5, exclusiveMaximum: true } },
        {
          name: 'k',
          logicalType: 'string',
          required: true,
          quality: [{ metric: 'invalidValues', arguments: { validValues: ['x', null] }, mustBe: 0 }],
        },
        {
          name: 'w',
          logicalType: 'string',
          quality: [{ metric: 'invalidValues', arguments: { validValues: ['x'] }, mustBe: 0, severity: 'warning' }],
        },
      ],
    },
  ]);
  const p = props(toJsonSchema(c));
  assert.deepEqual(p.a, { exclusiveMaximum: 100, minimum: 18, multipleOf: 2, type: ['integer', 'null'] });
  assert.deepEqual(p.b, { exclusiveMaximum: 5, type: ['number', 'null'] });
  assert.deepEqual(p.k!.enum, ['x', null], 'null listed as valid stays valid');
  assert.equal(p.w!.enum, undefined, 'a warning-level rule does not reject records');
});

test('draft-07 output is a valid draft-07 schema without 2019-only keywords', () => {
  const s = toJsonSchema(ordersContract(), { draft: 'draft-07' });
  assert.equal(s.$schema, 'http://json-schema.org/draft-07/schema#');
  const text = JSON.stringify(s);
  for (const k of ['$defs', 'unevaluatedProperties', 'dependentRequired', '$anchor', '$recursiveRef'])
    assert.ok(!text.includes(k), k);
  assert.equal(ajv07.validateSchema(s), true, JSON.stringify(ajv07.errors));
  assert.equal(ajv19.validateSchema(toJsonSchema(ordersContract())), true);
});

test('validates records: good passes, bad fails', () => {
  for (const [ajv, draft] of [
    [ajv07, 'draft-07'],
    [ajv19, '2019-09'],
  ] as const) {
    const schema = toJsonSchema(ordersContract(), { draft });
    const v = ajv.compile(schema);
    ajv.removeSchema(schema.$id as string);
    const good = {
      order_id: 'ORD-1',
      line_no: 1,
      status: 'NEW',
      updated_at: '2024-01-01T00:00:00Z',
      amount: null,
      extra: 1,
    };
    assert.equal(v(good), true, JSON.stringify(v.errors));
    assert.equal(v({ ...good, status: 'LOST' }), false);
    assert.equal(v({ ...good, order_id: null }), false);
    assert.equal(v({ ...good, line_no: 0 }), false);
    assert.equal(v({ ...good, updated_at: 'yesterday' }), false);
    assert.equal(v({ ...good, tags: ['a', 'b', 'c', 'd'] }), false);
  }
});

test('object selection: default, by name, errors', () => {
  const two = contractWith([
    { name: 'a', properties: [] },
    { name: 'b', physicalName: 'tbl_b', properties: [] },
  ]);
  assert.throws(
    () => toJsonSchema(two),
    (e: unknown) =>
      e instanceof MeshError &&
      e.code === 'USAGE' &&
      e.exitCode === 2 &&
      e.message === 'contract has several schema objects (a, b): choose one with --object',
  );
  assert.equal(toJsonSchema(two, { object: 'b' }).title, 'b');
  assert.equal(selectObject(two, 'tbl_b').index, 1);
  assert.throws(() => toJsonSchema(two, { object: 'zzz' }), /no schema object 'zzz'/);
  assert.throws(() => toJsonSchema(contractWith([])), /no schema object/);
});

// ---- property test: a contract's own examples validate against its schema (both drafts) ----
const name = fc.stringMatching(/^[a-z][a-z0-9_]{0,10}$/);
const propArb = fc.oneof(
  fc.record({ logicalType: fc.constant('string'), examples: fc.array(fc.string(), { minLength: 1, maxLength: 3 }) }),
  fc.record({ logicalType: fc.constant('integer'), examples: fc.array(fc.integer(), { minLength: 1, maxLength: 3 }) }),
  fc.record({
    logicalType: fc.constant('number'),
    examples: fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 1, maxLength: 3 }),
  }),
  fc.record({ logicalType: fc.constant('boolean'), examples: fc.array(fc.boolean(), { minLength: 1, maxLength: 3 }) }),
  fc.record({
    logicalType: fc.constant('date'),
    examples: fc.array(
      fc
        .date({ min: new Date('1900-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
        .map((d) => d.toISOString().slice(0, 10)),
      { minLength: 1, maxLength: 3 },
    ),
  }),
  fc.record({
    logicalType: fc.constant('timestamp'),
    examples: fc.array(
      fc
        .date({ min: new Date('1900-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
        .map((d) => d.toISOString()),
      { minLength: 1, maxLength: 3 },
    ),
  }),
  fc.record({
    logicalType: fc.constant('array'),
    items: fc.constant({ logicalType: 'string' }),
    examples: fc.array(fc.array(fc.string(), { maxLength: 3 }), { minLength: 1, maxLength: 3 }),
  }),
);

test('property: records built from examples validate against both drafts', () => {
  fc.assert(
    fc.property(
      fc.uniqueArray(fc.tuple(name, propArb, fc.boolean()), { minLength: 1, maxLength: 6, selector: (t) => t[0] }),
      fc.nat(),
      (defs, pick) => {
        const properties = defs.map(([n, p, required]) => ({ name: n, required, ...p }));
        const contract = contractWith([{ name: 'obj', properties }]);
        const record: Record<string, unknown> = {};
        for (const p of properties) record[p.name] = p.examples[pick % p.examples.length];
        for (const [ajv, draft] of [
          [ajv07, 'draft-07'],
          [ajv19, '2019-09'],
        ] as const) {
          const schema = toJsonSchema(contract, { draft });
          const v = ajv.compile(schema);
          ajv.removeSchema(schema.$id as string);
          if (!v(record)) throw new Error(`${draft}: ${JSON.stringify(v.errors)} for ${JSON.stringify(record)}`);
          // optional properties may be null or absent
          const sparse = Object.fromEntries(properties.filter((p) => p.required).map((p) => [p.name, record[p.name]]));
          if (!v(sparse)) throw new Error(`${draft} sparse: ${JSON.stringify(v.errors)}`);
        }
      },
    ),
    { numRuns: 60 },
  );
});

test("enum values are values of the property's type, as the quality checks compare them", () => {
  const rule = (validValues: unknown[]) => [{ metric: 'invalidValues', arguments: { validValues }, mustBe: 0 }];
  const s = toJsonSchema(
    contractWith([
      {
        name: 't',
        properties: [
          { name: 'code', logicalType: 'string', quality: rule([1, 2]) },
          { name: 'n', logicalType: 'integer', quality: rule(['5', 6]) },
        ],
      },
    ]),
  );
  assert.deepEqual(props(s).code!.enum, ['1', '2', null]);
  assert.deepEqual(props(s).n!.enum, [5, 6, null]);
  const validate = ajv19.compile(s);
  assert.equal(validate({ code: '1', n: 5 }), true);
  assert.equal(validate({ code: 1, n: 5 }), false);
});
