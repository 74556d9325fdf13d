/**
 * Shows that turbo re-synthesizes only the product that changed: a copy of the example mesh as a
 * workspace of product packages (each with `synth: mesh synth <domain>/<product>`), synthesized
 * cold, again (all cache hits), then after editing one product's contract (one miss).
 *
 *   npm run bench:synth:turbo
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GENERATED_DIRS } from '@meshkit/contracts';
import { copyExampleMesh, ROOT as root } from '@meshkit/testing';

// The products' own package.json, turbo.json and tsconfig.json are left out: this workspace gets
// its own package.json for each product it synthesizes.
const PRODUCT_PACKAGE = /[/\\]products[/\\][^/\\]+[/\\](package|turbo|tsconfig)\.json$/;
const dir = copyExampleMesh({
  prefix: 'mesh-turbo-',
  skip: new RegExp(`${GENERATED_DIRS.source}|${PRODUCT_PACKAGE.source}`),
});
const turboJson = JSON.parse(readFileSync(join(root, 'turbo.json'), 'utf8'));
writeFileSync(
  join(dir, 'turbo.json'),
  JSON.stringify({ $schema: turboJson.$schema, tasks: { synth: turboJson.tasks.synth } }, null, 2),
);
writeFileSync(
  join(dir, 'package.json'),
  JSON.stringify({
    name: 'turbo-cache-demo',
    private: true,
    packageManager: 'npm@11.19.1',
    workspaces: ['domains/*/products/*'],
  }),
);
const products = ['orders', 'clickstream'];
for (const p of products) {
  writeFileSync(
    join(dir, 'domains/sales/products', p, 'package.json'),
    JSON.stringify({
      name: `@example/sales.${p}`,
      version: '1.0.0',
      private: true,
      scripts: { synth: `node ${join(root, 'packages/cli/bin/mesh.js')} synth sales/${p}` },
    }),
  );
}
symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
// A lockfile for the workspace, so turbo can resolve its packages (nothing is installed).
writeFileSync(
  join(dir, 'package-lock.json'),
  JSON.stringify(
    {
      name: 'turbo-cache-demo',
      lockfileVersion: 3,
      requires: true,
      packages: Object.fromEntries([
        ['', { name: 'turbo-cache-demo', workspaces: ['domains/*/products/*'] }],
        ...products.map((p) => [`domains/sales/products/${p}`, { name: `@example/sales.${p}`, version: '1.0.0' }]),
      ]),
    },
    null,
    2,
  ),
);
execFileSync('git', ['init', '-q', '.'], { cwd: dir });

const turbo = (): { hits: string[]; misses: string[]; ms: number } => {
  const t = Date.now();
  const out = execFileSync(join(root, 'node_modules/.bin/turbo'), ['run', 'synth', '--output-logs=hash-only'], {
    cwd: dir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', CDK_VALIDATION: 'false' },
  });
  const pick = (kind: string) => [...out.matchAll(new RegExp(`(\\S+):synth: cache ${kind}`, 'g'))].map((m) => m[1]!);
  return { hits: pick('hit'), misses: pick('miss'), ms: Date.now() - t };
};
const show = (label: string, r: ReturnType<typeof turbo>) =>
  console.log(
    `  ${label.padEnd(34)} ${String(r.misses.length).padStart(2)} synthesized, ${String(r.hits.length).padStart(2)} cache hits, ${r.ms} ms  ${r.misses.length ? `(re-synthesized: ${r.misses.join(', ')})` : ''}`,
  );

console.log(`turbo synth caching on a ${products.length}-product mesh:`);
const cold = turbo();
show('cold', cold);
const again = turbo();
show('unchanged', again);
const contract = join(dir, 'domains/sales/products/orders/contract.odcs.yaml');
writeFileSync(
  contract,
  readFileSync(contract, 'utf8').replace(
    'description: Order status.',
    'description: Order status (NEW, PAID or SHIPPED).',
  ),
);
const edited = turbo();
show('after editing sales/orders contract', edited);
console.log(
  `  ratio unchanged / cold: ${(again.ms / cold.ms).toFixed(2)}; after one edit: ${(edited.ms / cold.ms).toFixed(2)} (goal: only the edited product re-synthesized: ${edited.misses.length === 1 && !again.misses.length ? 'met' : 'NOT met'})`,
);
rmSync(dir, { recursive: true, force: true });
