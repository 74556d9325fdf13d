/**
 * The view `raw` of a run: the input read the same way at row 1 and at row 1,000,000.
 *
 * - CSV is read as text (every column VARCHAR) with the columns of its header row, the delimiter
 *   found in that header (`,` `;` tab `|`) and RFC 4180 quoting (`"`, doubled to escape) that is
 *   never switched off: no type is inferred from a sample, so a bad value types nothing.
 * - Raw columns named like a contract column (case-insensitively) are then cast to the contract's
 *   type with `TRY_CAST`; a row holding a value that does not cast goes to the input quarantine
 *   (`quarantine/rejected-input.parquet`) with its physical line and the reason
 *   (`<column>.castable`). Other raw columns stay text: transform.sql casts them with `TRY_CAST`.
 * - Malformed records (wrong number of fields, unterminated quote, …) are rejected once per
 *   physical line, with the line and DuckDB's reason.
 * - A 0-byte file, or a header without rows, is an empty input (see {@link RawInput.empty}).
 * - JSON lines keep the types inferred over the whole file (not a sample), their raw columns named
 *   like a contract column cast the same way; Parquet keeps the types the file holds.
 */
import { closeSync, mkdtempSync, openSync, readSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { MeshError } from '@meshkit/contracts';
import { quoteIdent, quoteString, type ContractColumn } from './types.js';

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
  return ext === '.csv' ? 'csv' : ext === '.jsonl' || ext === '.ndjson' ? 'jsonl' : ext === '.parquet' ? 'parquet' : undefined;
}

const REJECTED_COLUMNS = `source_file VARCHAR, line BIGINT, raw_line VARCHAR, failed_rules VARCHAR[], reason VARCHAR`;

function firstParagraph(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return m.split(/\n\s*\n/)[0]!.replace(/\s*\n\s*/g, ' ').trim();
}

/**
 * Registers `file` as the view `name` and the table `__rejected` (source_file, line, raw_line,
 * failed_rules, reason) of the records quarantined at input. `file` is a literal path (no glob).
 * @throws MeshError `INPUT_UNREADABLE` (exit 2) for an unknown extension, a header naming a column
 * twice or a file DuckDB cannot read.
 */
