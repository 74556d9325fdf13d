// The Glue Schema Registry's view of a contract version: the schema name of a product major, the
// JSON Schema definition registered, the compatibility setting, and the Meshkit metadata of a
// schema version.
import type { Compatibility } from '@aws-sdk/client-glue';
import { toJsonSchema, type CompatibilityMode, type OdcsContract } from '@meshkit/contracts';

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
