/**
 * enforceMeshPolicies: the bypass suite (each attempt must fail synth with the right rule id),
 * enforceFrom warnings, suppressions, the tagging aspect, and validateAssembly reports.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  App,
  CfnResource,
  Stack,
  Stage,
  Tags,
  Validations,
  aws_athena as athena,
  aws_glue as glue,
  aws_iam as iam,
  aws_kinesis as kinesis,
  aws_kms as kms,
  aws_s3 as s3,
  aws_sns as sns,
} from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { MeshError } from '@meshkit/contracts';
import {
  enforceMeshPolicies,
  suppress,
  validateAssembly,
  MeshTags,
  MESH_POLICY_RULES,
  SUPPRESSIONS_METADATA_KEY,
  formatPolicyReport,
  type PolicyRule,
} from '../src/index.js';
import { synthFailure } from './policy-helpers.js';

const TAGS = {
  domain: 'sales',
  product: 'orders',
  owner: 'team-sales',
  classification: 'internal',
  'cost-center': 'cc-1',
  'contract-version': '1.0.0',
};
/** In-memory app mode: CDK puts the validation report into the thrown error's message. */
const newApp = (outdir?: string) =>
  new App({ context: { '@aws-cdk/core:appMode': 'inmemory' }, ...(outdir ? { outdir } : {}) });

interface Fixture {
  app: App;
  stack: Stack;
  key: kms.Key;
  logs: s3.Bucket;
  data: s3.Bucket;
}

