/**
 * Coverage by construction (issue 15, items 1 and 2): nested stacks are evaluated as part of
 * their stack, resource types are matched case-insensitively, unknown types in product and domain
 * stacks fail closed unless allow-listed, and custom resources (deploy-time code) are findings
 * unless allow-listed — never when they change encryption, public access, policies or tags.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  App,
  CfnResource,
  CustomResource,
  NestedStack,
  Stack,
  Tags,
  aws_glue as glue,
  aws_iam as iam,
  aws_kinesis as kinesis,
  aws_s3 as s3,
} from 'aws-cdk-lib';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import { INPUTS_METADATA_KEY, type PolicySettings } from '@meshkit/contracts';
import {
  enforceMeshPolicies,
  evaluateTemplate,
  evaluateTemplates,
  forbiddenCallReason,
  MeshTags,
  MESH_KNOWN_RESOURCE_TYPES,
  sdkCalls,
  validateAssembly,
  type PolicyFinding,
} from '../src/index.js';

const TAGS = {
  domain: 'sales',
  product: 'orders',
  owner: 'team-sales',
  classification: 'internal',
  'cost-center': 'cc-1',
  'contract-version': '1.0.0',
};
const PRODUCT = { [INPUTS_METADATA_KEY]: { hash: 'h', domain: 'sales', product: 'orders' } };
const DOMAIN = { [INPUTS_METADATA_KEY]: { hash: 'h', domain: 'sales' } };
const PLATFORM = { [INPUTS_METADATA_KEY]: { hash: 'h' } };
const settings = (s: Partial<PolicySettings>): PolicySettings => ({
  allowedResourceTypes: [],
  allowedCustomResources: [],
  maxSuppressionDays: 180,
  ...s,
});

/** A product stack as buildMeshApp makes it (meshkit:inputs with domain and product, mandatory tags). */
function productStack(options: { enforce?: boolean; settings?: PolicySettings } = {}) {
  const outdir = mkdtempSync(join(tmpdir(), 'mesh-coverage-'));
  const app = new App({ outdir, context: { '@aws-cdk/core:appMode': 'inmemory' } });
  if (options.enforce)
    enforceMeshPolicies(app, { tags: TAGS, ...(options.settings ? { settings: options.settings } : {}) });
  const stack = new Stack(app, 'mesh-sales-orders', { env: { account: '111111111111', region: 'eu-west-1' } });
  stack.templateOptions.metadata = PRODUCT;
  MeshTags.apply(stack, TAGS);
  return { app, stack, outdir };
}

const has = (findings: readonly PolicyFinding[], ruleId: string, path: string | RegExp, message?: RegExp) => {
  const f = findings.find(
    (x) => x.ruleId === ruleId && (typeof path === 'string' ? x.constructPath === path : path.test(x.constructPath)),
  );
  assert.ok(
    f,
    `expected ${ruleId} at ${String(path)} in:\n${findings.map((x) => `${x.ruleId} ${x.constructPath}: ${x.message}`).join('\n')}`,
  );
  if (message) assert.match(f.message, message);
  return f;
};

/** The bypass of the issue: everything a team should not do, inside a NestedStack. */
function sneakyNestedStack(scope: Stack): NestedStack {
  const nested = new NestedStack(scope, 'Sneaky');
  new s3.CfnBucket(nested, 'PublicBucket', {});
  new iam.CfnPolicy(nested, 'StarStar', {
    policyName: 'all',
    roles: ['some-role'],
    policyDocument: {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: '*:*', Resource: '*' },
        { Effect: 'Allow', Action: '*', Resource: '*' },
      ],
    },
  });
  new kinesis.CfnStream(nested, 'PlainStream', { shardCount: 1 });
  new glue.CfnJob(nested, 'Job', {
    role: 'arn:aws:iam::111111111111:role/job',
    command: { name: 'glueetl', scriptLocation: 's3://b/job.py' },
  });
  new glue.CfnWorkflow(nested, 'Workflow', {});
  Tags.of(nested).remove('owner', { priority: 5000 }); // untagged: removed above MeshTags' priority
  return nested;
}

