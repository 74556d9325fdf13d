/**
 * The Glue Schema Registry part of the Glue emulator: registries, schemas, schema versions (held
 * `PENDING` for a number of polls, then `AVAILABLE` or `FAILURE`) and their metadata.
 */
import { randomUUID } from 'node:crypto';
import { ApiError, obj, paginate, str } from './glue-api.js';

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

/** Where the registry is (for ARNs). */
export interface RegistryLocation {
  account: string;
  region: string;
}

/** How new versions settle: read at each registration (the emulator's mutable `pendingPolls` / `settleAs`). */
export interface VersionSettings {
  pendingPolls: number;
  settleAs: 'AVAILABLE' | 'FAILURE';
}

const COMPATIBILITIES = ['NONE', 'DISABLED', 'BACKWARD', 'BACKWARD_ALL', 'FORWARD', 'FORWARD_ALL', 'FULL', 'FULL_ALL'];
const DATA_FORMATS = ['AVRO', 'JSON', 'PROTOBUF'];
const NAME_RE = /^[a-zA-Z0-9-_$#.]{1,255}$/;
/** `MetadataKeyValuePair` pattern of the Glue API reference, as written (`+-=` is a range: + , - . / 0-9 : ; < =). */
const METADATA_PATTERN = /^[a-zA-Z0-9+-=._./@]+$/;
/** Longest schema definition the registry accepts. */
export const MAX_SCHEMA_DEFINITION_LENGTH = 170_000;

/** The Schema Registry state and operations (methods named after the Glue operation). */
export class SchemaRegistry {
  /** The operations served. */
  static readonly OPERATIONS = [
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
  ] as const;

  private readonly registries = new Map<string, Registry>();
  private readonly schemas = new Map<string, Schema>();
  private readonly versionsById = new Map<string, { schema: Schema; version: SchemaVersion }>();

  constructor(
    private readonly location: RegistryLocation,
    private readonly settings: VersionSettings,
  ) {}

  /** Forgets every registry, schema and version. */
  clear(): void {
    this.registries.clear();
    this.schemas.clear();
    this.versionsById.clear();
  }

  /** The versions of a schema: number, status, definition, metadata (key → values). */
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

  /** Compatibility mode of a schema. */
  compatibilityOf(registryName: string, schemaName: string): string | undefined {
    return this.schemas.get(`${registryName}/${schemaName}`)?.compatibility;
  }

  private arn(kind: string, name: string): string {
    return `arn:aws:glue:${this.location.region}:${this.location.account}:${kind}/${name}`;
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
      status: this.settings.pendingPolls > 0 ? 'PENDING' : this.settings.settleAs,
      pollsLeft: this.settings.pendingPolls,
      settleAs: this.settings.settleAs,
      created: new Date().toISOString(),
      metadata: new Map(),
    };
    schema.versions.push(version);
    this.versionsById.set(version.id, { schema, version });
    return version;
  }

  // --- operations -------------------------------------------------------------------------------

  CreateRegistry(input: Record<string, unknown>) {
    const name = str(input, 'RegistryName');
    if (!NAME_RE.test(name))
      throw new ApiError('InvalidInputException', `RegistryName '${name}' does not match ${NAME_RE.source}`);
    if (this.registries.has(name))
      throw new ApiError('AlreadyExistsException', `Registry already exists. RegistryName: ${name}`);
    const r: Registry = { name, arn: this.arn('registry', name), description: input.Description as string | undefined };
    this.registries.set(name, r);
    return { RegistryArn: r.arn, RegistryName: name, Description: r.description };
  }

  GetRegistry(input: Record<string, unknown>) {
    const r = this.registry(input.RegistryId);
    return { RegistryName: r.name, RegistryArn: r.arn, Description: r.description, Status: 'AVAILABLE' };
  }

  CreateSchema(input: Record<string, unknown>) {
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

  GetSchema(input: Record<string, unknown>) {
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

  RegisterSchemaVersion(input: Record<string, unknown>) {
    const s = this.schema(input.SchemaId);
    const v = this.newVersion(s, str(input, 'SchemaDefinition'));
    return { SchemaVersionId: v.id, VersionNumber: v.number, Status: v.status };
  }

  GetSchemaVersion(input: Record<string, unknown>) {
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

  GetSchemaByDefinition(input: Record<string, unknown>) {
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

  ListSchemas(input: Record<string, unknown>) {
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

  ListSchemaVersions(input: Record<string, unknown>) {
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

  PutSchemaVersionMetadata(input: Record<string, unknown>) {
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

  QuerySchemaVersionMetadata(input: Record<string, unknown>) {
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
