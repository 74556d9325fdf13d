/**
 * Local runtime benchmark: 1,000,000 rows × 20 columns through a product with 10 quality rules
 * (`runProduct` of @meshkit/runtime: read, transform.sql, conformance, row rules → quarantine,
 * dataset rules, partitioned curated Parquet + quarantine + report), once from CSV and once from
 * Parquet input, against the floor: a plain DuckDB `COPY (SELECT * FROM read_csv/read_parquet(…))
 * TO 'x.parquet'` of the same file in the same process. Medians of 3 rounds; prints rows/s and
 * the ratio (goals: ≤ 1.7× for CSV, whose integers and dates are cast by the contract's text grammar, ≤ 1.4×
 * for Parquet), and the same ratio in CPU time of the process (user + system, DuckDB's threads
 * included), steadier than wall time on a machine other work shares.
 *
 *   npm run bench:run              # 1,000,000 rows, 3 rounds
 *   npm run bench:run -- 200000 5  # rows, rounds
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { runProduct } from '@meshkit/runtime';
import { benchProduct } from './fixture.js';

const rows = Number(process.argv[2] ?? 1_000_000);
const rounds = Number(process.argv[3] ?? 3);
const { dir, productDir, csv, parquet } = await benchProduct(rows);

/** Wall and CPU milliseconds of one measurement. */
interface Timing {
  wall: number;
  cpu: number;
}

async function timed<T>(fn: () => Promise<T>): Promise<Timing & { value: T }> {
  const cpu = process.cpuUsage();
  const t = performance.now();
  const value = await fn();
  const wall = performance.now() - t;
  const used = process.cpuUsage(cpu);
  return { wall, cpu: (used.user + used.system) / 1000, value };
}

async function plainCopy(input: string, reader: string): Promise<Timing> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  const t = await timed(() =>
    conn.run(`COPY (SELECT * FROM ${reader}('${input}')) TO '${join(dir, 'plain.parquet')}' (FORMAT parquet)`),
  );
  conn.closeSync();
  instance.closeSync();
  return t;
}

async function product(input: string): Promise<Timing> {
  const t = await timed(() => runProduct({ productDir, root: dir, input, out: join(dir, 'out') }));
  const r = t.value;
  if (process.env.BENCH_VERBOSE) console.log(input, JSON.stringify(r.timings));
  if (r.rowsIn !== rows || r.rowsOut + r.rowsQuarantined !== rows || r.status !== 'passed')
    throw new Error(
      `unexpected run: ${JSON.stringify({ in: r.rowsIn, out: r.rowsOut, q: r.rowsQuarantined, status: r.status })}`,
    );
  return { wall: t.wall, cpu: t.cpu };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const results: Record<string, Timing[]> = {
  'csv plain': [],
  'csv product': [],
  'parquet plain': [],
  'parquet product': [],
};
for (let i = 0; i < rounds; i++) {
  results['csv plain']!.push(await plainCopy(csv, 'read_csv'));
  results['csv product']!.push(await product(csv));
  results['parquet plain']!.push(await plainCopy(parquet, 'read_parquet'));
  results['parquet product']!.push(await product(parquet));
}
console.log(`bench/run: ${rows.toLocaleString('en')} rows × 20 columns, 10 quality rules, median of ${rounds}`);
for (const format of ['csv', 'parquet']) {
  const plain = median(results[`${format} plain`]!.map((x) => x.wall));
  const prod = median(results[`${format} product`]!.map((x) => x.wall));
  const plainCpu = median(results[`${format} plain`]!.map((x) => x.cpu));
  const prodCpu = median(results[`${format} product`]!.map((x) => x.cpu));
  const rate = (ms: number) => Math.round(rows / (ms / 1000)).toLocaleString('en');
  console.log(
    `  ${format.padEnd(8)} plain COPY ${(plain / 1000).toFixed(2)} s (${rate(plain)} rows/s)   mesh run ${(prod / 1000).toFixed(2)} s (${rate(prod)} rows/s)   ratio ${(prod / plain).toFixed(2)}× (goal ≤ ${format === 'csv' ? '1.7' : '1.4'}×)   cpu ${(plainCpu / 1000).toFixed(2)} s / ${(prodCpu / 1000).toFixed(2)} s = ${(prodCpu / plainCpu).toFixed(2)}×`,
  );
}
rmSync(dir, { recursive: true, force: true });
