// mesh verify over the example mesh as users break it: each check fails on its own case, named.
// Breakages are made the way teams make them, in a product's infra/stack.ts `customize` hook.
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run, bufferIo } from '../src/index.js';
import { copyExampleMesh } from '@meshkit/testing';

interface Finding {
  id: string;
  stack: string;
  logicalId: string;
  message: string;
  product?: string;
}

async function mesh(args: string[], cwd: string) {
  const io = bufferIo(cwd);
  const code = await run(args, io);
  return { code, out: io.out, err: io.err };
}

/** A copy of the example mesh whose products get the given infra/stack.ts bodies. */
function meshWith(hooks: Record<string, string[]>): string {
  const dir = copyExampleMesh({ prefix: 'mesh-verify-' });
  symlinkSync(fileURLToPath(new URL('../../../node_modules', import.meta.url)), join(dir, 'node_modules'));
  for (const [ref, body] of Object.entries(hooks)) {
    const [d, p] = ref.split('/');
    const infra = join(dir, 'domains', d!, 'products', p!, 'infra');
    mkdirSync(infra, { recursive: true });
    writeFileSync(
      join(infra, 'stack.ts'),
      [
        "import { Stack, aws_glue as glue, aws_events as events, aws_iam as iam, aws_lakeformation as lf, aws_kinesisfirehose as firehose } from 'aws-cdk-lib';",
        "import type { IConstruct } from 'constructs';",
        "import { createRequire } from 'node:module';",
        'const require_ = createRequire(import.meta.url);',
        'const at = (stack: Stack, ...path: string[]): IConstruct => path.reduce<IConstruct>((c, id) => c.node.findChild(id), stack);',
        'export function customize(stack: Stack): void {',
        ...body.map((l) => `  ${l}`),
        '  void [glue, events, iam, lf, firehose];',
        '}',
      ].join('\n'),
    );
  }
  return dir;
}

async function verify(dir: string): Promise<{
  code: number;
  findings: Finding[];
  report: { matrix: Array<{ principal: string; product: string; read: Record<string, string[]> }> };
  err: string;
}> {
  const s = await mesh(['synth'], dir);
  assert.ok(s.code === 0 || s.code === 1, s.err);
  const r = await mesh(['verify', '--format', 'json'], dir);
  assert.ok(r.code === 0 || r.code === 1, r.err);
  const report = JSON.parse(r.out);
  return { code: r.code, findings: report.findings, report, err: r.err };
}

const only = (fs: Finding[], id: string) => fs.filter((f) => f.id === id);

