import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { isMeshError, type MeshError } from '@meshkit/contracts';
import { runProduct } from '../src/index.js';
import { lockDown, selectStatementProblem } from '../src/sandbox.js';
import { contract, tempProduct } from './helpers.js';

const NOW = new Date('2026-11-02T00:00:00Z');
const CSV = 'id,qty\nI-1,1\nI-2,5\n';
const TRANSFORM = 'SELECT id, CAST(qty AS INT) AS qty FROM raw\n';

/** A contract whose object-level quality is `rule` (one YAML flow mapping), on line 12 of the file. */
function withRule(rule: string): string {
  return contract(`    quality:
      - { id: rows, metric: rowCount, mustBeGreaterThan: 0 }
      - ${rule}
    properties:
      - { name: id, logicalType: string, required: true }
      - { name: qty, logicalType: integer, physicalType: int }
`);
}

async function failure(p: Promise<unknown>): Promise<MeshError> {
  try {
    await p;
  } catch (e) {
    if (isMeshError(e)) return e;
    throw e;
  }
  assert.fail('expected a MeshError');
}

async function run(rule: string, transform = TRANSFORM) {
  const { root, productDir } = tempProduct({ contract: withRule(rule), transform, fixtures: { 'raw.csv': CSV } });
  const out = join(root, 'out');
  return { e: await failure(runProduct({ productDir, now: NOW, out })), out, root };
}

test("selectStatementProblem: DuckDB's parser decides — one SELECT, else why and where", async () => {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    for (const ok of [
      'SELECT 1',
      'WITH a AS (SELECT 1 AS x) SELECT x FROM a;',
      'SELECT 1 UNION ALL SELECT 2',
      "SELECT 'a;b' -- c;\n",
    ]) {
      assert.equal(await selectStatementProblem(conn, ok), undefined, ok);
    }
    assert.deepEqual(await selectStatementProblem(conn, 'SELECT 1;\n  SELECT 2'), {
      message: 'it holds 2 statements',
      line: 2,
      column: 3,
    });
    assert.equal(
      (await selectStatementProblem(conn, "COPY (SELECT 1) TO '/tmp/x.csv'"))!.message,
      'it is a COPY statement, not a query',
    );
    assert.equal(
      (await selectStatementProblem(conn, 'SET enable_external_access = true'))!.message,
      'it is a SET statement, not a query',
    );
    assert.equal(
      (await selectStatementProblem(conn, "-- c\nATTACH '/tmp/x.db'"))!.message,
      'it is a ATTACH statement, not a query',
    );
    assert.equal(
      (await selectStatementProblem(conn, "SELECT 1; COPY (SELECT 1) TO '/tmp/x.csv'"))!.message,
      'it holds 2 statements',
    );
    const p = (await selectStatementProblem(conn, 'SELECT a,\n  FROM t WHERE'))!;
    assert.match(p.message, /does not parse: syntax error/);
    assert.equal(p.line, 2);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
});

test('lockDown: registered files and the output directory stay reachable, nothing else, and it cannot be undone', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'meshkit-sandbox-'));
  const { productDir } = tempProduct({
    contract: withRule('{ id: x, metric: rowCount, mustBeGreaterThan: 0 }'),
    transform: TRANSFORM,
    fixtures: { 'raw.csv': CSV },
  });
  const input = join(productDir, 'fixtures', 'raw.csv');
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    await conn.run(`CREATE TEMP VIEW raw AS SELECT * FROM read_csv('${input}')`);
    await lockDown(conn, { readPaths: [input], writeDirs: [dir] });
    assert.equal(Number((await conn.runAndReadAll('SELECT count(*) AS n FROM raw')).getRowObjects()[0]!.n), 2);
    await conn.run(`COPY (SELECT * FROM raw) TO '${join(dir, 'ok.parquet')}' (FORMAT parquet)`);
    assert.ok(existsSync(join(dir, 'ok.parquet')));
    const denied = async (sql: string, re: RegExp) => assert.rejects(conn.run(sql), re, sql);
    await denied(`SELECT * FROM read_text('${join(productDir, 'contract.odcs.yaml')}')`, /Permission Error/);
    await denied(`COPY (SELECT 1) TO '${join(productDir, 'leak.csv')}'`, /Permission Error/);
    await denied("ATTACH '/tmp/meshkit-sandbox.db'", /Permission Error/);
    await denied('SET enable_external_access = true', /configuration has been locked/);
    await denied('RESET lock_configuration', /configuration has been locked/);
    assert.ok(!existsSync(join(productDir, 'leak.csv')));
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
});

