// Golden journey of a release: mesh changeset → mesh version → mesh new product (a consumer
// following the README's dependency advice) → npm install --offline → mesh check, every step
// through the built CLI in a fresh git repository whose root is an npm workspace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freshRepo } from './journey-helpers.js';

const REPO = fileURLToPath(new URL('../../../../', import.meta.url));

test('journey: a release — changeset, version, a new consumer product, npm install --offline, mesh check', () => {
  const { root, mesh, edit, commit, read } = freshRepo('journey-release-');
  // The mesh repository is an npm workspace; Meshkit's packages come from this checkout (no registry needed).
  const local = (p: string) => `file:${join(REPO, p)}`;
  writeFileSync(
    join(root, 'package.json'),
    JSON.stringify(
      {
        name: 'journey-mesh',
        private: true,
        workspaces: ['domains/*/foundation', 'domains/*/products/*'],
        overrides: {
          '@meshkit/cli': local('packages/cli'),
          '@meshkit/contracts': local('packages/contracts'),
          '@meshkit/core': local('packages/mesh-core'),
          '@meshkit/runtime': local('packages/runtime'),
          'aws-cdk-lib': local('node_modules/aws-cdk-lib'),
          constructs: local('node_modules/constructs'),
        },
      },
      null,
      2,
    ) + '\n',
  );
  mkdirSync(join(root, '.changeset'));
  writeFileSync(join(root, '.changeset/config.json'), readFileSync(join(REPO, '.changeset/config.json'), 'utf8'));
  mesh(['new', 'domain', 'sales', '--yes'], { code: 0 });
  mesh(['new', 'product', 'sales/orders', '--yes'], { code: 0 });
  const orders = 'domains/sales/products/orders';
  const v1 = /^version: (\S+)$/m.exec(read(`${orders}/contract.odcs.yaml`))![1]!;
  commit('sales/orders');
  mesh(['publish', '--all'], { code: 0, match: [/sales\/orders \S+: published/] });

  // A compatible change: a new optional column. The changeset says minor; version writes it everywhere.
  edit(`${orders}/contract.odcs.yaml`, (t) =>
    t.replace(
      '      - id: record_date_prop\n',
      '      - id: channel_prop\n        name: channel\n        logicalType: string\n        description: Sales channel.\n        classification: internal\n      - id: record_date_prop\n',
    ),
  );
  edit(`${orders}/transform.sql`, (t) =>
    t.replace(
      '  CAST(record_date AS DATE) AS record_date',
      "  CAST(record_date AS DATE) AS record_date,\n  'web' AS channel",
    ),
  );
  mesh(['changeset'], { code: 0, match: [/minor/] });
  assert.equal(readdirSync(join(root, '.changeset')).filter((f) => f.endsWith('.md') && f !== 'README.md').length, 1);
  mesh(['version'], { code: 0 });
  const [major, minor] = v1.split('.').map(Number) as [number, number];
  const v2 = `${major}.${minor + 1}.0`;
  assert.match(read(`${orders}/contract.odcs.yaml`), new RegExp(`^version: ${v2.replace(/\./g, '\\.')}$`, 'm'));
  assert.equal(JSON.parse(read(`${orders}/package.json`)).version, v2);
  mesh(['run', 'sales/orders'], { code: 0, match: [/PASSED/] });
  commit(`sales/orders ${v2}`);
  mesh(['publish', '--all'], { code: 0, match: [new RegExp(`sales/orders ${v2.replace(/\./g, '\\.')}: published`)] });

  // A new consumer product, wired as its README says: consumes in product.yaml, "*" in package.json.
  mesh(['new', 'domain', 'marketing', '--yes'], { code: 0 });
  mesh(['new', 'product', 'marketing/report', '--yes'], { code: 0 });
  const report = 'domains/marketing/products/report';
  const producerPackage = JSON.parse(read(`${orders}/package.json`)).name as string;
  assert.match(
    read(`${orders}/README.md`),
    new RegExp(`"${producerPackage.replace(/[/.]/g, '\\$&')}": "\\*"\` to its \`package\\.json\` devDependencies`),
  );
  edit(
    `${report}/product.yaml`,
    (t) => `${t}consumes:\n  - product: sales/orders\n    version: ^${v2}\n    columns: [record_id, amount]\n`,
  );
  edit(`${report}/package.json`, (t) => {
    const pkg = JSON.parse(t);
    pkg.devDependencies[producerPackage] = '*';
    return JSON.stringify(pkg, null, 2) + '\n';
  });
  const npm = spawnSync('npm', ['install', '--offline', '--ignore-scripts', '--no-audit', '--no-fund'], {
    cwd: root,
    encoding: 'utf8',
    env: Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k))),
    timeout: 300_000,
  });
  assert.equal(npm.status, 0, `npm install --offline: ${npm.stdout}${npm.stderr}`);
  assert.ok(
    readdirSync(join(root, 'node_modules', producerPackage.split('/')[0]!)).includes(producerPackage.split('/')[1]!),
    'the producer package is linked from the workspace',
  );
  mesh(['lint'], { code: 0, noMatch: [/PRODUCT-WORKSPACE-DEPENDENCY/] });
  mesh(['check'], { code: 0, match: [/0 behind, 0 drifted/] });
});
