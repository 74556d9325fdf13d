/**
 * The CSV side of the view `raw`: the header row (names, delimiter), the reader's SQL with explicit
 * column types, the reader's rejected records, and the physical lines of records (DuckDB counts
 * records, not lines: a quoted value may hold newlines).
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { scanChunks } from './file-scan.js';
import type { DuckDBConnection } from '@duckdb/node-api';
import { MeshError } from '@meshkit/contracts';
import { visible, type CastFailure } from './input-rejects.js';
import { csvCastsByGrammar, isScalarType, quoteString, type ContractColumn } from './types.js';

/** The CSV reader of one file: `read_csv(…)` with the columns it reads and their types. */
export interface CsvRead {
  /** The `read_csv(…)` table function call. */
  read: string;
  columns: { name: string; type: string }[];
}

/**
 * How `file` (read through `at`) is read: each column as text, or as the contract's (scalar) type
 * when the contract names it, cast by the reader, which rejects a record whose value does not
 * cast (with its line), at any row. Integers, dates, timestamps and booleans are read as text, to
 * be cast by the contract's text grammar ({@link csvCastsByGrammar}).
 * @returns undefined for a file without a header row
 * @throws MeshError `INPUT_UNREADABLE` when the header names a column twice
 */
export function csvRead(file: string, at: string, columns: ContractColumn[]): CsvRead | undefined {
  const header = readCsvHeader(file);
  if (!header.names.length) return undefined;
  const seen = new Map<string, number>();
  header.names.forEach((c, i) => {
    const k = c.toLowerCase();
    if (seen.has(k))
      throw new MeshError(
        'INPUT_UNREADABLE',
        `cannot read ${file}: the header names column '${c}' twice (columns ${seen.get(k)! + 1} and ${i + 1})`,
        { file, line: 1, exitCode: 2 },
      );
    seen.set(k, i);
  });
  const byName = new Map(columns.map((c) => [c.name.toLowerCase(), c]));
  const read = header.names.map((c) => {
    const contract = byName.get(c.toLowerCase());
    const type =
      contract && isScalarType(contract.duckType) && !csvCastsByGrammar(contract.duckType)
        ? contract.duckType
        : 'VARCHAR';
    return { name: c, type };
  });
  const cols = `{${read.map((c) => `${quoteString(c.name)}: ${quoteString(c.type)}`).join(', ')}}`;
  return {
    read: `read_csv(${quoteString(at)}, header = true, auto_detect = false, columns = ${cols},
        delim = ${quoteString(header.delim)}, quote = '"', escape = '"', strict_mode = true,
        store_rejects = true, rejects_table = '__csv_rejects', rejects_scan = '__csv_scans')`,
    columns: read,
  };
}

/** A record DuckDB's CSV reader rejected: malformed, or holding a value its type does not cast. */
interface ReaderReject {
  duckLine: number;
  raw: string;
  rules: string[];
  reason: string;
}

/** The records the reader rejected (`__csv_rejects` of its first scan: a second one, to locate rows that do not cast, rejects them again), one per record, in file order. */
async function readerRejects(conn: DuckDBConnection, columns: ContractColumn[]): Promise<ReaderReject[]> {
  const typeOf = new Map(columns.map((c) => [c.name.toLowerCase(), c.duckType]));
  const rows = (
    await conn.runAndReadAll(`SELECT line::BIGINT AS line, any_value(csv_line) AS raw_line,
        list(DISTINCT CASE WHEN error_type = 'CAST' THEN column_name END) FILTER (WHERE error_type = 'CAST') AS cast_columns,
        list(DISTINCT CASE WHEN error_type = 'CAST' THEN column_name || '\u0001' || coalesce(regexp_extract(error_message, 'Could not convert string "(.*)" to ', 1), '') END) FILTER (WHERE error_type = 'CAST') AS cast_values,
        string_agg(DISTINCT CASE WHEN error_type <> 'CAST' THEN error_type || ': ' || error_message END, '; ') AS why
        FROM __csv_rejects WHERE scan_id = (SELECT min(scan_id) FROM __csv_rejects) GROUP BY line ORDER BY line`)
  ).getRowObjects();
  return rows.map((r) => {
    const castValues = ((r.cast_values as { items?: unknown[] } | null)?.items ?? []).map(String).sort();
    const why = r.why === null ? '' : String(r.why);
    const duckLine = Number(r.line);
    const raw = String(r.raw_line ?? '');
    // A malformed record (wrong field count, broken quote) is only that: its fields are misaligned, their casts say nothing.
    if (why) return { duckLine, raw, rules: ['input.malformed'], reason: `input.malformed: ${why}` };
    const cast = castValues.map((cv) => {
      const [column = '', value = ''] = cv.split('\u0001');
      return `${column}.castable: ${column} = '${value.slice(0, 80)}' cannot be cast to ${typeOf.get(column.toLowerCase()) ?? 'its contract type'}`;
    });
    return {
      duckLine,
      raw,
      rules: castValues.map((cv) => `${cv.split('\u0001')[0]}.castable`),
      reason: cast.join('; '),
    };
  });
}

