/**
 * Integrity of the pack (issue 15, items 5–7): every Glue table has a ruleset or is a declared
 * staging table; suppressions run at most the platform's maxSuppressionDays; every reference of
 * every template resolves. Each bypass must fail synth with the right MESH-* id and a message
 * telling the team what to do.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  App,
  type CfnResource,
  Fn,
  Stack,
  aws_glue as glue,
  aws_iam as iam,
  aws_kms as kms,
  aws_s3 as s3,
  aws_sns as sns,
} from 'aws-cdk-lib';
import { DEFAULT_MAX_SUPPRESSION_DAYS, INPUTS_METADATA_KEY, MeshError, type PolicySettings } from '@meshkit/contracts';
import {
  buildMeshApp,
  enforceMeshPolicies,
  evaluateTemplate,
  formatPolicyReport,
  loadMesh,
  markStagingTable,
  suppress,
  validateAssembly,
  DEFAULT_POLICY_SETTINGS,
  DanglingReferenceRule,
  ProductTableHasRulesetRule,
  STAGING_PARAMETER,
  STREAM_RAW_STAGING_REASON,
  type PolicyRule,
} from '../src/index.js';
import { DEMO_MESH } from './demo-mesh.js';
import { synthFailure } from './policy-helpers.js';

const TAGS = {
  domain: 'sales',
  product: 'orders',
  owner: 'team-sales',
  classification: 'internal',
  'cost-center': 'cc-1',
  'contract-version': '1.0.0',
};
const newApp = () => new App({ context: { '@aws-cdk/core:appMode': 'inmemory' } });
const NOW = new Date('2026-12-05T12:00:00Z');

/** A product stack (`meshkit:inputs` with domain and product) under the whole pack. */
function productStack(options: { settings?: PolicySettings; rules?: readonly PolicyRule[] } = {}): {
  app: App;
  stack: Stack;
} {
  const app = newApp();
  enforceMeshPolicies(app, {
    tags: TAGS,
    now: NOW,
    ...(options.settings ? { settings: options.settings } : {}),
    ...(options.rules ? { rules: options.rules } : {}),
  });
  const stack = new Stack(app, 'P');
  stack.templateOptions.metadata = { [INPUTS_METADATA_KEY]: { hash: 'x', domain: 'sales', product: 'orders' } };
  return { app, stack };
}

/** Synth must fail with a line `<ruleId> <path>: …`. */
const failsWith = (app: App, ruleId: string, path: string, message?: RegExp): string =>
  synthFailure(app, ruleId, path, message).line;

const table = (s: Stack, id: string, name: string, parameters: Record<string, string> = {}) =>
  new glue.CfnTable(s, id, {
    catalogId: '111111111111',
    databaseName: 'sales',
    tableInput: {
      name,
      parameters,
      storageDescriptor: { location: 's3://b/x/', columns: [{ name: 'id', type: 'string' }] },
    },
  });
const ruleset = (s: Stack, id: string, tableName: string) =>
  new glue.CfnDataQualityRuleset(s, id, {
    name: `${tableName}-dq`,
    ruleset: 'Rules = [ RowCount > 0 ]',
    targetTable: { databaseName: 'sales', tableName },
  });