export async function registerRawInput(conn: DuckDBConnection, file: string, name: string, columns: ContractColumn[], tempDirs: string[]): Promise<RawInput> {
  const format = formatOf(file);
  const at = literalPath(file, tempDirs);
  if (!format) throw new MeshError('INPUT_UNREADABLE', `cannot read ${file}: use a .csv, .jsonl/.ndjson or .parquet file`, { file, exitCode: 2 });
  const n = quoteIdent(name);
  const unreadable = (e: unknown) => new MeshError('INPUT_UNREADABLE', `cannot read ${file}: ${firstParagraph(e)}`, { file, exitCode: 2, cause: e });
  if (statSync(file).isFile() && statSync(file).size === 0) {
    await conn.run(`CREATE TEMP TABLE __rejected (${REJECTED_COLUMNS})`);
    return { format, rows: 0, rejected: 0, empty: 'no-header', textColumns: [] };
  }
  let empty: RawInput['empty'];
  try {
    if (format === 'csv') {
      const header = readCsvHeader(file);
      if (!header.names.length) {
        await conn.run(`CREATE TEMP TABLE __rejected (${REJECTED_COLUMNS})`);
        return { format, rows: 0, rejected: 0, empty: 'no-header', textColumns: [] };
      }
      const seen = new Map<string, number>();
      header.names.forEach((c, i) => {
        const k = c.toLowerCase();
        if (seen.has(k)) throw new MeshError('INPUT_UNREADABLE', `cannot read ${file}: the header names column '${c}' twice (columns ${seen.get(k)! + 1} and ${i + 1})`, { file, line: 1, exitCode: 2 });
        seen.set(k, i);
      });
      const cols = `{${header.names.map((c) => `${quoteString(c)}: 'VARCHAR'`).join(', ')}}`;
      await conn.run(`CREATE TEMP TABLE __raw_text AS SELECT * FROM read_csv(${quoteString(at)}, header = true, auto_detect = false, columns = ${cols},
        delim = ${quoteString(header.delim)}, quote = '"', escape = '"', strict_mode = true,
        store_rejects = true, rejects_table = '__csv_rejects', rejects_scan = '__csv_scans')`);
    } else if (format === 'parquet') {
      const dir = statSync(file).isDirectory();
      const src = dir ? quoteString(join(at, '**', '*.parquet')) : quoteString(at);
      await conn.run(`CREATE TEMP VIEW __raw_text AS SELECT * FROM read_parquet(${src}, hive_partitioning = ${dir}, union_by_name = ${dir})`);
    } else {
      await readJsonLines(conn, at, file);
    }
  } catch (e) {
    if (e instanceof MeshError) throw e;
    throw unreadable(e);
  }
  const described = (await conn.runAndReadAll(`DESCRIBE __raw_text`)).getRowObjects().map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
  const byName = new Map(columns.map((c) => [c.name.toLowerCase(), c]));
  // Raw columns named like a contract column whose type differs: cast per the contract.
  // Parquet carries its own types (nothing is inferred from a sample): read as typed; the output's conformance check casts.
  const typed = format === 'parquet' ? [] : described.flatMap((d) => {
    const c = byName.get(d.name.toLowerCase());
    // Scalars only: nested values (structs, lists, maps) keep their shape for transform.sql.
    const scalar = (t: string) => !/[[\]]|^(?:STRUCT|MAP|UNION|JSON)\b/i.test(t);
    return c && scalar(c.duckType) && scalar(d.type) && c.duckType.toUpperCase() !== d.type.toUpperCase() && c.duckType.toUpperCase() !== 'VARCHAR'
      ? [{ raw: d.name, type: c.duckType, text: d.type === 'VARCHAR' }] : [];
  });
  // An empty text is no value (NULL); DuckDB's casts ignore surrounding spaces.
  const valueOf = (t: { raw: string; text: boolean }) => (t.text ? `NULLIF(${quoteIdent(t.raw)}, '')` : quoteIdent(t.raw));
  const castOf = (t: { raw: string; type: string; text: boolean }) => `TRY_CAST(${valueOf(t)} AS ${t.type})`;
  const badOf = (t: { raw: string; type: string; text: boolean }) => `(${valueOf(t)} IS NOT NULL AND ${castOf(t)} IS NULL)`;
  const bad = typed.length ? typed.map(badOf).join(' OR ') : 'FALSE';
  const typedNames = new Set(typed.map((t) => t.raw));
  const select = described.map((d) => (typedNames.has(d.name) ? `${castOf(typed.find((t) => t.raw === d.name)!)} AS ${quoteIdent(d.name)}` : quoteIdent(d.name))).join(', ');
  const names = described.map((d) => quoteIdent(d.name)).join(', ');
  let anyBad = typed.length > 0;
  if (!typed.length) {
    await conn.run(`CREATE TEMP VIEW ${n} AS SELECT * FROM __raw_text`);
  } else {
    // Cast once, in one parallel pass, into a typed table: the transform and the checks then read typed columns.
    await conn.run(`CREATE TEMP TABLE __raw_typed AS SELECT ${select}, ${bad} AS __bad FROM __raw_text`);
    anyBad = Number((await conn.runAndReadAll(`SELECT count(*) AS n FROM __raw_typed WHERE __bad`)).getRowObjects()[0]!.n) > 0;
    await conn.run(`CREATE TEMP VIEW ${n} AS SELECT ${names} FROM __raw_typed${anyBad ? ' WHERE NOT __bad' : ''}`);
  }

  // The input quarantine: malformed records (CSV; JSON lines already made theirs) and rows with a value that does not cast.
  const malformed = format === 'csv'
    ? (await conn.runAndReadAll(`SELECT line::BIGINT AS line, any_value(csv_line) AS raw_line, string_agg(DISTINCT error_type || ': ' || error_message, '; ') AS why FROM __csv_rejects GROUP BY line ORDER BY line`)).getRowObjects()
      .map((r) => ({ duckLine: Number(r.line), raw: String(r.raw_line ?? ''), why: String(r.why) }))
    : [];
  const castFailures = anyBad
    ? (await conn.runAndReadAll(`SELECT rowid AS k, ${described.map((d) => `CAST(${quoteIdent(d.name)} AS VARCHAR) AS ${quoteIdent(d.name)}`).join(', ')}, concat_ws('; ', ${typed.map((t) => `CASE WHEN ${badOf(t)} THEN ${quoteString(`${t.raw}.castable: ${t.raw} = `)} || '''' || left(CAST(${quoteIdent(t.raw)} AS VARCHAR), 80) || '''' || ${quoteString(` cannot be cast to ${t.type}`)} END`).join(', ')}) AS __why,
        list_filter([${typed.map((t) => `CASE WHEN ${badOf(t)} THEN ${quoteString(`${t.raw}.castable`)} END`).join(', ')}]::VARCHAR[], lambda x: x IS NOT NULL) AS __rules
        FROM __raw_text WHERE ${bad} ORDER BY rowid`)).getRowObjects()
    : [];
  if (format !== 'csv' && format !== 'jsonl' || (!malformed.length && !castFailures.length)) {
    if (format !== 'jsonl') await conn.run(`CREATE TEMP TABLE __rejected (${REJECTED_COLUMNS})`);
  } else if (format === 'csv') {
    const lines = physicalLines(file, malformed.map((m) => m.duckLine), castFailures.map((r) => Number(r.k)));
    const { delim } = readCsvHeader(file);
    await conn.run(`CREATE TEMP TABLE __rejected (${REJECTED_COLUMNS})`);
    const rows: string[] = [];
    for (const m of malformed) {
      const line = lines.byDuckLine.get(m.duckLine) ?? m.duckLine;
      rows.push(`(${quoteString(file)}, ${line}, ${quoteString(m.raw.replace(/\0/g, '\\0'))}, ['input.malformed'], ${quoteString(`input.malformed: line ${line}: ${m.why}`)})`);
    }
    for (const r of castFailures) {
      const line = lines.byRecord.get(Number(r.k));
      const raw = described.map((d) => csvField(r[d.name] === null ? null : String(r[d.name]), delim)).join(delim);
      const rules = (r.__rules as { items: unknown[] }).items.map(String);
      rows.push(`(${quoteString(file)}, ${line ?? 'NULL'}, ${quoteString(raw)}, [${rules.map(quoteString).join(', ')}]::VARCHAR[], ${quoteString(`line ${line ?? '?'}: ${String(r.__why)}`)})`);
    }
    for (let i = 0; i < rows.length; i += 1000) await conn.run(`INSERT INTO __rejected VALUES ${rows.slice(i, i + 1000).join(', ')}`);
  } else {
    // JSON lines: a row is the k-th non-blank line that is not rejected as malformed.
    const malformedLines = new Set((await conn.runAndReadAll('SELECT line FROM __rejected')).getRowObjects().map((r) => Number(r.line)));
    const lines = jsonRecordLines(file, malformedLines, castFailures.map((r) => Number(r.k)));
    const rows = castFailures.map((r) => {
      const line = lines.get(Number(r.k));
      return `(${quoteString(file)}, ${line ?? 'NULL'}, ${quoteString(JSON.stringify(Object.fromEntries(described.map((d) => [d.name, r[d.name] === null ? null : String(r[d.name])]))))}, [${(r.__rules as { items: unknown[] }).items.map(String).map(quoteString).join(', ')}]::VARCHAR[], ${quoteString(`line ${line ?? '?'}: ${String(r.__why)}`)})`;
    });
    for (let i = 0; i < rows.length; i += 1000) await conn.run(`INSERT INTO __rejected VALUES ${rows.slice(i, i + 1000).join(', ')}`);
  }
  // The text copy is no longer needed once typed (it is as large as the input).
  if (typed.length) await conn.run('DROP TABLE __raw_text');
  const rowsN = Number((await conn.runAndReadAll(`SELECT count(*) AS n FROM ${n}`)).getRowObjects()[0]!.n);
  const rejected = Number((await conn.runAndReadAll('SELECT count(*) AS n FROM __rejected')).getRowObjects()[0]!.n);
  if (format === 'csv' && rowsN === 0 && rejected === 0) empty = 'header-only';
  const textColumns = described.filter((d) => !typedNames.has(d.name) && d.type === 'VARCHAR').map((d) => d.name);
  return { format, rows: rowsN, rejected, ...(empty ? { empty } : {}), textColumns };
}

/** A CSV field as written back for the quarantine's `raw_line` (quoted when it has to be). */
function csvField(v: string | null, delim: string): string {
  if (v === null) return '';
  return v.includes('"') || v.includes(delim) || v.includes('\n') || v.includes('\r') ? `"${v.replace(/"/g, '""')}"` : v;
}

