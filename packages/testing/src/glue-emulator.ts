import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

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

interface SchemaVersion {
  id: string;
  number: number;
  definition: string;
  status: 'PENDING' | 'AVAILABLE' | 'FAILURE';
  pollsLeft: number;
  settleAs: 'AVAILABLE' | 'FAILURE';
  created: string;
  metadata: Map<string, Array<{ value: string; created: string }>>;
}
interface Schema {
  registry: string;
  name: string;
  arn: string;
  dataFormat: string;
  compatibility: string;
  description?: string;
  versions: SchemaVersion[];
}
interface Registry {
  name: string;
  arn: string;
  description?: string;
}

class ApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

const COMPATIBILITIES = ['NONE', 'DISABLED', 'BACKWARD', 'BACKWARD_ALL', 'FORWARD', 'FORWARD_ALL', 'FULL', 'FULL_ALL'];
const DATA_FORMATS = ['AVRO', 'JSON', 'PROTOBUF'];
const NAME_RE = /^[a-zA-Z0-9-_$#.]{1,255}$/;
/** `MetadataKeyValuePair` pattern of the Glue API reference, as written (`+-=` is a range: + , - . / 0-9 : ; < =). */
const METADATA_PATTERN = /^[a-zA-Z0-9+-=._./@]+$/;
/** Longest schema definition the registry accepts. */
export const MAX_SCHEMA_DEFINITION_LENGTH = 170_000;

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
  private readonly registries = new Map<string, Registry>();
  private readonly schemas = new Map<string, Schema>();
  private readonly versionsById = new Map<string, { schema: Schema; version: SchemaVersion }>();
  private readonly databases = new Map<string, Record<string, unknown>>();
  private readonly tables = new Map<string, Record<string, unknown>>();
  private readonly lfTags = new Map<string, Map<string, string[]>>();
  /** LF-tags defined with CreateLFTag: key → allowed values. */
  private readonly lfTagDefinitions = new Map<string, string[]>();

  constructor(
    private readonly server: Server,
    private readonly options: Required<GlueEmulatorOptions>,
  ) {
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    this.settleAs = options.settleAs;
    this.pendingPolls = options.pendingPolls;
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
    for (const m of [
      this.calls,
      this.registries,
      this.schemas,
      this.versionsById,
      this.databases,
      this.tables,
      this.lfTags,
      this.lfTagDefinitions,
    ])
      m.clear();
    this.faults.length = 0;
    this.pendingPolls = this.options.pendingPolls;
    this.settleAs = this.options.settleAs;
  }

  /** The schema versions of a schema, for assertions: number, status, metadata (key → values). */
  inspect(
    registryName: string,
    schemaName: string,
  ): Array<{ number: number; status: string; definition: string; metadata: Record<string, string[]> }> | undefined {
    const s = this.schemas.get(`${registryName}/${schemaName}`);
    return s?.versions.map((v) => ({
      number: v.number,
      status: v.status,
      definition: v.definition,
      metadata: Object.fromEntries([...v.metadata].map(([k, vals]) => [k, vals.map((x) => x.value)])),
    }));
  }

  /** Compatibility mode of a schema, for assertions. */
  compatibilityOf(registryName: string, schemaName: string): string | undefined {
    return this.schemas.get(`${registryName}/${schemaName}`)?.compatibility;
  }

  /** Stops the server. */
  close(): Promise<void> {
    return new Promise((res, rej) => {
      this.server.close((e) => (e ? rej(e) : res()));
      this.server.closeAllConnections();
    });
  }

  /** @internal */
  handle(req: IncomingMessage, res: ServerResponse, body: string): void {
    const target = req.headers['x-amz-target'];
    const operation =
      typeof target === 'string' && target.startsWith('AWSGlue.')
        ? target.slice('AWSGlue.'.length)
        : req.url && req.url !== '/'
          ? req.url.slice(1).split('?')[0]!
          : '';
    const glue = typeof target === 'string';
    const send = (status: number, payload: unknown, errorType?: string) => {
      const headers: Record<string, string> = {
        'content-type': glue ? 'application/x-amz-json-1.1' : 'application/json',
        'x-amzn-requestid': randomUUID(),
      };
      if (errorType) headers['x-amzn-errortype'] = errorType;
      res.writeHead(status, headers).end(JSON.stringify(payload));
    };
    const fail = (e: ApiError) => send(e.status, { __type: e.type, Message: e.message }, e.type);
    this.calls.set(operation, (this.calls.get(operation) ?? 0) + 1);
    const fault = this.faults.find((f) => f.operation === operation && f.times > 0);
    if (fault) fault.times--;
    if (fault?.kind === 'throttle') return fail(new ApiError('ThrottlingException', 'Rate exceeded'));
    if (fault?.kind === 'internal')
      return fail(new ApiError('InternalServiceException', 'Internal service error', 500));
    let input: Record<string, unknown>;
    try {
      input = body ? (JSON.parse(body) as Record<string, unknown>) : {};
    } catch {
      return fail(new ApiError('SerializationException', 'request body is not JSON'));
    }
    try {
      const handler = glue ? GLUE_OPS[operation] : LF_OPS[operation];
      if (!handler)
        throw new ApiError('UnknownOperationException', `operation ${operation || '(none)'} is not emulated`);
      const out = handler.call(this, input);
      if (fault?.kind === 'internal-after')
        return fail(new ApiError('InternalServiceException', 'Internal service error', 500));
      send(200, out);
    } catch (e) {
      if (e instanceof ApiError) return fail(e);
      fail(new ApiError('InternalServiceException', String(e), 500));
    }
  }

  // --- helpers --------------------------------------------------------------------------------

  private arn(kind: string, name: string): string {
    return `arn:aws:glue:${this.options.region}:${this.options.account}:${kind}/${name}`;
  }

  private registry(id: unknown, required = true): Registry {
    const name = obj(id, 'RegistryId', required)?.RegistryName ?? (required ? undefined : 'default-registry');
    if (typeof name !== 'string') throw new ApiError('InvalidInputException', 'RegistryId.RegistryName is required');
    // CreateSchema without a RegistryId creates "default-registry" when it is missing (Glue API reference).
    if (id === undefined && !required && !this.registries.has(name))
      this.registries.set(name, { name, arn: this.arn('registry', name) });
    const r = this.registries.get(name);
    if (!r) throw new ApiError('EntityNotFoundException', `Registry is not found. RegistryId: ${name}`);
    return r;
  }

  private schema(id: unknown): Schema {
    const sid = obj(id, 'SchemaId', true)!;
    let key: string | undefined;
    if (typeof sid.SchemaArn === 'string') {
      const byArn = [...this.schemas.values()].find((s) => s.arn === sid.SchemaArn);
      key = byArn && `${byArn.registry}/${byArn.name}`;
    } else {
      if (typeof sid.SchemaName !== 'string')
        throw new ApiError('InvalidInputException', 'SchemaId requires SchemaArn or SchemaName');
      const reg = typeof sid.RegistryName === 'string' ? sid.RegistryName : 'default-registry';
      if (!this.registries.has(reg))
        throw new ApiError('EntityNotFoundException', `Registry is not found. RegistryId: ${reg}`);
      key = `${reg}/${sid.SchemaName}`;
    }
    const s = key ? this.schemas.get(key) : undefined;
    if (!s) throw new ApiError('EntityNotFoundException', `Schema is not found. SchemaId: ${JSON.stringify(sid)}`);
    return s;
  }

  private version(input: Record<string, unknown>): { schema: Schema; version: SchemaVersion } {
    if (typeof input.SchemaVersionId === 'string') {
      const found = this.versionsById.get(input.SchemaVersionId);
      if (!found)
        throw new ApiError(
          'EntityNotFoundException',
          `Schema version is not found. SchemaVersionId: ${input.SchemaVersionId}`,
        );
      return found;
    }
    if (input.SchemaId === undefined)
      throw new ApiError('InvalidInputException', 'SchemaVersionId or SchemaId is required');
    const schema = this.schema(input.SchemaId);
    const n = obj(input.SchemaVersionNumber, 'SchemaVersionNumber', true)!;
    const version =
      n.LatestVersion === true ? schema.versions.at(-1) : schema.versions.find((v) => v.number === n.VersionNumber);
    if (!version)
      throw new ApiError(
        'EntityNotFoundException',
        `Schema version is not found. VersionNumber: ${String(n.VersionNumber)}`,
      );
    return { schema, version };
  }

  private newVersion(schema: Schema, definition: string): SchemaVersion {
    checkDefinition(definition, schema.dataFormat);
    const existing = schema.versions.find((v) => v.definition === definition);
    if (existing) return existing;
    const version: SchemaVersion = {
      id: randomUUID(),
      number: (schema.versions.at(-1)?.number ?? 0) + 1,
      definition,
      status: this.pendingPolls > 0 ? 'PENDING' : this.settleAs,
      pollsLeft: this.pendingPolls,
      settleAs: this.settleAs,
      created: new Date().toISOString(),
      metadata: new Map(),
    };
    schema.versions.push(version);
    this.versionsById.set(version.id, { schema, version });
    return version;
  }

  private tableInfo(input: Record<string, unknown>, key: 'Name' | 'TableName' = 'Name'): { db: string; name: string } {
    const db = str(input, 'DatabaseName');
    const name = str(input, key);
    if (!this.databases.has(db.toLowerCase()))
      throw new ApiError('EntityNotFoundException', `Database ${db} not found.`);
    return { db: db.toLowerCase(), name: name.toLowerCase() };
  }

  // --- Glue operations --------------------------------------------------------------------------

  /** @internal */ CreateRegistry(input: Record<string, unknown>) {
    const name = str(input, 'RegistryName');
    if (!NAME_RE.test(name))
      throw new ApiError('InvalidInputException', `RegistryName '${name}' does not match ${NAME_RE.source}`);
    if (this.registries.has(name))
      throw new ApiError('AlreadyExistsException', `Registry already exists. RegistryName: ${name}`);
    const r: Registry = { name, arn: this.arn('registry', name), description: input.Description as string | undefined };
    this.registries.set(name, r);
    return { RegistryArn: r.arn, RegistryName: name, Description: r.description };
  }

  /** @internal */ GetRegistry(input: Record<string, unknown>) {
    const r = this.registry(input.RegistryId);
    return { RegistryName: r.name, RegistryArn: r.arn, Description: r.description, Status: 'AVAILABLE' };
  }

  /** @internal */ CreateSchema(input: Record<string, unknown>) {
    const reg = this.registry(input.RegistryId, false);
    const name = str(input, 'SchemaName');
    if (!NAME_RE.test(name))
      throw new ApiError('InvalidInputException', `SchemaName '${name}' does not match ${NAME_RE.source}`);
    const dataFormat = str(input, 'DataFormat');
    if (!DATA_FORMATS.includes(dataFormat))
      throw new ApiError('InvalidInputException', `DataFormat must be one of ${DATA_FORMATS.join(', ')}`);
    const compatibility = (input.Compatibility as string | undefined) ?? 'BACKWARD';
    if (!COMPATIBILITIES.includes(compatibility))
      throw new ApiError('InvalidInputException', `Compatibility must be one of ${COMPATIBILITIES.join(', ')}`);
    const key = `${reg.name}/${name}`;
    if (this.schemas.has(key))
      throw new ApiError('AlreadyExistsException', `Schema already exists. SchemaName: ${name}`);
    const schema: Schema = {
      registry: reg.name,
      name,
      arn: this.arn('schema', key),
      dataFormat,
      compatibility,
      description: input.Description as string | undefined,
      versions: [],
    };
    const definition = input.SchemaDefinition;
    const version = typeof definition === 'string' ? this.newVersion(schema, definition) : undefined;
    this.schemas.set(key, schema);
    return {
      RegistryName: reg.name,
      RegistryArn: reg.arn,
      SchemaName: name,
      SchemaArn: schema.arn,
      DataFormat: dataFormat,
      Compatibility: compatibility,
      SchemaCheckpoint: 1,
      LatestSchemaVersion: version?.number ?? 0,
      NextSchemaVersion: (version?.number ?? 0) + 1,
      SchemaStatus: 'AVAILABLE',
      SchemaVersionId: version?.id,
      SchemaVersionStatus: version?.status,
    };
  }

  /** @internal */ GetSchema(input: Record<string, unknown>) {
    const s = this.schema(input.SchemaId);
    return {
      RegistryName: s.registry,
      RegistryArn: this.registries.get(s.registry)!.arn,
      SchemaName: s.name,
      SchemaArn: s.arn,
      DataFormat: s.dataFormat,
      Compatibility: s.compatibility,
      SchemaCheckpoint: 1,
      LatestSchemaVersion: s.versions.at(-1)?.number ?? 0,
      NextSchemaVersion: (s.versions.at(-1)?.number ?? 0) + 1,
      SchemaStatus: 'AVAILABLE',
    };
  }

  /** @internal */ RegisterSchemaVersion(input: Record<string, unknown>) {
    const s = this.schema(input.SchemaId);
    const v = this.newVersion(s, str(input, 'SchemaDefinition'));
    return { SchemaVersionId: v.id, VersionNumber: v.number, Status: v.status };
  }

  /** @internal */ GetSchemaVersion(input: Record<string, unknown>) {
    const { schema, version: v } = this.version(input);
    if (v.status === 'PENDING') {
      if (v.pollsLeft > 0) v.pollsLeft--;
      else v.status = v.settleAs;
    }
    return {
      SchemaVersionId: v.id,
      SchemaDefinition: v.definition,
      DataFormat: schema.dataFormat,
      SchemaArn: schema.arn,
      VersionNumber: v.number,
      Status: v.status,
      CreatedTime: v.created,
    };
  }

  /** @internal */ GetSchemaByDefinition(input: Record<string, unknown>) {
    const s = this.schema(input.SchemaId);
    const definition = str(input, 'SchemaDefinition');
    const v = s.versions.find((x) => x.definition === definition);
    if (!v) throw new ApiError('EntityNotFoundException', 'Schema version is not found.');
    return {
      SchemaVersionId: v.id,
      SchemaArn: s.arn,
      DataFormat: s.dataFormat,
      Status: v.status,
      CreatedTime: v.created,
    };
  }

  /** @internal */ ListSchemas(input: Record<string, unknown>) {
    const reg = input.RegistryId === undefined ? undefined : this.registry(input.RegistryId);
    const all = [...this.schemas.values()]
      .filter((s) => !reg || s.registry === reg.name)
      .sort((a, b) => a.name.localeCompare(b.name));
    const page = paginate(all, input);
    return {
      Schemas: page.items.map((s) => ({
        RegistryName: s.registry,
        SchemaName: s.name,
        SchemaArn: s.arn,
        SchemaStatus: 'AVAILABLE',
        Description: s.description,
      })),
      NextToken: page.next,
    };
  }

  /** @internal */ ListSchemaVersions(input: Record<string, unknown>) {
    const s = this.schema(input.SchemaId);
    const page = paginate(s.versions, input);
    return {
      Schemas: page.items.map((v) => ({
        SchemaArn: s.arn,
        SchemaVersionId: v.id,
        VersionNumber: v.number,
        Status: v.status,
        CreatedTime: v.created,
      })),
      NextToken: page.next,
    };
  }

  /** @internal */ PutSchemaVersionMetadata(input: Record<string, unknown>) {
    const { schema, version } = this.version(input);
    const kv = obj(input.MetadataKeyValue, 'MetadataKeyValue', true)!;
    const key = kv.MetadataKey;
    const value = kv.MetadataValue;
    if (typeof key !== 'string' || key.length < 1 || key.length > 128)
      throw new ApiError('InvalidInputException', 'MetadataKey must be 1-128 characters');
    if (typeof value !== 'string' || value.length < 1 || value.length > 256)
      throw new ApiError('InvalidInputException', 'MetadataValue must be 1-256 characters');
    if (!METADATA_PATTERN.test(key))
      throw new ApiError('InvalidInputException', `MetadataKey '${key}' does not match [a-zA-Z0-9+-=._./@]+`);
    if (!METADATA_PATTERN.test(value))
      throw new ApiError('InvalidInputException', `MetadataValue '${value}' does not match [a-zA-Z0-9+-=._./@]+`);
    const values = version.metadata.get(key) ?? [];
    if (values.some((v) => v.value === value))
      throw new ApiError('AlreadyExistsException', `Metadata key-value pair already exists: ${key}=${value}`);
    if (!version.metadata.has(key) && version.metadata.size >= 10)
      throw new ApiError('ResourceNumberLimitExceededException', 'A schema version can have at most 10 metadata keys');
    values.push({ value, created: new Date().toISOString() });
    version.metadata.set(key, values);
    return {
      SchemaArn: schema.arn,
      SchemaName: schema.name,
      RegistryName: schema.registry,
      LatestVersion: schema.versions.at(-1) === version,
      VersionNumber: version.number,
      SchemaVersionId: version.id,
      MetadataKey: key,
      MetadataValue: value,
    };
  }

  /** @internal */ QuerySchemaVersionMetadata(input: Record<string, unknown>) {
    const { version } = this.version(input);
    const filter = Array.isArray(input.MetadataList)
      ? (input.MetadataList as Array<{ MetadataKey?: string; MetadataValue?: string }>)
      : [];
    const map: Record<string, unknown> = {};
    for (const [key, values] of version.metadata) {
      const kept = values.filter(
        (v) =>
          !filter.length ||
          filter.some((f) => f.MetadataKey === key && (f.MetadataValue === undefined || f.MetadataValue === v.value)),
      );
      if (!kept.length) continue;
      const [first, ...others] = kept;
      map[key] = {
        MetadataValue: first!.value,
        CreatedTime: first!.created,
        OtherMetadataValueList: others.map((o) => ({ MetadataValue: o.value, CreatedTime: o.created })),
      };
    }
    return { MetadataInfoMap: map, SchemaVersionId: version.id };
  }

  /** @internal */ CreateDatabase(input: Record<string, unknown>) {
    const db = obj(input.DatabaseInput, 'DatabaseInput', true)!;
    const name = typeof db.Name === 'string' ? db.Name.toLowerCase() : '';
    if (!name) throw new ApiError('InvalidInputException', 'DatabaseInput.Name is required');
    if (this.databases.has(name)) throw new ApiError('AlreadyExistsException', `Database already exists: ${name}`);
    this.databases.set(name, { ...db, Name: name, CreateTime: Date.now() / 1000 }); // awsJson timestamps are epoch seconds
    return {};
  }

  /** @internal */ CreateTable(input: Record<string, unknown>) {
    const t = obj(input.TableInput, 'TableInput', true)!;
    if (typeof t.Name !== 'string' || !t.Name)
      throw new ApiError('InvalidInputException', 'TableInput.Name is required');
    const { db, name } = this.tableInfo({ DatabaseName: input.DatabaseName, Name: t.Name });
    if (this.tables.has(`${db}/${name}`))
      throw new ApiError('AlreadyExistsException', `Table already exists: ${db}.${name}`);
    this.tables.set(`${db}/${name}`, {
      ...t,
      Name: name,
      DatabaseName: db,
      VersionId: '0',
      CreateTime: Date.now() / 1000,
    }); // awsJson timestamps are epoch seconds
    return {};
  }

  /** @internal */ GetTable(input: Record<string, unknown>) {
    const { db, name } = this.tableInfo(input);
    const t = this.tables.get(`${db}/${name}`);
    if (!t) throw new ApiError('EntityNotFoundException', `Table ${name} not found.`);
    return { Table: t };
  }

  // --- Lake Formation operations ------------------------------------------------------------------

  /** @internal */ CreateLFTag(input: Record<string, unknown>) {
    const key = str(input, 'TagKey');
    const values = input.TagValues;
    if (!Array.isArray(values) || !values.length || values.some((v) => typeof v !== 'string' || !v))
      throw new ApiError('InvalidInputException', 'TagValues is required (1-1000 values)');
    if (this.lfTagDefinitions.has(key)) throw new ApiError('AlreadyExistsException', `Tag key already exists: ${key}`);
    this.lfTagDefinitions.set(key, [...new Set(values as string[])]);
    return {};
  }

  /**
   * Attaches LF-tags; as in AWS, a tag must have been defined (CreateLFTag) with the value: an
   * undefined key or value is a `Failures` entry (EntityNotFoundException), the others are
   * attached (a key already on the resource gets the new value).
   * @internal
   */
  AddLFTagsToResource(input: Record<string, unknown>) {
    const key = this.lfResource(input);
    const tags = input.LFTags;
    if (!Array.isArray(tags) || !tags.length) throw new ApiError('InvalidInputException', 'LFTags is required');
    const current = this.lfTags.get(key) ?? new Map<string, string[]>();
    const failures: unknown[] = [];
    for (const t of tags as Array<{ TagKey?: unknown; TagValues?: unknown; CatalogId?: string }>) {
      if (typeof t.TagKey !== 'string' || !Array.isArray(t.TagValues) || t.TagValues.length !== 1) {
        throw new ApiError('InvalidInputException', 'each LF-tag needs a TagKey and exactly one value per resource');
      }
      const allowed = this.lfTagDefinitions.get(t.TagKey);
      if (!allowed || !allowed.includes(t.TagValues[0] as string)) {
        failures.push({
          LFTag: { CatalogId: t.CatalogId ?? this.options.account, TagKey: t.TagKey, TagValues: t.TagValues },
          Error: { ErrorCode: 'EntityNotFoundException', ErrorMessage: 'Tag or tag value does not exist.' },
        });
        continue;
      }
      current.set(t.TagKey, t.TagValues as string[]);
    }
    this.lfTags.set(key, current);
    return { Failures: failures };
  }

  /** @internal */ GetResourceLFTags(input: Record<string, unknown>) {
    const key = this.lfResource(input);
    const [db, table] = key.split('/');
    const dbTags = this.lfTags.get(`${db}/`);
    const onTable = this.lfTags.get(key);
    const pairs = (m?: Map<string, string[]>) =>
      [...(m ?? new Map<string, string[]>())].map(([TagKey, TagValues]) => ({
        CatalogId: this.options.account,
        TagKey,
        TagValues,
      }));
    const columns = [...this.lfTags]
      .filter(([k]) => k.startsWith(`${key}/`))
      .map(([k, m]) => ({ Name: k.split('/')[2], LFTags: pairs(m) }));
    return table
      ? { LFTagOnDatabase: pairs(dbTags), LFTagsOnTable: pairs(onTable), LFTagsOnColumns: columns }
      : { LFTagOnDatabase: pairs(dbTags) };
  }

  private lfResource(input: Record<string, unknown>): string {
    const resource = obj(input.Resource, 'Resource', true)!;
    if (resource.Database !== undefined) {
      const db = String(obj(resource.Database, 'Resource.Database', true)!.Name ?? '').toLowerCase();
      if (!this.databases.has(db)) throw new ApiError('EntityNotFoundException', `Database ${db} not found.`);
      return `${db}/`;
    }
    const tableRef = resource.Table ?? resource.TableWithColumns;
    const table = obj(tableRef, 'Resource.Table', true)!;
    const { db, name } = this.tableInfo(table);
    if (!this.tables.has(`${db}/${name}`)) throw new ApiError('EntityNotFoundException', `Table ${name} not found.`);
    if (resource.TableWithColumns !== undefined) {
      const cols = table.ColumnNames;
      if (!Array.isArray(cols) || cols.length !== 1)
        throw new ApiError('InvalidInputException', 'the emulator tags one column per call (ColumnNames of length 1)');
      return `${db}/${name}/${String(cols[0]).toLowerCase()}`;
    }
    return `${db}/${name}`;
  }
}

