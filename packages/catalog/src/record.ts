import { createHash } from 'node:crypto';
import type { Classification, OdcsContract, ProductManifest } from '@meshkit/contracts';

/** Format tag of a record file; bumped on incompatible changes of the layout. */
export const RECORD_FORMAT = 'meshkit.catalog/v1';

/** One published contract version of a data product, as the catalog stores it. */
export interface CatalogRecord {
  /** Always {@link RECORD_FORMAT}. */
  format: typeof RECORD_FORMAT;
  domain: string;
  product: string;
  /** The contract's semantic version (`version` of the ODCS document). */
  version: string;
  /** Major of {@link version}: the compatibility line the version belongs to. */
  major: number;
  /** The contract's `id`. */
  id: string;
  /** `owner` of product.yaml. */
  owner: string;
  /** product.yaml `classification`, else the mesh default. */
  classification: Classification;
  /** `consumes` edges of product.yaml. @default [] */
  consumes: ProductManifest['consumes'];
  /** The parsed contract. */
  contract: OdcsContract;
  /** The contract's source text (YAML) as published, so later gates can diff it with positions. */
  contractText: string;
  /** Compiled DQDL rule set per schema object name. */
  dqdl: Record<string, string>;
  /** Compiled JSON Schema (2019-09) per schema object name. */
  jsonSchema: Record<string, unknown>;
  /** ISO 8601 instant of the publish. Not part of the content hash. */
  publishedAt: string;
  /** `git rev-parse HEAD` of the repository at publish time, null outside git. Not part of the content hash. */
  gitCommit: string | null;
}

/** What a record file holds: the record, its content hash and an integrity hash. */
export interface StoredRecord extends CatalogRecord {
  /** sha256 of the canonical JSON of the record without `publishedAt` and `gitCommit`: identical content ⇔ equal hash. */
  contentHash: string;
  /** sha256 of the canonical JSON of everything else in the file (integrity check). */
  sha256: string;
}

/** JSON with object keys sorted at every level: the same value always serialises the same way. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = sortKeys(v);
    }
    return out;
  }
  return value;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The content hash of a record: everything but `publishedAt` and `gitCommit` (and stored hashes). */
export function contentHash(record: CatalogRecord): string {
  const { publishedAt: _p, gitCommit: _g, ...content } = record as CatalogRecord & Partial<Pick<StoredRecord, 'contentHash' | 'sha256'>>;
  delete (content as Partial<StoredRecord>).contentHash;
  delete (content as Partial<StoredRecord>).sha256;
  return sha256(canonicalJson(content));
}

/** The file content of a record: the record with its content and integrity hashes. */
export function sealRecord(record: CatalogRecord): StoredRecord {
  const withContent = { ...record, contentHash: contentHash(record) };
  return { ...withContent, sha256: sha256(canonicalJson(withContent)) };
}

/**
 * Checks the shape and both hashes of a parsed record file. Returns the problem, or undefined
 * when the record is sound.
 */
export function recordProblem(value: unknown): string | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return 'not a JSON object';
  const r = value as Record<string, unknown>;
  if (r.format !== RECORD_FORMAT) return `format is ${JSON.stringify(r.format)}, expected ${JSON.stringify(RECORD_FORMAT)}`;
  for (const k of ['domain', 'product', 'version', 'id', 'owner', 'classification', 'contractText', 'publishedAt', 'contentHash', 'sha256'] as const) {
    if (typeof r[k] !== 'string') return `'${k}' is missing or not a string`;
  }
  if (typeof r.major !== 'number' || !Number.isInteger(r.major)) return `'major' is missing or not an integer`;
  if (r.gitCommit !== null && typeof r.gitCommit !== 'string') return `'gitCommit' must be a string or null`;
  if (!Array.isArray(r.consumes)) return `'consumes' is missing or not an array`;
  for (const k of ['contract', 'dqdl', 'jsonSchema'] as const) {
    if (!r[k] || typeof r[k] !== 'object' || Array.isArray(r[k])) return `'${k}' is missing or not an object`;
  }
  const { sha256: stored, ...rest } = r;
  if (sha256(canonicalJson(rest)) !== stored) return 'sha256 mismatch: the file was modified after it was published';
  if (contentHash(rest as unknown as CatalogRecord) !== r.contentHash) return 'contentHash mismatch: the file was modified after it was published';
  return undefined;
}
