import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DuckDBInstance } from '@duckdb/node-api';
import { compileQuality, toSqlChecks, metricSql } from '../src/compile/index.js';
import { contractWith, ordersContract } from './compile-fixture.js';

const ROWS = `
CREATE TABLE orders (order_id VARCHAR, line_no INTEGER, status VARCHAR, amount DECIMAL(12,2), email VARCHAR,
  country_code VARCHAR, updated_at TIMESTAMP, note VARCHAR, tags VARCHAR[], customer STRUCT(id VARCHAR, zip VARCHAR));
INSERT INTO orders VALUES
  ('ORD-1', 1, 'NEW',     10,     'a@x.io', 'DE', now()::TIMESTAMP, NULL, ['a'], {'id': 'c1', 'zip': '1'}),  -- good
  ('ORD-1', 2, 'PAID',    NULL,   NULL,     NULL, now()::TIMESTAMP, 'it''s', NULL, NULL),                     -- good (nulls allowed)
  ('BAD-3', 1, 'LOST',    -5,     'nope',   'N/A', now()::TIMESTAMP, NULL, NULL, NULL),                     -- pattern, allowed, range, missing
  (NULL,    0, 'SHIPPED', 100001, 'a@x.io', 'DEU', NULL, NULL, NULL, NULL),                                  -- required x2, range x2, length
  ('ORD-1', 1, NULL,      5,      'b@x.io', '',  now()::TIMESTAMP - INTERVAL 10 DAY, NULL, NULL, NULL);  -- required, missing, dup key
`;

async function withDb<T>(fn: (run: (sql: string) => Promise<Record<string, unknown>[]>) => Promise<T>): Promise<T> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    return await fn(async (sql) => (await conn.runAndReadAll(sql)).getRowObjects());
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

test('orders on DuckDB: exactly the expected rows and dataset checks fail', async () => {
  const sql = toSqlChecks(compileQuality(ordersContract()), { table: 'orders' });
  await withDb(async (run) => {
    for (const stmt of ROWS.split(';').filter((s) => s.trim())) await run(stmt);
    const failing: Record<string, string[]> = {};
    for (const p of sql.rowPredicates) {
      const rows = await run(
        `SELECT coalesce(order_id, '?') || '/' || line_no AS k FROM orders WHERE NOT (${p.sql}) ORDER BY k`,
      );
      const passes = await run(`SELECT count(*) AS n FROM orders WHERE ${p.sql}`);
      assert.equal(Number(passes[0]!.n) + rows.length, 5, `${p.id}: predicate is never NULL`);
      if (rows.length) failing[p.id] = rows.map((r) => String(r.k));
    }
    assert.deepEqual(failing, {
      'order_id.required': ['?/0'],
      'order_id.pattern': ['BAD-3/1'],
      'line_no.range': ['?/0'],
      'status.required': ['ORD-1/1'],
      'status.allowedValues': ['BAD-3/1'],
      'amount.range': ['?/0', 'BAD-3/1'],
      'country_code.length': ['?/0', 'BAD-3/1', 'ORD-1/1'],
      'country_code.missingValues': ['BAD-3/1', 'ORD-1/1'],
      'updated_at.required': ['?/0'],
    });
    const results: Record<string, [number, boolean]> = {};
    for (const c of sql.datasetChecks) {
      const r = await run(c.sql);
      assert.equal(r.length, 1, c.id);
      assert.equal(typeof r[0]!.passed, 'boolean', c.id);
      results[c.id] = [Math.round(Number(r[0]!.value) * 100) / 100, r[0]!.passed as boolean];
    }
    assert.deepEqual(results, {
      'email.nullValues': [20, false], // 1 of 5 rows null = 20 % (must be < 10)
      email_shape: [1, true], // 'nope' (≤ 1 row tolerated)
      'order_id+line_no.primaryKey': [2, false], // one null key + one duplicate (ORD-1,1)
      'table.rowCount': [5, true],
      no_negative_amounts: [1, false],
      'email.duplicateValues': [20, true], // a@x.io twice: 1 of 5 rows = 20 % (< 50)
      'updated_at.freshness': [240, false], // oldest row 10 days old (≤ 96 h allowed)
    });
    assert.deepEqual(
      sql.skipped.map((s) => s.id),
      ['customer.skipped', 'table.skipped', 'table.skipped_2'],
    );
  });
});

test('empty table: percentages are 0, freshness passes, row count 0', async () => {
  const c = contractWith([
    {
      name: 't',
      quality: [{ metric: 'rowCount', mustBeGreaterThan: 0 }],
      properties: [
        {
          name: 'ts',
          logicalType: 'timestamp',
          quality: [{ metric: 'nullValues', mustBeLessThan: 5, unit: 'percent' }],
        },
      ],
    },
  ]);
  const contract = { ...c, slaProperties: [{ property: 'freshness', value: 2, unit: 'h', element: 'ts' }] };
  const sql = toSqlChecks(compileQuality(contract), { table: 't' });
  await withDb(async (run) => {
    await run('CREATE TABLE t (ts TIMESTAMP)');
    const out = Object.fromEntries(
      await Promise.all(sql.datasetChecks.map(async (d) => [d.id, (await run(d.sql))[0]!.passed])),
    );
    assert.deepEqual(out, { 'ts.nullValues': true, 'table.rowCount': false, 'ts.freshness': true });
  });
});

