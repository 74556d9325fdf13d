// A product serving an older major side by side: its own table <product>_v<major> and DQ
// ruleset from the frozen contract, LF-tags, the job deriving it (--served-majors), the policy
// pack green; loadMesh loads and checks the frozen contracts.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { compileQuality, type MeshError, toDqdl, type OdcsContract } from '@meshkit/contracts';
import { DomainFoundation } from '../src/constructs/domain-foundation.js';
import { DataProduct } from '../src/constructs/data-product.js';
import { defaultCorePath, defaultScriptPath } from '../src/constructs/product-glue-job.js';
import { evaluateStack } from '../src/policy/evaluate-stack.js';
import { MeshTags } from '../src/policy/mandatory-tags.js';
import { loadMesh } from '../src/index.js';
import { demoMeshCopy } from './demo-mesh.js';
import { ACCOUNT, CONSUMERS, REGION, batchManifest, ordersContract } from './product-fixtures.js';

const COMPAT = 'SELECT order_id, customer_email, amount_cents / 100.0 AS amount, status, order_date FROM current';

/** Major 2: `amount` became `amount_cents`; major 1 is `ordersContract` at 1.4.0. */
function v2(): OdcsContract {
  const c = ordersContract({ version: '2.0.0' });
  const props = c.schema![0]!.properties!.map((p) =>
    p.name === 'amount' ? { name: 'amount_cents', logicalType: 'integer', physicalType: 'bigint', required: true } : p,
  );
  return { ...c, schema: [{ ...c.schema![0]!, properties: props }] } as OdcsContract;
}
const v1 = (): OdcsContract => ordersContract({ version: '1.4.0' });

function build(
  served = [
    {
      major: 1,
      contract: v1(),
      contractFile: 'majors/v1/contract.odcs.yaml',
      compatibilitySql: COMPAT,
      compatibilitySqlFile: 'majors/v1/compat.sql',
    },
  ],
) {
  const app = new App();
  const env = { account: ACCOUNT, region: REGION };
  const domain = new DomainFoundation(new Stack(app, 'SalesDomain', { env }), 'Sales', {
    domainName: 'sales',
    owner: 'team-sales',
    costCenter: 'cc-1',
    consumers: CONSUMERS,
  });
  const stack = new Stack(app, 'Product', { env });
  const product = new DataProduct(stack, 'P', {
    domain,
    manifest: batchManifest(),
    contract: v2(),
    servedMajors: served,
  });
  MeshTags.apply(stack, {
    domain: 'sales',
    product: 'orders',
    owner: 'team-sales',
    classification: 'restricted',
    'cost-center': 'cc-1',
    'contract-version': '2.0.0',
  });
  return { stack, product, template: Template.fromStack(stack) };
}

/** A CloudFormation value with its Refs and Fn::Joins flattened to text (`${LogicalId}` for a Ref). */
function text(v: unknown): string {
  if (typeof v === 'string') return v;
  const o = v as Record<string, unknown>;
  if (o.Ref) return `\${${String(o.Ref)}}`;
  if (o['Fn::Join']) {
    const [sep, parts] = o['Fn::Join'] as [string, unknown[]];
    return parts.map(text).join(sep);
  }
  return JSON.stringify(v);
}

