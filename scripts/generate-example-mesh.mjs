#!/usr/bin/env node
// Regenerates the example mesh of this repository from scratch with the generator, so it is
// reproducible: platform/, domains/sales (orders: batch, clickstream: stream) and
// domains/marketing (campaign-performance: batch, consuming sales/orders). Everything is rendered
// by `mesh new` from @meshkit/domain-template; the one hand step is the kind of edit a team
// makes after scaffolding (declaring what campaign-performance consumes, in product.yaml and as
// a dependency on the producer's contract package in package.json), and sales/orders declared
// critical (it replicates to mesh.config.yaml's platform.replicaRegion).
//
//   npx turbo run build && node scripts/generate-example-mesh.mjs && npm install
//
// MESH_BIN overrides the mesh command (default: packages/cli/bin/mesh.js).
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = process.env.MESH_BIN ?? join(root, 'packages/cli/bin/mesh.js');

function mesh(...args) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) {
    process.stderr.write(`mesh ${args.join(' ')} failed (exit ${r.status}):\n${r.stdout}${r.stderr}`);
    process.exit(1);
  }
  console.log(`mesh ${args.join(' ')}`);
}

for (const d of ['platform', 'domains/sales', 'domains/marketing'])
  rmSync(join(root, d), { recursive: true, force: true });

// The account-level platform package (rendered from the same templates).
const { renderPlatform } = await import('@meshkit/domain-template');
for (const f of renderPlatform({ scope: '@example', organisation: 'Example Corp' })) {
  const file = join(root, 'platform', f.path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, f.content);
}
console.log('rendered platform/');

mesh(
  'new',
  'domain',
  'sales',
  '--owner',
  'team-sales',
  '--cost-center',
  'cc-4100',
  '--description',
  "Orders, payments and the storefront's clickstream.",
  '--yes',
);
mesh(
  'new',
  'product',
  'sales/orders',
  '--ingestion',
  'batch',
  '--description',
  'Every confirmed customer order, one row per order.',
  '--yes',
);
mesh(
  'new',
  'product',
  'sales/clickstream',
  '--ingestion',
  'stream',
  '--description',
  'Page views and clicks of the storefront, streamed.',
  '--yes',
);
mesh(
  'new',
  'domain',
  'marketing',
  '--owner',
  'team-marketing',
  '--cost-center',
  'cc-5200',
  '--description',
  'Campaigns and their performance.',
  '--yes',
);
mesh(
  'new',
  'product',
  'marketing/campaign-performance',
  '--ingestion',
  'batch',
  '--description',
  'Revenue attributed to each campaign per day.',
  '--yes',
);

// The team's edit after scaffolding: what campaign-performance reads from sales/orders.
appendFileSync(
  join(root, 'domains/marketing/products/campaign-performance/product.yaml'),
  [
    'consumes:',
    '  - product: sales/orders',
    '    version: ^1.0.0',
    '    columns: [record_id, amount, record_date]',
    '',
  ].join('\n'),
);
// …and, so its code and tests get the producer's record types and validators, the producer's
// contract package as a development dependency. The range is "*": npm always links the workspace
// and never goes to a registry for a mesh package; the contract range (^1.0.0) lives in
// product.yaml consumes, where Meshkit enforces it (an older major is imported from `/v<N>`).
const consumerPkg = join(root, 'domains/marketing/products/campaign-performance/package.json');
const pkg = JSON.parse(readFileSync(consumerPkg, 'utf8'));
pkg.devDependencies = { ...pkg.devDependencies, '@example/sales.orders': '*' };
writeFileSync(consumerPkg, JSON.stringify(pkg, null, 2) + '\n');
console.log('declared marketing/campaign-performance consumes sales/orders (product.yaml, package.json)');
const ordersManifest = join(root, 'domains/sales/products/orders/product.yaml');
writeFileSync(
  ordersManifest,
  readFileSync(ordersManifest, 'utf8').replace(/^criticality: \w+$/m, 'criticality: critical'),
);
console.log('declared sales/orders critical (product.yaml)');
console.log('next: npm install (picks up the new workspaces), then npx turbo run lint test synth');
