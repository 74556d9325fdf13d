import { createHash } from 'node:crypto';
import { canonicalJson, type Classification, type OdcsContract, type ProductManifest } from '@meshkit/contracts';

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
  /**
   * True when the working tree had uncommitted changes at publish time (`mesh publish
   * --allow-dirty`): `gitCommit` then does not hold what was published. Not part of the content hash.
   * @default absent: a clean tree (or outside git)
   */
  gitDirty?: boolean;
}

/** What a record file holds: the record, its content hash and an integrity hash. */
export interface StoredRecord extends CatalogRecord {
  /** sha256 of the canonical JSON of the record without `publishedAt` and `gitCommit`: identical content ⇔ equal hash. */
  contentHash: string;
  /** sha256 of the canonical JSON of everything else in the file (integrity check). */
  sha256: string;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * sha256 of the canonical JSON of a record or manifest record without its publish facts
 * (`publishedAt`, `gitCommit`, `gitDirty`) and stored hashes: identical content ⇔ equal hash.
 */
function publishedContentHash(value: object): string {
  const {
    publishedAt: _p,
    gitCommit: _g,
    gitDirty: _d,
    contentHash: _c,
    sha256: _s,
    ...content
  } = value as Record<string, unknown>;
  return sha256(canonicalJson(content));
}

/** `value` with its content hash and an integrity hash of everything else (what a file holds). */
function seal<T extends object>(value: T): T & { contentHash: string; sha256: string } {
  const withContent = { ...value, contentHash: publishedContentHash(value) };
  return { ...withContent, sha256: sha256(canonicalJson(withContent)) };
}

/** The content hash of a record: everything but `publishedAt` and `gitCommit` (and stored hashes). */
export function contentHash(record: CatalogRecord): string {
  return publishedContentHash(record);
}

/**
 * Whether two records hold the same contract version: the same parsed contract. What else a record
 * holds is not the contract's: `consumes`, owner and classification are product metadata (published
 * beside it in the {@link ProductManifestRecord}, so a consumer that only moves its `consumes` is not
 * a new contract version), the DQDL and JSON Schema are compiled from the contract by the Meshkit
 * of that publish (a newer Meshkit compiling them differently must not make every published version
 * a conflict), and the source text may differ in comments and layout only.
 */
export function sameContract(a: CatalogRecord, b: CatalogRecord): boolean {
  return (
    a.domain === b.domain &&
    a.product === b.product &&
    a.version === b.version &&
    canonicalJson(a.contract) === canonicalJson(b.contract)
  );
}

/** Format tag of a product manifest record file. */
export const MANIFEST_FORMAT = 'meshkit.catalog.product/v1';

/**
 * The product's metadata as last published (`<catalog>/<domain>/<product>/product.json`): what
 * product.yaml says beside the contract — owner, classification and its `consumes` edges — so the
 * catalog's lineage follows a consumer that moves to another major without a new contract version.
 * Replaced by each publish whose metadata changed (contract records stay immutable).
 */
export interface ProductManifestRecord {
  /** Always {@link MANIFEST_FORMAT}. */
  format: typeof MANIFEST_FORMAT;
  domain: string;
  product: string;
  /** The current contract version at that publish. */
  version: string;
  owner: string;
  classification: Classification;
  /** `consumes` of product.yaml. */
  consumes: ProductManifest['consumes'];
  /** ISO 8601 instant of the publish. Not part of the content hash. */
  publishedAt: string;
  /** `git rev-parse HEAD` at that publish, null outside git. Not part of the content hash. */
  gitCommit: string | null;
  /** The working tree was dirty (`--allow-dirty`). Not part of the content hash. @default absent */
  gitDirty?: boolean;
}

/** A stored {@link ProductManifestRecord} with its content and integrity hashes. */
export interface StoredManifestRecord extends ProductManifestRecord {
  contentHash: string;
  sha256: string;
}

/** The content hash of a manifest record: everything but the publish time and git facts. */
export function manifestContentHash(m: ProductManifestRecord): string {
  return publishedContentHash(m);
}

/** The file content of a manifest record: with its content and integrity hashes. */
export function sealManifest(m: ProductManifestRecord): StoredManifestRecord {
  return seal(m);
}

/** Checks the shape and both hashes of a parsed manifest record file; the problem, or undefined. */
export function manifestProblem(value: unknown): string | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return 'not a JSON object';
  const r = value as Record<string, unknown>;
  if (r.format !== MANIFEST_FORMAT)
    return `format is ${JSON.stringify(r.format)}, expected ${JSON.stringify(MANIFEST_FORMAT)}`;
  for (const k of [
    'domain',
    'product',
    'version',
    'owner',
    'classification',
    'publishedAt',
    'contentHash',
    'sha256',
  ] as const) {
    if (typeof r[k] !== 'string') return `'${k}' is missing or not a string`;
  }
  if (!Array.isArray(r.consumes)) return `'consumes' is missing or not an array`;
  const { sha256: stored, ...rest } = r;
  if (sha256(canonicalJson(rest)) !== stored) return 'sha256 mismatch: the file was modified after it was published';
  if (manifestContentHash(rest as unknown as ProductManifestRecord) !== r.contentHash)
    return 'contentHash mismatch: the file was modified after it was published';
  return undefined;
}

/** The file content of a record: the record with its content and integrity hashes. */
export function sealRecord(record: CatalogRecord): StoredRecord {
  return seal(record);
}

/**
 * Checks the shape and both hashes of a parsed record file. Returns the problem, or undefined
 * when the record is sound.
 */
export function recordProblem(value: unknown): string | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return 'not a JSON object';
  const r = value as Record<string, unknown>;
  if (r.format !== RECORD_FORMAT)
    return `format is ${JSON.stringify(r.format)}, expected ${JSON.stringify(RECORD_FORMAT)}`;
  for (const k of [
    'domain',
    'product',
    'version',
    'id',
    'owner',
    'classification',
    'contractText',
    'publishedAt',
    'contentHash',
    'sha256',
  ] as const) {
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
  if (contentHash(rest as unknown as CatalogRecord) !== r.contentHash)
    return 'contentHash mismatch: the file was modified after it was published';
  return undefined;
}
