// Differential test: our evaluator against an independent implementation, @cloud-copilot/iam-simulate
// (AGPL: a devDependency used here as a test oracle only, never imported from src/).
//
// A seeded generator draws a few hundred requests and policies from a small grammar (actions and
// resources with wildcards, Action/NotAction, Resource/NotResource, Allow/Deny, the common condition
// operators, same- and cross-account resource policies, KMS key policies, service and anonymous
// principals) and both must agree on allow vs. not allowed (explicit vs. implicit deny is reported
// too, not asserted). The grammar leaves out, on purpose, what the two implementations model differently:
//
// - NotPrincipal naming only a role or only its account: the oracle excludes the principal on any
//   match (its source notes this needs research); we follow the AWS documentation, which says the
//   account and the role must both be listed. NotPrincipal lists here name both or neither.
// - Wildcards outside the resource part of an ARN (`arn:aws:*`): the oracle matches ARNs segment by
//   segment and case-insensitively for partition/service/region/account; we match the whole string
//   case-sensitively (`*` spans `:`), see arnMatches. Patterns here put wildcards in the resource part.
// - Policy variables whose key is absent, unresolved values, unknown operators: we answer `unknown`,
//   the oracle has no such answer. Variables here use keys present in every request.
// - Case in the service part of an ARN (`arn:aws:S3:::…`): the oracle ignores it, we do not.
// - Empty multivalued keys (`aws:TagKeys: []`): we read them as absent (Null → "true"), the oracle as
//   present; and `ForAnyValue:…IfExists` on a missing key: we apply IfExists (true), the oracle
//   ForAnyValue (false). The documentation does not settle either; not generated.
// - Request resources with wildcards, the root user: not generated.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { anonymousPrincipal, runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import { evaluate, type EvaluationInput, type PolicyDocument, type RequestPrincipal } from '../src/index.js';

const A = '111111111111';
const B = '222222222222';
const KEY = `arn:aws:kms:eu-west-1:${A}:key/0b1c2d3e-aaaa-bbbb-cccc-1234567890ab`;

/** mulberry32: a small seeded PRNG, so every run draws the same cases. */
function prng(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    chance: (p: number) => next() < p,
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
  };
}
type Rng = ReturnType<typeof prng>;

const ROLES = {
  reader: { arn: `arn:aws:iam::${A}:role/reader`, account: A, kind: 'role' },
  writer: { arn: `arn:aws:iam::${A}:role/writer`, account: A, kind: 'role' },
  alice: { arn: `arn:aws:iam::${A}:user/alice`, account: A, kind: 'user' },
  partner: { arn: `arn:aws:iam::${B}:role/partner`, account: B, kind: 'role' },
} satisfies Record<string, RequestPrincipal>;
/** A session of the reader role: Principal entries naming the role name its sessions. */
const SESSION: RequestPrincipal = { arn: `arn:aws:sts::${A}:assumed-role/reader/etl-run`, account: A, kind: 'role' };
const GLUE: RequestPrincipal = { arn: 'glue.amazonaws.com', kind: 'service' };
const ANON: RequestPrincipal = { arn: '*', kind: 'anonymous' };

const S3_REQUESTS = [
  { action: 's3:GetObject', resource: 'arn:aws:s3:::data-bucket/raw/a.parquet' },
  { action: 's3:GetObject', resource: 'arn:aws:s3:::data-bucket/curated/b.parquet' },
  { action: 's3:PutObject', resource: 'arn:aws:s3:::data-bucket/raw/a.parquet' },
  { action: 's3:DeleteObject', resource: 'arn:aws:s3:::data-bucket/curated/b.parquet' },
  { action: 's3:GetObject', resource: 'arn:aws:s3:::other-bucket/x.csv' },
  { action: 's3:ListBucket', resource: 'arn:aws:s3:::data-bucket' },
];
const KMS_ACTIONS = ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'];

