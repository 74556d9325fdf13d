import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CreateDatabaseCommand, CreateTableCommand } from '@aws-sdk/client-glue';
import { AddLFTagsToResourceCommand, CreateLFTagCommand } from '@aws-sdk/client-lakeformation';
import {
  CLASSIFICATION_ORDER,
  columnClassifications,
  loadContract,
  loadProductManifest,
  productClassification,
  productTableName,
  toGlueColumns,
  type OdcsContract,
} from '@meshkit/contracts';
import { EXAMPLE_MESH, startGlueEmulator, type GlueEmulator } from '@meshkit/testing';
import { driftReport } from '../src/aws/index.js';
import { GLUE_PEERS, type GluePeerHandle } from './aws-peers.js';

const dir = join(EXAMPLE_MESH, 'domains/sales/products/orders');
const contract = loadContract(join(dir, 'contract.odcs.yaml')).contract as OdcsContract;
const manifest = loadProductManifest(join(dir, 'product.yaml')).value;
const emulators: GlueEmulator[] = [];
after(async () => {
  await Promise.all(emulators.map((e) => e.close()));
});

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
const expectedColumnTags = (): Record<string, string> =>
  Object.fromEntries(
    Object.entries(
      columnClassifications(contract.schema?.[0]?.properties ?? [], productClassification(manifest, contract)),
    ).flatMap(([c, cols]) => cols.map((col) => [col, c])),
  );

/**
 * The table the CDK DataProduct would deploy for the orders contract on a fresh peer, altered by
 * `seed`: the LF-tags defined first (CreateLFTag, as the foundation stack does), then attached.
 */
async function deployed(p: GluePeerHandle, seed: Seed = {}) {
  await p.reset();
  const clients = p.clients(1);
  const glue = toGlueColumns(contract, { object: 'orders' });
  if (seed.database !== false) {
    await clients.lakeFormation.send(
      new CreateLFTagCommand({ TagKey: 'classification', TagValues: [...CLASSIFICATION_ORDER] }),
    );
    await clients.lakeFormation.send(new CreateLFTagCommand({ TagKey: 'domain', TagValues: ['sales'] }));
    await clients.glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: 'sales' } }));
    const table = productTableName('orders', 1);
    const parameters: Record<string, string> = { classification: 'parquet', 'meshkit:contract-id': contract.id };
    if (seed.version !== null) parameters['meshkit:contract-version'] = seed.version ?? contract.version;
    await clients.glue.send(
      new CreateTableCommand({
        DatabaseName: 'sales',
        TableInput: {
          Name: table,
          TableType: 'EXTERNAL_TABLE',
          Parameters: parameters,
          StorageDescriptor: {
            Columns: seed.columns ?? glue.columns.map((c) => ({ Name: c.name, Type: c.type })),
            Location: 's3://bucket/orders_v1/',
          },
          PartitionKeys: seed.partitionKeys ?? (glue.partitionKeys ?? []).map((c) => ({ Name: c.name, Type: c.type })),
        },
      }),
    );
    const tags = seed.tags === undefined ? { domain: 'sales', classification: 'restricted' } : seed.tags;
    if (tags) {
      const r = await clients.lakeFormation.send(
        new AddLFTagsToResourceCommand({
          Resource: { Table: { DatabaseName: 'sales', Name: table } },
          LFTags: Object.entries(tags).map(([TagKey, v]) => ({ TagKey, TagValues: [v] })),
        }),
      );
      assert.deepEqual(r.Failures ?? [], []);
    }
    for (const [column, value] of Object.entries(seed.columnTags ?? expectedColumnTags())) {
      const r = await clients.lakeFormation.send(
        new AddLFTagsToResourceCommand({
          Resource: { TableWithColumns: { DatabaseName: 'sales', Name: table, ColumnNames: [column] } },
          LFTags: [{ TagKey: 'classification', TagValues: [value] }],
        }),
      );
      assert.deepEqual(r.Failures ?? [], []);
    }
  }
  p.resetCounts();
  return { report: () => driftReport({ ...clients, domain: 'sales', product: 'orders', contract, manifest }) };
}

