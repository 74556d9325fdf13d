// The AWS peers the Glue/Lake Formation suites run against: the project's emulator
// (@meshkit/testing's startGlueEmulator) and moto in server mode (PyPI, pinned; an implementation nobody here wrote).
// Both are used only through the real SDK clients over HTTP; calls are counted client-side (one per
// attempt), and what a suite inspects is read back through the API, so one scenario runs
// unchanged on both.
//
// moto 5.2.6 gaps, worked around here (test setup only) and listed in the package README:
// - Glue ListSchemas, ListSchemaVersions and QuerySchemaVersionMetadata are not implemented (HTTP
//   500): a proxy in front of moto answers them from moto's own state (GET /moto-api/data.json:
//   the schemas, versions and metadata moto's CreateSchema/RegisterSchemaVersion/
//   PutSchemaVersionMetadata stored);
// - PutSchemaVersionMetadata allows 128 characters in a value, the API reference 256: the limit is
//   raised to 256 in the server process (pythonPreamble);
// - Lake Formation GetResourceLFTags on a Table answers HTTP 500 when the table has no LF-tag, and
//   never returns LFTagsOnColumns (only for a TableWithColumns resource): the proxy asks moto for
//   the table's tags (none on a 500 of an existing table) and for its columns' tags
//   (TableWithColumns with the columns of moto's table), and answers EntityNotFoundException for
//   a table moto does not have.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  GetSchemaCommand,
  GetSchemaVersionCommand,
  GlueClient,
  ListSchemaVersionsCommand,
  QuerySchemaVersionMetadataCommand,
} from '@aws-sdk/client-glue';
import { LakeFormationClient } from '@aws-sdk/client-lakeformation';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import {
  motoSkip,
  requestBuffered,
  startGlueEmulator,
  startMotoServer,
  WRITE_OPERATIONS,
  type BufferedResponse,
  type GlueEmulator,
  type MotoServer,
} from '@meshkit/testing';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

/** A running peer. */
export interface GluePeerHandle {
  name: 'emulator' | 'moto';
  /** Endpoint of both clients. */
  url: string;
  /** Calls per operation made by {@link clients} (one per attempt, retries included). */
  readonly calls: Map<string, number>;
  /** Write calls ({@link WRITE_OPERATIONS}) counted in {@link calls}. */
  readonly writes: number;
  readonly reads: number;
  resetCounts(): void;
  /** Forgets every resource (and the counts). */
  reset(): Promise<void>;
  /** Real SDK clients to the peer, counted in {@link calls}. */
  clients(maxAttempts?: number): { glue: GlueClient; lakeFormation: LakeFormationClient };
  /** The versions of a schema (number, status, definition, metadata key → values), read through the API; undefined when the schema is missing. */
  inspect(
    registry: string,
    schema: string,
  ): Promise<
    Array<{ number: number; status: string; definition: string; metadata: Record<string, string[]> }> | undefined
  >;
  /** Compatibility of a schema (GetSchema). */
  compatibilityOf(registry: string, schema: string): Promise<string | undefined>;
  /** The emulator itself (emulator-only scenarios: PENDING, FAILURE, injected faults). */
  emulator?: GlueEmulator;
  close(): Promise<void>;
}

/** A peer a suite can run against. */
export interface GluePeer {
  name: 'emulator' | 'moto';
  /** `skip` option of the peer's suite: moto missing outside CI; false otherwise. */
  skip: string | false;
  start(): Promise<GluePeerHandle>;
}

export const GLUE_PEERS: readonly GluePeer[] = [
  { name: 'emulator', skip: false, start: async () => emulatorHandle(await startGlueEmulator()) },
  { name: 'moto', skip: motoSkip(), start: startMotoPeer },
];

const common = (url: string, maxAttempts: number) => ({
  region: 'us-east-1',
  endpoint: url,
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  maxAttempts,
  requestHandler: new NodeHttpHandler(),
});

