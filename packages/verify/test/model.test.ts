// The assembly model on hand-written templates: intrinsics across stacks, dangling references,
// Lake Formation tag expressions with column tags, registered locations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMeshError } from '@meshkit/contracts';
import { AssemblyModel } from '../src/assembly/resolve.js';
import { loadCloudAssembly, type Template } from '../src/assembly/load.js';
import { analyseAccess } from '../src/checks/access.js';
import { checkReferences } from '../src/checks/references.js';
import { buildModel } from '../src/model.js';

function assembly(stacks: Record<string, Template>): string {
  const dir = mkdtempSync(join(tmpdir(), 'verify-model-'));
  const artifacts: Record<string, unknown> = {};
  for (const [name, t] of Object.entries(stacks)) {
    writeFileSync(join(dir, `${name}.template.json`), JSON.stringify(t));
    artifacts[name] = {
      type: 'aws:cloudformation:stack',
      environment: 'aws://unknown-account/unknown-region',
      properties: { templateFile: `${name}.template.json` },
    };
  }
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ version: '48.0.0', artifacts }));
  return dir;
}

test('intrinsics resolve across stacks: Ref, GetAtt, Join, Sub, ImportValue, Select/Split, NoValue', () => {
  const dir = assembly({
    base: {
      Resources: {
        Key: { Type: 'AWS::KMS::Key', Properties: {} },
        Bucket: {
          Type: 'AWS::S3::Bucket',
          Properties: { BucketName: { 'Fn::Join': ['-', ['data', { Ref: 'AWS::AccountId' }]] } },
        },
      },
      Outputs: { K: { Value: { 'Fn::GetAtt': ['Key', 'Arn'] }, Export: { Name: 'base:KeyArn' } } },
    },
    user: {
      Resources: {
        R: { Type: 'AWS::IAM::Role', Properties: {} },
        X: {
          Type: 'Custom::X',
          Properties: {
            key: { 'Fn::ImportValue': 'base:KeyArn' },
            sub: { 'Fn::Sub': ['s3://${B}/${AWS::Region}/${R.Arn}', { B: 'bkt' }] },
            sel: { 'Fn::Select': [1, { 'Fn::Split': [',', 'a,b,c'] }] },
            gone: { Ref: 'AWS::NoValue' },
            missing: { 'Fn::ImportValue': 'nobody:exports' },
          },
        },
      },
    },
  });
  const world = new AssemblyModel(loadCloudAssembly(dir));
  const user = world.byName.get('user')!;
  const p = user.props('X');
  assert.equal(p.key, 'arn:aws:kms:home-region-1:000000000000:key/key-base-Key');
  assert.equal(p.sub, 's3://bkt/home-region-1/arn:aws:iam::000000000000:role/user-R');
  assert.equal(p.sel, 'b');
  assert.ok(!('gone' in p));
  assert.deepEqual(p.missing, { unresolved: 'Fn::ImportValue nobody:exports: no stack of the assembly exports it' });
  assert.equal(world.byName.get('base')!.ref('Bucket'), 'data-000000000000');
  const refs = checkReferences(world);
  assert.deepEqual(
    refs.map((f) => `${f.stack}/${f.logicalId}`),
    ['user/X'],
  );
  assert.match(refs[0]!.message, /Fn::ImportValue nobody:exports: no stack of the assembly exports it/);
});

