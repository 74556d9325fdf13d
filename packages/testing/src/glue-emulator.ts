import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiError, operationTable, writeJson, type Operation } from './glue-api.js';
import { DataCatalog } from './glue-data-catalog.js';
import { SchemaRegistry } from './glue-schema-registry.js';
import { LakeFormation } from './lake-formation.js';

/**
 * A local emulator of the AWS Glue Schema Registry, the Glue Data Catalog table operations and
 * the Lake Formation LF-tag operations Meshkit uses, over HTTP on 127.0.0.1 — so the real SDK
 * clients (`@aws-sdk/client-glue`, `@aws-sdk/client-lakeformation`) can be tested over the wire.
 *
 * Wire protocols: Glue speaks awsJson1_1 (`POST /`, `X-Amz-Target: AWSGlue.<Operation>`,
 * PascalCase JSON); Lake Formation speaks restJson1 (`POST /<Operation>`). Errors are HTTP 400
 * `{"__type": "<Name>Exception", "Message": "…"}` (500 for injected internal faults).
 *
 * Documented behaviours reproduced: required fields are validated (`InvalidInputException`);
 * `AlreadyExistsException` for an existing registry/schema/database/table/metadata pair;
 * `EntityNotFoundException` for a missing one; `RegisterSchemaVersion` with a definition equal to
 * an existing version's returns that version; new versions can be held `PENDING` for a number of
 * `GetSchemaVersion` polls, then become `AVAILABLE` or `FAILURE`; faults can be injected
 * (`ThrottlingException` or HTTP 500, before or after the operation takes effect); every call is
 * counted per operation, split in reads and writes.
 *
 * The parts: the Schema Registry (`glue-schema-registry.ts`), the Data Catalog tables
 * (`glue-data-catalog.ts`), Lake Formation's LF-tags (`lake-formation.ts`) and the wire helpers
 * (`glue-api.ts`); this module routes each call to its operation, injects faults and counts.
 */

/** Operations that change state (everything else served is a read). */
export const WRITE_OPERATIONS: ReadonlySet<string> = new Set([
  'CreateRegistry',
  'CreateSchema',
  'RegisterSchemaVersion',
  'PutSchemaVersionMetadata',
  'CreateDatabase',
  'CreateTable',
  'CreateLFTag',
  'AddLFTagsToResource',
]);

/** A fault to inject into the next calls of one operation. */
export interface EmulatorFault {
  /** Operation name, e.g. `RegisterSchemaVersion`. */
  operation: string;
  /** How many calls fail. @default 1 */
  times?: number;
  /**
   * `throttle`: HTTP 400 ThrottlingException before doing anything; `internal`: HTTP 500 before
   * doing anything; `internal-after`: the operation takes effect, then HTTP 500 (a lost response).
   * @default 'throttle'
   */
  kind?: 'throttle' | 'internal' | 'internal-after';
}

/** Options of {@link startGlueEmulator}. */
export interface GlueEmulatorOptions {
  /** Account id in ARNs. @default '123456789012' */
  account?: string;
  /** Region in ARNs. @default 'us-east-1' */
  region?: string;
  /** `GetSchemaVersion` polls a new version stays PENDING for (0: AVAILABLE at once). @default 0 */
  pendingPolls?: number;
  /** Final status of new versions after their PENDING polls. @default 'AVAILABLE' */
  settleAs?: 'AVAILABLE' | 'FAILURE';
  /** Injected latency: every call is answered (and takes effect) this many ms after it arrives. @default 0 */
  latencyMs?: number;
  /**
   * A request rate limit: a call arriving while this many are already in flight is answered at
   * once with HTTP 400 ThrottlingException (counted in {@link GlueEmulator.throttled}). @default unlimited
   */
  maxInFlight?: number;
}

const GLUE_CONTENT_TYPE = 'application/x-amz-json-1.1';

