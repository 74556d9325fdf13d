/** Reading IAM policy documents in CloudFormation JSON (statements, actions, principals). */
import { asArray, isObject, path } from './refs.js';
import type { CfnResourceView } from './rule.js';

/** One statement, normalised to lists (pointing into the template, not copied). */
export interface Statement {
  readonly effect: 'Allow' | 'Deny';
  readonly actions: readonly unknown[];
  readonly notActions: readonly unknown[];
  readonly resources: readonly unknown[];
  readonly notResources: readonly unknown[];
  readonly principal: unknown;
  readonly condition: unknown;
  readonly sid: string | undefined;
}

/** Statements of a policy document (`Statement` may be one object or a list). */
export function statements(doc: unknown): Statement[] {
  const out: Statement[] = [];
  for (const s of asArray(path(doc, 'Statement'))) {
    if (!isObject(s)) continue;
    out.push({
      effect: s.Effect === 'Deny' ? 'Deny' : 'Allow',
      actions: asArray(s.Action),
      notActions: asArray(s.NotAction),
      resources: asArray(s.Resource),
      notResources: asArray(s.NotResource),
      principal: s.Principal,
      condition: s.Condition,
      sid: typeof s.Sid === 'string' ? s.Sid : undefined,
    });
  }
  return out;
}

/** Identity-policy types and where their documents are. */
export const IDENTITY_POLICY_TYPES = [
  'AWS::IAM::Policy',
  'AWS::IAM::ManagedPolicy',
  'AWS::IAM::Role',
  'AWS::IAM::User',
  'AWS::IAM::Group',
  'AWS::IAM::RolePolicy',
  'AWS::IAM::UserPolicy',
  'AWS::IAM::GroupPolicy',
] as const;

/** Resource-policy types (key policies are NOT listed: they are always `Resource: *`). */
export const RESOURCE_POLICY_TYPES = [
  'AWS::S3::BucketPolicy',
  'AWS::SQS::QueuePolicy',
  'AWS::SNS::TopicPolicy',
] as const;

/** Policy documents of an identity or resource policy resource, with a label for messages. */
export function policyDocuments(r: CfnResourceView): Array<{ label: string; doc: unknown }> {
  const p = r.properties;
  switch (r.type) {
    case 'AWS::IAM::Role':
    case 'AWS::IAM::User':
    case 'AWS::IAM::Group':
      return asArray(p.Policies).map((pol, i) => ({
        label: `inline policy ${typeof path(pol, 'PolicyName') === 'string' ? `'${String(path(pol, 'PolicyName'))}'` : `#${i}`}`,
        doc: path(pol, 'PolicyDocument'),
      }));
    default:
      return p.PolicyDocument === undefined ? [] : [{ label: 'policy', doc: p.PolicyDocument }];
  }
}

/** True for `*` and `service:*` (all actions of a service). */
export const isWildcardAction = (a: unknown): boolean =>
  typeof a === 'string' && (a === '*' || /^[A-Za-z0-9-]+:\*$/.test(a));

/** True when a principal is everyone (`*` or `{AWS: '*'}`, alone or in a list). */
export const isPublicPrincipal = (p: unknown): boolean => {
  if (p === '*') return true;
  if (!isObject(p)) return false;
  return asArray(p.AWS).some((x) => x === '*');
};
