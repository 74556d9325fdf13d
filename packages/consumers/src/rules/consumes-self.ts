import type { ProductLintRule } from './types.js';

/** PRODUCT-CONSUMES-SELF: a product does not consume itself. */
export const consumesSelf: ProductLintRule = {
  id: 'PRODUCT-CONSUMES-SELF',
  defaultSeverity: 'error',
  rationale: 'A product reading its own output has no defined first run and cannot be ordered.',
  description: 'A `consumes[].product` equal to the product itself is reported at the product value.',
  *check({ resolutions, product }) {
    for (const r of resolutions) {
      if (r.status === 'self')
        yield {
          path: ['consumes', r.index, 'product'],
          message: `${product.ref} consumes itself: remove this entry (read the previous run inside transform.sql instead)`,
        };
    }
  },
};