/** A running emulator (see the module documentation). */
export class GlueEmulator {
  /** `http://127.0.0.1:<port>`: the endpoint of both clients. */
  readonly url: string;
  /** Calls per operation (failed and faulted calls included). */
  readonly calls = new Map<string, number>();
  /** Status of the versions registered from now on. */
  settleAs: 'AVAILABLE' | 'FAILURE';
  /** Calls in flight now, and the most ever in flight at once. */
  inFlight = 0;
  peakInFlight = 0;
  /** Calls refused with ThrottlingException by `maxInFlight`. */
  throttled = 0;
  /** PENDING polls of the versions registered from now on. */
  pendingPolls: number;
  private readonly faults: Array<Required<EmulatorFault>> = [];
  private readonly registry: SchemaRegistry;
  private readonly catalog = new DataCatalog();
  private readonly lakeFormation: LakeFormation;
  /** awsJson1_1 operations (`X-Amz-Target`) and restJson1 ones (`POST /<Operation>`). */
  private readonly glueOperations: Map<string, Operation>;
  private readonly lfOperations: Map<string, Operation>;

  constructor(
    private readonly server: Server,
    private readonly options: Required<GlueEmulatorOptions>,
  ) {
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    this.settleAs = options.settleAs;
    this.pendingPolls = options.pendingPolls;
    this.registry = new SchemaRegistry(options, this);
    this.lakeFormation = new LakeFormation(this.catalog, options.account);
    this.glueOperations = new Map([
      ...operationTable(this.registry, SchemaRegistry.OPERATIONS),
      ...operationTable(this.catalog, DataCatalog.OPERATIONS),
    ]);
    this.lfOperations = operationTable(this.lakeFormation, LakeFormation.OPERATIONS);
  }

  /** Makes the next `times` calls of an operation fail (see {@link EmulatorFault}). */
  inject(fault: EmulatorFault): void {
    this.faults.push({ operation: fault.operation, times: fault.times ?? 1, kind: fault.kind ?? 'throttle' });
  }

  /** Calls of write operations ({@link WRITE_OPERATIONS}) since start or the last {@link resetCounts}. */
  get writes(): number {
    return [...this.calls].filter(([op]) => WRITE_OPERATIONS.has(op)).reduce((n, [, c]) => n + c, 0);
  }

  /** Calls of read operations since start or the last {@link resetCounts}. */
  get reads(): number {
    return [...this.calls].filter(([op]) => !WRITE_OPERATIONS.has(op)).reduce((n, [, c]) => n + c, 0);
  }

  /** Clears the call counters. */
  resetCounts(): void {
    this.calls.clear();
  }

  /**
   * Forgets every registry, schema, database, table and LF-tag, the counters and pending faults,
   * and restores `pendingPolls` / `settleAs` to the start options.
   */
  reset(): void {
    this.calls.clear();
    this.registry.clear();
    this.catalog.clear();
    this.lakeFormation.clear();
    this.faults.length = 0;
    this.pendingPolls = this.options.pendingPolls;
    this.settleAs = this.options.settleAs;
  }

  /** The schema versions of a schema, for assertions: number, status, metadata (key → values). */
  inspect(
    registryName: string,
    schemaName: string,
  ): Array<{ number: number; status: string; definition: string; metadata: Record<string, string[]> }> | undefined {
    return this.registry.inspect(registryName, schemaName);
  }

  /** Compatibility mode of a schema, for assertions. */
  compatibilityOf(registryName: string, schemaName: string): string | undefined {
    return this.registry.compatibilityOf(registryName, schemaName);
  }

  /** Stops the server. */
  close(): Promise<void> {
    return new Promise((res, rej) => {
      this.server.close((e) => (e ? rej(e) : res()));
      this.server.closeAllConnections();
    });
  }

