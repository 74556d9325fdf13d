import type { CatalogRecord, ProductManifestRecord } from './record.js';

/** Outcome of {@link CatalogBackend.publish}. */
export type PublishOutcome = 'published' | 'unchanged';

/** A product in the catalog and its published versions. */
export interface CatalogProduct {
  domain: string;
  product: string;
  /** Every published version, ascending (semver), over every major. */
  versions: string[];
  /** Published majors, ascending, each with its versions (ascending). */
  majors: Array<{ major: number; versions: string[] }>;
}

/**
 * Where published contract versions live. Versions are immutable: publishing a version that
 * exists with different content is refused; identical content is a no-op.
 */
export interface CatalogBackend {
  /** Kind of backend, e.g. `local`. */
  readonly kind: string;
  /** Human-readable location (a directory, a registry ARN). */
  readonly location: string;
  /**
   * Repository root the catalog was opened for (`openLocalCatalog(root)`, the Glue backend), when
   * known: the catalog site reads `mesh synth`'s cloud assembly there ("who can read this product").
   */
  readonly root?: string;
  /** Every product with at least one published version, sorted by domain then product. */
  list(): Promise<CatalogProduct[]>;
  /** Published versions of a product, ascending; [] when none. */
  versions(domain: string, product: string): Promise<string[]>;
  /**
   * One published version, or undefined when it was never published.
   * @throws MeshError `CATALOG_CORRUPT` when the stored record is unreadable or fails its checks.
   */
  get(domain: string, product: string, version: string): Promise<CatalogRecord | undefined>;
  /**
   * Whether a version is published (the Glue registry tells without rebuilding the whole record).
   * @throws MeshError `CATALOG_CORRUPT` when the local record is unreadable or fails its checks.
   */
  has(domain: string, product: string, version: string): Promise<boolean>;
  /**
   * Records a version. `unchanged` when the same version exists with identical content (nothing
   * written).
   * @throws MeshError `CATALOG_VERSION_CONFLICT` (exit 1) when the version exists with different content.
   */
  publish(record: CatalogRecord): Promise<PublishOutcome>;
  /**
   * Records the product's metadata (owner, classification, `consumes`) beside its contract
   * records, replacing the previous one; `unchanged` when it is the same. Backends without it
   * keep `consumes` in the contract records only.
   */
  publishManifest?(record: ProductManifestRecord): Promise<PublishOutcome>;
  /** The product's last published metadata, or undefined. @throws MeshError `CATALOG_CORRUPT` when it fails its checks. */
  getManifest?(domain: string, product: string): Promise<ProductManifestRecord | undefined>;
}