/**
 * The rows of `__rejected` for a CSV file (SQL tuples, by physical line): the records the reader
 * rejected, and the records it read whose value is outside its column's grammar (`castFailures`,
 * the k-th record read, 0-based).
 */
export async function csvRejectedRows(
  conn: DuckDBConnection,
  file: string,
  columns: ContractColumn[],
  castFailures: CastFailure[],
): Promise<string[]> {
  const malformed = await readerRejects(conn, columns);
  if (!malformed.length && !castFailures.length) return [];
  const { rejectedLines, records } = locateRecords(
    file,
    malformed.map((m) => m.duckLine),
    castFailures.map((f) => f.k),
  );
  return [
    ...malformed.map((m) => {
      const line = rejectedLines.get(m.duckLine) ?? m.duckLine;
      const reason =
        m.rules.length === 1 && m.rules[0] === 'input.malformed'
          ? m.reason.replace(/^input\.malformed: /, `input.malformed: line ${line}: `)
          : `line ${line}: ${m.reason}`;
      return { line, raw: m.raw, rules: m.rules, reason };
    }),
    ...castFailures.map((f) => {
      const at = records.get(f.k);
      return { line: at?.line, raw: at?.text ?? '', rules: f.rules, reason: `line ${at?.line ?? '?'}: ${f.why}` };
    }),
  ]
    .sort((x, y) => (x.line ?? Infinity) - (y.line ?? Infinity))
    .map(
      (r) =>
        `(${quoteString(file)}, ${r.line ?? 'NULL'}, ${quoteString(visible(r.raw))}, [${r.rules.map(quoteString).join(', ')}]::VARCHAR[], ${quoteString(visible(r.reason))})`,
    );
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
    else if (!inQuote && (ch === ',' || ch === ';' || ch === '\t' || ch === '|'))
      counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  const delim = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? ',';
  const names: string[] = [];
  if (line.trim() !== '') {
    let cur = '';
    inQuote = false;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i]!;
      if (ch === '"') {
        if (inQuote && line[i + 1] === '"') {
          cur += '"';
          i++;
        } else inQuote = !inQuote;
      } else if (ch === delim && !inQuote) {
        names.push(cur);
        cur = '';
      } else cur += ch;
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
 * One scan of a CSV file with DuckDB's record rules (RFC 4180 quotes), stopping once all is found:
 * the physical line of each record the reader rejected (`rejectedLines`, by DuckDB's reject
 * `line`, which does not count newlines inside quoted values), and the physical line and text of
 * the k-th record the reader read (`records`, k 0-based: not the header, a blank line or a
 * rejected record).
 */
function locateRecords(
  file: string,
  rejectedDuckLines: number[],
  wantedRecords: number[],
): { rejectedLines: Map<number, number>; records: Map<number, { line: number; text: string }> } {
  const rejected = new Set(rejectedDuckLines);
  const wanted = new Set(wantedRecords);
  const rejectedLines = new Map<number, number>();
  const records = new Map<number, { line: number; text: string }>();
  const last = wantedRecords.length ? Math.max(...wantedRecords) : -1;
  let line = 1; // physical line of the current byte
  let quotedNewlines = 0;
  let inQuote = false;
  let start = { line: 1, duckLine: 1 }; // where the current record starts
  let header = true;
  let empty = true; // the current record holds no byte yet (other than \r)
  let k = -1; // records read so far, less one
  let parts: Buffer[] | undefined; // the bytes of the current record, when wanted
  const endRecord = (): boolean => {
    if (header) header = false;
    else if (rejected.has(start.duckLine)) rejectedLines.set(start.duckLine, start.line);
    else if (!empty) {
      k++;
      if (parts) records.set(k, { line: start.line, text: Buffer.concat(parts).toString('utf8').replace(/\r$/, '') });
    }
    parts = undefined;
    return rejectedLines.size === rejected.size && k >= last;
  };
  let finished = false;
  scanChunks(file, (buf, got) => {
    let from = 0; // where the current record's bytes start in this chunk
    for (let i = 0; i < got; i++) {
      const b = buf[i]!;
      if (b === 34) inQuote = !inQuote;
      else if (b === 10) {
        line++;
        if (inQuote) {
          quotedNewlines++;
          continue;
        }
        parts?.push(Buffer.from(buf.subarray(from, i)));
        if (endRecord()) return (finished = true);
        start = { line, duckLine: line - quotedNewlines };
        empty = true;
        continue;
      }
      if (b !== 13 && empty) {
        empty = false;
        if (!header && !rejected.has(start.duckLine) && wanted.has(k + 1)) {
          parts = [];
          from = i;
        }
      }
    }
    parts?.push(Buffer.from(buf.subarray(from, got)));
    return false;
  });
  if (!finished && !empty) endRecord();
  return { rejectedLines, records };
}
