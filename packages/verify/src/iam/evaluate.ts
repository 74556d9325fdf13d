// The decision for one request, following AWS's policy evaluation logic for identity-based and
// resource-based policies (same account, cross-account, KMS key policies).

import { RequestContext } from './context.js';
import { evaluatePolicy, type StatementEvaluation } from './statement.js';
import type { Decision, EvaluationInput, StatementMatch } from './types.js';
import { NO, YES, allOf, anyOf, unknown, type Verdict } from './verdict.js';

/**
 * Decides whether AWS would allow one request, from the principal's identity-based policies and
 * the resource's policy:
 *
 * - an explicit Deny that applies (in any policy) wins: `explicit-deny`;
 * - same account: an Allow in an identity policy, or in the resource policy naming the principal
 *   itself, suffices (a resource policy naming only the account delegates to the identity policies);
 * - cross-account (principal's account ≠ resource's account): the identity policy AND the resource
 *   policy (naming the principal or its account) must both allow;
 * - KMS keys (`resourceType: 'kms-key'`): without a key policy nothing is allowed; the key policy
 *   must allow the principal itself, or allow the key's account, which enables that account's
 *   identity policies (which must then allow too);
 * - service principals and anonymous callers are allowed only by a resource policy naming them;
 *   the root user needs no identity policy in its own account (it still needs a key policy grant).
 *
 * Whatever cannot be decided (an unresolved value, an unsupported condition operator, a malformed
 * statement) makes a statement's outcome unknown; the decision is `unknown` when such a statement
 * could be the only Allow, or a Deny overturning an allow. Reasons are in `unknowns`.
 */
export function evaluate(input: EvaluationInput): Decision {
  const { request } = input;
  const context = new RequestContext(request);
  const identity = input.identityPolicies.flatMap((doc, i) => evaluatePolicy(doc, 'identity', i, request, context));
  const resource = input.resourcePolicy ? evaluatePolicy(input.resourcePolicy, 'resource', 0, request, context) : [];
  const statements = [...identity, ...resource];

  const allowedBy = statements
    .filter((s) => s.effect === 'Allow' && s.appliesAny.kind === 'yes')
    .map((s) => toMatch(s, 'Allow'));
  const deniedBy = statements
    .filter((s) => s.effect === 'Deny' && s.appliesAny.kind === 'yes')
    .map((s) => toMatch(s, 'Deny'));
  if (deniedBy.length > 0) return { decision: 'explicit-deny', allowedBy, deniedBy, unknowns: [] };

  const allowed = allowVerdict(input, identity, resource);
  if (allowed.kind === 'no') return { decision: 'implicit-deny', allowedBy, deniedBy, unknowns: [] };
  // Statements that may be a Deny applying to the request (a Deny, or a statement whose effect is unreadable).
  const mayDeny = anyOf(
    statements.filter((s) => s.effect !== 'Allow').map((s) => unlessEffectUnknown(s, s.appliesAny)),
  );
  if (allowed.kind === 'yes' && mayDeny.kind === 'no') return { decision: 'allow', allowedBy, deniedBy, unknowns: [] };
  const why = [...(allowed.kind === 'unknown' ? allowed.why : []), ...(mayDeny.kind === 'unknown' ? mayDeny.why : [])];
  return { decision: 'unknown', allowedBy, deniedBy, unknowns: [...new Set(why)] };
}

function toMatch(s: StatementEvaluation, effect: 'Allow' | 'Deny'): StatementMatch {
  const match: StatementMatch = {
    source: s.source,
    policyIndex: s.policyIndex,
    statementIndex: s.statementIndex,
    effect,
  };
  if (s.sid !== undefined) match.sid = s.sid;
  return match;
}

/** A statement of unknown effect that applies may allow or deny: never for certain. */
function unlessEffectUnknown(s: StatementEvaluation, v: Verdict): Verdict {
  if (s.effect !== undefined || v.kind === 'no') return v;
  return unknown(...new Set([s.effectUnknown ?? 'the effect is unknown', ...(v.kind === 'unknown' ? v.why : [])]));
}

/** Whether the Allow statements add up to an allow (ignoring Denies). */
function allowVerdict(
  input: EvaluationInput,
  identity: readonly StatementEvaluation[],
  resource: readonly StatementEvaluation[],
): Verdict {
  const { principal } = input.request;
  const kms = input.resourceType === 'kms-key';
  if (kms && !input.resourcePolicy) return NO;
  const mayAllow = (s: StatementEvaluation) => s.effect !== 'Deny';
  const resourceDirect = anyOf(resource.filter(mayAllow).map((s) => unlessEffectUnknown(s, s.appliesDirect)));
  if (principal.kind === 'service' || principal.kind === 'anonymous') return resourceDirect;
  const resourceAny = anyOf(resource.filter(mayAllow).map((s) => unlessEffectUnknown(s, s.appliesAny)));
  // The root user is not subject to identity policies: within its account it may do anything.
  const identityAllows =
    principal.kind === 'root' ? YES : anyOf(identity.filter(mayAllow).map((s) => unlessEffectUnknown(s, s.appliesAny)));

  const sameAccount = kms
    ? anyOf([resourceDirect, allOf([resourceAny, identityAllows])])
    : anyOf([identityAllows, resourceDirect]);
  const crossAccount = allOf([identityAllows, resourceAny]);

  const principalAccount = principal.account || accountOf(principal.arn);
  const resourceAccount = input.request.resourceAccount || accountOf(input.request.resource);
  if (principalAccount !== undefined && resourceAccount !== undefined) {
    return principalAccount === resourceAccount ? sameAccount : crossAccount;
  }
  if (sameAccount.kind === crossAccount.kind && sameAccount.kind !== 'unknown') return sameAccount;
  const missing =
    principalAccount === undefined ? "the principal's account" : "the resource's account (resourceAccount)";
  const why = [sameAccount, crossAccount].flatMap((v) => (v.kind === 'unknown' ? v.why : []));
  return unknown(
    `${missing} is not known, and the decision differs between a same-account and a cross-account request`,
    ...why,
  );
}

/** The account field of an ARN, if it is a 12-digit account id. */
function accountOf(arn: string): string | undefined {
  const account = arn.split(':')[4];
  return account !== undefined && /^\d{12}$/.test(account) ? account : undefined;
}
