import type { LintRule, PropertyVisit } from '../types.js';

const hasQuality = (q: unknown): boolean => Array.isArray(q) && q.length > 0;

/** CONTRACT-SCHEMA-QUALITY: every schema object is checked by at least one quality rule. */
export const schemaQuality: LintRule = {
  id: 'CONTRACT-SCHEMA-QUALITY',
  defaultSeverity: 'warn',
  rationale: 'Quality rules are what stops bad rows from reaching the output port; an object without any is unguarded.',
  description:
    'Each schema object has at least one quality rule: a non-empty `quality` list on the object or on ' +
    'any of its properties (nested ones included), or a check implied by a property with `required: true`, ' +
    '`unique: true` or `primaryKey: true` (Meshkit compiles those into completeness and uniqueness checks). ' +
    'Reported at the schema object.',
  *check(ctx) {
    const byObject = new Map<unknown, PropertyVisit[]>();
    for (const v of ctx.properties()) {
      const list = byObject.get(v.object);
      if (list) list.push(v);
      else byObject.set(v.object, [v]);
    }
    for (const { object, path } of ctx.schemaObjects()) {
      if (hasQuality(object.quality)) continue;
      const guarded = (byObject.get(object) ?? []).some(
        ({ property: p }) => hasQuality(p.quality) || p.required === true || p.unique === true || p.primaryKey === true,
      );
      if (!guarded) {
        yield {
          path,
          message: `schema object '${String(object.name)}' has no quality rule: add one under 'quality', or mark key properties required or unique`,
        };
      }
    }
  },
};
