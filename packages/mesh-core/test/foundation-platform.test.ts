import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { App, RemovalPolicy, Stack, aws_iam as iam } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { MeshError, type Classification } from '@meshkit/contracts';
import { PlatformFoundation, type PlatformFoundationProps } from '../src/constructs/platform-foundation.js';

const ENV = { account: '111122223333', region: 'eu-west-1' };

function synth(
  props: PlatformFoundationProps,
  env?: typeof ENV,
): { stack: Stack; platform: PlatformFoundation; t: Template } {
  const stack = new Stack(new App(), 'Platform', env ? { env } : {});
  const platform = new PlatformFoundation(stack, 'Platform', props);
  return { stack, platform, t: Template.fromStack(stack) };
}

/** `StartsWith` values of the trail's `resources.ARN` field selectors, resolved. */
function arnSelectorValues(t: Template): unknown[] {
  const trails = Object.values(t.findResources('AWS::CloudTrail::Trail'));
  assert.equal(trails.length, 1);
  const selectors = (trails[0]?.Properties.AdvancedEventSelectors ?? []) as Array<{
    FieldSelectors: Array<{ Field: string; StartsWith?: unknown[] }>;
  }>;
  return selectors
    .flatMap((s) => s.FieldSelectors)
    .filter((f) => f.Field === 'resources.ARN')
    .flatMap((f) => f.StartsWith ?? []);
}

const errorNaming =
  (prop: string) =>
  (e: unknown): boolean =>
    e instanceof MeshError && e.code === 'INVALID_CONFIG' && e.message.includes(prop);

describe('PlatformFoundation — defaults', () => {
  const { t, platform } = synth({ domains: ['sales', 'marketing'] });

  test('Lake Formation settings append admins and grant nothing to IAM_ALLOWED_PRINCIPALS', () => {
    t.resourceCountIs('AWS::LakeFormation::DataLakeSettings', 1);
    t.hasResourceProperties('AWS::LakeFormation::DataLakeSettings', {
      MutationType: 'APPEND',
      CreateDatabaseDefaultPermissions: [],
      CreateTableDefaultPermissions: [],
      // the CloudFormation execution role, so CloudFormation can create LF-tags
      Admins: [{ DataLakePrincipalIdentifier: { 'Fn::Sub': Match.stringLikeRegexp('cfn-exec-role') } }],
    });
  });

  test('LF-tags domain and classification, created after the settings', () => {
    t.resourceCountIs('AWS::LakeFormation::Tag', 2);
    t.hasResourceProperties('AWS::LakeFormation::Tag', { TagKey: 'domain', TagValues: ['sales', 'marketing'] });
    t.hasResourceProperties('AWS::LakeFormation::Tag', {
      TagKey: 'classification',
      TagValues: ['public', 'internal', 'confidential', 'restricted'],
    });
    const settingsId = Object.keys(t.findResources('AWS::LakeFormation::DataLakeSettings'))[0];
    for (const tag of Object.values(t.findResources('AWS::LakeFormation::Tag'))) {
      assert.deepEqual(tag.DependsOn, [settingsId]);
    }
  });

  test('Data Catalog encrypted with the platform key, connection passwords too', () => {
    const keyArn = { 'Fn::GetAtt': [Match.stringLikeRegexp('^PlatformKey'), 'Arn'] };
    t.hasResourceProperties('AWS::Glue::DataCatalogEncryptionSettings', {
      CatalogId: { Ref: 'AWS::AccountId' },
      DataCatalogEncryptionSettings: {
        EncryptionAtRest: { CatalogEncryptionMode: 'SSE-KMS', SseAwsKmsKeyId: keyArn },
        ConnectionPasswordEncryption: { ReturnConnectionPasswordEncrypted: true, KmsKeyId: keyArn },
      },
    });
  });

  test('platform key: rotation, RETAIN, CloudTrail and Glue statements', () => {
    t.resourceCountIs('AWS::KMS::Key', 1);
    t.hasResource('AWS::KMS::Key', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        EnableKeyRotation: true,
        KeyPolicy: Match.objectLike({
          Statement: Match.arrayWith([
            Match.objectLike({ Sid: 'AllowUseViaGlue', Principal: { AWS: Match.anyValue() } }),
            Match.objectLike({
              Sid: 'AllowCloudTrailEncryptLogs',
              Principal: { Service: 'cloudtrail.amazonaws.com' },
              Action: 'kms:GenerateDataKey*',
              Condition: Match.objectLike({
                StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': Match.anyValue() },
              }),
            }),
            Match.objectLike({ Sid: 'AllowCloudTrailDescribeKey', Action: 'kms:DescribeKey' }),
          ]),
        }),
      }),
    });
  });

  test('one single-region trail, encrypted, validated, management events only', () => {
    t.resourceCountIs('AWS::CloudTrail::Trail', 1);
    t.hasResourceProperties('AWS::CloudTrail::Trail', {
      TrailName: 'meshkit-data-events',
      IsLogging: true,
      IsMultiRegionTrail: false,
      EnableLogFileValidation: true,
      KMSKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^PlatformKey'), 'Arn'] },
      EventSelectors: Match.absent(),
      AdvancedEventSelectors: [
        { Name: Match.anyValue(), FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] },
      ],
    });
    assert.deepEqual(arnSelectorValues(t), []);
  });

  test('trail bucket: platform key, SSL-only, block public access, access logs, RETAIN', () => {
    t.resourceCountIs('AWS::S3::Bucket', 2);
    t.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            {
              BucketKeyEnabled: true,
              ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: Match.anyValue() },
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
          DestinationBucketName: { Ref: Match.stringLikeRegexp('^PlatformAccessLogsBucket') },
          LogFilePrefix: 'trail/',
        },
        VersioningConfiguration: { Status: 'Enabled' },
      }),
    });
    t.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: Match.stringLikeRegexp('^PlatformTrailBucket') },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Effect: 'Allow',
            Action: 's3:PutObject',
            Principal: { Service: 'cloudtrail.amazonaws.com' },
          }),
        ]),
      },
    });
  });

  test('mandatory tags with platform defaults', () => {
    assert.deepEqual(platform.tags, {
      domain: '-',
      product: '-',
      owner: 'platform',
      classification: '-',
      'cost-center': 'platform',
      'contract-version': '-',
    });
    t.hasResourceProperties('AWS::CloudTrail::Trail', {
      Tags: Match.arrayWith([
        { Key: 'cost-center', Value: 'platform' },
        { Key: 'owner', Value: 'platform' },
      ]),
    });
  });
});

