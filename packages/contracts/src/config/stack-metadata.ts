import type { Classification, LandingFormat, ProductManifest } from './load-config.js';

/**
 * Template metadata key of the digest of what a stack was synthesized from ({@link stackInputsHash}),
 * written by `@meshkit/core` and read by `mesh verify` (a differing digest = a stale assembly).
 */
export const INPUTS_METADATA_KEY = 'meshkit:inputs';

/**
 * Template metadata key of what a product stack means to do (its tables, consumes edges, landing
 * format, job), written by `@meshkit/core` from product.yaml and the contract, read by `mesh verify`.
 */
export const PRODUCT_INTENT_METADATA_KEY = 'meshkit:product-intent';

/**
 * What a product stack means to do, recorded by `@meshkit/core` in its template's `Metadata`
 * ({@link PRODUCT_INTENT_METADATA_KEY}) from product.yaml and the contract, so that checks over
 * the synthesized templates (`mesh verify`) compare what was built with what was meant, even
 * after a team's `customize` hook changed the resources.
 */
export interface ProductIntent {
  readonly domain: string;
  readonly product: string;
  readonly mode: 'batch' | 'stream';
  /** What lands in the raw zone (product.yaml `ingestion.format`). */
  readonly landingFormat: LandingFormat;
  /** What the job reads: the landing format (batch) or Firehose's Parquet (stream). */
  readonly jobInputFormat: LandingFormat;
  /** Prefix of the job's input in the raw zone. */
  readonly rawPrefix: string;
  readonly jobName: string;
  readonly databaseName: string;
  /** Output tables: the current major's first, then each served major's. */
  readonly tables: readonly string[];
  /** Classification of the product. */
  readonly classification: Classification;
  /** Columns classified restricted. */
  readonly restrictedColumns: readonly string[];
  /** The resolved `consumes` edges. */
  readonly consumes: ReadonlyArray<{
    readonly product: string;
    readonly range: string;
    readonly major: number;
    readonly databaseName: string;
    readonly tableName: string;
    readonly columns?: readonly string[];
    /** The producer's account, when it is another one. */
    readonly producerAccount?: string;
    /** The resource link the job reads a table of another account through. */
    readonly link?: { readonly databaseName: string; readonly tableName: string };
  }>;
  readonly criticality: NonNullable<ProductManifest['criticality']>;
}
