// The awkward-rows corpus of the Spark parity suite: a contract using every rule kind and column
// type, and rows at their edges (nulls, integer and decimal edges, doubles, booleans, dates,
// timestamps with zones, unicode, regular-expression edges, duplicates), as text.
import { DuckDBInstance } from '@duckdb/node-api';

/** The corpus contract (every rule kind of the quality IR; day is the partition key). */
export const CORPUS_CONTRACT = `apiVersion: v3.1.0
kind: DataContract
id: shop-awkward
name: Awkward
version: 1.0.0
status: active
schema:
  - name: awkward
    physicalType: table
    quality:
      - id: some_rows
        metric: rowCount
        mustBeGreaterThan: 0
      - id: no_dup_id_day
        metric: duplicateValues
        arguments: { properties: [id, day] }
        mustBe: 0
        severity: warning
      - id: few_big_qty
        type: sql
        query: "SELECT count(*) FROM \${object} WHERE qty > 900"
        mustBeLessThan: 3
      - id: dup_codes_few
        metric: duplicateValues
        arguments: { properties: [code] }
        mustBeLessThan: 40
        unit: percent
    properties:
      - name: id
        logicalType: string
        required: true
        logicalTypeOptions: { minLength: 1, maxLength: 12 }
      - name: code
        logicalType: string
        logicalTypeOptions: { pattern: "C.[0-9]{3}" }
      - name: email
        logicalType: string
        quality:
          - id: email_shape
            metric: invalidValues
            arguments: { pattern: "^[^@ ]+@[^@ ]+\\\\.[a-z]{2,}$" }
            mustBe: 0
      - name: qty
        logicalType: integer
        logicalTypeOptions: { minimum: 0, maximum: 1000 }
        quality:
          - id: qty_unique
            metric: duplicateValues
            mustBe: 0
            severity: warning
      - name: small
        logicalType: integer
        physicalType: int
      - name: price
        logicalType: number
        physicalType: decimal(12,2)
        logicalTypeOptions: { exclusiveMinimum: 0 }
      - name: ratio
        logicalType: number
        logicalTypeOptions: { maximum: 1.5 }
      - name: flag
        logicalType: boolean
      - name: label
        logicalType: string
        quality:
          - id: label_values
            metric: invalidValues
            arguments: { validValues: ["α", "ok", "N/A", "12:30", "2024-01-01", ""] }
            mustBe: 0
          - id: label_missing
            metric: missingValues
            mustBeLessThan: 5
            unit: percent
            severity: warning
      - name: note
        logicalType: string
        quality:
          - id: note_nulls
            metric: nullValues
            mustBeLessThan: 90
            unit: percent
          - id: note_invalid_few
            metric: invalidValues
            arguments: { pattern: "^[a-z ]*$" }
            mustBeLessOrEqualTo: 10
          - id: note_missing_few
            metric: missingValues
            arguments: { missingValues: ["-", "n/a", null] }
            mustBeLessThan: 30
            unit: percent
      - name: day
        logicalType: date
        required: true
        partitioned: true
        partitionKeyPosition: 1
        logicalTypeOptions: { minimum: "2020-01-01" }
      - name: ts
        logicalType: timestamp
        logicalTypeOptions: { minimum: "2020-01-01T00:00:00Z", exclusiveMaximum: "2030-01-01 00:00:00" }
slaProperties:
  - property: freshness
    value: 48
    unit: h
    element: awkward.ts
`;

/** The corpus columns, in contract order. */
export const CORPUS_COLUMNS = [
  'id',
  'code',
  'email',
  'qty',
  'small',
  'price',
  'ratio',
  'flag',
  'label',
  'note',
  'day',
  'ts',
] as const;
type Row = Partial<Record<(typeof CORPUS_COLUMNS)[number], string | null>>;

const BASE: Required<Row> = {
  id: 'r',
  code: 'C-123',
  email: 'a@b.co',
  qty: '1',
  small: '2',
  price: '9.99',
  ratio: '0.5',
  flag: 'true',
  label: 'ok',
  note: 'fine',
  day: '2026-11-01',
  ts: '2026-11-01 10:00:00',
};

