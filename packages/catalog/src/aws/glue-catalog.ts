import { join, relative, sep } from 'node:path';
import {
  CreateRegistryCommand,
  CreateSchemaCommand,
  GetRegistryCommand,
  GetSchemaByDefinitionCommand,
  GetSchemaCommand,
  GetSchemaVersionCommand,
  PutSchemaVersionMetadataCommand,
  RegisterSchemaVersionCommand,
  type Compatibility,
  type GlueClient,
} from '@aws-sdk/client-glue';
import type { LakeFormationClient } from '@aws-sdk/client-lakeformation';
import semver from 'semver';
import {
  loadMeshConfig,
  MESH_CONFIG_FILE,
  MeshError,
  openProduct,
  parseContract,
  resolveMode,
  type ContractInput,
  type MeshConfig,
  type RepositoryProduct,
} from '@meshkit/contracts';
import type { CatalogBackend, CatalogProduct, PublishOutcome } from '../backend.js';
import { LocalCatalog } from '../local.js';
import { catalogDir } from '../publish.js';
import { contentHash, type CatalogRecord } from '../record.js';
import { awsError, conflict, isAlreadyExists, isNotFound } from './glue-errors.js';
import { HASH_PREFIX, preflightRecord } from './glue-preflight.js';
import { recordFromGit } from './glue-record.js';
import { RegistryReads } from './glue-registry-reads.js';
import { GLUE_COMPATIBILITY, glueSchemaName, META_CONTRACT_VERSION, META_RECORD } from './glue-schema.js';
import { glueClients, glueSettings, type GlueCredentials, type GlueSettings } from './settings.js';

export * from './glue-schema.js';

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

/** A schema version being published. */
interface SchemaVersionRef {
  id: string;
  number: number;
  status: string;
}

/** One {@link GlueSchemaRegistryCatalog.publish} call: the record and what the registry is sent. */
interface PublishRequest {
  record: CatalogRecord;
  label: string;
  definition: string;
  wanted: Compatibility;
  detail: Omit<GluePublishDetail, 'versionNumber' | 'schemaVersionId' | 'outcome' | 'compatibilityNote'>;
}

