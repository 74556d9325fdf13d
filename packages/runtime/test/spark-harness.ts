/**
 * The harness of the Spark parity test files (spark-parity*.test.ts): one SparkCore (one Python
 * process, one JVM) per file, started before its tests and closed after them, and `both`, which
 * runs a product on both engines and asserts they agree. The files run in processes of their own
 * (the runtime's `test` script, `--alone`), so the two JVMs work at the same time.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { loadContract, loadProductManifest } from '@meshkit/contracts';
import { contractColumns, loadServedMajors, runProduct, type RunReport } from '../src/index.js';
import { readRows, verdicts } from './spark-compare.js';
import { SparkCore, type SparkJob, sparkJobOf, sparkUnavailable, type SparkReport } from './spark-core.js';

/** Why the parity tests skip (no PySpark or Java outside CI), else false. */
export const skip = sparkUnavailable() ?? false;
/** The clock of every parity run. */
export const NOW = new Date('2026-11-02T12:00:00Z');

/** One SparkCore for the calling test file (hooks registered here), its output folder and `both`. */
export function sparkHarness() {
  let core: SparkCore;
  const dir = mkdtempSync(join(tmpdir(), 'meshkit-spark-parity-'));
  before(async () => {
    if (!skip) core = await SparkCore.start(2, { quickJit: true });
  });
  after(async () => {
    await core?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  /** Runs one job on the Spark core. */
  const run = (job: SparkJob & { out: string }) => core.run(job);

  /** Runs one product on both engines and asserts they agree; returns the local report. */
  async function both(
    name: string,
    productDir: string,
    root: string,
    consumed: Record<string, string> = {},
    input?: string,
  ): Promise<{ report: RunReport; spark: SparkReport }> {
    const manifest = loadProductManifest(join(productDir, 'product.yaml')).value;
    const report = await runProduct({
      productDir,
      root,
      out: join(dir, 'duckdb', name),
      now: NOW,
      consumed,
      threads: 1,
      ...(input ? { input } : {}),
    });
    const job = sparkJobOf(productDir, root, report.input.path, NOW, consumed);
    const spark = await core.run({ ...job, out: join(dir, 'spark', name) });
    assert.deepEqual(verdicts(spark), verdicts(report), `${name}: verdicts`);
    const contract = loadContract(join(productDir, manifest.contract)).contract!;
    const columns = contractColumns(contract);
    assert.deepEqual(
      await readRows(join(dir, 'spark', name, 'curated'), columns),
      await readRows(report.paths.curated, columns),
      `${name}: curated rows`,
    );
    const q = ['failed_rules'];
    assert.deepEqual(
      await readRows(join(dir, 'spark', name, 'quarantine', 'rows.parquet'), columns, q, true),
      await readRows(report.paths.quarantine, columns, q, true),
      `${name}: quarantined rows`,
    );
    for (const m of report.servedMajors ?? []) {
      const sm = spark.servedMajors?.find((x) => x.major === m.major);
      assert.ok(sm, `${name}: major ${m.major} on Spark`);
      assert.deepEqual(
        verdicts(sm as unknown as SparkReport),
        verdicts(m as unknown as RunReport),
        `${name} v${m.major}: verdicts`,
      );
      const served = loadServedMajors(root, productDir, manifest, contract).find((x) => x.major === m.major)!;
      assert.deepEqual(
        await readRows(join(dir, 'spark', name, `v${m.major}`, 'curated'), served.columns),
        await readRows(m.paths.curated, served.columns),
        `${name} v${m.major}: curated rows`,
      );
      assert.deepEqual(
        await readRows(join(dir, 'spark', name, `v${m.major}`, 'quarantine', 'rows.parquet'), served.columns, q, true),
        await readRows(m.paths.quarantine, served.columns, q, true),
        `${name} v${m.major}: quarantined rows`,
      );
    }
    return { report, spark };
  }

  return { dir, run, both };
}
