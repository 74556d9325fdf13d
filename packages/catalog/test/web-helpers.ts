import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyExampleMesh, ROOT } from '@meshkit/testing';
import { LocalCatalog, publishProduct } from '../src/index.js';

/** The repository root (holds the example mesh: domains/ and mesh.config.yaml). */
export const REPO = ROOT;

/**
 * A temp copy of the repository's example mesh (domains/ + mesh.config.yaml), without runs,
 * catalogs, cdk.out or node_modules, in the state these suites were written against: as `mesh new`
 * renders it (the template's placeholder columns record_id, amount, status, record_date), with
 * marketing/campaign-performance consuming three columns of sales/orders ^1.0.0, and sales/orders
 * critical, replicated to eu-central-1 (and no outside consumers or Lake Formation admins).
 */
export function exampleMesh(): string {
  const root = copyExampleMesh({ prefix: 'meshkit-web-', rendered: true });
  const edit = (file: string, fn: (text: string) => string) =>
    writeFileSync(join(root, file), fn(readFileSync(join(root, file), 'utf8')));
  edit('domains/marketing/products/campaign-performance/product.yaml', (t) =>
    t
      .replace(/\nconsumes:\n[\s\S]*$/, '\n')
      .concat(
        'consumes:\n  - product: sales/orders\n    version: ^1.0.0\n    columns: [record_id, amount, record_date]\n',
      ),
  );
  edit('domains/sales/products/orders/product.yaml', (t) => t.replace(/^criticality: \w+$/m, 'criticality: critical'));
  edit('mesh.config.yaml', (t) =>
    t
      .replace('  #   replicaRegion: eu-central-1\n', '  replicaRegion: eu-central-1\n')
      .replace(/^consumers:\n(?: {2}.*\n)+/m, '')
      .replace(/^ {2}lakeFormationAdmins: .*\n/m, ''),
  );
  return root;
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