type Handler = (this: GlueEmulator, input: Record<string, unknown>) => unknown;
const GLUE_OPS: Record<string, Handler> = Object.fromEntries(
  [
    'CreateRegistry',
    'GetRegistry',
    'CreateSchema',
    'GetSchema',
    'RegisterSchemaVersion',
    'GetSchemaVersion',
    'GetSchemaByDefinition',
    'ListSchemas',
    'ListSchemaVersions',
    'PutSchemaVersionMetadata',
    'QuerySchemaVersionMetadata',
    'CreateDatabase',
    'CreateTable',
    'GetTable',
  ].map((op) => [op, (GlueEmulator.prototype as unknown as Record<string, Handler>)[op]!]),
);
const LF_OPS: Record<string, Handler> = Object.fromEntries(
  ['CreateLFTag', 'AddLFTagsToResource', 'GetResourceLFTags'].map((op) => [
    op,
    (GlueEmulator.prototype as unknown as Record<string, Handler>)[op]!,
  ]),
);

function obj(value: unknown, name: string, required: boolean): Record<string, unknown> | undefined {
  if (value === undefined && !required) return undefined;
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new ApiError('InvalidInputException', `${name} is required`);
  return value as Record<string, unknown>;
}

function str(input: Record<string, unknown>, name: string): string {
  const v = input[name];
  if (typeof v !== 'string' || v === '') throw new ApiError('InvalidInputException', `${name} is required`);
  return v;
}

