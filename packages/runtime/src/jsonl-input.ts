/**
 * The JSON lines side of the view `raw`: the file parsed with its structure inferred over every
 * line (lines that are not JSON objects rejected with their line), and the physical lines of records.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { MeshError } from '@meshkit/contracts';
import { scanChunks } from './file-scan.js';
import { createInFileOrder, createRejected, type CastFailure } from './input-rejects.js';
import { quoteString } from './types.js';

/** The rows of `__rejected` (SQL tuples) for the JSON-lines rows whose value is outside the grammar (`castFailures`). */
export async function jsonRejectedRows(
  conn: DuckDBConnection,
  file: string,
  castFailures: CastFailure[],
): Promise<string[]> {
  // A row is the k-th non-blank line that is not rejected as malformed.
  const malformedLines = new Set(
    (await conn.runAndReadAll('SELECT line FROM __rejected')).getRowObjects().map((r) => Number(r.line)),
  );
  const lines = jsonRecordLines(
    file,
    malformedLines,
    castFailures.map((r) => r.k),
  );
  return castFailures.map((r) => {
    const line = lines.get(r.k);
    return `(${quoteString(file)}, ${line ?? 'NULL'}, ${quoteString(r.values ?? '')}, [${r.rules.map(quoteString).join(', ')}]::VARCHAR[], ${quoteString(`line ${line ?? '?'}: ${r.why}`)})`;
  });
}

/**
 * Physical lines of JSON-lines records: the `record`-th record (0-based, = the row's `rowid`) is
 * the record-th line that is neither blank nor in `malformed`.
 */
function jsonRecordLines(file: string, malformed: Set<number>, records: number[]): Map<number, number> {
  const wanted = new Set(records);
  const out = new Map<number, number>();
  const max = records.length ? Math.max(...records) : -1;
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
  scanChunks(file, (buf, got) => {
    for (let i = 0; i < got; i++) {
      const b = buf[i]!;
      if (b === 10) {
        end();
        if (k >= max) return true;
      } else if (b !== 13 && b !== 32 && b !== 9) blank = false;
    }
    return false;
  });
  if (!blank) end();
  return out;
}

/**
 * JSON lines into `__raw_text`: strict `read_json` (structure inferred over the whole file, not a
 * sample) when every line parses; otherwise lines that are not JSON objects go to `__rejected`
 * with their line number and the rest is parsed with the structure inferred from them. Blank
 * lines are not records.
 */
export async function readJsonLines(conn: DuckDBConnection, at: string, file: string): Promise<void> {
  const path = quoteString(at);
  // CASE, not AND: json_type throws on text that is not JSON, and AND does not short-circuit.
  const isObject = `(CASE WHEN json_valid(raw_line) THEN json_type(raw_line) = 'OBJECT' ELSE FALSE END)`;
  try {
    await createInFileOrder(
      conn,
      `CREATE TEMP TABLE __raw_text AS SELECT * FROM read_json(${path}, format = 'newline_delimited', sample_size = -1)`,
    );
    await createRejected(conn);
    return;
  } catch {
    // Some line is malformed: fall back to line-by-line.
  }
  await createInFileOrder(
    conn,
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