/**
 * The header row of a CSV file: its column names and the delimiter, the one of `,` `;` tab `|`
 * occurring most often outside quotes in it (`,` when none does). A byte-order mark is ignored.
 */
export function readCsvHeader(file: string): { delim: string; names: string[] } {
  const fd = openSync(file, 'r');
  let text = '';
  try {
    const buf = Buffer.alloc(65536);
    let pos = 0;
    for (;;) {
      const got = readSync(fd, buf, 0, buf.length, pos);
      if (got <= 0) break;
      text += buf.toString('utf8', 0, got);
      pos += got;
      if (endOfFirstRecord(text) >= 0 || pos > 4 * 1024 * 1024) break;
    }
  } finally {
    closeSync(fd);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const end = endOfFirstRecord(text);
  const line = (end >= 0 ? text.slice(0, end) : text).replace(/\r$/, '');
  const counts = new Map<string, number>();
  let inQuote = false;
  for (const ch of line) {
    if (ch === '"') inQuote = !inQuote;
    else if (!inQuote && (ch === ',' || ch === ';' || ch === '\t' || ch === '|')) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  const delim = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? ',';
  const names: string[] = [];
  if (line.trim() !== '') {
    let cur = '';
    inQuote = false;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i]!;
      if (ch === '"') {
        if (inQuote && line[i + 1] === '"') { cur += '"'; i++; } else inQuote = !inQuote;
      } else if (ch === delim && !inQuote) { names.push(cur); cur = ''; } else cur += ch;
    }
    names.push(cur);
  }
  return { delim, names: names.map((s, i) => s.trim() || `column${i}`) };
}