test('LF-tag expressions: a column tag overrides its table tag; only matching columns are readable', () => {
  const table = (name: string) => ({
    Type: 'AWS::Glue::Table',
    Properties: {
      DatabaseName: 'sales',
      TableInput: {
        Name: name,
        StorageDescriptor: {
          Location: { 'Fn::Join': ['', ['s3://', { Ref: 'Curated' }, `/${name}/`]] },
          Columns: [{ Name: 'id' }, { Name: 'email' }],
        },
      },
    },
  });
  const dir = assembly({
    p: {
      Metadata: {
        'meshkit:product-intent': {
          domain: 'sales',
          product: 'orders',
          mode: 'batch',
          landingFormat: 'csv',
          jobInputFormat: 'csv',
          rawPrefix: 'landing/',
          jobName: 'j',
          databaseName: 'sales',
          tables: ['orders_v1'],
          classification: 'internal',
          restrictedColumns: ['email'],
          consumes: [],
          criticality: 'medium',
        },
      },
      Resources: {
        Curated: {
          Type: 'AWS::S3::Bucket',
          Properties: { BucketName: 'cur' },
          Metadata: { 'meshkit:product': { domain: 'sales', product: 'orders', zone: 'curated' } },
        },
        T: table('orders_v1'),
        Loc: {
          Type: 'AWS::LakeFormation::Resource',
          Properties: { ResourceArn: 'arn:aws:s3:::cur', UseServiceLinkedRole: true },
        },
        TableTags: {
          Type: 'AWS::LakeFormation::TagAssociation',
          Properties: {
            Resource: { Table: { DatabaseName: 'sales', Name: 'orders_v1' } },
            LFTags: [
              { TagKey: 'domain', TagValues: ['sales'] },
              { TagKey: 'classification', TagValues: ['internal'] },
            ],
          },
        },
        ColTags: {
          Type: 'AWS::LakeFormation::TagAssociation',
          Properties: {
            Resource: { TableWithColumns: { DatabaseName: 'sales', Name: 'orders_v1', ColumnNames: ['email'] } },
            LFTags: [{ TagKey: 'classification', TagValues: ['restricted'] }],
          },
        },
        Grant: {
          Type: 'AWS::LakeFormation::PrincipalPermissions',
          Properties: {
            Principal: { DataLakePrincipalIdentifier: 'arn:aws:iam::333333333333:role/analysts' },
            Resource: {
              LFTagPolicy: {
                ResourceType: 'TABLE',
                Expression: [
                  { TagKey: 'domain', TagValues: ['sales'] },
                  { TagKey: 'classification', TagValues: ['public', 'internal'] },
                ],
              },
            },
            Permissions: ['SELECT', 'DESCRIBE'],
            PermissionsWithGrantOption: [],
          },
        },
      },
    },
  });
  const report = analyseAccess(buildModel(loadCloudAssembly(dir)));
  const cell = report.cells.find((c) => c.principal === 'arn:aws:iam::333333333333:role/analysts');
  assert.deepEqual(cell?.read, { orders_v1: ['id'] });
  assert.deepEqual(cell?.via, ['lake-formation']);
  assert.deepEqual(report.findings, []);
});

test('an unregistered location: a grant reads nothing (the consumer is told why)', () => {
  const dir = assembly({
    p: {
      Resources: {
        T: {
          Type: 'AWS::Glue::Table',
          Properties: {
            DatabaseName: 'sales',
            TableInput: { Name: 't_v1', StorageDescriptor: { Location: 's3://cur/t_v1/', Columns: [{ Name: 'id' }] } },
          },
        },
        Curated: {
          Type: 'AWS::S3::Bucket',
          Properties: { BucketName: 'cur' },
          Metadata: { 'meshkit:product': { domain: 'sales', product: 't', zone: 'curated' } },
        },
        G: {
          Type: 'AWS::LakeFormation::PrincipalPermissions',
          Properties: {
            Principal: { DataLakePrincipalIdentifier: 'arn:aws:iam::333333333333:role/r' },
            Resource: { Table: { DatabaseName: 'sales', Name: 't_v1' } },
            Permissions: ['SELECT'],
          },
        },
      },
      Metadata: {
        'meshkit:product-intent': {
          domain: 'sales',
          product: 't',
          mode: 'batch',
          landingFormat: 'csv',
          jobInputFormat: 'csv',
          rawPrefix: 'landing/',
          jobName: 'j',
          databaseName: 'sales',
          tables: ['t_v1'],
          classification: 'internal',
          restrictedColumns: [],
          consumes: [],
          criticality: 'medium',
        },
      },
    },
  });
  const report = analyseAccess(buildModel(loadCloudAssembly(dir)));
  assert.equal(
    report.cells.find((c) => c.principal === 'arn:aws:iam::333333333333:role/r'),
    undefined,
  );
});

test('a missing assembly, a missing template, an unparsable manifest: exit 2 naming what to do', () => {
  const none = join(tmpdir(), 'verify-none-' + process.pid);
  assert.throws(
    () => loadCloudAssembly(none),
    (e: unknown) => isMeshError(e) && e.exitCode === 2 && /run `mesh synth` first/.test(e.message),
  );
  const dir = mkdtempSync(join(tmpdir(), 'verify-bad-'));
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'manifest.json'),
    JSON.stringify({
      artifacts: { s: { type: 'aws:cloudformation:stack', properties: { templateFile: 's.template.json' } } },
    }),
  );
  assert.throws(
    () => loadCloudAssembly(dir),
    (e: unknown) =>
      isMeshError(e) && e.exitCode === 2 && /lists stack s but .*s\.template\.json is missing/.test(e.message),
  );
  writeFileSync(join(dir, 'manifest.json'), '{"artifacts": ');
  assert.throws(
    () => loadCloudAssembly(dir),
    (e: unknown) => isMeshError(e) && e.exitCode === 2 && /manifest\.json(:\d+:\d+)?: cannot parse/.test(e.message),
  );
});
