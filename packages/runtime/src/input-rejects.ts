/** The input quarantine of a run: the table `__rejected` of the records not read into `raw`, with their line and reason. */
import type { DuckDBConnection } from '@duckdb/node-api';

/** Columns of `__rejected` (and of `quarantine/rejected-input.parquet`). */
export const REJECTED_COLUMNS = `source_file VARCHAR, line BIGINT, raw_line VARCHAR, failed_rules VARCHAR[], reason VARCHAR`;

/** A record read whose value is outside its column's grammar: its row (`k`, 0-based, in file order), reason and rule ids. */
export interface CastFailure {
  k: number;
  why: string;
  rules: string[];
  /** JSON lines: the record's values as text (CSV shows its physical line instead). */
  values?: string;
}

/** Text with NUL bytes shown as `\0` (a SQL literal cannot hold them). */
export const visible = (text: string): string => text.replace(/\0/g, '\\0');

/** Creates the empty `__rejected` table. */
export async function createRejected(conn: DuckDBConnection): Promise<void> {
  await conn.run(`CREATE TEMP TABLE __rejected (${REJECTED_COLUMNS})`);
}

/** Inserts rows (SQL tuples of {@link REJECTED_COLUMNS}) into `__rejected`, 1,000 per statement. */
export async function insertRejected(conn: DuckDBConnection, rows: string[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000)
    await conn.run(`INSERT INTO __rejected VALUES ${rows.slice(i, i + 1000).join(', ')}`);
}

/**
 * Runs `create` (a CREATE TABLE … AS) with DuckDB keeping the rows in the order they are read, so
 * that a row's `rowid` is its record's place in the file (a rejected row is found by it); a run
 * otherwise lets DuckDB reorder rows (preserve_insertion_order = false).
 */
export async function createInFileOrder(conn: DuckDBConnection, create: string): Promise<void> {
  const setting = (await conn.runAndReadAll(`SELECT current_setting('preserve_insertion_order') AS p`)).getRows();
  await conn.run('SET preserve_insertion_order = true');
  try {
    await conn.run(create);
  } finally {
    await conn.run(`SET preserve_insertion_order = ${setting[0]?.[0] === true}`);
  }
}
