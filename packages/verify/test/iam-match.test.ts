// Action and ARN pattern matching, and the Action/NotAction, Resource/NotResource elements.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { actionMatches, arnMatches } from '../src/index.js';
import { BUCKET, OBJECT, READER, allowPolicy, decide, kind, policy } from './iam-fixtures.js';

test('actionMatches: exact, case-insensitive, * and ? wildcards', () => {
  assert.equal(actionMatches('s3:GetObject', 's3:GetObject'), true);
  assert.equal(actionMatches('S3:GETOBJECT', 's3:GetObject'), true);
  assert.equal(actionMatches('s3:getobject', 'S3:GetObject'), true);
  assert.equal(actionMatches('s3:Get*', 's3:GetObject'), true);
  assert.equal(actionMatches('s3:Get*', 's3:GetObjectVersion'), true);
  assert.equal(actionMatches('s3:Get*', 's3:PutObject'), false);
  assert.equal(actionMatches('s3:*Object', 's3:PutObject'), true);
  assert.equal(actionMatches('s3:*Object', 's3:PutObjectAcl'), false);
  assert.equal(actionMatches('s3:?etObject', 's3:GetObject'), true);
  assert.equal(actionMatches('s3:?etObject', 's3:GetObjec'), false);
  assert.equal(actionMatches('*', 'kms:Decrypt'), true);
  assert.equal(actionMatches('s3:*', 's3:ListBucket'), true);
  assert.equal(actionMatches('s3:*', 's3express:CreateSession'), false);
  assert.equal(actionMatches('kms:*', 's3:GetObject'), false);
  assert.equal(actionMatches('kms:Re*', 'kms:ReEncryptFrom'), true);
  assert.equal(actionMatches('kms:GenerateDataKey*', 'kms:GenerateDataKey'), true, '* matches the empty run');
  assert.equal(actionMatches('s3:GetObject', 's3:GetObjectAcl'), false, 'no implicit prefix match');
});

test('arnMatches: case-sensitive, * spans / and :, ? is one character', () => {
  assert.equal(arnMatches(`${BUCKET}/*`, OBJECT), true);
  assert.equal(arnMatches(`${BUCKET}/*`, BUCKET), false, 'bucket/* does not match the bucket itself');
  assert.equal(arnMatches(`${BUCKET}*`, BUCKET), true);
  assert.equal(arnMatches(`${BUCKET}/data/*`, OBJECT), true, '* crosses several / levels');
  assert.equal(arnMatches(`${BUCKET}/DATA/*`, OBJECT), false, 'resource matching is case-sensitive');
  assert.equal(arnMatches('arn:aws:s3:::ACME-SALES-ORDERS/*', OBJECT), false);
  assert.equal(arnMatches('arn:aws:s3:::acme-*-orders/*', OBJECT), true);
  assert.equal(arnMatches('arn:aws:s3:::acme-sales-order?/*', OBJECT), true);
  assert.equal(
    arnMatches('arn:aws:s3:::acme-sales-order?/*', 'arn:aws:s3:::acme-sales-order/x'),
    false,
    '? is exactly one character',
  );
  assert.equal(arnMatches('*', OBJECT), true);
  assert.equal(arnMatches('*', '*'), true, 'Resource "*" covers actions without a resource');
  assert.equal(arnMatches('arn:aws:s3:::*', '*'), false);
  assert.equal(arnMatches('arn:aws:kms:*:111111111111:key/*', 'arn:aws:kms:eu-west-1:111111111111:key/abc'), true);
  assert.equal(
    arnMatches('arn:aws:kms:*', 'arn:aws:kms:eu-west-1:111111111111:key/abc'),
    true,
    '* spans the : separators',
  );
  assert.equal(
    arnMatches(
      'arn:aws:logs:eu-west-1:111111111111:log-group:/aws/glue/*',
      'arn:aws:logs:eu-west-1:111111111111:log-group:/aws/glue/jobs:log-stream:x',
    ),
    true,
  );
  assert.equal(arnMatches('arn:aws:s3:::a**b', 'arn:aws:s3:::ab'), true, 'consecutive stars');
  assert.equal(
    arnMatches('arn:aws:s3:::*a*a*a*a*b', 'arn:aws:s3:::aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'),
    false,
    'no pathological backtracking',
  );
});

test('Action element: a list is any-of; NotAction applies to every other action', () => {
  const role = policy({ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: '*' });
  assert.equal(kind({ principal: READER, action: 's3:GetObject', identity: [role] }), 'allow');
  assert.equal(kind({ principal: READER, action: 's3:PutObject', identity: [role] }), 'implicit-deny');

  // A role policy allowing everything except IAM and Organizations (NotAction with Allow).
  const poweruser = policy({
    Sid: 'PowerUser',
    Effect: 'Allow',
    NotAction: ['iam:*', 'organizations:*'],
    Resource: '*',
  });
  assert.equal(kind({ principal: READER, action: 's3:PutObject', identity: [poweruser] }), 'allow');
  assert.equal(
    kind({ principal: READER, action: 'iam:CreateRole', resource: '*', identity: [poweruser] }),
    'implicit-deny',
  );
  assert.equal(
    kind({ principal: READER, action: 'IAM:PassRole', resource: '*', identity: [poweruser] }),
    'implicit-deny',
    'NotAction is case-insensitive',
  );

  // Deny everything except reads (NotAction with Deny).
  const readOnly = policy(
    { Effect: 'Allow', Action: 's3:*', Resource: '*' },
    { Sid: 'OnlyReads', Effect: 'Deny', NotAction: ['s3:Get*', 's3:List*'], Resource: '*' },
  );
  assert.equal(kind({ principal: READER, action: 's3:GetObject', identity: [readOnly] }), 'allow');
  const denied = kind({ principal: READER, action: 's3:DeleteObject', identity: [readOnly] });
  assert.equal(denied, 'explicit-deny');
});

