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
import { contractColumns, loadServedMajors, runProduct, type RunReport } from '../src/index.js';
import { demoRepo, tempProduct } from './helpers.js';
import { ORDERS, moveOrdersToV2 } from './served-majors-fixture.js';
import { readRows, verdicts } from './spark-compare.js';
import { CORPUS_COLUMNS, CORPUS_CONTRACT, corpusRows, writeTextParquet } from './spark-corpus.js';
import { ROOT, SparkCore, sparkJobOf, sparkUnavailable, type SparkReport } from './spark-core.js';

const skip = sparkUnavailable() ?? false;
const NOW = new Date('2026-11-02T12:00:00Z');
const products = readdirSync(join(ROOT, 'domains')).flatMap((d) => {
  try { return readdirSync(join(ROOT, 'domains', d, 'products')).map((p) => `${d}/${p}`); } catch { return []; }
});

// One SparkSession (one Python process) for the whole file.
let core: SparkCore;
const dir = mkdtempSync(join(tmpdir(), 'meshkit-spark-parity-'));
before(async () => { if (!skip) core = await SparkCore.start(); });
after(async () => { await core?.close(); rmSync(dir, { recursive: true, force: true }); });

/** Runs one product on both engines and asserts they agree; returns the local report. */
async function both(name: string, productDir: string, root: string, consumed: Record<string, string> = {}, input?: string): Promise<{ report: RunReport; spark: SparkReport }> {
  const manifest = loadProductManifest(join(productDir, 'product.yaml')).value;
  const report = await runProduct({ productDir, root, out: join(dir, 'duckdb', name), now: NOW, consumed, threads: 1, ...(input ? { input } : {}) });
  const job = sparkJobOf(productDir, root, report.input.path, NOW, consumed);
  const spark = await core.run({ ...job, out: join(dir, 'spark', name) });
  assert.deepEqual(verdicts(spark), verdicts(report), `${name}: verdicts`);
  const contract = loadContract(join(productDir, manifest.contract)).contract!;
  const columns = contractColumns(contract);
  assert.deepEqual(await readRows(join(dir, 'spark', name, 'curated'), columns), await readRows(report.paths.curated, columns), `${name}: curated rows`);
  const q = ['failed_rules'];
  assert.deepEqual(await readRows(join(dir, 'spark', name, 'quarantine', 'rows.parquet'), columns, q, true), await readRows(report.paths.quarantine, columns, q, true), `${name}: quarantined rows`);
  for (const m of report.servedMajors ?? []) {
    const sm = spark.servedMajors?.find((x) => x.major === m.major);
    assert.ok(sm, `${name}: major ${m.major} on Spark`);
    assert.deepEqual(verdicts(sm as unknown as SparkReport), verdicts(m as unknown as RunReport), `${name} v${m.major}: verdicts`);
    const served = loadServedMajors(root, productDir, manifest, contract).find((x) => x.major === m.major)!;
    assert.deepEqual(await readRows(join(dir, 'spark', name, `v${m.major}`, 'curated'), served.columns), await readRows(m.paths.curated, served.columns), `${name} v${m.major}: curated rows`);
    assert.deepEqual(await readRows(join(dir, 'spark', name, `v${m.major}`, 'quarantine', 'rows.parquet'), served.columns, q, true), await readRows(m.paths.quarantine, served.columns, q, true), `${name} v${m.major}: quarantined rows`);
  }
  return { report, spark };
}

describe('Spark core ≡ local DuckDB run: example products', { skip }, () => {
  const local = new Map<string, RunReport>();

  // Producers first: a consumer reads the producer's local curated output on both engines.
  const ordered = [...products].sort((a, b) => consumesCount(a) - consumesCount(b));
  for (const ref of ordered) {
    it(`${ref}: same curated rows, quarantine, rule ids and verdicts`, async () => {
      const [domain, product] = ref.split('/') as [string, string];
      const productDir = join(ROOT, 'domains', domain, 'products', product);
      const manifest = loadProductManifest(join(productDir, 'product.yaml')).value;
      const consumed = Object.fromEntries(manifest.consumes.map((c) => [c.product, local.get(c.product)!.paths.curated]));
      const { report } = await both(ref, productDir, ROOT, consumed);
      assert.ok(report.rowsOut > 0, 'the example writes rows');
      local.set(ref, report);
    });
  }
});