const S3_ACTION_PATTERNS = [
  's3:GetObject',
  's3:PutObject',
  's3:Get*',
  's3:*',
  '*',
  's3:*Object',
  's3:?etObject',
  's3:List*',
  'S3:getobject',
  's3:Delete*',
];
const KMS_ACTION_PATTERNS = [
  'kms:*',
  'kms:Decrypt',
  'kms:GenerateDataKey*',
  'kms:Encrypt',
  '*',
  'kms:Describe*',
  'kms:?ecrypt',
];
const S3_RESOURCE_PATTERNS = [
  '*',
  'arn:aws:s3:::data-bucket/*',
  'arn:aws:s3:::data-bucket/raw/*',
  'arn:aws:s3:::data-bucket',
  'arn:aws:s3:::data-*',
  'arn:aws:s3:::data-bucket/*/b.parquet',
  'arn:aws:s3:::other-bucket/*',
  'arn:aws:s3:::data-bucket/raw/?.parquet',
  'arn:aws:s3:::Data-bucket/*',
  'arn:aws:s3:::*',
  'arn:aws:s3:::data-bucket/${aws:PrincipalAccount}/*',
];
const KMS_RESOURCE_PATTERNS = [
  '*',
  KEY,
  `arn:aws:kms:eu-west-1:${A}:key/*`,
  `arn:aws:kms:eu-west-1:${A}:key/0b1c*`,
  `arn:aws:kms:eu-west-1:${B}:key/*`,
];

/** Condition blocks over global keys (each operator with a key of its type). */
function condition(rng: Rng, variables: boolean): Record<string, Record<string, string | string[]>> {
  const out: Record<string, Record<string, string | string[]>> = {};
  for (let i = rng.int(1, 2); i > 0; i--) {
    const ifExists = rng.chance(0.25) ? 'IfExists' : '';
    const choice = rng.int(0, 11);
    const put = (op: string, key: string, value: string | string[]) => {
      (out[op] ??= {})[key] = value;
    };
    switch (choice) {
      case 0:
        put(`Bool${ifExists}`, 'aws:SecureTransport', rng.pick(['true', 'false']));
        break;
      case 1:
        put(
          rng.pick(['StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase']) +
            ifExists,
          'aws:PrincipalTag/team',
          rng.chance(0.3) ? ['sales', 'finance'] : rng.pick(['sales', 'Sales', 'marketing']),
        );
        break;
      case 2:
        put(
          rng.pick(['StringLike', 'StringNotLike']) + ifExists,
          'aws:PrincipalTag/team',
          rng.pick(['s*', 'S?les', 'mark*', '*']),
        );
        break;
      case 3:
        put(
          rng.pick(['ArnLike', 'ArnNotLike', 'ArnEquals', 'ArnNotEquals']) + ifExists,
          'aws:PrincipalArn',
          rng.pick([
            `arn:aws:iam::${A}:role/*`,
            'arn:aws:iam::*:role/reader',
            ROLES.partner.arn,
            `arn:aws:iam::*:user/*`,
          ]),
        );
        break;
      case 4:
        put(
          rng.pick(['IpAddress', 'NotIpAddress']) + ifExists,
          'aws:SourceIp',
          rng.chance(0.3)
            ? ['10.0.0.0/8', '203.0.113.0/24']
            : rng.pick(['10.0.0.0/8', '203.0.113.0/24', '198.51.100.1/32']),
        );
        break;
      case 5:
        put(
          rng.pick(['NumericLessThan', 'NumericGreaterThanEquals', 'NumericEquals', 'NumericNotEquals']) + ifExists,
          'aws:MultiFactorAuthAge',
          rng.pick(['3600', '100']),
        );
        break;
      case 6:
        put(
          rng.pick(['DateLessThan', 'DateGreaterThan', 'DateNotEquals']) + ifExists,
          'aws:CurrentTime',
          rng.pick(['2026-01-01T00:00:00Z', '2025-01-01T00:00:00Z']),
        );
        break;
      case 7:
        put('Null', rng.pick(['aws:PrincipalTag/team', 'aws:SourceIp', 'aws:TagKeys']), rng.pick(['true', 'false']));
        break;
      case 8:
        put(
          rng.pick([
            'ForAnyValue:StringEquals',
            'ForAllValues:StringEquals',
            'ForAllValues:StringNotEquals',
            'ForAnyValue:StringNotEquals',
          ]),
          'aws:TagKeys',
          rng.pick([['team'], ['team', 'env'], ['cost']]),
        );
        break;
      case 9:
        put(
          rng.pick(['ForAnyValue:StringLike', 'ForAllValues:StringLike']),
          'aws:TagKeys',
          rng.pick(['t*', 'e?v', '*']),
        );
        break;
      case 10:
        put(
          rng.pick(['StringEquals', 'StringNotEquals']),
          'aws:ResourceAccount',
          rng.pick(variables ? ['${aws:PrincipalAccount}', A, B] : [A, B]),
        );
        break;
      case 11:
        put(rng.pick(['StringEquals', 'StringNotEquals']) + ifExists, 'aws:PrincipalAccount', rng.pick([A, B]));
        break;
    }
  }
  return out;
}

