// DataProduct passes cdk-nag's AwsSolutions pack; every acknowledgement carries a reason.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Validations, aws_kms as kms, aws_s3 as s3, type Stack } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { DataProduct } from '../src/constructs/data-product.js';
import {
  ACCOUNT,
  batchManifest,
  clickstreamContract,
  domainStack,
  ordersContract,
  streamManifest,
} from './product-fixtures.js';

function violations(stack: Stack): string[] {
  const report = new AwsSolutionsChecks(stack).validateScope(stack);
  return report.violations.map((v) => `${v.ruleName} ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);
}

function acknowledgements(stack: Stack): Array<{ path: string; id: string; reason: string }> {
  const out: Array<{ path: string; id: string; reason: string }> = [];
  for (const c of stack.node.findAll()) {
    for (const m of c.node.metadata) {
      if (m.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [id, v] of Object.entries(m.data as Record<string, unknown>)) {
        const reason = typeof v === 'string' ? v : String((v as { reason?: unknown })?.reason ?? '');
        out.push({ path: c.node.path, id, reason });
      }
    }
  }
  return out;
}

describe('DataProduct × cdk-nag AwsSolutions', () => {
  test('batch product with e-mail: no violations', () => {
    const { stack, domain } = domainStack();
    new DataProduct(stack, 'Orders', {
      domain,
      manifest: batchManifest(),
      contract: ordersContract(),
      alarmEmail: 'oncall@example.com',
    });
    assert.deepEqual(violations(stack), []);
  });

  test('stream product: no violations', () => {
    const { stack, domain } = domainStack();
    new DataProduct(stack, 'Clicks', { domain, manifest: streamManifest(), contract: clickstreamContract() });
    assert.deepEqual(violations(stack), []);
  });

  test('critical product with replication: no violations', () => {
    const { stack, domain } = domainStack();
    new DataProduct(stack, 'Orders', {
      domain,
      manifest: batchManifest({ criticality: 'critical' }),
      contract: ordersContract(),
      replicaRegion: 'eu-central-1',
      replicaBucket: s3.Bucket.fromBucketArn(stack, 'RB', 'arn:aws:s3:::replica'),
      replicaKey: kms.Key.fromKeyArn(stack, 'RK', `arn:aws:kms:eu-central-1:${ACCOUNT}:key/k`),
    });
    assert.deepEqual(violations(stack), []);
  });

  test('every acknowledgement of the product names one rule (or finding) and gives a reason; no blanket IAM5', () => {
    const { stack, domain } = domainStack();
    new DataProduct(stack, 'Clicks', { domain, manifest: streamManifest(), contract: clickstreamContract() });
    const acks = acknowledgements(stack).filter((a) => a.path.startsWith('Product/Clicks'));
    assert.ok(acks.length > 0);
    for (const a of acks) {
      assert.match(a.id, /AwsSolutions-/, a.path);
      assert.ok(a.reason.length >= 40, `${a.path} ${a.id}: reason '${a.reason}'`);
      assert.notEqual(
        a.id.replace(/^annotation::/i, ''),
        'AwsSolutions-IAM5',
        `${a.path}: IAM5 is acknowledged per finding`,
      );
    }
  });
});
