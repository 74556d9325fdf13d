// One statement against one request: does it apply, and to whom (the principal itself, or only its
// account)?

import { actionElementMatches } from './action.js';
import { resourceElementMatches } from './arn-match.js';
import { conditionMatches } from './conditions.js';
import type { RequestContext } from './context.js';
import { notPrincipalApplies, principalMatch, type PrincipalMatch } from './principal.js';
import type { AccessRequest, PolicyDocument, StatementMatch } from './types.js';
import { describeUnresolved, isRecord, isUnresolved } from './values.js';
import { NO, YES, allOf, explain, unknown, type Verdict } from './verdict.js';

export type PolicySource = StatementMatch['source'];

/** How one statement relates to the request. */
export interface StatementEvaluation {
  readonly source: PolicySource;
  readonly policyIndex: number;
  readonly statementIndex: number;
  readonly sid?: string;
  /** Undefined when the statement's effect cannot be read (then it might be either): `effectUnknown` says why. */
  readonly effect: 'Allow' | 'Deny' | undefined;
  readonly effectUnknown?: string;
  /** The statement applies, and its Principal names the request's principal itself (always so for identity policies). */
  readonly appliesDirect: Verdict;
  /** The statement applies, its Principal naming the principal or the principal's account. */
  readonly appliesAny: Verdict;
}

/** Evaluates every statement of a policy document. */
export function evaluatePolicy(
  doc: PolicyDocument,
  source: PolicySource,
  policyIndex: number,
  request: AccessRequest,
  context: RequestContext,
): StatementEvaluation[] {
  const raw: unknown = isRecord(doc) ? doc.Statement : undefined;
  const statements: unknown[] = Array.isArray(raw) ? raw : [raw];
  const variables = isRecord(doc) && doc.Version === '2012-10-17';
  return statements.map((statement, statementIndex) =>
    evaluateStatement(statement, { source, policyIndex, statementIndex }, request, context, variables),
  );
}

interface Position {
  readonly source: PolicySource;
  readonly policyIndex: number;
  readonly statementIndex: number;
}

function label(position: Position, sid: string | undefined): string {
  const policy = position.source === 'identity' ? `identity policy ${position.policyIndex}` : 'resource policy';
  return `${policy}, statement ${position.statementIndex}${sid !== undefined ? ` (Sid "${sid}")` : ''}`;
}

function evaluateStatement(
  statement: unknown,
  position: Position,
  request: AccessRequest,
  context: RequestContext,
  variables: boolean,
): StatementEvaluation {
  if (isUnresolved(statement) || !isRecord(statement)) return unreadableStatement(statement, position);
  const sid = typeof statement.Sid === 'string' ? statement.Sid : undefined;
  const prefix = `${label(position, sid)}: `;
  const has = (key: string) => statement[key] !== undefined;
  const problems: string[] = [];

  const { effect, effectUnknown } = effectOf(statement.Effect, prefix, problems);
  const base = {
    ...position,
    ...(sid !== undefined ? { sid } : {}),
    effect,
    ...(effectUnknown !== undefined ? { effectUnknown } : {}),
  };

  problems.push(...shapeProblems(has, position.source, effect));
  if (problems.length > 0) {
    const u = unknown(...problems.map((p) => prefix + p));
    return { ...base, appliesDirect: u, appliesAny: u };
  }

  const action = has('Action')
    ? actionElementMatches(statement.Action, request.action, false)
    : actionElementMatches(statement.NotAction, request.action, true);
  if (action.kind === 'no') return { ...base, appliesDirect: NO, appliesAny: NO };
  // A resource policy without Resource applies to the resource it is attached to.
  const resource = has('Resource')
    ? resourceElementMatches(statement.Resource, request.resource, false, context, variables)
    : has('NotResource')
      ? resourceElementMatches(statement.NotResource, request.resource, true, context, variables)
      : YES;
  const principal = principalOf(statement, position.source, request);
  const condition = conditionMatches(statement.Condition, { context, variables });
  return {
    ...base,
    appliesDirect: explain(allOf([action, resource, principal.direct, condition]), prefix),
    appliesAny: explain(allOf([action, resource, principal.any, condition]), prefix),
  };
}

/** A statement that is not an object (or is missing): nothing about it can be read. */
function unreadableStatement(statement: unknown, position: Position): StatementEvaluation {
  const why =
    statement === undefined
      ? 'the policy has no Statement'
      : isUnresolved(statement)
        ? `the statement is an ${describeUnresolved(statement)}`
        : 'the statement is not an object';
  const sentence = `${label(position, undefined)}: ${why}`;
  const u = unknown(sentence);
  return { ...position, effect: undefined, effectUnknown: sentence, appliesDirect: u, appliesAny: u };
}

/**
 * The statement's Effect. An unresolved Effect leaves the statement's reach known, its effect
 * unknown; a wrong one is malformed (added to `problems`).
 */
function effectOf(
  value: unknown,
  prefix: string,
  problems: string[],
): { effect: 'Allow' | 'Deny' | undefined; effectUnknown: string | undefined } {
  if (value === 'Allow' || value === 'Deny') return { effect: value, effectUnknown: undefined };
  if (isUnresolved(value))
    return { effect: undefined, effectUnknown: `${prefix}Effect is an ${describeUnresolved(value)}` };
  const problem = `Effect is ${JSON.stringify(value) ?? 'missing'}, not "Allow" or "Deny"`;
  problems.push(problem);
  return { effect: undefined, effectUnknown: prefix + problem };
}

/** What makes the statement malformed for its kind of policy (which elements it has). */
function shapeProblems(
  has: (key: string) => boolean,
  source: PolicySource,
  effect: 'Allow' | 'Deny' | undefined,
): string[] {
  const problems: string[] = [];
  if (has('Action') === has('NotAction'))
    problems.push(has('Action') ? 'it has both Action and NotAction' : 'it has neither Action nor NotAction');
  if (has('Resource') && has('NotResource')) problems.push('it has both Resource and NotResource');
  if (source === 'identity') {
    if (!has('Resource') && !has('NotResource')) problems.push('it has neither Resource nor NotResource');
    if (has('Principal') || has('NotPrincipal'))
      problems.push('an identity-based policy cannot have Principal or NotPrincipal');
  } else {
    if (has('Principal') === has('NotPrincipal')) {
      problems.push(
        has('Principal')
          ? 'it has both Principal and NotPrincipal'
          : 'a resource-based policy statement needs Principal or NotPrincipal',
      );
    }
    if (has('NotPrincipal') && effect === 'Allow')
      problems.push('AWS does not support NotPrincipal with "Effect": "Allow"');
  }
  return problems;
}

/** Whom the statement names: identity policies always their principal. */
function principalOf(statement: Record<string, unknown>, source: PolicySource, request: AccessRequest): PrincipalMatch {
  if (source === 'identity') return { direct: YES, any: YES };
  if (statement.Principal !== undefined) return principalMatch(statement.Principal, request.principal);
  const applies = notPrincipalApplies(statement.NotPrincipal, request.principal);
  return { direct: applies, any: applies };
}