test('the example mesh: mesh verify proves access and flow, 0 findings, exit 0', async () => {
  const dir = copyExampleMesh({ prefix: 'mesh-verify-' });
  assert.equal((await mesh(['synth'], dir)).code, 0);
  const r = await mesh(['verify'], dir);
  assert.equal(r.code, 0, r.out + r.err);
  assert.match(r.out, /^access matrix \(3 product\(s\)/);
  assert.match(r.out, /sales\/orders\s+job of marketing\/campaign-performance\s+orders_v1\s+-\s+lake-formation/);
  assert.match(r.out, /\n0 finding\(s\)\n$/);
  const j = JSON.parse((await mesh(['verify', '--format', 'json'], dir)).out);
  assert.deepEqual(j.findings, []);
  // The tag-based consumer of mesh.config.yaml reads the internal products, not the restricted one.
  const analytics = j.matrix
    .filter((c: { principal: string }) => c.principal === 'arn:aws:iam::333333333333:role/analytics-readers')
    .map((c: { product: string }) => c.product);
  assert.deepEqual(analytics.sort(), ['marketing/campaign-performance', 'sales/clickstream']);
});

describe('mesh verify: access', () => {
  let findings: Finding[];
  let code: number;
  let dir: string;
  before(async () => {
    ({ findings, code } = await verify(
      (dir = meshWith({
        // The consumer's grant removed.
        'marketing/campaign-performance': ["at(stack, 'Product', 'Consumes').node.tryRemoveChild('Consumes0');"],
        // A second job reading a product it does not consume (LF grant + the IAM to use it).
        'sales/clickstream': [
          "const role = at(stack, 'Product', 'Job', 'Role') as iam.Role;",
          "role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['glue:GetTable'], resources: [stack.formatArn({ service: 'glue', resource: 'table', resourceName: 'sales/orders_v1' })] }));",
          "new lf.CfnPrincipalPermissions(stack, 'ReadOrders', { catalog: stack.account, principal: { dataLakePrincipalIdentifier: role.roleArn }, resource: { table: { catalogId: stack.account, databaseName: 'sales', name: 'orders_v1' } }, permissions: ['SELECT'], permissionsWithGrantOption: [] });",
        ],
        // A restricted column granted to everyone.
        'sales/orders': [
          "new lf.CfnPrincipalPermissions(stack, 'Everyone', { catalog: stack.account, principal: { dataLakePrincipalIdentifier: 'IAM_ALLOWED_PRINCIPALS' }, resource: { tableWithColumns: { catalogId: stack.account, databaseName: 'sales', name: 'orders_v1', columnNames: ['order_id', 'customer_email'] } }, permissions: ['SELECT'], permissionsWithGrantOption: [] });",
        ],
      })),
    ));
  });

  test('exit 1 on findings', () => assert.equal(code, 1));

  test('a consumer whose grant was removed: names the consumer, the table and what it cannot read', () => {
    const [f, ...rest] = only(findings, 'VERIFY-ACCESS-CONSUMER-CANNOT-READ');
    assert.equal(rest.length, 0, JSON.stringify(rest));
    assert.equal(f!.product, 'marketing/campaign-performance');
    // (order_id and customer_email are granted to everyone by the same mesh, but a job without
    // fine-grained access control cannot read a column-limited grant either)
    assert.match(
      f!.message,
      /job of marketing\/campaign-performance \(arn:aws:iam::\d{12}:role\/[^)]+\) cannot read order_id, customer_email, amount, status, channel, order_date of sales\.orders_v1 \(sales\/orders \^1\.1\.0\): .* is granted only some columns of sales\.orders_v1, which a Glue 5\.0 job reads only with fine-grained access control/,
    );
  });

  test('a second job reading a product it does not consume', () => {
    const [f, ...rest] = only(findings, 'VERIFY-ACCESS-UNDECLARED-READ');
    assert.equal(rest.length, 0, JSON.stringify(rest));
    assert.equal(f!.stack, 'mesh-sales-clickstream');
    assert.match(
      f!.message,
      /job of sales\/clickstream can read sales\/orders \(orders_v1 via lake-formation\), which sales\/clickstream does not consume/,
    );
  });

  test('a restricted column granted to everyone', () => {
    const restricted = only(findings, 'VERIFY-ACCESS-RESTRICTED-COLUMN');
    assert.ok(
      restricted.some(
        (f) =>
          f.stack === 'mesh-sales-orders' &&
          f.logicalId === 'Everyone' &&
          /IAM_ALLOWED_PRINCIPALS.*customer_email of sales\.orders_v1/.test(f.message),
      ),
      JSON.stringify(restricted),
    );
    assert.ok(only(findings, 'VERIFY-ACCESS-WILDCARD-PRINCIPAL').some((f) => f.logicalId === 'Everyone'));
  });

  test('with a target, the findings and matrix of that product only (the whole assembly is analysed)', async () => {
    const r = await mesh(['verify', 'sales/clickstream', '--format', 'json'], dir);
    assert.equal(r.code, 1);
    const j = JSON.parse(r.out);
    assert.deepEqual([...new Set(j.findings.map((f: Finding) => f.id))], ['VERIFY-ACCESS-UNDECLARED-READ']);
    assert.deepEqual(j.products, ['sales/clickstream']);
  });
});

