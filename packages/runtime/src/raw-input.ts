/**
 * The view `raw` of a run: the input read the same way at row 1 and at row 1,000,000.
 *
 * - CSV is read with the columns of its header row, the delimiter found in that header (`,` `;`
 *   tab `|`) and RFC 4180 quoting (`"`, doubled to escape) that is never switched off, and with
 *   explicit types, never inferred from a sample: a column named like a contract column
 *   (case-insensitively, scalar types) has the contract's type, every other column is text.
 *   Integers, dates, timestamps and booleans are read as text and cast by the contract's text
 *   grammar (`textCastPattern`, the one the Glue job's Spark core casts with: `csvCastsByGrammar`);
 *   other types are cast by DuckDB's reader as it reads (README, "Known differences"). A record
 *   whose value does not cast goes to the input quarantine (`quarantine/rejected-input.parquet`)
 *   with its physical line and the reason (`<column>.castable: column = 'n/a' cannot be cast to
 *   DECIMAL(12,2)`), at row 2 as at row 999,999. Text columns are cast by transform.sql with
 *   `TRY_CAST`.
 * - Malformed records (wrong number of fields, unterminated quote, …) are rejected once per
 *   physical line, with the line and DuckDB's reason.
 * - A 0-byte file, or a header without rows, is an empty input (see {@link RawInput.empty}).
 * - JSON lines keep the types inferred over the whole file (not a sample); their scalar columns
 *   named like a contract column are then cast to its type by the contract's text grammar (the
 *   Spark core's; one pass into a typed table), rows that do not cast quarantined the same way. Parquet keeps the types the file holds.
 */
import { mkdtempSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { MeshError } from '@meshkit/contracts';
import { csvRead, csvRejectedRows } from './csv-input.js';
import { createInFileOrder, createRejected, insertRejected, type CastFailure } from './input-rejects.js';
import { jsonRejectedRows, readJsonLines } from './jsonl-input.js';
import { firstParagraph } from './run-errors.js';
import {
  conformanceCastSql,
  isScalarType,
  quoteIdent,
  quoteString,
  textCastParts,
  type ContractColumn,
} from './types.js';

/** Format of an input file, by extension (a directory is Parquet). */
export type InputFormat = 'csv' | 'jsonl' | 'parquet';

/** What {@link registerRawInput} registered. */
export interface RawInput {
  format: InputFormat;
  /** Rows of `raw` (records read and cast). */
  rows: number;
  /** Records quarantined at input (`__rejected`): malformed, or holding a value that does not cast. */
  rejected: number;
  /**
   * Set when the input holds no record: `no-header` (a 0-byte or blank file: there is no `raw`
   * view, transform.sql is not run and the output is empty) or `header-only` (transform.sql runs
   * over no rows).
   */
  empty?: 'no-header' | 'header-only';
  /** Columns of `raw` that are text (VARCHAR): not cast per the contract. */
  textColumns: string[];
}

/**
 * `file` as DuckDB reads it literally: DuckDB expands `*`, `?`, `[…]` and `{…}` in paths, so a
 * path holding one is read through a symbolic link with a plain name in a temporary directory
 * (added to `tempDirs`, removed by the caller).
 */
export function literalPath(file: string, tempDirs: string[]): string {
  if (!/[*?[\]{}]/.test(file)) return file;
  const dir = mkdtempSync(join(tmpdir(), 'meshkit-input-'));
  tempDirs.push(dir);
  const link = join(dir, `input${statSync(file).isDirectory() ? '' : extname(file).toLowerCase()}`);
  symlinkSync(file, link);
  return link;
}

/** The format of `file` by extension, if it is one the runtime reads. */
export function formatOf(file: string): InputFormat | undefined {
  if (statSync(file).isDirectory()) return 'parquet';
  const ext = extname(file).toLowerCase();
  return ext === '.csv'
    ? 'csv'
    : ext === '.jsonl' || ext === '.ndjson'
      ? 'jsonl'
      : ext === '.parquet'
        ? 'parquet'
        : undefined;
}

/**
 * Registers `file` as the view `name` and the table `__rejected` (source_file, line, raw_line,
 * failed_rules, reason) of the records quarantined at input. `file` is a literal path (no glob).
 * @throws MeshError `INPUT_UNREADABLE` (exit 2) for an unknown extension, a header naming a column
 * twice or a file DuckDB cannot read.
 */
export async function registerRawInput(
  conn: DuckDBConnection,
  file: string,
  name: string,
  columns: ContractColumn[],
  tempDirs: string[],
): Promise<RawInput> {
  const format = formatOf(file);
  const at = literalPath(file, tempDirs);
  if (!format)
    throw new MeshError('INPUT_UNREADABLE', `cannot read ${file}: use a .csv, .jsonl/.ndjson or .parquet file`, {
      file,
      exitCode: 2,
    });
  const unreadable = (e: unknown) =>
    e instanceof MeshError
      ? e
      : new MeshError('INPUT_UNREADABLE', `cannot read ${file}: ${firstParagraph(e)}`, { file, exitCode: 2, cause: e });
  const noHeader = async (): Promise<RawInput> => {
    await createRejected(conn);
    return { format, rows: 0, rejected: 0, empty: 'no-header', textColumns: [] };
  };
  if (statSync(file).isFile() && statSync(file).size === 0) return noHeader();
  let source: { from: string; columns: { name: string; type: string }[] };
  try {
    if (format === 'csv') {
      const csv = csvRead(file, at, columns);
      if (!csv) return await noHeader();
      source = { from: csv.read, columns: csv.columns };
    } else {
      if (format === 'parquet') {
        const dir = statSync(file).isDirectory();
        const src = dir ? quoteString(join(at, '**', '*.parquet')) : quoteString(at);
        await conn.run(
          `CREATE TEMP VIEW __raw_text AS SELECT * FROM read_parquet(${src}, hive_partitioning = ${dir}, union_by_name = ${dir})`,
        );
      } else await readJsonLines(conn, at, file);
      const described = (await conn.runAndReadAll(`DESCRIBE __raw_text`)).getRowObjects();
      source = {
        from: '__raw_text',
        columns: described.map((r) => ({ name: String(r.column_name), type: String(r.column_type) })),
      };
    }
  } catch (e) {
    throw unreadable(e);
  }
  const typed = format === 'parquet' ? [] : typedColumns(source.columns, columns);
  let castFailures: CastFailure[];
  try {
    castFailures = await castRaw(conn, quoteIdent(name), format, source, typed);
  } catch (e) {
    throw unreadable(e);
  }

  // The input quarantine: malformed records (CSV; JSON lines already made theirs) and rows with a value that does not cast.
  if (format !== 'jsonl') await createRejected(conn);
  if (format === 'csv') await insertRejected(conn, await csvRejectedRows(conn, file, columns, castFailures));
  if (format === 'jsonl' && castFailures.length)
    await insertRejected(conn, await jsonRejectedRows(conn, file, castFailures));
  // The text copy is no longer needed once typed (it is as large as the input).
  if (format === 'jsonl' && typed.length) await conn.run('DROP TABLE __raw_text');
  const rows = Number(
    (await conn.runAndReadAll(`SELECT count(*) AS n FROM ${quoteIdent(name)}`)).getRowObjects()[0]!.n,
  );
  const rejected = Number((await conn.runAndReadAll('SELECT count(*) AS n FROM __rejected')).getRowObjects()[0]!.n);
  const typedNames = new Set(typed.map((t) => t.raw));
  const textColumns = source.columns.filter((d) => !typedNames.has(d.name) && d.type === 'VARCHAR').map((d) => d.name);
  const empty = format === 'csv' && rows === 0 && rejected === 0 ? ('header-only' as const) : undefined;
  return { format, rows, rejected, ...(empty ? { empty } : {}), textColumns };
}

/** A raw column named like a contract column whose (scalar) type differs: cast per the contract. */
interface TypedColumn {
  raw: string;
  type: string;
  from: string;
  /** Read as text: cast by the contract type's text grammar. */
  text: boolean;
  column: ContractColumn;
}

/**
 * The raw columns to cast per the contract, in one pass into a typed table. Parquet carries its
 * own types (nothing is inferred from a sample): read as typed, the output's conformance check
 * casts; CSV columns are cast by DuckDB's reader as it reads, except those it reads as text
 * (`csvCastsByGrammar`). Those and JSON lines are cast here, with the text grammar both engines
 * share. Scalars only: nested values (structs, lists, maps) keep their shape for transform.sql.
 */
function typedColumns(described: { name: string; type: string }[], columns: ContractColumn[]): TypedColumn[] {
  const byName = new Map(columns.map((c) => [c.name.toLowerCase(), c]));
  return described.flatMap((d) => {
    const c = byName.get(d.name.toLowerCase());
    return c &&
      isScalarType(c.duckType) &&
      isScalarType(d.type) &&
      c.duckType.toUpperCase() !== d.type.toUpperCase() &&
      c.duckType.toUpperCase() !== 'VARCHAR'
      ? [{ raw: d.name, type: c.duckType, from: d.type, text: d.type === 'VARCHAR', column: c }]
      : [];
  });
}

/**
 * Registers the view `view` over `source` (`read_csv(…)` or `__raw_text`): as read when nothing is
 * cast, else from the typed table `__raw_typed`, read and cast once in one parallel pass (the
 * transform and the checks then read typed columns; rows in any order); a row with a value that
 * does not cast is flagged there (`__bad`) and left out of `view`. Only when there is one, a
 * second pass in file order finds each such row's place (the k-th record) and reason.
 * @returns the rows left out, in file order
 */
async function castRaw(
  conn: DuckDBConnection,
  view: string,
  format: InputFormat,
  source: { from: string; columns: { name: string; type: string }[] },
  typed: TypedColumn[],
): Promise<CastFailure[]> {
  if (!typed.length) {
    if (format === 'csv') await conn.run(`CREATE TEMP TABLE __raw_text AS SELECT * FROM ${source.from}`);
    await conn.run(`CREATE TEMP VIEW ${view} AS SELECT * FROM __raw_text`);
    return [];
  }
  const texts = format === 'jsonl';
  const sql = castSql(source, typed, texts);
  await conn.run(`CREATE TEMP TABLE __raw_typed AS SELECT ${sql.select}, ${sql.bad} AS __bad FROM ${source.from}`);
  const names = source.columns.map((d) => quoteIdent(d.name)).join(', ');
  const anyBad = (await conn.runAndReadAll('SELECT 1 FROM __raw_typed WHERE __bad LIMIT 1')).getRows().length > 0;
  await conn.run(`CREATE TEMP VIEW ${view} AS SELECT ${names} FROM __raw_typed${anyBad ? ' WHERE NOT __bad' : ''}`);
  if (!anyBad) return [];
  // In file order (rowid = the k-th record), which the first pass is free not to keep.
  await createInFileOrder(
    conn,
    `CREATE TEMP TABLE __cast_failures AS SELECT ${sql.bad} AS __bad, CASE WHEN ${sql.bad} THEN ${sql.why} END AS __why,
      CASE WHEN ${sql.bad} THEN ${sql.rules} END AS __rules${sql.values ? `, CASE WHEN ${sql.bad} THEN ${sql.values} END AS __values` : ''}
      FROM ${source.from}`,
  );
  const failures = (
    await conn.runAndReadAll(
      `SELECT rowid AS k, __why, __rules${texts ? ', __values' : ''} FROM __cast_failures WHERE __bad ORDER BY rowid`,
    )
  )
    .getRowObjects()
    .map((r) => ({
      k: Number(r.k),
      why: String(r.__why),
      rules: (r.__rules as { items: unknown[] }).items.map(String),
      ...(texts ? { values: String(r.__values) } : {}),
    }));
  await conn.run('DROP TABLE __cast_failures');
  return failures;
}

/**
 * The SQL of the cast of `source`'s typed columns per the contract (text by the type's grammar,
 * as the Glue job's Spark core casts: {@link textCastParts}): `select`, the columns, cast;
 * `bad`, whether some value of the row does not cast (NULL from a value, or a text outside its
 * grammar); for a bad row, `why` (the reason), `rules` (the rule ids) and, for JSON lines
 * (`texts`), `values` (the record's values as text). DuckDB computes each cast once (common
 * subexpressions).
 */
function castSql(
  source: { from: string; columns: { name: string; type: string }[] },
  typed: TypedColumn[],
  texts: boolean,
): { select: string; bad: string; why: string; rules: string; values?: string } {
  // An empty text is no value (NULL), as DuckDB's CSV reader reads an empty field; JSON lines may hold "".
  const valueOf = (t: TypedColumn) => (t.text && texts ? `NULLIF(${quoteIdent(t.raw)}, '')` : quoteIdent(t.raw));
  const parts = typed.map((t) =>
    t.text ? textCastParts(valueOf(t), t.column) : { value: conformanceCastSql(valueOf(t), t.from, t.column) },
  );
  const badOf = (t: TypedColumn, i: number) => {
    const { value, grammar } = parts[i]!;
    const outside = grammar === undefined ? '' : `NOT regexp_full_match(${valueOf(t)}, ${quoteString(grammar)}) OR `;
    return `(${valueOf(t)} IS NOT NULL AND (${outside}${value} IS NULL))`;
  };
  // The grammars of all columns checked at once: one match per row of the row's texts joined by
  // \x01 (concat skips a NULL: an empty text) against the grammars joined the same way, each
  // optional. A text holding \x01 is in no grammar, and the row then has one \x01 too many: it
  // does not match. (One match per value costs about half as much again: bench/run.)
  const checked = typed.flatMap((t, i) => {
    const grammar = parts[i]!.grammar;
    return grammar === undefined ? [] : [{ text: valueOf(t), grammar: grammar.replace(/^\^|\$$/g, '') }];
  });
  const castNull = typed.map((t, i) => `(${valueOf(t)} IS NOT NULL AND ${parts[i]!.value} IS NULL)`);
  const outside = checked.length
    ? [
        `NOT regexp_full_match(concat(${checked.map((c) => c.text).join(', chr(1), ')}), ${quoteString(checked.map((c) => `(${c.grammar})?`).join('\\x01'))})`,
      ]
    : [];
  const index = new Map(typed.map((t, i) => [t.raw, i]));
  return {
    select: source.columns
      .map((d) =>
        index.has(d.name) ? `${parts[index.get(d.name)!]!.value} AS ${quoteIdent(d.name)}` : quoteIdent(d.name),
      )
      .join(', '),
    bad: `(${[...castNull, ...outside].join(' OR ')})`,
    why: `concat_ws('; ', ${typed.map((t, i) => `CASE WHEN ${badOf(t, i)} THEN ${quoteString(`${t.raw}.castable: ${t.raw} = `)} || '''' || left(CAST(${quoteIdent(t.raw)} AS VARCHAR), 80) || '''' || ${quoteString(` cannot be cast to ${t.type}`)} END`).join(', ')})`,
    rules: `list_filter([${typed.map((t, i) => `CASE WHEN ${badOf(t, i)} THEN ${quoteString(`${t.raw}.castable`)} END`).join(', ')}]::VARCHAR[], lambda x: x IS NOT NULL)`,
    ...(texts
      ? {
          values: `json_object(${source.columns.map((d) => `${quoteString(d.name)}, CAST(${quoteIdent(d.name)} AS VARCHAR)`).join(', ')})::VARCHAR`,
        }
      : {}),
  };
}
