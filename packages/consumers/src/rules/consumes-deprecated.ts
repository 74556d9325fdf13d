import { deprecationOf } from '@meshkit/contracts';
import { workspaceContractOf } from '../resolve.js';
import type { ProductLintRule } from './types.js';

/** PRODUCT-CONSUMES-DEPRECATED: consumers hear about their producer's deprecation window. */
export const consumesDeprecated: ProductLintRule = {
  id: 'PRODUCT-CONSUMES-DEPRECATED',
  defaultSeverity: 'warn',
  rationale: 'Consumers must move off a deprecated version before its end of life, and must not keep reading it after.',
  description:
    "The resolved version's contract is judged with `deprecationOf` (its `status` and the custom properties " +
    '`meshkit.endOfSupport` / `meshkit.endOfLife`, YYYY-MM-DD, whole UTC days) at the time of the lint (`--now`): `deprecated` ' +
    'and `unsupported` (past end of support) are reported at the configured severity with the dates; `end-of-life` and ' +
    "`retired` are always errors (unless the rule is off). The window is read from the producer's workspace contract of that " +
    'version (current or `servedMajors`) when it has one, since a version is deprecated after it was published; else from the ' +
    'published record. Reported at the version value.',
  *check({ model, resolutions, now }) {
    for (const r of resolutions) {
      if (r.status !== 'resolved' || !r.resolved?.contract) continue;
      // The producer's file of that version when it has one: deprecation is set after publishing.
      const producer = model.products.get(r.producer);
      const d = deprecationOf(
        (producer && workspaceContractOf(producer, r.resolved.version)) ?? r.resolved.contract,
        now,
      );
      if (d.phase === 'active') continue;
      const at = `${r.producer}@${r.resolved.version}`;
      const dates = [d.endOfSupport && `end of support ${d.endOfSupport}`, d.endOfLife && `end of life ${d.endOfLife}`]
        .filter(Boolean)
        .join(', ');
      const path = ['consumes', r.index, 'version'];
      if (d.phase === 'deprecated')
        yield { path, message: `${at} is deprecated${dates ? ` (${dates})` : ''}: move to a newer major` };
      else if (d.phase === 'unsupported')
        yield {
          path,
          message: `${at} is past its end of support (${dates}): move to a newer major before its end of life`,
        };
      else if (d.phase === 'end-of-life')
        yield {
          path,
          error: true,
          message: `${at} is past its end of life (${dates}): it is no longer served; move to a newer major`,
        };
      else yield { path, error: true, message: `${at} is retired: move to a newer major` };
    }
  },
};
