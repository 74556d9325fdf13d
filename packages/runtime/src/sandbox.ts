/**
 * The SQL sandbox of a local run. User SQL — `transform.sql`, compatibility SQL of served
 * majors and the contract's `type: sql` quality rules — is data reading only:
 *
 * - each text must be exactly one SELECT statement (`SELECT`, `WITH … SELECT`, `VALUES`, set
 *   operations), decided by DuckDB's own parser (`json_serialize_sql`), never by pattern
 *   matching;
 * - it runs after {@link lockDown}: external access disabled (no file, extension, database or
 *   network access beyond the files the runtime registered itself and the output directory it
 *   writes) and the configuration locked (no `SET` can undo it).
 */
import { statSync } from 'node:fs';
import { sep } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteString } from './types.js';

/** Why a SQL text is not one SELECT statement, with the 1-based line and column in the text when known. */
export interface StatementProblem {
  message: string;
  line?: number;
  column?: number;
}

/**
 * Checks with DuckDB's parser that `sql` is exactly one SELECT statement (a trailing `;` is
 * fine). Parsing only: nothing is bound or run.
 *
 * @returns undefined when it is, else what is wrong (a parse error at its position, several
 * statements, or a statement that is not a query such as `COPY`, `SET`, `ATTACH`, `PRAGMA`).
 */
export async function selectStatementProblem(
  conn: DuckDBConnection,
  sql: string,
): Promise<StatementProblem | undefined> {
  const row = (await conn.runAndReadAll(`SELECT json_serialize_sql(${quoteString(sql)}) AS j`)).getRowObjects()[0];
  const parsed = JSON.parse(String(row?.j)) as {
    error: boolean;
    error_type?: string;
    error_message?: string;
    position?: string;
    statements?: unknown[];
  };
  if (parsed.error && parsed.error_type !== 'not implemented') {
    const at = parsed.position === undefined ? undefined : lineColumn(sql, Number(parsed.position));
    return { message: `it does not parse: ${parsed.error_message ?? 'syntax error'}`, ...(at ?? {}) };
  }
  // Parsed; "not implemented" means a statement other than SELECT. Count the statements first.
  const n = parsed.error ? (await conn.extractStatements(sql)).count : (parsed.statements?.length ?? 0);
  if (n === 0) return { message: 'it holds no query' };
  if (n > 1) {
    const second = secondStatementOffset(sql);
    return { message: `it holds ${n} statements`, ...(second === undefined ? {} : lineColumn(sql, second)) };
  }
  if (parsed.error) {
    const word = /^[\s(]*(?:--[^\n]*\n\s*|\/\*[\s\S]*?\*\/\s*)*([A-Za-z]+)/.exec(sql)?.[1];
    return { message: `it is ${word ? `a ${word.toUpperCase()} statement` : 'a statement'}, not a query` };
  }
  return undefined;
}

/** 1-based line and column of a character offset. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, column: lines[lines.length - 1]!.length + 1 };
}

/** Offset of the first character after the first top-level `;` that is followed by more SQL (approximate: for the message only). */
function secondStatementOffset(sql: string): number | undefined {
  const code = sql.replace(/--[^\n]*|\/\*[\s\S]*?\*\/|'(?:[^']|'')*'|"(?:[^"]|"")*"/g, (m) => ' '.repeat(m.length));
  const semi = code.indexOf(';');
  if (semi < 0) return undefined;
  const rest = /\S/.exec(code.slice(semi + 1));
  return rest ? semi + 1 + rest.index : undefined;
}

/**
 * Locks the connection's database down for user SQL: only the files the runtime registered
 * (`readPaths`: files, or directories read recursively) and the directories it writes
 * (`writeDirs`) stay reachable, everything else on the file system, extensions and attached
 * databases are refused (`enable_external_access = false`), and the configuration is locked
 * (`lock_configuration = true`) so no later `SET` can lift it. Call it after the inputs are
 * registered and before any user SQL runs; configuration the runtime needs must be set before.
 */
export async function lockDown(
  conn: DuckDBConnection,
  options: { readPaths: readonly string[]; writeDirs: readonly string[] },
): Promise<void> {
  const isDir = (p: string) => {
    try {
      return statSync(p).isDirectory();
    } catch {
      return false;
    }
  };
  const withSep = (d: string) => (d.endsWith(sep) ? d : d + sep);
  const dirs = [...options.writeDirs, ...options.readPaths.filter(isDir)].map(withSep);
  const files = options.readPaths.filter((p) => !isDir(p));
  const list = (xs: string[]) => `[${xs.map(quoteString).join(', ')}]`;
  if (dirs.length) await conn.run(`SET allowed_directories = ${list(dirs)}`);
  if (files.length) await conn.run(`SET allowed_paths = ${list(files)}`);
  await conn.run('SET enable_external_access = false');
  await conn.run('SET lock_configuration = true');
}