function context(rng: Rng): Record<string, string | string[]> {
  const ctx: Record<string, string | string[]> = {};
  if (rng.chance(0.6)) ctx['aws:SecureTransport'] = rng.pick(['true', 'false']);
  if (rng.chance(0.6)) ctx['aws:PrincipalTag/team'] = rng.pick(['sales', 'Sales', 'marketing']);
  if (rng.chance(0.6)) ctx['aws:SourceIp'] = rng.pick(['10.1.2.3', '203.0.113.9', '198.51.100.1']);
  if (rng.chance(0.5)) ctx['aws:MultiFactorAuthAge'] = rng.pick(['100', '7200']);
  if (rng.chance(0.6)) ctx['aws:CurrentTime'] = rng.pick(['2025-06-01T00:00:00Z', '2027-01-01T00:00:00Z']);
  if (rng.chance(0.5)) ctx['aws:TagKeys'] = rng.pick([['team'], ['team', 'env'], ['cost'], ['env', 'cost']]);
  return ctx;
}

/** A statement; `variables`: whether it may use ${aws:PrincipalAccount} (present when the principal has an account). */
function statement(
  rng: Rng,
  kms: boolean,
  variables: boolean,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const actions = kms ? KMS_ACTION_PATTERNS : S3_ACTION_PATTERNS;
  const resources = (kms ? KMS_RESOURCE_PATTERNS : S3_RESOURCE_PATTERNS).filter((r) => variables || !r.includes('${'));
  const one = <T>(items: readonly T[]) => (rng.chance(0.3) ? [rng.pick(items), rng.pick(items)] : rng.pick(items));
  const s: Record<string, unknown> = { Effect: rng.chance(0.7) ? 'Allow' : 'Deny', ...extra };
  if (rng.chance(0.2)) s.NotAction = one(actions);
  else s.Action = one(actions);
  if (rng.chance(0.15)) s.NotResource = one(resources);
  else s.Resource = one(resources);
  if (rng.chance(0.4)) s.Condition = condition(rng, variables);
  return s;
}

