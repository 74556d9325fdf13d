// The decision: deny precedence, same-account and cross-account logic, principals, unknowns.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate, type PolicyDocument } from '../src/index.js';
import {
  ACCOUNT_A,
  ACCOUNT_B,
  ANONYMOUS,
  BUCKET,
  OBJECT,
  PARTNER,
  READER,
  WRITER,
  allowPolicy,
  decide,
  kind,
  policy,
  role,
  root,
  service,
  user,
} from './iam-fixtures.js';

const readObjects = allowPolicy(['s3:GetObject', 's3:ListBucket'], [BUCKET, `${BUCKET}/*`]);
const bucketPolicy = (...statements: unknown[]) => policy(...statements);
const allowTo = (Principal: unknown, Action: unknown = 's3:GetObject', extra: Record<string, unknown> = {}) => ({
  Effect: 'Allow',
  Principal,
  Action,
  Resource: `${BUCKET}/*`,
  ...extra,
});

test('explicit deny wins over any allow, in either policy', () => {
  const identityDeny = policy(
    { Effect: 'Allow', Action: 's3:*', Resource: '*' },
    { Sid: 'NoDeletes', Effect: 'Deny', Action: 's3:DeleteObject*', Resource: '*' },
  );
  const d = decide({
    principal: WRITER,
    action: 's3:DeleteObject',
    identity: [identityDeny],
    resourcePolicy: bucketPolicy(allowTo({ AWS: WRITER.arn }, 's3:*')),
  });
  assert.equal(d.decision, 'explicit-deny');
  assert.deepEqual(d.deniedBy, [
    { source: 'identity', policyIndex: 0, statementIndex: 1, sid: 'NoDeletes', effect: 'Deny' },
  ]);
  assert.deepEqual(
    d.allowedBy.map((m) => `${m.source}:${m.statementIndex}`),
    ['identity:0', 'resource:0'],
  );
  assert.deepEqual(d.unknowns, []);

  const resourceDeny = bucketPolicy({
    Sid: 'Immutable',
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:DeleteObject',
    Resource: `${BUCKET}/*`,
  });
  assert.equal(
    kind({
      principal: WRITER,
      action: 's3:DeleteObject',
      identity: [allowPolicy('s3:*')],
      resourcePolicy: resourceDeny,
    }),
    'explicit-deny',
  );
  assert.equal(
    kind({ principal: WRITER, action: 's3:PutObject', identity: [allowPolicy('s3:*')], resourcePolicy: resourceDeny }),
    'allow',
  );
  // A Deny naming an account applies to every principal of that account.
  const denyAccount = bucketPolicy(
    { Effect: 'Deny', Principal: { AWS: `arn:aws:iam::${ACCOUNT_B}:root` }, Action: 's3:*', Resource: `${BUCKET}/*` },
    allowTo({ AWS: PARTNER.arn }),
  );
  assert.equal(
    kind({ principal: PARTNER, action: 's3:GetObject', identity: [readObjects], resourcePolicy: denyAccount }),
    'explicit-deny',
  );
});

test('nothing allows: implicit deny', () => {
  assert.equal(kind({ principal: READER, action: 's3:GetObject' }), 'implicit-deny');
  assert.equal(kind({ principal: READER, action: 's3:PutObject', identity: [readObjects] }), 'implicit-deny');
  assert.equal(
    kind({ principal: READER, action: 's3:GetObject', identity: [policy()] }),
    'implicit-deny',
    'an empty statement list',
  );
});