describe('DataProduct with a served major', () => {
  const { product, template, stack } = build();

  test('two output tables: orders_v2 from the current contract, orders_v1 from the frozen one', () => {
    const tables = template.findResources('AWS::Glue::Table');
    const byName = Object.fromEntries(
      Object.values(tables).map((t) => [t.Properties.TableInput.Name, t.Properties.TableInput]),
    );
    assert.deepEqual(Object.keys(byName).sort(), ['orders_v1', 'orders_v2']);
    const cols = (n: string) =>
      byName[n].StorageDescriptor.Columns.map((c: { Name: string; Type: string }) => `${c.Name}:${c.Type}`);
    assert.deepEqual(cols('orders_v2'), [
      'order_id:varchar(36)',
      'customer_email:string',
      'amount_cents:bigint',
      'status:string',
    ]);
    assert.deepEqual(cols('orders_v1'), [
      'order_id:varchar(36)',
      'customer_email:string',
      'amount:decimal(12,2)',
      'status:string',
    ]);
    assert.deepEqual(byName.orders_v1.PartitionKeys, [{ Name: 'order_date', Type: 'date' }]);
    assert.equal(byName.orders_v1.Parameters['meshkit:contract-version'], '1.4.0');
    assert.equal(byName.orders_v1.Parameters['meshkit:served-major'], '1');
    assert.equal(byName.orders_v2.Parameters['meshkit:contract-version'], '2.0.0');
    assert.match(text(byName.orders_v1.StorageDescriptor.Location), /\/orders_v1\/$/);
    assert.equal(product.servedMajors.length, 1);
    assert.equal(product.servedMajors[0]!.table.tableName, 'orders_v1');
  });

  test('two DQ rulesets, each compiled from its own contract and targeting its own table', () => {
    template.resourceCountIs('AWS::Glue::DataQualityRuleset', 2);
    template.hasResourceProperties('AWS::Glue::DataQualityRuleset', {
      Name: 'sales-orders-v1-dq',
      Ruleset: toDqdl(compileQuality(v1())),
      TargetTable: { DatabaseName: 'sales', TableName: 'orders_v1' },
    });
    template.hasResourceProperties('AWS::Glue::DataQualityRuleset', {
      Name: 'sales-orders-v2-dq',
      Ruleset: toDqdl(compileQuality(v2())),
      TargetTable: { DatabaseName: 'sales', TableName: 'orders_v2' },
    });
  });

  test('the one job derives v1 with --served-majors and may write, update and check only what it needs', () => {
    const job = Object.values(template.findResources('AWS::Glue::Job'))[0]!;
    const args = job.Properties.DefaultArguments as Record<string, unknown>;
    assert.equal(args['--table-name'], 'orders_v2');
    const served = JSON.parse(text(args['--served-majors'])) as Array<Record<string, unknown>>;
    assert.equal(served.length, 1);
    assert.deepEqual(
      { ...served[0], path: undefined, quarantine: undefined },
      {
        major: 1,
        table: 'orders_v1',
        ruleset: 'sales-orders-v1-dq',
        sql: COMPAT,
        path: undefined,
        quarantine: undefined,
      },
    );
    assert.match(String(served[0]!.path), /^s3:\/\/\$\{.*CuratedZone.*\}\/orders_v1\/$/);
    assert.match(String(served[0]!.quarantine), /^s3:\/\/\$\{.*RawZone.*\}\/quarantine\/orders_v1\/$/);
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (p) => p.Properties.PolicyDocument.Statement as Array<{ Sid?: string; Resource: unknown }>,
    );
    const resources = (sid: string) => [statements.find((s) => s.Sid === sid)!.Resource].flat().map(text);
    assert.deepEqual(
      resources('WriteCurated').map((r) => r.replace(/^.*\}\//, '')),
      ['orders_v2/*', 'orders_v1/*'],
    );
    assert.ok(resources('DataQuality').some((r) => r.endsWith(':dataQualityRuleset/sales-orders-v1-dq')));
    assert.ok(resources('Catalog').some((r) => r.endsWith(':table/sales/orders_v1')));
  });

  test('orders_v1 carries the LF-tags of the product and its restricted column, and the job is granted on it', () => {
    template.hasResourceProperties('AWS::LakeFormation::TagAssociation', {
      Resource: { Table: Match.objectLike({ DatabaseName: 'sales', Name: 'orders_v1' }) },
      LFTags: Match.arrayWith([
        Match.objectLike({ TagKey: 'domain', TagValues: ['sales'] }),
        Match.objectLike({ TagKey: 'classification', TagValues: ['restricted'] }),
      ]),
    });
    template.hasResourceProperties('AWS::LakeFormation::TagAssociation', {
      Resource: { TableWithColumns: Match.objectLike({ Name: 'orders_v1', ColumnNames: ['customer_email'] }) },
    });
    template.hasResourceProperties('AWS::LakeFormation::PrincipalPermissions', {
      Resource: { Table: Match.objectLike({ Name: 'orders_v1' }) },
      Permissions: ['SELECT', 'INSERT', 'DELETE', 'DESCRIBE', 'ALTER'],
    });
  });

  test('the policy pack finds nothing', () => {
    assert.deepEqual(
      evaluateStack(stack).map((f) => `${f.ruleId} ${f.constructPath}: ${f.message}`),
      [],
    );
  });

  test('a served major that is not older than the current one, or whose contract is of another major, is refused', () => {
    assert.throws(
      () =>
        build([
          {
            major: 2,
            contract: ordersContract({ version: '2.0.0' }),
            contractFile: 'x',
            compatibilitySql: COMPAT,
            compatibilitySqlFile: 'y',
          },
        ]),
      /serves major 2 side by side, but it is not older than the current major 2/,
    );
    assert.throws(
      () =>
        build([
          {
            major: 1,
            contract: ordersContract({ version: '0.9.0' }),
            contractFile: 'x',
            compatibilitySql: COMPAT,
            compatibilitySqlFile: 'y',
          },
        ]),
      /served major 1 is version 0\.9\.0/,
    );
  });
});

