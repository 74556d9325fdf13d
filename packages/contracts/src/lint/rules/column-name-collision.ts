import { columnName } from '../../compile/schema-object.js';
import type { LintRule, PropertyVisit } from '../types.js';

/** CONTRACT-COLUMN-NAME-COLLISION: no two sibling properties share a storage column name. */
export const columnNameCollision: LintRule = {
  id: 'CONTRACT-COLUMN-NAME-COLLISION',
  defaultSeverity: 'error',
  rationale:
    'Glue columns, Parquet fields and the local run use the normalised name; two properties with one name would be one column.',
  description:
    'Every property is stored under its normalised column name — `physicalName ?? name`, camelCase split into ' +
    'snake_case, lower-cased, characters outside `[a-z0-9_]` replaced by `_` (`a b` and `a_b` → `a_b`, `Amount` and ' +
    '`amount` → `amount`, `orderId` and `order_id` → `order_id`). Two properties of one schema object (or two nested ' +
    'properties of one parent) whose column names are equal would give duplicate Glue columns and a run with fewer ' +
    'output columns than the contract. Both properties are reported, each naming the other.',
  *check(ctx) {
    const groups = new Map<string, PropertyVisit[]>();
    for (const v of ctx.properties()) {
      if (v.isItems) continue;
      const parent = JSON.stringify(v.parent ? v.parent.path : v.objectPath);
      const key = `${parent}\u0000${columnName(v.property)}`;
      const list = groups.get(key);
      if (list) list.push(v);
      else groups.set(key, [v]);
    }
    for (const list of groups.values()) {
      if (list.length < 2) continue;
      const column = columnName(list[0]!.property);
      for (const v of list) {
        const others = list
          .filter((o) => o !== v)
          .map((o) => `'${o.property.physicalName ?? o.property.name}'`)
          .join(', ');
        const own = v.property.physicalName ?? v.property.name;
        yield {
          path: [...v.path, v.property.physicalName !== undefined ? 'physicalName' : 'name'],
          message: `'${own}' and ${others} are both stored as column '${column}': rename one (or set a distinct physicalName)`,
        };
      }
    }
  },
};
