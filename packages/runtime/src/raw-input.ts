/**
 * The view `raw` of a run: the input read the same way at row 1 and at row 1,000,000.
 *
 * - CSV is read with the columns of its header row, the delimiter found in that header (`,` `;`
 *   tab `|`) and RFC 4180 quoting (`"`, doubled to escape) that is never switched off, and with
 *   explicit types, never inferred from a sample: a column named like a contract column
 *   (case-insensitively, scalar types) has the contract's type, every other column is text.
 *   Numbers, booleans, dates and timestamps are read as text and cast with the contract's text
 *   grammar (`textCastPattern`, the one the Glue job's Spark core uses; DuckDB's own casts also
 *   take `1e3` or `1_000` as integers), once, in one pass into a typed table; other scalar types
 *   are cast by DuckDB's reader. A record whose value does not cast goes to the input quarantine
 *   (`quarantine/rejected-input.parquet`) with its physical line and the reason
 *   (`<column>.castable: column = 'n/a' cannot be cast to DECIMAL(12,2)`), at row 2 as at row
 *   999,999. Text columns are cast by transform.sql with `TRY_CAST`.
 * - Malformed records (wrong number of fields, unterminated quote, …) are rejected once per
 *   physical line, with the line and DuckDB's reason.
 * - A 0-byte file, or a header without rows, is an empty input (see {@link RawInput.empty}).
 * - JSON lines keep the types inferred over the whole file (not a sample); their scalar columns
 *   named like a contract column are then cast to its type (the same grammar, one pass into a
 *   typed table), rows that do not cast quarantined the same way. Parquet keeps the types the file holds.
 */
