/**
 * The product of bench/run and bench/spark: 20 columns (id, customer, amount, status, country, 14
 * fillers, day), 10 quality rules, and its input generated as CSV and Parquet (~0.1 % of rows break
 * a row rule, so the quarantine is exercised).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

/** A temporary repository with the bench product and its input files. */
export interface BenchProduct {
  dir: string;
  productDir: string;
  csv: string;
  parquet: string;
}

/** Writes the bench product (domains/bench/products/events) and `rows` rows of input into a temp dir. */
export async function benchProduct(rows: number, prefix = 'meshkit-bench-run-'): Promise<BenchProduct> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const productDir = join(dir, 'domains/bench/products/events');
  mkdirSync(join(productDir, 'fixtures'), { recursive: true });
  writeFileSync(join(dir, 'mesh.config.yaml'), 'organisation: Bench\nnpmScope: "@bench"\n');
  const fillers = Array.from({ length: 14 }, (_, i) => i);
  const fillerType = (i: number) => (i % 3 === 0 ? 'integer' : i % 3 === 1 ? 'number' : 'string');
  writeFileSync(
    join(productDir, 'product.yaml'),
    'domain: bench\nname: events\nowner: team-bench\ningestion:\n  mode: batch\n',
  );
  // 10 rules: id required + unique, customer required + pattern, amount range, status allowed values,
  // country length, day required, row count, custom SQL.
  writeFileSync(
    join(productDir, 'contract.odcs.yaml'),
    `apiVersion: v3.1.0
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
`,
  );
  writeFileSync(
    join(productDir, 'transform.sql'),
    `SELECT id, customer, amount, status, country, ${fillers.map((i) => `v${i}`).join(', ')}, day\nFROM raw\n`,
  );

  const csv = join(dir, 'events.csv');
  const parquet = join(dir, 'events.parquet');
  {
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    const filler = (i: number) =>
      i % 3 === 0
        ? `(range * ${i + 7}) % 100000 AS v${i}`
        : i % 3 === 1
          ? `((range * ${i + 3}) % 100000) / 100.0 AS v${i}`
          : `'text-' || ((range * ${i}) % 9973) AS v${i}`;
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
  return { dir, productDir, csv, parquet };
}
