import { text } from '../helpers.js';
import type { LintRule } from '../types.js';

/** CONTRACT-PROPERTY-DESCRIPTION: every property is described. */
export const propertyDescription: LintRule = {
  id: 'CONTRACT-PROPERTY-DESCRIPTION',
  defaultSeverity: 'warn',
  rationale: 'Consumers read the contract to understand the data; an undocumented column is guesswork.',
  description:
    'Every property, nested properties included, has a non-empty `description`. The `items` of an array ' +
    'are described by the array property and are not checked.',
  *check(ctx) {
    for (const { property, path, name, isItems } of ctx.properties()) {
      if (!isItems && text(property.description) === undefined) {
        yield { path, message: `property '${name}' has no description` };
      }
    }
  },
};
