// DataProduct, default batch product: zones, table, ruleset, job, ingestion, Lake Formation, alarms.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Template, Match } from 'aws-cdk-lib/assertions';
import { compileQuality, toDqdl, toGlueColumns } from '@meshkit/contracts';
import { DataProduct } from '../src/constructs/data-product.js';
import { PRODUCT_METADATA_KEY } from '../src/policy/rules/dr/critical-replication.js';
import { ACCOUNT, batchManifest, domainStack, ordersContract } from './product-fixtures.js';

describe('DataProduct (batch, defaults)', () => {
  let t: Template;
  let product: DataProduct;
  before(() => {
    const { stack, domain } = domainStack();
    product = new DataProduct(stack, 'Orders', { domain, manifest: batchManifest(), contract: ordersContract() });
    t = Template.fromStack(stack);
  });

  test('derived facts: classification from the most sensitive contract property, major from the version', () => {
    assert.equal(product.classification, 'restricted');
    assert.equal(product.majorVersion, 2);
    assert.equal(product.criticality, 'medium');
    assert.equal(product.outputObject, 'orders');
    assert.equal(product.replication, undefined);
    assert.equal(product.streamIngestion, undefined);
    assert.ok(product.batchIngestion);
  });

  test('two zone buckets named deterministically, RETAIN, raw zone sends events to EventBridge', () => {
    t.resourceCountIs('AWS::S3::Bucket', 3); // raw, curated + the fixture's log bucket
    for (const zone of ['raw', 'curated']) {
      t.hasResource('AWS::S3::Bucket', {
        Properties: {
          BucketName: {
            'Fn::Join': ['', ['sales-orders-', { Ref: 'AWS::AccountId' }, '-', { Ref: 'AWS::Region' }, `-${zone}`]],
          },
        },
        DeletionPolicy: 'Retain',
      });
    }
    t.hasResourceProperties('AWS::S3::Bucket', {
      LoggingConfiguration: { LogFilePrefix: 'sales/orders/raw/' },
      NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } },
    });
    t.hasResourceProperties('AWS::S3::Bucket', {
      LoggingConfiguration: { LogFilePrefix: 'sales/orders/curated/' },
      NotificationConfiguration: Match.absent(),
    });
  });

  test('curated bucket carries the meshkit:product metadata; no replication', () => {
    t.hasResource('AWS::S3::Bucket', {
      Metadata: {
        [PRODUCT_METADATA_KEY]: {
          domain: 'sales',
          product: 'orders',
          classification: 'restricted',
          criticality: 'medium',
          zone: 'curated',
        },
      },
      Properties: {
        LoggingConfiguration: { LogFilePrefix: 'sales/orders/curated/' },
        ReplicationConfiguration: Match.absent(),
      },
    });
    assert.equal(
      Object.keys(t.findResources('AWS::S3::Bucket', { Metadata: { [PRODUCT_METADATA_KEY]: Match.anyValue() } }))
        .length,
      1,
    );
  });

  test('output table <product>_v<major>: contract columns, partition keys, Parquet, parameters, location in curated', () => {
    const glue = toGlueColumns(ordersContract());
    t.hasResourceProperties('AWS::Glue::Table', {
      CatalogId: ACCOUNT,
      DatabaseName: 'sales',
      TableInput: {
        Name: 'orders_v2',
        TableType: 'EXTERNAL_TABLE',
        Parameters: {
          classification: 'parquet',
          'meshkit:contract-id': 'sales-orders',
          'meshkit:contract-version': '2.3.1',
          'meshkit:owner': 'team-sales',
          'meshkit:classification': 'restricted',
        },
        PartitionKeys: [{ Name: 'order_date', Type: 'date' }],
        StorageDescriptor: {
          Columns: glue.columns.map((c) =>
            c.comment === undefined
              ? { Name: c.name, Type: c.type }
              : { Name: c.name, Type: c.type, Comment: c.comment },
          ),
          InputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
          OutputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
          SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
          Location: { 'Fn::Join': ['', ['s3://', { Ref: Match.stringLikeRegexp('CuratedZone') }, '/orders_v2/']] },
        },
      },
    });
    // customerEmail → customer_email, decimal and varchar physical types kept.
    t.hasResourceProperties('AWS::Glue::Table', {
      TableInput: {
        StorageDescriptor: {
          Columns: Match.arrayWith([
            Match.objectLike({ Name: 'order_id', Type: 'varchar(36)' }),
            Match.objectLike({ Name: 'customer_email', Type: 'string' }),
            Match.objectLike({ Name: 'amount', Type: 'decimal(12,2)' }),
          ]),
        },
      },
    });
    t.resourceCountIs('AWS::Glue::Table', 1);
  });

  test('DQ ruleset: compiled DQDL, name <domain>-<product>-v<major>-dq, targets the table', () => {
    const dqdl = toDqdl(compileQuality(ordersContract()));
    assert.equal(product.dqdl, dqdl);
    assert.match(dqdl, /IsComplete "order_id"/);
    t.hasResourceProperties('AWS::Glue::DataQualityRuleset', {
      Name: 'sales-orders-v2-dq',
      Ruleset: dqdl,
      TargetTable: { DatabaseName: 'sales', TableName: 'orders_v2' },
    });
    const [, rs] = Object.entries(t.findResources('AWS::Glue::DataQualityRuleset'))[0]!;
    const [tableId] = Object.keys(t.findResources('AWS::Glue::Table'));
    assert.ok((rs.DependsOn as string[]).includes(tableId!));
  });

  test('Glue job: 5.0 PySpark, asset script, security configuration, bookmarks, metrics, continuous logs, timeout, retries, ruleset name', () => {
    t.hasResourceProperties('AWS::Glue::Job', {
      Name: 'sales-orders-v2',
      GlueVersion: '5.0',
      Command: { Name: 'glueetl', PythonVersion: '3', ScriptLocation: Match.stringLikeRegexp('^s3://cdk-.*\\.py$') },
      SecurityConfiguration: 'sales-glue',
      Timeout: 60,
      MaxRetries: 1,
      WorkerType: 'G.1X',
      NumberOfWorkers: 2,
      ExecutionProperty: { MaxConcurrentRuns: 1 },
      DefaultArguments: Match.objectLike({
        '--job-bookmark-option': 'job-bookmark-enable',
        '--enable-metrics': 'true',
        '--enable-continuous-cloudwatch-log': 'true',
        '--enable-glue-datacatalog': 'true',
        '--dq-ruleset-name': 'sales-orders-v2-dq',
        '--database-name': 'sales',
        '--table-name': 'orders_v2',
        '--raw-format': 'csv', // product.yaml ingestion.format, csv by default for batch
        '--raw-path': { 'Fn::Join': ['', ['s3://', { Ref: Match.stringLikeRegexp('RawZone') }, '/landing/']] },
      }),
    });
    const [, job] = Object.entries(t.findResources('AWS::Glue::Job'))[0]!;
    assert.equal(
      (job.Properties.DefaultArguments as Record<string, unknown>)['--dq-ruleset'],
      undefined,
      '--dq-ruleset is opt-in',
    );
  });

  test('job role: no wildcard actions; data actions scoped to the product buckets, key, tables and ruleset', () => {
    const policies = t.findResources('AWS::IAM::Policy');
    for (const [id, p] of Object.entries(policies)) {
      for (const s of p.Properties.PolicyDocument.Statement as Array<{
        Action: string | string[];
        Resource: unknown;
        Sid?: string;
      }>) {
        const actions = ([] as string[]).concat(s.Action);
        assert.ok(
          actions.every((a) => !a.includes('*')),
          `${id}: wildcard action ${actions}`,
        );
        const resources = ([] as unknown[]).concat(s.Resource);
        if (resources.includes('*')) {
          assert.ok(
            actions.every((a) => a === 'cloudwatch:PutMetricData' || a === 'lakeformation:GetDataAccess'),
            `${id}/${s.Sid}: '*' only for actions without resource-level permissions`,
          );
        }
      }
    }
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'WriteCurated',
            Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
            Resource: {
              'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.stringLikeRegexp('CuratedZone'), 'Arn'] }, '/orders_v2/*']],
            },
          }),
          Match.objectLike({
            Sid: 'UseDomainKey',
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('DomainKey'), 'Arn'] },
          }),
          Match.objectLike({
            Sid: 'DataQuality',
            Resource: {
              'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':dataQualityRuleset/sales-orders-v2-dq$')])],
            },
          }),
          Match.objectLike({
            Sid: 'Metrics',
            Resource: '*',
            Condition: { StringEquals: { 'cloudwatch:namespace': ['Glue', 'Meshkit'] } },
          }),
        ]),
      },
    });
  });

  test('batch ingestion: S3 Object Created under landing/ → rule → Glue workflow → EVENT trigger → job; no schedule', () => {
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.s3'],
        'detail-type': ['Object Created'],
        detail: {
          bucket: { name: [{ Ref: Match.stringLikeRegexp('RawZone') }] },
          object: { key: [{ prefix: 'landing/' }] },
        },
      },
      Targets: [
        {
          Arn: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':workflow/sales-orders-ingest$')])] },
          RoleArn: Match.anyValue(),
          Id: Match.anyValue(),
        },
      ],
    });
    t.hasResourceProperties('AWS::Glue::Workflow', { Name: 'sales-orders-ingest' });
    t.hasResourceProperties('AWS::Glue::Trigger', {
      Type: 'EVENT',
      WorkflowName: 'sales-orders-ingest',
      Actions: [{ JobName: 'sales-orders-v2' }],
      EventBatchingCondition: { BatchSize: 100, BatchWindow: 300 },
    });
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          Match.objectLike({
            Action: 'glue:NotifyEvent',
            Resource: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':workflow/sales-orders-ingest$')])] },
          }),
        ],
      },
    });
    t.resourceCountIs('AWS::Glue::Trigger', 1);
    t.resourceCountIs('AWS::Kinesis::Stream', 0);
    t.resourceCountIs('AWS::KinesisFirehose::DeliveryStream', 0);
  });

  test('Lake Formation: table tagged domain + classification, restricted column tagged, job role granted, no consumers', () => {
    t.hasResourceProperties('AWS::LakeFormation::TagAssociation', {
      Resource: { Table: { CatalogId: ACCOUNT, DatabaseName: 'sales', Name: 'orders_v2' } },
      LFTags: [
        { CatalogId: ACCOUNT, TagKey: 'domain', TagValues: ['sales'] },
        { CatalogId: ACCOUNT, TagKey: 'classification', TagValues: ['restricted'] },
      ],
    });
    t.hasResourceProperties('AWS::LakeFormation::TagAssociation', {
      Resource: {
        TableWithColumns: {
          CatalogId: ACCOUNT,
          DatabaseName: 'sales',
          Name: 'orders_v2',
          ColumnNames: ['customer_email'],
        },
      },
      LFTags: [{ CatalogId: ACCOUNT, TagKey: 'classification', TagValues: ['restricted'] }],
    });
    t.resourceCountIs('AWS::LakeFormation::PrincipalPermissions', 1);
    t.hasResourceProperties('AWS::LakeFormation::PrincipalPermissions', {
      Principal: { DataLakePrincipalIdentifier: { 'Fn::GetAtt': [Match.stringLikeRegexp('JobRole'), 'Arn'] } },
      Resource: { Table: { CatalogId: ACCOUNT, DatabaseName: 'sales', Name: 'orders_v2' } },
      PermissionsWithGrantOption: [],
    });
  });

  test('alarms: encrypted SSL-only topic, job failure and DQ failure rules, freshness from the SLA (frequency + latency = 30 h), dashboard', () => {
    t.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('DomainKey'), 'Arn'] },
    });
    t.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    t.resourceCountIs('AWS::SNS::Subscription', 0);
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.glue'],
        'detail-type': ['Glue Job State Change'],
        detail: { jobName: ['sales-orders-v2'], state: ['FAILED', 'TIMEOUT', 'ERROR'] },
      },
      Targets: [Match.objectLike({ Arn: { Ref: Match.stringLikeRegexp('AlarmsTopic') } })],
    });
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.glue-dataquality'],
        'detail-type': ['Data Quality Evaluation Results Available'],
        detail: Match.objectLike({ state: ['FAILED'] }),
      },
      Targets: [Match.objectLike({ Arn: { Ref: Match.stringLikeRegexp('AlarmsTopic') } })],
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'Meshkit',
      MetricName: 'SuccessfulRuns',
      Statistic: 'Sum',
      Period: 3600,
      Dimensions: [
        { Name: 'Domain', Value: 'sales' },
        { Name: 'Product', Value: 'orders' },
      ],
      EvaluationPeriods: 30,
      DatapointsToAlarm: 30,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('AlarmsTopic') }],
    });
    t.resourceCountIs('AWS::CloudWatch::Alarm', 1);
    t.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'sales-orders' });
  });
});
