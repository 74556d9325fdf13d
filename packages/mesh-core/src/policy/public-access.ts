/**
 * Does a resource policy (bucket policy, key policy) let anyone in? Decided with @meshkit/verify's
 * evaluator of AWS's policy logic, for a stranger: a role of another account, outside the
 * organization, calling from its own network, whose identity policies allow everything. Condition
 * keys the caller chooses (aws:SecureTransport, aws:UserAgent, request tags, kms:ViaService,
 * encryption context…) limit nobody: in an Allow they count as satisfied, a Deny using them is
 * avoided. Only keys the caller cannot choose (its account, organization, ARN, source account,
 * ARN, VPC, IP…) are evaluated, with the stranger's values. Values are resolved first (every
 * `Fn::If` branch); what cannot be resolved makes the decision unknown, which counts as public.
 */
import { evaluate, type PolicyDocument } from '@meshkit/verify';
import { asArray, isObject } from './refs.js';
import type { TemplateContext } from './template-context.js';
import { branches, stackOf } from './values.js';

const STRANGER_ACCOUNT = '999999999999';
const STRANGER = {
  arn: `arn:aws:iam::${STRANGER_ACCOUNT}:role/zz-probe-stranger`,
  account: STRANGER_ACCOUNT,
  kind: 'role' as const,
};

/** The stranger's values of the condition keys a caller cannot choose (lower-case names). */
const STRANGER_CONTEXT: Record<string, string | string[]> = {
  'aws:principalorgid': 'o-zzprobe0000',
  'aws:principalorgpaths': ['o-zzprobe0000/r-zz00/ou-zz00-zzprobe0/'],
  'aws:sourceaccount': STRANGER_ACCOUNT,
  'aws:sourceowner': STRANGER_ACCOUNT,
  'aws:sourcearn': 'arn:aws:s3:::zz-probe-stranger-bucket',
  'aws:sourceorgid': 'o-zzprobe0000',
  'aws:sourceorgpaths': ['o-zzprobe0000/r-zz00/ou-zz00-zzprobe0/'],
  'aws:sourcevpc': 'vpc-0zzprobe000000000',
  'aws:sourcevpce': 'vpce-0zzprobe00000000',
  'aws:sourceip': '203.0.113.77',
  'aws:vpcsourceip': '203.0.113.77',
  'aws:userid': 'AROAZZPROBESTRANGER00:zz-probe',
};
/** Keys the evaluator derives from the request (principal, resource account). */
const DERIVED_KEYS = [
  'aws:principalarn',
  'aws:principalaccount',
  'aws:principaltype',
  'aws:principalservicename',
  'aws:principalisawsservice',
  'aws:resourceaccount',
  'aws:username',
  'kms:calleraccount',
];
const LIMITING = new Set([...Object.keys(STRANGER_CONTEXT), ...DERIVED_KEYS]);

/** The Condition with only the keys a caller cannot choose; `dropped`: whether any was removed. */
function limitingCondition(condition: unknown): { condition: unknown; dropped: boolean } {
  if (!isObject(condition)) return { condition, dropped: false };
  let dropped = false;
  const out: Record<string, unknown> = {};
  for (const [op, block] of Object.entries(condition)) {
    if (!isObject(block)) {
      out[op] = block;
      continue;
    }
    const kept: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(block)) {
      if (LIMITING.has(key.toLowerCase())) kept[key] = value;
      else dropped = true;
    }
    if (Object.keys(kept).length > 0) out[op] = kept;
  }
  return { condition: Object.keys(out).length > 0 ? out : undefined, dropped };
}

/** An action or ARN matching a pattern (`s3:Get*` → `s3:GetZz`). */
const concrete = (pattern: string): string => pattern.replace(/\*/g, 'Zz').replace(/\?/g, 'z');

/** Whether a resolved Principal may name a stranger: a wildcard, or something unresolved. */
function mayBeAnyone(p: unknown): boolean {
  if (typeof p === 'string') return p.includes('*') || p.includes('?');
  if (Array.isArray(p)) return p.some(mayBeAnyone);
  if (isObject(p)) {
    if (typeof p.unresolved === 'string' && Object.keys(p).length === 1) return true;
    return Object.values(p).some(mayBeAnyone);
  }
  return p !== null;
}

/** One way a policy lets anyone in. */
export interface PublicGrant {
  /** `statement 'Sid'` or `statement #2`. */
  readonly statement: string;
  /** The actions as written. */
  readonly actions: string;
  /** Why: allowed, or unknown (with the reasons). */
  readonly why: string;
  /** True when the statement is an Allow with NotPrincipal. */
  readonly notPrincipal?: boolean;
}

export interface PublicAccessOptions {
  /** The service of the resource (probe actions for NotAction). */
  readonly service: keyof typeof PROBE_ACTIONS;
  /** ARN of the resource the policy is attached to (when the statement has no usable Resource). */
  readonly resourceArn: string;
  /** Evaluate as a KMS key policy. */
  readonly kmsKey?: boolean;
}

const PROBE_ACTIONS = {
  s3: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:ListBucket', 's3:PutBucketPolicy'],
  kms: [
    'kms:Decrypt',
    'kms:Encrypt',
    'kms:GenerateDataKey',
    'kms:ReEncryptFrom',
    'kms:CreateGrant',
    'kms:PutKeyPolicy',
  ],
  sns: ['sns:Publish', 'sns:Subscribe', 'sns:SetTopicAttributes'],
  sqs: ['sqs:SendMessage', 'sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:SetQueueAttributes'],
  kinesis: ['kinesis:GetRecords', 'kinesis:GetShardIterator', 'kinesis:PutRecord', 'kinesis:PutRecords'],
} as const satisfies Record<string, readonly string[]>;

