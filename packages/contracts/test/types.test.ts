// The type table (src/compile/types.ts, docs/type-mapping.md): warehouse spellings → Glue,
// Spark, DuckDB, JSON Schema, TypeScript, and back to the ODCS logical type.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  columnType,
  duckdbType,
  effectiveLogicalType,
  glueType,
  logicalTypeOf,
  parseColumnType,
  sparkSqlType,
  toJsonSchema,
  toTypeScript,
} from '../src/compile/index.js';
import { loadContract } from '../src/contract/load-contract.js';
import { LOCAL_DATE_TIME } from '../src/compile/json-schema.js';
import type { LogicalType, SchemaProperty } from '../src/odcs.js';
import { officialExamples } from './helpers.js';

const CORPUS = fileURLToPath(new URL('./fixtures/corpus/', import.meta.url));
const corpus = (): string[] =>
  readdirSync(CORPUS)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => CORPUS + f);
const prop = (p: Partial<SchemaProperty>): SchemaProperty => ({ name: 'x', ...p });

describe('physical spellings', () => {
  const cases: Array<[string, string, string, string]> = [
    // physical, Glue, Spark, DuckDB
    ['timestamp', 'timestamp', 'timestamp_ntz', 'TIMESTAMP'],
    ['TIMESTAMP(6)', 'timestamp', 'timestamp_ntz', 'TIMESTAMP'],
    ['timestamp_ntz', 'timestamp', 'timestamp_ntz', 'TIMESTAMP'],
    ['timestamptz', 'timestamp', 'timestamp', 'TIMESTAMPTZ'],
    ['timestamp_ltz', 'timestamp', 'timestamp', 'TIMESTAMPTZ'],
    ['timestamp(3) with time zone', 'timestamp', 'timestamp', 'TIMESTAMPTZ'],
    ['timestamp without time zone', 'timestamp', 'timestamp_ntz', 'TIMESTAMP'],
    ['datetime2', 'timestamp', 'timestamp_ntz', 'TIMESTAMP'],
    ['text', 'string', 'string', 'VARCHAR'],
    ['varchar[50]', 'varchar(50)', 'varchar(50)', 'VARCHAR'],
    ['bpchar(2)', 'char(2)', 'char(2)', 'VARCHAR'],
    ['bigint', 'bigint', 'bigint', 'BIGINT'],
    ['int8', 'bigint', 'bigint', 'BIGINT'],
    ['int4', 'int', 'int', 'INTEGER'],
    ['int2', 'smallint', 'smallint', 'SMALLINT'],
    ['serial', 'int', 'int', 'INTEGER'],
    ['numeric(10, 2)', 'decimal(10,2)', 'decimal(10,2)', 'DECIMAL(10,2)'],
    ['numeric', 'decimal(38,18)', 'decimal(38,18)', 'DECIMAL(38,18)'],
    ['double precision', 'double', 'double', 'DOUBLE'],
    ['real', 'float', 'float', 'REAL'],
    ['bytes', 'binary', 'binary', 'BLOB'],
    ['bytea', 'binary', 'binary', 'BLOB'],
    ['varbinary(16)', 'binary', 'binary', 'BLOB'],
    ['uuid', 'string', 'string', 'VARCHAR'],
    ['array<int>', 'array<int>', 'array<int>', 'INTEGER[]'],
    ['int[]', 'array<int>', 'array<int>', 'INTEGER[]'],
    ['map<string, bigint>', 'map<string,bigint>', 'map<string,bigint>', 'MAP(VARCHAR, BIGINT)'],
    [
      'struct<a:int, b:array<string>>',
      'struct<a:int,b:array<string>>',
      'struct<`a`:int,`b`:array<string>>',
      'STRUCT("a" INTEGER, "b" VARCHAR[])',
    ],
    ['MAP(VARCHAR, BIGINT)', 'map<string,bigint>', 'map<string,bigint>', 'MAP(VARCHAR, BIGINT)'],
    ['STRUCT("a" INTEGER)', 'struct<a:int>', 'struct<`a`:int>', 'STRUCT("a" INTEGER)'],
    ['json', 'string', 'string', 'JSON'],
  ];
  for (const [physical, glue, spark, duckdb] of cases) {
    test(physical, () => {
      const p = prop({ physicalType: physical });
      assert.deepEqual([glueType(p), sparkSqlType(p), duckdbType(p)], [glue, spark, duckdb]);
    });
  }

  test('spellings the table does not know fall back to the logical type', () => {
    for (const t of ['float(3,2)', 'Name', 'table', 'decimal(40,2)', 'varchar(0)'])
      assert.equal(parseColumnType(t), undefined, t);
    assert.equal(glueType(prop({ physicalType: 'Name', logicalType: 'string' })), 'string');
    assert.equal(glueType(prop({ physicalType: 'float(3,2)', logicalType: 'number' })), 'double');
  });

  test('a physical type that contradicts the logical type loses', () => {
    assert.equal(glueType(prop({ physicalType: 'varchar(10)', logicalType: 'integer' })), 'bigint');
  });
});

