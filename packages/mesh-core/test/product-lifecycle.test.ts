import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Template, Match } from 'aws-cdk-lib/assertions';
import { RemovalPolicy } from 'aws-cdk-lib';
import { MeshError, type Classification } from '@meshkit/contracts';
import {
  ABORT_INCOMPLETE_UPLOAD_DAYS,
  DEFAULT_RETENTION_DAYS,
  LIFECYCLE_TABLE,
  MIN_STORAGE_DAYS,
  NONCURRENT_EXPIRATION_DAYS,
  lifecyclePolicy,
  type DataZone,
} from '../src/constructs/product-lifecycle.js';
import { ProductZoneBucket } from '../src/constructs/product-zone-bucket.js';
import { domainStack } from './product-fixtures.js';

const CLASSES: Classification[] = ['public', 'internal', 'confidential', 'restricted'];
const ZONES: DataZone[] = ['raw', 'curated'];

describe('lifecycle policy table', () => {
  test('documented rows: raw keeps Deep Archive for confidential/restricted only; curated only Athena-readable classes', () => {
    assert.deepEqual(
      lifecyclePolicy('raw', 'internal', 3650).transitions.map((t) => [t.storageClass, t.afterDays]),
      [
        ['INTELLIGENT_TIERING', 0],
        ['GLACIER_IR', 90],
        ['GLACIER', 180],
      ],
    );
    assert.deepEqual(
      lifecyclePolicy('raw', 'restricted', 3650).transitions.map((t) => [t.storageClass, t.afterDays]),
      [
        ['INTELLIGENT_TIERING', 0],
        ['GLACIER_IR', 90],
        ['GLACIER', 180],
        ['DEEP_ARCHIVE', 365],
      ],
    );
    assert.deepEqual(
      lifecyclePolicy('curated', 'public', 3650).transitions.map((t) => [t.storageClass, t.afterDays]),
      [['INTELLIGENT_TIERING', 0]],
    );
    assert.deepEqual(
      lifecyclePolicy('curated', 'confidential', 3650).transitions.map((t) => [t.storageClass, t.afterDays]),
      [
        ['INTELLIGENT_TIERING', 0],
        ['GLACIER_IR', 365],
      ],
    );
    for (const zone of ZONES)
      for (const c of CLASSES) {
        assert.ok(
          !LIFECYCLE_TABLE.curated[c].some((t) => t.storageClass === 'GLACIER' || t.storageClass === 'DEEP_ARCHIVE'),
          `${zone}/${c}`,
        );
      }
  });

  test('a transition is kept only when the object stays its minimum storage duration before expiring', () => {
    for (const zone of ZONES)
      for (const c of CLASSES)
        for (const days of [1, 89, 180, 200, 270, 365, 544, 545, 2555]) {
          const p = lifecyclePolicy(zone, c, days);
          const expected = LIFECYCLE_TABLE[zone][c].filter(
            (t) => t.afterDays + MIN_STORAGE_DAYS[t.storageClass] <= days,
          );
          assert.deepEqual(p.transitions, expected, `${zone}/${c}/${days}`);
          assert.ok(
            p.transitions.every((t) => t.afterDays < p.expirationDays),
            `${zone}/${c}/${days}: expiration after every transition`,
          );
        }
    assert.deepEqual(
      lifecyclePolicy('raw', 'internal', 200).transitions.map((t) => t.storageClass),
      ['INTELLIGENT_TIERING', 'GLACIER_IR'],
    );
    assert.ok(!lifecyclePolicy('raw', 'restricted', 544).transitions.some((t) => t.storageClass === 'DEEP_ARCHIVE'));
    assert.ok(lifecyclePolicy('raw', 'restricted', 545).transitions.some((t) => t.storageClass === 'DEEP_ARCHIVE'));
  });

  test('defaults: retention, noncurrent expiration and aborted uploads by classification', () => {
    for (const c of CLASSES) {
      const p = lifecyclePolicy('raw', c);
      assert.equal(p.expirationDays, DEFAULT_RETENTION_DAYS[c]);
      assert.equal(p.noncurrentExpirationDays, NONCURRENT_EXPIRATION_DAYS[c]);
      assert.equal(p.abortIncompleteUploadDays, ABORT_INCOMPLETE_UPLOAD_DAYS);
    }
    assert.deepEqual(DEFAULT_RETENTION_DAYS, { public: 365, internal: 365, confidential: 1095, restricted: 2555 });
    assert.equal(ABORT_INCOMPLETE_UPLOAD_DAYS, 7);
  });

  test('invalid retention → MeshError naming retentionDays', () => {
    for (const bad of [0, -1, 1.5]) {
      assert.throws(
        () => lifecyclePolicy('raw', 'internal', bad),
        (e: unknown) => e instanceof MeshError && /retentionDays/.test(e.message),
      );
    }
  });
});