/**
 * The statements of a resource policy that let a stranger (any AWS account) in, over every
 * `Fn::If` branch of the document. Empty when none does.
 */
export function publicGrants(doc: unknown, ctx: TemplateContext, options: PublicAccessOptions): PublicGrant[] {
  const stack = stackOf(ctx);
  const out: PublicGrant[] = [];
  const seen = new Set<string>();
  for (const variant of branches(doc)) {
    if (!mayAdmitStranger(variant, stack)) continue;
    const resolved = stack.resolve(variant);
    const raw = isObject(resolved) ? asArray(resolved.Statement) : [];
    const policy: PolicyDocument = {
      Version: isObject(resolved) && typeof resolved.Version === 'string' ? resolved.Version : '2012-10-17',
      Statement: raw.map(asStrangerSees),
    };
    raw.forEach((s, i) => {
      if (!isObject(s) || s.Effect === 'Deny') return;
      const label = typeof s.Sid === 'string' ? `statement '${s.Sid}'` : `statement #${i}`;
      const actions = JSON.stringify(s.Action ?? { NotAction: s.NotAction });
      const key = `${label}|${actions}`;
      if (seen.has(key)) return;
      const why = whyPublic(s, i, policy, stack.account, options);
      if (why === undefined) return;
      seen.add(key);
      out.push({ statement: label, actions, ...why });
    });
  }
  return out;
}

/**
 * Fast path: whether any statement of a document variant could admit a stranger — an Allow whose
 * Principal could be one (a `*`, or a value that cannot be resolved), or that uses NotPrincipal.
 * When none does there is nothing to evaluate.
 */
function mayAdmitStranger(variant: unknown, stack: ReturnType<typeof stackOf>): boolean {
  return asArray(isObject(variant) ? variant.Statement : undefined).some(
    (s) =>
      !isObject(s) ||
      (s.Effect !== 'Deny' && (s.NotPrincipal !== undefined || mayBeAnyone(stack.resolve(s.Principal ?? null)))),
  );
}

/**
 * A statement as it applies to the stranger: conditions reduced to the keys it cannot choose;
 * a Deny it avoids (one that depends on a key the caller chooses) never applies.
 */
function asStrangerSees(s: unknown): unknown {
  if (!isObject(s)) return s;
  const { condition, dropped } = limitingCondition(s.Condition);
  if (s.Effect === 'Deny' && dropped) return { Effect: 'Deny', Action: 'zz-none:None', Resource: '*', Principal: '*' };
  const copy: Record<string, unknown> = { ...s };
  if (condition === undefined) delete copy.Condition;
  else copy.Condition = condition;
  return copy;
}

/**
 * Why the `i`-th statement (an Allow) of the policy lets the stranger in, or undefined when it
 * does not: an Allow with NotPrincipal, an allow decided by this statement, or an unknown decision.
 */
function whyPublic(
  s: Record<string, unknown>,
  i: number,
  policy: PolicyDocument,
  account: string,
  options: PublicAccessOptions,
): Pick<PublicGrant, 'why' | 'notPrincipal'> | undefined {
  if (s.NotPrincipal !== undefined && s.Effect === 'Allow') {
    return {
      why: `Allow with NotPrincipal ${JSON.stringify(s.NotPrincipal)} grants everyone not listed`,
      notPrincipal: true,
    };
  }
  const resources = s.Resource !== undefined ? asArray(s.Resource) : [];
  const resource =
    typeof resources[0] === 'string' && resources[0] !== '*' ? concrete(resources[0]) : options.resourceArn;
  const decision = evaluate({
    request: {
      principal: STRANGER,
      action: probeAction(s, options.service),
      resource,
      resourceAccount: account,
      context: STRANGER_CONTEXT,
    },
    identityPolicies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }],
    resourcePolicy: policy,
    resourceType: options.kmsKey ? 'kms-key' : 'other',
  });
  const mine = decision.allowedBy.some((m) => m.source === 'resource' && m.statementIndex === i);
  if (decision.decision === 'allow' && mine) {
    return {
      why:
        s.Condition === undefined
          ? `allows Principal '*' without a condition (${JSON.stringify(s.Principal)}: any AWS account)`
          : `allows Principal '*' (${JSON.stringify(s.Principal)}) with a condition that does not limit who (${JSON.stringify(s.Condition)}: keys the caller chooses, such as aws:SecureTransport, or always-true tests count as none)`,
    };
  }
  if (decision.decision === 'unknown') {
    return { why: `cannot be shown to exclude other accounts (${decision.unknowns.join('; ')})` };
  }
  return undefined;
}

/** The action the stranger tries: the statement's first Action, else a probe action of the service its NotAction leaves. */
function probeAction(s: Record<string, unknown>, service: PublicAccessOptions['service']): string {
  const actionList = s.Action !== undefined ? asArray(s.Action) : [];
  if (typeof actionList[0] === 'string') return concrete(actionList[0]);
  const excluded = (a: string) =>
    asArray(s.NotAction).some(
      (n) =>
        typeof n === 'string' &&
        new RegExp(
          `^${n
            .replace(/[.+^${}()|[\]\\]/g, '\\$&')
            .replace(/\*/g, '.*')
            .replace(/\?/g, '.')}$`,
          'i',
        ).test(a),
    );
  return PROBE_ACTIONS[service].find((a) => !excluded(a)) ?? PROBE_ACTIONS[service][0];
}