/** A stack that passes the whole pack: a CMK, the access-log bucket (SSE-S3), a data bucket, mandatory tags. */
function baseline(options: { rules?: readonly PolicyRule[]; now?: Date; outdir?: string } = {}): Fixture {
  const app = newApp(options.outdir);
  enforceMeshPolicies(app, {
    tags: TAGS,
    ...(options.rules ? { rules: options.rules } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  const stack = new Stack(app, 'P');
  const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
  const secure = { blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL, enforceSSL: true };
  const logs = new s3.Bucket(stack, 'AccessLogs', { ...secure, encryption: s3.BucketEncryption.S3_MANAGED });
  const data = new s3.Bucket(stack, 'Data', {
    ...secure,
    encryption: s3.BucketEncryption.KMS,
    encryptionKey: key,
    serverAccessLogsBucket: logs,
    serverAccessLogsPrefix: 'data/',
  });
  return { app, stack, key, logs, data };
}

/** Synth must fail with a line `<ruleId> <path>: …`. */
const failsWith = (app: App, ruleId: string, path: string, message?: RegExp): string =>
  synthFailure(app, ruleId, path, message).text;

const glueJob = (s: Stack, id: string, props: Partial<glue.CfnJobProps> = {}) =>
  new glue.CfnJob(s, id, {
    role: 'arn:aws:iam::111111111111:role/job',
    command: { name: 'glueetl', scriptLocation: 's3://b/job.py' },
    ...props,
  });

describe('baseline', () => {
  it('a compliant stack synthesizes under the whole pack', () => {
    const { app } = baseline();
    assert.doesNotThrow(() => app.synth());
    const report = validateAssembly(app);
    assert.equal(report.ok, true);
    assert.equal(report.summary.errors, 0);
  });
});

describe('bypass suite: each attempt fails synth with the right rule id', () => {
  it('a raw CfnBucket without encryption', () => {
    const { app, stack } = baseline();
    new s3.CfnBucket(stack, 'Raw');
    failsWith(app, 'MESH-ENC-S3', 'P/Raw', /no BucketEncryption/);
  });
  it('an override deleting BucketEncryption (addPropertyDeletionOverride)', () => {
    const { app, data } = baseline();
    (data.node.defaultChild as s3.CfnBucket).addPropertyDeletionOverride('BucketEncryption');
    failsWith(app, 'MESH-ENC-S3', 'P/Data/Resource', /no BucketEncryption/);
  });
  it('an override deleting BucketEncryption (addDeletionOverride)', () => {
    const { app, data } = baseline();
    (data.node.defaultChild as s3.CfnBucket).addDeletionOverride('Properties.BucketEncryption');
    failsWith(app, 'MESH-ENC-S3', 'P/Data/Resource');
  });
  it('an override switching the algorithm to AES256 (addPropertyOverride)', () => {
    const { app, data } = baseline();
    (data.node.defaultChild as s3.CfnBucket).addPropertyOverride(
      'BucketEncryption.ServerSideEncryptionConfiguration.0.ServerSideEncryptionByDefault',
      { SSEAlgorithm: 'AES256' },
    );
    failsWith(app, 'MESH-ENC-S3', 'P/Data/Resource', /SSE-S3/);
  });
  it('SSE-S3 instead of KMS on a data bucket', () => {
    const { app, stack, logs } = baseline();
    new s3.Bucket(stack, 'Curated', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: s3.BucketEncryption.S3_MANAGED,
      serverAccessLogsBucket: logs,
    });
    failsWith(app, 'MESH-ENC-S3', 'P/Curated/Resource', /SSE-S3 \(AES256\)/);
  });
  it('an unencrypted Kinesis stream', () => {
    const { app, stack } = baseline();
    new kinesis.Stream(stack, 'Stream', { encryption: kinesis.StreamEncryption.UNENCRYPTED });
    failsWith(app, 'MESH-ENC-KINESIS', 'P/Stream/Resource');
  });
  it('an encrypted Kinesis stream whose encryption is overridden away', () => {
    const { app, stack, key } = baseline();
    const st = new kinesis.Stream(stack, 'Stream', { encryption: kinesis.StreamEncryption.KMS, encryptionKey: key });
    (st.node.defaultChild as kinesis.CfnStream).addPropertyOverride('StreamEncryption.EncryptionType', 'NONE');
    failsWith(app, 'MESH-ENC-KINESIS', 'P/Stream/Resource');
  });
  it('an unencrypted SNS topic', () => {
    const { app, stack } = baseline();
    new sns.Topic(stack, 'Alarms');
    failsWith(app, 'MESH-ENC-SNS', 'P/Alarms/Resource');
  });
  it('a Glue job without a security configuration', () => {
    const { app, stack } = baseline();
    glueJob(stack, 'Job');
    failsWith(app, 'MESH-ENC-GLUE-JOB', 'P/Job');
  });
  it('an Athena workgroup without enforced encryption', () => {
    const { app, stack } = baseline();
    new athena.CfnWorkGroup(stack, 'Wg', {
      name: 'sales',
      workGroupConfiguration: { enforceWorkGroupConfiguration: false },
    });
    failsWith(
      app,
      'MESH-ENC-ATHENA',
      'P/Wg',
      /EnforceWorkGroupConfiguration is not true; result encryption is not set/,
    );
  });
  it('a wildcard IAM policy', () => {
    const { app, stack } = baseline();
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('glue.amazonaws.com') });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:*'], resources: ['*'] }));
    const text = failsWith(app, 'MESH-IAM-NO-WILDCARD-ACTION', 'P/Role/DefaultPolicy/Resource', /allows 's3:\*'/);
    assert.match(text, /MESH-IAM-NO-WILDCARD-DATA-RESOURCE P\/Role\/DefaultPolicy\/Resource: /);
  });
  it('a public bucket policy', () => {
    const { app, data } = baseline();
    data.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:GetObject'],
        resources: [data.arnForObjects('*')],
      }),
    );
    failsWith(app, 'MESH-NET-S3-NO-PUBLIC-POLICY', 'P/Data/Policy/Resource');
  });
  it('a product table without a DQ ruleset', () => {
    const { app, stack } = baseline();
    new glue.CfnTable(stack, 'Table', {
      catalogId: '111111111111',
      databaseName: 'sales',
      tableInput: { name: 'orders_v1', parameters: { 'meshkit:contract-id': 'urn:sales:orders' } },
    });
    failsWith(app, 'MESH-DQ-TABLE-RULESET', 'P/Table');
  });
  it('a suppression without a reason throws at call time', () => {
    const { data } = baseline();
    assert.throws(
      () => suppress(data, 'MESH-ENC-S3', { reason: '', expires: '2099-01-01' }),
      (e) => e instanceof MeshError && /reason is required/.test(e.message),
    );
    assert.throws(() => suppress(data, 'MESH-ENC-S3', { reason: 'too short', expires: '2099-01-01' }), MeshError);
    assert.throws(
      () => suppress(data, 'MESH-ENC-S3', { reason: undefined as unknown as string, expires: '2099-01-01' }),
      MeshError,
    );
  });
  it('an expired suppression is an error and does not suppress', () => {
    const { app, stack } = baseline({ now: new Date('2026-03-01T00:00:00Z') });
    const topic = new sns.Topic(stack, 'Alarms');
    suppress(topic, 'MESH-ENC-SNS', { reason: 'waiting for the domain key policy change', expires: '2026-02-28' });
    const text = failsWith(app, 'MESH-SUPPRESSION-EXPIRED', 'P/Alarms/Resource', /expired on 2026-02-28/);
    assert.match(text, /MESH-ENC-SNS P\/Alarms\/Resource: /);
  });
  it('a hand-written suppression without a reason is invalid and does not suppress', () => {
    const { app, stack } = baseline();
    const topic = new sns.Topic(stack, 'Alarms');
    (topic.node.defaultChild as CfnResource).addMetadata(SUPPRESSIONS_METADATA_KEY, [
      { ruleId: 'MESH-ENC-SNS', expires: '2099-01-01' },
    ]);
    const text = failsWith(app, 'MESH-SUPPRESSION-INVALID', 'P/Alarms/Resource');
    assert.match(text, /MESH-ENC-SNS P\/Alarms\/Resource: /);
  });
  it('stacks inside a nested Stage are checked by the App-level registration', () => {
    const app = newApp();
    enforceMeshPolicies(app);
    new s3.CfnBucket(new Stack(new Stage(app, 'Prod'), 'P'), 'Raw');
    failsWith(app, 'MESH-ENC-S3', 'Prod/P/Raw');
  });
  it('a CDK acknowledgement cannot silence the pack', () => {
    const { app, stack } = baseline();
    const raw = new s3.CfnBucket(stack, 'Raw');
    Validations.of(raw).acknowledge({ id: 'meshkit-policy-pack::MESH-ENC-S3', reason: 'trying to bypass the pack' });
    failsWith(app, 'MESH-ENC-S3', 'P/Raw');
  });
});

