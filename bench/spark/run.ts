/**
 * DuckDB vs Spark on one machine: the bench/run product (1,000,000 rows × 20 columns, 10 quality
 * rules, CSV landing format) run by `mesh run` (`runProduct`, embedded DuckDB) and by the Glue
 * job's PySpark core (packages/mesh-core/glue/meshkit_spark.py on local Spark 3.5, `local[N]`, the
 * same check plan in the Spark dialect) on the same input file, in the same process run. Both
 * read the CSV, run transform.sql, cast, check, split curated / quarantine and write Parquet. The
 * Spark session is started once before timing (its ~10 s start is reported apart). Medians of 3
 * rounds; prints both times and the ratio Spark / DuckDB — the figure that tells when a product's
 * volume is better served by Glue's workers than by one machine.
 *
 *   npm run bench:spark               # 1,000,000 rows, 3 rounds, 2 cores for both engines
 *   npm run bench:spark -- 200000 5 4 # rows, rounds, cores
 *
 * Needs .venv with PySpark (`bash scripts/setup-python.sh`) and Java 17.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { runProduct } from '@meshkit/runtime';
import { benchProduct } from '../run/fixture.js';
import { SparkCore, sparkJobOf, sparkUnavailable } from '../../packages/runtime/test/spark-core.js';

const rows = Number(process.argv[2] ?? 1_000_000);
const rounds = Number(process.argv[3] ?? 3);
const cores = Number(process.argv[4] ?? 2);
const unavailable = sparkUnavailable();
if (unavailable) {
  console.error(`bench/spark: ${unavailable}`);
  process.exit(2);
}
const { dir, productDir, csv } = await benchProduct(rows, 'meshkit-bench-spark-');
const now = new Date();

async function duckdb(): Promise<number> {
  const t = performance.now();
  const r = await runProduct({ productDir, root: dir, input: csv, out: join(dir, 'duckdb'), now, threads: cores });
  const ms = performance.now() - t;
  if (r.rowsIn !== rows || r.rowsOut + r.rowsQuarantined !== rows || r.status !== 'passed')
    throw new Error(
      `unexpected DuckDB run: ${JSON.stringify({ in: r.rowsIn, out: r.rowsOut, q: r.rowsQuarantined, status: r.status })}`,
    );
  return ms;
}

const t0 = performance.now();
const core = await SparkCore.start(cores);
const startup = performance.now() - t0;
const job = sparkJobOf(productDir, dir, csv, now);
async function spark(): Promise<number> {
  const t = performance.now();
  const r = await core.run({ ...job, out: join(dir, 'spark') });
  const ms = performance.now() - t;
  if (process.env.BENCH_VERBOSE) console.log('spark', JSON.stringify((r as { timings?: unknown }).timings));
  if (r.rowsIn !== rows || r.rowsOut + r.rowsQuarantined !== rows || r.status !== 'passed')
    throw new Error(
      `unexpected Spark run: ${JSON.stringify({ in: r.rowsIn, out: r.rowsOut, q: r.rowsQuarantined, status: r.status })}`,
    );
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const times: { duckdb: number[]; spark: number[] } = { duckdb: [], spark: [] };
try {
  for (let i = 0; i < rounds; i++) {
    times.duckdb.push(await duckdb());
    times.spark.push(await spark());
    if (process.env.BENCH_VERBOSE)
      console.log(
        `round ${i + 1}: duckdb ${times.duckdb.at(-1)!.toFixed(0)} ms, spark ${times.spark.at(-1)!.toFixed(0)} ms`,
      );
  }
} finally {
  await core.close();
}
const d = median(times.duckdb);
const s = median(times.spark);
const rate = (ms: number) => Math.round(rows / (ms / 1000)).toLocaleString('en');
console.log(
  `bench/spark: ${rows.toLocaleString('en')} rows × 20 columns (CSV), 10 quality rules, ${cores} cores, median of ${rounds}`,
);
console.log(`  mesh run (DuckDB)        ${(d / 1000).toFixed(2)} s (${rate(d)} rows/s)`);
console.log(
  `  Glue job core (Spark)    ${(s / 1000).toFixed(2)} s (${rate(s)} rows/s)   + ${(startup / 1000).toFixed(1)} s session start, once`,
);
console.log(`  ratio Spark / DuckDB     ${(s / d).toFixed(2)}×`);
rmSync(dir, { recursive: true, force: true });