import { closeSync, mkdtempSync, openSync, readSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { MeshError, textCastPattern } from '@meshkit/contracts';
import {
  conformanceCastSql,
  fastTextCastSql,
  inGrammarSql,
  quoteIdent,
  quoteString,
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

/** Text with NUL bytes shown as `\0` (a SQL literal cannot hold them). */
const visible = (text: string): string => text.replace(/\0/g, '\\0');

/** Whether a DuckDB type is a scalar (not a struct, list, map, union or JSON): only scalars are cast at read. */
const SCALAR = (t: string): boolean => !/[[\]]|^(?:STRUCT|MAP|UNION|JSON)\b/i.test(t);

const REJECTED_COLUMNS = `source_file VARCHAR, line BIGINT, raw_line VARCHAR, failed_rules VARCHAR[], reason VARCHAR`;

function firstParagraph(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return m
    .split(/\n\s*\n/)[0]!
    .replace(/\s*\n\s*/g, ' ')
    .trim();
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
  const n = quoteIdent(name);
  const unreadable = (e: unknown) =>
    new MeshError('INPUT_UNREADABLE', `cannot read ${file}: ${firstParagraph(e)}`, { file, exitCode: 2, cause: e });
  if (statSync(file).isFile() && statSync(file).size === 0) {
    await conn.run(`CREATE TEMP TABLE __rejected (${REJECTED_COLUMNS})`);
    return { format, rows: 0, rejected: 0, empty: 'no-header', textColumns: [] };
  }
  const sqlOrUnreadable = async (fn: () => Promise<unknown>): Promise<void> => {
    try {
      await fn();
    } catch (e) {
      throw e instanceof MeshError ? e : unreadable(e);
    }
  };
  let empty: RawInput['empty'];
  let csvRead = '';
  let csvColumns: { name: string; type: string }[] = [];
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
        if (seen.has(k))
          throw new MeshError(
            'INPUT_UNREADABLE',
            `cannot read ${file}: the header names column '${c}' twice (columns ${seen.get(k)! + 1} and ${i + 1})`,
            { file, line: 1, exitCode: 2 },
          );
        seen.set(k, i);
      });
      // Each column as text, or as the contract's type when the contract names it. Columns whose
      // type has a text grammar (`textCastPattern`: numbers, booleans, dates, timestamps) are read
      // as text and cast below with that grammar, the one the Glue job's Spark core uses (DuckDB's
      // own casts accept `1e3` or `1_000` as integers); other scalar types are cast by the reader,
      // which rejects a record whose value does not cast (with its line), at any row.
      const byName = new Map(columns.map((c) => [c.name.toLowerCase(), c]));
      const cols = `{${header.names
        .map((c) => {
          const contract = byName.get(c.toLowerCase());
          const readAs =
            contract && SCALAR(contract.duckType) && textCastPattern(contract.glueType) === undefined
              ? contract.duckType
              : 'VARCHAR';
          return `${quoteString(c)}: ${quoteString(readAs)}`;
        })
        .join(', ')}}`;
      csvRead = `read_csv(${quoteString(at)}, header = true, auto_detect = false, columns = ${cols},
        delim = ${quoteString(header.delim)}, quote = '"', escape = '"', strict_mode = true,
        store_rejects = true, rejects_table = '__csv_rejects', rejects_scan = '__csv_scans')`;
      csvColumns = header.names.map((c) => {
        const contract = byName.get(c.toLowerCase());
        return {
          name: c,
          type:
            contract && SCALAR(contract.duckType) && textCastPattern(contract.glueType) === undefined
              ? contract.duckType
              : 'VARCHAR',
        };
      });
    } else if (format === 'parquet') {
      const dir = statSync(file).isDirectory();
      const src = dir ? quoteString(join(at, '**', '*.parquet')) : quoteString(at);
      await conn.run(
        `CREATE TEMP VIEW __raw_text AS SELECT * FROM read_parquet(${src}, hive_partitioning = ${dir}, union_by_name = ${dir})`,
      );
    } else {
      await readJsonLines(conn, at, file);
    }
  } catch (e) {
    if (e instanceof MeshError) throw e;
    throw unreadable(e);
  }
  const described =
    format === 'csv'
      ? csvColumns
      : (await conn.runAndReadAll(`DESCRIBE __raw_text`))
          .getRowObjects()
          .map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
  const byName = new Map(columns.map((c) => [c.name.toLowerCase(), c]));
  // Raw columns named like a contract column whose type differs: cast per the contract, with the
  // text grammar both engines share (`conformanceCastSql`). Parquet carries its own types (nothing
  // is inferred from a sample): read as typed; the output's conformance check casts. CSV (its
  // grammar-typed columns, read as text) and JSON lines are cast here, in one pass into a typed table.
  const typed =
    format === 'parquet'
      ? []
      : described.flatMap((d) => {
          const c = byName.get(d.name.toLowerCase());
          // Scalars only: nested values (structs, lists, maps) keep their shape for transform.sql.
          return c &&
            SCALAR(c.duckType) &&
            SCALAR(d.type) &&
            c.duckType.toUpperCase() !== d.type.toUpperCase() &&
            c.duckType.toUpperCase() !== 'VARCHAR'
            ? [{ raw: d.name, type: c.duckType, from: d.type, text: d.type === 'VARCHAR', column: c }]
            : [];
        });
  type Typed = (typeof typed)[number];
  // An empty text is no value (NULL): the CSV reader reads an empty field, quoted or not, as NULL; JSON lines may hold "".
  const valueOf = (t: Typed) => (t.text && format === 'jsonl' ? `NULLIF(${quoteIdent(t.raw)}, '')` : quoteIdent(t.raw));
  const castOf = (t: Typed) => conformanceCastSql(valueOf(t), t.from, t.column);
  const typedNames = new Set(typed.map((t) => t.raw));
  const names = described.map((d) => quoteIdent(d.name)).join(', ');
  let castFailures: { k: number; why: string; rules: string[]; values?: string }[] = [];
  if (!typed.length) {
    if (format === 'csv') await conn.run(`CREATE TEMP TABLE __raw_text AS SELECT * FROM ${csvRead}`);
    await conn.run(`CREATE TEMP VIEW ${n} AS SELECT * FROM __raw_text`);
  } else {
    // Read and cast once, in one parallel pass, into a typed table: the transform and the checks
    // then read typed columns. Each value is cast once (inner query); a row with a value that does
    // not cast is kept with its reason (__why) and left out of `raw`.
    // Innermost: DuckDB's cast of each value, once (the column's value); then whether the row's
    // text is in the type's grammar, as the Glue job's Spark core casts (`__b<i>`: does not cast).
    const inner = typed
      .map((t, i) => `${t.text ? fastTextCastSql(valueOf(t), t.column) : castOf(t)} AS "__c${i}"`)
      .join(', ');
    const middle = typed
      .map(
        (t, i) =>
          `${
            t.text
              ? `CASE WHEN ${valueOf(t)} IS NULL THEN false WHEN "__c${i}" IS NULL THEN true ELSE NOT ${inGrammarSql(valueOf(t), `"__c${i}"`, t.column)} END`
              : `(${valueOf(t)} IS NOT NULL AND "__c${i}" IS NULL)`
          } AS "__b${i}"`,
      )
      .join(', ');
    const badOf = (_t: Typed, i: number) => `"__b${i}"`;
    const bad = typed.map(badOf).join(' OR ');
    const why = `concat_ws('; ', ${typed.map((t, i) => `CASE WHEN ${badOf(t, i)} THEN ${quoteString(`${t.raw}.castable: ${t.raw} = `)} || '''' || left(CAST(${quoteIdent(t.raw)} AS VARCHAR), 80) || '''' || ${quoteString(` cannot be cast to ${t.type}`)} END`).join(', ')})`;
    const rules = `list_filter([${typed.map((t, i) => `CASE WHEN ${badOf(t, i)} THEN ${quoteString(`${t.raw}.castable`)} END`).join(', ')}]::VARCHAR[], lambda x: x IS NOT NULL)`;
    const index = new Map(typed.map((t, i) => [t.raw, i]));
    const select = described
      .map((d) => (index.has(d.name) ? `"__c${index.get(d.name)}" AS ${quoteIdent(d.name)}` : quoteIdent(d.name)))
      .join(', ');
    // JSON lines: the reason row shows the record's values as text (CSV shows its physical line).
    const texts =
      format === 'jsonl'
        ? `, CASE WHEN ${bad} THEN json_object(${described.map((d) => `${quoteString(d.name)}, CAST(${quoteIdent(d.name)} AS VARCHAR)`).join(', ')})::VARCHAR END AS __values`
        : '';
    const source = format === 'csv' ? csvRead : '__raw_text';
    await sqlOrUnreadable(() =>
      conn.run(`CREATE TEMP TABLE __raw_typed AS SELECT ${select}, ${bad} AS __bad, CASE WHEN ${bad} THEN ${why} END AS __why, CASE WHEN ${bad} THEN ${rules} END AS __rules${texts}
      FROM (SELECT *, ${middle} FROM (SELECT *, ${inner} FROM ${source}))`),
    );
    castFailures = (
      await conn.runAndReadAll(
        `SELECT rowid AS k, __why, __rules${texts ? ', __values' : ''} FROM __raw_typed WHERE __bad ORDER BY rowid`,
      )
    )
      .getRowObjects()
      .map((r) => ({
        k: Number(r.k),
        why: String(r.__why),
        rules: (r.__rules as { items: unknown[] }).items.map(String),
        ...(texts ? { values: String(r.__values) } : {}),
      }));
    const anyBad = castFailures.length > 0;
    await conn.run(`CREATE TEMP VIEW ${n} AS SELECT ${names} FROM __raw_typed${anyBad ? ' WHERE NOT __bad' : ''}`);
  }

  // The input quarantine: malformed records (CSV; JSON lines already made theirs) and rows with a value that does not cast.
  const typeOf = new Map(columns.map((c) => [c.name.toLowerCase(), c.duckType]));
  const malformed =
    format === 'csv'
      ? (
          await conn.runAndReadAll(`SELECT line::BIGINT AS line, any_value(csv_line) AS raw_line,
        list(DISTINCT CASE WHEN error_type = 'CAST' THEN column_name END) FILTER (WHERE error_type = 'CAST') AS cast_columns,
        list(DISTINCT CASE WHEN error_type = 'CAST' THEN column_name || '\u0001' || coalesce(regexp_extract(error_message, 'Could not convert string "(.*)" to ', 1), '') END) FILTER (WHERE error_type = 'CAST') AS cast_values,
        string_agg(DISTINCT CASE WHEN error_type <> 'CAST' THEN error_type || ': ' || error_message END, '; ') AS why
        FROM __csv_rejects GROUP BY line ORDER BY line`)
        )
          .getRowObjects()
          .map((r) => {
            const castValues = ((r.cast_values as { items?: unknown[] } | null)?.items ?? []).map(String).sort();
            const why = r.why === null ? '' : String(r.why);
            const cast = castValues.map((cv) => {
              const [column = '', value = ''] = cv.split('\u0001');
              return `${column}.castable: ${column} = '${value.slice(0, 80)}' cannot be cast to ${typeOf.get(column.toLowerCase()) ?? 'its contract type'}`;
            });
            // A malformed record (wrong field count, broken quote) is only that: its fields are misaligned, their casts say nothing.
            if (why)
              return {
                duckLine: Number(r.line),
                raw: String(r.raw_line ?? ''),
                rules: ['input.malformed'],
                reason: `input.malformed: ${why}`,
              };
            return {
              duckLine: Number(r.line),
              raw: String(r.raw_line ?? ''),
              rules: castValues.map((cv) => `${cv.split('\u0001')[0]}.castable`),
              reason: cast.join('; '),
            };
          })
      : [];
  if ((format !== 'csv' && format !== 'jsonl') || (!malformed.length && !castFailures.length)) {
    if (format !== 'jsonl') await conn.run(`CREATE TEMP TABLE __rejected (${REJECTED_COLUMNS})`);
  } else if (format === 'csv') {
    const lines = physicalLines(
      file,
      malformed.map((m) => m.duckLine),
    );
    // A row of `__raw_typed` is the k-th record the reader accepted (in file order).
    const records = csvRecordLines(
      file,
      new Set(malformed.map((m) => m.duckLine)),
      castFailures.map((f) => f.k),
    );
    await conn.run(`CREATE TEMP TABLE __rejected (${REJECTED_COLUMNS})`);
    const rows = [
      ...malformed.map((m) => {
        const line = lines.get(m.duckLine) ?? m.duckLine;
        const reason =
          m.rules.length === 1 && m.rules[0] === 'input.malformed'
            ? m.reason.replace(/^input\.malformed: /, `input.malformed: line ${line}: `)
            : `line ${line}: ${m.reason}`;
        return { line, raw: m.raw, rules: m.rules, reason };
      }),
      ...castFailures.map((f) => {
        const at = records.get(f.k);
        return {
          line: at?.line ?? null,
          raw: at?.text ?? '',
          rules: f.rules,
          reason: `line ${at?.line ?? '?'}: ${f.why}`,
        };
      }),
    ]
      .sort((x, y) => (x.line ?? Infinity) - (y.line ?? Infinity))
      .map(
        (r) =>
          `(${quoteString(file)}, ${r.line ?? 'NULL'}, ${quoteString(visible(r.raw))}, [${r.rules.map(quoteString).join(', ')}]::VARCHAR[], ${quoteString(visible(r.reason))})`,
      );
    for (let i = 0; i < rows.length; i += 1000)
      await conn.run(`INSERT INTO __rejected VALUES ${rows.slice(i, i + 1000).join(', ')}`);
  } else {
    // JSON lines: a row is the k-th non-blank line that is not rejected as malformed.
    const malformedLines = new Set(
      (await conn.runAndReadAll('SELECT line FROM __rejected')).getRowObjects().map((r) => Number(r.line)),
    );
    const lines = jsonRecordLines(
      file,
      malformedLines,
      castFailures.map((r) => r.k),
    );
    const rows = castFailures.map((r) => {
      const line = lines.get(r.k);
      return `(${quoteString(file)}, ${line ?? 'NULL'}, ${quoteString(r.values ?? '')}, [${r.rules.map(quoteString).join(', ')}]::VARCHAR[], ${quoteString(`line ${line ?? '?'}: ${r.why}`)})`;
    });
    for (let i = 0; i < rows.length; i += 1000)
      await conn.run(`INSERT INTO __rejected VALUES ${rows.slice(i, i + 1000).join(', ')}`);
  }
  // The text copy is no longer needed once typed (it is as large as the input).
  if (format === 'jsonl' && typed.length) await conn.run('DROP TABLE __raw_text');
  const rowsN = Number((await conn.runAndReadAll(`SELECT count(*) AS n FROM ${n}`)).getRowObjects()[0]!.n);
  const rejected = Number((await conn.runAndReadAll('SELECT count(*) AS n FROM __rejected')).getRowObjects()[0]!.n);
  if (format === 'csv' && rowsN === 0 && rejected === 0) empty = 'header-only';
  const textColumns = described.filter((d) => !typedNames.has(d.name) && d.type === 'VARCHAR').map((d) => d.name);
  return { format, rows: rowsN, rejected, ...(empty ? { empty } : {}), textColumns };
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
 * Physical lines of CSV records, found by one scan of the file with DuckDB's record rules (RFC
 * 4180 quotes): DuckDB's reject `line` does not count newlines inside quoted values.
 */