describe('nested stacks are evaluated as part of their stack', () => {
  it('validateAssembly(cdk.out): every violation inside a NestedStack of a product stack, with the nested construct path', () => {
    const { app, stack, outdir } = productStack();
    sneakyNestedStack(stack);
    app.synth();
    const report = validateAssembly(outdir);
    assert.equal(report.ok, false);
    assert.deepEqual(
      report.stacks.map((s) => s.stackName),
      ['mesh-sales-orders'],
      'nested stacks are reported with their parent',
    );
    const findings = report.stacks[0]!.findings;
    has(findings, 'MESH-ENC-S3', 'mesh-sales-orders/Sneaky/PublicBucket', /no BucketEncryption/);
    has(findings, 'MESH-NET-S3-BLOCK-PUBLIC', 'mesh-sales-orders/Sneaky/PublicBucket');
    has(findings, 'MESH-IAM-NO-WILDCARD-ACTION', 'mesh-sales-orders/Sneaky/StarStar');
    has(findings, 'MESH-ENC-KINESIS', 'mesh-sales-orders/Sneaky/PlainStream');
    has(findings, 'MESH-ENC-GLUE-JOB', 'mesh-sales-orders/Sneaky/Job');
    has(findings, 'MESH-TAG-MANDATORY', 'mesh-sales-orders/Sneaky/Workflow', /owner/);
  });

  it('the validation plugin (enforceMeshPolicies) fails synth on a nested stack two levels deep', () => {
    const { app, stack } = productStack({ enforce: true });
    const outer = new NestedStack(stack, 'Outer');
    const inner = new NestedStack(outer, 'Inner');
    new s3.CfnBucket(inner, 'Deep', {});
    let text = '';
    assert.throws(
      () => app.synth(),
      (e: Error) => {
        text = e.message;
        return true;
      },
    );
    assert.match(text, /MESH-ENC-S3 mesh-sales-orders\/Outer\/Inner\/Deep: bucket has no BucketEncryption/);
  });

  it('a nested stack whose template is not in the assembly is an unknown resource (fails closed)', () => {
    const template = {
      Metadata: PRODUCT,
      Resources: {
        External: { Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: 'https://example.com/t.json' } },
      },
    };
    has(
      evaluateTemplate(template, { stackName: 'S' }),
      'MESH-RES-UNKNOWN-TYPE',
      'S/External',
      /nested stack whose template is not part of the cloud assembly/,
    );
  });
});

describe('resource types are matched case-insensitively', () => {
  it('a CfnResource of type aws::s3::bucket is a bucket for every rule', () => {
    const findings = evaluateTemplate(
      { Metadata: PRODUCT, Resources: { Lower: { Type: 'aws::s3::bucket', Properties: {} } } },
      { stackName: 'S' },
    );
    for (const id of ['MESH-ENC-S3', 'MESH-NET-S3-BLOCK-PUBLIC', 'MESH-NET-S3-SSL-ONLY', 'MESH-TAG-MANDATORY'])
      has(findings, id, 'S/Lower');
    assert.equal(findings.find((f) => f.ruleId === 'MESH-ENC-S3')!.resourceType, 'AWS::S3::Bucket');
    assert.ok(!findings.some((f) => f.ruleId === 'MESH-RES-UNKNOWN-TYPE'), 'a known type in another spelling is known');
  });
  it('through synth: a CfnResource aws::kinesis::stream in a product stack', () => {
    const { app, stack, outdir } = productStack();
    new CfnResource(stack, 'Stream', { type: 'aws::kinesis::stream', properties: { ShardCount: 1 } });
    app.synth();
    has(validateAssembly(outdir).stacks[0]!.findings, 'MESH-ENC-KINESIS', 'mesh-sales-orders/Stream');
  });
});

