// The mesh as `mesh synth` wires it: landing format → job reader, one trigger per job, consumes →
// Lake Formation grants on the resolved served major (column-level when columns are given), the
// producers' curated zones registered with Lake Formation, and critical products replicating to
// the replica stack of mesh.config.yaml's replica region — all from the manifests, no props.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { MeshError, PRODUCT_INTENT_METADATA_KEY } from '@meshkit/contracts';
import { buildMeshApp, loadMesh, REPLICA_KEY_ALIAS, replicaStackName } from '../src/index.js';
import { demoMeshCopy, editFile } from './demo-mesh.js';

/** A copy of the demo mesh, edited by `edit(root)`. */
const demoCopy = (edit?: (root: string) => void): string => demoMeshCopy('mesh-wiring-', edit);
const productYaml = (root: string, d: string, p: string) => join(root, 'domains', d, 'products', p, 'product.yaml');

function synth(root: string, env?: { name: string; account: string; region: string }) {
  const built = buildMeshApp({
    mesh: loadMesh(root),
    outdir: mkdtempSync(join(tmpdir(), 'mesh-wiring-out-')),
    policies: 'off',
    ...(env ? { environment: { account: env.account, region: env.region }, environmentName: env.name } : {}),
  });
  const stack = (name: string) => built.app.node.findChild(name) as Stack;
  return { ...built, template: (name: string) => Template.fromStack(stack(name)) };
}

describe('mesh wiring over the demo mesh', () => {
  const root = demoCopy((r) =>
    editFile(productYaml(r, 'marketing', 'campaign-performance'), (s) =>
      s.replace('    version: ^1.1.0', '    version: ^1.1.0\n    columns: [record_id, amount, record_date]'),
    ),
  );
  const { template, stacks } = synth(root);
  const consumer = template('mesh-marketing-campaign-performance');
  const producer = template('mesh-sales-orders');
  const stream = template('mesh-sales-clickstream');

  test('batch job reads the landing format (csv), stream job reads Firehose Parquet', () => {
    consumer.hasResourceProperties('AWS::Glue::Job', { DefaultArguments: Match.objectLike({ '--raw-format': 'csv' }) });
    producer.hasResourceProperties('AWS::Glue::Job', { DefaultArguments: Match.objectLike({ '--raw-format': 'csv' }) });
    stream.hasResourceProperties('AWS::Glue::Job', {
      DefaultArguments: Match.objectLike({ '--raw-format': 'parquet' }),
    });
  });

  test('every job has exactly one trigger: landing EVENT (batch) or the schedule (stream)', () => {
    for (const t of [consumer, producer]) {
      t.resourceCountIs('AWS::Glue::Trigger', 1);
      t.hasResourceProperties('AWS::Glue::Trigger', { Type: 'EVENT' });
    }
    stream.resourceCountIs('AWS::Glue::Trigger', 1);
    stream.hasResourceProperties('AWS::Glue::Trigger', { Type: 'SCHEDULED', Schedule: 'cron(0 * * * ? *)' });
  });

  test('consumes with columns → a column-level SELECT grant on the resolved major, to the consumer job role, no grant option', () => {
    consumer.hasResourceProperties('AWS::LakeFormation::PrincipalPermissions', {
      Principal: { DataLakePrincipalIdentifier: { 'Fn::GetAtt': [Match.stringLikeRegexp('ProductJobRole'), 'Arn'] } },
      Resource: {
        TableWithColumns: {
          CatalogId: { Ref: 'AWS::AccountId' },
          DatabaseName: 'sales',
          Name: 'orders_v1',
          ColumnNames: ['record_id', 'amount', 'record_date'],
        },
      },
      Permissions: ['SELECT'],
      PermissionsWithGrantOption: [],
    });
    // Column-level grants are enforced by Glue 5.0 fine-grained access control.
    consumer.hasResourceProperties('AWS::Glue::Job', {
      NumberOfWorkers: 4,
      DefaultArguments: Match.objectLike({
        '--enable-lakeformation-fine-grained-access': 'true',
        '--consumed-tables': 'sales_orders=sales.orders_v1',
      }),
    });
  });

  test('each product registers its curated zone with Lake Formation through a role of its own (read/write on that bucket only, as a registration role must)', () => {
    producer.hasResourceProperties('AWS::LakeFormation::Resource', {
      ResourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('ProductCuratedZoneBucket'), 'Arn'] },
      UseServiceLinkedRole: false,
      RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('ProductDataLocationRole'), 'Arn'] },
      HybridAccessEnabled: false,
    });
    producer.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Principal: { Service: 'lakeformation.amazonaws.com' } })],
      },
    });
    const policy = Object.values(producer.findResources('AWS::IAM::Policy')).find((r) =>
      JSON.stringify(r).includes('ReadWriteLocation'),
    );
    assert.ok(policy, 'registration role policy');
    const doc = JSON.stringify((policy as { Properties: { PolicyDocument: unknown } }).Properties.PolicyDocument);
    assert.match(doc, /ProductCuratedZoneBucket/);
    assert.doesNotMatch(doc, /RawZone/, 'the raw zone is not registered');
  });

  test('the platform account allows Full Table Access (whole-table consumers) and version-4 cross-account shares', () => {
    template('mesh-platform').hasResourceProperties('AWS::LakeFormation::DataLakeSettings', {
      AllowFullTableExternalDataAccess: true,
      Parameters: { CROSS_ACCOUNT_VERSION: '4' },
    });
  });

  test('the stack states its intent in the template metadata (read by mesh verify)', () => {
    const meta = consumer.toJSON().Metadata?.[PRODUCT_INTENT_METADATA_KEY];
    assert.equal(meta.landingFormat, 'csv');
    assert.deepEqual(meta.consumes, [
      {
        product: 'sales/orders',
        range: '^1.1.0',
        major: 1,
        databaseName: 'sales',
        tableName: 'orders_v1',
        columns: ['record_id', 'amount', 'record_date'],
      },
    ]);
  });

  test('no replica stack while no product is critical', () => {
    assert.ok(!stacks.some((s) => s.kind === 'replica'));
  });
});