/** Reads "not found" as undefined. */
function notFoundAsUndefined(e: unknown): undefined {
  if (isNotFound(e)) return undefined;
  throw e;
}

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
  /** What the registry holds, read once per instance and cached. */
  private readonly reads: RegistryReads;

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
    this.reads = new RegistryReads(this.glue, this.registryName);
    this.location = `glue:${settings.region ?? '?'}/${this.registryName}${settings.endpoint ? ` (${settings.endpoint})` : ''}`;
    this.pollIntervalMs = options.pollIntervalMs ?? 200;
    this.maxPolls = options.maxPolls ?? 15;
  }

  async list(): Promise<CatalogProduct[]> {
    const byProduct = new Map<string, CatalogProduct>();
    for (const name of await this.reads.schemaNames()) {
      const m = /^([a-z][a-z0-9-]*)\.([a-z][a-z0-9-]*)\.v(\d+)$/.exec(name);
      if (!m) continue;
      const versions = (await this.reads.entries(name))
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
    for (const name of await this.reads.schemaNames()) {
      if (!name.startsWith(`${domain}.${product}.v`) || !/^\d+$/.test(name.slice(`${domain}.${product}.v`.length)))
        continue;
      for (const e of await this.reads.entries(name)) if (e.contractVersion) out.push(e.contractVersion);
    }
    return out.sort(semver.compare);
  }

  /** Whether a contract version is recorded (an AVAILABLE schema version with Meshkit metadata). */
  async has(domain: string, product: string, version: string): Promise<boolean> {
    return (await this.reads.entry(domain, product, version)) !== undefined;
  }

  /**
   * A published version rebuilt from the registry metadata (see the class documentation), or
   * undefined when the version is not recorded.
   * @throws MeshError `CATALOG_RECORD_UNAVAILABLE` (exit 2) when the contract text can be found
   *   neither in the local catalog nor at the recorded git commit.
   */
  async get(domain: string, product: string, version: string): Promise<CatalogRecord | undefined> {
    const e = await this.reads.entry(domain, product, version);
    if (!e) return undefined;
    const local = await new LocalCatalog(catalogDir(this.root, this.config))
      .get(domain, product, version)
      .catch(() => undefined);
    if (local && e.meta?.hash && local.contentHash.startsWith(e.meta.hash)) return local;
    return recordFromGit(
      this.root,
      this.config,
      { domain, product, version, ...e },
      () => this.product(domain, product)?.manifest,
    );
  }

  /**
   * Checks what the registry would refuse, before any write: the definition must be a valid
   * draft-07 JSON Schema of at most {@link MAX_DEFINITION_LENGTH} characters, and the metadata
   * must fit the registry's limits.
   * @throws MeshError `CATALOG_PREFLIGHT` (exit 1)
   */
  preflight(record: CatalogRecord): { definition: string; metadata: Record<string, string> } {
    return preflightRecord(record, this.contractPath(record));
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
    const detail = {
      domain: record.domain,
      product: record.product,
      version: record.version,
      registryName: this.registryName,
      schemaName,
      writes: 0,
    };
    const wanted = GLUE_COMPATIBILITY[resolveMode(parseContract(label, record.contractText) as ContractInput)];
    const request: PublishRequest = { record, label, definition, wanted, detail };
    try {
      const schema = await this.ensureRegistry(detail)
        .then(() => this.glue.send(new GetSchemaCommand({ SchemaId: this.schemaId(schemaName) })))
        .catch(notFoundAsUndefined);
      let version: SchemaVersionRef;
      let compatibilityNote: string | undefined;
      if (!schema) {
        const created = await this.createSchema(request);
        // created concurrently (or by a retried call): start again with reads
        if (!created) return this.publish(record);
        version = created;
      } else {
        if (schema.Compatibility !== wanted)
          compatibilityNote = `schema ${schemaName} has compatibility ${schema.Compatibility ?? '?'}, the contract's mode maps to ${wanted}; the registry's setting is kept`;
        const registered = await this.registerVersion(request, compatibilityNote);
        if (registered === 'unchanged') return 'unchanged';
        version = registered;
      }
      version = await this.settle(version, label, schemaName, schema?.Compatibility ?? wanted);
      await this.recordMetadata(version.id, metadata, detail);
      this.reads.forget(schemaName);
      this.published.push({
        ...detail,
        versionNumber: version.number,
        schemaVersionId: version.id,
        outcome: 'published',
        compatibilityNote,
      });
      return 'published';
    } catch (e) {
      this.reads.forget(schemaName);
      throw awsError(e, label);
    }
  }

  // --- internals -------------------------------------------------------------------------------

  private schemaId(schemaName: string) {
    return { RegistryName: this.registryName, SchemaName: schemaName };
  }

  /** Creates the schema of a product major with the record as its first version; undefined when it exists already. */
  private async createSchema({
    record,
    definition,
    wanted,
    detail,
  }: PublishRequest): Promise<SchemaVersionRef | undefined> {
    let created;
    try {
      detail.writes++;
      created = await this.glue.send(
        new CreateSchemaCommand({
          RegistryId: { RegistryName: this.registryName },
          SchemaName: detail.schemaName,
          DataFormat: 'JSON',
          Compatibility: wanted,
          SchemaDefinition: definition,
          Description: `Meshkit data contract ${record.domain}/${record.product}, major ${record.major}`,
        }),
      );
    } catch (e) {
      if (!isAlreadyExists(e)) throw e;
      this.reads.forgetNames();
      return undefined;
    }
    const schemaName = detail.schemaName;
    this.reads.added(schemaName);
    return { id: created.SchemaVersionId!, number: 1, status: created.SchemaVersionStatus ?? 'PENDING' };
  }

  /**
   * Registers the record as a new version of an existing schema; `unchanged` (recorded in
   * {@link published}) when the same version is recorded with the same content.
   * @throws MeshError `CATALOG_VERSION_CONFLICT` when the version is recorded with other content
   */
  private async registerVersion(
    { record, label, definition, detail }: PublishRequest,
    compatibilityNote: string | undefined,
  ): Promise<SchemaVersionRef | 'unchanged'> {
    const schemaName = detail.schemaName;
    const schemaId = this.schemaId(schemaName);
    const same = await this.glue
      .send(new GetSchemaByDefinitionCommand({ SchemaId: schemaId, SchemaDefinition: definition }))
      .catch(notFoundAsUndefined);
    if (same) {
      const meta = await this.reads.metadataOf(same.SchemaVersionId!);
      const recorded = meta.contractVersion !== undefined;
      const hash = contentHash(record).slice(0, HASH_PREFIX);
      if (recorded && (meta.contractVersion !== record.version || meta.meta?.hash !== hash))
        throw conflict(label, schemaName);
      if (recorded && same.Status === 'AVAILABLE') {
        const number =
          (await this.reads.entries(schemaName)).find((e) => e.schemaVersionId === same.SchemaVersionId)
            ?.versionNumber ?? 0;
        this.published.push({
          ...detail,
          versionNumber: number,
          schemaVersionId: same.SchemaVersionId!,
          outcome: 'unchanged',
          compatibilityNote,
        });
        return 'unchanged';
      }
    } else if ((await this.reads.entries(schemaName)).some((e) => e.contractVersion === record.version)) {
      throw conflict(label, schemaName);
    }
    detail.writes++;
    const r = await this.glue.send(
      new RegisterSchemaVersionCommand({ SchemaId: schemaId, SchemaDefinition: definition }),
    );
    return { id: r.SchemaVersionId!, number: r.VersionNumber ?? 0, status: r.Status ?? 'PENDING' };
  }

  /** Writes the Meshkit metadata of a schema version, but what it holds already. */
  private async recordMetadata(
    schemaVersionId: string,
    metadata: Record<string, string>,
    detail: { writes: number },
  ): Promise<void> {
    const existing = await this.reads.metadataOf(schemaVersionId);
    for (const [key, value] of Object.entries(metadata)) {
      if (key === META_CONTRACT_VERSION && existing.contractVersion === value) continue;
      if (key === META_RECORD && existing.raw === value) continue;
      detail.writes++;
      await this.glue
        .send(
          new PutSchemaVersionMetadataCommand({
            SchemaVersionId: schemaVersionId,
            MetadataKeyValue: { MetadataKey: key, MetadataValue: value },
          }),
        )
        .catch((e: unknown) => {
          if (!isAlreadyExists(e)) throw e; // a retried call that had succeeded: recorded once
        });
    }
  }

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
  private async settle(version: SchemaVersionRef, label: string, schemaName: string, compatibility: string) {
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

  /** The product of the repository model, when its folder holds a product.yaml. */
  private product(domain: string, product: string): RepositoryProduct | undefined {
    const p = openProduct(this.root, domain, product);
    return p.exists() ? p : undefined;
  }

  /** The contract file of a record relative to the root: the product's contract, or a served older major's. */
  private contractPath(record: CatalogRecord): string | undefined {
    const p = this.product(record.domain, record.product);
    if (!p) return undefined;
    const older = p.servedMajorEntries.find((s) => s.major === record.major);
    return relative(this.root, older?.contractFile ?? p.contractFile)
      .split(sep)
      .join('/');
  }
}