test('Resource element: a list is any-of; NotResource applies to every other resource', () => {
  const objects = allowPolicy('s3:GetObject', [`${BUCKET}/data/*`, `${BUCKET}/meta/*`]);
  assert.equal(kind({ principal: READER, action: 's3:GetObject', identity: [objects] }), 'allow');
  assert.equal(
    kind({ principal: READER, action: 's3:GetObject', resource: `${BUCKET}/quarantine/x`, identity: [objects] }),
    'implicit-deny',
  );

  const exceptQuarantine = policy(
    { Effect: 'Allow', Action: 's3:GetObject', Resource: `${BUCKET}/*` },
    { Effect: 'Deny', Action: 's3:GetObject', NotResource: [`${BUCKET}/data/*`, `${BUCKET}/meta/*`] },
  );
  assert.equal(kind({ principal: READER, action: 's3:GetObject', identity: [exceptQuarantine] }), 'allow');
  assert.equal(
    kind({
      principal: READER,
      action: 's3:GetObject',
      resource: `${BUCKET}/quarantine/x`,
      identity: [exceptQuarantine],
    }),
    'explicit-deny',
  );

  const allowNotResource = policy({ Effect: 'Allow', Action: 's3:*', NotResource: `${BUCKET}/secret/*` });
  assert.equal(kind({ principal: READER, action: 's3:GetObject', identity: [allowNotResource] }), 'allow');
  assert.equal(
    kind({ principal: READER, action: 's3:GetObject', resource: `${BUCKET}/secret/k`, identity: [allowNotResource] }),
    'implicit-deny',
  );
});

test('Resource with policy variables: substituted from the request, unknown when absent, literal before Version 2012-10-17', () => {
  const home = (Version?: string) => ({
    ...(Version ? { Version } : {}),
    Statement: { Effect: 'Allow', Action: 's3:GetObject', Resource: `${BUCKET}/home/\${aws:PrincipalTag/team}/*` },
  });
  const team = { 'aws:PrincipalTag/team': 'sales' };
  assert.equal(
    kind({
      principal: READER,
      action: 's3:GetObject',
      resource: `${BUCKET}/home/sales/a`,
      context: team,
      identity: [home('2012-10-17')],
    }),
    'allow',
  );
  assert.equal(
    kind({
      principal: READER,
      action: 's3:GetObject',
      resource: `${BUCKET}/home/marketing/a`,
      context: team,
      identity: [home('2012-10-17')],
    }),
    'implicit-deny',
  );
  const missing = decide({
    principal: READER,
    action: 's3:GetObject',
    resource: `${BUCKET}/home/sales/a`,
    identity: [home('2012-10-17')],
  });
  assert.equal(missing.decision, 'unknown');
  assert.match(missing.unknowns[0]!, /identity policy 0, statement 0: .*aws:PrincipalTag\/team.* no value/);
  // Without Version 2012-10-17 the variable is literal text.
  assert.equal(
    kind({
      principal: READER,
      action: 's3:GetObject',
      resource: `${BUCKET}/home/sales/a`,
      context: team,
      identity: [home()],
    }),
    'implicit-deny',
  );
  assert.equal(
    kind({
      principal: READER,
      action: 's3:GetObject',
      resource: `${BUCKET}/home/\${aws:PrincipalTag/team}/a`,
      identity: [home('2008-10-17')],
    }),
    'allow',
  );

  // Derived keys: aws:PrincipalAccount is always known; a default value stands in for a missing key.
  const byAccount = allowPolicy('s3:GetObject', `${BUCKET}/accounts/\${aws:PrincipalAccount}/*`);
  assert.equal(
    kind({
      principal: READER,
      action: 's3:GetObject',
      resource: `${BUCKET}/accounts/${READER.account}/x`,
      identity: [byAccount],
    }),
    'allow',
  );
  const withDefault = allowPolicy('s3:GetObject', `${BUCKET}/home/\${aws:PrincipalTag/team, 'shared'}/*`);
  assert.equal(
    kind({ principal: READER, action: 's3:GetObject', resource: `${BUCKET}/home/shared/x`, identity: [withDefault] }),
    'allow',
  );
  // ${*} is a literal star, not a wildcard.
  const literalStar = allowPolicy('s3:GetObject', `${BUCKET}/\${*}/x`);
  assert.equal(
    kind({ principal: READER, action: 's3:GetObject', resource: `${BUCKET}/*/x`, identity: [literalStar] }),
    'allow',
  );
  assert.equal(
    kind({ principal: READER, action: 's3:GetObject', resource: `${BUCKET}/a/x`, identity: [literalStar] }),
    'implicit-deny',
  );
});
