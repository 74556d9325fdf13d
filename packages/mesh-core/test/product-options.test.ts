// DataProduct, custom options and invalid input.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Duration, RemovalPolicy, aws_kms as kms, aws_s3 as s3 } from 'aws-cdk-lib';
import { Template, Match } from 'aws-cdk-lib/assertions';
import { MeshError, toDqdl, compileQuality } from '@meshkit/contracts';
import { MAX_TRANSFORM_SQL_BYTES } from '../src/constructs/product-glue-job.js';
import {
  DataProduct,
  columnClassifications,
  productClassification,
  type DataProductProps,
} from '../src/constructs/data-product.js';
import { glueSchedule } from '../src/constructs/product-schedule-trigger.js';
import { freshnessWindow } from '../src/constructs/product-alarms.js';
import { lifecyclePolicy } from '../src/constructs/product-lifecycle.js';
import {
  ACCOUNT,
  batchManifest,
  clickstreamContract,
  domainStack,
  ordersContract,
  streamManifest,
} from './product-fixtures.js';

const REPLICA_BUCKET_ARN = 'arn:aws:s3:::sales-orders-replica-eu-central-1';
const REPLICA_KEY_ARN = `arn:aws:kms:eu-central-1:${ACCOUNT}:key/11111111-2222-3333-4444-555555555555`;

function build(props: Partial<DataProductProps> & { withReplica?: boolean } = {}) {
  const { stack, domain } = domainStack();
  const { withReplica, ...rest } = props;
  const replica = withReplica
    ? {
        replicaRegion: 'eu-central-1',
        replicaBucket: s3.Bucket.fromBucketArn(stack, 'ReplicaBucket', REPLICA_BUCKET_ARN),
        replicaKey: kms.Key.fromKeyArn(stack, 'ReplicaKey', REPLICA_KEY_ARN),
      }
    : {};
  const product = new DataProduct(stack, 'P', {
    domain,
    manifest: batchManifest(),
    contract: ordersContract(),
    ...replica,
    ...rest,
  });
  return { product, t: Template.fromStack(stack), stack };
}

const isMeshError = (re: RegExp) => (e: unknown) => e instanceof MeshError && re.test(e.message);

