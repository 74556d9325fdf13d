/**
 * The files of one output port: curated Parquet (hive-partitioned by the contract's partition
 * keys) and the quarantine of the rows failing a row rule, with their failed rule ids and reasons.
 */
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join, sep } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { RowRule } from './quality.js';
import { quoteIdent, quoteString, type ContractColumn } from './types.js';

/** The checked rows of one output port, as {@link writeCurated} reads them. */
export interface CheckedRows {
  /** The view of the checked rows: the contract's columns (cast) and `__orig_<i>` for cast columns. */
  typed: string;
  /** The temp table receiving the rows failing a row rule (as `typed` holds them). */
  failing: string;
  columns: ContractColumn[];
  /** Whether every row passes every row rule (SQL over `typed`). */
  okSql: string;
  /** Whether some column's values are cast (then `typed` holds `__orig_<i>` columns). */
  casts: boolean;
  /** Directory receiving `curated/` and `quarantine/`. */
  dir: string;
}

/**
 * The Parquet options of the curated output: dictionary encoding only for a column with at most
 * 1,024 distinct values in a row group. Under DuckDB's default limit (a share of the row-group
 * size) a partitioned write's row groups, one partition's rows each, dictionary-encode columns an
 * unpartitioned file of the same rows stores plain; that was most of the write's cost over a
 * plain COPY (bench/run, 1M rows, one thread: CPU 1.16 s → 0.96 s; files 44 → 56 MB, a plain
 * COPY's size).
 */
const CURATED_PARQUET = 'FORMAT parquet, DICTIONARY_SIZE_LIMIT 1024';

/**
 * Writes `<dir>/curated/` (the rows passing every row rule) and fills the `failing` table (the
 * others), evaluating every value of the SQL.
 * @returns the number of rows written to `curated/`
 */
export async function writeCurated(conn: DuckDBConnection, r: CheckedRows): Promise<number> {
  const keys = r.columns.filter((c) => c.partition);
  // One pass when the failing rows read back exactly as they were written: no hidden columns of
  // original values (casts), no text partition key (its `NULL` and empty values share a folder name).
  if (!r.casts && keys.every((k) => hiveRoundTrips(k.duckType))) return writeSplit(conn, r, keys);
  const names = r.columns.map((c) => quoteIdent(c.name)).join(', ');
  await conn.run(`CREATE TEMP TABLE ${r.failing} AS SELECT * FROM ${r.typed} WHERE NOT (${r.okSql})`);
  mkdirSync(join(r.dir, 'curated'), { recursive: true });
  const curatedTo = keys.length ? join(r.dir, 'curated') : join(r.dir, 'curated', 'data_0.parquet');
  return copyCount(
    conn,
    `COPY (SELECT ${names} FROM ${r.typed} WHERE ${r.okSql}) TO ${quoteString(curatedTo)} (${CURATED_PARQUET}${keys.length ? `, PARTITION_BY (${keys.map((k) => quoteIdent(k.name)).join(', ')}), OVERWRITE_OR_IGNORE` : ''})`,
  );
}

/**
 * Writes the rows of `typed` in one pass, partitioned by whether they pass `okSql` (then by the
 * partition `keys`): the passing part becomes `<dir>/curated/` (the files and folders a plain
 * partitioned COPY of those rows writes), the failing rows are read back into the temp table
 * `failing` (typed like `typed`, partition keys from their folder names) and their files removed.
 * @returns the number of rows written to `curated/` (from the written files' statistics)
 */
