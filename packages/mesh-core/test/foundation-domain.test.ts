import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { App, RemovalPolicy, Stack, aws_s3 as s3 } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { MeshError } from '@meshkit/contracts';
import type { IDomain } from '../src/domain/domain.js';
import { DomainFoundation, type DomainFoundationProps } from '../src/constructs/domain-foundation.js';
import { DataProduct } from '../src/constructs/data-product.js';
import { evaluateStack } from '../src/policy/evaluate-stack.js';
import { CONSUMERS, batchManifest, clickstreamContract, ordersContract, streamManifest } from './product-fixtures.js';

const BASE: DomainFoundationProps = { domainName: 'sales', owner: 'sales-team', costCenter: 'cc-100' };
const ENV = { account: '111122223333', region: 'eu-west-1' };

function synth(
  props: Partial<DomainFoundationProps> = {},
  env?: typeof ENV,
): { stack: Stack; domain: DomainFoundation; t: Template } {
  const stack = new Stack(new App(), 'Domain', env ? { env } : {});
  const domain = new DomainFoundation(stack, 'Sales', { ...BASE, ...props });
  return { stack, domain, t: Template.fromStack(stack) };
}

const keyStatement = (t: Template, statement: Record<string, unknown>): void => {
  t.hasResourceProperties('AWS::KMS::Key', {
    KeyPolicy: Match.objectLike({ Statement: Match.arrayWith([Match.objectLike(statement)]) }),
  });
};

const errorNaming =
  (prop: string) =>
  (e: unknown): boolean =>
    e instanceof MeshError && e.code === 'INVALID_CONFIG' && e.message.includes(prop);

