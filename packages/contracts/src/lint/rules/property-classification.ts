import { CLASSIFICATION_LEVELS, orList, text } from '../helpers.js';
import type { LintRule } from '../types.js';

const LEVELS: ReadonlySet<string> = new Set(CLASSIFICATION_LEVELS);

/** CONTRACT-PROPERTY-CLASSIFICATION: every property is classified with a platform level. */
export const propertyClassification: LintRule = {
  id: 'CONTRACT-PROPERTY-CLASSIFICATION',
  defaultSeverity: 'warn',
  rationale: "Access control (Lake Formation tags) and masking are derived from each column's classification.",
  description:
    'Every top-level property of a schema object has a `classification`, unless the configuration sets a ' +
    'default (`defaults.classification` in mesh.config.yaml, which then applies); nested properties and array ' +
    '`items` inherit the nearest enclosing classification unless they declare their own. A declared classification ' +
    `must be one of the platform levels ${CLASSIFICATION_LEVELS.join(', ')} (case-insensitive).`,
  *check(ctx) {
    const fallback = text(ctx.defaultClassification);
    for (const { property, path, name, parent } of ctx.properties()) {
      const c = text(property.classification);
      if (c === undefined) {
        if (!parent && fallback === undefined)
          yield {
            path,
            message: `property '${name}' has no classification (one of ${orList([...CLASSIFICATION_LEVELS])})`,
          };
      } else if (!LEVELS.has(c.toLowerCase())) {
        yield {
          path: [...path, 'classification'],
          message: `classification '${c}' of property '${name}' is not a platform level: use ${orList([...CLASSIFICATION_LEVELS])}`,
        };
      }
    }
  },
};
