// The check plan (toCheckPlan): the same checks in both dialects, the text-cast grammar both
// engines apply, and the regular expressions translated for Java (Spark). The plan's Spark side is
// run on real Spark by packages/runtime/test/spark-parity*.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DuckDBInstance } from '@duckdb/node-api';
import { datasetScan, javaRegex, textCastPattern, toCheckPlan } from '../src/compile/index.js';
import { parseContract } from '../src/contract/load-contract.js';
import { ordersContract } from './compile-fixture.js';

test('one plan, two dialects: the same rule ids, kinds and levels; identifiers and literals quoted per dialect', () => {
  const now = new Date('2026-11-02T12:00:00Z');
  const duck = toCheckPlan(ordersContract(), { dialect: 'duckdb', now });
  const spark = toCheckPlan(ordersContract(), { now });
  assert.equal(spark.dialect, 'spark');
  assert.equal(spark.format, 'meshkit.check-plan/1');
  const shape = (p: typeof duck) => [
    p.rowRules.map((r) => `${r.id} ${r.kind}`),
    p.datasetRules.map((r) => `${r.id} ${r.kind} ${r.threshold}`),
    p.skipped.map((r) => r.id),
    p.columns,
  ];
  assert.deepEqual(shape(spark), shape(duck));
  assert.ok(duck.rowRules.length > 0 && duck.datasetRules.length > 0);
  for (const r of spark.rowRules)
    assert.doesNotMatch(r.passSql, /"/, `${r.id}: no double-quoted identifier in Spark SQL`);
  const fresh = spark.datasetRules.find((r) => r.kind === 'freshness');
  if (fresh) {
    assert.match(fresh.sql, /CAST\('2026-11-02T12:00:00.000Z' AS TIMESTAMP\)/);
    assert.doesNotMatch(fresh.sql, /current_timestamp/);
  }
  // Without `now`, freshness is evaluated at the engine's clock (the Glue job).
  assert.ok(
    toCheckPlan(ordersContract())
      .datasetRules.filter((r) => r.kind === 'freshness')
      .every((r) => /current_timestamp\(\)/.test(r.sql)),
  );
  assert.deepEqual(JSON.parse(JSON.stringify(spark)), spark, 'JSON-serialisable');
});

test('javaRegex: $ outside classes → \\z, (?d) first; escapes and classes untouched', () => {
  assert.equal(javaRegex('^a$'), '(?d)^a\\z');
  assert.equal(javaRegex('[$]\\$x$'), '(?d)[$]\\$x\\z');
  assert.equal(javaRegex('[^]$]+$'), '(?d)[^]$]+\\z');
  assert.equal(javaRegex('a|b'), '(?d)a|b');
});

test('textCastPattern: the text both engines cast, per type (checked with RE2 in DuckDB)', async () => {
  const cases: Array<[string, string[], string[]]> = [
    ['bigint', ['42', ' 42 ', '+7', '-0', '007'], ['1.5', '1e3', '0x10', '1_000', '', 'NaN']],
    ['decimal(12,2)', ['1.005', '.5', '5.', '1e2', '-3'], ['1,5', 'NaN', '1_0', '.', 'e2']],
    ['double', ['1.5', 'NaN', '-inf', 'Infinity', '1E21'], ['abc', '1,5', 'infinit']],
    ['boolean', ['TRUE', 'f', 'yes', 'N', '1', ' true '], ['off', '2', 'tru']],
    ['date', ['2024-2-3', '2024-02-03T23:30:00-05:00', '2024-02-30'], ['20240203', '2024/02/03', 'infinity']],
    [
      'timestamp',
      [
        '2026-11-01T10:00:00+02:00',
        '2026-11-01 10:00:00-0530',
        '2026-11-01 10:00:00 UTC',
        '2026-11-01',
        '2026-11-01 7:05',
        '2026-11-01T10:00:00.123456789Z',
      ],
      ['2026-11-01T24:00:00', '2026-11-01 10:00:00 Europe/Paris', 'infinity', '2026-11-01T10'],
    ],
  ];
  assert.equal(textCastPattern('string'), undefined);
  assert.equal(textCastPattern('array<int>'), undefined);
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    for (const [type, yes, no] of cases) {
      const p = textCastPattern(type)!;
      for (const v of [...yes, ...no]) {
        const r = (
          await conn.runAndReadAll(`SELECT regexp_matches('${v.replace(/'/g, "''")}', '${p.replace(/'/g, "''")}') AS m`)
        ).getRowObjects()[0]!.m;
        assert.equal(r, yes.includes(v), `${type}: '${v}'`);
      }
    }
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
});

test('datasetScan: one scan gives each aggregate rule the value and verdict of its own query (NULLs, NaN, -0.0, duplicates, empty table)', async () => {
  const loaded = parseContract(
    'scan.odcs.yaml',
    `apiVersion: v3.1.0
kind: DataContract
id: scan
name: Scan
version: 1.0.0
status: active
slaProperties:
  - { property: latency, value: 2, unit: d, element: t.ts }
schema:
  - name: t
    quality:
      - { metric: rowCount, mustBeGreaterThan: 3 }
      - { id: pk, metric: duplicateValues, arguments: { properties: [k, s] }, mustBe: 0 }
      - { id: big, type: sql, query: 'SELECT count(*) FROM \${object} WHERE x > 1', mustBeLessThan: 5 }
    properties:
      - { name: k, logicalType: integer, unique: true }
      - { name: id, logicalType: integer, primaryKey: true }
      - name: x
        logicalType: number
        quality:
          - { metric: duplicateValues, mustBeLessThan: 20, unit: percent }
          - { metric: nullValues, mustBeLessThan: 10, unit: percent, severity: warning }
          - { metric: invalidValues, arguments: { validValues: [1, 2] }, mustBeLessOrEqualTo: 2 }
      - name: s
        logicalType: string
        quality:
          - { metric: missingValues, arguments: { missingValues: ['', 'N/A'] }, mustBeLessThan: 50, unit: percent }
          - { metric: duplicateValues, mustBe: 0 }
          - { metric: invalidValues, arguments: { pattern: '^[a-z]+$' }, mustBeLessThan: 2 }
      - { name: ts, logicalType: timestamp }
`,
  );
  assert.deepEqual(loaded.diagnostics, []);
  const contract = loaded.contract!;
  const now = new Date('2026-11-02T12:00:00Z');
  const plan = toCheckPlan(contract, { dialect: 'duckdb', table: 't', now });
  const scan = datasetScan(contract, { dialect: 'duckdb', table: 't', now })!;
  const kinds = new Set(plan.datasetRules.filter((r) => scan.ids.includes(r.id)).map((r) => r.kind));
  for (const k of [
    'rowCount',
    'freshness',
    'unique',
    'primaryKey',
    'duplicateValues',
    'nullValues',
    'missingValues',
    'invalidValues',
  ])
    assert.ok(kinds.has(k as never), `${k} is computed in the scan`);
  assert.deepEqual(
    plan.datasetRules.filter((r) => !scan.ids.includes(r.id)).map((r) => r.id),
    ['pk', 'big'],
    'sql rules and uniqueness over several columns run their own query',
  );
  const tables = [
    `SELECT * FROM (VALUES (1, 1.0::DOUBLE, 'a', TIMESTAMP '2026-11-01 00:00:00', 1), (1, -0.0, 'a', NULL, 1), (NULL, 0.0, '', NULL, NULL),
       (NULL, 'nan'::DOUBLE, 'N/A', TIMESTAMP '2026-10-01 00:00:00', 2), (3, 'nan'::DOUBLE, NULL, NULL, 3), (4, NULL, 'B', NULL, NULL),
       (5, 2.0, 'b', NULL, 4)) AS v(k, x, s, ts, id)`,
    `SELECT * FROM (VALUES (1, 1.0::DOUBLE, 'a', TIMESTAMP '2026-11-02 00:00:00', 1), (2, 2.0, 'b', NULL, 2), (3, 3.0, 'c', NULL, 3),
       (4, 4.0, 'd', NULL, 4)) AS v(k, x, s, ts, id)`,
    `SELECT 1::INTEGER AS k, 1.0::DOUBLE AS x, 'a' AS s, TIMESTAMP '2026-11-02 00:00:00' AS ts, 1::INTEGER AS id WHERE FALSE`,
  ];
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    for (const [n, table] of tables.entries()) {
      await conn.run(`CREATE OR REPLACE TABLE t AS ${table}`);
      const row = (await conn.runAndReadAll(scan.sql)).getRowObjects()[0]!;
      for (const [i, id] of scan.ids.entries()) {
        const own = (await conn.runAndReadAll(plan.datasetRules.find((r) => r.id === id)!.sql)).getRowObjects()[0]!;
        const value = (v: unknown) => (v === null ? null : Number(v));
        assert.deepEqual([value(row[`v${i}`]), row[`p${i}`]], [value(own.value), own.passed], `table ${n}, ${id}`);
      }
    }
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
});