test('glue/job.py compiles and parses --served-majors (its own served_majors function, run by python3)', () => {
  const script = readFileSync(defaultScriptPath(), 'utf8');
  const dir = mkdtempSync(join(tmpdir(), 'meshkit-job-'));
  const c = spawnSync(
    'python3',
    [
      '-c',
      'import py_compile, sys; py_compile.compile(sys.argv[1], cfile=sys.argv[2], doraise=True)',
      defaultScriptPath(),
      join(dir, 'job.pyc'),
    ],
    { encoding: 'utf8' },
  );
  assert.equal(c.status, 0, c.stderr);
  const fn = /^def served_majors\(spec\):\n(?: {4}.*\n|\n)+/m.exec(script)?.[0];
  assert.ok(fn, 'the job defines served_majors(spec)');
  assert.match(script, /"served-majors"/);
  assert.match(readFileSync(defaultCorePath(), 'utf8'), /createOrReplaceTempView\("current"\)/);
  writeFileSync(
    join(dir, 's.py'),
    `import json, re, sys\n${fn}\ntry:\n    print(json.dumps(served_majors(sys.stdin.read())))\nexcept ValueError as e:\n    print("error: %s" % e)\n`,
  );
  const py = (input: string) => spawnSync('python3', [join(dir, 's.py')], { input, encoding: 'utf8' }).stdout.trim();
  const ok = [
    { major: 1, table: 'orders_v1', ruleset: 'r', path: 's3://b/orders_v1/', quarantine: 's3://q/', sql: COMPAT },
  ];
  assert.deepEqual(JSON.parse(py(JSON.stringify(ok))), ok);
  assert.equal(py(''), '[]');
  assert.match(
    py(JSON.stringify([{ major: 1, table: 'orders v1' }])),
    /^error: --served-majors: entry 1 lacks ruleset, path, quarantine, sql/,
  );
});

describe('loadMesh and served majors', () => {
  function serving(frozen: (text: string) => string, major = 1): string {
    const root = demoMeshCopy('mesh-served-');
    const dir = join(root, 'domains/sales/products/orders');
    const contract = readFileSync(join(dir, 'contract.odcs.yaml'), 'utf8');
    mkdirSync(join(dir, 'majors/v1'), { recursive: true });
    writeFileSync(join(dir, 'majors/v1/contract.odcs.yaml'), frozen(contract));
    writeFileSync(join(dir, 'majors/v1/compat.sql'), 'SELECT * FROM current\n');
    writeFileSync(join(dir, 'contract.odcs.yaml'), contract.replace(/^version: .*$/m, 'version: 2.0.0'));
    writeFileSync(
      join(dir, 'product.yaml'),
      readFileSync(join(dir, 'product.yaml'), 'utf8') +
        `servedMajors:\n  - major: ${major}\n    contract: majors/v1/contract.odcs.yaml\n    compatibilitySql: majors/v1/compat.sql\n`,
    );
    return root;
  }

  test('the frozen contracts and compatibility SQL are loaded with the product', () => {
    const mesh = loadMesh(
      serving((t) => t),
      { domain: 'sales', product: 'orders' },
    );
    const p = mesh.domains[0]!.products[0]!;
    assert.equal(p.contract.version, '2.0.0');
    assert.deepEqual(
      p.servedMajors.map((m) => [m.major, m.contract.version, m.compatibilitySql]),
      [[1, '1.1.0', 'SELECT * FROM current\n']],
    );
  });

  test('an invalid frozen contract refuses synth with its file:line:col', () => {
    const root = serving((t) => t.replace('logicalType: number', 'logicalType: numbr'));
    assert.throws(
      () => loadMesh(root),
      (e: MeshError) =>
        e.code === 'INVALID_CONTRACT' &&
        e.file === 'domains/sales/products/orders/majors/v1/contract.odcs.yaml' &&
        typeof e.line === 'number' &&
        typeof e.column === 'number' &&
        /served major 1/.test(e.message),
    );
  });

  test('a frozen contract of another major is refused at the line of its product.yaml entry', () => {
    const root = serving((t) => t, 0);
    assert.throws(
      () => loadMesh(root),
      (e: MeshError) =>
        e.code === 'INVALID_CONFIG' &&
        e.file === 'domains/sales/products/orders/product.yaml' &&
        e.line === readFileSync(join(root, e.file), 'utf8').split('\n').indexOf('  - major: 0') + 1 &&
        /is version 1\.1\.0, not a 0\.x version/.test(e.message),
    );
  });
});