describe('mesh wiring: formats, ranges, replication', () => {
  test('ingestion.format jsonl drives the batch job reader', () => {
    const root = demoCopy((r) =>
      editFile(productYaml(r, 'sales', 'orders'), (s) => s.replace('format: csv', 'format: jsonl')),
    );
    synth(root)
      .template('mesh-sales-orders')
      .hasResourceProperties('AWS::Glue::Job', { DefaultArguments: Match.objectLike({ '--raw-format': 'jsonl' }) });
  });

  test('consumes without columns → SELECT + DESCRIBE on the whole table; the range resolves to the highest served major', () => {
    const root = demoCopy((r) =>
      editFile(productYaml(r, 'marketing', 'campaign-performance'), (s) =>
        s.replace('version: ^1.1.0', 'version: ">=1.0.0"'),
      ),
    );
    synth(root)
      .template('mesh-marketing-campaign-performance')
      .hasResourceProperties('AWS::LakeFormation::PrincipalPermissions', {
        Resource: { Table: { CatalogId: { Ref: 'AWS::AccountId' }, DatabaseName: 'sales', Name: 'orders_v1' } },
        Permissions: ['SELECT', 'DESCRIBE'],
      });
  });

  test('a range the producer does not serve is refused at synth, naming what it serves', () => {
    const root = demoCopy((r) =>
      editFile(productYaml(r, 'marketing', 'campaign-performance'), (s) =>
        s.replace('version: ^1.1.0', 'version: ^7.0.0'),
      ),
    );
    assert.throws(
      () => synth(root),
      (e: unknown) =>
        e instanceof MeshError &&
        e.exitCode === 2 &&
        /consumes sales\/orders at '\^7\.0\.0'.*serves 1\.\d+\.\d+/.test(e.message) &&
        e.file?.endsWith('product.yaml') === true,
    );
  });

  test('a batch product with a schedule is refused with the position of ingestion.schedule', () => {
    const root = demoCopy((r) =>
      editFile(productYaml(r, 'sales', 'orders'), (s) =>
        s.replace('  format: csv', '  format: csv\n  schedule: cron(0 2 * * ? *)'),
      ),
    );
    assert.throws(
      () => loadMesh(root),
      (e: unknown) =>
        e instanceof MeshError &&
        e.exitCode === 2 &&
        /batch product's job starts when files land/.test(e.message) &&
        (e.line ?? 0) > 1,
    );
  });

  test('critical product + platform.replicaRegion → a replica stack in that region; the product replicates to it by name', () => {
    const root = demoCopy((r) => {
      editFile(productYaml(r, 'sales', 'orders'), (s) => s.replace(/criticality: \w+/, 'criticality: critical'));
      editFile(join(r, 'mesh.config.yaml'), (s) =>
        s.replace('platform:\n', 'platform:\n  replicaRegion: eu-central-1\n'),
      );
    });
    const { template, stacks, app } = synth(root);
    assert.ok(stacks.some((s) => s.kind === 'replica' && s.stackName === replicaStackName('eu-central-1')));
    assert.equal((app.node.findChild(replicaStackName('eu-central-1')) as Stack).region, 'eu-central-1');
    const replica = template(replicaStackName('eu-central-1'));
    replica.hasResourceProperties('AWS::KMS::Alias', { AliasName: REPLICA_KEY_ALIAS });
    replica.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: {
        'Fn::Join': ['', ['example-corp-sales-orders-', { Ref: 'AWS::AccountId' }, '-eu-central-1-replica']],
      },
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          Match.objectLike({ ServerSideEncryptionByDefault: Match.objectLike({ SSEAlgorithm: 'aws:kms' }) }),
        ],
      },
    });
    const orders = template('mesh-sales-orders');
    orders.hasResourceProperties('AWS::S3::Bucket', {
      ReplicationConfiguration: {
        Rules: [
          Match.objectLike({
            Destination: {
              Bucket: {
                'Fn::Join': [
                  '',
                  [
                    'arn:',
                    { Ref: 'AWS::Partition' },
                    ':s3:::example-corp-sales-orders-',
                    { Ref: 'AWS::AccountId' },
                    '-eu-central-1-replica',
                  ],
                ],
              },
              EncryptionConfiguration: {
                ReplicaKmsKeyID: {
                  'Fn::Join': [
                    '',
                    [
                      'arn:',
                      { Ref: 'AWS::Partition' },
                      ':kms:eu-central-1:',
                      { Ref: 'AWS::AccountId' },
                      `:${REPLICA_KEY_ALIAS}`,
                    ],
                  ],
                },
              },
            },
          }),
        ],
      },
    });
  });
});

