/**
 * User SQL as the run executes it: transform.sql and compatibility SQL checked against the
 * portable subset, bound as views, and DuckDB's errors turned into MeshErrors at their line.
 */
import { basename } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { MeshError, type Diagnostic } from '@meshkit/contracts';
import type { LineageField } from './lineage.js';
import { checkPortableSql } from './portable-sql.js';
import { checkRawCasts } from './raw-cast.js';
import { firstParagraph, runError } from './run-errors.js';
import { selectStatementProblem } from './sandbox.js';
import { quoteIdent } from './types.js';

/**
 * Whether evaluating `transform.sql` twice yields the same rows (given one transaction): no
 * volatile function (random, uuid, nextval, …), no window function (row_number() OVER () or ties
 * in its ORDER BY may number rows differently), no LIMIT/OFFSET/SAMPLE (which rows without ORDER
 * BY). Conservative: a false negative only costs materialising the transform's output once.
 */
export function repeatable(sql: string): boolean {
  const code = sql.replace(/--[^\n]*|\/\*[\s\S]*?\*\/|'(?:[^']|'')*'/g, ' ');
  return !/\b(?:random|rand|uuid|uuidv4|uuidv7|gen_random_uuid|nextval|currval|setseed|shuffle|any_value)\s*\(|\bover\b|\blimit\b|\boffset\b|\bsample\b|\btablesample\b|\bfirst\s*\(|\blast\s*\(|\barbitrary\s*\(|\blist\s*\(|\barray_agg\s*\(|\bstring_agg\s*\(|\bcollect_list\s*\(/i.test(
    code,
  );
}

/** Binds `sql` (transform.sql, or a compatibility SQL) as the view `view`; DuckDB errors become MeshErrors at the line of `file`. */
export async function runTransform(
  conn: DuckDBConnection,
  sql: string,
  file: string,
  view = '__transform',
): Promise<void> {
  const problem = await selectStatementProblem(conn, sql);
  if (problem) {
    throw runError('TRANSFORM_SQL', `${sqlLabel(file)} must be one SELECT query: ${problem.message}`, {
      file,
      ...(problem.line ? { line: problem.line, column: problem.column } : {}),
      exitCode: 1,
    });
  }
  const body = sql.replace(/;\s*$/, '');
  await sqlStep(() => conn.run(`CREATE TEMP VIEW ${quoteIdent(view)} AS\n` + body), file, sql, 1);
}

/** Runs `fn`; a DuckDB error becomes a `TRANSFORM_SQL` MeshError of `file` (at the line of `sql` it points at). */
export async function sqlStep(fn: () => Promise<unknown>, file: string, sql?: string, lineOffset = 0): Promise<void> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof MeshError) throw e;
    const message = e instanceof Error ? e.message : String(e);
    const where = sql === undefined ? undefined : sqlPosition(message, sql, lineOffset);
    throw runError('TRANSFORM_SQL', `SQL error in ${sqlLabel(file)}: ${firstParagraph(e)}`, {
      file,
      ...(where ? { line: where.line, ...(where.column ? { column: where.column } : {}) } : {}),
      exitCode: 1,
      cause: e,
    });
  }
}

/** `transform.sql`, or the path of a compatibility SQL from the product folder (`majors/v1/compat.sql`). */
export function sqlLabel(file: string): string {
  const parts = file.split(/[\\/]/);
  const i = parts.lastIndexOf('majors');
  return i >= 0 ? parts.slice(i).join('/') : basename(file);
}

/** The line (and column) of transform.sql a DuckDB error points at (`LINE n:` and a caret). */
export function sqlPosition(
  message: string,
  sql: string,
  lineOffset = 0,
): { line: number; column?: number } | undefined {
  const m = /\nLINE (\d+): (.*)\n( *)\^/.exec(message);
  if (!m) return undefined;
  const line = Number(m[1]) - lineOffset;
  const lines = sql.split('\n');
  if (line < 1 || line > lines.length) return undefined;
  const shownText = m[2]!;
  const caret = m[3]!.length - `LINE ${m[1]}: `.length;
  const src = lines[line - 1]!;
  // DuckDB may elide the start of a long line with "...": locate the shown text in the source.
  const visible = shownText.startsWith('...') ? shownText.slice(3) : shownText;
  const offset = src.indexOf(visible.replace(/\.\.\.$/, ''));
  if (offset < 0) return { line };
  const column = offset + caret - (shownText.startsWith('...') ? 3 : 0) + 1;
  return column >= 1 && column <= src.length + 1 ? { line, column } : { line };
}

/** Fails the run (exit 1, file:line:col of the first finding) when `sql` is outside the portable SQL subset. */
export function assertPortable(sql: string, file: string, rawTextColumns: readonly string[] = []): void {
  const findings = rawTextColumns.length ? checkRawCasts(sql, rawTextColumns) : checkPortableSql(sql);
  if (!findings.length) return;
  const f = findings[0]!;
  const details: Diagnostic[] = findings.map((x) => ({
    rule: x.rule,
    severity: 'error',
    message: x.message,
    location: { file, line: x.line, column: x.column },
  }));
  throw runError(
    'UNPORTABLE_SQL',
    `${f.message}${findings.length > 1 ? ` (and ${findings.length - 1} more outside the portable SQL subset)` : ''}`,
    {
      file,
      line: f.line,
      column: f.column,
      exitCode: 1,
      details,
    },
  );
}

/** The columns of a view or table (name and DuckDB type). */
export async function describe(conn: DuckDBConnection, view: string): Promise<LineageField[]> {
  const rows = (await conn.runAndReadAll(`DESCRIBE ${quoteIdent(view)}`)).getRowObjects();
  return rows.map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
}