function handle(
  name: 'emulator' | 'moto',
  server: { url: string; reset(): Promise<void> | void; close(): Promise<void> },
  extra: Partial<GluePeerHandle> = {},
): GluePeerHandle {
  const calls = new Map<string, number>();
  const count = (client: GlueClient | LakeFormationClient) => {
    // The deserialize step runs inside the retry loop: once per attempt.
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const op = String(context.commandName ?? '').replace(/Command$/, '');
        calls.set(op, (calls.get(op) ?? 0) + 1);
        return next(args);
      },
      { step: 'deserialize', name: 'peerCallCounter' },
    );
    return client;
  };
  const reader = new GlueClient(common(server.url, 3));
  const sum = (write: boolean) =>
    [...calls].filter(([op]) => WRITE_OPERATIONS.has(op) === write).reduce((n, [, c]) => n + c, 0);
  return {
    name,
    url: server.url,
    calls,
    get writes() {
      return sum(true);
    },
    get reads() {
      return sum(false);
    },
    resetCounts: () => calls.clear(),
    async reset() {
      await server.reset();
      calls.clear();
    },
    clients: (maxAttempts = 3) => ({
      glue: count(new GlueClient(common(server.url, maxAttempts))),
      lakeFormation: count(new LakeFormationClient(common(server.url, maxAttempts))) as LakeFormationClient,
    }),
    async inspect(registry, schema) {
      const SchemaId = { RegistryName: registry, SchemaName: schema };
      let versions;
      try {
        versions = (await reader.send(new ListSchemaVersionsCommand({ SchemaId, MaxResults: 100 }))).Schemas ?? [];
      } catch (e) {
        if ((e as { name?: string }).name === 'EntityNotFoundException') return undefined;
        throw e;
      }
      const out = [];
      for (const v of [...versions].sort((a, b) => (a.VersionNumber ?? 0) - (b.VersionNumber ?? 0))) {
        const full = await reader.send(new GetSchemaVersionCommand({ SchemaVersionId: v.SchemaVersionId }));
        const map =
          (await reader.send(new QuerySchemaVersionMetadataCommand({ SchemaVersionId: v.SchemaVersionId })))
            .MetadataInfoMap ?? {};
        const metadata = Object.fromEntries(
          Object.entries(map).map(([k, info]) => [
            k,
            [info.MetadataValue!, ...(info.OtherMetadataValueList ?? []).map((o) => o.MetadataValue!)],
          ]),
        );
        out.push({
          number: v.VersionNumber ?? 0,
          status: full.Status ?? '?',
          definition: full.SchemaDefinition ?? '',
          metadata,
        });
      }
      return out;
    },
    async compatibilityOf(registry, schema) {
      try {
        return (await reader.send(new GetSchemaCommand({ SchemaId: { RegistryName: registry, SchemaName: schema } })))
          .Compatibility;
      } catch (e) {
        if ((e as { name?: string }).name === 'EntityNotFoundException') return undefined;
        throw e;
      }
    },
    async close() {
      reader.destroy();
      await server.close();
    },
    ...extra,
  };
}

function emulatorHandle(em: GlueEmulator): GluePeerHandle {
  return handle('emulator', em, { emulator: em });
}

// --- moto ---------------------------------------------------------------------------------------

/** moto checks metadata values against 128 characters; the Glue API reference allows 256. */
const METADATA_VALUE_256 = `
import moto.glue.glue_schema_registry_utils as _u
def _value(v):
    _u.validate_param_pattern_and_length(v, param_name="value", max_name_length=256, pattern=_u.SCHEMA_VERSION_METADATA_PATTERN)
_u.validate_schema_version_metadata_value_pattern_and_length = _value
`;

async function startMotoPeer(): Promise<GluePeerHandle> {
  const moto = await startMotoServer({ pythonPreamble: METADATA_VALUE_256 });
  const shim = await startShim(moto);
  return handle('moto', {
    url: shim.url,
    reset: () => moto.reset(),
    close: async () => {
      await shim.close();
      await moto.close();
    },
  });
}

type State = Record<string, Record<string, Array<Record<string, unknown>>>>;

function upstream(
  moto: MotoServer,
  path: string,
  headers: IncomingMessage['headers'],
  body: Buffer,
): Promise<BufferedResponse> {
  return requestBuffered({ host: '127.0.0.1', port: moto.port, method: 'POST', path, headers }, body);
}

class NotFound extends Error {}

