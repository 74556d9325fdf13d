import { join } from 'node:path';
import {
  gitHead,
  isMeshError,
  loadMeshConfig,
  MESH_CONFIG_FILE,
  type MeshConfig,
  type MeshError,
} from '@meshkit/contracts';
import type { CatalogBackend } from './backend.js';
import { publishProduct, type PublishProductResult } from './publish.js';

/**
 * Products the Glue backend publishes at once by default: each product is a short chain of
 * registry calls, so 8 in flight keep a run of hundreds of products within a few seconds while
 * staying near the Schema Registry's per-account request rates (a throttled call is retried by
 * the SDK's standard strategy, with its longer backoff for throttling, up to `maxAttempts`).
 */
export const DEFAULT_GLUE_CONCURRENCY = 8;

/** Options of {@link publishProducts}. */
export interface PublishProductsOptions {
  /** Repository root (holds mesh.config.yaml). */
  root: string;
  /** `<domain>/<product>` of each product to publish. */
  products: string[];
  catalog: CatalogBackend;
  /** @default loaded once from `<root>/mesh.config.yaml` */
  config?: MeshConfig;
  /** Publish time of every record. @default new Date() once */
  now?: Date;
  /** Commit to record. @default `git rev-parse HEAD` in `root` once, null outside git */
  gitCommit?: string | null;
  /**
   * The working tree had uncommitted changes (`mesh publish --allow-dirty`): every record says
   * `gitDirty: true` (as publishProduct's `gitDirty`). @default false
   */
  gitDirty?: boolean;
  /** Products published at once (each product's own steps stay in order). @default 1 */
  concurrency?: number;
  /**
   * More work for each product once published (e.g. the Glue drift report), run in the product's
   * slot (within `concurrency`) before it counts as settled.
   */
  afterEach?: (settled: PublishSettled) => Promise<void>;
  /** Called as each product settles (any order), with its index in `products`: progress, output in order. */
  onSettled?: (settled: PublishSettled, index: number, done: number, total: number) => void;
}

/** One product of {@link publishProducts}: its result, or the user-fixable error that stopped it. */
export type PublishSettled =
  | { product: string; result: PublishProductResult; error?: undefined }
  | { product: string; result?: undefined; error: MeshError };

/**
 * Publishes several products (`mesh publish --all`): what is the same for every product is done
 * once per run — the configuration, the git commit, the publish time — then each product goes
 * through {@link publishProduct} with at most `concurrency` at a time. Each product is published
 * or not on its own (a record is written whole or not at all), so a run interrupted midway
 * leaves the products it reached published and a rerun publishes the rest (the others are
 * `unchanged`). A MeshError of one product (conflict, corrupt record, registry refusal) is
 * reported for it and the others go on; any other error stops the run.
 * @returns one entry per product, in the order of `products`.
 */
export async function publishProducts(options: PublishProductsOptions): Promise<PublishSettled[]> {
  const { root, catalog, products } = options;
  const config = options.config ?? loadMeshConfig(join(root, MESH_CONFIG_FILE)).value;
  const gitCommit = options.gitCommit !== undefined ? options.gitCommit : gitHead(root);
  const now = options.now ?? new Date();
  const out: PublishSettled[] = new Array(products.length);
  let next = 0;
  let done = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < products.length) {
      const i = next++;
      const product = products[i]!;
      try {
        try {
          out[i] = {
            product,
            result: await publishProduct({
              root,
              product,
              catalog,
              config,
              now,
              gitCommit,
              ...(options.gitDirty ? { gitDirty: true } : {}),
            }),
          };
        } catch (e) {
          if (!isMeshError(e)) throw e;
          out[i] = { product, error: e };
        }
        await options.afterEach?.(out[i]);
      } catch (e) {
        failed = true; // a bug, not a user mistake: the other workers take no new product
        throw e;
      }
      options.onSettled?.(out[i], i, ++done, products.length);
    }
  };
  const n = Math.max(1, Math.min(options.concurrency ?? 1, products.length));
  await Promise.all(Array.from({ length: n }, worker));
  return out;
}