test("a type: sql rule of several statements is exit 1 at the rule's line, before anything is written", async () => {
  const { e, out } = await run("{ id: two, type: sql, query: 'SELECT 1; SELECT 2', mustBe: 1 }");
  assert.equal(e.code, 'QUALITY_SQL');
  assert.equal(e.exitCode, 1);
  assert.match(
    e.message,
    /^quality rule two \(type: sql\) of domains\/shop\/products\/items\/contract\.odcs\.yaml must be one SELECT query: it holds 2 statements/,
  );
  assert.deepEqual([e.file, e.line], ['domains/shop/products/items/contract.odcs.yaml', 12]);
  assert.ok(
    !existsSync(out) && !readdirSync(join(out, '..')).some((n) => n.startsWith('out.')),
    'no output, no temporary left',
  );
});

test('a type: sql rule that writes a file is refused and writes nothing', async () => {
  const { e, root } = await run(`{ id: leak, type: sql, query: "COPY (SELECT 'x') TO 'leak.csv'", mustBe: 0 }`);
  assert.equal(e.code, 'QUALITY_SQL');
  assert.match(e.message, /quality rule leak .*must be one SELECT query: it is a COPY statement, not a query/);
  assert.ok(!existsSync(join(root, 'leak.csv')) && !existsSync('leak.csv'));
});

test('a type: sql rule reading a file runs sandboxed: the read is refused, exit 1 naming the rule', async () => {
  const { e } = await run(`{ id: peek, type: sql, query: "SELECT count(*) FROM read_text('/etc/passwd')", mustBe: 0 }`);
  assert.equal(e.code, 'QUALITY_SQL');
  assert.equal(e.exitCode, 1);
  assert.match(
    e.message,
    /quality rule peek \(type: sql\) .* failed to run: Permission Error: Cannot access file "\/etc\/passwd"/,
  );
  assert.equal(e.line, 12);
});

test('a runtime error in a type: sql rule is exit 1 naming the rule and its line, not a stack trace', async () => {
  const { e } = await run('{ id: cast_fails, type: sql, query: "SELECT CAST(\'abc\' AS INTEGER)", mustBe: 0 }');
  assert.equal(e.code, 'QUALITY_SQL');
  assert.equal(e.exitCode, 1);
  assert.match(
    e.message,
    /quality rule cast_fails \(type: sql\) .* failed to run: Conversion Error: Could not convert string 'abc' to INT32/,
  );
  assert.equal(e.line, 12);
  assert.ok(!e.message.includes('\n    at '));
});

test('an unparseable type: sql rule is exit 1 at its line', async () => {
  const { e } = await run("{ id: broken, type: sql, query: 'SELECT count(* FROM ${object}', mustBe: 0 }");
  assert.equal(e.code, 'QUALITY_SQL');
  assert.match(e.message, /quality rule broken .* does not parse: syntax error/);
  assert.equal(e.line, 12);
});

test('transform.sql runs in the same sandbox: a file read is refused, exit 1 in transform.sql', async () => {
  const { productDir } = tempProduct({
    contract: withRule('{ id: x, metric: rowCount, mustBeGreaterThan: 0 }'),
    transform: TRANSFORM,
    fixtures: { 'raw.csv': CSV },
  });
  const sniff = `SELECT id, CAST(qty AS INT) AS qty FROM raw, sniff_csv('${join(productDir, 'product.yaml')}')\n`;
  const { productDir: p2 } = tempProduct({
    contract: withRule('{ id: x, metric: rowCount, mustBeGreaterThan: 0 }'),
    transform: sniff,
    fixtures: { 'raw.csv': CSV },
  });
  const e = await failure(runProduct({ productDir: p2, now: NOW }));
  assert.equal(e.code, 'TRANSFORM_SQL');
  assert.equal(e.exitCode, 1);
  assert.match(e.message, /Permission Error/);
  // The sandboxed run still reads its input and writes its output.
  const ok = await runProduct({ productDir, now: NOW });
  assert.equal(ok.status, 'passed');
  assert.equal(ok.rowsOut, 2);
});
