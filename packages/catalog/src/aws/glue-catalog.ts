import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateRegistryCommand,
  CreateSchemaCommand,
  GetRegistryCommand,
  GetSchemaByDefinitionCommand,
  GetSchemaCommand,
  GetSchemaVersionCommand,
  ListSchemasCommand,
  ListSchemaVersionsCommand,
  PutSchemaVersionMetadataCommand,
  QuerySchemaVersionMetadataCommand,
  RegisterSchemaVersionCommand,
  type Compatibility,
  type GlueClient,
} from '@aws-sdk/client-glue';
import type { LakeFormationClient } from '@aws-sdk/client-lakeformation';
import { Ajv } from 'ajv';
import semver from 'semver';
import {
  compileQuality,
  gitShowFile,
  loadMeshConfig,
  loadProductManifest,
  MESH_CONFIG_FILE,
  MeshError,
  parseContract,
  productManifestFile,
  resolveMode,
  toDqdl,
  toJsonSchema,
  type CompatibilityMode,
  type ContractInput,
  type MeshConfig,
  type OdcsContract,
} from '@meshkit/contracts';
import type { CatalogBackend, CatalogProduct, PublishOutcome } from '../backend.js';
import { LocalCatalog } from '../local.js';
import { catalogDir } from '../publish.js';
import { contentHash, RECORD_FORMAT, type CatalogRecord } from '../record.js';
import { glueClients, glueSettings, type GlueCredentials, type GlueSettings } from './settings.js';

/** Longest schema definition the Glue Schema Registry accepts (characters). */
export const MAX_DEFINITION_LENGTH = 170_000;
/** Longest metadata value of a schema version. */
export const MAX_METADATA_VALUE_LENGTH = 256;
/** Metadata key holding the contract version of a schema version. */
export const META_CONTRACT_VERSION = 'meshkit.contract-version';
/**
 * Metadata key holding the rest of the record ({@link formatRecordMetadata}): `id` (contract id),
 * `hash` (first 32 hex of the record's content hash), `text` (first 32 hex of the sha256 of the
 * contract text), `commit` (git commit at publish, absent outside git), `path` (the contract file,
 * relative to the repository root).
 */
export const META_RECORD = 'meshkit.record';
/**
 * What the Glue API accepts as a metadata key or value (`MetadataKeyValuePair`: 1–128 / 1–256
 * characters, pattern `[a-zA-Z0-9+-=._./@]+` — in it `+-=` is the range `+` … `=`, so neither `&`,
 * `%`, `?` nor a space is allowed).
 */
export const METADATA_PATTERN = /^[a-zA-Z0-9+-=._./@]+$/;

/** The fields of {@link META_RECORD}. */
export interface RecordMetadata {
  id?: string;
  hash?: string;
  text?: string;
  commit?: string;
  path?: string;
}

const RECORD_FIELDS = ['id', 'hash', 'text', 'commit', 'path'] as const;
/** Characters a field keeps as written; anything else is base64url-encoded (marked `@=`). */
const PLAIN_VALUE = /^[A-Za-z0-9._/-]+$/;

/**
 * The {@link META_RECORD} value: `key=value` fields joined by `+` (`id=sales-orders+hash=…+path=domains/…`),
 * in the characters the Glue API allows in metadata ({@link METADATA_PATTERN}, also read literally). A
 * value with other characters is written `key@=<base64url of its UTF-8>`. (A URL query string — `&`,
 * `%2F` — is refused by the registry.)
 */
export function formatRecordMetadata(meta: RecordMetadata): string {
  return RECORD_FIELDS.flatMap((k) => {
    const v = meta[k];
    if (v === undefined || v === '') return [];
    return [PLAIN_VALUE.test(v) ? `${k}=${v}` : `${k}@=${Buffer.from(v, 'utf8').toString('base64url')}`];
  }).join('+');
}

/** Reads a {@link formatRecordMetadata} value (unknown fields are ignored). */
export function parseRecordMetadata(value: string): RecordMetadata {
  const out: Record<string, string> = {};
  for (const part of value.split('+')) {
    const m = /^([a-z]+)(@?)=(.*)$/.exec(part);
    if (!m || !(RECORD_FIELDS as readonly string[]).includes(m[1]!)) continue;
    out[m[1]!] = m[2] ? Buffer.from(m[3]!, 'base64url').toString('utf8') : m[3]!;
  }
  return out;
}

