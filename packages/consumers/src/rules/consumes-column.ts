import { columnsOf } from '../resolve.js';
import { closeMatch } from './helpers.js';
import type { ProductLintRule } from './types.js';

/** PRODUCT-CONSUMES-COLUMN: the consumed columns exist in the resolved version. */
export const consumesColumn: ProductLintRule = {
  id: 'PRODUCT-CONSUMES-COLUMN',
  defaultSeverity: 'error',
  rationale: 'Column-level lineage is only true when every consumed column exists in the version the consumer reads.',
  description:
    "Each name in `consumes[].columns` must be a top-level property of a schema object of the resolved version's " +
    'contract (the highest served version satisfying the range). Reported at the column, naming the closest column when one is near.',
  *check({ resolutions }) {
    for (const r of resolutions) {
      if (r.status !== 'resolved' || !r.resolved?.contract || !r.columns) continue;
      const columns = columnsOf(r.resolved.contract);
      for (const [i, c] of r.columns.entries()) {
        if (columns.includes(c)) continue;
        const near = closeMatch(c, columns);
        yield {
          path: ['consumes', r.index, 'columns', i],
          message: `column '${c}' is not in ${r.producer}@${r.resolved.version}${near ? ` (did you mean '${near}'?)` : `; its columns: ${columns.join(', ')}`}`,
        };
      }
    }
  },
};
