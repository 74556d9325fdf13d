// The Condition element: operators, missing keys, IfExists, Null, set operators, variables, unknowns.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ACCOUNT_A,
  ACCOUNT_B,
  BUCKET,
  OBJECT,
  READER,
  allowPolicy,
  decide,
  kind,
  policy,
  type Case,
} from './iam-fixtures.js';

/** Whether an identity Allow of s3:GetObject with this Condition allows the request with this context. */
function holds(Condition: unknown, context?: Case['context'], principal = READER): boolean | 'unknown' {
  const d = kind({
    principal,
    action: 's3:GetObject',
    context,
    identity: [allowPolicy('s3:GetObject', '*', Condition)],
  });
  return d === 'unknown' ? 'unknown' : d === 'allow';
}

const secureTransportBucketPolicy = policy(
  {
    Sid: 'AllowReader',
    Effect: 'Allow',
    Principal: { AWS: READER.arn },
    Action: 's3:GetObject',
    Resource: `${BUCKET}/*`,
  },
  {
    Sid: 'DenyInsecureTransport',
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: [BUCKET, `${BUCKET}/*`],
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  },
);

test('S3 bucket policy denying insecure transport (Bool): false denies, true allows, absent key does not deny', () => {
  const base = { principal: READER, action: 's3:GetObject', resourcePolicy: secureTransportBucketPolicy };
  assert.equal(kind({ ...base, context: { 'aws:SecureTransport': true } }), 'allow');
  const insecure = decide({ ...base, context: { 'aws:SecureTransport': false } });
  assert.equal(insecure.decision, 'explicit-deny');
  assert.deepEqual(insecure.deniedBy, [
    { source: 'resource', policyIndex: 0, statementIndex: 1, sid: 'DenyInsecureTransport', effect: 'Deny' },
  ]);
  assert.deepEqual(
    insecure.allowedBy.map((m) => m.sid),
    ['AllowReader'],
  );
  assert.equal(
    kind({ ...base, context: { 'aws:securetransport': 'FALSE' } }),
    'explicit-deny',
    'key names are case-insensitive, Bool values too',
  );
  assert.equal(kind({ ...base }), 'allow', 'Bool on a missing key does not match, so the deny does not apply');
  // BoolIfExists: a missing key matches, so the deny applies.
  const ifExists = policy(
    { Effect: 'Allow', Principal: { AWS: READER.arn }, Action: 's3:GetObject', Resource: `${BUCKET}/*` },
    {
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: `${BUCKET}/*`,
      Condition: { BoolIfExists: { 'aws:SecureTransport': false } },
    },
  );
  assert.equal(kind({ ...base, resourcePolicy: ifExists }), 'explicit-deny');
  assert.equal(kind({ ...base, resourcePolicy: ifExists, context: { 'aws:SecureTransport': true } }), 'allow');
});