/** Compatibility of the registry schema for each Meshkit compatibility mode. */
export const GLUE_COMPATIBILITY: Readonly<Record<CompatibilityMode, Compatibility>> = {
  NONE: 'NONE',
  BACKWARD: 'BACKWARD',
  BACKWARD_TRANSITIVE: 'BACKWARD_ALL',
  FORWARD: 'FORWARD',
  FORWARD_TRANSITIVE: 'FORWARD_ALL',
  FULL: 'FULL',
  FULL_TRANSITIVE: 'FULL_ALL',
};

/** Name of the registry schema of a product major: `<domain>.<product>.v<major>`. */
export function glueSchemaName(domain: string, product: string, major: number): string {
  return `${domain}.${product}.v${major}`;
}

/**
 * The draft-07 JSON Schema registered for a contract version. One schema object: that object's
 * schema (`toJsonSchema(…, { draft: 'draft-07' })`). Several objects: one object schema whose
 * properties are the objects by name (each without its own `$schema`/`$id`), all required, with
 * `$id` `urn:odcs:<id>:<version>`. The `$id` carries the contract version, so every contract version
 * is a distinct registry version (the registry returns the existing version for an identical
 * definition).
 */
export function glueDefinition(contract: OdcsContract): Record<string, unknown> {
  const objects = contract.schema ?? [];
  if (objects.length === 1) return toJsonSchema(contract, { object: objects[0]!.name, draft: 'draft-07' });
  const properties: Record<string, unknown> = {};
  for (const o of objects) {
    const {
      $schema: _s,
      $id: _i,
      ...rest
    } = toJsonSchema(contract, { object: o.name, draft: 'draft-07' }) as Record<string, unknown>;
    properties[o.name] = rest;
  }
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: `urn:odcs:${encodeURIComponent(contract.id)}:${encodeURIComponent(contract.version)}`,
    title: contract.name ?? contract.id,
    type: 'object',
    properties,
    required: objects.map((o) => o.name),
  };
}

/** What publishing one version did in the registry. */
export interface GluePublishDetail {
  domain: string;
  product: string;
  version: string;
  registryName: string;
  schemaName: string;
  /** Registry version number of the contract version. */
  versionNumber: number;
  schemaVersionId: string;
  outcome: PublishOutcome;
  /** Write calls made (CreateRegistry, CreateSchema, RegisterSchemaVersion, PutSchemaVersionMetadata). */
  writes: number;
  /** Set when the schema's compatibility differs from the contract's mode (the registry's is kept). */
  compatibilityNote?: string;
}

/** Options of {@link GlueSchemaRegistryCatalog}. */
export interface GlueCatalogOptions {
  /** Repository root: product manifests, `git show` of published contracts, the local catalog fallback. */
  root: string;
  /** @default loaded from `<root>/mesh.config.yaml` */
  config?: MeshConfig;
  /** @default {@link glueSettings} of the config and `process.env` */
  settings?: Partial<GlueSettings>;
  /** @default the default AWS credential provider chain */
  credentials?: GlueCredentials;
  /** Clients to use instead of building them from the settings (tests). */
  clients?: { glue: GlueClient; lakeFormation: LakeFormationClient };
  /** First wait between `GetSchemaVersion` polls while PENDING, doubled each time up to 2 s. @default 200 */
  pollIntervalMs?: number;
  /** Polls before giving up on a PENDING version. @default 15 */
  maxPolls?: number;
}

interface VersionEntry {
  schemaVersionId: string;
  versionNumber: number;
  status: string;
  created?: string;
  contractVersion?: string;
  meta?: RecordMetadata;
}

const isNotFound = (e: unknown) => (e as { name?: string })?.name === 'EntityNotFoundException';
const isAlreadyExists = (e: unknown) => (e as { name?: string })?.name === 'AlreadyExistsException';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const HASH_PREFIX = 32;

/**
 * The AWS catalog backend: contract versions in the AWS Glue Schema Registry (one registry per
 * organisation, one schema per product major, one schema version per contract version, with
 * metadata {@link META_CONTRACT_VERSION} and {@link META_RECORD}). Publishing writes only to the
 * registry (tables, LF-tags and grants belong to the CDK stacks).
 *
 * `get` rebuilds a record from the registry metadata: the local catalog's record of the same
 * version when its content hash matches, else the contract text from `git show <commit>:<path>`
 * (checked against the recorded text hash) with owner, classification and consumes from the
 * working copy's product.yaml. The registry alone does not hold the contract text.
 */