test('same account: an identity allow or a resource-policy allow naming the principal suffices', () => {
  assert.equal(kind({ principal: READER, action: 's3:GetObject', identity: [readObjects] }), 'allow');
  assert.equal(
    kind({
      principal: READER,
      action: 's3:GetObject',
      identity: [readObjects],
      resourcePolicy: bucketPolicy(allowTo({ AWS: WRITER.arn })),
    }),
    'allow',
    'identity alone',
  );
  assert.equal(
    kind({ principal: READER, action: 's3:GetObject', resourcePolicy: bucketPolicy(allowTo({ AWS: READER.arn })) }),
    'allow',
    'resource policy alone',
  );
  assert.equal(
    kind({
      principal: READER,
      action: 's3:GetObject',
      resourcePolicy: bucketPolicy(allowTo({ AWS: [WRITER.arn, READER.arn] })),
    }),
    'allow',
    'a list of principals',
  );
  assert.equal(
    kind({ principal: READER, action: 's3:GetObject', resourcePolicy: bucketPolicy(allowTo({ AWS: WRITER.arn })) }),
    'implicit-deny',
    'another role named',
  );
  assert.equal(
    kind({
      principal: user('alice'),
      action: 's3:GetObject',
      resourcePolicy: bucketPolicy(allowTo({ AWS: `arn:aws:iam::${ACCOUNT_A}:user/alice` })),
    }),
    'allow',
    'an IAM user',
  );
});

test('same account: a resource policy naming only the account delegates to the identity policies', () => {
  for (const accountPrincipal of [{ AWS: `arn:aws:iam::${ACCOUNT_A}:root` }, { AWS: ACCOUNT_A }]) {
    const delegating = bucketPolicy(allowTo(accountPrincipal));
    const d = decide({ principal: READER, action: 's3:GetObject', resourcePolicy: delegating });
    assert.equal(d.decision, 'implicit-deny', JSON.stringify(accountPrincipal));
    assert.equal(d.allowedBy.length, 1, 'the statement applies, but does not allow by itself');
    assert.equal(
      kind({ principal: READER, action: 's3:GetObject', resourcePolicy: delegating, identity: [readObjects] }),
      'allow',
    );
  }
});

test('cross account: both an identity allow and a resource-policy allow (naming the principal or its account) are needed', () => {
  const namingRole = bucketPolicy(allowTo({ AWS: PARTNER.arn }));
  const namingAccount = bucketPolicy(allowTo({ AWS: `arn:aws:iam::${ACCOUNT_B}:root` }));
  const namingAccountId = bucketPolicy(allowTo({ AWS: ACCOUNT_B }));
  const namingOther = bucketPolicy(allowTo({ AWS: 'arn:aws:iam::333333333333:root' }));
  const base = { principal: PARTNER, action: 's3:GetObject', resourceAccount: ACCOUNT_A };
  assert.equal(kind({ ...base, identity: [readObjects] }), 'implicit-deny', 'identity alone');
  assert.equal(kind({ ...base, resourcePolicy: namingRole }), 'implicit-deny', 'resource policy alone');
  assert.equal(kind({ ...base, resourcePolicy: namingAccount }), 'implicit-deny');
  assert.equal(kind({ ...base, identity: [readObjects], resourcePolicy: namingRole }), 'allow');
  assert.equal(kind({ ...base, identity: [readObjects], resourcePolicy: namingAccount }), 'allow');
  assert.equal(kind({ ...base, identity: [readObjects], resourcePolicy: namingAccountId }), 'allow');
  assert.equal(kind({ ...base, identity: [readObjects], resourcePolicy: namingOther }), 'implicit-deny');
  assert.equal(kind({ ...base, identity: [readObjects], resourcePolicy: bucketPolicy(allowTo('*')) }), 'allow');
  // A condition on the organisation, typical of cross-account bucket policies.
  const orgOnly = bucketPolicy(
    allowTo('*', 's3:GetObject', { Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } } }),
  );
  assert.equal(
    kind({ ...base, identity: [readObjects], resourcePolicy: orgOnly, context: { 'aws:PrincipalOrgID': 'o-abc123' } }),
    'allow',
  );
  assert.equal(
    kind({ ...base, identity: [readObjects], resourcePolicy: orgOnly, context: { 'aws:PrincipalOrgID': 'o-other' } }),
    'implicit-deny',
  );
});

