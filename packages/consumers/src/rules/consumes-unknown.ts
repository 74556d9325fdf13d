import { existsSync } from 'node:fs';
import { productManifestFile } from '@meshkit/contracts';
import { closeMatch } from './helpers.js';
import type { ProductLintRule } from './types.js';

/** PRODUCT-CONSUMES-UNKNOWN: every producer named in `consumes` exists in the mesh. */
export const consumesUnknown: ProductLintRule = {
  id: 'PRODUCT-CONSUMES-UNKNOWN',
  defaultSeverity: 'error',
  rationale: 'A consumes edge to a product that does not exist is a typo or a dependency on something removed.',
  description:
    'Each `consumes[].product` must name a product folder of the repository (`domains/<d>/products/<p>/product.yaml`). ' +
    'Reported at the product value, with the closest existing product when one is near. A producer whose product.yaml ' +
    'exists but cannot be read is not reported here (its own file is).',
  *check({ resolutions, model }) {
    for (const r of resolutions) {
      if (r.status !== 'unknown') continue;
      // A producer whose product.yaml exists but is unreadable is reported on its own file.
      const [d, p] = r.producer.split('/') as [string, string];
      if (existsSync(productManifestFile(model.root, d, p))) continue;
      const near = closeMatch(r.producer, [...model.products.keys()]);
      yield {
        path: ['consumes', r.index, 'product'],
        message: `no product '${r.producer}' in this mesh${near ? ` (did you mean ${near}?)` : ''}`,
      };
    }
  },
};