describe('MESH-DQ-TABLE-RULESET: every Glue table has a ruleset or is a declared staging table', () => {
  const only = [ProductTableHasRulesetRule];

  it('a table named like nothing the pack knew (no _v<n>, no contract id) without a ruleset fails synth', () => {
    const { app, stack } = productStack({ rules: only });
    table(stack, 'Scratch', 'orders_scratch');
    failsWith(
      app,
      'MESH-DQ-TABLE-RULESET',
      'P/Scratch',
      /Glue table orders_scratch has no Glue Data Quality ruleset .*not declared a staging table: add a CfnDataQualityRuleset .*markStagingTable\(table, reason\) \(table parameter meshkit:staging\)/,
    );
  });

  it('also in a stack without meshkit:inputs (every stack is checked)', () => {
    const app = newApp();
    enforceMeshPolicies(app, { rules: only, now: NOW });
    const stack = new Stack(app, 'Other');
    table(stack, 'Scratch', 'scratch');
    failsWith(app, 'MESH-DQ-TABLE-RULESET', 'Other/Scratch', /not declared a staging table/);
  });

  it('a ruleset targeting the table, or a staging declaration with a reason, complies; staging tables are listed in the report', () => {
    const { app, stack } = productStack({ rules: only });
    table(stack, 'Checked', 'orders_enriched');
    ruleset(stack, 'CheckedDq', 'orders_enriched');
    const staged = table(stack, 'Staged', 'orders_landing');
    markStagingTable(staged, 'landing copy; the job checks every row when it writes orders_v1');
    assert.doesNotThrow(() => app.synth());
    const report = validateAssembly(app);
    assert.equal(report.ok, true);
    assert.deepEqual(
      report.stacks[0]!.stagingTables.map((t) => [t.tableName, t.constructPath, t.reason]),
      [['orders_landing', 'P/Staged', 'landing copy; the job checks every row when it writes orders_v1']],
    );
    assert.equal(report.summary.stagingTables, 1);
    assert.match(formatPolicyReport(report), /staging table orders_landing on P\/Staged: landing copy/);
  });

  it('markStagingTable needs a reason and a Glue table', () => {
    const { stack } = productStack();
    const t = table(stack, 'T', 'orders_landing');
    assert.throws(
      () => markStagingTable(t, 'tmp'),
      (e: unknown) => e instanceof MeshError && /reason is required/.test(e.message),
    );
    const topic = new sns.Topic(stack, 'Topic');
    assert.throws(
      () => markStagingTable(topic, 'a long enough reason'),
      (e: unknown) => e instanceof MeshError && /not a Glue table/.test(e.message),
    );
  });

  it('a staging declaration without a reason (hand-written parameter) fails', () => {
    const { app, stack } = productStack({ rules: only });
    table(stack, 'Staged', 'orders_landing', { [STAGING_PARAMETER]: 'x' });
    failsWith(
      app,
      'MESH-DQ-TABLE-RULESET',
      'P/Staged',
      /declared a staging table without a reason .*at least 10 characters/,
    );
  });

  it('a product output table cannot be declared staging', () => {
    const { app, stack } = productStack({ rules: only });
    const t = table(stack, 'Out', 'orders_v1');
    markStagingTable(t, 'trying to skip the ruleset of the output');
    failsWith(
      app,
      'MESH-DQ-TABLE-RULESET',
      'P/Out',
      /orders_v1 is a product output table .*meshkit:staging does not exempt an output table/,
    );
  });

  it('resource links are not checked', () => {
    const { app, stack } = productStack({ rules: only });
    new glue.CfnTable(stack, 'Link', {
      catalogId: '111111111111',
      databaseName: 'links',
      tableInput: {
        name: 'orders_v1',
        targetTable: { catalogId: '222222222222', databaseName: 'sales', name: 'orders_v1' },
      },
    });
    assert.doesNotThrow(() => app.synth());
  });

  it("the demo mesh: 0 violations, the stream product's raw table <product>_v<major>_raw is a listed staging table; a team table without a ruleset in a product stack fails", () => {
    const outdir = mkdtempSync(join(tmpdir(), 'meshkit-integrity-'));
    try {
      const { app } = buildMeshApp({ mesh: loadMesh(DEMO_MESH), outdir, policies: 'report' });
      const report = validateAssembly(app, { now: NOW });
      assert.equal(report.summary.errors, 0, formatPolicyReport(report));
      const staging = report.stacks.flatMap((s) => s.stagingTables);
      assert.deepEqual(
        staging.map((t) => [t.tableName, t.reason]),
        [['clickstream_v1_raw', STREAM_RAW_STAGING_REASON]],
      );
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }

    const outdir2 = mkdtempSync(join(tmpdir(), 'meshkit-integrity-'));
    try {
      const { app } = buildMeshApp({
        mesh: loadMesh(DEMO_MESH),
        outdir: outdir2,
        policies: 'report',
        customize: (stack, product) => {
          if (product.name === 'orders') table(stack, 'Shadow', 'orders_shadow');
        },
      });
      const report = validateAssembly(app, { now: NOW });
      const f = report.stacks.flatMap((s) => s.findings).filter((x) => x.ruleId === 'MESH-DQ-TABLE-RULESET');
      assert.equal(f.length, 1, formatPolicyReport(report));
      assert.match(f[0]!.constructPath, /\/Shadow$/);
      assert.equal(report.ok, false);
    } finally {
      rmSync(outdir2, { recursive: true, force: true });
    }
  });
});