test('String operators: case, wildcards, multiple values OR, negated NOR, missing key', () => {
  const ctx = { 'aws:PrincipalTag/team': 'Sales' };
  assert.equal(holds({ StringEquals: { 'aws:PrincipalTag/team': 'Sales' } }, ctx), true);
  assert.equal(
    holds({ StringEquals: { 'aws:PrincipalTag/team': 'sales' } }, ctx),
    false,
    'StringEquals is case-sensitive',
  );
  assert.equal(
    holds({ StringEquals: { 'aws:PrincipalTag/team': 'Sal*' } }, ctx),
    false,
    'no wildcards in StringEquals',
  );
  assert.equal(holds({ StringEqualsIgnoreCase: { 'aws:PrincipalTag/team': 'SALES' } }, ctx), true);
  assert.equal(holds({ StringLike: { 'aws:PrincipalTag/team': 'Sa*' } }, ctx), true);
  assert.equal(holds({ StringLike: { 'aws:PrincipalTag/team': 'S?les' } }, ctx), true);
  assert.equal(holds({ StringLike: { 'aws:PrincipalTag/team': 'sa*' } }, ctx), false, 'StringLike is case-sensitive');
  assert.equal(
    holds({ StringEquals: { 'aws:PrincipalTag/team': ['Marketing', 'Sales'] } }, ctx),
    true,
    'values of one key are ORed',
  );
  assert.equal(holds({ StringNotEquals: { 'aws:PrincipalTag/team': ['Marketing', 'Finance'] } }, ctx), true);
  assert.equal(
    holds({ StringNotEquals: { 'aws:PrincipalTag/team': ['Marketing', 'Sales'] } }, ctx),
    false,
    'negated values are NORed',
  );
  assert.equal(holds({ StringNotEqualsIgnoreCase: { 'aws:PrincipalTag/team': 'SALES' } }, ctx), false);
  assert.equal(holds({ StringNotLike: { 'aws:PrincipalTag/team': 'Mark*' } }, ctx), true);
  // Missing key: positive operators false, negated operators true.
  assert.equal(holds({ StringEquals: { 'aws:PrincipalTag/team': 'Sales' } }), false);
  assert.equal(holds({ StringNotEquals: { 'aws:PrincipalTag/team': 'Sales' } }), true);
  assert.equal(holds({ StringNotLike: { 'aws:PrincipalTag/team': '*' } }), true);
  assert.equal(holds({ StringLike: { 'aws:PrincipalTag/team': '*' } }), false);
  // IfExists: a missing key holds; a present key is tested as usual.
  assert.equal(holds({ StringEqualsIfExists: { 'aws:PrincipalTag/team': 'Marketing' } }), true);
  assert.equal(holds({ StringEqualsIfExists: { 'aws:PrincipalTag/team': 'Marketing' } }, ctx), false);
  assert.equal(holds({ StringNotEqualsIfExists: { 'aws:PrincipalTag/team': 'Sales' } }, ctx), false);
});

test('several keys and several operators are ANDed', () => {
  const ctx = { 'aws:PrincipalTag/team': 'sales', 'aws:PrincipalTag/env': 'prod', 'aws:SecureTransport': true };
  assert.equal(
    holds({ StringEquals: { 'aws:PrincipalTag/team': 'sales', 'aws:PrincipalTag/env': 'prod' } }, ctx),
    true,
  );
  assert.equal(
    holds({ StringEquals: { 'aws:PrincipalTag/team': 'sales', 'aws:PrincipalTag/env': 'dev' } }, ctx),
    false,
  );
  assert.equal(
    holds({ StringEquals: { 'aws:PrincipalTag/team': 'sales' }, Bool: { 'aws:SecureTransport': 'true' } }, ctx),
    true,
  );
  assert.equal(
    holds({ StringEquals: { 'aws:PrincipalTag/team': 'sales' }, Bool: { 'aws:SecureTransport': 'false' } }, ctx),
    false,
  );
  assert.equal(holds({}, ctx), true, 'an empty Condition holds');
});

