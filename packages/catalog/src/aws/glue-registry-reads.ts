// What the Glue Schema Registry holds of the Meshkit schemas: schema names and versions with
// their metadata, read once per catalog instance and cached (publishing forgets what it changes).
import {
  ListSchemasCommand,
  ListSchemaVersionsCommand,
  QuerySchemaVersionMetadataCommand,
  type GlueClient,
} from '@aws-sdk/client-glue';
import semver from 'semver';
import { awsError, isNotFound } from './glue-errors.js';
import {
  glueSchemaName,
  META_CONTRACT_VERSION,
  META_RECORD,
  parseRecordMetadata,
  type RecordMetadata,
} from './glue-schema.js';

/** A schema version with its Meshkit metadata. */
export interface VersionEntry {
  schemaVersionId: string;
  versionNumber: number;
  status: string;
  created?: string;
  contractVersion?: string;
  meta?: RecordMetadata;
}

/** The cached reads of one registry. */
export class RegistryReads {
  private readonly cache = new Map<string, VersionEntry[]>();
  private names: Promise<string[]> | undefined;

  constructor(
    private readonly glue: GlueClient,
    private readonly registryName: string,
  ) {}

  /** Forgets the versions of a schema (after a write to it). */
  forget(schemaName: string): void {
    this.cache.delete(schemaName);
  }

  /** Forgets the schema names (a schema was created by someone else). */
  forgetNames(): void {
    this.names = undefined;
  }

  /** Adds a schema just created to the names, if they were listed. */
  added(schemaName: string): void {
    this.names = this.names?.then((n) => (n.includes(schemaName) ? n : [...n, schemaName]));
  }

  /** Schema names of the registry, listed once per instance (a publish of N products asks N times). */
  schemaNames(): Promise<string[]> {
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
  async entries(schemaName: string): Promise<VersionEntry[]> {
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

  /** The Meshkit metadata of a schema version. */
  async metadataOf(
    schemaVersionId: string,
  ): Promise<{ contractVersion?: string; raw?: string; meta?: VersionEntry['meta'] }> {
    const r = await this.glue.send(new QuerySchemaVersionMetadataCommand({ SchemaVersionId: schemaVersionId }));
    const map = r.MetadataInfoMap ?? {};
    const contractVersion = map[META_CONTRACT_VERSION]?.MetadataValue;
    const raw = map[META_RECORD]?.MetadataValue;
    const meta = raw ? parseRecordMetadata(raw) : undefined;
    return { contractVersion, raw, meta };
  }

  /** The entry of a published contract version. */
  async entry(domain: string, product: string, version: string): Promise<VersionEntry | undefined> {
    if (!semver.valid(version)) return undefined;
    const entries = await this.entries(glueSchemaName(domain, product, semver.major(version)));
    return entries.find((e) => e.contractVersion === version);
  }
}
