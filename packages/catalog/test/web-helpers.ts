import { join } from 'node:path';
import { copyExampleMesh, ROOT } from '@meshkit/testing';
import { LocalCatalog, publishProduct } from '../src/index.js';

/** The repository root (holds the example mesh: domains/ and mesh.config.yaml). */
export const REPO = ROOT;

/** A temp copy of the repository's example mesh (domains/ + mesh.config.yaml), without runs, catalogs, cdk.out or node_modules. */
export function exampleMesh(): string {
  return copyExampleMesh({ prefix: 'meshkit-web-' });
}

export const EXAMPLE_PRODUCTS = ['sales/orders', 'sales/clickstream', 'marketing/campaign-performance'];

/** Publishes the example mesh into a fresh local catalog under `root` and returns it. */
export async function publishedExample(
  root = exampleMesh(),
  now = new Date('2026-11-01T10:00:00Z'),
): Promise<{ root: string; catalog: LocalCatalog }> {
  const catalog = new LocalCatalog(join(root, '.mesh/catalog'), root); // knows its repository, as openLocalCatalog's does
  for (const product of EXAMPLE_PRODUCTS) {
    const r = await publishProduct({
      root,
      product,
      catalog,
      now,
      gitCommit: '0123456789abcdef0123456789abcdef01234567',
    });
    if (r.outcome !== 'published')
      throw new Error(`publishing ${product}: ${r.outcome} ${JSON.stringify(r.diagnostics)}`);
  }
  return { root, catalog };
}

/** Synthesizes a mesh as `mesh synth` does (with each product's infra/stack.ts). */
type SynthMesh = (root: string, target: undefined, outdir: string) => Promise<{ stacks: unknown[] }>;

/**
 * Synthesizes the mesh at `root` into `<root>/cdk.out`, as `mesh synth` does: the CLI's
 * `synthMesh`, imported by path at run time (the CLI sits above this package: a test-only use,
 * kept out of this package's typecheck and dependencies). Returns the assembly directory.
 */
export async function synthesize(root: string): Promise<string> {
  const synthPath = new URL('../../cli/src/commands/synth.js', import.meta.url).href;
  const { synthMesh } = (await import(synthPath)) as { synthMesh: SynthMesh };
  const out = join(root, 'cdk.out');
  await synthMesh(root, undefined, out);
  return out;
}
