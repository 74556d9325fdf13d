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
    "timestamps, every entry of a `missingValues` or `validValues` list is a value of the column's type (`'5'` is the " +
    "number 5 for an integer column, `1` the text `'1'` for a string one; `'n/a'` is no integer, `'maybe'` no boolean), " +
    'and a `type: sql` rule is exactly one query (`SELECT`, `WITH … SELECT`; a trailing `;` is fine) without ' +
    "syntax Spark SQL lacks (`E'…'`, `$$…$$`, `r'…'` strings, parameters). Reported at the rule (its `query`, or the " +
    '`logicalTypeOptions` of the bound). A rule written wrong, which neither engine would run (no usable operator, ' +
    'missing arguments, `duplicateValues` naming unknown properties, an `arguments.pattern` on a non-text column, a ' +
    'metric at the wrong level, a freshness SLA on a column that is not a date or timestamp, or naming no column), is ' +
    'reported at the rule (or the SLA entry) too. `mesh run` refuses all of these the same way (exit 1, at ' +
    'the rule). Rules Meshkit does not execute by design (`text`, `custom`, nested properties, time ranges) are not ' +
    'reported.',
  *check(ctx) {
    for (const { object } of ctx.schemaObjects()) {
      if (typeof object.name !== 'string') continue;
      for (const p of dqdlProblems(compileQuality(ctx.contract, { object: object.name }))) {
        yield {
          path: p.kind === 'sql' ? [...p.source, 'query'] : p.source,
          message: `quality check ${p.id} cannot be expressed in Glue DQDL: ${p.message}`,
        };
      }
    }
  },
};
