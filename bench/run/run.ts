/**
 * Local runtime benchmark: 1,000,000 rows × 20 columns through a product with 10 quality rules
 * (`runProduct` of @meshkit/runtime: read, transform.sql, conformance, row rules → quarantine,
 * dataset rules, partitioned curated Parquet + quarantine + report), once from CSV and once from
 * Parquet input, against the floor: a plain DuckDB `COPY (SELECT * FROM read_csv/read_parquet(…))
 * TO 'x.parquet'` of the same file in the same process. Medians of 3 rounds; prints rows/s and
 * the ratio (goals: ≤ 1.7× for CSV, which the runtime reads as text and casts per contract, ≤ 1.4×
 * for Parquet).
 *
 *   npm run bench:run              # 1,000,000 rows, 3 rounds
 *   npm run bench:run -- 200000 5  # rows, rounds
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { runProduct } from '@meshkit/runtime';

const rows = Number(process.argv[2] ?? 1_000_000);
const rounds = Number(process.argv[3] ?? 3);
const dir = mkdtempSync(join(tmpdir(), 'meshkit-bench-run-'));
const productDir = join(dir, 'domains/bench/products/events');
mkdirSync(join(productDir, 'fixtures'), { recursive: true });
writeFileSync(join(dir, 'mesh.config.yaml'), 'organisation: Bench\nnpmScope: "@bench"\n');

const fillers = Array.from({ length: 14 }, (_, i) => i);
const fillerType = (i: number) => (i % 3 === 0 ? 'integer' : i % 3 === 1 ? 'number' : 'string');
writeFileSync(join(productDir, 'product.yaml'), 'domain: bench\nname: events\nowner: team-bench\ningestion:\n  mode: batch\n');
// 10 rules: id required + unique, customer required + pattern, amount range, status allowed values,
// country length, day required, row count, custom SQL.
writeFileSync(join(productDir, 'contract.odcs.yaml'), `apiVersion: v3.1.0
kind: DataContract
id: bench-events
name: Events
version: 1.0.0
status: active
schema:
  - name: events
    physicalType: table
    quality:
      - { id: not_empty, metric: rowCount, mustBeGreaterThan: 0 }
      - { id: few_refunds, type: sql, query: 'SELECT count(*) FROM \${object} WHERE amount < 1', mustBeLessThan: ${rows} }
    properties:
      - { name: id, logicalType: integer, required: true, unique: true }
      - { name: customer, logicalType: string, required: true, logicalTypeOptions: { pattern: '^C[0-9]+$' } }
      - { name: amount, logicalType: number, logicalTypeOptions: { minimum: 0, maximum: 100000 } }
      - name: status
        logicalType: string
        quality: [{ metric: invalidValues, arguments: { validValues: [NEW, PAID, SHIPPED] }, mustBe: 0 }]
      - { name: country, logicalType: string, logicalTypeOptions: { minLength: 2, maxLength: 2 } }
${fillers.map((i) => `      - { name: v${i}, logicalType: ${fillerType(i)} }`).join('\n')}
      - { name: day, logicalType: date, required: true, partitioned: true, partitionKeyPosition: 1 }
`);
writeFileSync(join(productDir, 'transform.sql'), `SELECT id, customer, amount, status, country, ${fillers.map((i) => `v${i}`).join(', ')}, day\nFROM raw\n`);

const csv = join(dir, 'events.csv');
const parquet = join(dir, 'events.parquet');
{
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  const filler = (i: number) => (i % 3 === 0 ? `(range * ${i + 7}) % 100000 AS v${i}` : i % 3 === 1 ? `((range * ${i + 3}) % 100000) / 100.0 AS v${i}` : `'text-' || ((range * ${i}) % 9973) AS v${i}`);
  // ~0.1 % of rows break a row rule (bad status, negative amount), so the quarantine is exercised.
  await conn.run(`CREATE TABLE gen AS SELECT range AS id, 'C' || (range % 50000) AS customer,
      CASE WHEN range % 2000 = 7 THEN -1.0 ELSE ((range * 31) % 1000000) / 100.0 END AS amount,
      CASE WHEN range % 2000 = 9 THEN 'LOST' ELSE ['NEW', 'PAID', 'SHIPPED'][1 + range % 3] END AS status,
      ['DE', 'FR', 'ES', 'IT'][1 + range % 4] AS country, ${fillers.map(filler).join(', ')},
      DATE '2026-11-01' + CAST(range % 10 AS INTEGER) AS day
    FROM range(${rows})`);
  await conn.run(`COPY gen TO '${csv}' (FORMAT csv, HEADER)`);
  await conn.run(`COPY gen TO '${parquet}' (FORMAT parquet)`);
  conn.closeSync();
  instance.closeSync();
}

async function plainCopy(input: string, reader: string): Promise<number> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  const t = performance.now();
  await conn.run(`COPY (SELECT * FROM ${reader}('${input}')) TO '${join(dir, 'plain.parquet')}' (FORMAT parquet)`);
  const ms = performance.now() - t;
  conn.closeSync();
  instance.closeSync();
  return ms;
}

async function product(input: string): Promise<number> {
  const t = performance.now();
  const r = await runProduct({ productDir, root: dir, input, out: join(dir, 'out') });
  if (process.env.BENCH_VERBOSE) console.log(input, JSON.stringify(r.timings));
  const ms = performance.now() - t;
  if (r.rowsIn !== rows || r.rowsOut + r.rowsQuarantined !== rows || r.status !== 'passed') throw new Error(`unexpected run: ${JSON.stringify({ in: r.rowsIn, out: r.rowsOut, q: r.rowsQuarantined, status: r.status })}`);
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const results: Record<string, number[]> = { 'csv plain': [], 'csv product': [], 'parquet plain': [], 'parquet product': [] };
for (let i = 0; i < rounds; i++) {
  results['csv plain']!.push(await plainCopy(csv, 'read_csv'));
  results['csv product']!.push(await product(csv));
  results['parquet plain']!.push(await plainCopy(parquet, 'read_parquet'));
  results['parquet product']!.push(await product(parquet));
}
console.log(`bench/run: ${rows.toLocaleString('en')} rows × 20 columns, 10 quality rules, median of ${rounds}`);
for (const format of ['csv', 'parquet']) {
  const plain = median(results[`${format} plain`]!);
  const prod = median(results[`${format} product`]!);
  const rate = (ms: number) => Math.round(rows / (ms / 1000)).toLocaleString('en');
  console.log(`  ${format.padEnd(8)} plain COPY ${(plain / 1000).toFixed(2)} s (${rate(plain)} rows/s)   mesh run ${(prod / 1000).toFixed(2)} s (${rate(prod)} rows/s)   ratio ${(prod / plain).toFixed(2)}× (goal ≤ ${format === 'csv' ? '1.7' : '1.4'}×)`);
}
rmSync(dir, { recursive: true, force: true });