  /**
   * Answers one call: counts it, injects a pending fault of its operation, runs the operation.
   * @internal
   */
  handle(req: IncomingMessage, res: ServerResponse, body: string): void {
    const target = req.headers['x-amz-target'];
    const glue = typeof target === 'string';
    const operation = operationOf(req);
    const send = (status: number, payload: unknown, errorType?: string) =>
      writeJson(res, status, payload, glue ? GLUE_CONTENT_TYPE : 'application/json', errorType);
    const fail = (e: ApiError) => send(e.status, { __type: e.type, Message: e.message }, e.type);
    this.calls.set(operation, (this.calls.get(operation) ?? 0) + 1);
    const fault = this.takeFault(operation);
    if (fault === 'throttle') return fail(new ApiError('ThrottlingException', 'Rate exceeded'));
    if (fault === 'internal') return fail(new ApiError('InternalServiceException', 'Internal service error', 500));
    let input: Record<string, unknown>;
    try {
      input = body ? (JSON.parse(body) as Record<string, unknown>) : {};
    } catch {
      return fail(new ApiError('SerializationException', 'request body is not JSON'));
    }
    try {
      const handler = (glue ? this.glueOperations : this.lfOperations).get(operation);
      if (!handler)
        throw new ApiError('UnknownOperationException', `operation ${operation || '(none)'} is not emulated`);
      const out = handler(input);
      if (fault === 'internal-after')
        return fail(new ApiError('InternalServiceException', 'Internal service error', 500));
      send(200, out);
    } catch (e) {
      if (e instanceof ApiError) return fail(e);
      fail(new ApiError('InternalServiceException', String(e), 500));
    }
  }

  /** The kind of the first pending fault of `operation` (used up by one), if any. */
  private takeFault(operation: string): EmulatorFault['kind'] {
    const fault = this.faults.find((f) => f.operation === operation && f.times > 0);
    if (!fault) return undefined;
    fault.times--;
    return fault.kind;
  }
}

const GLUE_TARGET = 'AWSGlue.';

/** The Glue operation of `X-Amz-Target: AWSGlue.<Operation>`, else `''`. */
function glueOperationOf(req: IncomingMessage): string {
  const target = req.headers['x-amz-target'];
  return typeof target === 'string' && target.startsWith(GLUE_TARGET) ? target.slice(GLUE_TARGET.length) : '';
}

/** The operation of a call: the Glue target, else the restJson1 path (`/<Operation>`). */
function operationOf(req: IncomingMessage): string {
  const target = req.headers['x-amz-target'];
  if (typeof target === 'string' && target.startsWith(GLUE_TARGET)) return glueOperationOf(req);
  return req.url && req.url !== '/' ? req.url.slice(1).split('?')[0]! : '';
}

/** Starts an emulator on 127.0.0.1 (a free port). Close it with {@link GlueEmulator.close}. */
export async function startGlueEmulator(options: GlueEmulatorOptions = {}): Promise<GlueEmulator> {
  const server = createServer();
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  const emulator = new GlueEmulator(server, {
    account: options.account ?? '123456789012',
    region: options.region ?? 'us-east-1',
    pendingPolls: options.pendingPolls ?? 0,
    settleAs: options.settleAs ?? 'AVAILABLE',
    latencyMs: options.latencyMs ?? 0,
    maxInFlight: options.maxInFlight ?? Infinity,
  });
  const latency = options.latencyMs ?? 0;
  const limit = options.maxInFlight ?? Infinity;
  server.on('request', (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      if (emulator.inFlight >= limit) {
        emulator.throttled++;
        // Counted under its Glue operation ('' for a Lake Formation call).
        const op = glueOperationOf(req);
        emulator.calls.set(op, (emulator.calls.get(op) ?? 0) + 1);
        writeJson(
          res,
          400,
          { __type: 'ThrottlingException', Message: 'Rate exceeded' },
          GLUE_CONTENT_TYPE,
          'ThrottlingException',
        );
        return;
      }
      emulator.inFlight++;
      emulator.peakInFlight = Math.max(emulator.peakInFlight, emulator.inFlight);
      const answer = () => {
        emulator.inFlight--;
        emulator.handle(req, res, body);
      };
      if (latency > 0) setTimeout(answer, latency);
      else answer();
    });
  });
  return emulator;
}