describe('mesh verify: flow', () => {
  let findings: Finding[];
  before(async () => {
    ({ findings } = await verify(
      meshWith({
        // A job without trigger.
        'sales/orders': ["at(stack, 'Product', 'BatchIngestion').node.tryRemoveChild('EventTrigger');"],
        // A format mismatch: the job told to read JSON while CSV lands.
        'marketing/campaign-performance': [
          "(at(stack, 'Product', 'Job', 'Job') as glue.CfnJob).addPropertyOverride('DefaultArguments.--raw-format', 'json');",
          // A policy the evaluator cannot interpret (unknown condition operator): a finding, never an allow.
          "(at(stack, 'Product', 'Job', 'Role') as iam.Role).addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject', 'kms:Decrypt'], resources: ['*'], conditions: { StringEqualsFancy: { 'aws:PrincipalTag/team': 'x' } } }));",
        ],
        // A dangling reference left by an escape hatch.
        'sales/clickstream': [
          "(at(stack, 'Product', 'StreamIngestion', 'DeliveryStream') as firehose.CfnDeliveryStream).addPropertyOverride('ExtendedS3DestinationConfiguration.RoleARN', { 'Fn::GetAtt': ['RemovedRole1A2B3C4D', 'Arn'] });",
        ],
      }),
    ));
  });

  test('a job without trigger', () => {
    const f = only(findings, 'VERIFY-FLOW-NO-TRIGGER');
    assert.equal(f.length, 1, JSON.stringify(findings));
    assert.equal(f[0]!.stack, 'mesh-sales-orders');
    assert.match(f[0]!.message, /sales\/orders: nothing starts job sales-orders-v1 \(expected the landing event/);
  });

  test('a format mismatch', () => {
    const f = only(findings, 'VERIFY-FLOW-FORMAT');
    assert.ok(
      f.some(
        (x) =>
          x.stack === 'mesh-marketing-campaign-performance' &&
          /reads json but csv lands \(product\.yaml ingestion\.format\)/.test(x.message),
      ),
      JSON.stringify(f),
    );
  });

  test('a dangling reference', () => {
    const f = only(findings, 'VERIFY-FLOW-DANGLING-REF');
    assert.ok(
      f.some(
        (x) =>
          x.stack === 'mesh-sales-clickstream' &&
          /Fn::GetAtt RemovedRole1A2B3C4D\.Arn: no resource RemovedRole1A2B3C4D/.test(x.message),
      ),
      JSON.stringify(f),
    );
  });

  test('a policy the evaluator cannot interpret is a finding, never a silent allow', () => {
    const f = only(findings, 'VERIFY-ACCESS-UNINTERPRETABLE');
    assert.ok(
      f.some((x) => /StringEqualsFancy/.test(x.message) && /never as allowed/.test(x.message)),
      JSON.stringify(f),
    );
    assert.deepEqual(only(findings, 'VERIFY-ACCESS-UNDECLARED-READ'), []);
  });
});

describe('mesh verify: more access and flow breakages', () => {
  let findings: Finding[];
  before(async () => {
    const dir = meshWith({
      // A role of another product that can write sales/clickstream's curated zone.
      'sales/orders': [
        "const writer = new iam.Role(stack, 'Backfill', { assumedBy: new iam.ServicePrincipal('glue.amazonaws.com') });",
        "writer.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: ['arn:aws:s3:::example-corp-sal-*-curated/*'] }));",
        "writer.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['kms:GenerateDataKey'], resources: ['*'] }));",
        // A bucket policy allowing everyone.
        "const raw = at(stack, 'Product', 'RawZone', 'Bucket') as import('aws-cdk-lib').aws_s3.Bucket;",
        "raw.addToResourcePolicy(new iam.PolicyStatement({ principals: [new iam.AnyPrincipal()], actions: ['s3:GetObject'], resources: [raw.arnForObjects('*')] }));",
      ],
      // A second trigger, and the job writing elsewhere than its table.
      'sales/clickstream': [
        "new glue.CfnTrigger(stack, 'AlsoNightly', { type: 'SCHEDULED', schedule: 'cron(0 2 * * ? *)', startOnCreation: true, actions: [{ jobName: 'sales-clickstream-v1' }] });",
        "(at(stack, 'Product', 'Job', 'Job') as glue.CfnJob).addPropertyOverride('DefaultArguments.--curated-path', 's3://somewhere-else/clickstream_v1/');",
      ],
      // A consumer granted more columns than it consumes; an alarm on a job that does not exist.
      'marketing/campaign-performance': [
        "const role = at(stack, 'Product', 'Job', 'Role') as iam.Role;",
        "new lf.CfnPrincipalPermissions(stack, 'Wider', { catalog: stack.account, principal: { dataLakePrincipalIdentifier: role.roleArn }, resource: { table: { catalogId: stack.account, databaseName: 'sales', name: 'orders_v1' } }, permissions: ['SELECT'], permissionsWithGrantOption: [] });",
        "new (require_('aws-cdk-lib').aws_cloudwatch.CfnAlarm)(stack, 'Stale', { comparisonOperator: 'LessThanThreshold', evaluationPeriods: 1, threshold: 1, metricName: 'glue.driver.aggregate.numCompletedTasks', namespace: 'Glue', period: 3600, statistic: 'Sum', dimensions: [{ name: 'JobName', value: 'marketing-campaign-performance-v9' }] });",
      ],
    });
    const cp = join(dir, 'domains/marketing/products/campaign-performance/product.yaml');
    writeFileSync(
      cp,
      readFileSync(cp, 'utf8').replace('    version: ^1.1.0', '    version: ^1.1.0\n    columns: [order_id, amount]'),
    );
    ({ findings } = await verify(dir));
  });

  test("a principal other than the producer's job that can write its zone", () => {
    const f = only(findings, 'VERIFY-ACCESS-FOREIGN-WRITE');
    assert.ok(
      f.some(
        (x) =>
          x.product === 'sales/clickstream' &&
          /mesh-sales-orders\/Backfill.* can write the curated zone of sales\/clickstream/.test(x.message),
      ),
      JSON.stringify(f),
    );
  });

  test('a bucket policy allowing principal "*"', () => {
    assert.ok(
      only(findings, 'VERIFY-ACCESS-WILDCARD-PRINCIPAL').some(
        (x) =>
          x.stack === 'mesh-sales-orders' &&
          /bucket policy of .* allows s3:GetObject to principal "\*"/.test(x.message),
      ),
    );
  });

  test('a consumer that can read more columns than it consumes', () => {
    const f = only(findings, 'VERIFY-ACCESS-CONSUMER-EXCESS');
    assert.ok(
      f.some((x) =>
        /job of marketing\/campaign-performance can read .*customer_email.* of sales\.orders_v1, which marketing\/campaign-performance does not consume \(consumes: order_id, amount\)/.test(
          x.message,
        ),
      ),
      JSON.stringify(f),
    );
  });

  test('two trigger paths for one job', () => {
    assert.ok(
      only(findings, 'VERIFY-FLOW-MULTIPLE-TRIGGERS').some((x) =>
        /job sales-clickstream-v1 has 2 trigger paths/.test(x.message),
      ),
    );
  });

  test('a job writing elsewhere than its table reads', () => {
    assert.ok(
      only(findings, 'VERIFY-FLOW-OUTPUT-PATH').some((x) =>
        /job sales-clickstream-v1 writes s3:\/\/somewhere-else\/clickstream_v1\/ but table sales\.clickstream_v1 reads s3:\/\//.test(
          x.message,
        ),
      ),
    );
  });

  test('an alarm on a job that does not exist', () => {
    assert.ok(
      only(findings, 'VERIFY-FLOW-ALARM-TARGET').some(
        (x) =>
          x.logicalId === 'Stale' &&
          /watches job marketing-campaign-performance-v9, which does not exist/.test(x.message),
      ),
    );
  });
});