describe('enforceFrom and suppressions', () => {
  const withEnforceFrom = (id: string, enforceFrom: string) =>
    MESH_POLICY_RULES.map((r) => (r.id === id ? { ...r, enforceFrom } : r));

  it('a rule whose enforceFrom is in the future reports a warning, not a failure', () => {
    const { app, stack } = baseline({ rules: withEnforceFrom('MESH-ENC-SNS', '2999-01-01') });
    new sns.Topic(stack, 'Alarms');
    assert.doesNotThrow(() => app.synth());
    const report = validateAssembly(app, { rules: withEnforceFrom('MESH-ENC-SNS', '2999-01-01') });
    assert.equal(report.ok, true);
    assert.equal(report.summary.warnings, 1);
    assert.equal(report.stacks[0]!.findings[0]!.ruleId, 'MESH-ENC-SNS');
    assert.equal(report.stacks[0]!.findings[0]!.level, 'warning');
  });
  it('the same rule after its enforceFrom date fails synth', () => {
    const { app, stack } = baseline({ rules: withEnforceFrom('MESH-ENC-SNS', '2020-01-01') });
    new sns.Topic(stack, 'Alarms');
    failsWith(app, 'MESH-ENC-SNS', 'P/Alarms/Resource');
  });
  it('a suppression with a reason is reported (with its expiry), not failing', () => {
    const { app, stack } = baseline();
    const topic = new sns.Topic(stack, 'Alarms');
    // Within the platform's longest suppression (policy.maxSuppressionDays, default 180 days).
    const until = new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10);
    suppress(topic, 'MESH-ENC-SNS', { reason: 'waiting for the domain key policy change', expires: until });
    assert.doesNotThrow(() => app.synth());
    const report = validateAssembly(app);
    assert.equal(report.ok, true);
    assert.equal(report.summary.suppressed, 1);
    const s = report.stacks[0]!;
    assert.deepEqual(
      s.findings.map((f) => [f.ruleId, f.suppressed?.expires]),
      [['MESH-ENC-SNS', until]],
    );
    assert.deepEqual(
      s.suppressions.map((x) => [x.ruleId, x.constructPath, x.expires, x.expired, x.matched]),
      [['MESH-ENC-SNS', 'P/Alarms/Resource', until, false, 1]],
    );
    assert.match(
      formatPolicyReport(report),
      new RegExp(`suppression MESH-ENC-SNS on P/Alarms/Resource until ${until}: waiting for`),
    );
  });
  it('suppress() writes the metadata on the L1 and validates its input', () => {
    const { stack, data } = baseline();
    // Within the platform's longest suppression (default 180 days): Template.fromStack synthesizes under the pack.
    const day = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    suppress(data, 'MESH-LOG-S3-ACCESS', { reason: 'replica bucket logs in its own region', expires: day });
    suppress(data, 'MESH-DR-CRITICAL-REPLICATION', {
      reason: 'replication arrives with ticket 42',
      expires: `${day}T12:00:00Z`,
    });
    Template.fromStack(stack).hasResource('AWS::S3::Bucket', {
      Metadata: {
        [SUPPRESSIONS_METADATA_KEY]: [
          { ruleId: 'MESH-LOG-S3-ACCESS', reason: 'replica bucket logs in its own region', expires: day },
          {
            ruleId: 'MESH-DR-CRITICAL-REPLICATION',
            reason: 'replication arrives with ticket 42',
            expires: `${day}T12:00:00Z`,
          },
        ],
      },
    });
    assert.throws(
      () => suppress(data, 'MESH-ENC-S3', { reason: 'a good enough reason', expires: 'next week' }),
      /expires must be an ISO date/,
    );
    assert.throws(
      () => suppress(data, 'MESH-ENC-S3', { reason: 'a good enough reason', expires: '2026-02-30' }),
      /expires must be an ISO date/,
    );
    assert.throws(
      () => suppress(data, 'not-a-rule', { reason: 'a good enough reason', expires: '2099-01-01' }),
      /ruleId/,
    );
    assert.throws(
      () => suppress(data, 'MESH-SUPPRESSION-EXPIRED', { reason: 'a good enough reason', expires: '2099-01-01' }),
      /cannot be suppressed/,
    );
    assert.throws(
      () => suppress(stack, 'MESH-ENC-S3', { reason: 'a good enough reason', expires: '2099-01-01' }),
      /no CloudFormation resource/,
    );
  });
});