describe('PlatformFoundation — custom options', () => {
  const products: Array<{ domain: string; product: string; classification: Classification }> = [
    { domain: 'sales', product: 'orders', classification: 'restricted' },
    { domain: 'sales', product: 'quotes', classification: 'internal' },
    { domain: 'hr', product: 'payroll', classification: 'restricted' },
    { domain: 'hr', product: 'org-chart', classification: 'confidential' },
  ];
  const stack = new Stack(new App(), 'Platform', { env: ENV });
  const admin = new iam.Role(stack, 'Admin', { assumedBy: new iam.AccountRootPrincipal() });
  const platform = new PlatformFoundation(stack, 'Platform', {
    domains: ['sales', 'hr'],
    organisation: 'Acme',
    restrictedProducts: products
      .filter((p) => p.classification === 'restricted')
      .map(({ domain, product }) => ({ domain, product })),
    lakeFormationAdmins: [admin, 'arn:aws:iam::111122223333:role/DataPlatformAdmin'],
    cdkExecutionRoleAsAdmin: false,
    catalogReaderRoles: ['arn:aws:iam::444455556666:role/analytics-reader'],
    trailName: 'acme-audit',
    multiRegionTrail: true,
    trailLogRetentionDays: 2555,
    logRetentionDays: 90,
    removalPolicy: RemovalPolicy.DESTROY,
    owner: 'data-platform',
    costCenter: 'cc-42',
  });
  const t = Template.fromStack(stack);

  test('given admins only, IRole and ARN alike', () => {
    t.hasResourceProperties('AWS::LakeFormation::DataLakeSettings', {
      MutationType: 'APPEND',
      Admins: [
        { DataLakePrincipalIdentifier: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Admin'), 'Arn'] } },
        { DataLakePrincipalIdentifier: 'arn:aws:iam::111122223333:role/DataPlatformAdmin' },
      ],
    });
    assert.equal(platform.lakeFormationAdminArns.length, 2);
  });

  test('one trail whose data selector lists the restricted products only', () => {
    t.resourceCountIs('AWS::CloudTrail::Trail', 1);
    t.hasResourceProperties('AWS::CloudTrail::Trail', {
      TrailName: 'acme-audit',
      IsMultiRegionTrail: true,
      AdvancedEventSelectors: [
        { Name: Match.anyValue(), FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] },
        {
          Name: Match.anyValue(),
          FieldSelectors: [
            { Field: 'eventCategory', Equals: ['Data'] },
            { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
            { Field: 'resources.ARN', StartsWith: Match.anyValue() },
          ],
        },
      ],
    });
    assert.deepEqual(arnSelectorValues(t), [
      {
        'Fn::Join': [
          '',
          ['arn:', { Ref: 'AWS::Partition' }, ':s3:::acme-sales-orders-', { Ref: 'AWS::AccountId' }, '-'],
        ],
      },
      {
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::acme-hr-payroll-', { Ref: 'AWS::AccountId' }, '-']],
      },
    ]);
    const text = JSON.stringify(arnSelectorValues(t));
    assert.ok(
      !text.includes('quotes') && !text.includes('org-chart'),
      'no selector for internal or confidential products',
    );
  });

  test('key policy admits the catalog readers of other accounts through Glue', () => {
    t.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'AllowCatalogReadersDecrypt',
            Principal: { AWS: 'arn:aws:iam::444455556666:role/analytics-reader' },
            Action: ['kms:Decrypt', 'kms:DescribeKey'],
            Condition: { StringEquals: { 'kms:ViaService': ['glue.eu-west-1.amazonaws.com'] } },
          }),
          Match.objectLike({
            Sid: 'AllowCloudTrailEncryptLogs',
            Condition: Match.objectLike({ StringEquals: { 'aws:SourceArn': stack.resolve(platform.trailArn) } }),
          }),
        ]),
      }),
    });
  });

  test("trail ARN names the trail in the stack's account and region", () => {
    assert.deepEqual(stack.resolve(platform.trailArn), {
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudtrail:eu-west-1:111122223333:trail/acme-audit']],
    });
  });

  test('retention and removal policy', () => {
    t.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: [Match.objectLike({ Id: 'expire-trail-logs', ExpirationInDays: 2555 })] },
    });
    t.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: [Match.objectLike({ Id: 'expire-access-logs', ExpirationInDays: 90 })] },
    });
    t.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Delete' });
    assert.equal(Object.keys(t.findResources('AWS::S3::Bucket', { DeletionPolicy: 'Retain' })).length, 0);
  });

  test('tags from owner and cost center', () => {
    t.hasResourceProperties('AWS::KMS::Key', {
      Tags: Match.arrayWith([
        { Key: 'cost-center', Value: 'cc-42' },
        { Key: 'owner', Value: 'data-platform' },
      ]),
    });
  });

  test('many restricted products still make one trail', () => {
    const many = Array.from({ length: 120 }, (_, i) => ({ domain: 'sales', product: `product-${i}` }));
    const { t: big } = synth({ domains: ['sales'], restrictedProducts: [...many, ...many] });
    big.resourceCountIs('AWS::CloudTrail::Trail', 1);
    assert.equal(arnSelectorValues(big).length, 120, 'duplicates removed');
  });
});

