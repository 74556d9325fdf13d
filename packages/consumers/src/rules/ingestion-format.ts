import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { LANDING_FORMAT_EXTENSIONS, landingFormatOf, landingFormatOfFile } from '@meshkit/contracts';
import type { ProductLintRule } from './types.js';

/** PRODUCT-INGESTION-FORMAT: the sample input (`fixtures/raw.*`) is in the declared landing format. */
export const ingestionFormat: ProductLintRule = {
  id: 'PRODUCT-INGESTION-FORMAT',
  defaultSeverity: 'error',
  rationale:
    "The landing format drives the Glue job's reader: a fixture in another format means `mesh run` tests a reader the deployed job does not use, and the first real run fails.",
  description:
    "The product's sample input `fixtures/raw.<ext>` (csv, jsonl/ndjson, parquet) must be in the format product.yaml " +
    'declares in `ingestion.format` (default csv for batch, jsonl for stream products, whose records are JSON). Reported at ' +
    '`ingestion.format`, or at `ingestion` when the format is the default. A product without fixtures is not reported.',
  *check({ product }) {
    const ingestion = product.manifest.ingestion;
    const declared = landingFormatOf(ingestion);
    // Written in the file, or the loader's default?
    const written =
      (product.loadedManifest.source.data as { ingestion?: { format?: unknown } } | null)?.ingestion?.format !==
      undefined;
    const dir = join(product.dir, 'fixtures');
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir).sort()) {
      if (!/^raw\./.test(name)) continue;
      const found = landingFormatOfFile(name);
      if (found === undefined || found === declared) continue;
      const at = !written ? { path: ['ingestion'], key: true } : { path: ['ingestion', 'format'] };
      yield {
        ...at,
        message:
          `fixtures/${name} is ${found}, but ingestion.format is ${declared}${written ? '' : ' (the default)'}: ` +
          `the Glue job reads ${declared}; set ingestion.format: ${found}, or provide fixtures/raw${LANDING_FORMAT_EXTENSIONS[declared][0]}`,
      };
    }
  },
};