function endOfFirstRecord(text: string): number {
  let inQuote = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) inQuote = !inQuote;
    else if (c === 10 && !inQuote) return i;
  }
  return -1;
}

/**
 * Physical lines of CSV records, found by one scan of the file with DuckDB's record rules
 * (RFC 4180 quotes, blank lines skipped): for DuckDB's reject `line` (which does not count
 * newlines inside quoted values) and for the `record`-th record read (0-based, the header and
 * rejected records excluded, = the row's `rowid`).
 */
function physicalLines(file: string, duckLines: number[], records: number[]): { byDuckLine: Map<number, number>; byRecord: Map<number, number> } {
  const rejectedAt = new Set(duckLines);
  const wanted = new Set(records);
  const byDuckLine = new Map<number, number>();
  const byRecord = new Map<number, number>();
  const fd = openSync(file, 'r');
  const buf = Buffer.alloc(1 << 20);
  let pos = 0;
  let line = 1;
  let quotedNewlines = 0;
  let inQuote = false;
  let atStart = true;
  let startLine = 1;
  let startDuckLine = 1;
  let content = false;
  let header = true;
  let k = -1;
  const maxRecord = records.length ? Math.max(...records) : -1;
  const endRecord = () => {
    if (header) { header = false; return; }
    if (!content) return;
    if (rejectedAt.has(startDuckLine)) { byDuckLine.set(startDuckLine, startLine); return; }
    k++;
    if (wanted.has(k)) byRecord.set(k, startLine);
  };
  try {
    outer: for (;;) {
      const got = readSync(fd, buf, 0, buf.length, pos);
      if (got <= 0) break;
      for (let i = 0; i < got; i++) {
        const b = buf[i]!;
        if (atStart) { atStart = false; startLine = line; startDuckLine = line - quotedNewlines; content = false; }
        if (b === 34) { inQuote = !inQuote; content = true; } else if (b === 10) {
          line++;
          if (inQuote) { quotedNewlines++; continue; }
          endRecord();
          atStart = true;
          if (k >= maxRecord && byDuckLine.size === rejectedAt.size) break outer;
        } else if (b !== 13) content = true;
      }
      pos += got;
    }
    if (!atStart) endRecord();
  } finally {
    closeSync(fd);
  }
  return { byDuckLine, byRecord };
}

