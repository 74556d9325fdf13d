import type { ProductLintRule } from './types.js';

/** PRODUCT-CONSUMES-RANGE: the version of a `consumes` entry is a semver range. */
export const consumesRange: ProductLintRule = {
  id: 'PRODUCT-CONSUMES-RANGE',
  defaultSeverity: 'error',
  rationale:
    'A consumer states which versions of a producer it accepts as an npm semver range; anything else cannot be resolved.',
  description:
    'Each `consumes[].version` must parse as an npm semver range (`^1.2.0`, `~1.2`, `>=1.0.0 <3`, `1.x`). ' +
    'Reported at the version value. The entry is not resolved further.',
  *check({ resolutions }) {
    for (const r of resolutions) {
      if (r.status === 'bad-range') {
        yield {
          path: ['consumes', r.index, 'version'],
          message: `'${r.range}' is not a semver range: write e.g. ^1.0.0 (any 1.x from 1.0.0) or ~1.2.0 (1.2.x)`,
        };
      }
    }
  },
};