export class GlueSchemaRegistryCatalog implements CatalogBackend {
  readonly kind = 'glue';
  readonly location: string;
  readonly registryName: string;
  readonly glue: GlueClient;
  readonly lakeFormation: LakeFormationClient;
  /** What each {@link publish} call did, in order. */
  readonly published: GluePublishDetail[] = [];
  /** Repository root (product manifests, `git show`, the local catalog fallback, the cloud assembly of the catalog site). */
  readonly root: string;
  private readonly config: MeshConfig;
  private readonly pollIntervalMs: number;
  private readonly maxPolls: number;
  private registryReady = false;
  private readonly cache = new Map<string, VersionEntry[]>();
  /** Schema names of the registry, listed once per instance (a publish of N products asks N times). */
  private names: Promise<string[]> | undefined;

  /** @throws MeshError `INVALID_CONFIG` (exit 2) when no region is configured (and no clients are given). */
  constructor(options: GlueCatalogOptions) {
    this.root = options.root;
    this.config = options.config ?? loadMeshConfig(join(options.root, MESH_CONFIG_FILE)).value;
    const settings: GlueSettings = {
      ...glueSettings(this.config, process.env, !options.clients && options.settings?.region === undefined),
      ...options.settings,
    };
    this.registryName = settings.registryName;
    const clients = options.clients ?? glueClients(settings, options.credentials);
    this.glue = clients.glue;
    this.lakeFormation = clients.lakeFormation;
    this.location = `glue:${settings.region ?? '?'}/${this.registryName}${settings.endpoint ? ` (${settings.endpoint})` : ''}`;
    this.pollIntervalMs = options.pollIntervalMs ?? 200;
    this.maxPolls = options.maxPolls ?? 15;
  }

  async list(): Promise<CatalogProduct[]> {
    const byProduct = new Map<string, CatalogProduct>();
    for (const name of await this.schemaNames()) {
      const m = /^([a-z][a-z0-9-]*)\.([a-z][a-z0-9-]*)\.v(\d+)$/.exec(name);
      if (!m) continue;
      const versions = (await this.entries(name))
        .map((e) => e.contractVersion!)
        .filter(Boolean)
        .sort(semver.compare);
      if (!versions.length) continue;
      const key = `${m[1]}/${m[2]}`;
      const p = byProduct.get(key) ?? { domain: m[1]!, product: m[2]!, versions: [], majors: [] };
      p.versions.push(...versions);
      p.majors.push({ major: Number(m[3]), versions });
      byProduct.set(key, p);
    }
    return [...byProduct.values()]
      .map((p) => ({
        ...p,
        versions: p.versions.sort(semver.compare),
        majors: p.majors.sort((a, b) => a.major - b.major),
      }))
      .sort((a, b) => a.domain.localeCompare(b.domain) || a.product.localeCompare(b.product));
  }

  async versions(domain: string, product: string): Promise<string[]> {
    const out: string[] = [];
    for (const name of await this.schemaNames()) {
      if (!name.startsWith(`${domain}.${product}.v`) || !/^\d+$/.test(name.slice(`${domain}.${product}.v`.length)))
        continue;
      for (const e of await this.entries(name)) if (e.contractVersion) out.push(e.contractVersion);
    }
    return out.sort(semver.compare);
  }

  /** Whether a contract version is recorded (an AVAILABLE schema version with Meshkit metadata). */
  async has(domain: string, product: string, version: string): Promise<boolean> {
    return (await this.entry(domain, product, version)) !== undefined;
  }

