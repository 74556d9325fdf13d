// After a release, the next product installs: `mesh new product` takes the @meshkit/* versions
// the repository has installed (not the template's pins), so `npm install --offline` resolves
// them from the workspace. The repository here is a tiny npm workspace whose @meshkit/* packages
// (and aws-cdk-lib, constructs) are workspace packages, so npm needs neither the network nor its cache.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, bufferIo } from '../src/index.js';
import { EXAMPLE_MESH } from '@meshkit/testing';

const PACKAGES = {
  '@meshkit/cli': 'meshkit-cli',
  '@meshkit/contracts': 'meshkit-contracts',
  '@meshkit/core': 'meshkit-core',
  '@meshkit/runtime': 'meshkit-runtime',
  'aws-cdk-lib': 'aws-cdk-lib',
  constructs: 'constructs',
} as const;
/** Third-party packages the product template depends on, at the versions it asks for (never released here). */
const THIRD_PARTY: Record<string, string> = { 'aws-cdk-lib': '2.276.0', constructs: '10.8.1' };

function workspace(): string {
  const root = mkdtempSync(join(tmpdir(), 'mesh-release-install-'));
  cpSync(join(EXAMPLE_MESH, 'mesh.config.yaml'), join(root, 'mesh.config.yaml'));
  mkdirSync(join(root, 'domains', 'sales'), { recursive: true });
  cpSync(join(EXAMPLE_MESH, 'domains', 'sales', 'domain.yaml'), join(root, 'domains', 'sales', 'domain.yaml'));
  writeFileSync(
    join(root, 'package.json'),
    JSON.stringify(
      { name: 'release-install', private: true, workspaces: ['packages/*', 'domains/*/products/*'] },
      null,
      2,
    ),
  );
  for (const [name, dir] of Object.entries(PACKAGES)) {
    mkdirSync(join(root, 'packages', dir), { recursive: true });
    writeFileSync(
      join(root, 'packages', dir, 'package.json'),
      JSON.stringify({ name, version: THIRD_PARTY[name] ?? '0.1.0', main: 'index.js' }, null, 2),
    );
    writeFileSync(join(root, 'packages', dir, 'index.js'), '');
  }
  return root;
}

const npm = (root: string, ...args: string[]) =>
  spawnSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', ...args], {
    cwd: root,
    encoding: 'utf8',
  });

/** The release: changesets bump the @meshkit/* packages (their package.json; node_modules links follow). */
function release(root: string, version: string): void {
  for (const [name, dir] of Object.entries(PACKAGES)) {
    if (THIRD_PARTY[name]) continue;
    const file = join(root, 'packages', dir, 'package.json');
    writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), version }, null, 2));
  }
}

test('release → mesh new product → npm install --offline works (the product depends on the released versions)', async () => {
  const root = workspace();
  const first = npm(root);
  assert.equal(first.status, 0, first.stderr);
  release(root, '0.2.0');
  const io = bufferIo(root);
  assert.equal(await run(['new', 'product', 'sales/refunds', '--yes'], io), 0, io.err);
  const pkg = JSON.parse(readFileSync(join(root, 'domains/sales/products/refunds/package.json'), 'utf8')) as {
    devDependencies: Record<string, string>;
  };
  assert.deepEqual(
    ['cli', 'contracts', 'core'].map((n) => pkg.devDependencies[`@meshkit/${n}`]),
    ['0.2.0', '0.2.0', '0.2.0'],
  );
  const install = npm(root);
  assert.equal(install.status, 0, install.stderr);
  // What the template's old pins did: the released workspace no longer has 0.1.0, npm cannot install offline.
  const pinned = { ...pkg, devDependencies: { ...pkg.devDependencies, '@meshkit/core': '0.1.0' } };
  writeFileSync(join(root, 'domains/sales/products/refunds/package.json'), JSON.stringify(pinned, null, 2));
  const old = npm(root);
  assert.notEqual(old.status, 0, 'a pin to the version before the release cannot be installed offline');
});
