// Action and NotAction matching.

import { describeUnresolved, isUnresolved, valueList } from './values.js';
import { anyOf, fromBoolean, not, unknown, type Verdict } from './verdict.js';
import { parseWildcards, patternMatches } from './wildcard.js';

/**
 * Whether an IAM action pattern matches an action, as in a policy's `Action` element:
 * case-insensitive, `*` matches any run of characters and `?` one character.
 *
 * @example actionMatches('s3:Get*', 's3:GetObject') // true
 * @example actionMatches('S3:getobject', 's3:GetObject') // true
 */
export function actionMatches(pattern: string, action: string): boolean {
  return patternMatches(parseWildcards(pattern), action, true);
}

/** Whether a statement's Action (or NotAction, `negated`) element selects the action. */
export function actionElementMatches(element: unknown, action: string, negated: boolean): Verdict {
  const name = negated ? 'NotAction' : 'Action';
  const list = valueList(element, name);
  if ('malformed' in list) return unknown(list.malformed);
  const listed = anyOf(
    list.values.map((value) =>
      isUnresolved(value)
        ? unknown(`${name} has an ${describeUnresolved(value)}`)
        : fromBoolean(actionMatches(value, action)),
    ),
  );
  return negated ? not(listed) : listed;
}