  /**
   * A published version rebuilt from the registry metadata (see the class documentation), or
   * undefined when the version is not recorded.
   * @throws MeshError `CATALOG_RECORD_UNAVAILABLE` (exit 2) when the contract text can be found
   *   neither in the local catalog nor at the recorded git commit.
   */
  async get(domain: string, product: string, version: string): Promise<CatalogRecord | undefined> {
    const e = await this.entry(domain, product, version);
    if (!e) return undefined;
    const local = await new LocalCatalog(catalogDir(this.root, this.config))
      .get(domain, product, version)
      .catch(() => undefined);
    if (local && e.meta?.hash && local.contentHash.startsWith(e.meta.hash)) return local;
    const label = `${domain}/${product}@${version}`;
    const { commit, path, text: textHash } = e.meta ?? {};
    const text = commit && path ? gitShowFile(this.root, commit, path) : undefined;
    if (text === undefined || !textHash || !sha256(text).startsWith(textHash)) {
      throw new MeshError(
        'CATALOG_RECORD_UNAVAILABLE',
        `${label} is in the Glue registry, but its contract text is not available here: ${commit && path ? `${path} at commit ${commit.slice(0, 12)} ${text === undefined ? 'is not in this clone (git fetch it)' : 'differs from what was published (the publish was made from uncommitted changes)'}` : 'it was published outside git'}, and the local catalog has no matching record`,
        { exitCode: 2 },
      );
    }
    const parsed = parseContract(`glue:${label}`, text);
    if (!parsed.contract)
      throw new MeshError(
        'CATALOG_CORRUPT',
        `published contract ${label} no longer parses: ${parsed.diagnostics[0]?.message ?? ''}`,
        { exitCode: 2 },
      );
    const contract = parsed.contract;
    const manifest = this.manifest(domain, product);
    const objects = (contract.schema ?? []).map((o) => o.name);
    return {
      format: RECORD_FORMAT,
      domain,
      product,
      version,
      major: semver.major(version),
      id: String(contract.id),
      owner: manifest?.owner ?? '',
      classification: manifest?.classification ?? this.config.defaults.classification,
      consumes: manifest?.consumes ?? [],
      contract,
      contractText: text,
      dqdl: Object.fromEntries(objects.map((o) => [o, toDqdl(compileQuality(contract, { object: o }))])),
      jsonSchema: Object.fromEntries(objects.map((o) => [o, toJsonSchema(contract, { object: o })])),
      publishedAt: e.created ?? new Date(0).toISOString(),
      gitCommit: commit ?? null,
    };
  }

  /**
   * Checks what the registry would refuse, before any write: the definition must be a valid
   * draft-07 JSON Schema of at most {@link MAX_DEFINITION_LENGTH} characters, and the metadata
   * must fit the registry's limits.
   * @throws MeshError `CATALOG_PREFLIGHT` (exit 1)
   */
  preflight(record: CatalogRecord): { definition: string; metadata: Record<string, string> } {
    const label = `${record.domain}/${record.product}@${record.version}`;
    const schema = glueDefinition(record.contract);
    const definition = JSON.stringify(schema);
    if (definition.length > MAX_DEFINITION_LENGTH) {
      throw new MeshError(
        'CATALOG_PREFLIGHT',
        `${label}: the JSON Schema is ${definition.length} characters; the Glue Schema Registry accepts at most ${MAX_DEFINITION_LENGTH}: split the contract or shorten descriptions. Nothing was written.`,
        { exitCode: 1 },
      );
    }
    const ajv = new Ajv({ strict: false, validateFormats: false });
    try {
      ajv.compile(schema);
    } catch (e) {
      throw new MeshError(
        'CATALOG_PREFLIGHT',
        `${label}: the compiled JSON Schema is not valid draft-07: ${(e as Error).message}. Nothing was written.`,
        { exitCode: 1 },
      );
    }
    const recordMeta = formatRecordMetadata({
      id: record.id,
      hash: contentHash(record).slice(0, HASH_PREFIX),
      text: sha256(record.contractText).slice(0, HASH_PREFIX),
      commit: record.gitCommit ?? undefined,
      path: this.contractPath(record),
    });
    const metadata = { [META_CONTRACT_VERSION]: record.version, [META_RECORD]: recordMeta };
    for (const [k, v] of Object.entries(metadata)) {
      if (v.length > MAX_METADATA_VALUE_LENGTH) {
        throw new MeshError(
          'CATALOG_PREFLIGHT',
          `${label}: metadata ${k} would be ${v.length} characters (the registry allows ${MAX_METADATA_VALUE_LENGTH}): shorten the contract id or the contract path. Nothing was written.`,
          { exitCode: 1 },
        );
      }
      if (!METADATA_PATTERN.test(v)) {
        throw new MeshError(
          'CATALOG_PREFLIGHT',
          `${label}: metadata ${k} value ${JSON.stringify(v)} has characters the registry refuses (allowed: letters, digits and + , - . / : ; < = _ @). Nothing was written.`,
          { exitCode: 1 },
        );
      }
    }
    return { definition, metadata };
  }