function physicalLines(file: string, duckLines: number[]): Map<number, number> {
  const wanted = new Set(duckLines);
  const out = new Map<number, number>();
  if (!wanted.size) return out;
  const fd = openSync(file, 'r');
  const buf = Buffer.alloc(1 << 20);
  let pos = 0;
  let line = 1;
  let quotedNewlines = 0;
  let inQuote = false;
  let atStart = true;
  try {
    outer: for (;;) {
      const got = readSync(fd, buf, 0, buf.length, pos);
      if (got <= 0) break;
      for (let i = 0; i < got; i++) {
        const b = buf[i]!;
        if (atStart) {
          atStart = false;
          if (wanted.has(line - quotedNewlines)) {
            out.set(line - quotedNewlines, line);
            if (out.size === wanted.size) break outer;
          }
        }
        if (b === 34) inQuote = !inQuote;
        else if (b === 10) {
          line++;
          if (inQuote) quotedNewlines++;
          else atStart = true;
        }
      }
      pos += got;
    }
  } finally {
    closeSync(fd);
  }
  return out;
}

/**
 * Physical line and text of CSV records accepted by DuckDB's reader: the `record`-th (0-based, the
 * row's `rowid` in the typed table) record after the header that is neither a blank line (the
 * reader skips those) nor one it rejected (`rejectedDuckLines`, its line numbers, which do not
 * count newlines inside quoted values). One scan with DuckDB's record rules (RFC 4180 quotes),
 * stopping after the last record wanted.
 */
