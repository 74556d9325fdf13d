import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { CreateDatabaseCommand, CreateTableCommand } from '@aws-sdk/client-glue';
import { AddLFTagsToResourceCommand } from '@aws-sdk/client-lakeformation';
import { columnClassifications, loadContract, loadProductManifest, productClassification, productTableName, toGlueColumns, type OdcsContract } from '@meshkit/contracts';
import { startGlueEmulator, type GlueEmulator } from '../src/aws/emulator.js';
import { driftReport } from '../src/aws/index.js';
import { clientsFor } from './aws-helpers.js';
import { DEMO } from './helpers.js';

const dir = join(DEMO, 'domains/sales/products/orders');
const contract = loadContract(join(dir, 'contract.odcs.yaml')).contract as OdcsContract;
const manifest = loadProductManifest(join(dir, 'product.yaml')).value;
const emulators: GlueEmulator[] = [];
after(async () => { await Promise.all(emulators.map((e) => e.close())); });

interface Seed {
  columns?: Array<{ Name: string; Type: string }>;
  partitionKeys?: Array<{ Name: string; Type: string }>;
  version?: string | null;
  tags?: Record<string, string> | null;
  /** Column → classification tag. @default the sensitive columns the CDK stacks tag */
  columnTags?: Record<string, string>;
  database?: boolean;
}

/** The column tags the CDK stacks attach for the orders contract. */
const expectedColumnTags = (): Record<string, string> => Object.fromEntries(Object.entries(
  columnClassifications(contract.schema?.[0]?.properties ?? [], productClassification(manifest, contract)),
).flatMap(([c, cols]) => cols.map((col) => [col, c])));

/** An emulator with the table the CDK DataProduct would deploy for the orders contract, altered by `seed`. */
async function deployed(seed: Seed = {}) {
  const em = await startGlueEmulator();
  emulators.push(em);
  const clients = clientsFor(em, 1);
  const glue = toGlueColumns(contract, { object: 'orders' });
  if (seed.database !== false) {
    await clients.glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: 'sales' } }));
    const table = productTableName('orders', 1);
    if (seed.columns !== undefined || seed.version !== undefined || seed.tags !== undefined || seed.partitionKeys !== undefined || true) {
      const parameters: Record<string, string> = { classification: 'parquet', 'meshkit:contract-id': contract.id };
      if (seed.version !== null) parameters['meshkit:contract-version'] = seed.version ?? contract.version;
      await clients.glue.send(new CreateTableCommand({
        DatabaseName: 'sales',
        TableInput: {
          Name: table, TableType: 'EXTERNAL_TABLE', Parameters: parameters,
          StorageDescriptor: { Columns: seed.columns ?? glue.columns.map((c) => ({ Name: c.name, Type: c.type })), Location: 's3://bucket/orders_v1/' },
          PartitionKeys: seed.partitionKeys ?? (glue.partitionKeys ?? []).map((c) => ({ Name: c.name, Type: c.type })),
        },
      }));
      const tags = seed.tags === undefined ? { domain: 'sales', classification: 'restricted' } : seed.tags;
      if (tags) {
        await clients.lakeFormation.send(new AddLFTagsToResourceCommand({
          Resource: { Table: { DatabaseName: 'sales', Name: table } },
          LFTags: Object.entries(tags).map(([TagKey, v]) => ({ TagKey, TagValues: [v] })),
        }));
      }
      for (const [column, value] of Object.entries(seed.columnTags ?? expectedColumnTags())) {
        await clients.lakeFormation.send(new AddLFTagsToResourceCommand({
          Resource: { TableWithColumns: { DatabaseName: 'sales', Name: table, ColumnNames: [column] } },
          LFTags: [{ TagKey: 'classification', TagValues: [value] }],
        }));
      }
    }
  }
  em.resetCounts();
  return { em, report: () => driftReport({ ...clients, domain: 'sales', product: 'orders', contract, manifest }) };
}

