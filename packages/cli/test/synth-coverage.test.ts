/**
 * `mesh synth` end to end, issue 15 items 1–2: what a team adds in its product's infra/stack.ts
 * inside a NestedStack, an unknown resource type or a custom resource fails synth with its MESH id;
 * the platform's allow-lists in mesh.config.yaml let a listed type or call through.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run, bufferIo } from '../src/index.js';
import { copyExampleMesh } from '@meshkit/testing';

async function mesh(args: string[], cwd: string) {
  const io = bufferIo(cwd);
  const code = await run(args, io);
  return { code, out: io.out, err: io.err };
}

/** A copy of the example mesh whose sales/orders product has `infra/stack.ts` with `body` in customize(stack). */
function withHook(imports: string, body: string[]): string {
  const dir = copyExampleMesh({ prefix: 'mesh-synth-coverage-' });
  symlinkSync(fileURLToPath(new URL('../../../node_modules', import.meta.url)), join(dir, 'node_modules'));
  const infra = join(dir, 'domains/sales/products/orders/infra');
  mkdirSync(infra, { recursive: true });
  writeFileSync(
    join(infra, 'stack.ts'),
    [imports, 'export function customize(stack: Stack): void {', ...body.map((l) => `  ${l}`), '}'].join('\n'),
  );
  return dir;
}

describe('mesh synth: coverage by construction', () => {
  test('a NestedStack from customize: public unencrypted bucket, *:* IAM, plain stream, Glue job without security configuration, untagged', async () => {
    const dir = withHook(
      "import { NestedStack, Tags, aws_s3 as s3, aws_iam as iam, aws_kinesis as kinesis, aws_glue as glue, type Stack } from 'aws-cdk-lib';",
      [
        "const n = new NestedStack(stack, 'Sneaky');",
        "new s3.CfnBucket(n, 'PublicBucket', {});",
        "new iam.CfnPolicy(n, 'StarStar', { policyName: 'all', roles: ['r'], policyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*:*', Resource: '*' }, { Effect: 'Allow', Action: '*', Resource: '*' }] } });",
        "new kinesis.CfnStream(n, 'PlainStream', { shardCount: 1 });",
        "new glue.CfnJob(n, 'Job', { role: 'arn:aws:iam::111111111111:role/job', command: { name: 'glueetl', scriptLocation: 's3://b/job.py' } });",
        "new glue.CfnWorkflow(n, 'Workflow', {});",
        "Tags.of(n).remove('owner', { priority: 5000 });",
      ],
    );
    const r = await mesh(['synth', 'sales/orders'], dir);
    assert.equal(r.code, 1, r.out + r.err);
    for (const [id, path] of [
      ['MESH-ENC-S3', 'PublicBucket'],
      ['MESH-NET-S3-BLOCK-PUBLIC', 'PublicBucket'],
      ['MESH-IAM-NO-WILDCARD-ACTION', 'StarStar'],
      ['MESH-ENC-KINESIS', 'PlainStream'],
      ['MESH-ENC-GLUE-JOB', 'Job'],
      ['MESH-TAG-MANDATORY', 'Workflow'],
    ]) {
      assert.match(r.out, new RegExp(`error ${id} mesh-sales-orders/Sneaky/${path}: `), `${id}\n${r.out}`);
    }
  });

  test('unknown types fail closed (case-insensitive), unless mesh.config.yaml allow-lists them', async () => {
    const dir = withHook("import { CfnResource, type Stack } from 'aws-cdk-lib';", [
      "new CfnResource(stack, 'Express', { type: 'AWS::S3Express::DirectoryBucket', properties: { DataRedundancy: 'SingleAvailabilityZone', LocationName: 'euw1-az1--x-s3' } });",
      "new CfnResource(stack, 'LowerBucket', { type: 'aws::s3::bucket', properties: {} });",
    ]);
    const r = await mesh(['synth', 'sales/orders'], dir);
    assert.equal(r.code, 1, r.out + r.err);
    assert.match(
      r.out,
      /error MESH-RES-UNKNOWN-TYPE mesh-sales-orders\/Express: resource type AWS::S3Express::DirectoryBucket is not one the policy pack knows.*policy\.allowedResourceTypes in mesh\.config\.yaml/,
    );
    assert.match(r.out, /error MESH-ENC-S3 mesh-sales-orders\/LowerBucket: /);
    assert.doesNotMatch(r.out, /MESH-RES-UNKNOWN-TYPE mesh-sales-orders\/LowerBucket/);

    appendFileSync(
      join(dir, 'mesh.config.yaml'),
      'policy:\n  allowedResourceTypes:\n    - type: AWS::S3Express::DirectoryBucket\n      reason: low-latency scratch space, reviewed by the platform team\n',
    );
    const allowed = await mesh(['synth', 'sales/orders'], dir);
    assert.doesNotMatch(allowed.out, /MESH-RES-UNKNOWN-TYPE/, allowed.out + allowed.err);
  });

  test('AwsCustomResource deleting the public access block and putting a bucket policy: never allowed', async () => {
    const dir = withHook(
      "import { type Stack } from 'aws-cdk-lib';\nimport { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';",
      [
        "new AwsCustomResource(stack, 'OpenUp', {",
        "  onCreate: { service: 'S3', action: 'deletePublicAccessBlock', parameters: { Bucket: 'sales-orders-curated' }, physicalResourceId: PhysicalResourceId.of('x') },",
        "  onUpdate: { service: 'S3', action: 'putBucketPolicy', parameters: { Bucket: 'sales-orders-curated', Policy: '{}' }, physicalResourceId: PhysicalResourceId.of('x') },",
        "  policy: AwsCustomResourcePolicy.fromSdkCalls({ resources: ['arn:aws:s3:::sales-orders-curated'] }),",
        '});',
      ],
    );
    appendFileSync(
      join(dir, 'mesh.config.yaml'),
      'policy:\n  allowedCustomResources:\n    - type: s3:DeletePublicAccessBlock\n      reason: allow-listed by mistake, still refused\n',
    );
    const r = await mesh(['synth', 'sales/orders'], dir);
    assert.equal(r.code, 1, r.out + r.err);
    assert.match(
      r.out,
      /error MESH-RES-DEPLOY-MUTATION mesh-sales-orders\/OpenUp\/Resource\/Default: Create calls s3:DeletePublicAccessBlock: it changes public access.*Update calls s3:PutBucketPolicy: it changes a policy/,
    );
    assert.match(
      r.out,
      /error MESH-RES-CUSTOM-RESOURCE mesh-sales-orders\/OpenUp\/Resource\/Default: .*Update s3:PutBucketPolicy/,
    );
    assert.doesNotMatch(r.out, /MESH-RES-CUSTOM-RESOURCE .*Create s3:DeletePublicAccessBlock/);
  });
});