function consumesCount(ref: string): number {
  const [domain, product] = ref.split('/') as [string, string];
  return loadProductManifest(join(ROOT, 'domains', domain, 'products', product, 'product.yaml')).value.consumes.length;
}

describe('Spark core ≡ local DuckDB run: the demo mesh, and a served older major', { skip }, () => {
  it('every demo product, then sales/orders at major 2 serving major 1', async () => {
    const root = demoRepo();
    try {
      const refs = ['sales/orders', 'sales/clickstream', 'marketing/campaign-performance'];
      const curated: Record<string, string> = {};
      for (const ref of refs) {
        const [domain, product] = ref.split('/') as [string, string];
        const productDir = join(root, 'domains', domain, 'products', product);
        const manifest = loadProductManifest(join(productDir, 'product.yaml')).value;
        const { report } = await both(`demo/${ref}`, productDir, root, Object.fromEntries(manifest.consumes.map((c) => [c.product, curated[c.product]!])));
        curated[ref] = report.paths.curated;
      }
      moveOrdersToV2(root);
      const { report } = await both('demo/sales/orders@2', ORDERS(root), root);
      assert.equal(report.servedMajors?.length, 1);
      assert.ok(report.servedMajors![0]!.rowsOut > 0, 'major 1 is derived');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('Spark core ≡ local DuckDB run: awkward rows', { skip }, () => {
  const product = (name: string) => {
    const { root, productDir } = tempProduct({
      contract: CORPUS_CONTRACT,
      transform: `SELECT ${CORPUS_COLUMNS.join(', ')} FROM raw\n`,
      productYaml: 'domain: shop\nname: items\nowner: team-shop\ningestion:\n  mode: batch\n  format: parquet\n',
    });
    return { root, productDir, input: join(root, `${name}.parquet`) };
  };

  it('every edge value: same typed values, same quarantine and rule ids, same verdicts', async () => {
    const { root, productDir, input } = product('corpus');
    await writeTextParquet(input, corpusRows());
    const { report } = await both('corpus', productDir, root, {}, input);
    // The corpus reaches every outcome, so the comparison is not vacuous.
    const outcomes = new Set(report.rules.map((r) => r.outcome));
    for (const o of ['passed', 'quarantined', 'warned']) assert.ok(outcomes.has(o as never), `some rule ${o}`);
    assert.ok(report.rowsOut > 20 && report.rowsQuarantined > 40, `${report.rowsOut} out, ${report.rowsQuarantined} quarantined`);
  });

  it('empty input: no rows on both, the same failed rowCount', async () => {
    const { root, productDir, input } = product('empty');
    await writeTextParquet(input, []);
    const { report } = await both('empty', productDir, root, {}, input);
    assert.equal(report.rowsIn, 0);
    assert.equal(report.rules.find((r) => r.id === 'some_rows')?.outcome, 'failed');
  });

  it('duplicates only: the dataset rules on duplicates agree', async () => {
    const { root, productDir, input } = product('dups');
    const row = { id: 'd', code: 'C-100', email: 'a@b.co', qty: '5', small: '1', price: '1.00', ratio: '0.1', flag: 'true', label: 'ok', note: 'x', day: '2026-11-01', ts: '2026-11-01 00:00:00' };
    await writeTextParquet(input, [row, row, { ...row, day: '2026-11-02' }, { ...row, id: 'e', code: null }]);
    const { report } = await both('dups', productDir, root, {}, input);
    assert.equal(report.rules.find((r) => r.id === 'no_dup_id_day')?.outcome, 'warned');
  });
});