function csvRecordLines(
  file: string,
  rejectedDuckLines: Set<number>,
  records: number[],
): Map<number, { line: number; text: string }> {
  const wanted = new Set(records);
  const out = new Map<number, { line: number; text: string }>();
  if (!wanted.size) return out;
  const max = Math.max(...records);
  const fd = openSync(file, 'r');
  const buf = Buffer.alloc(1 << 20);
  let pos = 0;
  let line = 1; // physical line of the current byte
  let quotedNewlines = 0;
  let inQuote = false;
  let start = { line: 1, duckLine: 1 }; // where the current record starts
  let header = true;
  let empty = true; // the record holds no byte yet (other than \r)
  let k = -1;
  let take = false; // the current record is wanted: collect its bytes
  let bytes: Buffer[] = [];
  let from = 0; // offset in buf where the wanted record's bytes start
  const endRecord = (endAt: number): boolean => {
    let done = false;
    if (header) header = false;
    else if (!empty && !rejectedDuckLines.has(start.duckLine)) {
      k++;
      if (take) {
        bytes.push(buf.subarray(from, endAt));
        out.set(k, { line: start.line, text: Buffer.concat(bytes).toString('utf8').replace(/\r$/, '') });
      }
      done = k >= max;
    }
    bytes = [];
    return done;
  };
  try {
    outer: for (;;) {
      const got = readSync(fd, buf, 0, buf.length, pos);
      if (got <= 0) break;
      from = 0;
      for (let i = 0; i < got; i++) {
        const b = buf[i]!;
        if (b === 34) inQuote = !inQuote;
        if (b === 10) {
          line++;
          if (inQuote) {
            quotedNewlines++;
            continue;
          }
          if (endRecord(i)) break outer;
          start = { line, duckLine: line - quotedNewlines };
          empty = true;
          // Whether the next record (k + 1 when accepted) is wanted: decided when its first byte comes.
          take = false;
          from = i + 1;
        } else if (b !== 13 && empty) {
          empty = false;
          take = !header && wanted.has(k + 1) && !rejectedDuckLines.has(start.duckLine);
          from = i;
        }
      }
      if (take) bytes.push(Buffer.from(buf.subarray(from, got)));
      from = 0;
      pos += got;
    }
    if (!empty) endRecord(from);
  } finally {
    closeSync(fd);
  }
  return out;
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
    if (!blank && !malformed.has(line)) {
      k++;
      if (wanted.has(k)) out.set(k, line);
    }
    line++;
    blank = true;
  };
  try {
    outer: for (;;) {
      const got = readSync(fd, buf, 0, buf.length, pos);
      if (got <= 0) break;
      for (let i = 0; i < got; i++) {
        const b = buf[i]!;
        if (b === 10) {
          end();
          if (k >= max) break outer;
        } else if (b !== 13 && b !== 32 && b !== 9) blank = false;
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
    await conn.run(
      `CREATE TEMP TABLE __raw_text AS SELECT * FROM read_json(${path}, format = 'newline_delimited', sample_size = -1)`,
    );
    await conn.run(`CREATE TEMP TABLE __rejected (${REJECTED_COLUMNS})`);
    return;
  } catch {
    // Some line is malformed: fall back to line-by-line.
  }
  await conn.run(
    `CREATE TEMP TABLE __lines AS SELECT row_number() OVER () AS line, l AS raw_line FROM read_csv(${path}, columns = {'l': 'VARCHAR'}, header = false, delim = chr(1), quote = '', escape = '', new_line = '\\n', strict_mode = false, auto_detect = false)`,
  );
  await conn.run(`CREATE TEMP TABLE __rejected AS SELECT ${quoteString(file)} AS source_file, line::BIGINT AS line, raw_line, ['input.malformed'] AS failed_rules,
    'input.malformed: line ' || line || ': not a JSON object' AS reason FROM __lines
    WHERE trim(coalesce(raw_line, '')) <> '' AND NOT ${isObject} ORDER BY line`);
  const valid = `FROM __lines WHERE trim(coalesce(raw_line, '')) <> '' AND ${isObject}`;
  const structure = (
    await conn.runAndReadAll(
      `SELECT json_group_structure(CASE WHEN ${isObject} THEN CAST(raw_line AS JSON) END)::VARCHAR AS s ${valid}`,
    )
  ).getRowObjects()[0]?.s;
  if (typeof structure !== 'string' || structure === 'null')
    throw new MeshError('INPUT_UNREADABLE', `cannot read ${file}: no line is a JSON object`, { file, exitCode: 2 });
  await conn.run(
    `CREATE TEMP TABLE __raw_text AS SELECT unnest(json_transform(CASE WHEN ${isObject} THEN raw_line END, ${quoteString(structure)})) ${valid} ORDER BY line`,
  );
}
