// DataProduct, default stream product: Kinesis + Firehose to Parquet in raw, alarms per mode.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Template, Match } from 'aws-cdk-lib/assertions';
import { toGlueColumns } from '@meshkit/contracts';
import { DataProduct } from '../src/constructs/data-product.js';
import { ACCOUNT, REGION, clickstreamContract, domainStack, streamManifest } from './product-fixtures.js';

describe('DataProduct (stream, defaults)', () => {
  let t: Template;
  let product: DataProduct;
  before(() => {
    const { stack, domain } = domainStack();
    product = new DataProduct(stack, 'Clicks', { domain, manifest: streamManifest(), contract: clickstreamContract() });
    t = Template.fromStack(stack);
  });

  test('classification defaults to internal; the output port is the first schema object', () => {
    assert.equal(product.classification, 'internal');
    assert.equal(product.outputObject, 'page_views');
    assert.equal(product.batchIngestion, undefined);
    t.hasResourceProperties('AWS::Glue::Table', {
      TableInput: {
        Name: 'clickstream_v1',
        StorageDescriptor: {
          Columns: [
            { Name: 'event_id', Type: 'string' },
            { Name: 'url', Type: 'string' },
            { Name: 'viewed_at', Type: 'timestamp' },
          ],
        },
      },
    });
  });

  test('Kinesis stream: domain CMK, 1 shard, 24 h, provisioned, RETAIN', () => {
    t.hasResource('AWS::Kinesis::Stream', {
      Properties: {
        ShardCount: 1,
        RetentionPeriodHours: 24,
        StreamModeDetails: { StreamMode: 'PROVISIONED' },
        StreamEncryption: {
          EncryptionType: 'KMS',
          KeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('DomainKey'), 'Arn'] },
        },
      },
      DeletionPolicy: 'Retain',
    });
  });

  test('raw-zone table: every contract column (no partitions), Parquet, location raw data/', () => {
    const glue = toGlueColumns(clickstreamContract(), { object: 'page_views' });
    t.hasResourceProperties('AWS::Glue::Table', {
      TableInput: {
        Name: 'clickstream_v1_raw',
        PartitionKeys: Match.absent(),
        Parameters: { classification: 'parquet', 'meshkit:zone': 'raw' },
        StorageDescriptor: {
          Columns: glue.columns.map((c) => ({ Name: c.name, Type: c.type })),
          Location: { 'Fn::Join': ['', ['s3://', { Ref: Match.stringLikeRegexp('RawZone') }, '/data/']] },
          SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
        },
      },
    });
  });

  test('Firehose: Kinesis source, JSON → Parquet with the raw table schema, error prefix, ≥ 64 MiB buffer, SSE-KMS objects, logging', () => {
    t.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      DeliveryStreamType: 'KinesisStreamAsSource',
      DeliveryStreamEncryptionConfigurationInput: Match.absent(),
      KinesisStreamSourceConfiguration: {
        KinesisStreamARN: { 'Fn::GetAtt': [Match.stringLikeRegexp('StreamIngestionStream'), 'Arn'] },
        RoleARN: Match.anyValue(),
      },
      ExtendedS3DestinationConfiguration: Match.objectLike({
        BucketARN: { 'Fn::GetAtt': [Match.stringLikeRegexp('RawZone'), 'Arn'] },
        Prefix: Match.stringLikeRegexp('^data/'),
        ErrorOutputPrefix: Match.stringLikeRegexp('^errors/!\\{firehose:error-output-type\\}/'),
        BufferingHints: { SizeInMBs: 128, IntervalInSeconds: 300 },
        CompressionFormat: 'UNCOMPRESSED',
        EncryptionConfiguration: {
          KMSEncryptionConfig: { AWSKMSKeyARN: { 'Fn::GetAtt': [Match.stringLikeRegexp('DomainKey'), 'Arn'] } },
        },
        CloudWatchLoggingOptions: Match.objectLike({ Enabled: true }),
        DataFormatConversionConfiguration: {
          Enabled: true,
          InputFormatConfiguration: { Deserializer: { OpenXJsonSerDe: {} } },
          OutputFormatConfiguration: { Serializer: { ParquetSerDe: { Compression: 'SNAPPY' } } },
          SchemaConfiguration: {
            CatalogId: ACCOUNT,
            Region: REGION,
            DatabaseName: 'sales',
            TableName: 'clickstream_v1_raw',
            RoleARN: Match.anyValue(),
            VersionId: 'LATEST',
          },
        },
      }),
    });
    t.hasResourceProperties('AWS::Logs::LogGroup', {
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('DomainKey'), 'Arn'] },
    });
  });

  test('Firehose role: stream, raw prefixes, key, Glue table — no "*" resources', () => {
    const policies = t.findResources('AWS::IAM::Policy', {
      Properties: { Roles: [{ Ref: Match.stringLikeRegexp('StreamIngestionRole') }] },
    });
    const [, p] = Object.entries(policies)[0]!;
    const statements = p.Properties.PolicyDocument.Statement as Array<{
      Sid: string;
      Action: string[];
      Resource: unknown;
    }>;
    for (const s of statements) assert.ok(!([] as unknown[]).concat(s.Resource).includes('*'), s.Sid);
    const schema = statements.find((s) => s.Sid === 'ReadSchema')!;
    assert.deepEqual(schema.Action, ['glue:GetTable', 'glue:GetTableVersion', 'glue:GetTableVersions']);
    assert.match(JSON.stringify(schema.Resource), /table\/sales\/clickstream_v1_raw/);
    t.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { Service: 'firehose.amazonaws.com' },
            Condition: { StringEquals: { 'sts:ExternalId': ACCOUNT } },
          }),
        ],
      },
    });
  });

  test('job reads the Firehose output (parquet under data/) and may read the raw table', () => {
    t.hasResourceProperties('AWS::Glue::Job', {
      DefaultArguments: Match.objectLike({
        '--raw-format': 'parquet',
        '--raw-path': { 'Fn::Join': ['', ['s3://', { Ref: Match.stringLikeRegexp('RawZone') }, '/data/']] },
        '--dq-ruleset-name': 'sales-clickstream-v1-dq',
      }),
    });
    t.resourceCountIs('AWS::Glue::Workflow', 0);
    // One trigger path: the schedule (hourly by default), never nothing.
    t.resourceCountIs('AWS::Glue::Trigger', 1);
    t.hasResourceProperties('AWS::Glue::Trigger', {
      Type: 'SCHEDULED',
      Schedule: 'cron(0 * * * ? *)',
      StartOnCreation: true,
      Actions: [{ JobName: 'sales-clickstream-v1' }],
    });
    // Job role: output table; job role and Firehose role: raw table.
    t.resourceCountIs('AWS::LakeFormation::PrincipalPermissions', 3);
    t.hasResourceProperties('AWS::LakeFormation::PrincipalPermissions', {
      Principal: {
        DataLakePrincipalIdentifier: { 'Fn::GetAtt': [Match.stringLikeRegexp('StreamIngestionRole'), 'Arn'] },
      },
      Resource: { Table: { CatalogId: ACCOUNT, DatabaseName: 'sales', Name: 'clickstream_v1_raw' } },
      Permissions: ['SELECT', 'DESCRIBE'],
    });
  });

  test('no column tags when no column is more sensitive than the product', () => {
    t.resourceCountIs('AWS::LakeFormation::TagAssociation', 1);
  });

  test('alarms per mode: freshness (24 h default) + iterator age + Firehose success and data freshness', () => {
    t.resourceCountIs('AWS::CloudWatch::Alarm', 4);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'SuccessfulRuns', EvaluationPeriods: 24 });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Kinesis',
      MetricName: 'GetRecords.IteratorAgeMilliseconds',
      Statistic: 'Maximum',
      Threshold: 900000,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Firehose',
      MetricName: 'DeliveryToS3.Success',
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      Dimensions: [{ Name: 'DeliveryStreamName', Value: { Ref: Match.stringLikeRegexp('DeliveryStream') } }],
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Firehose',
      MetricName: 'DeliveryToS3.DataFreshness',
      Threshold: 1800,
    });
    for (const [, a] of Object.entries(t.findResources('AWS::CloudWatch::Alarm'))) {
      assert.deepEqual(a.Properties.AlarmActions, [{ Ref: Object.keys(t.findResources('AWS::SNS::Topic'))[0] }]);
    }
  });
});