describe('mesh verify: grants, policies and principals written other ways', () => {
  let findings: Finding[];
  before(async () => {
    ({ findings } = await verify(
      meshWith({
        // A read granted with AWS::LakeFormation::Permissions, the IAM to use it in an AWS::IAM::RolePolicy.
        'sales/clickstream': [
          "const role = at(stack, 'Product', 'Job', 'Role') as iam.Role;",
          "new iam.CfnRolePolicy(stack, 'ReadOrdersCatalog', { roleName: role.roleName, policyName: 'orders', policyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'glue:GetTable', Resource: stack.formatArn({ service: 'glue', resource: 'table', resourceName: 'sales/orders_v1' }) }] } });",
          "new lf.CfnPermissions(stack, 'OldStyleGrant', { dataLakePrincipal: { dataLakePrincipalIdentifier: role.roleArn }, resource: { tableResource: { catalogId: stack.account, databaseName: 'sales', name: 'orders_v1' } }, permissions: ['SELECT'] });",
        ],
        // An IAM user that can write a product's zone; a job that reads another product's raw zone.
        'marketing/campaign-performance': [
          "const user = new iam.User(stack, 'Uploader');",
          "user.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: ['arn:aws:s3:::example-corp-sales-orders-*-curated/*'] }));",
          "user.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: ['*'] }));",
          "const role = at(stack, 'Product', 'Job', 'Role') as iam.Role;",
          "role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::example-corp-sales-orders-*-raw/*'] }));",
          "role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['kms:Decrypt'], resources: ['*'] }));",
        ],
        // The landing rule disabled.
        'sales/orders': [
          "(at(stack, 'Product', 'BatchIngestion', 'LandingRule').node.defaultChild as events.CfnRule).state = 'DISABLED';",
        ],
      }),
    ));
  });

  test('a grant of AWS::LakeFormation::Permissions with its IAM in an AWS::IAM::RolePolicy: an undeclared read', () => {
    assert.ok(
      only(findings, 'VERIFY-ACCESS-UNDECLARED-READ').some((x) =>
        /job of sales\/clickstream can read sales\/orders \(orders_v1 via lake-formation\)/.test(x.message),
      ),
      JSON.stringify(findings),
    );
  });

  test("an IAM user that can write a product's zone", () => {
    assert.ok(
      only(findings, 'VERIFY-ACCESS-FOREIGN-WRITE').some((x) =>
        /mesh-marketing-campaign-performance\/Uploader.* can write the curated zone of sales\/orders/.test(x.message),
      ),
      JSON.stringify(findings),
    );
  });

  test("another product's job reading the raw zone", () => {
    assert.ok(
      only(findings, 'VERIFY-ACCESS-UNDECLARED-READ').some((x) =>
        /job of marketing\/campaign-performance can read the raw zone of sales\/orders/.test(x.message),
      ),
      JSON.stringify(findings),
    );
  });

  test('a disabled landing rule: the job has no trigger', () => {
    assert.ok(
      only(findings, 'VERIFY-FLOW-BROKEN-TRIGGER').some((x) =>
        /sales\/orders: the landing-event trigger .* rule .* is DISABLED/.test(x.message),
      ),
      JSON.stringify(findings),
    );
    assert.ok(only(findings, 'VERIFY-FLOW-NO-TRIGGER').some((x) => x.product === 'sales/orders'));
  });
});

