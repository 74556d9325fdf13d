import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run, bufferIo } from '../src/index.js';
import { copyExampleMesh } from '@meshkit/testing';

/** A fresh copy of the example mesh (synth writes cdk.out into it). */
function meshCopy(): string {
  const dir = copyExampleMesh({ prefix: 'mesh-synth-' });
  return dir;
}

async function mesh(args: string[], cwd: string) {
  const io = bufferIo(cwd);
  const code = await run(args, io);
  return { code, out: io.out, err: io.err };
}

describe('mesh synth', () => {
  let repo: string;
  before(() => {
    repo = meshCopy();
  });

  test('the whole mesh synthesizes with zero policy violations', async () => {
    const r = await mesh(['synth', '--format', 'json'], repo);
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    assert.deepEqual(j.stacks.map((s: { stackName: string }) => s.stackName).sort(), [
      'mesh-marketing-campaign-performance',
      'mesh-marketing-foundation',
      'mesh-platform',
      'mesh-sales-clickstream',
      'mesh-sales-foundation',
      'mesh-sales-orders',
    ]);
    assert.equal(j.policy.ok, true);
    assert.equal(j.policy.summary.errors, 0);
    assert.ok(existsSync(join(repo, 'cdk.out', 'mesh-sales-orders.template.json')));
  });

  test('one product synthesizes into its own cdk.out with its domain foundation', async () => {
    const r = await mesh(['synth', 'sales/orders'], repo);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /synthesized 2 stack\(s\).*mesh-sales-foundation, mesh-sales-orders/);
    const template = JSON.parse(
      readFileSync(join(repo, 'domains/sales/products/orders/cdk.out/mesh-sales-orders.template.json'), 'utf8'),
    );
    const tables = Object.values(
      template.Resources as Record<string, { Type: string; Properties: { TableInput?: { Name?: string } } }>,
    )
      .filter((r) => r.Type === 'AWS::Glue::Table')
      .map((r) => r.Properties.TableInput?.Name);
    assert.ok(tables.includes('orders_v1'), JSON.stringify(tables));
  });

  test('an invalid contract refuses synth with its diagnostics (exit 1)', async () => {
    const dir = meshCopy();
    const file = join(dir, 'domains/sales/products/orders/contract.odcs.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('logicalType: number', 'logicalType: money'));
    const r = await mesh(['synth'], dir);
    assert.equal(r.code, 1);
    assert.match(r.err, /domains\/sales\/products\/orders\/contract\.odcs\.yaml:\d+:\d+ error ODCS-SCHEMA/);
    assert.match(r.err, /contract of sales\/orders is invalid/);
  });

  test('an invalid manifest names file:line:col and the field (exit 2)', async () => {
    const dir = meshCopy();
    writeFileSync(
      join(dir, 'domains/sales/products/clickstream/product.yaml'),
      'domain: sales\nname: clickstream\nowner: team-sales\ningestion:\n  mode: kafka\n',
    );
    const r = await mesh(['synth'], dir);
    assert.equal(r.code, 2);
    assert.match(r.err, /product\.yaml:5:9: 'mode' must be one of "batch", "stream"/);
  });

  test("a product's infra/stack.ts additions are synthesized and checked by the policy pack", async () => {
    const dir = meshCopy();
    // As in a repository: the product resolves aws-cdk-lib from the root node_modules.
    symlinkSync(fileURLToPath(new URL('../../../node_modules', import.meta.url)), join(dir, 'node_modules'));
    const infra = join(dir, 'domains/sales/products/orders/infra');
    mkdirSync(infra, { recursive: true });
    writeFileSync(
      join(infra, 'stack.ts'),
      [
        "import { aws_sns as sns, type Stack } from 'aws-cdk-lib';",
        'export function customize(stack: Stack): void {',
        "  new sns.CfnTopic(stack, 'PlainTopic', { topicName: 'unencrypted' });",
        '}',
      ].join('\n'),
    );
    const r = await mesh(['synth', 'sales/orders'], dir);
    assert.equal(r.code, 1, r.out + r.err);
    assert.match(r.out, /error MESH-ENC-SNS mesh-sales-orders\/PlainTopic: /);
  });

  test('bad targets are bad usage', async () => {
    for (const t of ['Sales', 'sales/orders/x', 'nope', 'sales/nope']) {
      const r = await mesh(['synth', t], repo);
      assert.equal(r.code, 2, t);
      assert.doesNotMatch(r.err, /^\s+at /m);
    }
  });
});

describe('mesh policy report', () => {
  test('per product: violations, warnings, suppressions', async () => {
    const r = await mesh(['policy', 'report', '--format', 'json'], meshCopy());
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    const products = j.stacks
      .filter((s: { kind: string }) => s.kind === 'product')
      .map((s: { domain: string; product: string }) => `${s.domain}/${s.product}`);
    assert.deepEqual(products.sort(), ['marketing/campaign-performance', 'sales/clickstream', 'sales/orders']);
    for (const s of j.stacks) assert.deepEqual(s.violations, [], s.stack);
  });
});

describe('mesh deploy', () => {
  test('--dry-run prints exactly the cdk command with the environment', async () => {
    const r = await mesh(['deploy', 'sales/orders', '--env', 'dev', '--dry-run'], meshCopy());
    assert.equal(r.code, 0, r.err);
    assert.equal(
      r.out.trim(),
      'CDK_DEFAULT_ACCOUNT=111111111111 CDK_DEFAULT_REGION=eu-west-1 AWS_REGION=eu-west-1 npx cdk deploy --app cdk.out/dev --require-approval never --exclusively mesh-sales-foundation mesh-sales-orders',
    );
  });

  test('an unknown environment is bad usage', async () => {
    const r = await mesh(['deploy', '--env', 'staging', '--dry-run'], meshCopy());
    assert.equal(r.code, 2);
    assert.match(r.err, /unknown environment 'staging' \(mesh.config.yaml environments: dev, prod\)/);
  });
});