  /**
   * Registers a contract version (see the class documentation). `unchanged` (no write) when the
   * same version is recorded with the same content.
   * @throws MeshError `CATALOG_PREFLIGHT` / `CATALOG_VERSION_CONFLICT` / `CATALOG_SCHEMA_FAILURE` /
   *   `CATALOG_SCHEMA_PENDING` (exit 1), `CATALOG_AWS` (exit 2) for an API error the SDK did not
   *   recover from.
   */
  async publish(record: CatalogRecord): Promise<PublishOutcome> {
    const { definition, metadata } = this.preflight(record);
    const schemaName = glueSchemaName(record.domain, record.product, record.major);
    const label = `${record.domain}/${record.product}@${record.version}`;
    const hash = contentHash(record).slice(0, HASH_PREFIX);
    const detail = {
      domain: record.domain,
      product: record.product,
      version: record.version,
      registryName: this.registryName,
      schemaName,
      writes: 0,
    };
    const wanted = GLUE_COMPATIBILITY[resolveMode(parseContract(label, record.contractText) as ContractInput)];
    const schemaId = { RegistryName: this.registryName, SchemaName: schemaName };
    try {
      let version: { id: string; number: number; status: string };
      let compatibilityNote: string | undefined;
      const schema = await this.ensureRegistry(detail)
        .then(() => this.glue.send(new GetSchemaCommand({ SchemaId: schemaId })))
        .catch((e: unknown) => {
          if (isNotFound(e)) return undefined;
          throw e;
        });
      if (!schema) {
        let created;
        try {
          detail.writes++;
          created = await this.glue.send(
            new CreateSchemaCommand({
              RegistryId: { RegistryName: this.registryName },
              SchemaName: schemaName,
              DataFormat: 'JSON',
              Compatibility: wanted,
              SchemaDefinition: definition,
              Description: `Meshkit data contract ${record.domain}/${record.product}, major ${record.major}`,
            }),
          );
        } catch (e) {
          if (!isAlreadyExists(e)) throw e;
          this.names = undefined;
          return this.publish(record); // created concurrently (or by a retried call): start again with reads
        }
        version = { id: created.SchemaVersionId!, number: 1, status: created.SchemaVersionStatus ?? 'PENDING' };
        this.names = this.names?.then((n) => (n.includes(schemaName) ? n : [...n, schemaName]));
      } else {
        if (schema.Compatibility !== wanted)
          compatibilityNote = `schema ${schemaName} has compatibility ${schema.Compatibility ?? '?'}, the contract's mode maps to ${wanted}; the registry's setting is kept`;
        const same = await this.glue
          .send(new GetSchemaByDefinitionCommand({ SchemaId: schemaId, SchemaDefinition: definition }))
          .catch((e: unknown) => {
            if (isNotFound(e)) return undefined;
            throw e;
          });
        if (same) {
          const meta = await this.metadataOf(same.SchemaVersionId!);
          const recorded = meta.contractVersion !== undefined;
          if (recorded && (meta.contractVersion !== record.version || meta.meta?.hash !== hash))
            throw conflict(label, schemaName);
          if (recorded && same.Status === 'AVAILABLE') {
            const number =
              (await this.entries(schemaName)).find((e) => e.schemaVersionId === same.SchemaVersionId)?.versionNumber ??
              0;
            this.published.push({
              ...detail,
              versionNumber: number,
              schemaVersionId: same.SchemaVersionId!,
              outcome: 'unchanged',
              compatibilityNote,
            });
            return 'unchanged';
          }
        } else if ((await this.entries(schemaName)).some((e) => e.contractVersion === record.version)) {
          throw conflict(label, schemaName);
        }
        detail.writes++;
        const r = await this.glue.send(
          new RegisterSchemaVersionCommand({ SchemaId: schemaId, SchemaDefinition: definition }),
        );
        version = { id: r.SchemaVersionId!, number: r.VersionNumber ?? 0, status: r.Status ?? 'PENDING' };
      }
      version = await this.settle(version, label, schemaName, schema?.Compatibility ?? wanted);
      const existing = await this.metadataOf(version.id);
      for (const [key, value] of Object.entries(metadata)) {
        if (key === META_CONTRACT_VERSION && existing.contractVersion === value) continue;
        if (key === META_RECORD && existing.raw === value) continue;
        detail.writes++;
        await this.glue
          .send(
            new PutSchemaVersionMetadataCommand({
              SchemaVersionId: version.id,
              MetadataKeyValue: { MetadataKey: key, MetadataValue: value },
            }),
          )
          .catch((e: unknown) => {
            if (!isAlreadyExists(e)) throw e; // a retried call that had succeeded: recorded once
          });
      }
      this.cache.delete(schemaName);
      this.published.push({
        ...detail,
        versionNumber: version.number,
        schemaVersionId: version.id,
        outcome: 'published',
        compatibilityNote,
      });
      return 'published';
    } catch (e) {
      this.cache.delete(schemaName);
      throw awsError(e, label);
    }
  }