describe('mandatory tags (the mutating part)', () => {
  const tagsOf = (stack: Stack, type: string) => {
    const r = Object.values(Template.fromStack(stack).findResources(type))[0] as { Properties: { Tags: unknown } };
    return r.Properties.Tags;
  };
  it('enforceMeshPolicies({ tags }) tags every taggable resource (list and map shapes)', () => {
    const { stack, key } = baseline();
    new glue.CfnSecurityConfiguration(stack, 'SC', {
      name: 'sc',
      encryptionConfiguration: {
        s3Encryptions: [{ s3EncryptionMode: 'SSE-KMS', kmsKeyArn: key.keyArn }],
        cloudWatchEncryption: { cloudWatchEncryptionMode: 'SSE-KMS', kmsKeyArn: key.keyArn },
        jobBookmarksEncryption: { jobBookmarksEncryptionMode: 'CSE-KMS', kmsKeyArn: key.keyArn },
      },
    });
    glueJob(stack, 'Job', { securityConfiguration: 'sc' });
    const list = tagsOf(stack, 'AWS::KMS::Key') as Array<{ Key: string; Value: string }>;
    assert.deepEqual(Object.fromEntries(list.map((t) => [t.Key, t.Value])), TAGS);
    assert.deepEqual(tagsOf(stack, 'AWS::Glue::Job'), TAGS);
  });
  it('a mandatory tag removed with Tags.of(x).remove() is restored', () => {
    const { app, stack, data } = baseline();
    Tags.of(data).remove('owner');
    Tags.of(stack).add('owner', 'someone-else');
    assert.doesNotThrow(() => app.synth());
    Template.fromStack(stack).hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }],
      },
      Tags: [
        { Key: 'classification', Value: 'internal' },
        { Key: 'contract-version', Value: '1.0.0' },
        { Key: 'cost-center', Value: 'cc-1' },
        { Key: 'domain', Value: 'sales' },
        { Key: 'owner', Value: 'team-sales' },
        { Key: 'product', Value: 'orders' },
      ],
    });
  });
  it('a mandatory tag removed at a higher priority fails synth with MESH-TAG-MANDATORY', () => {
    const { app, data } = baseline();
    Tags.of(data).remove('owner', { priority: 5000 });
    failsWith(app, 'MESH-TAG-MANDATORY', 'P/Data/Resource', /missing mandatory tag owner/);
  });
  it('plain CfnResources of a taggable type (e.g. CDK handler functions) are tagged too', () => {
    const { stack } = baseline();
    new CfnResource(stack, 'Handler', {
      type: 'AWS::Lambda::Function',
      properties: {
        Role: 'arn:aws:iam::111111111111:role/r',
        Code: { ZipFile: 'x' },
        Handler: 'index.h',
        Runtime: 'python3.12',
      },
    });
    const tags = tagsOf(stack, 'AWS::Lambda::Function') as Array<{ Key: string; Value: string }>;
    assert.deepEqual(Object.fromEntries(tags.map((t) => [t.Key, t.Value])), TAGS);
  });
  it('MeshTags.apply refuses a missing or empty mandatory tag', () => {
    const stack = new Stack(new App(), 'S');
    assert.throws(
      () => MeshTags.apply(stack, { ...TAGS, owner: '' }),
      (e) => e instanceof MeshError && /mandatory tag 'owner' is empty/.test(e.message),
    );
    const { product: _p, ...noProduct } = TAGS;
    assert.throws(() => MeshTags.apply(stack, noProduct), /mandatory tag 'product' is missing/);
  });
});