/**
 * Physical lines of JSON-lines records: the `record`-th record (0-based, = the row's `rowid`) is
 * the record-th line that is neither blank nor in `malformed`.
 */
function jsonRecordLines(file: string, malformed: Set<number>, records: number[]): Map<number, number> {
  const wanted = new Set(records);
  const out = new Map<number, number>();
  const max = records.length ? Math.max(...records) : -1;
  const fd = openSync(file, 'r');
  const buf = Buffer.alloc(1 << 20);
  let pos = 0;
  let line = 1;
  let blank = true;
  let k = -1;
  const end = () => {
    if (!blank && !malformed.has(line)) { k++; if (wanted.has(k)) out.set(k, line); }
    line++;
    blank = true;
  };
  try {
    outer: for (;;) {
      const got = readSync(fd, buf, 0, buf.length, pos);
      if (got <= 0) break;
      for (let i = 0; i < got; i++) {
        const b = buf[i]!;
        if (b === 10) { end(); if (k >= max) break outer; } else if (b !== 13 && b !== 32 && b !== 9) blank = false;
      }
      pos += got;
    }
    if (!blank) end();
  } finally {
    closeSync(fd);
  }
  return out;
}

/**
 * JSON lines into `__raw_text`: strict `read_json` (structure inferred over the whole file, not a
 * sample) when every line parses; otherwise lines that are not JSON objects go to `__rejected`
 * with their line number and the rest is parsed with the structure inferred from them. Blank
 * lines are not records.
 */
async function readJsonLines(conn: DuckDBConnection, at: string, file: string): Promise<void> {
  const path = quoteString(at);
  // CASE, not AND: json_type throws on text that is not JSON, and AND does not short-circuit.
  const isObject = `(CASE WHEN json_valid(raw_line) THEN json_type(raw_line) = 'OBJECT' ELSE FALSE END)`;
  try {
    await conn.run(`CREATE TEMP TABLE __raw_text AS SELECT * FROM read_json(${path}, format = 'newline_delimited', sample_size = -1)`);
    await conn.run(`CREATE TEMP TABLE __rejected (${REJECTED_COLUMNS})`);
    return;
  } catch {
    // Some line is malformed: fall back to line-by-line.
  }
  await conn.run(`CREATE TEMP TABLE __lines AS SELECT row_number() OVER () AS line, l AS raw_line FROM read_csv(${path}, columns = {'l': 'VARCHAR'}, header = false, delim = chr(1), quote = '', escape = '', new_line = '\\n', strict_mode = false, auto_detect = false)`);
  await conn.run(`CREATE TEMP TABLE __rejected AS SELECT ${quoteString(file)} AS source_file, line::BIGINT AS line, raw_line, ['input.malformed'] AS failed_rules,
    'input.malformed: line ' || line || ': not a JSON object' AS reason FROM __lines
    WHERE trim(coalesce(raw_line, '')) <> '' AND NOT ${isObject} ORDER BY line`);
  const valid = `FROM __lines WHERE trim(coalesce(raw_line, '')) <> '' AND ${isObject}`;
  const structure = (await conn.runAndReadAll(`SELECT json_group_structure(CASE WHEN ${isObject} THEN CAST(raw_line AS JSON) END)::VARCHAR AS s ${valid}`)).getRowObjects()[0]?.s;
  if (typeof structure !== 'string' || structure === 'null') throw new MeshError('INPUT_UNREADABLE', `cannot read ${file}: no line is a JSON object`, { file, exitCode: 2 });
  await conn.run(`CREATE TEMP TABLE __raw_text AS SELECT unnest(json_transform(CASE WHEN ${isObject} THEN raw_line END, ${quoteString(structure)})) ${valid} ORDER BY line`);
}