  // --- internals -------------------------------------------------------------------------------

  private async ensureRegistry(detail: { writes: number }): Promise<void> {
    if (this.registryReady) return;
    try {
      await this.glue.send(new GetRegistryCommand({ RegistryId: { RegistryName: this.registryName } }));
    } catch (e) {
      if (!isNotFound(e)) throw e;
      detail.writes++;
      await this.glue
        .send(new CreateRegistryCommand({ RegistryName: this.registryName, Description: 'Meshkit data contracts' }))
        .catch((err: unknown) => {
          if (!isAlreadyExists(err)) throw err;
        });
    }
    this.registryReady = true;
  }

  /** Polls GetSchemaVersion while PENDING (bounded, exponential backoff). */
  private async settle(
    version: { id: string; number: number; status: string },
    label: string,
    schemaName: string,
    compatibility: string,
  ) {
    let status = version.status;
    let number = version.number;
    for (let poll = 0; status === 'PENDING'; poll++) {
      if (poll >= this.maxPolls) {
        throw new MeshError(
          'CATALOG_SCHEMA_PENDING',
          `${label}: version ${number} of schema ${schemaName} is still PENDING after ${this.maxPolls} polls; nothing was recorded — publish again later to record it`,
          { exitCode: 1 },
        );
      }
      await new Promise((r) => setTimeout(r, Math.min(this.pollIntervalMs * 2 ** poll, 2000)));
      const v = await this.glue.send(new GetSchemaVersionCommand({ SchemaVersionId: version.id }));
      status = v.Status ?? 'PENDING';
      number = v.VersionNumber ?? number;
    }
    if (status !== 'AVAILABLE') {
      throw new MeshError(
        'CATALOG_SCHEMA_FAILURE',
        `${label}: the Glue Schema Registry marked version ${number} of schema ${this.registryName}/${schemaName} ${status} (compatibility ${compatibility}: the registry found it incompatible with the versions it checks against); nothing was recorded`,
        { exitCode: 1 },
      );
    }
    return { ...version, status, number };
  }

  private schemaNames(): Promise<string[]> {
    this.names ??= this.listSchemaNames();
    this.names.catch(() => {
      this.names = undefined;
    });
    return this.names;
  }

  private async listSchemaNames(): Promise<string[]> {
    const names: string[] = [];
    let token: string | undefined;
    try {
      do {
        const r = await this.glue.send(
          new ListSchemasCommand({
            RegistryId: { RegistryName: this.registryName },
            MaxResults: 100,
            NextToken: token,
          }),
        );
        for (const s of r.Schemas ?? []) if (s.SchemaName) names.push(s.SchemaName);
        token = r.NextToken;
      } while (token);
    } catch (e) {
      if (isNotFound(e)) return [];
      throw awsError(e, this.registryName);
    }
    return names;
  }

  /** Versions of a schema with their Meshkit metadata (AVAILABLE ones with a contract version). */
  private async entries(schemaName: string): Promise<VersionEntry[]> {
    const cached = this.cache.get(schemaName);
    if (cached) return cached;
    const out: VersionEntry[] = [];
    let token: string | undefined;
    try {
      do {
        const r = await this.glue.send(
          new ListSchemaVersionsCommand({
            SchemaId: { RegistryName: this.registryName, SchemaName: schemaName },
            MaxResults: 100,
            NextToken: token,
          }),
        );
        for (const v of r.Schemas ?? []) {
          const entry: VersionEntry = {
            schemaVersionId: v.SchemaVersionId!,
            versionNumber: v.VersionNumber ?? 0,
            status: v.Status ?? '?',
            created: v.CreatedTime,
          };
          if (entry.status === 'AVAILABLE') Object.assign(entry, await this.metadataOf(entry.schemaVersionId));
          out.push(entry);
        }
        token = r.NextToken;
      } while (token);
    } catch (e) {
      if (isNotFound(e)) return [];
      throw awsError(e, schemaName);
    }
    this.cache.set(schemaName, out);
    return out;
  }

