// Shared fixtures of the IAM evaluator tests: accounts, principals, and a compact way to decide.
import {
  evaluate,
  type AccessRequest,
  type Decision,
  type EvaluationInput,
  type PolicyDocument,
  type RequestPrincipal,
} from '../src/index.js';

export const ACCOUNT_A = '111111111111';
export const ACCOUNT_B = '222222222222';
export const BUCKET = 'arn:aws:s3:::acme-sales-orders';
export const OBJECT = `${BUCKET}/data/year=2024/part-0000.parquet`;
export const KEY_ARN = `arn:aws:kms:eu-west-1:${ACCOUNT_A}:key/0b1c2d3e-aaaa-bbbb-cccc-1234567890ab`;

export function role(name: string, account = ACCOUNT_A): RequestPrincipal {
  return { arn: `arn:aws:iam::${account}:role/${name}`, account, kind: 'role' };
}
export function user(name: string, account = ACCOUNT_A): RequestPrincipal {
  return { arn: `arn:aws:iam::${account}:user/${name}`, account, kind: 'user' };
}
export function root(account = ACCOUNT_A): RequestPrincipal {
  return { arn: `arn:aws:iam::${account}:root`, account, kind: 'root' };
}
export function service(name: string): RequestPrincipal {
  return { arn: name, kind: 'service' };
}
export const ANONYMOUS: RequestPrincipal = { arn: '*', kind: 'anonymous' };

export const READER = role('sales-orders-reader');
export const WRITER = role('sales-orders-writer');
export const PARTNER = role('partner-analytics', ACCOUNT_B);

/** A policy document of the given statements. */
export function policy(...Statement: unknown[]): PolicyDocument {
  return { Version: '2012-10-17', Statement };
}

export interface Case {
  principal: RequestPrincipal;
  action: string;
  resource?: string;
  resourceAccount?: string;
  context?: AccessRequest['context'];
  identity?: PolicyDocument[];
  resourcePolicy?: PolicyDocument;
  resourceType?: EvaluationInput['resourceType'];
}

/** Evaluates a case (resource defaults to an object of the orders bucket, owned by account A). */
export function decide(c: Case): Decision {
  const request: AccessRequest = {
    principal: c.principal,
    action: c.action,
    resource: c.resource ?? OBJECT,
    resourceAccount: c.resourceAccount ?? ACCOUNT_A,
  };
  if (c.context) request.context = c.context;
  const input: EvaluationInput = { request, identityPolicies: c.identity ?? [] };
  if (c.resourcePolicy) input.resourcePolicy = c.resourcePolicy;
  if (c.resourceType) input.resourceType = c.resourceType;
  return evaluate(input);
}

/** Just the decision kind. */
export function kind(c: Case): Decision['decision'] {
  return decide(c).decision;
}

/** An identity policy allowing the actions on the resources. */
export function allowPolicy(
  actions: string | string[],
  resources: string | string[] = '*',
  Condition?: unknown,
): PolicyDocument {
  return policy({ Effect: 'Allow', Action: actions, Resource: resources, ...(Condition ? { Condition } : {}) });
}