test('the resource account: given, taken from the ARN, or unknown when it decides', () => {
  const withoutAccount = (c: {
    identity?: PolicyDocument[];
    resourcePolicy?: PolicyDocument;
    resource?: string;
    action?: string;
  }) =>
    evaluate({
      request: { principal: READER, action: c.action ?? 's3:GetObject', resource: c.resource ?? OBJECT },
      identityPolicies: c.identity ?? [],
      ...(c.resourcePolicy ? { resourcePolicy: c.resourcePolicy } : {}),
    });
  // S3 ARNs carry no account: an identity-only allow holds within the account, not across.
  const d = withoutAccount({ identity: [readObjects] });
  assert.equal(d.decision, 'unknown');
  assert.match(d.unknowns[0]!, /the resource's account \(resourceAccount\) is not known/);
  assert.equal(
    withoutAccount({ identity: [readObjects], resourcePolicy: bucketPolicy(allowTo({ AWS: READER.arn })) }).decision,
    'allow',
    'allowed either way',
  );
  assert.equal(withoutAccount({}).decision, 'implicit-deny', 'denied either way');
  // A KMS key ARN names its account.
  const keyArn = `arn:aws:kms:eu-west-1:${ACCOUNT_B}:key/k1`;
  assert.equal(
    withoutAccount({
      action: 'sqs:SendMessage',
      resource: `arn:aws:sqs:eu-west-1:${ACCOUNT_A}:q`,
      identity: [allowPolicy('sqs:SendMessage')],
    }).decision,
    'allow',
  );
  assert.equal(
    withoutAccount({ action: 'kms:Decrypt', resource: keyArn, identity: [allowPolicy('kms:Decrypt')] }).decision,
    'implicit-deny',
    'cross-account, taken from the ARN',
  );
});

const KEY = `arn:aws:kms:eu-west-1:${ACCOUNT_A}:key/0b1c2d3e-aaaa-bbbb-cccc-1234567890ab`;
const enableIam = {
  Sid: 'EnableIamPolicies',
  Effect: 'Allow',
  Principal: { AWS: `arn:aws:iam::${ACCOUNT_A}:root` },
  Action: 'kms:*',
  Resource: '*',
};
const readerViaS3 = {
  Sid: 'ReaderViaS3',
  Effect: 'Allow',
  Principal: { AWS: READER.arn },
  Action: ['kms:Decrypt', 'kms:DescribeKey'],
  Resource: '*',
  Condition: { StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } },
};
const partnerAccount = {
  Sid: 'PartnerDecrypt',
  Effect: 'Allow',
  Principal: { AWS: `arn:aws:iam::${ACCOUNT_B}:root` },
  Action: 'kms:Decrypt',
  Resource: '*',
};
const cloudTrail = {
  Sid: 'CloudTrailEncrypt',
  Effect: 'Allow',
  Principal: { Service: 'cloudtrail.amazonaws.com' },
  Action: 'kms:GenerateDataKey*',
  Resource: '*',
  Condition: {
    StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:aws:cloudtrail:*:${ACCOUNT_A}:trail/*` },
  },
};
const kms = (c: Omit<Parameters<typeof kind>[0], 'resource' | 'resourceType'>) =>
  kind({ ...c, resource: KEY, resourceAccount: ACCOUNT_A, resourceType: 'kms-key' });
const viaS3 = { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' };

test('KMS: without a key policy nothing is allowed, not even by identity policies', () => {
  assert.equal(kms({ principal: READER, action: 'kms:Decrypt', identity: [allowPolicy('kms:*')] }), 'implicit-deny');
  assert.equal(kms({ principal: root(), action: 'kms:Decrypt' }), 'implicit-deny', 'nor the root user');
  assert.equal(
    kms({
      principal: READER,
      action: 'kms:Decrypt',
      identity: [policy({ Effect: 'Deny', Action: 'kms:*', Resource: '*' })],
    }),
    'explicit-deny',
  );
});

test('KMS: the key policy allowing the account root enables IAM policies of the account', () => {
  const keyPolicy = policy(enableIam);
  assert.equal(
    kms({
      principal: WRITER,
      action: 'kms:Encrypt',
      identity: [allowPolicy('kms:Encrypt', KEY)],
      resourcePolicy: keyPolicy,
    }),
    'allow',
  );
  assert.equal(
    kms({ principal: WRITER, action: 'kms:Encrypt', resourcePolicy: keyPolicy }),
    'implicit-deny',
    'the identity policy must allow too',
  );
  assert.equal(
    kms({
      principal: WRITER,
      action: 'kms:Encrypt',
      identity: [allowPolicy('kms:Decrypt', KEY)],
      resourcePolicy: keyPolicy,
    }),
    'implicit-deny',
  );
  assert.equal(
    kms({ principal: root(), action: 'kms:ScheduleKeyDeletion', resourcePolicy: keyPolicy }),
    'allow',
    'the root user, named by the key policy',
  );
});

test('KMS: a key policy naming the principal allows it without an identity policy; without the root statement IAM policies do not count', () => {
  const keyPolicy = policy(readerViaS3);
  assert.equal(kms({ principal: READER, action: 'kms:Decrypt', context: viaS3, resourcePolicy: keyPolicy }), 'allow');
  assert.equal(
    kms({
      principal: READER,
      action: 'kms:Decrypt',
      context: { 'kms:ViaService': 'glue.eu-west-1.amazonaws.com' },
      resourcePolicy: keyPolicy,
    }),
    'implicit-deny',
  );
  assert.equal(
    kms({ principal: READER, action: 'kms:Decrypt', resourcePolicy: keyPolicy, identity: [allowPolicy('kms:*')] }),
    'implicit-deny',
    'direct use, and IAM policies are not enabled',
  );
  assert.equal(
    kms({
      principal: WRITER,
      action: 'kms:Decrypt',
      context: viaS3,
      resourcePolicy: keyPolicy,
      identity: [allowPolicy('kms:*')],
    }),
    'implicit-deny',
  );
  assert.equal(
    kms({
      principal: READER,
      action: 'kms:Decrypt',
      resourcePolicy: policy(enableIam, readerViaS3),
      identity: [allowPolicy('kms:Decrypt', KEY)],
    }),
    'allow',
    'with the root statement, the identity policy suffices',
  );
});

test('KMS: "through S3 for all principals in the account" (Principal "*", kms:CallerAccount and kms:ViaService)', () => {
  const keyPolicy = policy(enableIam, {
    Sid: 'AllowViaS3InAccount',
    Effect: 'Allow',
    Principal: { AWS: '*' },
    Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
    Resource: '*',
    Condition: { StringEquals: { 'kms:CallerAccount': ACCOUNT_A, 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } },
  });
  assert.equal(
    kms({ principal: WRITER, action: 'kms:GenerateDataKey', context: viaS3, resourcePolicy: keyPolicy }),
    'allow',
    'kms:CallerAccount is derived',
  );
  assert.equal(kms({ principal: WRITER, action: 'kms:GenerateDataKey', resourcePolicy: keyPolicy }), 'implicit-deny');
  assert.equal(
    kms({
      principal: PARTNER,
      action: 'kms:Decrypt',
      context: viaS3,
      resourcePolicy: keyPolicy,
      identity: [allowPolicy('kms:Decrypt')],
    }),
    'implicit-deny',
    'another caller account',
  );
});

test('KMS cross-account: the key policy names the external account (or principal) and the external identity policy allows', () => {
  const keyPolicy = policy(enableIam, partnerAccount);
  assert.equal(
    kms({
      principal: PARTNER,
      action: 'kms:Decrypt',
      identity: [allowPolicy('kms:Decrypt', KEY)],
      resourcePolicy: keyPolicy,
    }),
    'allow',
  );
  assert.equal(kms({ principal: PARTNER, action: 'kms:Decrypt', resourcePolicy: keyPolicy }), 'implicit-deny');
  assert.equal(
    kms({ principal: PARTNER, action: 'kms:Encrypt', identity: [allowPolicy('kms:*')], resourcePolicy: keyPolicy }),
    'implicit-deny',
    'the key policy grants only Decrypt',
  );
  assert.equal(
    kms({
      principal: PARTNER,
      action: 'kms:Decrypt',
      identity: [allowPolicy('kms:Decrypt')],
      resourcePolicy: policy(enableIam),
    }),
    'implicit-deny',
  );
  const namingRole = policy({ ...partnerAccount, Principal: { AWS: PARTNER.arn } });
  assert.equal(
    kms({ principal: PARTNER, action: 'kms:Decrypt', resourcePolicy: namingRole }),
    'implicit-deny',
    'cross-account needs the identity policy even when named',
  );
  assert.equal(
    kms({
      principal: PARTNER,
      action: 'kms:Decrypt',
      identity: [allowPolicy('kms:Decrypt')],
      resourcePolicy: namingRole,
    }),
    'allow',
  );
});

test('KMS: service principals, and a key policy deny', () => {
  const keyPolicy = policy(enableIam, cloudTrail, {
    Sid: 'NoDeletion',
    Effect: 'Deny',
    Principal: '*',
    Action: 'kms:ScheduleKeyDeletion',
    Resource: '*',
  });
  const trailContext = {
    'kms:EncryptionContext:aws:cloudtrail:arn': `arn:aws:cloudtrail:eu-west-1:${ACCOUNT_A}:trail/org`,
  };
  assert.equal(
    kms({
      principal: service('cloudtrail.amazonaws.com'),
      action: 'kms:GenerateDataKey',
      context: trailContext,
      resourcePolicy: keyPolicy,
    }),
    'allow',
  );
  assert.equal(
    kms({ principal: service('cloudtrail.amazonaws.com'), action: 'kms:GenerateDataKey', resourcePolicy: keyPolicy }),
    'implicit-deny',
  );
  assert.equal(
    kms({
      principal: service('config.amazonaws.com'),
      action: 'kms:GenerateDataKey',
      context: trailContext,
      resourcePolicy: keyPolicy,
    }),
    'implicit-deny',
  );
  assert.equal(
    kms({ principal: root(), action: 'kms:ScheduleKeyDeletion', resourcePolicy: keyPolicy }),
    'explicit-deny',
  );
});

test('Principal forms: wildcards, services, federated and canonical users', () => {
  const get = (Principal: unknown, principal = READER) =>
    kind({ principal, action: 's3:GetObject', resourcePolicy: bucketPolicy(allowTo(Principal)) });
  assert.equal(get('*'), 'allow');
  assert.equal(get({ AWS: '*' }), 'allow');
  assert.equal(get('*', ANONYMOUS), 'allow', 'public read');
  assert.equal(get({ AWS: '*' }, ANONYMOUS), 'allow');
  assert.equal(get({ AWS: ACCOUNT_A }, ANONYMOUS), 'implicit-deny');
  assert.equal(get({ Service: 'glue.amazonaws.com' }, service('glue.amazonaws.com')), 'allow');
  assert.equal(get({ Service: ['logs.amazonaws.com', 'glue.amazonaws.com'] }, service('glue.amazonaws.com')), 'allow');
  assert.equal(get({ Service: 'glue.amazonaws.com' }, service('athena.amazonaws.com')), 'implicit-deny');
  assert.equal(get({ Service: 'glue.amazonaws.com' }), 'implicit-deny', 'a service principal never names a role');
  assert.equal(get({ AWS: READER.arn }, service('glue.amazonaws.com')), 'implicit-deny');
  assert.equal(
    get({ AWS: ACCOUNT_A }, service('glue.amazonaws.com')),
    'implicit-deny',
    'services belong to no account',
  );
  assert.equal(get({ Federated: 'cognito-identity.amazonaws.com' }), 'implicit-deny');
  assert.equal(
    get({ CanonicalUser: '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be' }),
    'implicit-deny',
  );
  assert.equal(get({ AWS: READER.arn, Service: 'glue.amazonaws.com' }), 'allow', 'several principal types');
  assert.equal(
    get({ AWS: 'arn:aws:iam::111111111111:role/sales-*' }),
    'unknown',
    'AWS rejects wildcards in principal ARNs',
  );
  assert.equal(get({ Group: 'x' }), 'unknown');
  assert.equal(get('arn:aws:iam::111111111111:root'), 'unknown', 'a Principal string other than "*"');
  // A service principal is allowed only by a resource policy (identity policies do not apply).
  assert.equal(
    kind({ principal: service('glue.amazonaws.com'), action: 's3:GetObject', identity: [allowPolicy('s3:*')] }),
    'implicit-deny',
  );
  // CloudTrail writing to a log bucket, scoped with aws:SourceAccount.
  const trailBucket = bucketPolicy(
    allowTo({ Service: 'cloudtrail.amazonaws.com' }, 's3:PutObject', {
      Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT_A } },
    }),
  );
  assert.equal(
    kind({
      principal: service('cloudtrail.amazonaws.com'),
      action: 's3:PutObject',
      resourcePolicy: trailBucket,
      context: { 'aws:SourceAccount': ACCOUNT_A },
    }),
    'allow',
  );
  assert.equal(
    kind({
      principal: service('cloudtrail.amazonaws.com'),
      action: 's3:PutObject',
      resourcePolicy: trailBucket,
      context: { 'aws:SourceAccount': ACCOUNT_B },
    }),
    'implicit-deny',
  );
});

test('Principal: role sessions, and the root user', () => {
  const session = {
    arn: `arn:aws:sts::${ACCOUNT_A}:assumed-role/sales-orders-reader/glue-job`,
    account: ACCOUNT_A,
    kind: 'role' as const,
  };
  assert.equal(
    kind({ principal: session, action: 's3:GetObject', resourcePolicy: bucketPolicy(allowTo({ AWS: READER.arn })) }),
    'allow',
    'a role ARN names its sessions',
  );
  const pathRole = role('data/sales-orders-reader');
  assert.equal(
    kind({ principal: session, action: 's3:GetObject', resourcePolicy: bucketPolicy(allowTo({ AWS: pathRole.arn })) }),
    'allow',
    'sessions drop the role path',
  );
  assert.equal(
    kind({ principal: READER, action: 's3:GetObject', resourcePolicy: bucketPolicy(allowTo({ AWS: session.arn })) }),
    'unknown',
    'one session of the role',
  );
  assert.equal(
    kind({ principal: WRITER, action: 's3:GetObject', resourcePolicy: bucketPolicy(allowTo({ AWS: session.arn })) }),
    'implicit-deny',
  );
  // The root user: no identity policy needed in its own account; a resource policy naming its account grants it directly.
  assert.equal(kind({ principal: root(), action: 's3:DeleteObject' }), 'allow');
  assert.equal(kind({ principal: root(ACCOUNT_B), action: 's3:GetObject' }), 'implicit-deny');
  assert.equal(
    kind({
      principal: root(ACCOUNT_B),
      action: 's3:GetObject',
      resourcePolicy: bucketPolicy(allowTo({ AWS: ACCOUNT_B })),
    }),
    'allow',
  );
  assert.equal(
    kind({
      principal: root(),
      action: 's3:DeleteObject',
      resourcePolicy: bucketPolicy({
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:DeleteObject',
        Resource: `${BUCKET}/*`,
      }),
    }),
    'explicit-deny',
  );
});

test('NotPrincipal with Deny: excludes a role only when both the role and its account are listed', () => {
  const allowAll = allowTo('*', 's3:GetObject');
  const denyAllBut = (NotPrincipal: unknown) =>
    bucketPolicy(allowAll, {
      Sid: 'OnlyReader',
      Effect: 'Deny',
      NotPrincipal,
      Action: 's3:*',
      Resource: `${BUCKET}/*`,
    });
  const get = (NotPrincipal: unknown, principal = READER) =>
    kind({ principal, action: 's3:GetObject', resourcePolicy: denyAllBut(NotPrincipal) });
  assert.equal(get({ AWS: [READER.arn, `arn:aws:iam::${ACCOUNT_A}:root`] }), 'allow');
  assert.equal(get({ AWS: [READER.arn, ACCOUNT_A] }), 'allow');
  assert.equal(
    get({ AWS: READER.arn }),
    'explicit-deny',
    'without the account, the account (and so the role) is denied',
  );
  assert.equal(
    get({ AWS: `arn:aws:iam::${ACCOUNT_A}:root` }),
    'explicit-deny',
    'the account alone excludes only its root user',
  );
  assert.equal(get({ AWS: `arn:aws:iam::${ACCOUNT_A}:root` }, root()), 'allow');
  assert.equal(get({ AWS: [READER.arn, `arn:aws:iam::${ACCOUNT_A}:root`] }, WRITER), 'explicit-deny');
  assert.equal(get({ Service: 'glue.amazonaws.com' }, service('glue.amazonaws.com')), 'allow');
  assert.equal(get({ Service: 'glue.amazonaws.com' }, service('athena.amazonaws.com')), 'explicit-deny');
  assert.equal(get({ AWS: [READER.arn, { unresolved: 'Ref AccountRoot' }] }), 'unknown');
  // NotPrincipal with Allow is not supported by AWS.
  const d = decide({
    principal: READER,
    action: 's3:GetObject',
    resourcePolicy: bucketPolicy({
      Sid: 'Odd',
      Effect: 'Allow',
      NotPrincipal: { AWS: WRITER.arn },
      Action: 's3:*',
      Resource: `${BUCKET}/*`,
    }),
  });
  assert.equal(d.decision, 'unknown');
  assert.match(
    d.unknowns[0]!,
    /resource policy, statement 0 \(Sid "Odd"\): AWS does not support NotPrincipal with "Effect": "Allow"/,
  );
});

test('unresolved values: unknown only when they could change the decision', () => {
  const arn = { unresolved: 'Fn::GetAtt ConsumerRole.Arn' };
  // The only possible allow names an unresolved principal: unknown.
  const d = decide({
    principal: PARTNER,
    action: 's3:GetObject',
    resourceAccount: ACCOUNT_A,
    identity: [readObjects],
    resourcePolicy: bucketPolicy(allowTo({ AWS: arn })),
  });
  assert.equal(d.decision, 'unknown');
  assert.deepEqual(d.unknowns, [
    'resource policy, statement 0: Principal.AWS has an unresolved value (Fn::GetAtt ConsumerRole.Arn)',
  ]);
  // Same account, the identity policy allows anyway: the unresolved principal does not matter.
  assert.equal(
    kind({
      principal: READER,
      action: 's3:GetObject',
      identity: [readObjects],
      resourcePolicy: bucketPolicy(allowTo({ AWS: arn })),
    }),
    'allow',
  );
  // Unresolved Action / Resource in the only allow.
  assert.equal(
    kind({
      principal: READER,
      action: 's3:GetObject',
      identity: [policy({ Effect: 'Allow', Action: { unresolved: 'Ref Actions' }, Resource: '*' })],
    }),
    'unknown',
  );
  assert.equal(
    kind({
      principal: READER,
      action: 's3:GetObject',
      identity: [
        policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: [{ unresolved: 'Fn::ImportValue bucket-arn' }] }),
      ],
    }),
    'unknown',
  );
  assert.equal(
    kind({
      principal: READER,
      action: 's3:GetObject',
      identity: [policy({ Effect: 'Allow', Action: ['s3:GetObject', { unresolved: 'Ref A' }], Resource: '*' })],
    }),
    'allow',
    'a known value matches',
  );
  assert.equal(
    kind({
      principal: READER,
      action: 's3:PutObject',
      identity: [policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: [{ unresolved: 'x' }] })],
    }),
    'implicit-deny',
    'the action does not match anyway',
  );
  // An unresolved Deny that could flip an allow.
  const maybeDeny = policy(
    { Effect: 'Allow', Action: 's3:*', Resource: '*' },
    { Sid: 'MaybeDeny', Effect: 'Deny', Action: 's3:GetObject', Resource: { unresolved: 'Fn::If IsProd' } },
  );
  const u = decide({ principal: READER, action: 's3:GetObject', identity: [maybeDeny] });
  assert.equal(u.decision, 'unknown');
  assert.deepEqual(
    u.allowedBy.map((m) => m.statementIndex),
    [0],
  );
  assert.deepEqual(u.unknowns, [
    'identity policy 0, statement 1 (Sid "MaybeDeny"): Resource has an unresolved value (Fn::If IsProd)',
  ]);
  // …but not one that could not flip anything.
  assert.equal(
    kind({
      principal: READER,
      action: 's3:GetObject',
      identity: [policy({ Sid: 'MaybeDeny', Effect: 'Deny', Action: 's3:GetObject', Resource: { unresolved: 'x' } })],
    }),
    'implicit-deny',
  );
  // A certain Deny decides even next to unknowns.
  assert.equal(
    kind({
      principal: READER,
      action: 's3:GetObject',
      identity: [maybeDeny, policy({ Effect: 'Deny', Action: '*', Resource: '*' })],
    }),
    'explicit-deny',
  );
  // An unresolved Effect could be either.
  const effect = policy({ Effect: { unresolved: 'Fn::If Strict' }, Action: 's3:GetObject', Resource: '*' });
  assert.equal(kind({ principal: READER, action: 's3:GetObject', identity: [effect] }), 'unknown');
  assert.equal(
    kind({ principal: READER, action: 's3:GetObject', identity: [effect, readObjects] }),
    'unknown',
    'it may be a Deny',
  );
  const e = decide({ principal: READER, action: 's3:GetObject', identity: [effect, readObjects] });
  assert.deepEqual(e.unknowns, ['identity policy 0, statement 0: Effect is an unresolved value (Fn::If Strict)']);
  assert.deepEqual(
    e.allowedBy.map((m) => m.policyIndex),
    [1],
    'a statement of unknown effect is neither allowedBy nor deniedBy',
  );
  assert.equal(
    kind({ principal: READER, action: 's3:PutObject', identity: [effect, allowPolicy('s3:PutObject')] }),
    'allow',
    'it does not reach the action: its effect does not matter',
  );
});

test('malformed statements are unknown, with a sentence naming them', () => {
  const one = (statement: unknown, source: 'identity' | 'resource' = 'identity') =>
    decide({
      principal: READER,
      action: 's3:GetObject',
      ...(source === 'identity' ? { identity: [policy(statement)] } : { resourcePolicy: policy(statement) }),
    });
  const cases: [unknown, 'identity' | 'resource', RegExp][] = [
    [
      { Sid: 'S', Effect: 'Allow', Action: 's3:*', NotAction: 'iam:*', Resource: '*' },
      'identity',
      /identity policy 0, statement 0 \(Sid "S"\): it has both Action and NotAction/,
    ],
    [{ Effect: 'Allow', Resource: '*' }, 'identity', /neither Action nor NotAction/],
    [{ Effect: 'Allow', Action: 's3:*' }, 'identity', /neither Resource nor NotResource/],
    [{ Effect: 'Allow', Action: 's3:*', Resource: '*', NotResource: 'x' }, 'identity', /both Resource and NotResource/],
    [
      { Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '*' },
      'identity',
      /identity-based policy cannot have Principal/,
    ],
    [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }, 'resource', /needs Principal or NotPrincipal/],
    [{ Effect: 'allow', Action: 's3:*', Resource: '*' }, 'identity', /Effect is "allow", not "Allow" or "Deny"/],
    [{ Effect: 'Allow', Action: 42, Resource: '*' }, 'identity', /Action holds 42/],
    [{ Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: 'yes' }, 'identity', /Condition is not an object/],
    ['Allow everything', 'identity', /the statement is not an object/],
  ];
  for (const [statement, source, expected] of cases) {
    const d = one(statement, source);
    assert.equal(d.decision, 'unknown', JSON.stringify(statement));
    assert.match(d.unknowns.join('\n'), expected);
  }
  assert.equal(
    evaluate({
      request: { principal: READER, action: 's3:GetObject', resource: OBJECT, resourceAccount: ACCOUNT_A },
      identityPolicies: [{ Statement: undefined }],
    }).decision,
    'unknown',
  );
  // A single statement object (not an array) is fine.
  assert.equal(
    evaluate({
      request: { principal: READER, action: 's3:GetObject', resource: OBJECT, resourceAccount: ACCOUNT_A },
      identityPolicies: [
        { Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' } },
      ],
    }).decision,
    'allow',
  );
});