describe('DomainFoundation — defaults', () => {
  const { t, domain, stack } = synth({}, ENV);

  test('implements IDomain', () => {
    const d: IDomain = domain;
    assert.equal(d.domainName, 'sales');
    assert.equal(d.databaseName, 'sales');
    assert.equal(d.workgroupName, 'mesh-sales');
    assert.equal(d.securityConfigurationName, 'mesh-sales');
    assert.equal(d.key, domain.key);
    assert.deepEqual(stack.resolve(d.accessLogsBucket.bucketName), stack.resolve(domain.accessLogs.bucket.bucketName));
    assert.ok(!(d.accessLogsBucket instanceof s3.Bucket), 'products get a reference, not the bucket itself');
  });

  test('KMS key with rotation, alias and RETAIN', () => {
    t.resourceCountIs('AWS::KMS::Key', 1);
    t.hasResource('AWS::KMS::Key', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({ EnableKeyRotation: true }),
    });
    t.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/meshkit/sales' });
  });

  test('key policy: one statement per service used through the account principals', () => {
    for (const [sid, service] of [
      ['AllowUseViaS3', 's3'],
      ['AllowUseViaGlue', 'glue'],
      ['AllowUseViaKinesis', 'kinesis'],
      ['AllowUseViaFirehose', 'firehose'],
      ['AllowUseViaAthena', 'athena'],
      ['AllowUseViaSns', 'sns'],
    ] as const) {
      keyStatement(t, {
        Sid: sid,
        Effect: 'Allow',
        Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111122223333:root']] } },
        Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
        Condition: {
          StringEquals: { 'kms:ViaService': `${service}.eu-west-1.amazonaws.com`, 'kms:CallerAccount': '111122223333' },
        },
      });
    }
  });

  test("key policy: CloudWatch Logs of the region, limited to the account's log groups", () => {
    keyStatement(t, {
      Sid: 'AllowCloudWatchLogs',
      Principal: { Service: 'logs.eu-west-1.amazonaws.com' },
      Condition: {
        ArnLike: {
          'kms:EncryptionContext:aws:logs:arn': {
            'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:eu-west-1:111122223333:log-group:*']],
          },
        },
      },
    });
  });

  test('key policy: alarm, event and S3-notification publishers of the account', () => {
    keyStatement(t, {
      Sid: 'AllowServicePublishers',
      Principal: { Service: ['cloudwatch.amazonaws.com', 'events.amazonaws.com', 's3.amazonaws.com'] },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' } },
    });
  });

  test('no consumer statement without consumer roles', () => {
    const key = Object.values(t.findResources('AWS::KMS::Key'))[0];
    const sids = (key?.Properties.KeyPolicy.Statement as Array<{ Sid?: string }>).map((s) => s.Sid);
    assert.ok(!sids.includes('AllowConsumerRolesDecrypt'));
  });

  test('no Lake Formation grant without consumers', () => {
    t.resourceCountIs('AWS::LakeFormation::PrincipalPermissions', 0);
    assert.deepEqual(domain.consumerGrants, {});
    assert.deepEqual(domain.consumerRoles, []);
  });

  test('Glue database named snake_case(domain) without IAM_ALLOWED_PRINCIPALS', () => {
    t.hasResource('AWS::Glue::Database', {
      DeletionPolicy: 'Retain',
      Properties: {
        CatalogId: { Ref: 'AWS::AccountId' },
        DatabaseInput: Match.objectLike({ Name: 'sales', CreateTableDefaultPermissions: [] }),
      },
    });
  });

  test('Athena workgroup: enforced, SSE_KMS with the domain key, 100 GiB cutoff, metrics', () => {
    t.hasResourceProperties('AWS::Athena::WorkGroup', {
      Name: 'mesh-sales',
      State: 'ENABLED',
      WorkGroupConfiguration: {
        EnforceWorkGroupConfiguration: true,
        PublishCloudWatchMetricsEnabled: true,
        BytesScannedCutoffPerQuery: 107374182400,
        ResultConfiguration: {
          OutputLocation: {
            'Fn::Join': ['', ['s3://', { Ref: Match.stringLikeRegexp('^SalesQueryResults') }, '/results/']],
          },
          ExpectedBucketOwner: '111122223333',
          EncryptionConfiguration: {
            EncryptionOption: 'SSE_KMS',
            KmsKey: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SalesKey'), 'Arn'] },
          },
        },
      },
    });
  });

  test('query results bucket: domain key, SSL-only, block public access, logs to the access-log bucket', () => {
    t.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            {
              BucketKeyEnabled: true,
              ServerSideEncryptionByDefault: {
                SSEAlgorithm: 'aws:kms',
                KMSMasterKeyID: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SalesKey'), 'Arn'] },
              },
            },
          ],
        },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        LoggingConfiguration: {
          DestinationBucketName: { Ref: Match.stringLikeRegexp('^SalesAccessLogsBucket') },
          LogFilePrefix: 'athena-results/',
        },
        LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 30 })] },
      }),
    });
    t.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: Match.stringLikeRegexp('^SalesQueryResults') },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  test('Glue security configuration: S3 SSE-KMS, CloudWatch SSE-KMS, bookmarks CSE-KMS', () => {
    const keyArn = { 'Fn::GetAtt': [Match.stringLikeRegexp('^SalesKey'), 'Arn'] };
    t.hasResourceProperties('AWS::Glue::SecurityConfiguration', {
      Name: 'mesh-sales',
      EncryptionConfiguration: {
        S3Encryptions: [{ S3EncryptionMode: 'SSE-KMS', KmsKeyArn: keyArn }],
        CloudWatchEncryption: { CloudWatchEncryptionMode: 'SSE-KMS', KmsKeyArn: keyArn },
        JobBookmarksEncryption: { JobBookmarksEncryptionMode: 'CSE-KMS', KmsKeyArn: keyArn },
      },
    });
  });

  test('access-log bucket: SSE-S3 (the documented exception), 365-day expiry', () => {
    t.resourceCountIs('AWS::S3::Bucket', 2);
    t.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      LifecycleConfiguration: { Rules: [Match.objectLike({ Id: 'expire-access-logs', ExpirationInDays: 365 })] },
    });
  });

  test('mandatory tags from the domain on every taggable resource', () => {
    assert.deepEqual(domain.tags, {
      domain: 'sales',
      product: '-',
      owner: 'sales-team',
      classification: '-',
      'cost-center': 'cc-100',
      'contract-version': '-',
    });
    for (const type of ['AWS::KMS::Key', 'AWS::S3::Bucket', 'AWS::Athena::WorkGroup']) {
      for (const r of Object.values(t.findResources(type))) {
        const tags = Object.fromEntries(
          (r.Properties.Tags as Array<{ Key: string; Value: string }>).map((x) => [x.Key, x.Value]),
        );
        assert.deepEqual(tags, domain.tags, type);
      }
    }
  });
});

