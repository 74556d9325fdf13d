import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkPortableSql } from '../src/index.js';

const rules = (sql: string) => checkPortableSql(sql).map((f) => `${f.line}:${f.column} ${f.rule}`);

test('portable queries pass: CTEs, joins, CASE, CAST, windows, intervals, comments', () => {
  assert.deepEqual(
    rules(`-- a comment
WITH x AS (SELECT a, CAST(b AS DECIMAL(12, 2)) AS b FROM raw /* block */)
SELECT x.a, sum(b) OVER (PARTITION BY a ORDER BY b) AS s, CASE WHEN a IS NULL THEN 'n/a' ELSE 'it' || chr(39) || 's' END AS c,
  coalesce(a, 0) + 1 AS d, CAST(ts AS DATE) - INTERVAL 1 DAY AS e, regexp_extract(a, '^x', 0) AS f
FROM x LEFT JOIN sales_orders AS o ON o.a = x.a
WHERE a IN (1, 2) AND b BETWEEN 0 AND 10
GROUP BY x.a ORDER BY 1 LIMIT 10;`),
    [],
  );
});

test('DuckDB-only syntax is reported at its line and column', () => {
  assert.deepEqual(rules('SELECT a::INT FROM raw'), ['1:9 SQL-CAST-OPERATOR']);
  assert.deepEqual(rules('SELECT * EXCLUDE (a) FROM raw'), ['1:10 SQL-STAR-MODIFIER']);
  assert.deepEqual(rules('SELECT a FROM raw\nQUALIFY row_number() OVER () = 1'), ['2:1 SQL-DUCKDB-ONLY']);
  assert.deepEqual(rules("SELECT [1, 2] AS l, {'a': 1} AS s FROM raw"), [
    '1:8 SQL-LIST-SYNTAX',
    '1:21 SQL-STRUCT-LITERAL',
  ]);
  assert.deepEqual(rules("SELECT regexp_matches(a, 'x') FROM raw"), ['1:8 SQL-FUNCTION']);
  assert.deepEqual(rules('SELECT "a" FROM raw'), ['1:8 SQL-DOUBLE-QUOTED']);
  assert.deepEqual(rules('SELECT `a` FROM raw'), ['1:8 SQL-BACKTICK']);
  assert.deepEqual(rules('SELECT a // 2, a ** 2, a ^ 2 FROM raw'), [
    '1:10 SQL-INTEGER-DIVISION',
    '1:18 SQL-POWER-OPERATOR',
    '1:26 SQL-CARET',
  ]);
  assert.deepEqual(rules("SELECT 'a\\b' FROM raw"), ['1:8 SQL-BACKSLASH']);
  assert.deepEqual(rules("SELECT 'it''s' FROM raw"), ['1:8 SQL-QUOTE-ESCAPE']);
  assert.deepEqual(rules("SELECT concat(a, b), regexp_replace(a, 'x', 'y') FROM raw"), [
    '1:8 SQL-FUNCTION',
    '1:22 SQL-FUNCTION',
  ]);
  assert.deepEqual(rules('FROM raw SELECT a'), ['1:1 SQL-FROM-FIRST']);
  assert.deepEqual(rules('SELECT CAST(a AS HUGEINT), TRY_CAST(b AS VARCHAR) FROM raw'), [
    '1:18 SQL-TYPE',
    '1:42 SQL-TYPE',
  ]);
  assert.deepEqual(rules("SELECT * FROM 'data.csv'"), ['1:15 SQL-FILE-READ']);
  assert.deepEqual(rules("SELECT * FROM read_parquet('x.parquet')"), ['1:15 SQL-FUNCTION']);
  assert.deepEqual(rules('SELECT a FROM raw GROUP BY ALL'), ['1:28 SQL-GROUP-BY-ALL']);
  assert.deepEqual(rules('SELECT $1 FROM raw'), ['1:8 SQL-PARAMETER']);
});

test('one query only: statements, several statements, empty files and unterminated literals', () => {
  assert.deepEqual(rules("COPY raw TO 'x.csv'"), ['1:1 SQL-NOT-A-QUERY']);
  assert.deepEqual(rules('SELECT 1; SELECT 2;'), ['1:9 SQL-MULTIPLE-STATEMENTS']);
  assert.deepEqual(rules('-- nothing\n'), ['1:1 SQL-EMPTY']);
  assert.deepEqual(rules("SELECT 'abc FROM raw"), ['1:8 SQL-SYNTAX']);
  assert.deepEqual(rules('SELECT a /* open'), ['1:10 SQL-SYNTAX']);
});

test('words that are only DuckDB keywords elsewhere are fine as names', () => {
  assert.deepEqual(rules('SELECT t.sample, t.pivot, x AS qualify_flag FROM raw AS t'), []);
});