describe('ProductZoneBucket', () => {
  const synth = (zone: DataZone, classification: Classification, retentionDays?: number) => {
    const { stack, domain } = domainStack();
    const zb = new ProductZoneBucket(stack, 'Zone', {
      domain,
      productName: 'orders',
      zone,
      classification,
      retentionDays,
    });
    return { t: Template.fromStack(stack), zb, stack };
  };

  test('defaults: domain key with bucket key, versioning, block all, owner enforced, access logs with prefix, RETAIN', () => {
    const { t, stack } = synth('raw', 'internal');
    const bucket = t.findResources('AWS::S3::Bucket', { Properties: { LoggingConfiguration: Match.anyValue() } });
    const [id, res] = Object.entries(bucket)[0]!;
    assert.equal(res.DeletionPolicy, 'Retain');
    assert.equal(res.UpdateReplacePolicy, 'Retain');
    t.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          {
            BucketKeyEnabled: true,
            ServerSideEncryptionByDefault: {
              SSEAlgorithm: 'aws:kms',
              KMSMasterKeyID: { 'Fn::GetAtt': [Match.stringLikeRegexp('DomainKey'), 'Arn'] },
            },
          },
        ],
      },
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      LoggingConfiguration: {
        DestinationBucketName: { Ref: Match.stringLikeRegexp('DomainAccessLogs') },
        LogFilePrefix: 'sales/orders/raw/',
      },
      NotificationConfiguration: Match.absent(),
    });
    // SSL-only and TLS ≥ 1.2.
    t.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: id },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Effect: 'Deny', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
        ]),
      },
    });
    assert.ok(stack);
  });

  for (const zone of ZONES)
    for (const c of CLASSES)
      for (const days of [undefined, 200, 3650]) {
        test(`rules follow the table: ${zone} / ${c} / retention ${days ?? 'default'}`, () => {
          const { t } = synth(zone, c, days);
          const p = lifecyclePolicy(zone, c, days);
          t.hasResourceProperties('AWS::S3::Bucket', {
            LifecycleConfiguration: {
              Rules: [
                {
                  Id: 'meshkit-lifecycle',
                  Status: 'Enabled',
                  ExpirationInDays: p.expirationDays,
                  NoncurrentVersionExpiration: { NoncurrentDays: p.noncurrentExpirationDays },
                  AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
                  Transitions: p.transitions.map((x) => ({
                    StorageClass: x.storageClass,
                    TransitionInDays: x.afterDays,
                  })),
                },
              ],
            },
          });
        });
      }

  test('custom: EventBridge notifications on the L1, name, removal policy', () => {
    const { stack, domain } = domainStack();
    new ProductZoneBucket(stack, 'Zone', {
      domain,
      productName: 'orders',
      zone: 'raw',
      classification: 'public',
      bucketName: 'my-raw-bucket',
      eventBridgeEnabled: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: 'my-raw-bucket',
      NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } },
    });
    t.hasResource('AWS::S3::Bucket', { Properties: { BucketName: 'my-raw-bucket' }, DeletionPolicy: 'Delete' });
    // No notification custom resource (no Lambda).
    t.resourceCountIs('AWS::Lambda::Function', 0);
  });
});
