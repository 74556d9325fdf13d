import { dqdlProblems } from '../../compile/dqdl.js';
import { compileQuality } from '../../compile/quality-compile.js';
import type { LintRule } from '../types.js';

/** CONTRACT-QUALITY-DQDL: every executable quality check has a Glue DQDL rule meaning the same. */
export const qualityDqdl: LintRule = {
  id: 'CONTRACT-QUALITY-DQDL',
  defaultSeverity: 'error',
  rationale:
    'The local run and Glue Data Quality check the same rules; a rule Glue cannot express the same way would silently mean something else in production.',
  description:
    'Each quality check compiled from a schema object (the shared IR of the local SQL checks and the DQDL ruleset) ' +
    'has a DQDL rule of the same meaning: `date` bounds are calendar dates `YYYY-MM-DD`, `timestamp` bounds ISO dates or ' +
    'timestamps, and a `type: sql` rule is exactly one query (`SELECT`, `WITH … SELECT`; a trailing `;` is fine) without ' +
    "syntax Spark SQL lacks (`E'…'`, `$$…$$`, `r'…'` strings, parameters). Reported at the rule (its `query`, or the " +
    '`logicalTypeOptions` of the bound). Rules Meshkit does not execute (`text`, `custom`, nested properties) are not checked here.',
  *check(ctx) {
    for (const { object, path } of ctx.schemaObjects()) {
      if (typeof object.name !== 'string') continue;
      for (const p of dqdlProblems(compileQuality(ctx.contract, { object: object.name }))) {
        const rule = p.source.length > path.length && p.source[p.source.length - 2] === 'quality';
        yield {
          path: rule ? [...p.source, 'query'] : p.source,
          message: `quality check ${p.id} cannot be expressed in Glue DQDL: ${p.message}`,
        };
      }
    }
  },
};
