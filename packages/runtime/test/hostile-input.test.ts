// Hostile input files: read the same way at row 1 and at row 1,000,000.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { isMeshError, type MeshError } from '@meshkit/contracts';
import { runProduct } from '../src/index.js';
import { contract, readParquet, tempProduct } from './helpers.js';

const NOW = new Date('2026-11-02T00:00:00Z');
const CONTRACT = contract(`    properties:
      - { name: id, logicalType: integer, required: true }
      - { name: amount, logicalType: number, physicalType: 'decimal(12,2)' }
      - { name: day, logicalType: date }
`);
const TRANSFORM = 'SELECT id, amount, day FROM raw\n';

async function meshError(p: Promise<unknown>): Promise<MeshError> {
  try {
    await p;
  } catch (e) {
    if (isMeshError(e)) return e;
    throw e;
  }
  return assert.fail('expected a MeshError');
}

test('a bad value at row 2 and at row 999,999 of a 1,000,000-row CSV are quarantined alike, with their lines', async () => {
  const { root, productDir } = tempProduct({ contract: CONTRACT, transform: TRANSFORM });
  const input = join(root, 'big.csv');
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  await conn.run(
    `COPY (SELECT range + 1 AS id, CASE WHEN range IN (1, 999998) THEN 'n/a' ELSE CAST(range % 1000 AS VARCHAR) || '.25' END AS amount, DATE '2026-11-01' AS day FROM range(1000000)) TO '${input}' (FORMAT csv, HEADER)`,
  );
  conn.closeSync();
  instance.closeSync();
  const r = await runProduct({ productDir, root, input, now: NOW });
  assert.equal(r.status, 'passed');
  assert.deepEqual([r.input.rowsRead, r.input.rowsRejected, r.rowsIn, r.rowsOut], [1_000_000, 2, 999_998, 999_998]);
  const rejected = await readParquet(r.paths.rejectedInput, 'ORDER BY line');
  assert.deepEqual(
    rejected.map((x) => x.line),
    ['3', '1000000'],
    'data row 2 is line 3, row 999,999 line 1,000,000',
  );
  for (const x of rejected) {
    assert.deepEqual(x.failed_rules, ['amount.castable']);
    assert.match(String(x.reason), /amount\.castable: amount = 'n\/a' cannot be cast to DECIMAL\(12,2\)/);
  }
});

test('an unterminated quote does not switch quoting off: earlier rows are read, the broken record is quarantined at its line', async () => {
  const csv = 'id,amount,day\n1,"1000.00",2026-11-01\n2,"5.00,2026-11-01\n3,7.00,2026-11-01\n';
  const { root, productDir } = tempProduct({ contract: CONTRACT, transform: TRANSFORM, fixtures: { 'raw.csv': csv } });
  const r = await runProduct({ productDir, root, now: NOW });
  assert.equal(r.rowsIn, 1);
  assert.equal(r.input.rowsRejected, 1);
  const rejected = await readParquet(r.paths.rejectedInput);
  assert.equal(rejected[0]!.line, '3');
  assert.match(String(rejected[0]!.reason), /^input\.malformed: line 3: .*unterminated quote/i);
});

test('malformed records count once per physical line (a line of NUL bytes is one), lines after quoted newlines are physical', async () => {
  const csv =
    'id,amount,day\n1,"2.00",2026-11-01\n\0\0\0\0\0\0\0\0\0\n2,"3.\n00",2026-11-01\n\n4,5.00\n5,x,2026-11-01\n';
  const { root, productDir } = tempProduct({ contract: CONTRACT, transform: TRANSFORM, fixtures: { 'raw.csv': csv } });
  const r = await runProduct({ productDir, root, now: NOW });
  const rejected = await readParquet(r.paths.rejectedInput, 'ORDER BY line');
  assert.deepEqual(
    rejected.map((x) => [x.line, (x.failed_rules as string[])[0]]),
    [
      ['3', 'input.malformed'],
      ['4', 'amount.castable'],
      ['7', 'input.malformed'],
      ['8', 'amount.castable'],
    ],
  );
  assert.equal(r.input.rowsRejected, 4);
  assert.equal(r.rowsIn, 1);
});

