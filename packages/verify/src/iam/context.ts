// The request context: condition keys by case-insensitive name, with the keys AWS always sets
// derived from the request when the caller did not give them.

import type { AccessRequest } from './types.js';

/** A condition key's value in the request: one value, or a multivalued key (possibly empty). */
export interface ContextEntry {
  readonly values: readonly string[];
  readonly multivalued: boolean;
}

const PRINCIPAL_TYPE: Record<string, string | undefined> = {
  role: 'AssumedRole',
  user: 'User',
  root: 'Account',
  anonymous: 'Anonymous',
};

export class RequestContext {
  private readonly entries = new Map<string, ContextEntry>();

  constructor(request: AccessRequest) {
    const { principal } = request;
    const derived: Record<string, string | undefined> = {
      // For a role session (an sts ARN) aws:PrincipalArn is the role's ARN, whose path the session ARN lacks.
      'aws:PrincipalArn': /^arn:[^:]+:iam::/.test(principal.arn) ? principal.arn : undefined,
      'aws:PrincipalAccount': principal.account,
      'aws:PrincipalType': PRINCIPAL_TYPE[principal.kind],
      'aws:PrincipalServiceName': principal.kind === 'service' ? principal.arn : undefined,
      'aws:PrincipalIsAWSService': principal.kind === 'anonymous' ? undefined : String(principal.kind === 'service'),
      'aws:ResourceAccount': request.resourceAccount,
      'aws:username': principal.kind === 'user' ? principal.arn.slice(principal.arn.lastIndexOf('/') + 1) : undefined,
      'kms:CallerAccount': request.action.toLowerCase().startsWith('kms:') ? principal.account : undefined,
    };
    for (const [key, value] of Object.entries(derived)) {
      if (value !== undefined) this.entries.set(key.toLowerCase(), { values: [value], multivalued: false });
    }
    for (const [key, value] of Object.entries(request.context ?? {})) {
      this.entries.set(
        key.toLowerCase(),
        Array.isArray(value)
          ? { values: value.map(String), multivalued: true }
          : { values: [String(value)], multivalued: false },
      );
    }
  }

  /** The key's value, or undefined when the request does not have the key. */
  get(key: string): ContextEntry | undefined {
    return this.entries.get(key.toLowerCase());
  }
}
