import type { Path } from '../../load/source.js';
import { qualityRules } from '../helpers.js';
import { checkPortableRegex } from '../portable-regex.js';
import type { LintFinding, LintRule } from '../types.js';

function check(pattern: unknown, path: Path, where: string): LintFinding | undefined {
  if (typeof pattern !== 'string') return undefined;
  const problem = checkPortableRegex(pattern);
  if (!problem) return undefined;
  return {
    path,
    message: `pattern of ${where} is not portable at column ${problem.column} of the pattern: ${problem.message}`,
  };
}

/** CONTRACT-PORTABLE-REGEX: patterns use the regular-expression subset every engine agrees on. */
export const portableRegex: LintRule = {
  id: 'CONTRACT-PORTABLE-REGEX',
  defaultSeverity: 'error',
  rationale:
    'The same pattern runs in ECMAScript validators, DuckDB (RE2) and Spark/Glue (Java); it must mean the same everywhere.',
  description:
    'Every `logicalTypeOptions.pattern` of a property and every `arguments.pattern` of a quality rule ' +
    '(object- or property-level) is in the portable subset of ECMAScript, RE2 and Java regular expressions and ' +
    'compiles in ECMAScript: no look-around, back-references, atomic groups or possessive quantifiers, inline flags, ' +
    'named groups, `\\A` `\\z` `\\Z`, Unicode property escapes `\\p{…}` and similar engine-specific syntax. The message ' +
    'gives the column inside the pattern.',
  *check(ctx) {
    const quality = (list: unknown, path: Path, owner: string): LintFinding[] =>
      qualityRules(list as never, path).flatMap(({ rule, path: p }, i) => {
        const args = rule.arguments;
        const f =
          args && typeof args === 'object'
            ? check(
                args.pattern,
                [...p, 'arguments', 'pattern'],
                `quality rule ${rule.name ? `'${rule.name}'` : i + 1} of ${owner}`,
              )
            : undefined;
        return f ? [f] : [];
      });
    for (const { object, path } of ctx.schemaObjects())
      yield* quality(object.quality, [...path, 'quality'], `'${String(object.name)}'`);
    for (const { property, path, name } of ctx.properties()) {
      const options = property.logicalTypeOptions;
      if (options && typeof options === 'object') {
        const f = check(options.pattern, [...path, 'logicalTypeOptions', 'pattern'], `property '${name}'`);
        if (f) yield f;
      }
      yield* quality(property.quality, [...path, 'quality'], `'${name}'`);
    }
  },
};