describe('unknown resource types fail closed in product and domain stacks', () => {
  const unknown = {
    Directory: {
      Type: 'AWS::S3Express::DirectoryBucket',
      Properties: { DataRedundancy: 'SingleAvailabilityZone', LocationName: 'euw1-az1--x-s3' },
    },
    Crawler: { Type: 'AWS::Glue::Crawler', Properties: { Role: 'r', Targets: { S3Targets: [{ Path: 's3://b/' }] } } },
    Table: { Type: 'AWS::DynamoDB::Table', Properties: { KeySchema: [] } },
  };
  it('S3 Express directory buckets, Glue crawlers and anything unrecognised that stores data', () => {
    for (const metadata of [PRODUCT, DOMAIN]) {
      const findings = evaluateTemplate({ Metadata: metadata, Resources: unknown }, { stackName: 'S' });
      has(
        findings,
        'MESH-RES-UNKNOWN-TYPE',
        'S/Directory',
        /AWS::S3Express::DirectoryBucket is not one the policy pack knows.*policy\.allowedResourceTypes in mesh\.config\.yaml/,
      );
      has(findings, 'MESH-RES-UNKNOWN-TYPE', 'S/Crawler');
      has(findings, 'MESH-RES-UNKNOWN-TYPE', 'S/Table');
    }
  });
  it('also spelled in lower case', () => {
    has(
      evaluateTemplate(
        { Metadata: PRODUCT, Resources: { C: { Type: 'aws::glue::crawler', Properties: {} } } },
        { stackName: 'S' },
      ),
      'MESH-RES-UNKNOWN-TYPE',
      'S/C',
    );
  });
  it('the platform allow-lists a type (case-insensitive), with its reason', () => {
    const findings = evaluateTemplate(
      { Metadata: PRODUCT, Resources: unknown },
      {
        stackName: 'S',
        settings: settings({
          allowedResourceTypes: [
            { type: 'aws::dynamodb::table', reason: 'lookup tables, encrypted by the platform SCP' },
          ],
        }),
      },
    );
    assert.ok(!findings.some((f) => f.ruleId === 'MESH-RES-UNKNOWN-TYPE' && f.logicalId === 'Table'));
    assert.ok(findings.some((f) => f.ruleId === 'MESH-RES-UNKNOWN-TYPE' && f.logicalId === 'Crawler'));
  });
  it('platform stacks and templates not built by Meshkit are not concerned', () => {
    for (const t of [{ Metadata: PLATFORM, Resources: unknown }, { Resources: unknown }]) {
      assert.ok(!evaluateTemplate(t).some((f) => f.ruleId === 'MESH-RES-UNKNOWN-TYPE'));
    }
  });
  it('the known list holds what Meshkit builds, and not the types that escape the rules', () => {
    for (const t of [
      'AWS::S3::Bucket',
      'AWS::Glue::Job',
      'AWS::LakeFormation::PrincipalPermissions',
      'AWS::CloudWatch::Dashboard',
    ])
      assert.ok(MESH_KNOWN_RESOURCE_TYPES.includes(t), t);
    for (const t of ['AWS::Glue::Crawler', 'AWS::S3Express::DirectoryBucket', 'AWS::DynamoDB::Table'])
      assert.ok(!MESH_KNOWN_RESOURCE_TYPES.includes(t), t);
  });
});