/** Edge values per column; each becomes one row (the other columns from a valid base row). */
const EDGES: Row[] = [
  // nulls and blanks
  {
    qty: null,
    small: null,
    price: null,
    ratio: null,
    flag: null,
    label: null,
    note: null,
    ts: null,
    code: null,
    email: null,
  },
  { id: null },
  { day: null },
  { id: '' },
  { label: '' },
  { note: '' },
  { qty: '' },
  { ts: '   ' },
  // integers
  { qty: ' 42 ' },
  { qty: '+7' },
  { qty: '-0' },
  { qty: '-1' },
  { qty: '1000' },
  { qty: '1001' },
  { qty: '007' },
  { qty: '1.5' },
  { qty: '1e3' },
  { qty: '0x10' },
  { qty: '1_000' },
  { qty: '9223372036854775807' },
  { qty: '9223372036854775808' },
  { qty: '950' },
  { qty: '990' },
  { qty: '999' },
  { small: '2147483647' },
  { small: '2147483648' },
  { small: '-2147483648' },
  { small: '12abc' },
  // decimals
  { price: '1.005' },
  { price: '1.015' },
  { price: '-1.005' },
  { price: '0' },
  { price: '0.001' },
  { price: '0.005' },
  { price: '1e2' },
  { price: '.5' },
  { price: '5.' },
  { price: '9999999999.99' },
  { price: '99999999999.99' },
  { price: '1,5' },
  { price: 'NaN' },
  // doubles
  { ratio: '1.5' },
  { ratio: '1.5000001' },
  { ratio: '-0' },
  { ratio: '1e-7' },
  { ratio: '1E21' },
  { ratio: 'NaN' },
  { ratio: 'Infinity' },
  { ratio: '-inf' },
  { ratio: '0.1' },
  { ratio: '.' },
  { ratio: 'abc' },
  // booleans
  { flag: 'TRUE' },
  { flag: 'f' },
  { flag: 'yes' },
  { flag: 'N' },
  { flag: '0' },
  { flag: '1' },
  { flag: 'off' },
  { flag: ' true ' },
  { flag: '2' },
  // dates
  { day: '2024-2-3' },
  { day: '2024-02-30' },
  { day: '2019-12-31' },
  { day: '2020-01-01' },
  { day: '20240203' },
  { day: '2024/02/03' },
  { day: '2024-02-03T23:30:00-05:00' },
  { day: 'infinity' },
  { day: '0001-01-01' },
  // timestamps with zones
  { ts: '2026-11-01T10:00:00Z' },
  { ts: '2026-11-01T10:00:00+02:00' },
  { ts: '2026-11-01 10:00:00-0530' },
  { ts: '2026-11-01T10:00:00.123456789Z' },
  { ts: '2026-11-01 10:00:00 UTC' },
  { ts: '2026-11-01T10:00' },
  { ts: '2026-11-01T24:00:00' },
  { ts: '2026-11-01' },
  { ts: '2019-12-31T23:59:59Z' },
  { ts: '2020-01-01T01:00:00+02:00' },
  { ts: '2029-12-31 23:59:59.999999' },
  { ts: '2030-01-01 00:00:00' },
  { ts: '2026-11-01 10:00:00 Europe/Paris' },
  { ts: 'infinity' },
  { ts: '2026-11-01 7:05' },
  // unicode
  { id: 'ü-1' },
  { id: '👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽' },
  { id: 'e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301' },
  { id: 'abcdefghijklm' },
  { label: 'α' },
  { label: 'Α' },
  { note: 'naïve' },
  { note: 'ok\u00a0ok' },
  { label: 'ok ' },
  // regular-expression edges
  { code: 'xC-123y' },
  { code: 'C\r123' },
  { code: 'C\n123' },
  { code: 'C-12' },
  { code: 'c-123' },
  { code: 'C\u2028123' },
  { email: 'a@b.co\n' },
  { email: 'A@B.COM' },
  { email: 'a b@c.de' },
  { email: 'a@b.c' },
  { email: 'a@b.c.de' },
  // strings that look like dates, times, numbers
  { label: '12:30' },
  { label: '2024-01-01' },
  { label: 'N/A' },
  { label: '2024-1-1' },
  { note: '-' },
  { note: 'n/a' },
  { note: 'N/A' },
];

/** The corpus rows (as text; `null` for NULL): edge rows, then duplicates. */
export function corpusRows(): Row[] {
  const rows: Row[] = EDGES.map((e, i) => ({
    ...BASE,
    id: `r${i}`,
    qty: String(i % 900),
    code: `C-${String(100 + (i % 30))}`,
    ...e,
  }));
  // Duplicates: the same (id, day) twice, an exact copy, a duplicate with another day.
  rows.push({ ...rows[1]!, id: 'r1', note: 'again' }, { ...rows[2]! }, { ...rows[3]!, day: '2026-11-02' });
  return rows;
}

/** Writes rows as a Parquet file of VARCHAR columns (so both engines read the same text). */
export async function writeTextParquet(
  file: string,
  rows: Row[],
  columns: readonly string[] = CORPUS_COLUMNS,
): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    await conn.run(`CREATE TABLE t (${columns.map((c) => `"${c}" VARCHAR`).join(', ')})`);
    const appender = await conn.createAppender('t');
    for (const r of rows) {
      for (const c of columns) {
        const v = (r as Record<string, string | null | undefined>)[c];
        if (v === null || v === undefined) appender.appendNull();
        else appender.appendVarchar(v);
      }
      appender.endRow();
    }
    appender.closeSync();
    await conn.run(`COPY t TO '${file.replace(/'/g, "''")}' (FORMAT parquet)`);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}
