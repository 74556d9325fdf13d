import { describeServed } from '../resolve.js';
import type { ProductLintRule } from './types.js';

/** PRODUCT-CONSUMES-UNSATISFIED: a served version satisfies each consumed range. */
export const consumesUnsatisfied: ProductLintRule = {
  id: 'PRODUCT-CONSUMES-UNSATISFIED',
  defaultSeverity: 'error',
  rationale: 'A consumer must read a version its producer actually serves.',
  description:
    'The range of each `consumes` entry must be satisfied by a version the producer serves: a version published in ' +
    "the catalog whose major the producer still serves (its current contract's major or a `servedMajors` entry), or one of " +
    'its workspace contracts not published yet. Reported at the version value, listing what is served.',
  *check({ resolutions }) {
    for (const r of resolutions) {
      if (r.status !== 'unsatisfied' || !r.served) continue;
      yield {
        path: ['consumes', r.index, 'version'],
        message: `no version of ${r.producer} served satisfies ${r.range}: served ${describeServed(r.served)}`,
      };
    }
  },
};