test('a 0-byte file and a header-only file give an empty passing run with a clear message; a row-count rule fails it', async () => {
  for (const [text, empty] of [
    ['', /is empty \(no header row\): transform\.sql was not run/],
    ['id,amount,day\n', /has a header row and no records/],
  ] as const) {
    const { root, productDir } = tempProduct({
      contract: CONTRACT,
      transform: 'SELECT CAST(id AS INT) AS id, amount, day FROM raw\n',
      fixtures: { 'raw.csv': text },
    });
    const r = await runProduct({ productDir, root, now: NOW });
    assert.equal(r.status, 'passed');
    assert.deepEqual([r.rowsIn, r.rowsOut, r.input.rowsRead], [0, 0, 0]);
    assert.match(r.input.empty ?? '', empty);
  }
  for (const name of ['raw.jsonl', 'raw.parquet']) {
    const { root, productDir } = tempProduct({ contract: CONTRACT, transform: TRANSFORM, fixtures: { [name]: '' } });
    const r = await runProduct({ productDir, root, input: join(productDir, 'fixtures', name), now: NOW });
    assert.deepEqual([r.status, r.rowsIn, r.input.format], ['passed', 0, name.endsWith('jsonl') ? 'jsonl' : 'parquet']);
  }
  const counted = contract(`    quality:
      - { id: some_rows, metric: rowCount, mustBeGreaterThan: 0 }
    properties:
      - { name: id, logicalType: integer }
`);
  const { root, productDir } = tempProduct({
    contract: counted,
    transform: 'SELECT id FROM raw\n',
    fixtures: { 'raw.csv': '' },
  });
  const r = await runProduct({ productDir, root, now: NOW });
  assert.equal(r.status, 'failed');
  assert.equal(r.rules.find((x) => x.id === 'some_rows')?.outcome, 'failed');
});

test('--input is a literal path: a name with * [ ? is read as itself, not as a glob', async () => {
  const { root, productDir } = tempProduct({ contract: CONTRACT, transform: TRANSFORM });
  const dir = join(root, 'in');
  mkdirSync(dir);
  writeFileSync(join(dir, '*.csv'), 'id,amount,day\n1,1.00,2026-11-01\n');
  writeFileSync(join(dir, 'other.csv'), 'id,amount,day\n2,2.00,2026-11-01\n3,3.00,2026-11-01\n');
  writeFileSync(join(dir, '[x].csv'), 'id,amount,day\n4,4.00,2026-11-01\n');
  const r = await runProduct({ productDir, root, input: join(dir, '*.csv'), now: NOW });
  assert.equal(r.rowsIn, 1);
  const r2 = await runProduct({ productDir, root, input: join(dir, '[x].csv'), now: NOW });
  assert.equal(r2.rowsOut, 1);
});

test('CAST of a raw text column is refused by the portable-SQL check, pointing to TRY_CAST; TRY_CAST runs', async () => {
  const csv = 'id,price,day\n1,1.00,2026-11-01\n2,oops,2026-11-01\n';
  const { root, productDir } = tempProduct({
    contract: CONTRACT,
    transform: 'SELECT id,\n  CAST(price AS DECIMAL(12, 2)) AS amount, day FROM raw\n',
    fixtures: { 'raw.csv': csv },
  });
  const e = await meshError(runProduct({ productDir, root, now: NOW }));
  assert.equal(e.code, 'UNPORTABLE_SQL');
  assert.equal(e.exitCode, 1);
  assert.deepEqual([e.line, e.column], [2, 3]);
  assert.match(e.message, /^CAST\(price AS DECIMAL…\) of the raw text column 'price' .*use TRY_CAST/);
  assert.equal(e.details[0]?.rule, 'SQL-CAST-RAW-TEXT');
  // An expression of the column is the same; a TRY_CAST inside, a text target and other columns are fine.
  writeFileSync(
    join(productDir, 'transform.sql'),
    'SELECT id, CAST(round(trim(price)) AS INT) AS amount, day FROM raw\n',
  );
  const e2 = await meshError(runProduct({ productDir, root, now: NOW }));
  assert.match(e2.message, /^CAST\(… price … AS INT…\)/);
  writeFileSync(
    join(productDir, 'transform.sql'),
    'SELECT id, CAST(TRY_CAST(price AS DECIMAL(12, 2)) AS DECIMAL(12, 2)) AS amount, CAST(day AS DATE) AS day FROM raw\nWHERE CAST(price AS STRING) IS NOT NULL\n',
  );
  const r0 = await runProduct({ productDir, root, now: NOW });
  assert.deepEqual([r0.rowsIn, r0.rowsOut], [2, 2]);
  writeFileSync(
    join(productDir, 'transform.sql'),
    'SELECT id, TRY_CAST(price AS DECIMAL(12, 2)) AS amount, day FROM raw\n',
  );
  const r = await runProduct({ productDir, root, now: NOW });
  assert.deepEqual([r.rowsIn, r.rowsOut], [2, 2]);
});

test("temporary output folders of killed runs are removed by the next run; a live run's stays", async () => {
  const { root, productDir } = tempProduct({
    contract: CONTRACT,
    transform: TRANSFORM,
    fixtures: { 'raw.csv': 'id,amount,day\n1,1.00,2026-11-01\n' },
  });
  const out = join(root, 'out', 'items');
  mkdirSync(join(root, 'out'), { recursive: true });
  mkdirSync(join(`${out}.tmp-dead0001`, 'curated'), { recursive: true });
  writeFileSync(join(`${out}.tmp-dead0001`, '.meshkit-run.pid'), '999999999\n');
  mkdirSync(`${out}.tmp-nopid002`);
  mkdirSync(`${out}.tmp-alive003`);
  writeFileSync(join(`${out}.tmp-alive003`, '.meshkit-run.pid'), `${process.ppid}\n`);
  await runProduct({ productDir, root, out, now: NOW });
  assert.deepEqual(readdirSync(join(root, 'out')).sort(), ['items', 'items.tmp-alive003']);
  assert.ok(!existsSync(join(out, '.meshkit-run.pid')), 'the owner file is not published');
});