describe('validateAssembly', () => {
  it('reads a cloud assembly directory; follows Fn::ImportValue to the access-log bucket of another stack', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'meshkit-policy-'));
    try {
      const app = new App({ outdir });
      const domain = new Stack(app, 'Domain');
      const logsBucket = new s3.Bucket(domain, 'AccessLogs', { encryption: s3.BucketEncryption.S3_MANAGED });
      const product = new Stack(app, 'Product');
      new s3.CfnBucket(product, 'Curated', { loggingConfiguration: { destinationBucketName: logsBucket.bucketName } });
      app.synth();
      const report = validateAssembly(outdir, { rules: MESH_POLICY_RULES.filter((r) => r.id === 'MESH-ENC-S3') });
      assert.deepEqual(report.stacks.map((s) => s.stackName).sort(), ['Domain', 'Product']);
      // The domain's log bucket is recognised through the product's import: SSE-S3 allowed.
      assert.deepEqual(report.stacks.find((s) => s.stackName === 'Domain')!.findings, []);
      assert.deepEqual(
        report.stacks.find((s) => s.stackName === 'Product')!.findings.map((f) => [f.ruleId, f.constructPath]),
        [['MESH-ENC-S3', 'Product/Curated']],
      );
      assert.equal(report.ok, false);
      assert.deepEqual(JSON.parse(JSON.stringify(report)), report);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
  it('returns the failing report of an App whose synth the pack stopped', () => {
    const { app, stack } = baseline();
    new s3.CfnBucket(stack, 'Raw');
    const report = validateAssembly(app);
    assert.equal(report.ok, false);
    const s = report.stacks[0]!;
    assert.equal(s.stackName, 'P');
    assert.ok(s.errors >= 3);
    assert.ok(s.findings.some((f) => f.ruleId === 'MESH-ENC-S3' && f.constructPath === 'P/Raw' && f.level === 'error'));
    assert.match(formatPolicyReport(report), /MESH-ENC-S3 P\/Raw: bucket has no BucketEncryption/);
  });
  it('refuses a directory without a cloud assembly', () => {
    assert.throws(
      () => validateAssembly(tmpdir() + '/definitely-not-cdk-out'),
      (e) => e instanceof MeshError && e.code === 'FILE_NOT_FOUND',
    );
  });
});