describe('DataProduct (custom options)', () => {
  test('stream schedule: exactly one trigger, SCHEDULED with the cron expression (no landing EVENT trigger)', () => {
    const { t } = build({
      manifest: streamManifest({ ingestion: { mode: 'stream', schedule: 'cron(0 2 * * ? *)' } }),
      contract: clickstreamContract(),
    });
    t.hasResourceProperties('AWS::Glue::Trigger', {
      Type: 'SCHEDULED',
      Schedule: 'cron(0 2 * * ? *)',
      StartOnCreation: true,
      Actions: [{ JobName: 'sales-clickstream-v1' }],
    });
    t.resourceCountIs('AWS::Glue::Trigger', 1);
    t.resourceCountIs('AWS::Glue::Workflow', 0);
  });

  test('stream without schedule: the job runs hourly (the default)', () => {
    const { t } = build({ manifest: streamManifest(), contract: clickstreamContract() });
    t.hasResourceProperties('AWS::Glue::Trigger', {
      Type: 'SCHEDULED',
      Schedule: 'cron(0 * * * ? *)',
      Actions: [{ JobName: 'sales-clickstream-v1' }],
    });
    t.resourceCountIs('AWS::Glue::Trigger', 1);
  });

  test('batch: exactly one trigger, the landing EVENT trigger of the workflow', () => {
    const { t } = build();
    t.hasResourceProperties('AWS::Glue::Trigger', { Type: 'EVENT', Actions: [{ JobName: 'sales-orders-v2' }] });
    t.resourceCountIs('AWS::Glue::Trigger', 1);
  });

  test('schedule: rate(...) becomes the equivalent cron; unconvertible or malformed schedules are refused', () => {
    assert.equal(glueSchedule('rate(1 hour)'), 'cron(0 * * * ? *)');
    assert.equal(glueSchedule('rate(15 minutes)'), 'cron(0/15 * * * ? *)');
    assert.equal(glueSchedule('rate(6 hours)'), 'cron(0 0/6 * * ? *)');
    assert.equal(glueSchedule('rate(1 day)'), 'cron(0 0 * * ? *)');
    assert.equal(glueSchedule('cron(0  2 * * ? *)'), 'cron(0 2 * * ? *)');
    assert.equal(glueSchedule('rate(5 minutes)'), 'cron(0/5 * * * ? *)');
    assert.equal(glueSchedule('cron(0,30 * * * ? *)'), 'cron(0,30 * * * ? *)');
    // Glue triggers run at most every 5 minutes.
    for (const fast of [
      'rate(1 minute)',
      'rate(2 minutes)',
      'cron(* * * * ? *)',
      'cron(0/2 * * * ? *)',
      'cron(0,3 * * * ? *)',
      'cron(10-20 * * * ? *)',
    ]) {
      assert.throws(
        () => glueSchedule(fast),
        isMeshError(/ingestion\.schedule .*(more often than every 5 minutes|at least 5)/),
        fast,
      );
    }
    for (const bad of ['rate(7 minutes)', 'rate(5 hours)', 'rate(2 days)', 'cron(0 2 * * ?)', 'every day']) {
      assert.throws(() => glueSchedule(bad), isMeshError(/ingestion\.schedule/), bad);
    }
    assert.throws(
      () =>
        build({
          manifest: streamManifest({ ingestion: { mode: 'stream', schedule: 'rate(2 days)' } }),
          contract: clickstreamContract(),
        }),
      isMeshError(/ingestion\.schedule/),
    );
  });

  test('manifest classification and retention select the lifecycle row; tags and metadata follow the classification', () => {
    const { t, product } = build({ manifest: batchManifest({ classification: 'public', retentionDays: 200 }) });
    assert.equal(product.classification, 'public');
    for (const zone of ['raw', 'curated'] as const) {
      const p = lifecyclePolicy(zone, 'public', 200);
      t.hasResourceProperties('AWS::S3::Bucket', {
        LoggingConfiguration: { LogFilePrefix: `sales/orders/${zone}/` },
        LifecycleConfiguration: {
          Rules: [
            Match.objectLike({
              ExpirationInDays: 200,
              NoncurrentVersionExpiration: { NoncurrentDays: 30 },
              Transitions: p.transitions.map((x) => ({ StorageClass: x.storageClass, TransitionInDays: x.afterDays })),
            }),
          ],
        },
      });
    }
    t.hasResourceProperties('AWS::Glue::Table', {
      TableInput: { Parameters: Match.objectLike({ 'meshkit:classification': 'public' }) },
    });
    t.hasResourceProperties('AWS::LakeFormation::TagAssociation', {
      Resource: { Table: Match.anyValue() },
      LFTags: Match.arrayWith([Match.objectLike({ TagKey: 'classification', TagValues: ['public'] })]),
    });
  });

  test('restricted and more-sensitive columns get their own classification tag; never a lower one', () => {
    const contract = ordersContract();
    contract.schema![0]!.properties![2]!.classification = 'Confidential'; // amount
    const { t } = build({ manifest: batchManifest({ classification: 'internal' }), contract });
    t.hasResourceProperties('AWS::LakeFormation::TagAssociation', {
      Resource: { TableWithColumns: Match.objectLike({ ColumnNames: ['customer_email'] }) },
      LFTags: [Match.objectLike({ TagKey: 'classification', TagValues: ['restricted'] })],
    });
    t.hasResourceProperties('AWS::LakeFormation::TagAssociation', {
      Resource: { TableWithColumns: Match.objectLike({ ColumnNames: ['amount'] }) },
      LFTags: [Match.objectLike({ TagKey: 'classification', TagValues: ['confidential'] })],
    });
    t.resourceCountIs('AWS::LakeFormation::TagAssociation', 3);
    assert.deepEqual(
      columnClassifications(
        [
          { name: 'a', classification: 'public' },
          { name: 'b', classification: 'restricted' },
          { name: 'c', classification: 'secret' },
        ],
        'restricted',
      ),
      { restricted: ['b'] },
    );
  });

  test('critical product with a replica: curated zone replicates SSE-KMS objects to the replica key; least-privilege role', () => {
    const { t, product } = build({ manifest: batchManifest({ criticality: 'critical' }), withReplica: true });
    assert.equal(product.replication?.region, 'eu-central-1');
    t.hasResource('AWS::S3::Bucket', {
      Metadata: Match.objectLike({ 'meshkit:product': Match.objectLike({ criticality: 'critical' }) }),
      Properties: Match.objectLike({
        ReplicationConfiguration: {
          Role: { 'Fn::GetAtt': [Match.stringLikeRegexp('ReplicationRole'), 'Arn'] },
          Rules: [
            {
              Id: 'meshkit-replica',
              Status: 'Enabled',
              Priority: 1,
              Filter: { Prefix: '' },
              DeleteMarkerReplication: { Status: 'Enabled' },
              SourceSelectionCriteria: { SseKmsEncryptedObjects: { Status: 'Enabled' } },
              Destination: {
                Bucket: REPLICA_BUCKET_ARN,
                EncryptionConfiguration: { ReplicaKmsKeyID: REPLICA_KEY_ARN },
              },
            },
          ],
        },
      }),
    });
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'ReplicaObjects',
            Action: ['s3:ReplicateObject', 's3:ReplicateDelete', 's3:ReplicateTags'],
            Resource: `${REPLICA_BUCKET_ARN}/*`,
          }),
          Match.objectLike({
            Sid: 'EncryptReplica',
            Action: ['kms:Encrypt', 'kms:GenerateDataKey'],
            Resource: REPLICA_KEY_ARN,
          }),
        ]),
      },
    });
    // Only the curated zone replicates.
    assert.equal(
      Object.keys(t.findResources('AWS::S3::Bucket', { Properties: { ReplicationConfiguration: Match.anyValue() } }))
        .length,
      1,
    );
  });

  test('job options: timeout, retries, --dq-ruleset text, script from <productDir>/glue/job.py', () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshkit-product-'));
    mkdirSync(join(dir, 'glue'));
    writeFileSync(join(dir, 'glue', 'job.py'), '# product job\nprint("hello")\n');
    const { t, product } = build({
      productDir: dir,
      jobTimeout: Duration.minutes(30),
      jobMaxRetries: 0,
      passRulesetToJob: true,
    });
    const defaults = build();
    t.hasResourceProperties('AWS::Glue::Job', {
      Timeout: 30,
      MaxRetries: 0,
      DefaultArguments: Match.objectLike({
        '--dq-ruleset': toDqdl(compileQuality(ordersContract())),
        '--dq-ruleset-name': 'sales-orders-v2-dq',
      }),
    });
    const script = (tpl: Template) =>
      Object.values(tpl.findResources('AWS::Glue::Job'))[0]!.Properties.Command.ScriptLocation as string;
    assert.notEqual(script(t), script(defaults.t));
    assert.equal(product.job.script.assetPath.length > 0, true);
    // A product folder without glue/job.py falls back to the default script.
    const empty = build({ productDir: mkdtempSync(join(tmpdir(), 'meshkit-product-')) });
    assert.equal(script(empty.t), script(defaults.t));
  });

  test('transform: <productDir>/transform.sql is passed as --transform-sql; absent without the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshkit-product-'));
    const sql = "-- orders\nSELECT order_id, CAST(amount AS DECIMAL(12, 2)) AS amount FROM raw WHERE note <> 'x'\n";
    writeFileSync(join(dir, 'transform.sql'), sql);
    const args = (tpl: Template) =>
      Object.values(tpl.findResources('AWS::Glue::Job'))[0]!.Properties.DefaultArguments as Record<string, unknown>;
    assert.equal(args(build({ productDir: dir }).t)['--transform-sql'], sql);
    assert.equal(
      args(build({ productDir: mkdtempSync(join(tmpdir(), 'meshkit-product-')) }).t)['--transform-sql'],
      undefined,
    );
    assert.equal(args(build().t)['--transform-sql'], undefined);
    assert.equal(args(build().t)['--consumed-tables'], undefined);
  });

  test('transform: a transform.sql over MAX_TRANSFORM_SQL_BYTES is a MeshError naming the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshkit-product-'));
    const file = join(dir, 'transform.sql');
    writeFileSync(file, `SELECT * FROM raw\n${'-- padding\n'.repeat(Math.ceil(MAX_TRANSFORM_SQL_BYTES / 11))}`);
    assert.throws(
      () => build({ productDir: dir }),
      (e: unknown) =>
        e instanceof MeshError && e.code === 'FILE_TOO_LARGE' && e.file === file && e.message.includes(file),
    );
    writeFileSync(file, 'x'.repeat(MAX_TRANSFORM_SQL_BYTES));
    assert.doesNotThrow(() => build({ productDir: dir }));
  });

  test('consumes: --consumed-tables names each producer output table and the role may read its catalog entry', () => {
    const { t } = build({
      manifest: batchManifest({
        consumes: [
          { product: 'web-shop/page-views', version: '^3.1.0' },
          { product: 'sales/customers', version: '~1.0' },
        ],
      }),
    });
    t.hasResourceProperties('AWS::Glue::Job', {
      DefaultArguments: Match.objectLike({
        '--consumed-tables': 'web_shop_page_views=web_shop.page_views_v3,sales_customers=sales.customers_v1',
      }),
    });
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'ReadConsumedCatalog',
            Action: [
              'glue:GetDatabase',
              'glue:GetTable',
              'glue:GetPartition',
              'glue:GetPartitions',
              'glue:BatchGetPartition',
            ],
          }),
        ]),
      },
    });
    const policy = JSON.stringify(t.findResources('AWS::IAM::Policy'));
    assert.match(policy, /table\/web_shop\/page_views_v3/);
    assert.match(policy, /table\/sales\/customers_v1/);
    assert.throws(
      () => build({ manifest: batchManifest({ consumes: [{ product: 'sales/customers', version: '*' }] }) }),
      isMeshError(/consumes 'sales\/customers' at '\*'/),
    );
  });

  test('alarm e-mail subscription, removal policy, organisation, shards, output object', () => {
    const { t } = build({
      alarmEmail: 'data-oncall@example.com',
      removalPolicy: RemovalPolicy.DESTROY,
      organisation: 'Acme Corp',
    });
    t.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'data-oncall@example.com' });
    t.hasResource('AWS::S3::Bucket', {
      Properties: { LoggingConfiguration: { LogFilePrefix: 'sales/orders/raw/' } },
      DeletionPolicy: 'Delete',
    });
    t.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('^acme-corp-sales-orders-')])] },
    });
    t.hasResourceProperties('AWS::Glue::Table', {
      TableInput: { Parameters: Match.objectLike({ 'meshkit:organisation': 'Acme Corp' }) },
    });

    const { stack, domain } = domainStack();
    const p = new DataProduct(stack, 'S', {
      domain,
      manifest: streamManifest({ ingestion: { mode: 'stream', shards: 4 } }),
      contract: clickstreamContract(),
      outputObject: 'sessions',
    });
    const s = Template.fromStack(stack);
    assert.equal(p.outputObject, 'sessions');
    s.hasResourceProperties('AWS::Kinesis::Stream', { ShardCount: 4 });
    s.hasResourceProperties('AWS::Glue::Table', {
      TableInput: {
        Name: 'clickstream_v1',
        StorageDescriptor: Match.objectLike({ Columns: [{ Name: 'session_id', Type: 'string' }] }),
      },
    });
  });

  test('freshness window from the contract SLA', () => {
    assert.equal(freshnessWindow(clickstreamContract()).toHours(), 24);
    assert.equal(freshnessWindow(ordersContract()).toHours(), 30);
    assert.equal(
      freshnessWindow(ordersContract({ slaProperties: [{ property: 'latency', value: 90, unit: 'min' }] })).toHours(),
      2,
    );
    assert.equal(
      freshnessWindow(ordersContract({ slaProperties: [{ property: 'frequency', value: 30, unit: 'd' }] })).toHours(),
      168,
    );
    const { t } = build({ freshnessWindow: Duration.hours(6) });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'SuccessfulRuns',
      EvaluationPeriods: 6,
      DatapointsToAlarm: 6,
    });
  });

  test('classification resolution: manifest, else most sensitive in the contract (nested too), else internal', () => {
    assert.equal(productClassification(batchManifest({ classification: 'public' }), ordersContract()), 'public');
    assert.equal(productClassification(batchManifest(), ordersContract()), 'restricted');
    assert.equal(productClassification(batchManifest(), clickstreamContract()), 'internal');
    const nested = clickstreamContract({
      schema: [
        {
          name: 'x',
          properties: [
            { name: 'p', logicalType: 'object', properties: [{ name: 'q', classification: 'CONFIDENTIAL' }] },
          ],
        },
      ],
    });
    assert.equal(productClassification(batchManifest(), nested), 'confidential');
  });
});

