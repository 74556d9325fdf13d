import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { isMeshError } from '@meshkit/contracts';
import {
  formatRecordMetadata,
  GLUE_COMPATIBILITY,
  GlueSchemaRegistryCatalog,
  glueDefinition,
  glueSettings,
  defaultRegistryName,
  META_CONTRACT_VERSION,
  META_RECORD,
  METADATA_PATTERN,
  parseRecordMetadata,
} from '../src/aws/index.js';
import {
  CreateSchemaCommand,
  GetSchemaByDefinitionCommand,
  PutSchemaVersionMetadataCommand,
  RegisterSchemaVersionCommand,
} from '@aws-sdk/client-glue';
import { LocalCatalog, publishProduct } from '../src/index.js';
import { commitAll, glueSetup } from './aws-helpers.js';
import { GLUE_PEERS, type GluePeerHandle } from './aws-peers.js';
import { editOrders, ordersContract } from './helpers.js';

const REGISTRY = 'example-corp-data-contracts';

const rejectsWith = async (p: Promise<unknown>, code: string, message?: RegExp) => {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(isMeshError(e), `expected a MeshError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    if (message) assert.match(e.message, message);
    return true;
  });
};

describe('Glue settings', () => {
  const config = { organisation: 'Example Corp', catalog: {} } as Parameters<typeof glueSettings>[0];
  it('derives the registry from the organisation (kebab-case + -data-contracts)', () => {
    assert.equal(defaultRegistryName('Example Corp'), REGISTRY);
    assert.equal(defaultRegistryName('Ünïcode & Co.'), 'unicode-co-data-contracts');
  });
  it('takes the region from mesh.config.yaml, MESH_GLUE_REGION overriding, AWS_REGION as fallback', () => {
    assert.equal(glueSettings(config, { AWS_REGION: 'eu-west-1' }).region, 'eu-west-1');
    const withRegion = { ...config, catalog: { glue: { region: 'eu-central-1', endpoint: 'http://127.0.0.1:1' } } };
    assert.equal(glueSettings(withRegion, { AWS_REGION: 'eu-west-1' }).region, 'eu-central-1');
    assert.equal(glueSettings(withRegion, { MESH_GLUE_REGION: 'us-west-2' }).region, 'us-west-2');
    assert.equal(glueSettings(withRegion, {}).lakeFormationEndpoint, 'http://127.0.0.1:1');
    assert.equal(glueSettings(withRegion, { MESH_GLUE_ENDPOINT: 'http://127.0.0.1:2' }).endpoint, 'http://127.0.0.1:2');
  });
  it('refuses a missing region with an actionable message (exit 2)', () => {
    assert.throws(
      () => glueSettings(config, {}),
      (e: unknown) => isMeshError(e) && e.exitCode === 2 && /catalog\.glue\.region.*AWS_REGION/.test(e.message),
    );
  });
  it('maps every compatibility mode to the registry setting', () => {
    assert.deepEqual(GLUE_COMPATIBILITY, {
      NONE: 'NONE',
      BACKWARD: 'BACKWARD',
      BACKWARD_TRANSITIVE: 'BACKWARD_ALL',
      FORWARD: 'FORWARD',
      FORWARD_TRANSITIVE: 'FORWARD_ALL',
      FULL: 'FULL',
      FULL_TRANSITIVE: 'FULL_ALL',
    });
  });
});

describe('record metadata in the characters the Glue API allows', () => {
  it('formats plain fields as key=value joined by +, others base64url-encoded, and reads them back', () => {
    const meta = {
      id: 'sales-orders',
      hash: 'a'.repeat(32),
      text: 'b'.repeat(32),
      commit: 'c'.repeat(40),
      path: 'domains/sales/products/orders/contract.odcs.yaml',
    };
    const plain = formatRecordMetadata(meta);
    assert.equal(
      plain,
      `id=sales-orders+hash=${'a'.repeat(32)}+text=${'b'.repeat(32)}+commit=${'c'.repeat(40)}+path=domains/sales/products/orders/contract.odcs.yaml`,
    );
    assert.deepEqual(parseRecordMetadata(plain), meta);
    const odd = { id: 'urn:x?y&z=1 ü+', hash: 'a', path: 'a b/c%d.yaml' };
    const encoded = formatRecordMetadata(odd);
    assert.match(encoded, METADATA_PATTERN);
    assert.match(encoded, /^[a-zA-Z0-9+=._/@-]+$/, 'also within the pattern read literally (no range)');
    assert.deepEqual(parseRecordMetadata(encoded), odd);
  });
});

for (const peer of GLUE_PEERS)
  describe(`GlueSchemaRegistryCatalog over the wire (SDK ↔ ${peer.name})`, { skip: peer.skip }, () => {
    let p: GluePeerHandle;
    before(async () => {
      p = await peer.start();
    });
    after(async () => {
      await p?.close();
    });
    /** Scenarios that need the emulator's PENDING/FAILURE settling or fault injection (moto settles every version AVAILABLE at once and injects nothing). */
    const itEmulator = (name: string, fn: () => Promise<void>): void =>
      void it(
        name,
        { skip: peer.name === 'emulator' ? false : 'emulator only: PENDING/FAILURE settling and fault injection' },
        fn,
      );
    async function setup(options: { git?: boolean } = {}) {
      const s = await glueSetup(p, options);
      const publish = (product = 'sales/orders') => publishProduct({ root: s.root, product, catalog: s.catalog });
      return { ...s, publish };
    }

    it('agrees with the Glue API reference on the calls the backend relies on', async () => {
      await p.reset();
      const { glue } = p.clients(1);
      const name = async (q: Promise<unknown>) =>
        q.then(
          () => 'ok',
          (e: { name?: string }) => e.name,
        );
      const def = JSON.stringify({
        $schema: 'http://json-schema.org/draft-07/schema#',
        type: 'object',
        properties: { a: { type: 'string' } },
      });
      // CreateSchema without a RegistryId uses (and creates) "default-registry".
      const created = await glue.send(
        new CreateSchemaCommand({ SchemaName: 's', DataFormat: 'JSON', Compatibility: 'FULL', SchemaDefinition: def }),
      );
      assert.equal(created.RegistryName, 'default-registry');
      const SchemaId = { RegistryName: 'default-registry', SchemaName: 's' };
      // An identical definition returns the existing version; an unknown one is not found by definition.
      const again = await glue.send(new RegisterSchemaVersionCommand({ SchemaId, SchemaDefinition: def }));
      assert.deepEqual([again.VersionNumber, again.SchemaVersionId], [1, created.SchemaVersionId]);
      assert.equal(
        await name(glue.send(new GetSchemaByDefinitionCommand({ SchemaId, SchemaDefinition: '{"type":"string"}' }))),
        'EntityNotFoundException',
      );
      // Metadata: 1-256 characters of [a-zA-Z0-9+-=._./@]; a pair put twice already exists.
      const put = (MetadataKey: string, MetadataValue: string) =>
        name(
          glue.send(
            new PutSchemaVersionMetadataCommand({
              SchemaVersionId: created.SchemaVersionId,
              MetadataKeyValue: { MetadataKey, MetadataValue },
            }),
          ),
        );
      assert.equal(await put('k', 'v'.repeat(256)), 'ok');
      assert.equal(await put('k', 'v'.repeat(256)), 'AlreadyExistsException');
      assert.equal(await put('k2', 'v'.repeat(257)), 'InvalidInputException');
      assert.equal(await put('k3', 'id=a&path=b%2Fc'), 'InvalidInputException');
      assert.equal(
        await put('k4', formatRecordMetadata({ id: 'x y', path: 'a/b.yaml', commit: 'f'.repeat(40) })),
        'ok',
      );
    });

    it('first publish creates the registry and the schema, JSON format, draft-07 definition, with metadata', async () => {
      const { em, publish, catalog } = await setup();
      const r = await publish();
      assert.equal(r.outcome, 'published');
      assert.equal(em.calls.get('CreateRegistry'), 1);
      assert.equal(em.calls.get('CreateSchema'), 1);
      assert.equal(em.calls.get('PutSchemaVersionMetadata'), 2);
      assert.equal(em.writes, 4);
      assert.equal(await em.compatibilityOf(REGISTRY, 'sales.orders.v1'), 'FULL');
      const [v] = (await em.inspect(REGISTRY, 'sales.orders.v1'))!;
      assert.equal(v!.number, 1);
      assert.equal(v!.status, 'AVAILABLE');
      const def = JSON.parse(v!.definition);
      assert.equal(def.$schema, 'http://json-schema.org/draft-07/schema#');
      assert.ok(def.properties.order_id);
      assert.deepEqual(v!.metadata[META_CONTRACT_VERSION], ['1.1.0']);
      assert.match(v!.metadata[META_RECORD]![0]!, METADATA_PATTERN);
      const meta = parseRecordMetadata(v!.metadata[META_RECORD]![0]!);
      assert.equal(meta.id, 'sales-orders');
      assert.equal(meta.path, 'domains/sales/products/orders/contract.odcs.yaml');
      assert.match(meta.commit ?? '', /^[0-9a-f]{40}$/);
      assert.deepEqual(
        catalog.published.map((d) => [d.registryName, d.schemaName, d.versionNumber, d.outcome]),
        [[REGISTRY, 'sales.orders.v1', 1, 'published']],
      );
      assert.deepEqual(await catalog.versions('sales', 'orders'), ['1.1.0']);
      assert.deepEqual(
        (await catalog.list()).map((p) => [p.domain, p.product, p.majors]),
        [['sales', 'orders', [{ major: 1, versions: ['1.1.0'] }]]],
      );
    });

    it('an identical re-publish makes zero writes', async () => {
      const { em, publish, catalog } = await setup();
      await publish();
      em.resetCounts();
      const r = await publish();
      assert.equal(r.outcome, 'unchanged');
      assert.equal(em.writes, 0);
      assert.equal(catalog.published.at(-1)!.outcome, 'unchanged');
    });

    it('a second version registers as the next schema version; the gate reads the previous contract with git show', async () => {
      const { em, root, publish, catalog } = await setup();
      await publish();
      editOrders(root, { version: '1.2.0', purpose: 'Every confirmed order.' });
      em.resetCounts();
      const r = await publish();
      assert.equal(r.outcome, 'published', JSON.stringify(r.diagnostics));
      assert.deepEqual(r.baselines, ['1.1.0']);
      assert.equal(em.calls.get('RegisterSchemaVersion'), 1);
      assert.equal(em.writes, 3);
      assert.deepEqual(
        (await em.inspect(REGISTRY, 'sales.orders.v1'))!.map((v) => v.number),
        [1, 2],
      );
      const rec = await catalog.get('sales', 'orders', '1.1.0');
      assert.equal(rec?.contract.version, '1.1.0');
      assert.equal(rec?.owner, 'team-sales');
    });

    it('an incompatible change within the major is refused by the pre-flight gate before any write', async () => {
      const { em, root, publish } = await setup();
      await publish();
      editOrders(root, { version: '1.2.0', dropEmail: true });
      em.resetCounts();
      const r = await publish();
      assert.equal(r.outcome, 'blocked');
      assert.ok(r.diagnostics.some((d) => d.severity === 'error'));
      assert.equal(em.writes, 0);
    });

    it('the same version with other content is a conflict (exit 1), nothing written', async () => {
      const { em, root, publish } = await setup();
      await publish();
      editOrders(root, { purpose: 'Changed without a version bump.' });
      em.resetCounts();
      await rejectsWith(publish(), 'CATALOG_VERSION_CONFLICT');
      assert.equal(em.writes, 0);
    });

    it('a new major starts a new schema and is not held to the previous one', async () => {
      const { em, root, publish, catalog } = await setup();
      await publish();
      editOrders(root, { version: '2.0.0', dropEmail: true });
      const r = await publish();
      assert.equal(r.outcome, 'published', JSON.stringify(r.diagnostics));
      assert.deepEqual(r.baselines, []);
      assert.equal((await em.inspect(REGISTRY, 'sales.orders.v2'))!.length, 1);
      assert.deepEqual(await catalog.versions('sales', 'orders'), ['1.1.0', '2.0.0']);
    });

    it('maps a _TRANSITIVE mode to *_ALL on schema creation', async () => {
      const { em, root, publish } = await setup();
      const file = ordersContract(root);
      writeFileSync(file, readFileSync(file, 'utf8').replace('value: FULL', 'value: BACKWARD_TRANSITIVE'));
      assert.equal((await publish()).outcome, 'published');
      assert.equal(await em.compatibilityOf(REGISTRY, 'sales.orders.v1'), 'BACKWARD_ALL');
    });

    itEmulator('polls GetSchemaVersion while PENDING, then records the version', async () => {
      const { em, publish } = await setup();
      em.emulator!.pendingPolls = 2;
      assert.equal((await publish()).outcome, 'published');
      assert.equal(em.calls.get('GetSchemaVersion'), 3);
      assert.equal((await em.inspect(REGISTRY, 'sales.orders.v1'))![0]!.status, 'AVAILABLE');
    });

    itEmulator('a version still PENDING after the bounded polls is reported and not recorded', async () => {
      const { em, root, publish } = await setup();
      em.emulator!.pendingPolls = 100;
      const catalog = new GlueSchemaRegistryCatalog({ root, clients: em.clients(), pollIntervalMs: 1, maxPolls: 3 });
      await rejectsWith(
        publishProduct({ root, product: 'sales/orders', catalog }),
        'CATALOG_SCHEMA_PENDING',
        /publish again later/,
      );
      assert.deepEqual((await em.inspect(REGISTRY, 'sales.orders.v1'))![0]!.metadata, {});
      void publish;
    });

    itEmulator('a FAILURE version is reported with the registry status and nothing is recorded', async () => {
      const { em, publish, catalog } = await setup();
      em.emulator!.pendingPolls = 1;
      em.emulator!.settleAs = 'FAILURE';
      await rejectsWith(publish(), 'CATALOG_SCHEMA_FAILURE', /FAILURE.*compatibility FULL.*nothing was recorded/);
      assert.equal(em.calls.get('PutSchemaVersionMetadata') ?? 0, 0);
      assert.deepEqual(await catalog.versions('sales', 'orders'), []);
    });

    itEmulator('throttled and failed calls are retried with backoff and recorded once', async () => {
      const { em, publish, catalog } = await setup();
      em.emulator!.inject({ operation: 'CreateSchema', times: 1, kind: 'throttle' });
      em.emulator!.inject({ operation: 'PutSchemaVersionMetadata', times: 1, kind: 'internal-after' });
      assert.equal((await publish()).outcome, 'published');
      assert.equal(em.calls.get('CreateSchema'), 2);
      const [v, ...rest] = (await em.inspect(REGISTRY, 'sales.orders.v1'))!;
      assert.equal(rest.length, 0);
      assert.deepEqual(v!.metadata[META_CONTRACT_VERSION], ['1.1.0']);
      assert.equal(v!.metadata[META_RECORD]!.length, 1);
      assert.deepEqual(await catalog.versions('sales', 'orders'), ['1.1.0']);
    });

    itEmulator('a retried RegisterSchemaVersion whose first response was lost yields one version', async () => {
      const { em, root, publish } = await setup();
      await publish();
      editOrders(root, { version: '1.2.0', purpose: 'Every confirmed order.' });
      em.emulator!.inject({ operation: 'RegisterSchemaVersion', times: 1, kind: 'internal-after' });
      assert.equal((await publish()).outcome, 'published');
      assert.deepEqual(
        (await em.inspect(REGISTRY, 'sales.orders.v1'))!.map((v) => [v.number, v.metadata[META_CONTRACT_VERSION]]),
        [
          [1, ['1.1.0']],
          [2, ['1.2.0']],
        ],
      );
    });

    it('pre-flight refuses a definition over 170,000 characters with no write', async () => {
      const { em, root, publish } = await setup();
      const file = ordersContract(root);
      writeFileSync(
        file,
        readFileSync(file, 'utf8').replace('description: Order status.', `description: ${'x'.repeat(171_000)}`),
      );
      await rejectsWith(publish(), 'CATALOG_PREFLIGHT', /170000/);
      assert.equal(em.writes, 0);
    });

    it('pre-flight refuses a definition that is not valid draft-07 with no write', async () => {
      const { em, root, catalog } = await setup({ git: false });
      const local = new LocalCatalog(`${root}/.mesh/catalog`);
      await publishProduct({ root, product: 'sales/orders', catalog: local });
      const record = (await local.get('sales', 'orders', '1.1.0'))!;
      const prop = record.contract.schema![0]!.properties![0] as { logicalTypeOptions?: Record<string, unknown> };
      prop.logicalTypeOptions = { ...prop.logicalTypeOptions, pattern: '([' };
      await rejectsWith(catalog.publish(record), 'CATALOG_PREFLIGHT', /not valid draft-07/);
      assert.equal(em.writes, 0);
      assert.equal(em.reads, 0);
    });

    it('describes several schema objects as one definition with the objects as properties', () => {
      const contract = {
        apiVersion: 'v3.1.0',
        kind: 'DataContract',
        id: 'x',
        version: '1.0.0',
        status: 'active',
        schema: [
          { name: 'a', properties: [{ name: 'id', logicalType: 'string' }] },
          { name: 'b', properties: [{ name: 'n', logicalType: 'integer' }] },
        ],
      } as unknown as Parameters<typeof glueDefinition>[0];
      const def = glueDefinition(contract);
      assert.equal(def.$schema, 'http://json-schema.org/draft-07/schema#');
      assert.deepEqual(Object.keys(def.properties as object), ['a', 'b']);
      assert.equal((def.properties as Record<string, { $schema?: string }>).a!.$schema, undefined);
    });

    it('get() says clearly when the published contract text is not available', async () => {
      const { root, publish, catalog } = await setup({ git: false });
      await publish();
      assert.equal(await catalog.has('sales', 'orders', '1.1.0'), true);
      await rejectsWith(catalog.get('sales', 'orders', '1.1.0'), 'CATALOG_RECORD_UNAVAILABLE', /published outside git/);
      assert.equal(await catalog.get('sales', 'orders', '9.9.9'), undefined);
      void root;
    });

    it('get() rebuilds from git even after the working copy moved on', async () => {
      const { root, publish, catalog } = await setup();
      await publish();
      editOrders(root, { version: '1.2.0', purpose: 'Every confirmed order.' });
      commitAll(root, 'bump');
      const rec = await catalog.get('sales', 'orders', '1.1.0');
      assert.match(rec!.contractText, /version: 1\.1\.0/);
      assert.equal(rec!.gitCommit?.length, 40);
    });
  });
