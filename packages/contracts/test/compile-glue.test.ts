import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toGlueColumns, normalisePhysicalType, glueType, columnName } from '../src/compile/index.js';
import { loadContract } from '../src/contract/load-contract.js';
import type { SchemaProperty } from '../src/odcs.js';
import { contractWith, ordersContract } from './compile-fixture.js';
import { EXAMPLES_DIR } from './helpers.js';

test('orders: columns, types, comments, partition keys', () => {
  const g = toGlueColumns(ordersContract());
  assert.equal(g.tableName, 'orders');
  assert.deepEqual(
    g.columns.map((c) => `${c.name}:${c.type}`),
    [
      'order_id:string',
      'line_no:int',
      'status:string',
      'amount:decimal(12,2)',
      'email:string',
      'country_code:string',
      'updated_at:timestamp',
      'note:string',
      'tags:array<string>',
      'customer:struct<id:string,zip:string>',
    ],
  );
  assert.equal(g.columns[0]!.comment, 'Order identifier.');
  assert.equal(g.columns[1]!.comment, undefined);
  assert.deepEqual(g.partitionKeys, [{ name: 'order_date', type: 'date' }]);
});

test('physical types that normalise to Glue types', () => {
  const cases: Array<[string, string | undefined]> = [
    ['INT', 'int'],
    ['integer', 'int'],
    ['BIGINT', 'bigint'],
    ['long', 'bigint'],
    ['VARCHAR(18)', 'varchar(18)'],
    ['varchar', 'string'],
    ['char(2)', 'char(2)'],
    ['numeric(10, 2)', 'decimal(10,2)'],
    ['decimal(5)', 'decimal(5,0)'],
    ['double precision', 'double'],
    ['bool', 'boolean'],
    ['datetime', 'timestamp'],
    ['text', 'string'],
    ['float(3,2)', undefined],
    ['json', 'string'],
    ['list', undefined],
    ['decimal(40,2)', undefined],
    ['varchar(0)', undefined],
  ];
  for (const [raw, want] of cases) assert.equal(normalisePhysicalType(raw), want, raw);
});

test('logical fallbacks and integer/number formats', () => {
  const t = (p: Partial<SchemaProperty>) => glueType({ name: 'x', ...p });
  assert.equal(t({ logicalType: 'integer' }), 'bigint');
  assert.equal(t({ logicalType: 'integer', logicalTypeOptions: { format: 'i32' } }), 'int');
  assert.equal(t({ logicalType: 'integer', logicalTypeOptions: { format: 'i64' } }), 'bigint');
  assert.equal(t({ logicalType: 'integer', logicalTypeOptions: { format: 'i16' } }), 'smallint');
  assert.equal(t({ logicalType: 'number' }), 'double');
  assert.equal(t({ logicalType: 'number', logicalTypeOptions: { format: 'f32' } }), 'float');
  assert.equal(t({ logicalType: 'number', physicalType: 'float(3,2)' }), 'double');
  assert.equal(t({ logicalType: 'time' }), 'string');
  assert.equal(t({ logicalType: 'boolean' }), 'boolean');
  assert.equal(t({ logicalType: 'array' }), 'array<string>');
  assert.equal(
    t({
      logicalType: 'array',
      physicalType: 'array',
      items: {
        logicalType: 'object',
        properties: [{ name: 'Zip', logicalType: 'string', physicalType: 'VARCHAR(15)' }],
      },
    }),
    'array<struct<zip:varchar(15)>>',
  );
  assert.equal(t({}), 'string');
});

test('names: physicalName first, snake_case, lower case', () => {
  assert.equal(columnName({ name: 'DataValue' }), 'data_value');
  assert.equal(columnName({ name: 'x', physicalName: 'TXN-Ref Dt' }), 'txn_ref_dt');
  assert.equal(columnName({ name: 'HTTPStatus' }), 'http_status');
  const g = toGlueColumns(contractWith([{ name: 'AirQuality', properties: [] }]));
  assert.equal(g.tableName, 'air_quality');
});

test('comments are cut to 255 characters; partition order by position', () => {
  const g = toGlueColumns(
    contractWith([
      {
        name: 't',
        properties: [
          { name: 'a', logicalType: 'string', description: 'x'.repeat(400) },
          { name: 'y', logicalType: 'integer', partitioned: true, partitionKeyPosition: 2 },
          { name: 'c', logicalType: 'string', partitioned: true, partitionKeyPosition: 1 },
        ],
      },
    ]),
  );
  assert.equal(g.columns[0]!.comment!.length, 255);
  assert.deepEqual(
    g.partitionKeys.map((k) => k.name),
    ['c', 'y'],
  );
  assert.deepEqual(
    g.columns.map((k) => k.name),
    ['a'],
  );
});

test('official example with partitions', () => {
  const { contract } = loadContract(EXAMPLES_DIR + 'schema/table-columns-with-partition.odcs.yaml');
  const g = toGlueColumns(contract!);
  assert.deepEqual(g.partitionKeys, [
    { name: 'rcvr_cntry_code', type: 'varchar(2)', comment: 'Receiver country code' },
    { name: 'year', type: 'int', comment: 'Year of transaction' },
  ]);
  assert.deepEqual(
    g.columns.map((c) => `${c.name}:${c.type}`),
    ['rcvr_id:varchar(20)', 'amount:double'],
  );
});