describe('DataProduct (invalid input)', () => {
  test('critical without a replica target → MeshError naming the missing settings', () => {
    assert.throws(
      () => build({ manifest: batchManifest({ criticality: 'critical' }) }),
      isMeshError(/critical.*replicaRegion.*replicaBucket.*replicaKey/),
    );
    const { stack, domain } = domainStack();
    assert.throws(
      () =>
        new DataProduct(stack, 'P', {
          domain,
          manifest: batchManifest({ criticality: 'critical' }),
          contract: ordersContract(),
          replicaRegion: 'eu-central-1',
        }),
      (e: unknown) =>
        e instanceof MeshError &&
        e.code === 'INVALID_CONFIG' &&
        !/replicaRegion/.test(e.message) &&
        /replicaBucket, replicaKey/.test(e.message),
    );
  });

  test('replica in the product region → MeshError', () => {
    const { stack, domain } = domainStack();
    assert.throws(
      () =>
        new DataProduct(stack, 'P', {
          domain,
          manifest: batchManifest({ criticality: 'critical' }),
          contract: ordersContract(),
          replicaRegion: 'eu-west-1',
          replicaBucket: s3.Bucket.fromBucketArn(stack, 'RB', REPLICA_BUCKET_ARN),
          replicaKey: kms.Key.fromKeyArn(stack, 'RK', REPLICA_KEY_ARN),
        }),
      isMeshError(/replicaRegion must differ/),
    );
  });

  test('contract without schema objects → MeshError INVALID_CONTRACT', () => {
    for (const schema of [undefined, []]) {
      assert.throws(
        () => build({ contract: ordersContract({ schema }) }),
        (e: unknown) => e instanceof MeshError && e.code === 'INVALID_CONTRACT' && /no schema object/.test(e.message),
      );
    }
  });

  test('contract version that is not semver, unknown output object, manifest of another domain, bad numbers', () => {
    assert.throws(() => build({ contract: ordersContract({ version: 'one' }) }), isMeshError(/not a semantic version/));
    assert.throws(() => build({ outputObject: 'nope' }), isMeshError(/no schema object 'nope'/));
    assert.throws(() => build({ manifest: batchManifest({ domain: 'billing' }) }), isMeshError(/does not match/));
    assert.throws(() => build({ manifest: batchManifest({ retentionDays: 0 }) }), isMeshError(/retentionDays/));
    assert.throws(() => build({ jobTimeout: Duration.minutes(5000) }), isMeshError(/timeout/));
    assert.throws(() => build({ alarmEmail: 'not-an-email' }), isMeshError(/alarmEmail/));
    const { stack, domain } = domainStack();
    assert.throws(
      () =>
        new DataProduct(stack, 'S', {
          domain,
          manifest: streamManifest({ ingestion: { mode: 'stream', shards: 0 } }),
          contract: clickstreamContract(),
        }),
      isMeshError(/shards/),
    );
  });
});