for (const peer of GLUE_PEERS)
  describe(
    `drift report of the deployed table (GetTable + GetResourceLFTags over the wire) on ${peer.name}`,
    { skip: peer.skip },
    () => {
      let p: GluePeerHandle;
      before(async () => {
        p = await peer.start();
      });
      after(async () => {
        await p?.close();
      });

      it('a table that matches the contract has no drift, and the report only reads', async () => {
        const { report } = await deployed(p);
        const r = await report();
        assert.equal(r.deployed, true);
        assert.equal(r.database, 'sales');
        assert.equal(r.table, 'orders_v1');
        assert.deepEqual(r.drift, []);
        assert.equal(p.writes, 0);
        assert.equal(p.calls.get('GetTable'), 1);
        assert.equal(p.calls.get('GetResourceLFTags'), 1);
      });

      it('a changed column type is drift', async () => {
        const cols = toGlueColumns(contract, { object: 'orders' }).columns.map((c) => ({
          Name: c.name,
          Type: c.name === 'amount' ? 'double' : c.type,
        }));
        const r = await (await deployed(p, { columns: cols })).report();
        assert.deepEqual(r.drift, ['sales.orders_v1: column amount is double, the contract says decimal(12,2)']);
      });

      it('a missing and an extra column are drift', async () => {
        const cols = toGlueColumns(contract, { object: 'orders' })
          .columns.filter((c) => c.name !== 'status')
          .map((c) => ({ Name: c.name, Type: c.type }));
        const r = await (await deployed(p, { columns: [...cols, { Name: 'legacy', Type: 'string' }] })).report();
        assert.deepEqual(r.drift, [
          'sales.orders_v1: column status (string) is missing',
          'sales.orders_v1: column legacy (string) is not in the contract',
        ]);
      });

      it('a wrong partition key is drift', async () => {
        const r = await (await deployed(p, { partitionKeys: [{ Name: 'ingest_date', Type: 'date' }] })).report();
        assert.ok(
          r.drift.includes('sales.orders_v1: partition key ingest_date (date) is not in the contract'),
          r.drift.join('\n'),
        );
      });

      it('a wrong classification tag and an old contract version parameter are drift', async () => {
        const r = await (
          await deployed(p, { tags: { domain: 'sales', classification: 'internal' }, version: '1.0.0' })
        ).report();
        assert.deepEqual(r.drift, [
          "sales.orders_v1: table parameter meshkit:contract-version is 1.0.0, the contract is 1.1.0 (deploy the product's stack)",
          'sales.orders_v1: LF-tag classification is internal, expected restricted',
        ]);
      });

      it('missing LF-tags are drift', async () => {
        const r = await (await deployed(p, { tags: null })).report();
        assert.deepEqual(r.drift, [
          'sales.orders_v1: LF-tag classification is missing (expected restricted)',
          'sales.orders_v1: LF-tag domain is missing (expected sales)',
        ]);
      });

      it('a missing table or database is "not deployed", not an error', async () => {
        const none = await (await deployed(p, { database: false })).report();
        assert.deepEqual([none.deployed, none.drift], [false, []]);
      });

      it('expects the classification the CDK stacks derive (manifest, else the most sensitive in the contract)', () => {
        assert.equal(productClassification({ classification: 'confidential' }, contract), 'confidential');
        assert.equal(productClassification({}, contract), 'restricted');
      });

      it('an LF-tag must be defined (CreateLFTag) before it is attached: an undefined key is a Failures entry', async () => {
        await p.reset();
        const c = p.clients(1);
        await c.glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: 'sales' } }));
        await c.glue.send(
          new CreateTableCommand({
            DatabaseName: 'sales',
            TableInput: { Name: 't', StorageDescriptor: { Columns: [{ Name: 'a', Type: 'string' }] } },
          }),
        );
        await c.lakeFormation.send(new CreateLFTagCommand({ TagKey: 'classification', TagValues: ['restricted'] }));
        const r = await c.lakeFormation.send(
          new AddLFTagsToResourceCommand({
            Resource: { Table: { DatabaseName: 'sales', Name: 't' } },
            LFTags: [{ TagKey: 'owner', TagValues: ['x'] }],
          }),
        );
        assert.deepEqual(
          (r.Failures ?? []).map((f) => [f.LFTag?.TagKey, f.Error?.ErrorCode]),
          [['owner', 'EntityNotFoundException']],
        );
      });

      it('column-level classification tags: a missing, a wrong and an unexpected one are drift', async () => {
        const expected = expectedColumnTags();
        const [sensitive] = Object.keys(expected);
        assert.ok(sensitive, 'the orders contract has a sensitive column');
        assert.deepEqual((await (await deployed(p, { columnTags: {} })).report()).drift, [
          `sales.orders_v1: column ${sensitive}: LF-tag classification is missing (expected ${expected[sensitive]})`,
        ]);
        assert.deepEqual(
          (await (await deployed(p, { columnTags: { ...expected, [sensitive]: 'public' } })).report()).drift,
          [`sales.orders_v1: column ${sensitive}: LF-tag classification is public, expected ${expected[sensitive]}`],
        );
        assert.deepEqual(
          (await (await deployed(p, { columnTags: { ...expected, status: 'confidential' } })).report()).drift,
          [
            'sales.orders_v1: column status: LF-tag classification is confidential, the contract gives the column no classification tag of its own',
          ],
        );
      });
    },
  );

