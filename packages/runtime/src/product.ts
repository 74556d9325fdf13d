import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openProduct, productRunDir, type ProductManifest, type RepositoryProduct } from '@meshkit/contracts';

/** Base names (without extension) of a product's default input and of its output sample, in `fixtures/`. */
export const FIXTURE_INPUT = 'raw';
export const FIXTURE_OUTPUT = 'output';
/** Input file extensions, in the order they are looked for. */
export const INPUT_EXTENSIONS = ['.csv', '.jsonl', '.ndjson', '.parquet'] as const;

/**
 * The instant a run evaluates time-relative rules (freshness) at: `given` when set (`--now`);
 * else, for a run of the product's own fixtures, the pinned clock `fixtures.now` of product.yaml
 * (so the fixtures never age); else the real clock.
 */
export function runClock(
  manifest: ProductManifest,
  fixtureRun: boolean,
  given: Date | undefined,
  real: Date,
): { now: Date; clock: 'given' | 'fixtures' | 'real' } {
  if (given) return { now: given, clock: 'given' };
  const pinned = fixtureRun ? manifest.fixtures?.now : undefined;
  if (pinned !== undefined) {
    const d = new Date(pinned);
    if (!Number.isNaN(d.getTime())) return { now: d, clock: 'fixtures' };
  }
  return { now: real, clock: 'real' };
}

/** The view name of a consumed product in transform.sql (`sales/orders` → `sales_orders`): the repository model's. */
export { consumedViewName } from '@meshkit/contracts';

/** `.mesh/runs/<domain>/<product>` under the repository root: the default output directory. */
export function defaultRunDir(root: string, domain: string, product: string): string {
  return productRunDir(root, domain, product);
}

/** The first `fixtures/<base><ext>` of a product for `extensions` (default: every input extension), if any. */
export function findFixture(
  productDir: string,
  base: string,
  extensions: readonly string[] = INPUT_EXTENSIONS,
): string | undefined {
  return extensions.map((e) => join(productDir, 'fixtures', base + e)).find((f) => existsSync(f));
}

/**
 * The product `domains/<domain>/products/<product>` ready to run: the repository model's product
 * of `@meshkit/contracts` ({@link openProduct}; no CDK on this path) with its product.yaml and
 * contract read and checked now, so a bad product fails before anything runs.
 * @throws MeshError `USAGE` (exit 2) when the product does not exist; `INVALID_CONFIG` /
 * `INVALID_CONTRACT` (exit 2) with file:line:col when the manifest or the contract is invalid.
 */
export function loadRunTarget(root: string, domain: string, product: string): RepositoryProduct {
  return openProduct(root, domain, product).load();
}
