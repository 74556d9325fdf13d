import type { LintRule } from '../types.js';

/** CONTRACT-PROPERTY-LOGICAL-TYPE: every property declares a logicalType. */
export const propertyLogicalType: LintRule = {
  id: 'CONTRACT-PROPERTY-LOGICAL-TYPE',
  defaultSeverity: 'error',
  rationale: 'Glue columns, JSON Schema, TypeScript types and quality checks are all compiled from logicalType.',
  description: 'Every property — nested properties of object types and the `items` of arrays included — has a ' +
    '`logicalType`. Reported at the property.',
  *check(ctx) {
    for (const { property, path, name } of ctx.properties()) {
      if (property.logicalType === undefined) {
        yield { path, message: `property '${name}' has no logicalType: add one (string, integer, number, boolean, date, timestamp, time, object or array)` };
      }
    }
  },
};