describe('logicalType date on a timestamp physical type is a timestamp (the v3.0 idiom)', () => {
  for (const [physical, zone] of [
    ['timestamp', false],
    ['timestamptz', true],
    ['timestamp_ntz', false],
    ['timestamp(6)', false],
    ['TIMESTAMP WITH TIME ZONE', true],
  ] as const) {
    test(physical, () => {
      const p = prop({ logicalType: 'date', physicalType: physical, required: true });
      assert.equal(effectiveLogicalType(p), 'timestamp');
      assert.equal(glueType(p), 'timestamp');
      const c = {
        apiVersion: 'v3.1.0',
        kind: 'DataContract' as const,
        id: 'c',
        version: '1.0.0',
        status: 'active',
        schema: [{ name: 't', properties: [p] }],
      };
      // Without zone, records carry no offset: a pattern instead of format date-time (which requires one).
      assert.deepEqual(toJsonSchema(c).properties, {
        x: zone ? { type: 'string', format: 'date-time' } : { type: 'string', pattern: LOCAL_DATE_TIME },
      });
    });
  }
  test('a real date stays a date', () => {
    assert.equal(effectiveLogicalType(prop({ logicalType: 'date', physicalType: 'date' })), 'date');
    assert.equal(glueType(prop({ logicalType: 'date', physicalType: 'date' })), 'date');
  });
});

describe('JSON Schema and TypeScript of warehouse types', () => {
  const contract = (properties: SchemaProperty[]) => ({
    apiVersion: 'v3.1.0',
    kind: 'DataContract' as const,
    id: 'c',
    version: '1.0.0',
    status: 'active',
    schema: [{ name: 't', properties }],
  });
  test('binary, map, physical array, no logicalType', () => {
    const c = contract([
      prop({ name: 'b', logicalType: 'string', physicalType: 'bytea', required: true }),
      prop({ name: 'm', logicalType: 'object', physicalType: 'map<string,int>', required: true }),
      prop({ name: 'a', logicalType: 'array', physicalType: 'array<bigint>', required: true }),
      prop({ name: 'n', physicalType: 'int4', required: true }),
      prop({ name: 'u', physicalType: 'Name', required: true }),
    ]);
    assert.deepEqual(toJsonSchema(c).properties, {
      b: { type: 'string', contentEncoding: 'base64' },
      m: { type: 'object', additionalProperties: { type: 'integer' }, properties: {} },
      a: { type: 'array', items: { type: 'integer' } },
      n: { type: 'integer' },
      u: {},
    });
    const ts = toTypeScript(c);
    assert.match(ts, /b: string;/);
    assert.match(ts, /m: Record<string, number>;/);
    assert.match(ts, /a: number\[\];/);
    assert.match(ts, /n: number;/);
    assert.match(ts, /u: unknown;/);
  });
});

describe('both directions on every official and corpus contract', () => {
  // Lossy by design: Glue and Spark have no TIME type (string); a decimal(38,0) integer reads back as number.
  // An integer physical type under logicalType number reads back as integer (a subset); an object
  // without properties or a struct/map physical type is stored as a JSON string.
  const readBack = (
    p: SchemaProperty,
    want: LogicalType | undefined,
    got: LogicalType | undefined,
    target: string,
  ): boolean =>
    got === want ||
    (want === 'time' && target !== 'duckdb' && got === 'string') ||
    (want === 'integer' && got === 'number') ||
    (want === 'number' && got === 'integer') ||
    ((want === undefined || want === 'object') &&
      columnType(p).kind === 'json' &&
      got === (target === 'duckdb' ? undefined : 'string'));
  for (const file of [...officialExamples(), ...corpus()]) {
    test(file.split('/').slice(-2).join('/'), () => {
      const { contract } = loadContract(file);
      assert.ok(contract);
      for (const object of contract.schema ?? []) {
        for (const p of object.properties ?? []) {
          const want = effectiveLogicalType(p);
          for (const [target, spelling] of [
            ['glue', glueType(p)],
            ['spark', sparkSqlType(p)],
            ['duckdb', duckdbType(p)],
          ] as const) {
            const parsed = parseColumnType(spelling);
            assert.ok(parsed, `${object.name}.${p.name}: ${target} type ${spelling} does not parse back`);
            assert.ok(
              readBack(p, want, logicalTypeOf(parsed), target),
              `${object.name}.${p.name}: ${want} → ${target} ${spelling} → ${logicalTypeOf(parsed)}`,
            );
          }
          // The resolved type is a fixpoint of its own Glue spelling (except the lossy cases).
          const t = columnType(p);
          if (t.kind !== 'time' && t.kind !== 'json')
            assert.equal(glueType(prop({ physicalType: glueType(p) })), glueType(p), `${p.name}`);
        }
      }
    });
  }
});