test('quoting and escaping survive hostile names and values', async () => {
  const c = contractWith([
    {
      name: 't',
      properties: [
        {
          name: 'x',
          physicalName: 'we"ird',
          logicalType: 'string',
          quality: [{ metric: 'invalidValues', arguments: { validValues: ["it's", 'a\\b'] }, mustBe: 0 }],
        },
        {
          name: 'n',
          logicalType: 'integer',
          quality: [
            { metric: 'invalidValues', arguments: { validValues: [1, 2] }, mustBe: 0 },
            { metric: 'missingValues', mustBe: 0 },
          ],
        },
        { name: 'p', logicalType: 'string', logicalTypeOptions: { pattern: "^\\d{2}'$" } },
        {
          name: 'd',
          logicalType: 'date',
          logicalTypeOptions: { exclusiveMinimum: '2020-01-01', maximum: '2021-01-01' },
        },
      ],
    },
  ]);
  const checks = compileQuality(c);
  assert.equal(
    checks.find((k) => k.id === 'we_ird.allowedValues')?.columns[0],
    'we_ird',
    'column names are snake_cased',
  );
  const sql = toSqlChecks(checks, { table: 't' });
  await withDb(async (run) => {
    await run(`CREATE TABLE t ("we_ird" VARCHAR, n INTEGER, p VARCHAR, d DATE)`);
    await run(
      `INSERT INTO t VALUES ('it''s', 1, '12''', DATE '2020-06-01'), ('a\\b', 2, NULL, DATE '2021-01-01'), ('x', 3, '12', DATE '2020-01-01'), (NULL, NULL, '', NULL)`,
    );
    const failing: Record<string, number> = {};
    for (const p of sql.rowPredicates)
      failing[p.id] = Number((await run(`SELECT count(*) AS n FROM t WHERE NOT (${p.sql})`))[0]!.n);
    assert.deepEqual(failing, {
      'we_ird.allowedValues': 1,
      'n.allowedValues': 1,
      'n.missingValues': 1,
      'p.pattern': 2,
      'd.range': 1,
    });
  });
});

test('spark dialect: backticks, backslash-escaped literals, RLIKE', () => {
  const c = contractWith([
    {
      name: 't',
      properties: [
        {
          name: 'p',
          logicalType: 'string',
          quality: [{ metric: 'invalidValues', arguments: { pattern: "^\\d'$" }, mustBeLessThan: 5, unit: 'percent' }],
        },
      ],
    },
  ]);
  const [check] = compileQuality(c);
  assert.equal(
    metricSql(check!, 'primary', 'spark'),
    "SELECT coalesce(100.0 * (SELECT coalesce(sum(CASE WHEN (`p` IS NOT NULL AND (NOT `p` RLIKE '(?d)^\\\\d\\'\\\\z')) THEN 1 ELSE 0 END), 0) FROM primary) / nullif((SELECT count(*) FROM primary), 0), 0) AS value",
  );
});

test('every identifier is quoted: a table starting with a digit, columns; binary lengths count bytes', async () => {
  const contract = contractWith([
    {
      name: '2024 orders',
      properties: [
        { name: 'id', logicalType: 'integer', physicalType: 'bigint', required: true },
        {
          name: 'blob',
          logicalType: 'string',
          physicalType: 'bytea',
          logicalTypeOptions: { maxLength: 3, pattern: '^a' },
        },
      ],
    },
  ]);
  const { quoteIdentifier, toCreateTable, columnTypes } = await import('../src/compile/index.js');
  assert.equal(quoteIdentifier('2024_orders'), '"2024_orders"');
  assert.equal(quoteIdentifier('main.2024_orders'), '"main"."2024_orders"');
  assert.equal(quoteIdentifier('a"b', 'spark'), '`a"b`');
  const ddl = toCreateTable(contract);
  assert.equal(ddl, 'CREATE TABLE "2024_orders" (\n  "id" BIGINT,\n  "blob" BLOB\n)');
  const sql = toSqlChecks(compileQuality(contract), {
    table: quoteIdentifier('2024_orders'),
    columnTypes: columnTypes(contract),
  });
  assert.deepEqual(
    sql.skipped.map((s) => s.reason),
    ['a pattern does not apply to the binary column blob'],
  );
  await withDb(async (run) => {
    await run(ddl);
    await run(`INSERT INTO "2024_orders" VALUES (1, from_base64('YWJj')), (2, from_base64('YWJjZA=='))`);
    const bad = sql.rowPredicates.find((p) => p.id === 'blob.length')!;
    assert.match(bad.sql, /octet_length\("blob"\)/);
    assert.deepEqual(
      (await run(`SELECT id FROM "2024_orders" WHERE NOT (${bad.sql})`)).map((r) => Number(r.id)),
      [2],
    );
    for (const d of sql.datasetChecks) await run(d.sql);
  });
});