/** The proxy of the moto gaps (see the module documentation). */
async function startShim(moto: MotoServer): Promise<{ url: string; close(): Promise<void> }> {
  const glueOps: Record<string, (input: Record<string, unknown>, state: State) => unknown> = {
    ListSchemas(input, state) {
      const registry = (input.RegistryId as { RegistryName?: string } | undefined)?.RegistryName;
      if (registry && !(state.glue?.FakeRegistry ?? []).some((r) => r.name === registry))
        throw new NotFound(`Registry is not found. RegistryName: ${registry}`);
      const schemas = (state.glue?.FakeSchema ?? []).filter((s) => !registry || s.registry_name === registry);
      return page(
        schemas.map((s) => ({
          RegistryName: s.registry_name,
          SchemaName: s.schema_name,
          SchemaArn: s.schema_arn,
          SchemaStatus: s.schema_status,
          Description: s.description ?? undefined,
        })),
        input,
        'Schemas',
      );
    },
    ListSchemaVersions(input, state) {
      const id = input.SchemaId as { RegistryName?: string; SchemaName?: string; SchemaArn?: string };
      const schema = (state.glue?.FakeSchema ?? []).find((s) =>
        id.SchemaArn
          ? s.schema_arn === id.SchemaArn
          : s.schema_name === id.SchemaName && s.registry_name === (id.RegistryName ?? 'default-registry'),
      );
      if (!schema)
        throw new NotFound(`Schema is not found. RegistryName: ${id.RegistryName}, SchemaName: ${id.SchemaName}`);
      const versions = (state.glue?.FakeSchemaVersion ?? [])
        .filter((v) => v.schema_arn === schema.schema_arn)
        .sort((a, b) => Number(a.version_number) - Number(b.version_number));
      return page(
        versions.map((v) => ({
          SchemaArn: v.schema_arn,
          SchemaVersionId: v.schema_version_id,
          VersionNumber: v.version_number,
          Status: v.schema_version_status,
        })),
        input,
        'Schemas',
      );
    },
    QuerySchemaVersionMetadata(input, state) {
      const version = (state.glue?.FakeSchemaVersion ?? []).find((v) => v.schema_version_id === input.SchemaVersionId);
      if (!version)
        throw new NotFound(`Schema version is not found. SchemaVersionId: ${String(input.SchemaVersionId)}`);
      const map: Record<string, unknown> = {};
      for (const [key, values] of Object.entries((version.metadata ?? {}) as Record<string, string[]>)) {
        const [first, ...others] = values;
        if (first !== undefined)
          map[key] = { MetadataValue: first, OtherMetadataValueList: others.map((o) => ({ MetadataValue: o })) };
      }
      return { MetadataInfoMap: map, SchemaVersionId: version.schema_version_id };
    },
  };

  async function getResourceLFTags(
    req: IncomingMessage,
    input: Record<string, unknown>,
    body: Buffer,
  ): Promise<unknown> {
    const table = (input.Resource as { Table?: { DatabaseName?: string; Name?: string } } | undefined)?.Table;
    const state = (await moto.state()) as State;
    const t = (state.glue?.FakeTable ?? []).find(
      (x) => x.database_name === table!.DatabaseName && x.name === table!.Name,
    );
    if (!t) throw new NotFound(`Table ${table!.Name} not found.`);
    const onTable = await upstream(moto, req.url!, req.headers, body);
    // moto: 500 (KeyError) for a table without LF-tags.
    const tableTags =
      onTable.status === 200
        ? ((JSON.parse(onTable.body.toString('utf8')) as { LFTagsOnTable?: unknown[] }).LFTagsOnTable ?? [])
        : [];
    const latest = Object.values(
      (t.versions ?? {}) as Record<
        string,
        { StorageDescriptor?: { Columns?: Array<{ Name: string }> }; PartitionKeys?: Array<{ Name: string }> }
      >,
    ).at(-1);
    const columns = [...(latest?.StorageDescriptor?.Columns ?? []), ...(latest?.PartitionKeys ?? [])].map(
      (c) => c.Name,
    );
    let columnTags: unknown[] = [];
    if (columns.length) {
      const q = Buffer.from(
        JSON.stringify({
          ...input,
          Resource: {
            TableWithColumns: { DatabaseName: table!.DatabaseName, Name: table!.Name, ColumnNames: columns },
          },
        }),
      );
      const onColumns = await upstream(moto, req.url!, req.headers, q);
      if (onColumns.status !== 200) throw new Error(`moto GetResourceLFTags (columns) answered ${onColumns.status}`);
      columnTags =
        (JSON.parse(onColumns.body.toString('utf8')) as { LFTagsOnColumns?: unknown[] }).LFTagsOnColumns ?? [];
    }
    return { LFTagsOnTable: tableTags, LFTagsOnColumns: columnTags };
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const target = String(req.headers['x-amz-target'] ?? '');
      const glueOp = target.startsWith('AWSGlue.') ? glueOps[target.slice('AWSGlue.'.length)] : undefined;
      const reply = (status: number, payload: unknown, errorType?: string) => {
        res
          .writeHead(status, {
            'content-type': glueOp ? 'application/x-amz-json-1.1' : 'application/json',
            ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
          })
          .end(JSON.stringify(payload));
      };
      const answer = async (): Promise<void> => {
        const input = body.length ? (JSON.parse(body.toString('utf8')) as Record<string, unknown>) : {};
        if (glueOp) return reply(200, glueOp(input, await moto.state()));
        if (req.url === '/GetResourceLFTags' && (input.Resource as { Table?: unknown } | undefined)?.Table)
          return reply(200, await getResourceLFTags(req, input, body));
        const up = await upstream(moto, req.url!, req.headers, body);
        const headers = { ...up.headers };
        delete headers['transfer-encoding'];
        delete headers.connection;
        res.writeHead(up.status, { ...headers, 'content-length': String(up.body.length) }).end(up.body);
      };
      answer().catch((e: unknown) => {
        if (e instanceof NotFound)
          return reply(400, { __type: 'EntityNotFoundException', Message: e.message }, 'EntityNotFoundException');
        reply(
          500,
          { __type: 'InternalServiceException', Message: `moto peer proxy: ${(e as Error).message}` },
          'InternalServiceException',
        );
      });
    });
  });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((res) => {
        server.closeAllConnections();
        server.close(() => res());
      }),
  };
}

function page<T>(items: T[], input: Record<string, unknown>, key: string): Record<string, unknown> {
  const max = typeof input.MaxResults === 'number' ? input.MaxResults : 25;
  const start = typeof input.NextToken === 'string' ? Number(input.NextToken) : 0;
  const end = start + max;
  return { [key]: items.slice(start, end), NextToken: end < items.length ? String(end) : undefined };
}