describe('MESH-SUPPRESSION-TOO-LONG: suppressions run at most policy.maxSuppressionDays', () => {
  /** A bucket violating MESH-ENC-S3, suppressed until `expires`. */
  const suppressed = (expires: string, settings?: PolicySettings) => {
    const { app, stack } = productStack(settings ? { settings } : {});
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const logs = new s3.Bucket(stack, 'Logs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: s3.BucketEncryption.S3_MANAGED,
    });
    const data = new s3.Bucket(stack, 'Data', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: s3.BucketEncryption.S3_MANAGED,
      serverAccessLogsBucket: logs,
    });
    void key;
    suppress(data, 'MESH-ENC-S3', { reason: 'migration of the legacy bucket, ticket DATA-42', expires });
    return app;
  };

  it("expires '9999-12-31' fails synth naming the limit and the setting, and suppresses nothing", () => {
    const app = suppressed('9999-12-31');
    const line = failsWith(
      app,
      'MESH-SUPPRESSION-TOO-LONG',
      'P/Data/Resource',
      /suppression of MESH-ENC-S3 runs until 9999-12-31, more than 180 days from now .*mesh\.config\.yaml policy\.maxSuppressionDays = 180.*set expires to 2027-06-03 or earlier/,
    );
    assert.ok(line);
    const report = validateAssembly(suppressed('9999-12-31'));
    const s3f = report.stacks[0]!.findings.find((f) => f.ruleId === 'MESH-ENC-S3');
    assert.ok(s3f && !s3f.suppressed, 'the violation it tried to suppress is reported unsuppressed');
    assert.equal(report.stacks[0]!.suppressions[0]!.beyondLimit, true);
    assert.match(formatPolicyReport(report), /until 9999-12-31 \(BEYOND THE PLATFORM'S LIMIT\)/);
  });

  it('up to 180 days (the default) is accepted: the last allowed day passes, the next one fails', () => {
    assert.equal(DEFAULT_POLICY_SETTINGS.maxSuppressionDays, DEFAULT_MAX_SUPPRESSION_DAYS);
    assert.doesNotThrow(() => suppressed('2027-06-03').synth());
    failsWith(suppressed('2027-06-04'), 'MESH-SUPPRESSION-TOO-LONG', 'P/Data/Resource', /more than 180 days/);
    assert.doesNotThrow(() => suppressed('2027-06-03T11:00:00Z').synth());
  });

  it('the platform sets the limit (mesh.config.yaml policy.maxSuppressionDays)', () => {
    const settings = { ...DEFAULT_POLICY_SETTINGS, maxSuppressionDays: 30 };
    failsWith(
      suppressed('2027-02-01', settings),
      'MESH-SUPPRESSION-TOO-LONG',
      'P/Data/Resource',
      /more than 30 days from now .*policy\.maxSuppressionDays = 30.*set expires to 2027-01-04 or earlier/,
    );
    assert.doesNotThrow(() => suppressed('2026-12-20', settings).synth());
    const long = { ...DEFAULT_POLICY_SETTINGS, maxSuppressionDays: 400 };
    assert.doesNotThrow(() => suppressed('2027-12-01', long).synth());
  });

  it('MESH-SUPPRESSION-TOO-LONG itself cannot be suppressed', () => {
    const { stack } = productStack();
    const b = new s3.Bucket(stack, 'B');
    assert.throws(
      () => suppress(b, 'MESH-SUPPRESSION-TOO-LONG', { reason: 'not allowed at all, ever', expires: '2027-01-01' }),
      MeshError,
    );
  });
});

