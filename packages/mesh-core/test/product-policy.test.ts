// DataProduct on a real DomainFoundation passes the Meshkit policy pack (tags applied with MeshTags,
// as the product stacks do).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { App, Stack, aws_kms as kms, aws_s3 as s3 } from 'aws-cdk-lib';
import { DomainFoundation } from '../src/constructs/domain-foundation.js';
import { DataProduct, type DataProductProps } from '../src/constructs/data-product.js';
import { evaluateStack } from '../src/policy/evaluate-stack.js';
import { MeshTags } from '../src/policy/mandatory-tags.js';
import {
  ACCOUNT,
  REGION,
  CONSUMERS,
  batchManifest,
  clickstreamContract,
  ordersContract,
  streamManifest,
} from './product-fixtures.js';

function findings(build: (stack: Stack, domain: DomainFoundation) => Omit<DataProductProps, 'domain'>): string[] {
  const app = new App();
  const env = { account: ACCOUNT, region: REGION };
  const domainStack = new Stack(app, 'SalesDomain', { env });
  const domain = new DomainFoundation(domainStack, 'Sales', {
    domainName: 'sales',
    owner: 'team-sales',
    costCenter: 'cc-1',
    consumers: CONSUMERS,
  });
  const stack = new Stack(app, 'Product', { env });
  const props = build(stack, domain);
  new DataProduct(stack, 'P', { domain, ...props });
  MeshTags.apply(stack, {
    domain: 'sales',
    product: props.manifest.name,
    owner: props.manifest.owner,
    classification: 'internal',
    'cost-center': 'cc-1',
    'contract-version': props.contract.version,
  });
  return evaluateStack(stack).map((f) => `${f.ruleId} ${f.level} ${f.constructPath}: ${f.message}`);
}

describe('DataProduct × Meshkit policy pack', () => {
  test('batch product, in a domain with consumers: no findings', () => {
    assert.deepEqual(
      findings(() => ({ manifest: batchManifest(), contract: ordersContract() })),
      [],
    );
  });

  test('stream product: no findings (the raw-zone table is not mistaken for an output port)', () => {
    assert.deepEqual(
      findings(() => ({ manifest: streamManifest(), contract: clickstreamContract() })),
      [],
    );
  });

  test('critical product with a replica: no findings (DR rule satisfied)', () => {
    assert.deepEqual(
      findings((stack) => ({
        manifest: batchManifest({ criticality: 'critical' }),
        contract: ordersContract(),
        replicaRegion: 'eu-central-1',
        replicaBucket: s3.Bucket.fromBucketArn(stack, 'RB', 'arn:aws:s3:::sales-orders-replica'),
        replicaKey: kms.Key.fromKeyArn(stack, 'RK', `arn:aws:kms:eu-central-1:${ACCOUNT}:key/k`),
      })),
      [],
    );
  });
});
