import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { App, RemovalPolicy, Stack, Validations, aws_s3 as s3 } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { MeshError } from '@meshkit/contracts';
import { AccessLogBucket } from '../src/constructs/access-log-bucket.js';

describe('AccessLogBucket — defaults', () => {
  const stack = new Stack(new App(), 'Logs', { env: { account: '111122223333', region: 'eu-west-1' } });
  const logs = new AccessLogBucket(stack, 'AccessLogs');
  // a bucket of the same stack logging here, as a domain's query-results bucket does
  new s3.Bucket(stack, 'Source', { serverAccessLogsBucket: logs.bucket, serverAccessLogsPrefix: 'source/' });
  const t = Template.fromStack(stack);
  const logsRef = { Ref: Match.stringLikeRegexp('^AccessLogsBucket') };

  test('SSE-S3 (the only encryption server access logging supports), versioned, ACLs disabled, RETAIN', () => {
    t.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        VersioningConfiguration: { Status: 'Enabled' },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        AccessControl: Match.absent(),
      }),
    });
  });

  test('all four block-public-access flags', () => {
    t.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
    });
  });

  test('logs expire after 365 days, noncurrent versions a day later', () => {
    t.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: [
          {
            Id: 'expire-access-logs',
            Status: 'Enabled',
            ExpirationInDays: 365,
            NoncurrentVersionExpiration: { NoncurrentDays: 1 },
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
          },
        ],
      },
    });
  });

  test('bucket policy: SSL-only, TLS 1.2, log delivery from the account only', () => {
    t.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: logsRef,
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
          Match.objectLike({ Effect: 'Deny', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
          Match.objectLike({
            Sid: 'AllowS3ServerAccessLogDelivery',
            Effect: 'Allow',
            Principal: { Service: 'logging.s3.amazonaws.com' },
            Action: 's3:PutObject',
            Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' } },
          }),
        ]),
      },
    });
  });

  test('a source bucket in the same stack gets a policy grant, never the log-delivery ACL', () => {
    t.hasResourceProperties('AWS::S3::Bucket', {
      LoggingConfiguration: { DestinationBucketName: logsRef, LogFilePrefix: 'source/' },
    });
    const acl = Object.values(t.findResources('AWS::S3::Bucket')).filter(
      (b) => b.Properties?.AccessControl !== undefined,
    );
    assert.equal(acl.length, 0);
  });

  test('the AwsSolutions-S1 acknowledgement carries a reason', () => {
    const entries = logs.bucket.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY);
    const text = JSON.stringify(entries.map((e) => e.data));
    assert.match(text, /AwsSolutions-S1/);
    assert.match(text, /target of S3 server access logs/);
  });
});

describe('AccessLogBucket — custom options', () => {
  const stack = new Stack(new App(), 'Logs');
  const logs = new AccessLogBucket(stack, 'AccessLogs', {
    retentionDays: 90,
    removalPolicy: RemovalPolicy.DESTROY,
    bucketName: 'acme-access-logs-eu',
  });
  const t = Template.fromStack(stack);

  test('retention, removal policy and name', () => {
    assert.equal(logs.retentionDays, 90);
    t.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({
        BucketName: 'acme-access-logs-eu',
        LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 90 })] },
      }),
    });
  });

  test('invalid retention → MeshError naming retentionDays', () => {
    assert.throws(
      () => new AccessLogBucket(new Stack(new App(), 'S'), 'L', { retentionDays: 0 }),
      (e: unknown) => e instanceof MeshError && e.message.includes('retentionDays'),
    );
  });
});
