// The check plan (toCheckPlan): the same checks in both dialects, the text-cast grammar both
// engines apply, and the regular expressions translated for Java (Spark). The plan's Spark side is
// run on real Spark by packages/runtime/test/spark-parity.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DuckDBInstance } from '@duckdb/node-api';
import { javaRegex, textCastPattern, toCheckPlan } from '../src/compile/index.js';
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