describe('mesh wiring: producer and consumer in different accounts (domain.yaml accounts)', () => {
  const root = demoCopy((r) => {
    editFile(join(r, 'domains/marketing/domain.yaml'), (s) => `${s}accounts:\n  dev: "444444444444"\n`);
    editFile(productYaml(r, 'marketing', 'campaign-performance'), (s) =>
      s.replace('    version: ^1.1.0', '    version: ^1.1.0\n    columns: [order_id, amount]'),
    );
  });
  const { template, stacks, app } = synth(root, { name: 'dev', account: '111111111111', region: 'eu-west-1' });

  test('each domain deploys to its account; one platform stack per account', () => {
    assert.equal((app.node.findChild('mesh-marketing-campaign-performance') as Stack).account, '444444444444');
    assert.equal((app.node.findChild('mesh-sales-orders') as Stack).account, '111111111111');
    assert.deepEqual(
      stacks
        .filter((s) => s.kind === 'platform')
        .map((s) => s.stackName)
        .sort(),
      ['mesh-platform', 'mesh-platform-444444444444'],
    );
  });

  test('the producer shares the consumed columns with the consumer account, with the grant option', () => {
    template('mesh-sales-orders').hasResourceProperties('AWS::LakeFormation::PrincipalPermissions', {
      Catalog: '111111111111',
      Principal: { DataLakePrincipalIdentifier: '444444444444' },
      Resource: {
        TableWithColumns: {
          CatalogId: '111111111111',
          DatabaseName: 'sales',
          Name: 'orders_v1',
          ColumnNames: ['order_id', 'amount'],
        },
      },
      Permissions: ['SELECT'],
      PermissionsWithGrantOption: ['SELECT'],
    });
  });

  test('the consumer grants its job on the shared table and reads it through a resource link', () => {
    const t = template('mesh-marketing-campaign-performance');
    t.hasResourceProperties('AWS::LakeFormation::PrincipalPermissions', {
      Catalog: '444444444444',
      Resource: {
        TableWithColumns: {
          CatalogId: '111111111111',
          DatabaseName: 'sales',
          Name: 'orders_v1',
          ColumnNames: ['order_id', 'amount'],
        },
      },
      Permissions: ['SELECT'],
    });
    t.hasResourceProperties('AWS::Glue::Table', {
      CatalogId: '444444444444',
      DatabaseName: 'marketing_campaign_performance_shared',
      // Glue 5.0 reads a shared table only through a resource link of the same name.
      TableInput: {
        Name: 'orders_v1',
        TargetTable: { CatalogId: '111111111111', DatabaseName: 'sales', Name: 'orders_v1' },
      },
    });
    t.hasResourceProperties('AWS::Glue::Database', {
      DatabaseInput: Match.objectLike({
        Name: 'marketing_campaign_performance_shared',
        CreateTableDefaultPermissions: [],
      }),
    });
    t.hasResourceProperties('AWS::Glue::Job', {
      DefaultArguments: Match.objectLike({
        '--consumed-tables': 'sales_orders=marketing_campaign_performance_shared.orders_v1',
      }),
    });
    const policy = JSON.stringify(t.findResources('AWS::IAM::Policy'));
    assert.match(policy, /:glue:eu-west-1:111111111111:table\/sales\/orders_v1"/);
  });
});
