// The IAM side of the model: identity policies, wherever the template attaches them (inline,
// AWS::IAM::Policy, managed policies, groups), gathered onto the roles and users they apply to.
import type { PolicyDocument } from './iam/types.js';
import type { Resolved, StackModel } from './assembly/resolve.js';
import type { MeshModel } from './model.js';
import { asArray, asRecord, asString, pushTo, strings } from './model-values.js';

/** What the first pass over the assembly gathers for the second. */
export interface ModelBuilder {
  readonly m: MeshModel;
  /** `role:<name>`, `user:<name>`, `group:<name>` → attached documents. */
  readonly attached: Map<string, PolicyDocument[]>;
  /** Managed policy ARN → document. */
  readonly managed: Map<string, PolicyDocument>;
  /** User name → group names. */
  readonly groupsOfUser: Map<string, string[]>;
  /** Bucket name → its bucket policy. */
  readonly bucketPolicies: Map<string, PolicyDocument>;
}

/** Reads one resource of a stack into the model. */
export type ResourceReader = (b: ModelBuilder, stack: StackModel, logicalId: string, type: string) => void;

const policyOf = (r: Resolved | undefined) => r as unknown as PolicyDocument;

function attachAll(b: ModelBuilder, props: Record<string, Resolved>, doc: PolicyDocument): void {
  for (const r of strings(props.Roles)) pushTo(b.attached, `role:${r}`, doc);
  for (const u of strings(props.Users)) pushTo(b.attached, `user:${u}`, doc);
  for (const g of strings(props.Groups)) pushTo(b.attached, `group:${g}`, doc);
}

const readPolicy: ResourceReader = (b, stack, logicalId) => {
  const props = stack.props(logicalId);
  attachAll(b, props, policyOf(props.PolicyDocument));
};

const INLINE_POLICY_OWNER: Record<string, [kind: string, key: string]> = {
  'AWS::IAM::RolePolicy': ['role', 'RoleName'],
  'AWS::IAM::UserPolicy': ['user', 'UserName'],
  'AWS::IAM::GroupPolicy': ['group', 'GroupName'],
};

const readInlinePolicy: ResourceReader = (b, stack, logicalId, type) => {
  const props = stack.props(logicalId);
  const [kind, key] = INLINE_POLICY_OWNER[type]!;
  const name = asString(props[key]);
  if (name) pushTo(b.attached, `${kind}:${name}`, policyOf(props.PolicyDocument));
};

const readUserToGroup: ResourceReader = (b, stack, logicalId) => {
  const props = stack.props(logicalId);
  const group = asString(props.GroupName);
  if (group) for (const u of strings(props.Users)) pushTo(b.groupsOfUser, u, group);
};

const readGroup: ResourceReader = (b, stack, logicalId) => {
  const props = stack.props(logicalId);
  const name = asString(stack.ref(logicalId));
  if (name)
    for (const x of asArray(props.Policies)) pushTo(b.attached, `group:${name}`, policyOf(asRecord(x).PolicyDocument));
};

const readManagedPolicy: ResourceReader = (b, stack, logicalId) => {
  const props = stack.props(logicalId);
  const doc = policyOf(props.PolicyDocument);
  const arn = asString(stack.ref(logicalId));
  if (arn) b.managed.set(arn, doc);
  attachAll(b, props, doc);
};

/** First pass: the policies, by resource type. */
export const IAM_POLICY_READERS: Record<string, ResourceReader> = {
  'AWS::IAM::Policy': readPolicy,
  'AWS::IAM::RolePolicy': readInlinePolicy,
  'AWS::IAM::UserPolicy': readInlinePolicy,
  'AWS::IAM::GroupPolicy': readInlinePolicy,
  'AWS::IAM::UserToGroupAddition': readUserToGroup,
  'AWS::IAM::Group': readGroup,
  'AWS::IAM::ManagedPolicy': readManagedPolicy,
};

/** Second pass: a role or user, with every policy that applies to it. */
export const readPrincipal: ResourceReader = (b, stack, logicalId, type) => {
  const kind = type === 'AWS::IAM::Role' ? 'role' : 'user';
  const props = stack.props(logicalId);
  const name = asString(stack.ref(logicalId)) ?? logicalId;
  const arn = asString(stack.getAtt(logicalId, 'Arn')) ?? `${stack.name}/${logicalId}`;
  const inline = asArray(props.Policies).map((x) => policyOf(asRecord(x).PolicyDocument));
  const managedArns = strings(props.ManagedPolicyArns);
  const groups = kind === 'user' ? [...strings(props.Groups), ...(b.groupsOfUser.get(name) ?? [])] : [];
  b.m.roles.set(arn, {
    stack,
    logicalId,
    arn,
    principalKind: kind,
    trust: props.AssumeRolePolicyDocument ?? null,
    policies: [
      ...inline,
      ...(b.attached.get(`${kind}:${name}`) ?? []),
      ...groups.flatMap((g) => b.attached.get(`group:${g}`) ?? []),
      ...managedArns.filter((a) => b.managed.has(a)).map((a) => b.managed.get(a)!),
    ],
    unknownManagedPolicies: managedArns.filter((a) => !b.managed.has(a)),
  });
};