test('Numeric and Date operators', () => {
  const mfa = { 'aws:MultiFactorAuthAge': 1200 };
  assert.equal(holds({ NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } }, mfa), true);
  assert.equal(holds({ NumericLessThan: { 'aws:MultiFactorAuthAge': 600 } }, mfa), false);
  assert.equal(holds({ NumericLessThanEquals: { 'aws:MultiFactorAuthAge': '1200' } }, mfa), true);
  assert.equal(holds({ NumericGreaterThan: { 'aws:MultiFactorAuthAge': '1200' } }, mfa), false);
  assert.equal(holds({ NumericGreaterThanEquals: { 'aws:MultiFactorAuthAge': '1200' } }, mfa), true);
  assert.equal(holds({ NumericEquals: { 'aws:MultiFactorAuthAge': ['100', '1200.0'] } }, mfa), true);
  assert.equal(holds({ NumericNotEquals: { 'aws:MultiFactorAuthAge': '1200' } }, mfa), false);
  assert.equal(holds({ NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } }), false, 'missing key');
  assert.equal(holds({ NumericLessThanIfExists: { 'aws:MultiFactorAuthAge': '3600' } }), true);
  assert.equal(
    holds({ NumericLessThan: { 'aws:MultiFactorAuthAge': 'one hour' } }, mfa),
    'unknown',
    'a policy value that is not a number',
  );

  const now = { 'aws:CurrentTime': '2025-06-01T12:00:00Z' };
  assert.equal(holds({ DateLessThan: { 'aws:CurrentTime': '2025-12-31T23:59:59Z' } }, now), true);
  assert.equal(holds({ DateGreaterThan: { 'aws:CurrentTime': '2025-12-31T23:59:59Z' } }, now), false);
  assert.equal(holds({ DateGreaterThanEquals: { 'aws:CurrentTime': '2025-06-01T12:00:00Z' } }, now), true);
  assert.equal(
    holds({ DateEquals: { 'aws:CurrentTime': '2025-06-01T14:00:00+02:00' } }, now),
    true,
    'time zones are compared as instants',
  );
  assert.equal(holds({ DateLessThan: { 'aws:CurrentTime': '1767225599' } }, now), true, 'epoch seconds');
  assert.equal(holds({ DateNotEquals: { 'aws:CurrentTime': '2025-06-01T12:00:00Z' } }, now), false);
  assert.equal(
    holds({ DateLessThanEquals: { 'aws:EpochTime': '2025-06-01T12:00:00Z' } }, { 'aws:EpochTime': 1748779200 }),
    true,
  );
});

test('IpAddress / NotIpAddress (IPv4 and IPv6 CIDR), BinaryEquals', () => {
  const office = { IpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '2001:db8::/32'] } };
  assert.equal(holds(office, { 'aws:SourceIp': '203.0.113.77' }), true);
  assert.equal(holds(office, { 'aws:SourceIp': '203.0.114.1' }), false);
  assert.equal(holds(office, { 'aws:SourceIp': '2001:db8:1234::1' }), true);
  assert.equal(holds(office, { 'aws:SourceIp': '2001:db9::1' }), false);
  assert.equal(holds(office), false, 'missing key');
  assert.equal(
    holds({ IpAddress: { 'aws:SourceIp': '198.51.100.7' } }, { 'aws:SourceIp': '198.51.100.7' }),
    true,
    'a single address is a /32',
  );
  assert.equal(holds({ NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }, { 'aws:SourceIp': '203.0.113.5' }), false);
  assert.equal(holds({ NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }, { 'aws:SourceIp': '10.0.0.1' }), true);
  assert.equal(
    holds({ NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }),
    true,
    'negated operator on a missing key',
  );
  assert.equal(
    holds({ IpAddress: { 'aws:SourceIp': '203.0.113.0/33' } }, { 'aws:SourceIp': '203.0.113.5' }),
    'unknown',
  );
  assert.equal(
    holds({ BinaryEquals: { 'aws:ObjectHash': 'QmluYXJ5VmFsdWU=' } }, { 'aws:ObjectHash': 'QmluYXJ5VmFsdWU=' }),
    true,
  );
  assert.equal(
    holds({ BinaryEquals: { 'aws:ObjectHash': 'QmluYXJ5VmFsdWU=' } }, { 'aws:ObjectHash': 'T3RoZXI=' }),
    false,
  );
});

