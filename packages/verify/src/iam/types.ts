// Public types of the IAM policy evaluator.

/** A value the caller could not resolve from the CloudFormation template (an intrinsic, a parameter…). */
export interface Unresolved {
  /** What the value was, for the reader: e.g. `Fn::ImportValue shared-key-arn`. */
  unresolved: string;
}

/** A string of a policy document, or a value the caller could not resolve. */
export type PolicyValue = string | Unresolved;

/** An IAM policy document (identity policy, bucket policy, key policy…) with its intrinsics resolved. */
export interface PolicyDocument {
  /** `2012-10-17` enables policy variables (`${aws:username}`); any other value keeps them literal. */
  Version?: string;
  /** One statement object or an array of them. */
  Statement: unknown;
}

/** Who makes the request. */
export interface RequestPrincipal {
  /** e.g. `arn:aws:iam::111111111111:role/x`, `arn:aws:iam::111111111111:root`, or a service name `glue.amazonaws.com`. */
  arn: string;
  /** 12-digit account of the principal; absent for service principals and anonymous callers. */
  account?: string;
  kind: 'role' | 'user' | 'root' | 'service' | 'anonymous';
}

/** One request: a principal doing one action on one resource. */
export interface AccessRequest {
  principal: RequestPrincipal;
  /** `service:Action`, e.g. `s3:GetObject`. */
  action: string;
  /** ARN of the resource, e.g. `arn:aws:s3:::bucket/key/part`, or `*`. */
  resource: string;
  /** Account owning the resource; when absent, taken from the resource ARN if it has one. */
  resourceAccount?: string;
  /**
   * Condition keys of the request (names are case-insensitive): e.g. `aws:SecureTransport: true`,
   * `kms:ViaService: 's3.eu-west-1.amazonaws.com'`. An array is a multivalued key (`aws:TagKeys`).
   * Keys AWS always sets are derived from the request when absent here: `aws:PrincipalArn` (not
   * for a role session ARN, whose role path is unknown),
   * `aws:PrincipalAccount`, `aws:PrincipalType`, `aws:PrincipalServiceName`,
   * `aws:PrincipalIsAWSService`, `aws:ResourceAccount`, `aws:username` (IAM users) and
   * `kms:CallerAccount` (KMS actions).
   */
  context?: Record<string, string | string[] | number | boolean>;
}

/** Everything that decides one request. */
export interface EvaluationInput {
  request: AccessRequest;
  /** Identity-based policies of the principal (empty for service principals and anonymous callers). */
  identityPolicies: readonly PolicyDocument[];
  /** The resource's own policy (bucket policy, key policy, topic policy…), if any. */
  resourcePolicy?: PolicyDocument;
  /**
   * `kms-key`: the key policy is required, and identity policies of the key's account count only
   * where the key policy allows that account (its root or its id) for the action.
   */
  resourceType?: 'kms-key' | 'other';
}

export type DecisionKind = 'allow' | 'explicit-deny' | 'implicit-deny' | 'unknown';

/** A statement that applies to the request. Indices are 0-based. */
export interface StatementMatch {
  source: 'identity' | 'resource';
  policyIndex: number;
  statementIndex: number;
  sid?: string;
  effect: 'Allow' | 'Deny';
}

/** The outcome of {@link evaluate}. */
export interface Decision {
  decision: DecisionKind;
  /**
   * Allow statements that apply to the request for certain. One of them may not suffice on its own
   * (cross-account, or a resource policy naming only the account): `decision` says what they add up to.
   */
  allowedBy: StatementMatch[];
  /** Deny statements that apply to the request for certain. */
  deniedBy: StatementMatch[];
  /** Why the decision is `unknown`, one readable sentence per cause; empty for any other decision. */
  unknowns: string[];
}