describe('mesh verify: producer and consumer in different accounts', () => {
  const inOwnAccount = (dir: string) =>
    writeFileSync(
      join(dir, 'domains/marketing/domain.yaml'),
      readFileSync(join(dir, 'domains/marketing/domain.yaml'), 'utf8') + 'accounts:\n  dev: "444444444444"\n',
    );

  test("mesh synth --env dev: the share, the consumer's grant through it and its resource link prove readable, 0 findings", async () => {
    const dir = copyExampleMesh({ prefix: 'mesh-verify-' });
    inOwnAccount(dir);
    const s = await mesh(['synth', '--env', 'dev', '--format', 'json'], dir);
    assert.equal(s.code, 0, s.err);
    assert.ok(
      JSON.parse(s.out).stacks.some((x: { stackName: string }) => x.stackName === 'mesh-platform-444444444444'),
    );
    const r = await mesh(['verify', '--format', 'json'], dir);
    assert.equal(r.code, 0, r.out);
    const j = JSON.parse(r.out);
    const cell = j.matrix.find(
      (c: { principal: string; product: string }) =>
        c.product === 'sales/orders' &&
        c.principal.startsWith('arn:aws:iam::444444444444:role/mesh-marketing-campaign-performance'),
    );
    assert.deepEqual(cell?.read, { orders_v1: ['*'] });
    assert.deepEqual(cell?.via, ['lake-formation']);
  });

  test("without the producer's share, the consumer in the other account cannot read", async () => {
    const dir = meshWith({ 'sales/orders': ["at(stack, 'Product').node.tryRemoveChild('Shares');"] });
    inOwnAccount(dir);
    assert.ok([0, 1].includes((await mesh(['synth', '--env', 'dev'], dir)).code));
    const r = await mesh(['verify', '--format', 'json'], dir);
    assert.equal(r.code, 1);
    const f = only(JSON.parse(r.out).findings, 'VERIFY-ACCESS-CONSUMER-CANNOT-READ');
    assert.equal(f.length, 1, r.out);
    assert.match(
      f[0]!.message,
      /job of marketing\/campaign-performance \(arn:aws:iam::444444444444:role\/.*\) cannot read .* of sales\.orders_v1/,
    );
  });
});

