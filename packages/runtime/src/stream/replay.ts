/**
 * The two ends of a stream replay: the product's fixture read as stream records, and a consumed
 * payload written back as a JSON line.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { RunReport } from '../report.js';
import { runError } from '../run-product.js';
import { quoteString } from '../types.js';

/** A fixture record as sent: a JSON object, or the text of a line that is not one. */
export type ReplayRecord = Record<string, unknown> | string;

/** The input format of a fixture, by its extension. */
export function formatOf(file: string): RunReport['input']['format'] {
  const ext = extname(file).toLowerCase();
  return ext === '.csv' ? 'csv' : ext === '.parquet' ? 'parquet' : 'jsonl';
}

/** The JSON line of a received payload: a JSON string carries a raw (non-object) line verbatim. */
export function toLine(data: Uint8Array): string {
  const text = Buffer.from(data).toString('utf8');
  try {
    const v: unknown = JSON.parse(text);
    if (typeof v === 'string') return v.replace(/\r?\n/g, ' ');
  } catch {
    // not JSON: written as received (the pipeline quarantines it)
  }
  return text;
}

/**
 * The fixture as stream records: JSON lines → the objects they hold (a line that is not a JSON
 * object → its text); CSV/Parquet → rows read with DuckDB as JSON objects (malformed CSV lines →
 * their text). Blank lines are not records (as in a batch run).
 */
export async function readReplay(file: string): Promise<ReplayRecord[]> {
  const format = formatOf(file);
  if (format === 'jsonl') {
    const out: ReplayRecord[] = [];
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const text = line.replace(/\r$/, '');
      if (text.trim() === '') continue;
      let v: unknown;
      try {
        v = JSON.parse(text);
      } catch {
        v = undefined;
      }
      out.push(v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : text);
    }
    return out;
  }
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    const path = quoteString(file);
    const src =
      format === 'csv'
        ? `read_csv(${path}, header = true, store_rejects = true, rejects_table = '__csv_rejects', rejects_scan = '__csv_scans')`
        : `read_parquet(${path})`;
    await conn.run(`CREATE TEMP TABLE __rows AS SELECT * FROM ${src}`);
    const rows = (await conn.runAndReadAll('SELECT to_json(t)::VARCHAR AS j FROM __rows t')).getRowObjects();
    const out: ReplayRecord[] = rows.map((r) => JSON.parse(String(r.j)) as Record<string, unknown>);
    if (format === 'csv') {
      for (const r of (await conn.runAndReadAll('SELECT csv_line FROM __csv_rejects ORDER BY line')).getRowObjects())
        out.push(String(r.csv_line));
    }
    return out;
  } catch (e) {
    throw runError(
      'INPUT_UNREADABLE',
      `cannot read ${file}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`,
      { file, exitCode: 2, cause: e },
    );
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}