describe('PlatformFoundation — invalid props', () => {
  test('domains must be non-empty, kebab-case and unique', () => {
    assert.throws(() => synth({ domains: [] }), errorNaming('domains'));
    assert.throws(() => synth({ domains: ['Sales'] }), errorNaming('domains[0]'));
    assert.throws(() => synth({ domains: ['sales', 'sales'] }), errorNaming('domains'));
  });

  test('restricted products must belong to a declared domain and fit in one trail', () => {
    assert.throws(
      () => synth({ domains: ['sales'], restrictedProducts: [{ domain: 'hr', product: 'payroll' }] }),
      errorNaming('restrictedProducts[0].domain'),
    );
    assert.throws(
      () => synth({ domains: ['sales'], restrictedProducts: [{ domain: 'sales', product: 'X' }] }),
      errorNaming('restrictedProducts[0].product'),
    );
    const tooMany = Array.from({ length: 498 }, (_, i) => ({ domain: 'sales', product: `p-${i}` }));
    assert.throws(() => synth({ domains: ['sales'], restrictedProducts: tooMany }), errorNaming('at most 497'));
  });

  test('ARNs, trail name and retention are checked', () => {
    assert.throws(
      () => synth({ domains: ['sales'], lakeFormationAdmins: ['admin'] }),
      errorNaming('lakeFormationAdmins[0]'),
    );
    assert.throws(
      () => synth({ domains: ['sales'], catalogReaderRoles: ['arn:aws:iam::1:role/x'] }),
      errorNaming('catalogReaderRoles[0]'),
    );
    assert.throws(() => synth({ domains: ['sales'], trailName: 'a b' }), errorNaming('trailName'));
    assert.throws(() => synth({ domains: ['sales'], logRetentionDays: 0 }), errorNaming('logRetentionDays'));
  });
});