describe('custom resources: deploy-time code only when allow-listed, never to change encryption, access, policies or tags', () => {
  /** A product stack with one AwsCustomResource making `call` on create. */
  function sdk(service: string, action: string, parameters: Record<string, unknown>, s?: PolicySettings) {
    const { app, stack, outdir } = productStack();
    const bucket = new s3.Bucket(stack, 'Data');
    new AwsCustomResource(stack, 'Call', {
      onCreate: {
        service,
        action,
        parameters: { Bucket: bucket.bucketName, ...parameters },
        physicalResourceId: PhysicalResourceId.of('x'),
      },
      policy: AwsCustomResourcePolicy.fromSdkCalls({ resources: [bucket.bucketArn] }),
    });
    app.synth();
    return validateAssembly(outdir, s ? { settings: s } : {}).stacks[0]!.findings;
  }

  it("AwsCustomResource deleting a bucket's public access block", () => {
    const f = sdk('S3', 'deletePublicAccessBlock', {});
    has(
      f,
      'MESH-RES-CUSTOM-RESOURCE',
      /^mesh-sales-orders\/Call/,
      /Create s3:DeletePublicAccessBlock.*policy\.allowedCustomResources/,
    );
    has(
      f,
      'MESH-RES-DEPLOY-MUTATION',
      /^mesh-sales-orders\/Call/,
      /s3:DeletePublicAccessBlock: it changes public access.*never allowed/,
    );
  });
  it('AwsCustomResource putting a public bucket policy: refused even when allow-listed', () => {
    const policy = JSON.stringify({
      Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' }],
    });
    const allow = settings({
      allowedCustomResources: [{ type: 's3:PutBucketPolicy', reason: 'allow-listed by mistake' }],
    });
    const f = sdk('@aws-sdk/client-s3', 'PutBucketPolicyCommand', { Policy: policy }, allow);
    assert.ok(!f.some((x) => x.ruleId === 'MESH-RES-CUSTOM-RESOURCE'), 'the allow-list covers the call');
    has(f, 'MESH-RES-DEPLOY-MUTATION', /^mesh-sales-orders\/Call/, /s3:PutBucketPolicy: it changes a policy/);
  });
  it('AwsCustomResource creating a bucket', () => {
    const f = sdk('S3', 'createBucket', {});
    has(f, 'MESH-RES-CUSTOM-RESOURCE', /^mesh-sales-orders\/Call/);
    has(f, 'MESH-RES-DEPLOY-MUTATION', /^mesh-sales-orders\/Call/, /creates a data store outside the template/);
  });
  it('an allow-listed read-only call passes', () => {
    const f = sdk(
      'S3',
      'getBucketLocation',
      {},
      settings({
        allowedCustomResources: [{ type: 's3:GetBucketLocation', reason: 'region lookup for the dashboard' }],
      }),
    );
    assert.ok(
      !f.some((x) => x.ruleId.startsWith('MESH-RES-')),
      JSON.stringify(f.filter((x) => x.ruleId.startsWith('MESH-RES-'))),
    );
  });
  it('a Lambda-backed custom resource, and AWS::CloudFormation::CustomResource', () => {
    const { app, stack, outdir } = productStack();
    new CustomResource(stack, 'Mine', {
      serviceToken: 'arn:aws:lambda:eu-west-1:111111111111:function:f',
      resourceType: 'Custom::BucketMaker',
    });
    new CfnResource(stack, 'Generic', {
      type: 'AWS::CloudFormation::CustomResource',
      properties: { ServiceToken: 'arn:aws:sns:eu-west-1:111111111111:t' },
    });
    app.synth();
    const f = validateAssembly(outdir).stacks[0]!.findings;
    has(
      f,
      'MESH-RES-CUSTOM-RESOURCE',
      /^mesh-sales-orders\/Mine/,
      /custom resource Custom::BucketMaker runs code at deploy time.*policy\.allowedCustomResources/,
    );
    has(f, 'MESH-RES-CUSTOM-RESOURCE', /^mesh-sales-orders\/Generic/);
    const allowed = validateAssembly(outdir, {
      settings: settings({
        allowedCustomResources: [{ type: 'custom::bucketmaker', reason: 'platform-reviewed provider' }],
      }),
    }).stacks[0]!.findings;
    assert.ok(!allowed.some((x) => x.ruleId === 'MESH-RES-CUSTOM-RESOURCE' && x.logicalId.startsWith('Mine')));
  });
  it('custom resources are checked in every stack, nested ones included', () => {
    const t = { Resources: { C: { Type: 'Custom::Anything', Properties: { ServiceToken: 'x' } } } };
    has(evaluateTemplate(t, { stackName: 'platform' }), 'MESH-RES-CUSTOM-RESOURCE', 'platform/C');
    const [e] = evaluateTemplates([
      {
        template: { Metadata: PRODUCT, Resources: {} },
        stackName: 'P',
        nested: [{ logicalId: 'N', relativePath: 'N', templateFile: 'n.json', template: t, nested: [] }],
      },
    ]);
    has(e!.findings, 'MESH-RES-CUSTOM-RESOURCE', 'P/N/C');
  });
  it('SDK calls hidden in Fn::Join, or not statically known', () => {
    const call = (create: unknown) => ({ Type: 'Custom::AWS', Properties: { ServiceToken: 'x', Create: create } });
    const joined = {
      'Fn::Join': [
        '',
        ['{"service":"S3","action":"deleteBucketEncryption","parameters":{"Bucket":"', { Ref: 'B' }, '"}}'],
      ],
    };
    assert.deepEqual(sdkCalls({ logicalId: 'C', ...viewOf(call(joined)) }), [
      { phase: 'Create', service: 's3', action: 'DeleteBucketEncryption' },
    ]);
    const tokenAction = { 'Fn::Join': ['', ['{"service":"S3","action":"', { Ref: 'A' }, '"}']] };
    const f = evaluateTemplate({ Resources: { J: call(joined), T: call(tokenAction) } }, { stackName: 'S' });
    has(f, 'MESH-RES-DEPLOY-MUTATION', 'S/J', /s3:DeleteBucketEncryption: it changes encryption/);
    has(f, 'MESH-RES-CUSTOM-RESOURCE', 'S/T', /service or action not statically known/);
  });
  it('the calls never allowed', () => {
    for (const [s, a] of [
      ['s3', 'PutBucketEncryption'],
      ['s3', 'DeleteBucketEncryption'],
      ['s3', 'PutPublicAccessBlock'],
      ['s3', 'DeleteBucketPolicy'],
      ['kms', 'PutKeyPolicy'],
      ['kms', 'DisableKey'],
      ['kms', 'ScheduleKeyDeletion'],
      ['iam', 'PutRolePolicy'],
      ['iam', 'AttachRolePolicy'],
      ['glue', 'TagResource'],
      ['s3', 'PutBucketTagging'],
      ['lakeformation', 'GrantPermissions'],
      ['sqs', 'SetQueueAttributes'],
      ['logs', 'DisassociateKmsKey'],
    ]) {
      assert.ok(forbiddenCallReason(s!, a!), `${s}:${a}`);
    }
    for (const [s, a] of [
      ['s3', 'GetBucketPolicy'],
      ['ssm', 'GetParameter'],
      ['apigateway', 'DeleteStage'],
      ['glue', 'StartJobRun'],
    ]) {
      assert.equal(forbiddenCallReason(s!, a!), undefined, `${s}:${a}`);
    }
  });
});

function viewOf(r: { Type: string; Properties: Record<string, unknown> }) {
  return { type: r.Type, properties: r.Properties, metadata: {}, dependsOn: [], deletionPolicy: undefined };
}