describe('mesh verify: bad input', () => {
  test('no cloud assembly → exit 2, run mesh synth', async () => {
    const r = await mesh(['verify'], copyExampleMesh({ prefix: 'mesh-verify-' }));
    assert.equal(r.code, 2);
    assert.match(r.err, /no cloud assembly in .*cdk\.out: run `mesh synth` first/);
    assert.doesNotMatch(r.err, /^\s+at /m);
  });

  test('a stale assembly → exit 2 naming the stale stack', async () => {
    const dir = copyExampleMesh({ prefix: 'mesh-verify-' });
    assert.equal((await mesh(['synth'], dir)).code, 0);
    const sql = join(dir, 'domains/sales/products/orders/transform.sql');
    writeFileSync(sql, readFileSync(sql, 'utf8') + '\n-- edited\n');
    const r = await mesh(['verify'], dir);
    assert.equal(r.code, 2);
    assert.match(
      r.err,
      /cloud assembly is stale: mesh-sales-orders \(sales\/orders changed since it was synthesized\).*run `mesh synth` again/,
    );
  });

  test('a template that cannot be parsed → exit 2 with the file', async () => {
    const dir = copyExampleMesh({ prefix: 'mesh-verify-' });
    assert.equal((await mesh(['synth'], dir)).code, 0);
    writeFileSync(join(dir, 'cdk.out/mesh-sales-orders.template.json'), '{"Resources": {');
    const r = await mesh(['verify'], dir);
    assert.equal(r.code, 2);
    assert.match(r.err, /cdk\.out\/mesh-sales-orders\.template\.json(:\d+:\d+)?: cannot parse the template/);
  });

  test('a bad target is bad usage', async () => {
    const r = await mesh(['verify', 'Sales/x'], copyExampleMesh({ prefix: 'mesh-verify-' }));
    assert.equal(r.code, 2);
  });
});