/** A Principal for a resource-policy statement (NotPrincipal only for Deny, listing a role with its account). */
function principalElement(rng: Rng, requester: RequestPrincipal): Record<string, unknown> {
  const choice = rng.int(0, 9);
  switch (choice) {
    case 0:
      return { Principal: '*' };
    case 1:
      return { Principal: { AWS: '*' } };
    case 2:
      return { Principal: { AWS: rng.pick([ROLES.reader.arn, ROLES.writer.arn, ROLES.partner.arn, ROLES.alice.arn]) } };
    case 3:
      return { Principal: { AWS: rng.pick([`arn:aws:iam::${A}:root`, `arn:aws:iam::${B}:root`]) } };
    case 4:
      return { Principal: { AWS: rng.pick([A, B]) } };
    case 5:
      return {
        Principal: {
          AWS: [
            rng.pick([ROLES.reader.arn, ROLES.partner.arn]),
            rng.pick([`arn:aws:iam::${B}:root`, ROLES.writer.arn]),
          ],
        },
      };
    case 6:
      return { Principal: { Service: rng.pick(['glue.amazonaws.com', 'athena.amazonaws.com']) } };
    case 7:
      return { Principal: { AWS: ROLES.partner.arn, Service: 'glue.amazonaws.com' } };
    default: {
      if (requester.kind !== 'role' && requester.kind !== 'user') return { Principal: '*' };
      // Name the requester with its account, or a principal of the other account with that account.
      const other = requester.account === A ? ROLES.partner : ROLES.reader;
      const self = requester === SESSION && rng.chance(0.5) ? ROLES.reader : requester;
      const named = rng.chance(0.5) ? self : other;
      return { Effect: 'Deny', NotPrincipal: { AWS: [named.arn, `arn:aws:iam::${named.account}:root`] } };
    }
  }
}

interface Case {
  input: EvaluationInput;
  simulation: Simulation;
}