test('Arn operators compare component by component; aws:PrincipalArn is derived from the request', () => {
  const admins = { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/sales-*' } };
  assert.equal(holds(admins), true, 'aws:PrincipalArn comes from the principal');
  assert.equal(holds({ ArnEquals: { 'aws:PrincipalArn': READER.arn } }), true);
  assert.equal(holds({ ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/marketing-*' } }), false);
  assert.equal(holds({ ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/marketing-*' } }), true);
  assert.equal(holds({ ArnNotEquals: { 'aws:PrincipalArn': READER.arn } }), false);
  assert.equal(
    holds(
      { ArnLike: { 'aws:SourceArn': 'arn:aws:glue:*:*:job/*' } },
      { 'aws:SourceArn': 'arn:aws:glue:eu-west-1:111111111111:job/orders' },
    ),
    true,
  );
  assert.equal(
    holds(
      { ArnLike: { 'aws:SourceArn': 'arn:aws:glue:*' } },
      { 'aws:SourceArn': 'arn:aws:glue:eu-west-1:111111111111:job/orders' },
    ),
    false,
    'an ARN pattern needs its six components',
  );
  assert.equal(holds({ ArnLike: { 'aws:SourceArn': 'arn:aws:glue:*:*:*' } }, { 'aws:SourceArn': 'not-an-arn' }), false);
  assert.equal(holds({ ArnLike: { 'aws:SourceArn': 'arn:aws:glue:*:*:job/*' } }), false, 'missing key');
  // A caller-supplied key overrides the derived one.
  assert.equal(
    holds(
      { ArnEquals: { 'aws:PrincipalArn': 'arn:aws:iam::111111111111:role/other' } },
      { 'aws:PrincipalArn': 'arn:aws:iam::111111111111:role/other' },
    ),
    true,
  );
});

test('Null: true when the key is absent, false when present', () => {
  assert.equal(holds({ Null: { 'aws:PrincipalTag/team': 'true' } }), true);
  assert.equal(holds({ Null: { 'aws:PrincipalTag/team': true } }, { 'aws:PrincipalTag/team': 'sales' }), false);
  assert.equal(holds({ Null: { 'aws:PrincipalTag/team': 'false' } }, { 'aws:PrincipalTag/team': 'sales' }), true);
  assert.equal(holds({ Null: { 'aws:PrincipalTag/team': 'false' } }), false);
  assert.equal(holds({ Null: { 'aws:PrincipalTag/team': 'maybe' } }), 'unknown');
  // A realistic use: deny uploads that do not ask for SSE-KMS.
  const bucketPolicy = policy(
    { Effect: 'Allow', Principal: { AWS: READER.arn }, Action: 's3:PutObject', Resource: `${BUCKET}/*` },
    {
      Sid: 'RequireKms',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:PutObject',
      Resource: `${BUCKET}/*`,
      Condition: { Null: { 's3:x-amz-server-side-encryption-aws-kms-key-id': 'true' } },
    },
  );
  assert.equal(kind({ principal: READER, action: 's3:PutObject', resourcePolicy: bucketPolicy }), 'explicit-deny');
  assert.equal(
    kind({
      principal: READER,
      action: 's3:PutObject',
      resourcePolicy: bucketPolicy,
      context: { 's3:x-amz-server-side-encryption-aws-kms-key-id': 'arn:aws:kms:eu-west-1:111111111111:key/k' },
    }),
    'allow',
  );
});

test('ForAllValues / ForAnyValue on multivalued keys; a single-valued operator never matches a multivalued key', () => {
  const allowed = ['team', 'env', 'owner'];
  assert.equal(
    holds({ 'ForAllValues:StringEquals': { 'aws:TagKeys': allowed } }, { 'aws:TagKeys': ['team', 'env'] }),
    true,
  );
  assert.equal(
    holds({ 'ForAllValues:StringEquals': { 'aws:TagKeys': allowed } }, { 'aws:TagKeys': ['team', 'cost'] }),
    false,
  );
  assert.equal(
    holds({ 'ForAllValues:StringEquals': { 'aws:TagKeys': allowed } }),
    true,
    'ForAllValues holds when the key is absent',
  );
  assert.equal(
    holds({ 'ForAllValues:StringEquals': { 'aws:TagKeys': allowed } }, { 'aws:TagKeys': [] }),
    true,
    '…or empty',
  );
  assert.equal(
    holds({ 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['cost'] } }, { 'aws:TagKeys': ['team', 'cost'] }),
    true,
  );
  assert.equal(holds({ 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['cost'] } }, { 'aws:TagKeys': ['team'] }), false);
  assert.equal(
    holds({ 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['cost'] } }),
    false,
    'ForAnyValue fails when the key is absent',
  );
  assert.equal(holds({ 'ForAnyValue:StringLike': { 'aws:TagKeys': 'c*' } }, { 'aws:TagKeys': ['team', 'cost'] }), true);
  assert.equal(
    holds({ 'ForAllValues:StringNotEquals': { 'aws:TagKeys': ['secret'] } }, { 'aws:TagKeys': ['team', 'env'] }),
    true,
  );
  assert.equal(
    holds({ 'ForAllValues:StringNotEquals': { 'aws:TagKeys': ['secret'] } }, { 'aws:TagKeys': ['team', 'secret'] }),
    false,
  );
  assert.equal(
    holds({ 'ForAnyValue:StringNotEquals': { 'aws:TagKeys': ['team'] } }, { 'aws:TagKeys': ['team', 'env'] }),
    true,
  );
  assert.equal(
    holds({ 'ForAnyValue:StringNotEquals': { 'aws:TagKeys': ['team'] } }, { 'aws:TagKeys': ['team'] }),
    false,
  );
  assert.equal(
    holds({ 'forallvalues:stringequals': { 'aws:tagkeys': allowed } }, { 'aws:TagKeys': ['team'] }),
    true,
    'operator and key names are case-insensitive',
  );
  // A set operator on a single-valued key treats it as a one-value set.
  assert.equal(
    holds(
      { 'ForAnyValue:StringEquals': { 'aws:PrincipalTag/team': ['sales', 'finance'] } },
      { 'aws:PrincipalTag/team': 'sales' },
    ),
    true,
  );
  // Without a set operator a multivalued key does not match, even with a negated operator.
  assert.equal(holds({ StringEquals: { 'aws:TagKeys': 'team' } }, { 'aws:TagKeys': ['team', 'env'] }), false);
  assert.equal(holds({ StringNotEquals: { 'aws:TagKeys': 'cost' } }, { 'aws:TagKeys': ['team', 'env'] }), false);
  assert.equal(
    holds(
      { 'ForAnyValue:StringEquals': { 'aws:CalledVia': 'athena.amazonaws.com' } },
      { 'aws:CalledVia': ['athena.amazonaws.com'] },
    ),
    true,
  );
});

test('condition values with policy variables; a variable the request lacks makes the condition unknown', () => {
  const ownAccount = { StringEquals: { 'aws:ResourceAccount': '${aws:PrincipalAccount}' } };
  assert.equal(holds(ownAccount), true, 'both keys are derived from the request');
  assert.equal(
    kind({
      principal: READER,
      action: 's3:GetObject',
      resourceAccount: ACCOUNT_B,
      identity: [allowPolicy('s3:GetObject', '*', ownAccount)],
    }),
    'implicit-deny',
  );
  assert.equal(
    holds(
      { StringLike: { 's3:prefix': 'home/${aws:username}/*' } },
      { 's3:prefix': 'home/alice/notes' },
      { arn: `arn:aws:iam::${ACCOUNT_A}:user/alice`, account: ACCOUNT_A, kind: 'user' },
    ),
    true,
  );
  assert.equal(
    holds({ StringLike: { 's3:prefix': 'home/${aws:username}/*' } }, { 's3:prefix': 'home/alice/notes' }),
    'unknown',
    'roles have no aws:username',
  );
  assert.equal(
    holds({ StringEquals: { 'aws:PrincipalTag/team': '${aws:PrincipalTag/owner}' } }, { 'aws:PrincipalTag/team': 'x' }),
    'unknown',
  );
  // The condition on a missing key is false whatever the variable: the unknown does not matter.
  assert.equal(holds({ StringEquals: { 'aws:PrincipalTag/team': '${aws:PrincipalTag/owner}' } }), false);
});

test('an unknown operator makes the statement unknown, never silently true or false', () => {
  const d = decide({
    principal: READER,
    action: 's3:GetObject',
    identity: [
      policy({
        Sid: 'Typo',
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: '*',
        Condition: { StringEqualz: { 'aws:PrincipalTag/team': 'sales' } },
      }),
    ],
  });
  assert.equal(d.decision, 'unknown');
  assert.deepEqual(d.unknowns, [
    `identity policy 0, statement 0 (Sid "Typo"): condition operator 'StringEqualz' is not supported`,
  ]);
  assert.equal(holds({ 'ForSomeValues:StringEquals': { 'aws:TagKeys': 'a' } }), 'unknown');
  assert.equal(holds({ 'ForAnyValue:Null': { 'aws:TagKeys': 'true' } }), 'unknown', 'Null takes no set operator');
  // …even when the key is absent (which would make most operators false).
  assert.equal(holds({ DateLaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } }), 'unknown');
  // An unknown operator in a Deny that could flip an allow makes the decision unknown.
  const deny = policy(
    { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' },
    {
      Sid: 'Odd',
      Effect: 'Deny',
      Action: 's3:GetObject',
      Resource: '*',
      Condition: { IpAddressV7: { 'aws:SourceIp': '10.0.0.0/8' } },
    },
  );
  assert.equal(kind({ principal: READER, action: 's3:GetObject', identity: [deny] }), 'unknown');
  // A statement whose action does not match does not apply whatever its condition says.
  assert.equal(
    kind({ principal: READER, action: 's3:PutObject', identity: [deny, allowPolicy('s3:PutObject')] }),
    'allow',
  );
});

test('unresolved condition values: unknown when they matter, ignored when they do not', () => {
  const viaService = (value: unknown) =>
    policy({
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: '*',
      Condition: { StringEquals: { 'aws:SourceVpce': value } },
    });
  const vpce = { unresolved: 'Fn::ImportValue shared-vpce-id' };
  const d = decide({
    principal: READER,
    action: 's3:GetObject',
    context: { 'aws:SourceVpce': 'vpce-0abc' },
    identity: [viaService(vpce)],
  });
  assert.equal(d.decision, 'unknown');
  assert.match(
    d.unknowns[0]!,
    /identity policy 0, statement 0: condition StringEquals on 'aws:SourceVpce': an unresolved value \(Fn::ImportValue shared-vpce-id\)/,
  );
  assert.equal(
    kind({
      principal: READER,
      action: 's3:GetObject',
      context: { 'aws:SourceVpce': 'vpce-0abc' },
      identity: [viaService(['vpce-0abc', vpce])],
    }),
    'allow',
    'another value matches',
  );
  assert.equal(
    kind({ principal: READER, action: 's3:GetObject', identity: [viaService(vpce)] }),
    'implicit-deny',
    'the key is absent: no value can match',
  );
  assert.equal(
    kind({
      principal: READER,
      action: 's3:GetObject',
      identity: [policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { StringEquals: vpce } })],
    }),
    'unknown',
  );
});

test('condition on derived keys: aws:PrincipalAccount, aws:ResourceAccount, aws:PrincipalType', () => {
  assert.equal(holds({ StringEquals: { 'aws:PrincipalAccount': ACCOUNT_A } }), true);
  assert.equal(holds({ StringEquals: { 'aws:PrincipalType': 'AssumedRole' } }), true);
  assert.equal(holds({ StringEquals: { 'aws:ResourceAccount': ACCOUNT_A } }), true);
  assert.equal(holds({ StringEquals: { 'aws:ResourceAccount': ACCOUNT_B } }), false);
  assert.equal(holds({ Null: { 'aws:PrincipalServiceName': 'true' } }), true, 'roles have no service name');
  assert.equal(
    kind({
      principal: READER,
      action: 's3:GetObject',
      resource: OBJECT,
      identity: [allowPolicy('s3:GetObject', '*', { StringEquals: { 'aws:PrincipalAccount': ACCOUNT_B } })],
    }),
    'implicit-deny',
  );
});