describe('DomainFoundation — custom options', () => {
  const { t, domain } = synth(
    {
      domainName: 'order-mgmt',
      consumerRoles: ['arn:aws:iam::111122223333:role/analyst', 'arn:aws:iam::444455556666:role/partner-reader'],
      athenaBytesScannedCutoff: 1024 ** 3,
      removalPolicy: RemovalPolicy.DESTROY,
      logRetentionDays: 30,
      queryResultsRetentionDays: 7,
    },
    ENV,
  );

  test('names follow the domain', () => {
    assert.equal(domain.databaseName, 'order_mgmt');
    t.hasResourceProperties('AWS::Glue::Database', { DatabaseInput: Match.objectLike({ Name: 'order_mgmt' }) });
    t.hasResourceProperties('AWS::Athena::WorkGroup', { Name: 'mesh-order-mgmt' });
    t.hasResourceProperties('AWS::Glue::SecurityConfiguration', { Name: 'mesh-order-mgmt' });
    t.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/meshkit/order-mgmt' });
  });

  test("consumer roles, including another account's, decrypt and describe through S3, Athena, Glue", () => {
    keyStatement(t, {
      Sid: 'AllowConsumerRolesDecrypt',
      Principal: { AWS: ['arn:aws:iam::111122223333:role/analyst', 'arn:aws:iam::444455556666:role/partner-reader'] },
      Action: ['kms:Decrypt', 'kms:DescribeKey'],
      Condition: {
        StringEquals: {
          'kms:ViaService': [
            's3.eu-west-1.amazonaws.com',
            'athena.eu-west-1.amazonaws.com',
            'glue.eu-west-1.amazonaws.com',
          ],
        },
      },
    });
  });

  test('cutoff, retention and removal policy', () => {
    t.hasResourceProperties('AWS::Athena::WorkGroup', {
      WorkGroupConfiguration: Match.objectLike({ BytesScannedCutoffPerQuery: 1073741824 }),
    });
    t.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: [Match.objectLike({ Id: 'expire-access-logs', ExpirationInDays: 30 })] },
    });
    t.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: [Match.objectLike({ Id: 'expire-query-results', ExpirationInDays: 7 })] },
    });
    for (const type of ['AWS::KMS::Key', 'AWS::S3::Bucket', 'AWS::Glue::Database', 'AWS::Athena::WorkGroup']) {
      assert.equal(Object.keys(t.findResources(type, { DeletionPolicy: 'Retain' })).length, 0, type);
      assert.ok(Object.keys(t.findResources(type, { DeletionPolicy: 'Delete' })).length > 0, type);
    }
  });

  test('works without a concrete environment (pseudo parameters)', () => {
    const { t: agnostic } = synth({ consumerRoles: ['arn:aws:iam::444455556666:role/partner-reader'] });
    keyStatement(agnostic, {
      Sid: 'AllowCloudWatchLogs',
      Principal: { Service: { 'Fn::Join': ['', ['logs.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } },
    });
    keyStatement(agnostic, {
      Sid: 'AllowConsumerRolesDecrypt',
      Principal: { AWS: 'arn:aws:iam::444455556666:role/partner-reader' },
    });
  });
});

describe('DomainFoundation — consumers', () => {
  const { t, domain, stack } = synth({ consumers: CONSUMERS }, ENV);
  const tagGrant = (roleArn: string, classifications: string[]): void =>
    t.hasResourceProperties('AWS::LakeFormation::PrincipalPermissions', {
      Catalog: ENV.account,
      Principal: { DataLakePrincipalIdentifier: roleArn },
      Resource: {
        LFTagPolicy: {
          CatalogId: ENV.account,
          ResourceType: 'TABLE',
          Expression: [
            { TagKey: 'domain', TagValues: ['sales'] },
            { TagKey: 'classification', TagValues: classifications },
          ],
        },
      },
      Permissions: ['SELECT', 'DESCRIBE'],
      PermissionsWithGrantOption: [],
    });

  test('one tag-based SELECT + DESCRIBE grant per allowed consumer (cross-account included), none for other domains', () => {
    assert.deepEqual(Object.keys(domain.consumerGrants).sort(), ['analytics', 'finance']);
    assert.deepEqual(
      domain.consumers.map((c) => c.name),
      ['analytics', 'finance'],
    );
    t.resourceCountIs('AWS::LakeFormation::PrincipalPermissions', 2);
    tagGrant('arn:aws:iam::333333333333:role/analytics-readers', ['public', 'internal']);
    tagGrant('arn:aws:iam::111111111111:role/finance', ['internal', 'confidential', 'restricted']);
    assert.equal(
      Object.keys(
        t.findResources('AWS::LakeFormation::PrincipalPermissions', {
          Properties: { Principal: { DataLakePrincipalIdentifier: 'arn:aws:iam::111111111111:role/hr' } },
        }),
      ).length,
      0,
    );
  });

  test("without consumerRoles, the key admits the allowed consumers' roles", () => {
    assert.deepEqual(domain.consumerRoles, [
      'arn:aws:iam::333333333333:role/analytics-readers',
      'arn:aws:iam::111111111111:role/finance',
    ]);
    keyStatement(t, {
      Sid: 'AllowConsumerRolesDecrypt',
      Principal: {
        AWS: ['arn:aws:iam::333333333333:role/analytics-readers', 'arn:aws:iam::111111111111:role/finance'],
      },
    });
  });

  test("explicit consumerRoles win over the consumers' roles", () => {
    const { t: explicit, domain: d } = synth(
      { consumers: CONSUMERS, consumerRoles: ['arn:aws:iam::444455556666:role/partner-reader'] },
      ENV,
    );
    assert.deepEqual(d.consumerRoles, ['arn:aws:iam::444455556666:role/partner-reader']);
    keyStatement(explicit, {
      Sid: 'AllowConsumerRolesDecrypt',
      Principal: { AWS: 'arn:aws:iam::444455556666:role/partner-reader' },
    });
    explicit.resourceCountIs('AWS::LakeFormation::PrincipalPermissions', 2);
  });

  test("a consumer without classifications gets no grant; a domain outside every consumer's list gets none", () => {
    const { t: empty } = synth(
      { consumers: [{ name: 'nobody', roleArn: 'arn:aws:iam::111111111111:role/nobody', classifications: [] }] },
      ENV,
    );
    empty.resourceCountIs('AWS::LakeFormation::PrincipalPermissions', 0);
    const { t: people, domain: d } = synth({ domainName: 'people', consumers: CONSUMERS }, ENV);
    assert.deepEqual(Object.keys(d.consumerGrants).sort(), ['analytics', 'hr']);
    people.resourceCountIs('AWS::LakeFormation::PrincipalPermissions', 2);
    const { t: billingOnly } = synth(
      { domainName: 'inventory', consumers: CONSUMERS.filter((c) => c.domains !== undefined) },
      ENV,
    );
    billingOnly.resourceCountIs('AWS::LakeFormation::PrincipalPermissions', 0);
  });

  test('environment-agnostic: catalog is the stack account (pseudo parameter)', () => {
    const { t: agnostic } = synth({ consumers: CONSUMERS });
    agnostic.hasResourceProperties('AWS::LakeFormation::PrincipalPermissions', {
      Catalog: { Ref: 'AWS::AccountId' },
      Resource: { LFTagPolicy: Match.objectLike({ CatalogId: { Ref: 'AWS::AccountId' } }) },
    });
  });

  test('the domain stack with consumer grants passes the Meshkit policy pack', () => {
    assert.deepEqual(
      evaluateStack(stack).map((f) => `${f.ruleId} ${f.level} ${f.constructPath}: ${f.message}`),
      [],
    );
  });

  test('two products in one domain: the product stacks hold no consumer grant, the domain stack one per consumer', () => {
    const app = new App();
    const domainStack = new Stack(app, 'SalesFoundation', { env: ENV });
    const foundation = new DomainFoundation(domainStack, 'Sales', { ...BASE, consumers: CONSUMERS });
    const orders = new Stack(app, 'Orders', { env: ENV });
    new DataProduct(orders, 'Product', { domain: foundation, manifest: batchManifest(), contract: ordersContract() });
    const clicks = new Stack(app, 'Clicks', { env: ENV });
    new DataProduct(clicks, 'Product', {
      domain: foundation,
      manifest: streamManifest(),
      contract: clickstreamContract(),
    });
    for (const stack of [orders, clicks]) {
      const t = Template.fromStack(stack);
      assert.equal(
        Object.keys(
          t.findResources('AWS::LakeFormation::PrincipalPermissions', {
            Properties: { Resource: { LFTagPolicy: Match.anyValue() } },
          }),
        ).length,
        0,
        stack.stackName,
      );
      for (const c of CONSUMERS) {
        assert.equal(
          Object.keys(
            t.findResources('AWS::LakeFormation::PrincipalPermissions', {
              Properties: { Principal: { DataLakePrincipalIdentifier: c.roleArn } },
            }),
          ).length,
          0,
          `${stack.stackName} ${c.name}`,
        );
      }
      // The products still tag their tables, which brings them under the domain's grants.
      t.hasResourceProperties('AWS::LakeFormation::TagAssociation', {
        Resource: { Table: Match.anyValue() },
        LFTags: Match.arrayWith([Match.objectLike({ TagKey: 'domain', TagValues: ['sales'] })]),
      });
    }
    const domainTemplate = Template.fromStack(domainStack);
    domainTemplate.resourceCountIs('AWS::LakeFormation::PrincipalPermissions', 2);
    for (const c of CONSUMERS.filter((x) => x.domains === undefined || x.domains.includes('sales'))) {
      assert.equal(
        Object.keys(
          domainTemplate.findResources('AWS::LakeFormation::PrincipalPermissions', {
            Properties: { Principal: { DataLakePrincipalIdentifier: c.roleArn } },
          }),
        ).length,
        1,
        c.name,
      );
    }
  });
});

describe('DomainFoundation — invalid props', () => {
  test('invalid domain name → MeshError naming domainName', () => {
    for (const bad of ['Sales', 's', 'sales_eu', '-sales', 'sales-', 'a'.repeat(41), 'sales--eu', '1sales']) {
      assert.throws(() => synth({ domainName: bad }), errorNaming('domainName'), bad);
    }
  });

  test('owner, cost center, consumer roles, consumers, cutoff and retention are checked', () => {
    assert.throws(() => synth({ owner: ' ' }), errorNaming('owner'));
    assert.throws(() => synth({ costCenter: '' }), errorNaming('costCenter'));
    assert.throws(
      () => synth({ consumerRoles: ['arn:aws:iam::111122223333:user/bob'] }),
      errorNaming('consumerRoles[0]'),
    );
    assert.throws(
      () => synth({ consumerRoles: ['arn:aws:iam::111122223333:role/a', 'arn:aws:iam::111122223333:role/a'] }),
      errorNaming('consumerRoles'),
    );
    assert.throws(
      () => synth({ consumers: [{ ...CONSUMERS[0]!, roleArn: 'arn:aws:iam::111122223333:user/bob' }] }),
      errorNaming('consumers[0].roleArn'),
    );
    assert.throws(
      () => synth({ consumers: [CONSUMERS[0]!, { ...CONSUMERS[1]!, name: 'analytics' }] }),
      errorNaming('consumers[].name'),
    );
    assert.throws(
      () => synth({ consumers: [CONSUMERS[0]!, { ...CONSUMERS[1]!, name: 'analy-tics' }] }),
      errorNaming('consumers[].name'),
    );
    assert.throws(() => synth({ athenaBytesScannedCutoff: 1024 }), errorNaming('athenaBytesScannedCutoff'));
    assert.throws(
      () => synth({ athenaBytesScannedCutoff: 1.5 * 1024 ** 3 + 0.5 }),
      errorNaming('athenaBytesScannedCutoff'),
    );
    assert.throws(() => synth({ logRetentionDays: 0 }), errorNaming('logRetentionDays'));
    assert.throws(() => synth({ queryResultsRetentionDays: -1 }), errorNaming('queryResultsRetentionDays'));
  });
});