test('JSON lines: a value that does not cast is quarantined with its physical line (blank and malformed lines counted)', async () => {
  const productYaml = 'domain: shop\nname: items\nowner: team-shop\ningestion:\n  mode: batch\n  format: jsonl\n';
  const jsonl = [
    '{"id": 1, "amount": "1.00", "day": "2026-11-01"}',
    '',
    'oops',
    '{"id": 2, "amount": "n/a", "day": "2026-11-01"}',
    '{"id": 3, "amount": "3.00", "day": "2026-11-01"}',
    '',
  ].join('\n');
  const { root, productDir } = tempProduct({
    productYaml,
    contract: CONTRACT,
    transform: TRANSFORM,
    fixtures: { 'raw.jsonl': jsonl },
  });
  const r = await runProduct({ productDir, root, now: NOW });
  assert.deepEqual([r.rowsIn, r.input.rowsRejected], [2, 2]);
  const rejected = await readParquet(r.paths.rejectedInput, 'ORDER BY line');
  assert.deepEqual(
    rejected.map((x) => [x.line, (x.failed_rules as string[])[0]]),
    [
      ['3', 'input.malformed'],
      ['4', 'amount.castable'],
    ],
  );
  assert.match(
    String(rejected[1]!.reason),
    /^line 4: amount\.castable: amount = 'n\/a' cannot be cast to DECIMAL\(12,2\)/,
  );
});

test("CSV integers, dates and timestamps are read by the contract's text grammar at any row: 1.5, 1e3 and 1_000 are not integers, zone offsets convert to UTC, lines stay right", async () => {
  const body = contract(`    properties:
      - { name: id, logicalType: integer, required: true }
      - { name: n, logicalType: integer }
      - { name: ts, logicalType: timestamp }
      - { name: note, logicalType: string }
`);
  const { root, productDir } = tempProduct({ contract: body, transform: 'SELECT id, n, ts, note FROM raw\n' });
  const input = join(root, 'big.csv');
  // A million records; record 10 spans two lines (a quoted newline), record 20 has a field too
  // many (the reader rejects it), a blank line follows record 30: later records sit 2 lines further.
  const special: Record<number, [string, string, string]> = {
    1: ['1e3', '', 'x'],
    2: ['2', '2026-11-01T06:00:00+02:00', 'x'],
    10: ['10', '', '"multi\nline"'],
    20: ['20', '', 'x,extra'],
    30: ['30', '', 'x\n'],
    500_000: ['1.5', '', 'x'],
    999_997: ['7', '2026-11-01 06:00:00-05:30', 'x'],
    999_998: ['1_000', '', 'x'],
  };
  const lines = ['id,n,ts,note'];
  for (let i = 0; i < 1_000_000; i++) {
    const [n, ts, note] = special[i] ?? [String(i % 1000), '2026-11-01 06:00:00', 'x'];
    lines.push(`${i + 1},${n},${ts},${note}`);
  }
  writeFileSync(input, lines.join('\n') + '\n');
  const r = await runProduct({ productDir, root, input, now: NOW });
  assert.deepEqual([r.input.rowsRead, r.input.rowsRejected, r.rowsOut], [1_000_000, 4, 999_996]);
  const rejected = await readParquet(r.paths.rejectedInput, 'ORDER BY line');
  assert.deepEqual(
    rejected.map((x) => [x.line, x.failed_rules, x.raw_line]),
    [
      ['3', ['n.castable'], '2,1e3,,x'],
      ['23', ['input.malformed'], '21,20,,x,extra'],
      ['500004', ['n.castable'], '500001,1.5,,x'],
      ['1000002', ['n.castable'], '999999,1_000,,x'],
    ],
  );
  assert.match(String(rejected[0]!.reason), /^line 3: n\.castable: n = '1e3' cannot be cast to BIGINT$/);
  assert.match(String(rejected[2]!.reason), /^line 500004: n\.castable: n = '1\.5' cannot be cast to BIGINT$/);
  const kept = await readParquet(join(r.paths.curated, '**/*.parquet'), `WHERE id IN (3, 11, 999998) ORDER BY id`);
  assert.deepEqual(
    kept.map((x) => [String(x.ts), x.note]),
    [
      ['2026-11-01 04:00:00', 'x'],
      ['null', 'multi\nline'],
      ['2026-11-01 11:30:00', 'x'],
    ],
  );
});