describe('drift report of the deployed table (GetTable + GetResourceLFTags over the wire)', () => {
  it('a table that matches the contract has no drift, and the report only reads', async () => {
    const { em, report } = await deployed();
    const r = await report();
    assert.equal(r.deployed, true);
    assert.equal(r.database, 'sales');
    assert.equal(r.table, 'orders_v1');
    assert.deepEqual(r.drift, []);
    assert.equal(em.writes, 0);
    assert.equal(em.calls.get('GetTable'), 1);
    assert.equal(em.calls.get('GetResourceLFTags'), 1);
  });

  it('a changed column type is drift', async () => {
    const cols = toGlueColumns(contract, { object: 'orders' }).columns.map((c) => ({ Name: c.name, Type: c.name === 'amount' ? 'double' : c.type }));
    const r = await (await deployed({ columns: cols })).report();
    assert.deepEqual(r.drift, ['sales.orders_v1: column amount is double, the contract says decimal(12,2)']);
  });

  it('a missing and an extra column are drift', async () => {
    const cols = toGlueColumns(contract, { object: 'orders' }).columns.filter((c) => c.name !== 'status').map((c) => ({ Name: c.name, Type: c.type }));
    const r = await (await deployed({ columns: [...cols, { Name: 'legacy', Type: 'string' }] })).report();
    assert.deepEqual(r.drift, ['sales.orders_v1: column status (string) is missing', 'sales.orders_v1: column legacy (string) is not in the contract']);
  });

  it('a wrong partition key is drift', async () => {
    const r = await (await deployed({ partitionKeys: [{ Name: 'ingest_date', Type: 'date' }] })).report();
    assert.ok(r.drift.includes('sales.orders_v1: partition key ingest_date (date) is not in the contract'), r.drift.join('\n'));
  });

  it('a wrong classification tag and an old contract version parameter are drift', async () => {
    const r = await (await deployed({ tags: { domain: 'sales', classification: 'internal' }, version: '1.0.0' })).report();
    assert.deepEqual(r.drift, [
      'sales.orders_v1: table parameter meshkit:contract-version is 1.0.0, the contract is 1.1.0 (deploy the product\'s stack)',
      'sales.orders_v1: LF-tag classification is internal, expected restricted',
    ]);
  });

  it('missing LF-tags are drift', async () => {
    const r = await (await deployed({ tags: null })).report();
    assert.deepEqual(r.drift, ['sales.orders_v1: LF-tag classification is missing (expected restricted)', 'sales.orders_v1: LF-tag domain is missing (expected sales)']);
  });

  it('a missing table or database is "not deployed", not an error', async () => {
    const none = await (await deployed({ database: false })).report();
    assert.deepEqual([none.deployed, none.drift], [false, []]);
  });

  it('expects the classification the CDK stacks derive (manifest, else the most sensitive in the contract)', () => {
    assert.equal(productClassification({ classification: 'confidential' }, contract), 'confidential');
    assert.equal(productClassification({}, contract), 'restricted');
  });

  it('column-level classification tags: a missing, a wrong and an unexpected one are drift', async () => {
    const expected = expectedColumnTags();
    const [sensitive] = Object.keys(expected);
    assert.ok(sensitive, 'the orders contract has a sensitive column');
    assert.deepEqual((await (await deployed({ columnTags: {} })).report()).drift, [`sales.orders_v1: column ${sensitive}: LF-tag classification is missing (expected ${expected[sensitive]})`]);
    assert.deepEqual((await (await deployed({ columnTags: { ...expected, [sensitive]: 'public' } })).report()).drift, [`sales.orders_v1: column ${sensitive}: LF-tag classification is public, expected ${expected[sensitive]}`]);
    assert.deepEqual((await (await deployed({ columnTags: { ...expected, status: 'confidential' } })).report()).drift,
      ['sales.orders_v1: column status: LF-tag classification is confidential, the contract gives the column no classification tag of its own']);
  });
});

describe('emulator wire behaviour', () => {
  it('answers EntityNotFound / AlreadyExists as HTTP 400 with __type, and validates required fields', async () => {
    const em = await startGlueEmulator();
    emulators.push(em);
    const post = (op: string, body: unknown) => fetch(em.url, {
      method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSGlue.${op}` }, body: JSON.stringify(body),
    });
    let res = await post('GetRegistry', { RegistryId: { RegistryName: 'nope' } });
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { __type: string }).__type, 'EntityNotFoundException');
    assert.equal((await post('CreateRegistry', { RegistryName: 'r' })).status, 200);
    res = await post('CreateRegistry', { RegistryName: 'r' });
    assert.equal(((await res.json()) as { __type: string }).__type, 'AlreadyExistsException');
    res = await post('CreateSchema', { RegistryId: { RegistryName: 'r' }, SchemaName: 's' });
    assert.equal(((await res.json()) as { __type: string; Message: string }).Message, 'DataFormat is required');
    res = await post('CreateSchema', { RegistryId: { RegistryName: 'r' }, SchemaName: 's', DataFormat: 'JSON', SchemaDefinition: '{"$schema":"https://json-schema.org/draft/2020-12/schema"}' });
    assert.match(((await res.json()) as { Message: string }).Message, /draft-04, draft-06 or draft-07/);
    await post('CreateSchema', { RegistryId: { RegistryName: 'r' }, SchemaName: 's', DataFormat: 'JSON', SchemaDefinition: '{"type":"object"}' });
    const a = await (await post('RegisterSchemaVersion', { SchemaId: { RegistryName: 'r', SchemaName: 's' }, SchemaDefinition: '{"type":"object"}' })).json() as { VersionNumber: number };
    assert.equal(a.VersionNumber, 1, 'an identical definition returns the existing version');
    const lf = await fetch(`${em.url}/GetResourceLFTags`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ Resource: { Table: { DatabaseName: 'x', Name: 'y' } } }) });
    assert.equal(lf.status, 400);
    assert.equal(((await lf.json()) as { __type: string }).__type, 'EntityNotFoundException');
    assert.equal(em.calls.get('CreateRegistry'), 2);
  });
});
