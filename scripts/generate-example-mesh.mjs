#!/usr/bin/env node
// Regenerates the example mesh of this repository — the one mesh `npm run demo`, the tests and the
// README use — from scratch, so it is reproducible: platform/, domains/sales (orders: batch,
// clickstream: stream) and domains/marketing (campaign-performance: batch, consuming sales/orders).
// Two steps, as a team gets there:
//
// 1. Everything is rendered by `mesh new` from @meshkit/domain-template (platform/ by
//    `mesh new platform`), with .meshkit/provenance.json recording what the templates wrote — so
//    `mesh check` and `mesh upgrade` work on the mesh as on any team's.
// 2. The team's edits after scaffolding, kept as one patch (scripts/example-mesh.patch, applied
//    with `git apply`): the products' real contracts, transforms, fixtures and manifests (cleaning
//    transform, quality rules and a restricted column in sales/orders at 1.1.0, a stream of
//    storefront events, campaign-performance joining the campaign export with sales/orders and
//    consuming it, declared in product.yaml and as a devDependency on the producer's contract
//    package), and producer/record.d.ts regenerated from the edited clickstream contract. Only
//    seeded files and package.json (merged) are edited: managed files stay as rendered.
//
//   npx turbo run build && node scripts/generate-example-mesh.mjs && npm install
//
// To record a change of the team's edits: commit the edited mesh, then
//   node scripts/generate-example-mesh.mjs --render-only && git diff -R -- platform domains > scripts/example-mesh.patch && git checkout -- platform domains
//
// MESH_BIN overrides the mesh command (default: packages/cli/bin/mesh.js).
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = process.env.MESH_BIN ?? join(root, 'packages/cli/bin/mesh.js');
const renderOnly = process.argv.includes('--render-only');
const PATCH = join(root, 'scripts/example-mesh.patch');

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

// The account-level platform package and the organisation's policy pack (platform/policies).
mesh('new', 'platform');

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
  'Every confirmed customer order.',
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
  "Campaigns and their performance, built on the sales domain's products.",
  '--yes',
);
mesh(
  'new',
  'product',
  'marketing/campaign-performance',
  '--ingestion',
  'batch',
  '--description',
  'Spend, orders and revenue per campaign, from the campaign export and sales/orders.',
  '--yes',
);

if (renderOnly) {
  console.log("rendered only (--render-only): the team's edits are not applied");
} else {
  const r = spawnSync('git', ['apply', '--whitespace=nowarn', PATCH], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) {
    process.stderr.write(`git apply scripts/example-mesh.patch failed (exit ${r.status}):\n${r.stderr}`);
    process.exit(1);
  }
  console.log("applied the team's edits (scripts/example-mesh.patch)");
  console.log('next: npm install (picks up the new workspaces), then npx turbo run lint test synth');
}