async function writeSplit(conn: DuckDBConnection, r: CheckedRows, keys: ContractColumn[]): Promise<number> {
  const taken = new Set(r.columns.map((c) => c.name.toLowerCase()));
  let ok = '__ok';
  while (taken.has(ok)) ok = `_${ok}`;
  const names = r.columns.map((c) => quoteIdent(c.name)).join(', ');
  const split = join(r.dir, '__split');
  const by = [ok, ...keys.map((k) => k.name)].map(quoteIdent).join(', ');
  const files = (
    await conn.runAndReadAll(
      `COPY (SELECT ${names}, (${r.okSql}) AS ${quoteIdent(ok)} FROM ${r.typed}) TO ${quoteString(split)} (${CURATED_PARQUET}, PARTITION_BY (${by}), OVERWRITE_OR_IGNORE, RETURN_STATS)`,
    )
  ).getRowObjects();
  await conn.run(`CREATE TEMP TABLE ${r.failing} AS SELECT * FROM ${r.typed} WHERE FALSE`);
  const failed = join(split, `${ok}=false`);
  if (existsSync(failed)) {
    const hiveTypes = keys.map((k) => `${quoteString(k.name)}: ${quoteString(k.duckType)}`).join(', ');
    await conn.run(
      `INSERT INTO ${r.failing} BY NAME SELECT ${names} FROM read_parquet(${quoteString(join(failed, '**', '*.parquet'))}, hive_partitioning = ${keys.length > 0}${keys.length ? `, hive_types = {${hiveTypes}}` : ''})`,
    );
  }
  const passed = join(split, `${ok}=true`);
  const written = files
    .filter((f) => String(f.filename).startsWith(passed + sep))
    .reduce((n, f) => n + Number(f.count), 0);
  const curated = join(r.dir, 'curated');
  if (existsSync(passed)) renameSync(passed, curated);
  else {
    mkdirSync(curated);
    // No row passed: an unpartitioned output is still one (empty) file, as a plain COPY writes it.
    if (!keys.length)
      await conn.run(
        `COPY (SELECT ${names} FROM ${r.typed} WHERE FALSE) TO ${quoteString(join(curated, 'data_0.parquet'))} (${CURATED_PARQUET})`,
      );
  }
  rmSync(split, { recursive: true, force: true });
  return written;
}

/** Whether a partition key of this DuckDB type reads back exactly from its hive folder name (`day=2026-11-01`): not text, whose `NULL` and empty values do not. */
function hiveRoundTrips(duckType: string): boolean {
  return /^(?:TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|FLOAT|DOUBLE|DECIMAL\(\d+,\d+\)|BOOLEAN|DATE|TIMESTAMP)$/i.test(
    duckType.trim(),
  );
}

/**
 * Writes `<dir>/quarantine/rows.parquet`: the failing rows (original values of cast columns) with
 * the ids of the rules they fail and the reasons; and `rejected-input.parquet` when asked.
 * @returns the number of quarantined rows written
 */
export async function writeQuarantine(
  conn: DuckDBConnection,
  r: CheckedRows,
  rowRules: RowRule[],
  castColumns: Set<string>,
  writeRejected: boolean,
): Promise<number> {
  const meta = metaNames(r.columns);
  const original = r.columns
    .map((c, i) => (castColumns.has(c.name) ? `"__orig_${i}" AS ${quoteIdent(c.name)}` : quoteIdent(c.name)))
    .join(', ');
  const failedList = `list_filter([${rowRules.map((x) => `CASE WHEN NOT (${x.passSql}) THEN ${quoteString(x.id)} END`).join(', ')}]::VARCHAR[], lambda x: x IS NOT NULL)`;
  const reason = rowRules.length
    ? `concat_ws('; ', ${rowRules.map((x) => `CASE WHEN NOT (${x.passSql}) THEN ${x.reasonSql} END`).join(', ')})`
    : `''`;
  const quarantined = await copyCount(
    conn,
    `COPY (SELECT ${original}, ${rowRules.length ? failedList : '[]::VARCHAR[]'} AS ${quoteIdent(meta.failed)}, ${reason} AS ${quoteIdent(meta.reason)} FROM ${r.failing}) TO ${quoteString(join(r.dir, 'quarantine', 'rows.parquet'))} (FORMAT parquet)`,
  );
  if (writeRejected)
    await copyCount(
      conn,
      `COPY (SELECT * FROM __rejected) TO ${quoteString(join(r.dir, 'quarantine', 'rejected-input.parquet'))} (FORMAT parquet)`,
    );
  return quarantined;
}

/** Names of the quarantine's two extra columns, `failed_rules` and `reason` (prefixed with `_` while they clash with a contract column). */
function metaNames(columns: ContractColumn[]): { failed: string; reason: string } {
  const taken = new Set(columns.map((c) => c.name));
  const free = (n: string): string => (taken.has(n) ? free(`_${n}`) : n);
  return { failed: free('failed_rules'), reason: free('reason') };
}

async function copyCount(conn: DuckDBConnection, sql: string): Promise<number> {
  const r = await conn.run(sql);
  return Number(r.rowsChanged);
}
