/**
 * Parity of the two engines on the example products: the local run (`runProduct`, DuckDB) and
 * the Glue job's PySpark core (packages/mesh-core/glue/meshkit_spark.py, local Spark 3.5) given the
 * same input, the same transform.sql and the same compiled check plan write the same curated rows
 * (values), the same quarantined rows with the same rule ids, and reach the same verdicts.
 * Skipped with a message when .venv has no PySpark, failing in CI (CI=true).
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadProductManifest } from '@meshkit/contracts';
import type { RunReport } from '../src/index.js';
import { ROOT } from './spark-core.js';
import { skip, sparkHarness } from './spark-harness.js';

const products = readdirSync(join(ROOT, 'domains')).flatMap((d) => {
  try {
    return readdirSync(join(ROOT, 'domains', d, 'products')).map((p) => `${d}/${p}`);
  } catch {
    return [];
  }
});

// One SparkCore (one Python process) for the whole file.
const { both } = sparkHarness();

describe('Spark core ≡ local DuckDB run: example products', { skip }, () => {
  const local = new Map<string, RunReport>();

  // Producers first: a consumer reads the producer's local curated output on both engines.
  const ordered = [...products].sort((a, b) => consumesCount(a) - consumesCount(b));
  for (const ref of ordered) {
    it(`${ref}: same curated rows, quarantine, rule ids and verdicts`, async () => {
      const [domain, product] = ref.split('/') as [string, string];
      const productDir = join(ROOT, 'domains', domain, 'products', product);
      const manifest = loadProductManifest(join(productDir, 'product.yaml')).value;
      const consumed = Object.fromEntries(
        manifest.consumes.map((c) => [c.product, local.get(c.product)!.paths.curated]),
      );
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
