// What the Glue Schema Registry would refuse, checked before any write.
import { createHash } from 'node:crypto';
import { Ajv } from 'ajv';
import { MeshError } from '@meshkit/contracts';
import { contentHash, type CatalogRecord } from '../record.js';
import {
  formatRecordMetadata,
  glueDefinition,
  MAX_DEFINITION_LENGTH,
  MAX_METADATA_VALUE_LENGTH,
  META_CONTRACT_VERSION,
  META_RECORD,
  METADATA_PATTERN,
} from './glue-schema.js';

/** The sha256 of a text, hex. */
export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
/** Hex digits of a hash kept in the metadata. */
export const HASH_PREFIX = 32;

/**
 * The definition and metadata of a record's schema version, checked: the definition must be a
 * valid draft-07 JSON Schema of at most {@link MAX_DEFINITION_LENGTH} characters, and the metadata
 * must fit the registry's limits.
 * @param contractPath the contract file relative to the repository root, if known
 * @throws MeshError `CATALOG_PREFLIGHT` (exit 1)
 */
export function preflightRecord(
  record: CatalogRecord,
  contractPath: string | undefined,
): { definition: string; metadata: Record<string, string> } {
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
    path: contractPath,
  });
  const metadata = { [META_CONTRACT_VERSION]: record.version, [META_RECORD]: recordMeta };
  for (const [k, v] of Object.entries(metadata)) checkMetadataValue(label, k, v);
  return { definition, metadata };
}

function checkMetadataValue(label: string, k: string, v: string): void {
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
