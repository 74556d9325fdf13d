// The runtime casts contract-typed text values (JSON lines; CSV integers, dates and timestamps) by
// the text grammar both engines share; the CSV reader's own casts of the other types differ from it
// only in the forms pinned below (README, "Known differences").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { registerRawInput } from '../src/raw-input.js';
import { conformanceCastSql, type ContractColumn } from '../src/types.js';

// Edge texts for every type with a grammar: DuckDB's own casts take many of them (`1e3`, `1_000`,
// `0x10`, tabs, `infinity`, `2026/12/31`, `T24:00`, named zones, five-digit years) that the grammar
// (`textCastPattern`, the Glue job's Spark core) does not.
const TEXTS = [
  '1',
  '-0',
  '+1',
  '007',
  ' 1 ',
  '  ',
  '1e3',
  '1E3',
  '1e-3',
  '0e0',
  '1_000',
  '1_000.5',
  '0x10',
  '0b1',
  '1.0',
  '1.5',
  '.5',
  '5.',
  '1,5',
  '--1',
  '+-1',
  '-+1',
  '1-1',
  '1e+-1',
  '1e--1',
  '1e+',
  '1.5e3',
  '1.e3',
  '+.5',
  '-.5e-2',
  '- 1',
  '\t1',
  '1\t',
  '\v1',
  '1\f',
  '1e',
  '1e+',
  '.',
  '1.5.5',
  '1 000',
  '１２',
  '99999999999999999999',
  '12345678901.5',
  '1.123456789',
  '1\u00012',
  '2026-12-31\u0001',
  'NaN',
  '-nan',
  'Inf',
  '+inf',
  '-Infinity',
  'infinity',
  'INF',
  '1e400',
  'true',
  'FALSE',
  't',
  'f',
  'yes',
  'No',
  'y',
  'n',
  'on',
  'off',
  '0',
  '2',
  ' true ',
  '2026-12-31',
  '2026-1-2',
  '2026/12/31',
  '2026-12-31 06:00:00',
  '2026-12-31T06:00:00Z',
  '2026-12-31 06:00:00+02:00',
  '2026-12-31 06:00:00-0530',
  '2026-12-31 06:00:00.123+01',
  '2026-12-31 06:00:00 UTC',
  '2026-12-31 06:00:00 Europe/Paris',
  '2026-12-31T24:00:00',
  '2026-12-31 06:00',
  '2026-02-30',
  '-infinity',
  'epoch',
  '99999-01-01',
  '0044-03-15 (BC)',
  '2026-12-31 06:00:00 (BC)',
  '0001-01-01',
  '9999-12-31 23:59:59.999999',
  ' 2026-12-31 ',
  'x',
];
const TYPES: [string, string][] = [
  ['tinyint', 'TINYINT'],
  ['int', 'INTEGER'],
  ['bigint', 'BIGINT'],
  ['decimal(12,2)', 'DECIMAL(12,2)'],
  ['double', 'DOUBLE'],
  ['float', 'FLOAT'],
  ['boolean', 'BOOLEAN'],
  ['date', 'DATE'],
  ['timestamp', 'TIMESTAMP'],
];

// Texts the CSV reader casts to decimals, doubles and floats, which the grammar does not take:
// underscores, a doubled sign, a tab or other control character around a number.
const CSV_READER_ONLY = ['DECIMAL(12,2)', 'DOUBLE', 'FLOAT'].flatMap((t) =>
  ['1_000', '1_000.5', ...(t === 'DECIMAL(12,2)' ? [] : ['+-1']), '\t1', '1\t', '\v1', '1\f'].map(
    (text) => `${t} ${JSON.stringify(text)}`,
  ),
);

/** Each edge text as `type` read from `format` by registerRawInput, against the grammar cast of the same text. */
async function corpusDiffs(format: 'jsonl' | 'csv'): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'meshkit-raw-input-'));
  const instance = await DuckDBInstance.create(':memory:');
  const diffs: string[] = [];
  const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
  for (const [glueType, duckType] of TYPES) {
    const file = join(dir, `${duckType.replace(/\W/g, '')}.${format}`);
    writeFileSync(
      file,
      format === 'jsonl'
        ? TEXTS.map((v, k) => JSON.stringify({ k, v })).join('\n') + '\n'
        : `k,v\n${TEXTS.map((t, k) => `${k},${q(t)}`).join('\n')}\n`,
    );
    const columns: ContractColumn[] = [
      { name: 'k', glueType: 'int', duckType: 'INTEGER', partition: false },
      { name: 'v', glueType, duckType, partition: false },
    ];
    const conn = await instance.connect();
    await conn.run(`SET TimeZone = 'UTC'`);
    const raw = await registerRawInput(conn, file, 'raw', columns, []);
    // Expected: each text through the grammar cast the Spark core mirrors (read as plain text).
    const source =
      format === 'jsonl'
        ? `read_json('${file}', format = 'newline_delimited', columns = {'k': 'INTEGER', 'v': 'VARCHAR'})`
        : `read_csv('${file}', header = true, auto_detect = false, columns = {'k': 'INTEGER', 'v': 'VARCHAR'}, quote = '"', escape = '"')`;
    const expected = (
      await conn.runAndReadAll(
        `SELECT k, CAST(${conformanceCastSql("NULLIF(v, '')", 'VARCHAR', columns[1]!)} AS VARCHAR) AS v FROM ${source} ORDER BY 1`,
      )
    ).getRowObjectsJson();
    const got = new Map(
      (await conn.runAndReadAll(`SELECT k, CAST(v AS VARCHAR) AS v FROM raw`))
        .getRowObjectsJson()
        .map((r) => [Number(r.k), r.v]),
    );
    // The physical line of text k: after the header row in CSV.
    const first = format === 'csv' ? 2 : 1;
    const rejected = new Map(
      (await conn.runAndReadAll(`SELECT line, failed_rules::VARCHAR AS rules, reason FROM __rejected`))
        .getRowObjectsJson()
        .map((r) => [Number(r.line) - first, `${String(r.rules)} ${String(r.reason)}`]),
    );
    assert.equal(raw.rows + raw.rejected, TEXTS.length, duckType);
    for (const e of expected) {
      const k = Number(e.k);
      const text = TEXTS[k]!;
      if (e.v === null && text.trim() !== '') {
        // Not in the grammar (or not a value of the type): rejected at its line, nothing kept.
        if (got.has(k) || !rejected.get(k)?.startsWith(`[v.castable] line ${k + first}: v.castable: v = '`))
          diffs.push(`${duckType} ${JSON.stringify(text)}`);
      } else if (e.v === null) {
        // Blank: an empty text is no value (NULL); spaces only are not a value of a typed column on either engine.
        if (text === '' ? got.get(k) !== null : !rejected.has(k)) diffs.push(`${duckType} ${JSON.stringify(text)}`);
      } else if (got.get(k) !== e.v) {
        diffs.push(`${duckType} ${JSON.stringify(text)}`);
      }
    }
    conn.closeSync();
  }
  instance.closeSync();
  return diffs;
}

test('JSON-lines text values are cast by the shared text grammar, exactly as conformanceCastSql casts them, for every typed column and edge text', async () => {
  assert.deepEqual(await corpusDiffs('jsonl'), []);
});

test("CSV values are cast by the shared text grammar for integers, dates and timestamps; the reader's casts of decimals, doubles and booleans differ only in forms that keep the value", async () => {
  assert.deepEqual(await corpusDiffs('csv'), CSV_READER_ONLY);
});
