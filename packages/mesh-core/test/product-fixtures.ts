// Test fixtures of the DataProduct suites: a real IDomain built from plain CDK resources (so the
// product tests do not depend on DomainFoundation), manifests and contracts.
import { App, RemovalPolicy, Stack, Validations, aws_iam as iam, aws_kms as kms, aws_s3 as s3 } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { Consumer, OdcsContract, ProductManifest } from '@meshkit/contracts';
import type { IDomain } from '../src/domain/domain.js';

export const ACCOUNT = '111111111111';
export const REGION = 'eu-west-1';

/** A minimal domain: a rotating key usable by the services products use, and an SSE-S3 log bucket. */
export class TestDomain extends Construct implements IDomain {
  readonly domainName: string;
  readonly key: kms.Key;
  readonly databaseName: string;
  readonly securityConfigurationName: string;
  readonly accessLogsBucket: s3.Bucket;
  readonly workgroupName: string;

  constructor(scope: Construct, id: string, domainName = 'sales') {
    super(scope, id);
    this.domainName = domainName;
    this.databaseName = domainName.replace(/-/g, '_');
    this.securityConfigurationName = `${domainName}-glue`;
    this.workgroupName = `${domainName}-wg`;
    this.key = new kms.Key(this, 'Key', { enableKeyRotation: true, removalPolicy: RemovalPolicy.RETAIN });
    const region = Stack.of(this).region;
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        principals: [
          new iam.ServicePrincipal(`logs.${region}.amazonaws.com`),
          new iam.ServicePrincipal('events.amazonaws.com'),
          new iam.ServicePrincipal('cloudwatch.amazonaws.com'),
        ],
        resources: ['*'],
      }),
    );
    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
    });
    this.accessLogsBucket.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
        actions: ['s3:PutObject'],
        resources: [this.accessLogsBucket.arnForObjects('*')],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    Validations.of(this.accessLogsBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'Test fixture: the access-log bucket is the target of the server access logs, it does not log itself.',
    });
  }
}

/** A stack in a fixed environment holding a {@link TestDomain}. */
export function domainStack(domainName = 'sales'): { app: App; stack: Stack; domain: TestDomain } {
  const app = new App();
  const stack = new Stack(app, 'Product', { env: { account: ACCOUNT, region: REGION } });
  const domain = new TestDomain(stack, 'Domain', domainName);
  return { app, stack, domain };
}

export function batchManifest(over: Partial<ProductManifest> = {}): ProductManifest {
  return {
    domain: 'sales',
    name: 'orders',
    owner: 'team-sales',
    contract: 'contract.odcs.yaml',
    ingestion: { mode: 'batch' },
    consumes: [],
    servedMajors: [],
    environments: [],
    ...over,
  };
}

export function streamManifest(over: Partial<ProductManifest> = {}): ProductManifest {
  return {
    domain: 'sales',
    name: 'clickstream',
    owner: 'team-web',
    contract: 'contract.odcs.yaml',
    ingestion: { mode: 'stream' },
    consumes: [],
    servedMajors: [],
    environments: [],
    ...over,
  };
}

/** The orders contract: a restricted column, a partition key, quality rules, a latency SLA. */
export function ordersContract(over: Partial<OdcsContract> = {}): OdcsContract {
  return {
    apiVersion: 'v3.1.0',
    kind: 'DataContract',
    id: 'sales-orders',
    name: 'Orders',
    version: '2.3.1',
    status: 'active',
    domain: 'sales',
    dataProduct: 'orders',
    description: { purpose: 'Every confirmed customer order.' },
    schema: [
      {
        name: 'orders',
        physicalName: 'orders',
        physicalType: 'table',
        description: 'Confirmed orders.',
        quality: [{ id: 'orders_not_empty', metric: 'rowCount', mustBeGreaterThan: 0 }],
        properties: [
          {
            name: 'order_id',
            logicalType: 'string',
            physicalType: 'varchar(36)',
            description: 'Order identifier.',
            classification: 'internal',
            required: true,
            unique: true,
          },
          {
            name: 'customerEmail',
            logicalType: 'string',
            description: 'E-mail of the customer.',
            classification: 'restricted',
            required: true,
          },
          {
            name: 'amount',
            logicalType: 'number',
            physicalType: 'decimal(12,2)',
            classification: 'internal',
            required: true,
            logicalTypeOptions: { minimum: 0 },
          },
          {
            name: 'status',
            logicalType: 'string',
            classification: 'internal',
            quality: [{ metric: 'invalidValues', arguments: { validValues: ['NEW', 'PAID'] }, mustBe: 0 }],
          },
          { name: 'order_date', logicalType: 'date', required: true, partitioned: true, partitionKeyPosition: 1 },
        ],
      },
    ],
    slaProperties: [
      { property: 'latency', value: 6, unit: 'h' },
      { property: 'frequency', value: 1, unit: 'd' },
    ],
    ...over,
  };
}

/** The clickstream contract: no classifications, no SLA, two schema objects. */
export function clickstreamContract(over: Partial<OdcsContract> = {}): OdcsContract {
  return {
    apiVersion: 'v3.1.0',
    kind: 'DataContract',
    id: 'sales-clickstream',
    version: '1.0.0',
    status: 'active',
    schema: [
      {
        name: 'page_views',
        properties: [
          { name: 'event_id', logicalType: 'string', required: true },
          { name: 'url', logicalType: 'string' },
          { name: 'viewed_at', logicalType: 'timestamp', required: true },
        ],
      },
      { name: 'sessions', properties: [{ name: 'session_id', logicalType: 'string' }] },
    ],
    ...over,
  };
}

export const CONSUMERS: Consumer[] = [
  {
    name: 'analytics',
    roleArn: 'arn:aws:iam::333333333333:role/analytics-readers',
    classifications: ['public', 'internal'],
  },
  {
    name: 'finance',
    roleArn: `arn:aws:iam::${ACCOUNT}:role/finance`,
    domains: ['sales', 'billing'],
    classifications: ['internal', 'confidential', 'restricted'],
  },
  { name: 'hr', roleArn: `arn:aws:iam::${ACCOUNT}:role/hr`, domains: ['people'], classifications: ['internal'] },
];
