import type { ProductLintRule } from './types.js';

/** PRODUCT-CONSUMES-CYCLE: `consumes` edges form no cycle through several products. */
export const consumesCycle: ProductLintRule = {
  id: 'PRODUCT-CONSUMES-CYCLE',
  defaultSeverity: 'error',
  rationale: 'Products that consume each other, directly or through others, cannot be built or run in any order.',
  description:
    'The `consumes` edges between existing products (self edges excepted: PRODUCT-CONSUMES-SELF) must form no ' +
    'cycle. Every product of a cycle is reported at the entry that starts it, with the shortest cycle through it (`a → b → a`).',
  *check({ cycles }) {
    for (const c of cycles) {
      yield {
        path: ['consumes', c.index, 'product'],
        message: `consumes forms a cycle: ${c.cycle.join(' → ')}; break it by removing one of these edges`,
      };
    }
  },
};