function checkDefinition(definition: string, dataFormat: string): void {
  if (definition.length > MAX_SCHEMA_DEFINITION_LENGTH) {
    throw new ApiError(
      'InvalidInputException',
      `SchemaDefinition is longer than ${MAX_SCHEMA_DEFINITION_LENGTH} characters`,
    );
  }
  if (dataFormat !== 'JSON') return;
  let parsed: unknown;
  try {
    parsed = JSON.parse(definition);
  } catch (e) {
    throw new ApiError(
      'InvalidInputException',
      `Schema definition of JSON data format is not valid JSON: ${(e as Error).message}`,
    );
  }
  const $schema = (parsed as { $schema?: unknown } | null)?.$schema;
  if (typeof $schema === 'string' && !/draft-0[467]\/schema#?$/.test($schema)) {
    throw new ApiError(
      'InvalidInputException',
      `Schema definition of JSON data format must be draft-04, draft-06 or draft-07, not ${$schema}`,
    );
  }
}

function paginate<T>(items: T[], input: Record<string, unknown>): { items: T[]; next?: string } {
  const max = typeof input.MaxResults === 'number' ? input.MaxResults : 25;
  if (max < 1 || max > 100) throw new ApiError('InvalidInputException', 'MaxResults must be 1-100');
  const start = typeof input.NextToken === 'string' ? Number(input.NextToken) : 0;
  const end = start + max;
  return { items: items.slice(start, end), next: end < items.length ? String(end) : undefined };
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
        const target = req.headers['x-amz-target'];
        const op = typeof target === 'string' && target.startsWith('AWSGlue.') ? target.slice('AWSGlue.'.length) : '';
        emulator.calls.set(op, (emulator.calls.get(op) ?? 0) + 1);
        res
          .writeHead(400, {
            'content-type': 'application/x-amz-json-1.1',
            'x-amzn-errortype': 'ThrottlingException',
            'x-amzn-requestid': randomUUID(),
          })
          .end(JSON.stringify({ __type: 'ThrottlingException', Message: 'Rate exceeded' }));
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