function draw(rng: Rng): Case {
  const kms = rng.chance(0.3);
  const principal = kms
    ? rng.pick([ROLES.reader, ROLES.writer, ROLES.partner, ROLES.alice, SESSION, ROLES.partner])
    : rng.pick<RequestPrincipal>([
        ROLES.reader,
        ROLES.writer,
        ROLES.alice,
        ROLES.partner,
        ROLES.partner,
        SESSION,
        GLUE,
        ANON,
      ]);
  const { action, resource } = kms ? { action: rng.pick(KMS_ACTIONS), resource: KEY } : rng.pick(S3_REQUESTS);
  const ctx = context(rng);
  // A session's aws:PrincipalArn is its role's ARN (we cannot derive it: the session ARN lacks the path).
  if (principal === SESSION) ctx['aws:PrincipalArn'] = ROLES.reader.arn;
  const hasIdentity = principal.kind === 'role' || principal.kind === 'user';
  const identity: PolicyDocument[] = [];
  if (hasIdentity) {
    for (let p = rng.int(0, 2); p > 0; p--) {
      identity.push({
        Version: '2012-10-17',
        Statement: Array.from({ length: rng.int(1, 3) }, () => statement(rng, kms, true)),
      });
    }
  }
  // Random statements seldom line up across two policies: add a likely grant half of the time, so
  // that cross-account and key-policy allows are exercised too.
  const grant = (extra: Record<string, unknown>) => ({
    Effect: 'Allow',
    Action: rng.pick([action, `${action.split(':')[0]}:*`, '*']),
    Resource: rng.pick(['*', resource]),
    ...(rng.chance(0.3) ? { Condition: condition(rng, principal.account !== undefined) } : {}),
    ...extra,
  });
  if (hasIdentity && rng.chance(0.5)) identity.push({ Version: '2012-10-17', Statement: grant({}) });
  let resourcePolicy: PolicyDocument | undefined;
  if (kms ? rng.chance(0.9) : rng.chance(0.7)) {
    const statements = Array.from({ length: rng.int(1, 3) }, () =>
      statement(rng, kms, principal.account !== undefined, principalElement(rng, principal)),
    );
    if (rng.chance(0.5)) {
      const named =
        principal.kind === 'service'
          ? { Service: principal.arn }
          : principal.kind === 'anonymous'
            ? '*'
            : rng.pick<unknown>([
                { AWS: principal === SESSION ? ROLES.reader.arn : principal.arn },
                { AWS: `arn:aws:iam::${principal.account}:root` },
                { AWS: principal.account },
                '*',
                { AWS: '*' },
              ]);
      statements.push(grant({ Principal: named }));
    }
    if (kms && rng.chance(0.5))
      statements.unshift({
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${A}:root` },
        Action: 'kms:*',
        Resource: '*',
      });
    resourcePolicy = { Version: '2012-10-17', Statement: statements };
  }

  const input: EvaluationInput = {
    request: { principal, action, resource, resourceAccount: A, context: ctx },
    identityPolicies: identity,
    ...(resourcePolicy ? { resourcePolicy } : {}),
    ...(kms ? { resourceType: 'kms-key' as const } : {}),
  };
  // The oracle does not derive the keys AWS always sets: give it the ones we derive.
  const oracleContext: Record<string, string | string[]> = { ...ctx, 'aws:ResourceAccount': A };
  if (principal.kind === 'role' || principal.kind === 'user') {
    oracleContext['aws:PrincipalArn'] ??= principal.arn;
    oracleContext['aws:PrincipalAccount'] = principal.account!;
  }
  const simulation: Simulation = {
    request: {
      principal: principal.kind === 'anonymous' ? anonymousPrincipal : principal.arn,
      action,
      resource: { resource, accountId: A },
      contextVariables: oracleContext,
    },
    identityPolicies: identity.map((policy, i) => ({ name: `identity-${i}`, policy })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    ...(resourcePolicy ? { resourcePolicy } : {}),
  };
  return { input, simulation };
}

const CASES = 600;

test(`differential: ${CASES} generated cases agree with @cloud-copilot/iam-simulate`, async (t) => {
  const rng = prng(20240917);
  let allowed = 0;
  let explicit = 0;
  let kindAgreements = 0;
  const disagreements: string[] = [];
  const tally = new Map<string, { cases: number; allowed: number }>();
  for (let i = 0; i < CASES; i++) {
    const { input, simulation } = draw(rng);
    const ours = evaluate(input);
    const result = await runSimulation(simulation, {});
    if (result.resultType === 'error')
      assert.fail(
        `case ${i}: the oracle rejected the input: ${result.errors.message}\n${JSON.stringify(simulation, null, 1)}`,
      );
    if (result.resultType === 'single')
      assert.deepEqual(result.result.ignoredContextKeys ?? [], [], `case ${i}: the oracle ignored context keys`);
    const theirs = result.overallResult;
    assert.notEqual(
      ours.decision,
      'unknown',
      `case ${i}: nothing in the grammar is unknown: ${ours.unknowns.join('; ')}`,
    );
    if ((ours.decision === 'allow') !== (theirs === 'Allowed')) {
      disagreements.push(
        `case ${i}: ours ${ours.decision}, oracle ${theirs}\n${JSON.stringify({ input, ours }, null, 1)}`,
      );
      continue;
    }
    const { principal, resourceAccount } = input.request;
    const group = `${input.resourceType === 'kms-key' ? 'kms' : 's3'} ${principal.account === undefined ? principal.kind : principal.account === resourceAccount ? 'same-account' : 'cross-account'}`;
    const entry = tally.get(group) ?? { cases: 0, allowed: 0 };
    tally.set(group, { cases: entry.cases + 1, allowed: entry.allowed + (ours.decision === 'allow' ? 1 : 0) });
    if (ours.decision === 'allow') allowed++;
    if (ours.decision === 'explicit-deny') explicit++;
    const sameKind =
      ours.decision === 'allow'
        ? theirs === 'Allowed'
        : ours.decision === 'explicit-deny'
          ? theirs === 'ExplicitlyDenied'
          : theirs === 'ImplicitlyDenied';
    if (sameKind) kindAgreements++;
  }
  t.diagnostic(
    [...tally]
      .sort()
      .map(([group, n]) => `${group}: ${n.cases} cases, ${n.allowed} allowed`)
      .join('; '),
  );
  t.diagnostic(
    `${CASES} cases: ${CASES - disagreements.length} agree on allow vs. not (${allowed} allowed, ${explicit} explicitly denied); ${kindAgreements} agree on the exact kind`,
  );
  assert.deepEqual(disagreements.slice(0, 3), [], `${disagreements.length} disagreements`);
  // The grammar must exercise both outcomes, or agreement proves little.
  assert.ok(
    allowed > CASES / 10 && explicit > CASES / 20,
    `too few allowed (${allowed}) or denied (${explicit}) cases`,
  );
});