describe('emulator wire behaviour', () => {
  it('answers EntityNotFound / AlreadyExists as HTTP 400 with __type, and validates required fields', async () => {
    const em = await startGlueEmulator();
    emulators.push(em);
    const post = (op: string, body: unknown) =>
      fetch(em.url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSGlue.${op}` },
        body: JSON.stringify(body),
      });
    let res = await post('GetRegistry', { RegistryId: { RegistryName: 'nope' } });
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { __type: string }).__type, 'EntityNotFoundException');
    assert.equal((await post('CreateRegistry', { RegistryName: 'r' })).status, 200);
    res = await post('CreateRegistry', { RegistryName: 'r' });
    assert.equal(((await res.json()) as { __type: string }).__type, 'AlreadyExistsException');
    res = await post('CreateSchema', { RegistryId: { RegistryName: 'r' }, SchemaName: 's' });
    assert.equal(((await res.json()) as { __type: string; Message: string }).Message, 'DataFormat is required');
    res = await post('CreateSchema', {
      RegistryId: { RegistryName: 'r' },
      SchemaName: 's',
      DataFormat: 'JSON',
      SchemaDefinition: '{"$schema":"https://json-schema.org/draft/2020-12/schema"}',
    });
    assert.match(((await res.json()) as { Message: string }).Message, /draft-04, draft-06 or draft-07/);
    await post('CreateSchema', {
      RegistryId: { RegistryName: 'r' },
      SchemaName: 's',
      DataFormat: 'JSON',
      SchemaDefinition: '{"type":"object"}',
    });
    const a = (await (
      await post('RegisterSchemaVersion', {
        SchemaId: { RegistryName: 'r', SchemaName: 's' },
        SchemaDefinition: '{"type":"object"}',
      })
    ).json()) as { VersionNumber: number };
    assert.equal(a.VersionNumber, 1, 'an identical definition returns the existing version');
    const lf = await fetch(`${em.url}/GetResourceLFTags`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ Resource: { Table: { DatabaseName: 'x', Name: 'y' } } }),
    });
    assert.equal(lf.status, 400);
    assert.equal(((await lf.json()) as { __type: string }).__type, 'EntityNotFoundException');
    assert.equal(em.calls.get('CreateRegistry'), 2);
    // A value the LF-tag does not define is refused like an undefined key (moto 5.2.6 attaches it).
    const lfPost = (op: string, body: unknown) =>
      fetch(`${em.url}/${op}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    await post('CreateDatabase', { DatabaseInput: { Name: 'd' } });
    await post('CreateTable', { DatabaseName: 'd', TableInput: { Name: 't' } });
    assert.equal((await lfPost('CreateLFTag', { TagKey: 'classification', TagValues: ['internal'] })).status, 200);
    const added = (await (
      await lfPost('AddLFTagsToResource', {
        Resource: { Table: { DatabaseName: 'd', Name: 't' } },
        LFTags: [{ TagKey: 'classification', TagValues: ['secret'] }],
      })
    ).json()) as { Failures: Array<{ Error: { ErrorCode: string } }> };
    assert.deepEqual(
      added.Failures.map((f) => f.Error.ErrorCode),
      ['EntityNotFoundException'],
    );
    // Metadata values: the API reference's pattern, so a URL query string (`&`, `%`) is refused.
    const sv = (await (
      await post('GetSchemaVersion', {
        SchemaId: { RegistryName: 'r', SchemaName: 's' },
        SchemaVersionNumber: { LatestVersion: true },
      })
    ).json()) as { SchemaVersionId: string };
    res = await post('PutSchemaVersionMetadata', {
      SchemaVersionId: sv.SchemaVersionId,
      MetadataKeyValue: { MetadataKey: 'k', MetadataValue: 'id=a&path=b%2Fc' },
    });
    assert.equal(((await res.json()) as { __type: string }).__type, 'InvalidInputException');
  });
});