describe('MESH-CFN-DANGLING-REF: every reference resolves', () => {
  const only = [DanglingReferenceRule];

  it('a resource removed from under its users (tryRemoveChild) leaves a dangling Fn::GetAtt/Ref: synth fails at the user', () => {
    const { app, stack } = productStack({ rules: only });
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    new sns.Topic(stack, 'Topic', { masterKey: key });
    stack.node.tryRemoveChild('Key');
    failsWith(
      app,
      'MESH-CFN-DANGLING-REF',
      'P/Topic/Resource',
      /Fn::GetAtt Key[0-9A-F]+\.Arn: no resource Key[0-9A-F]+ in P — CloudFormation would reject the stack at deploy; restore the target or remove the reference/,
    );
  });

  it('Ref, Fn::Sub and DependsOn to nothing fail', () => {
    const { app, stack } = productStack({ rules: only });
    const topic = new sns.Topic(stack, 'Topic');
    const cfn = topic.node.defaultChild as CfnResource;
    cfn.addPropertyOverride('DisplayName', { Ref: 'Gone' });
    cfn.addPropertyOverride('TopicName', { 'Fn::Sub': '${AWS::StackName}-${Vanished.Name}' });
    cfn.addOverride('DependsOn', ['Missing']);
    const line = failsWith(app, 'MESH-CFN-DANGLING-REF', 'P/Topic/Resource');
    assert.match(line, /DependsOn Missing, which is not a resource of P/);
    assert.match(line, /Ref Gone: no resource or parameter of that name in P/);
    assert.match(line, /Fn::Sub \$\{Vanished\.Name\}: no resource or parameter Vanished in P/);
    assert.doesNotMatch(line, /AWS::StackName/);
  });

  it('Fn::ImportValue is checked against the exports of the whole assembly', () => {
    const app = newApp();
    enforceMeshPolicies(app, { rules: only, now: NOW });
    const domain = new Stack(app, 'Domain');
    const bucket = new s3.Bucket(domain, 'Bucket');
    const product = new Stack(app, 'Product');
    // A real cross-stack reference: CDK exports it from Domain and imports it in Product.
    new iam.Role(product, 'Role', {
      assumedBy: new iam.ServicePrincipal('glue.amazonaws.com'),
      inlinePolicies: {
        r: new iam.PolicyDocument({
          statements: [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [bucket.arnForObjects('*')] })],
        }),
      },
    });
    new sns.Topic(product, 'Topic', { displayName: Fn.importValue('nobody-exports-this') });
    failsWith(
      app,
      'MESH-CFN-DANGLING-REF',
      'Product/Topic/Resource',
      /Fn::ImportValue nobody-exports-this: no stack of the assembly exports it/,
    );
  });

  it('a compliant template has no dangling reference (pseudo parameters, template parameters, Sub variables)', () => {
    const template = {
      Parameters: { Env: { Type: 'String' } },
      Resources: {
        A: {
          Type: 'AWS::SNS::Topic',
          Properties: { TopicName: { 'Fn::Sub': ['${AWS::Region}-${Env}-${X}-${!Literal}', { X: 'x' }] } },
        },
        B: {
          Type: 'AWS::SNS::Topic',
          DependsOn: 'A',
          Properties: { DisplayName: { 'Fn::GetAtt': ['A', 'TopicName'] }, TopicName: { Ref: 'AWS::NoValue' } },
        },
      },
    };
    assert.deepEqual(evaluateTemplate(template, { rules: only }), []);
  });
});
