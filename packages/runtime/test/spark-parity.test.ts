/**
 * Parity of the two engines on the example products: the local run (`runProduct`, DuckDB) and
 * the Glue job's PySpark core (packages/mesh-core/glue/meshkit_spark.py, local Spark 3.5) given the
 * same input, the same transform.sql and the same compiled check plan write the same curated rows
 * (values), the same quarantined rows with the same rule ids, and reach the same verdicts.
 * Skipped with a message when .venv has no PySpark, failing in CI (CI=true).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadContract, loadProductManifest } from '@meshkit/contracts';
import { contractColumns, runProduct, type RunReport } from '../src/index.js';
import { readRows, verdicts } from './spark-compare.js';
import { ROOT, SparkCore, sparkJobOf, sparkUnavailable } from './spark-core.js';

const skip = sparkUnavailable() ?? false;
const NOW = new Date('2026-11-02T12:00:00Z');
const products = readdirSync(join(ROOT, 'domains')).flatMap((d) => {
  try { return readdirSync(join(ROOT, 'domains', d, 'products')).map((p) => `${d}/${p}`); } catch { return []; }
});

describe('Spark core ≡ local DuckDB run: example products', { skip }, () => {
  let core: SparkCore;
  const dir = mkdtempSync(join(tmpdir(), 'meshkit-spark-parity-'));
  const local = new Map<string, RunReport>();
  before(async () => { core = await SparkCore.start(); });
  after(async () => { await core?.close(); rmSync(dir, { recursive: true, force: true }); });

  // Producers first: a consumer reads the producer's local curated output on both engines.
  const ordered = [...products].sort((a, b) => consumesCount(a) - consumesCount(b));
  for (const ref of ordered) {
    it(`${ref}: same curated rows, quarantine, rule ids and verdicts`, async () => {
      const [domain, product] = ref.split('/') as [string, string];
      const productDir = join(ROOT, 'domains', domain, 'products', product);
      const manifest = loadProductManifest(join(productDir, 'product.yaml')).value;
      const consumed = Object.fromEntries(manifest.consumes.map((c) => [c.product, local.get(c.product)!.paths.curated]));
      const report = await runProduct({ productDir, root: ROOT, out: join(dir, 'duckdb', ref), now: NOW, consumed, threads: 1 });
      local.set(ref, report);
      const job = sparkJobOf(productDir, ROOT, report.input.path, NOW, consumed);
      const spark = await core.run({ ...job, out: join(dir, 'spark', ref) });
      assert.deepEqual(verdicts(spark), verdicts(report));
      const columns = contractColumns(loadContract(join(productDir, manifest.contract)).contract!);
      assert.ok(report.rowsOut > 0, 'the example writes rows');
      assert.deepEqual(await readRows(join(dir, 'spark', ref, 'curated'), columns), await readRows(report.paths.curated, columns));
      const q = ['failed_rules'];
      assert.deepEqual(await readRows(join(dir, 'spark', ref, 'quarantine', 'rows.parquet'), columns, q), await readRows(report.paths.quarantine, columns, q));
    });
  }
});

function consumesCount(ref: string): number {
  const [domain, product] = ref.split('/') as [string, string];
  return loadProductManifest(join(ROOT, 'domains', domain, 'products', product, 'product.yaml')).value.consumes.length;
}
