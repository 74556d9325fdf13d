// Comparing a local DuckDB run with a run of the Spark core: the rows both wrote, as text.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { RunReport } from '../src/index.js';
import type { SparkReport } from './spark-core.js';

/** A row as text, one string per column (NULL as null), ready to compare. */
export type TextRow = Record<string, string | null>;

function hasParquet(dir: string): boolean {
  if (!existsSync(dir)) return false;
  if (!statSync(dir).isDirectory()) return true;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isFile() && e.name.endsWith('.parquet')) return true;
    if (e.isDirectory() && hasParquet(join(dir, e.name))) return true;
  }
  return false;
}

/**
 * The rows under `path` (a Parquet file, or a directory of Parquet files, hive-partitioned), every
 * column cast to the contract's type and then shown as text (so both engines' files are read
 * alike), sorted. `columns`: name → DuckDB type. `asStored`: shown as stored, without the cast (the
 * quarantine keeps values that do not cast).
 */
export async function readRows(
  path: string,
  columns: Array<{ name: string; duckType: string }>,
  extra: string[] = [],
  asStored = false,
): Promise<TextRow[]> {
  if (!hasParquet(path)) return [];
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    const cols = [
      ...columns.map((c) =>
        asStored
          ? `CAST("${c.name}" AS VARCHAR) AS "${c.name}"`
          : `CAST(CAST("${c.name}" AS ${c.duckType}) AS VARCHAR) AS "${c.name}"`,
      ),
      ...extra.map((e) => `CAST("${e}" AS VARCHAR) AS "${e}"`),
    ];
    const src = statSync(path).isDirectory() ? `'${join(path, '**', '*.parquet')}'` : `'${path}'`;
    const r = await conn.runAndReadAll(
      `SELECT ${cols.join(', ')} FROM read_parquet(${src}, hive_partitioning = true, hive_types_autocast = false, union_by_name = true) ORDER BY ALL`,
    );
    return r.getRowObjectsJson() as TextRow[];
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

/**
 * The verdicts of a report: status, counts, and each rule's outcome (and metric), by id. A
 * `<column>.castable` rule that passed is left out: whether a column needed a cast at all depends
 * on each engine's result types (`year()` is BIGINT in DuckDB, INT in Spark); which rows failed
 * one is compared.
 */
export function verdicts(r: RunReport | SparkReport): {
  status: string;
  rowsIn: number;
  rowsOut: number;
  rowsQuarantined: number;
  rules: Record<string, string>;
} {
  return {
    status: r.status,
    rowsIn: r.rowsIn,
    rowsOut: r.rowsOut,
    rowsQuarantined: r.rowsQuarantined,
    rules: Object.fromEntries(
      r.rules
        .filter((x) => !(x.kind === 'castable' && x.outcome === 'passed'))
        .map((x) => [x.id, `${x.level} ${x.outcome} ${x.metric === null ? 'null' : Number(x.metric.toFixed(6))}`]),
    ),
  };
}
