// ARN matching: the Resource / NotResource elements (whole-string wildcards) and the Arn* condition
// operators (component by component).

import type { RequestContext } from './context.js';
import { compileValue } from './variables.js';
import { describeUnresolved, isUnresolved, valueList } from './values.js';
import { anyOf, fromBoolean, not, unknown, type Verdict } from './verdict.js';
import { parseWildcards, patternMatches, splitPattern, type Pattern } from './wildcard.js';

/**
 * Whether a `Resource` pattern of a policy matches a resource ARN: case-sensitive, `*` matches any
 * run of characters (including `/` and `:`) and `?` exactly one. `*` alone matches everything,
 * including the resource `*` of actions without a resource.
 *
 * @example arnMatches('arn:aws:s3:::bucket/*', 'arn:aws:s3:::bucket/a/b.parquet') // true
 * @example arnMatches('arn:aws:s3:::Bucket/*', 'arn:aws:s3:::bucket/a') // false
 */
export function arnMatches(pattern: string, arn: string): boolean {
  return patternMatches(parseWildcards(pattern), arn, false);
}

/** Whether a statement's Resource (or NotResource, `negated`) element selects the resource. */
export function resourceElementMatches(
  element: unknown,
  resource: string,
  negated: boolean,
  context: RequestContext,
  variables: boolean,
): Verdict {
  const name = negated ? 'NotResource' : 'Resource';
  const list = valueList(element, name);
  if ('malformed' in list) return unknown(list.malformed);
  const listed = anyOf(
    list.values.map((value) => {
      if (isUnresolved(value)) return unknown(`${name} has an ${describeUnresolved(value)}`);
      const compiled = compileValue(value, { context, variables, wildcards: true });
      if (!compiled.ok) return unknown(`${name} '${value}': ${compiled.why}`);
      return fromBoolean(patternMatches(compiled.pattern, resource, false));
    }),
  );
  return negated ? not(listed) : listed;
}

/**
 * ArnEquals / ArnLike: both ARNs are split into their six colon-separated components and each
 * component is matched on its own (case-sensitive, wildcards allowed); a value that is not an ARN
 * never matches.
 */
export function arnConditionMatches(pattern: Pattern, value: string): boolean {
  const patternParts = splitPattern(pattern, ':', 5);
  const valueParts = splitArn(value);
  if (patternParts.length !== 6 || !valueParts) return false;
  return patternParts.every((part, i) => patternMatches(part, valueParts[i]!, false));
}

function splitArn(value: string): string[] | undefined {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < 5; i++) {
    const colon = value.indexOf(':', start);
    if (colon < 0) return undefined;
    parts.push(value.slice(start, colon));
    start = colon + 1;
  }
  parts.push(value.slice(start));
  return parts[0] === 'arn' ? parts : undefined;
}