  private async metadataOf(
    schemaVersionId: string,
  ): Promise<{ contractVersion?: string; raw?: string; meta?: VersionEntry['meta'] }> {
    const r = await this.glue.send(new QuerySchemaVersionMetadataCommand({ SchemaVersionId: schemaVersionId }));
    const map = r.MetadataInfoMap ?? {};
    const contractVersion = map[META_CONTRACT_VERSION]?.MetadataValue;
    const raw = map[META_RECORD]?.MetadataValue;
    const meta = raw ? parseRecordMetadata(raw) : undefined;
    return { contractVersion, raw, meta };
  }

  private async entry(domain: string, product: string, version: string): Promise<VersionEntry | undefined> {
    if (!semver.valid(version)) return undefined;
    const entries = await this.entries(glueSchemaName(domain, product, semver.major(version)));
    return entries.find((e) => e.contractVersion === version);
  }

  private manifest(domain: string, product: string) {
    const file = productManifestFile(this.root, domain, product);
    return existsSync(file) ? loadProductManifest(file).value : undefined;
  }

  /** The contract file of a record relative to the root: the product's contract, or a served older major's. */
  private contractPath(record: CatalogRecord): string | undefined {
    const manifest = this.manifest(record.domain, record.product);
    if (!manifest) return undefined;
    const dir = `domains/${record.domain}/products/${record.product}/`;
    const served = (manifest as { servedMajors?: Array<{ major: number; contract: string }> }).servedMajors ?? [];
    const older = served.find((s) => s.major === record.major);
    return dir + (older ? older.contract : manifest.contract).replace(/^\.\//, '');
  }
}

function conflict(label: string, schemaName: string): MeshError {
  return new MeshError(
    'CATALOG_VERSION_CONFLICT',
    `${label} is already published in schema ${schemaName} with different content; published versions are immutable: bump the version`,
    { exitCode: 1 },
  );
}

/** MeshErrors pass through; AWS API errors become `CATALOG_AWS` (exit 2) with the service's message. */
function awsError(e: unknown, label: string): unknown {
  if (e instanceof MeshError) return e;
  const err = e as { name?: string; message?: string; $metadata?: { httpStatusCode?: number; attempts?: number } };
  if (err && typeof err === 'object' && err.$metadata) {
    const attempts = err.$metadata.attempts ? ` after ${err.$metadata.attempts} attempt(s)` : '';
    // No HTTP status: the request never got an answer (connection refused or reset, timeout, DNS).
    const what = err.$metadata.httpStatusCode
      ? 'AWS Glue refused the call'
      : 'cannot reach AWS Glue (check catalog.glue.endpoint / MESH_GLUE_ENDPOINT, the region and the network)';
    if (/Deserialization error/.test(err.message ?? '')) {
      // The endpoint answered, but not with an AWS API response (e.g. an emulator's HTML error page for an operation it does not implement).
      return new MeshError(
        'CATALOG_AWS',
        `${label}: the endpoint answered HTTP ${err.$metadata.httpStatusCode ?? '?'}${attempts} with a body that is not an AWS Glue response: is catalog.glue.endpoint / MESH_GLUE_ENDPOINT an AWS Glue endpoint that implements this call? (${(err.message ?? '').split('\n')[0]})`,
        { exitCode: 2 },
      );
    }
    return new MeshError('CATALOG_AWS', `${label}: ${what}${attempts}: ${err.name ?? 'Error'}: ${err.message ?? ''}`, {
      exitCode: 2,
    });
  }
  if (
    err &&
    typeof err === 'object' &&
    /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|credential/i.test(String(err.message ?? '') + String(err.name ?? ''))
  ) {
    return new MeshError('CATALOG_AWS', `${label}: cannot reach AWS Glue: ${err.message ?? String(e)}`, {
      exitCode: 2,
    });
  }
  return e;
}
