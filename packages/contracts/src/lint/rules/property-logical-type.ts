import { effectiveLogicalType } from '../../compile/types.js';
import type { LintRule } from '../types.js';

/** CONTRACT-PROPERTY-LOGICAL-TYPE: every property has a type Meshkit can compile. */
export const propertyLogicalType: LintRule = {
  id: 'CONTRACT-PROPERTY-LOGICAL-TYPE',
  defaultSeverity: 'error',
  rationale: 'Glue columns, JSON Schema, TypeScript types and quality checks are all compiled from the property type.',
  description:
    'Every property — nested properties of object types and the `items` of arrays included — has a ' +
    '`logicalType`, or a `physicalType` the type table maps (`int4`, `text`, `timestamptz`, `decimal(10,2)`, ' +
    '`map<string,int>`…; see docs/type-mapping.md). ODCS does not require `logicalType`. Reported at the property.',
  *check(ctx) {
    for (const { property, path, name } of ctx.properties()) {
      if (property.logicalType !== undefined || effectiveLogicalType(property) !== undefined) continue;
      const physical =
        typeof property.physicalType === 'string'
          ? ` and its physicalType '${property.physicalType}' is not one Meshkit can map`
          : '';
      yield {
        path,
        message: `property '${name}' has no logicalType${physical}: add one (string, integer, number, boolean, date, timestamp, time, object or array)`,
      };
    }
  },
};
