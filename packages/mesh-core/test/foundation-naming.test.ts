import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { App, Aws, Stack, Token } from 'aws-cdk-lib';
import { MeshError } from '@meshkit/contracts';
import {
  MAX_BUCKET_NAME_LENGTH,
  PRODUCT_BUCKET_BASE_MAX_LENGTH,
  glueDatabaseName,
  organisationSlug,
  productBucketArnPrefix,
  productBucketName,
  productBucketPrefix,
} from '../src/constructs/naming.js';

const ACCOUNT = '123456789012';

describe('productBucketName', () => {
  test('layout <org>-<domain>-<product>-<account>-<region>-<zone>', () => {
    assert.equal(
      productBucketName({
        organisation: 'Acme Corp.',
        domain: 'sales',
        product: 'orders',
        zone: 'raw',
        account: ACCOUNT,
        region: 'eu-west-1',
      }),
      'acme-corp-sales-orders-123456789012-eu-west-1-raw',
    );
    assert.equal(
      productBucketName({ domain: 'sales', product: 'orders', zone: 'curated', account: ACCOUNT, region: 'us-east-1' }),
      'sales-orders-123456789012-us-east-1-curated',
    );
  });

  test('defaults to the account and region pseudo parameters', () => {
    const name = productBucketName({ domain: 'sales', product: 'orders', zone: 'landing' });
    assert.ok(Token.isUnresolved(name));
    const stack = new Stack(new App(), 'S');
    assert.deepEqual(stack.resolve(name), {
      'Fn::Join': ['', ['sales-orders-', { Ref: 'AWS::AccountId' }, '-', { Ref: 'AWS::Region' }, '-landing']],
    });
  });

  test('every zone and region of one product starts with the product prefix', () => {
    const base = { organisation: 'acme', domain: 'sales', product: 'orders', account: ACCOUNT };
    const prefix = productBucketPrefix(base);
    assert.equal(prefix, 'acme-sales-orders-123456789012-');
    for (const zone of ['raw', 'curated', 'landing'] as const) {
      for (const region of ['eu-west-1', 'ap-southeast-4']) {
        assert.ok(productBucketName({ ...base, zone, region }).startsWith(prefix));
      }
    }
    // another product whose name extends this one's does not share the prefix
    assert.ok(
      !productBucketName({ ...base, product: 'orders-archive', zone: 'raw', region: 'eu-west-1' }).startsWith(prefix),
    );
  });

  test('long names are shortened with a stable hash and stay within 63 characters', () => {
    const props = {
      organisation: 'The Very Large Organisation Of Everything',
      domain: 'customer-relationship-management-emea',
      product: 'opportunity-pipeline-snapshots-daily',
      zone: 'curated' as const,
      account: ACCOUNT,
      region: 'us-isof-south-1',
    };
    const a = productBucketName(props);
    assert.equal(a, productBucketName(props), 'deterministic');
    assert.ok(a.length <= MAX_BUCKET_NAME_LENGTH, `${a} (${a.length})`);
    assert.match(a, /^[a-z0-9][a-z0-9-]*[a-z0-9]$/);
    const base = a.split(`-${ACCOUNT}-`)[0] ?? '';
    assert.equal(base.length, PRODUCT_BUCKET_BASE_MAX_LENGTH);
    assert.match(base, /-[0-9a-f]{8}$/);
    const other = productBucketName({ ...props, product: 'opportunity-pipeline-snapshots-weekly' });
    assert.notEqual(other, a, 'a different product gets a different hash');
  });

  test('rejects names that are not kebab-case, bad accounts, regions and zones', () => {
    assert.throws(
      () => productBucketName({ domain: 'Sales', product: 'orders', zone: 'raw' }),
      (e: unknown) => e instanceof MeshError && /domain 'Sales'/.test(e.message),
    );
    assert.throws(
      () => productBucketName({ domain: 'sales', product: 'o', zone: 'raw' }),
      (e: unknown) => e instanceof MeshError && /product/.test(e.message),
    );
    assert.throws(
      () => productBucketName({ domain: 'sales', product: 'orders', zone: 'raw', account: '12' }),
      MeshError,
    );
    assert.throws(
      () => productBucketName({ domain: 'sales', product: 'orders', zone: 'raw', region: 'Europe' }),
      MeshError,
    );
    assert.throws(() => productBucketName({ domain: 'sales', product: 'orders', zone: 'gold' as never }), MeshError);
    assert.throws(
      () => productBucketName({ organisation: 'sthree', domain: 'sales', product: 'orders', zone: 'raw' }),
      MeshError,
    );
  });
});

describe('other names', () => {
  test('productBucketArnPrefix is the S3 ARN of the prefix', () => {
    const stack = new Stack(new App(), 'S');
    assert.deepEqual(stack.resolve(productBucketArnPrefix({ domain: 'sales', product: 'orders', account: ACCOUNT })), {
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::sales-orders-123456789012-']],
    });
    assert.ok(productBucketArnPrefix({ domain: 'sales', product: 'orders' }).includes(Aws.ACCOUNT_ID));
  });

  test('glueDatabaseName is snake_case', () => {
    assert.equal(glueDatabaseName('order-mgmt'), 'order_mgmt');
    assert.equal(glueDatabaseName('sales'), 'sales');
    assert.throws(() => glueDatabaseName('Order Mgmt'), MeshError);
  });

  test('organisationSlug', () => {
    assert.equal(organisationSlug('  Société Générale & Co '), 'societe-generale-co');
    assert.equal(organisationSlug('***'), '');
  });
});
