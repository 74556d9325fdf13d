import type { LintRule } from '../types.js';

/** CONTRACT-PRIMARY-KEY-REQUIRED: primary-key properties are required. */
export const primaryKeyRequired: LintRule = {
  id: 'CONTRACT-PRIMARY-KEY-REQUIRED',
  defaultSeverity: 'warn',
  rationale: 'A key column that may be null cannot identify a record; the generated checks would contradict the key.',
  description:
    'A property with `primaryKey: true` also has `required: true`. Reported at `required` when it is ' +
    'declared false, else at `primaryKey`.',
  *check(ctx) {
    for (const { property, path, name } of ctx.properties()) {
      if (property.primaryKey !== true || property.required === true) continue;
      yield 'required' in property
        ? {
            path: [...path, 'required'],
            message: `primary-key property '${name}' must be required: set 'required: true'`,
          }
        : {
            path: [...path, 'primaryKey'],
            key: true,
            message: `primary-key property '${name}' is not required: add 'required: true'`,
          };
    }
  },
};
