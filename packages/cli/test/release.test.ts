import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMeshError } from '@meshkit/contracts';
import { copyExampleMesh, ROOT as REPO } from '@meshkit/testing';
import { readPendingChangesets } from '@meshkit/release';
import { meshChangeset } from '../src/commands/changeset.js';
import { meshVersion } from '../src/commands/version.js';
import { bufferIo } from '../src/io.js';
import { run } from '../src/program.js';

const ORDERS = 'domains/sales/products/orders';
const MARKETING = 'domains/marketing/products/campaign-performance';
const PRODUCTS = [ORDERS, 'domains/sales/products/clickstream', MARKETING];

/**
 * A temp git repository holding a copy of the example mesh (domains/, mesh.config.yaml, the
 * changesets config) as npm workspaces, committed: HEAD is the last release.
 */
function meshRepo(
  options: {
    private?: boolean;
    consumerDependency?: string;
    configure?: (config: Record<string, unknown>) => void;
  } = {},
): { root: string; git: (...a: string[]) => string } {
  const root = copyExampleMesh({ prefix: 'mesh-release-' });
  // Pinned here, whatever the example mesh says today: products are publishable packages unless
  // `private` is asked for, marketing's package depends on the orders package it consumes, and
  // orders is at 1.0.0 (package.json and contract).
  const orders = join(root, ORDERS, 'contract.odcs.yaml');
  writeFileSync(orders, readFileSync(orders, 'utf8').replace(/^version: .*$/m, 'version: 1.0.0'));
  for (const product of PRODUCTS) {
    const file = join(root, product, 'package.json');
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    if (product === ORDERS) pkg.version = '1.0.0';
    if (options.private) pkg.private = true;
    else delete pkg.private;
    if (product === MARKETING && options.consumerDependency) {
      delete (pkg.devDependencies as Record<string, string>)['@example/sales.orders'];
      pkg.dependencies = { '@example/sales.orders': options.consumerDependency };
    } else if (product === MARKETING)
      pkg.devDependencies = { ...(pkg.devDependencies as object | undefined), '@example/sales.orders': '*' };
    writeFileSync(file, JSON.stringify(pkg, null, 2) + '\n');
  }
  mkdirSync(join(root, '.changeset'));
  const config = JSON.parse(readFileSync(join(REPO, '.changeset/config.json'), 'utf8')) as Record<string, unknown>;
  options.configure?.(config);
  writeFileSync(join(root, '.changeset/config.json'), JSON.stringify(config, null, 2));
  writeFileSync(join(root, '.changeset/README.md'), '# Changesets\n');
  writeFileSync(
    join(root, 'package.json'),
    JSON.stringify(
      { name: 'release-test', private: true, workspaces: ['domains/*/foundation', 'domains/*/products/*'] },
      null,
      2,
    ),
  );
  const git = (...a: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...a], {
      cwd: root,
      stdio: 'pipe',
      encoding: 'utf8',
    }).trim();
  git('init', '-q', '-b', 'main');
  git('add', '.');
  git('commit', '-qm', 'release 1.0.0');
  return { root, git };
}

const contractPath = (root: string) => join(root, ORDERS, 'contract.odcs.yaml');
const edit = (root: string, from: RegExp | string, to: string) => {
  const text = readFileSync(contractPath(root), 'utf8');
  const next = text.replace(from, to);
  assert.notEqual(next, text, `edit did not apply: ${String(from)}`);
  writeFileSync(contractPath(root), next);
};
/** Breaking: the `status` property is removed. */
const removeStatus = (root: string) => edit(root, / {6}- id: status_prop\n[\s\S]*?(?= {6}- id: order_date_prop)/, '');
/** Compatible: an optional property is added. */
const addOptional = (root: string) =>
  edit(
    root,
    '        examples: ["2026-11-01"]\n',
    '        examples: ["2026-11-01"]\n      - id: note_prop\n        name: note\n        logicalType: string\n        description: Free-text note.\n        classification: internal\n        required: false\n',
  );
/** Documentation only: the purpose changes. */
const rewordPurpose = (root: string) =>
  edit(
    root,
    'Every confirmed customer order, one row per order.',
    'Every confirmed order of a customer, one row each.',
  );

const changesetFiles = (root: string) =>
  readdirSync(join(root, '.changeset'))
    .filter((f) => f.endsWith('.md') && f !== 'README.md')
    .sort();
const readJson = (file: string) =>
  JSON.parse(readFileSync(file, 'utf8')) as {
    version: string;
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
  };

async function changeset(root: string, target?: string, options: { dryRun?: boolean; format?: 'text' | 'json' } = {}) {
  const io = bufferIo(root);
  const code = await meshChangeset(target, options, io);
  return { code, out: io.out, err: io.err };
}

describe('mesh changeset', () => {
  test('a removed property → a major changeset naming the rule and the path; nothing for unchanged products', async () => {
    const { root } = meshRepo();
    removeStatus(root);
    const r = await changeset(root);
    assert.equal(r.code, 0, r.out + r.err);
    const files = changesetFiles(root);
    assert.equal(files.length, 1);
    assert.match(files[0]!, /^sales-orders-[0-9a-f]{8}\.md$/);
    const text = readFileSync(join(root, '.changeset', files[0]!), 'utf8');
    assert.match(text, /^---\n"@example\/sales\.orders": major\n---\n/);
    assert.match(
      text,
      /\*\*Breaking changes\*\*\n\n- `PROPERTY_REMOVED` at `schema\[orders\]\.properties\[status\]`: /,
    );
    assert.match(text, /since 1\.0\.0: 1 breaking change/);
    assert.match(r.out, /sales\/orders: wrote \.changeset\/sales-orders-[0-9a-f]{8}\.md: major/);
    assert.match(r.out, /sales\/clickstream: contract unchanged \(since 1\.0\.0, HEAD:/);
    assert.match(r.out, /marketing\/campaign-performance: contract unchanged/);
    // What changesets itself reads from the file: the same package and bump.
    const [pending] = readPendingChangesets(root);
    assert.deepEqual(pending!.releases, { '@example/sales.orders': 'major' });
  });

  test('the contract product.yaml names (`contract:`), not contract.odcs.yaml, is the one released', async () => {
    const { root, git } = meshRepo();
    git('mv', `${ORDERS}/contract.odcs.yaml`, `${ORDERS}/orders.odcs.yaml`);
    const manifest = join(root, ORDERS, 'product.yaml');
    writeFileSync(manifest, readFileSync(manifest, 'utf8') + 'contract: orders.odcs.yaml\n');
    git('commit', '-qam', 'orders: its contract file renamed');
    const renamed = join(root, ORDERS, 'orders.odcs.yaml');
    writeFileSync(
      renamed,
      readFileSync(renamed, 'utf8').replace(/ {6}- id: status_prop\n[\s\S]*?(?= {6}- id: order_date_prop)/, ''),
    );
    const r = await changeset(root);
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /sales\/orders: wrote \.changeset\/sales-orders-[0-9a-f]{8}\.md: major/);
    const [pending] = readPendingChangesets(root);
    assert.deepEqual(pending!.releases, { '@example/sales.orders': 'major' });
  });

  test('an added optional property → minor, in the compatible group', async () => {
    const { root } = meshRepo();
    addOptional(root);
    assert.equal((await changeset(root, 'sales/orders')).code, 0);
    const [file] = changesetFiles(root);
    const text = readFileSync(join(root, '.changeset', file!), 'utf8');
    assert.match(text, /"@example\/sales\.orders": minor/);
    assert.match(
      text,
      /\*\*Compatible changes\*\*\n\n- `PROPERTY_ADDED_OPTIONAL` at `schema\[orders\]\.properties\[note\]`/,
    );
    assert.doesNotMatch(text, /Breaking changes/);
  });

  test('a description change → patch (documentation changes are released as patches)', async () => {
    const { root } = meshRepo();
    rewordPurpose(root);
    assert.equal((await changeset(root)).code, 0);
    const [file] = changesetFiles(root);
    assert.match(
      readFileSync(join(root, '.changeset', file!), 'utf8'),
      /"@example\/sales\.orders": patch[\s\S]*`METADATA_CHANGED`/,
    );
  });

  test('unchanged contracts (even reformatted ones) → no changeset', async () => {
    const { root } = meshRepo();
    edit(root, /^# The contract/m, '# A comment edit only.\n# The contract');
    const r = await changeset(root);
    assert.equal(r.code, 0);
    assert.deepEqual(changesetFiles(root), []);
    assert.match(r.out, /0 changesets written/);
  });

  test('re-running is idempotent: the same change finds the same file', async () => {
    const { root } = meshRepo();
    removeStatus(root);
    await changeset(root);
    const first = changesetFiles(root);
    const again = await changeset(root, undefined, { format: 'json' });
    assert.equal(again.code, 0);
    assert.deepEqual(changesetFiles(root), first);
    const orders = (
      JSON.parse(again.out) as { products: Array<{ product: string; action: string; changeset: string }> }
    ).products.find((p) => p.product === 'sales/orders');
    assert.equal(orders?.action, 'up-to-date');
    assert.equal(orders?.changeset, `.changeset/${first[0]}`);
  });

  test('a further edit replaces the changeset generated for the earlier state (never a smaller bump)', async () => {
    const { root } = meshRepo();
    addOptional(root);
    await changeset(root);
    const [minor] = changesetFiles(root);
    removeStatus(root);
    const r = await changeset(root);
    const files = changesetFiles(root);
    assert.equal(files.length, 1);
    assert.notEqual(files[0], minor);
    assert.match(r.out, new RegExp(`replaces \\.changeset/${minor}`));
    const text = readFileSync(join(root, '.changeset', files[0]!), 'utf8');
    assert.match(text, /": major/);
    assert.match(text, /PROPERTY_REMOVED[\s\S]*PROPERTY_ADDED_OPTIONAL/);
  });

  test('a changeset generated for an edit since reverted is reported, not deleted', async () => {
    const { root } = meshRepo();
    const original = readFileSync(contractPath(root), 'utf8');
    addOptional(root);
    await changeset(root);
    writeFileSync(contractPath(root), original);
    const r = await changeset(root);
    assert.equal(r.code, 0);
    assert.equal(changesetFiles(root).length, 1);
    assert.match(
      r.out,
      /sales\/orders: contract unchanged .*sales-orders-[0-9a-f]{8}\.md in \.changeset\/ was generated for changes since reverted/,
    );
  });

  test('--dry-run prints the changeset and writes nothing', async () => {
    const { root } = meshRepo();
    removeStatus(root);
    const r = await changeset(root, undefined, { dryRun: true });
    assert.equal(r.code, 0);
    assert.deepEqual(changesetFiles(root), []);
    assert.match(r.out, /would write \.changeset\/sales-orders-/);
    assert.match(r.out, / {4}"@example\/sales\.orders": major/);
    assert.match(r.out, /nothing was changed/);
  });

  test('a pending changeset with an equal or larger bump: no second changeset', async () => {
    const { root } = meshRepo();
    addOptional(root);
    writeFileSync(
      join(root, '.changeset/brave-lions-sing.md'),
      '---\n"@example/sales.orders": major\n---\n\nNew major.\n',
    );
    const r = await changeset(root);
    assert.equal(r.code, 0);
    assert.deepEqual(changesetFiles(root), ['brave-lions-sing.md']);
    assert.match(
      r.out,
      /sales\/orders: pending changeset brave-lions-sing\.md already declares major \(required: minor\)/,
    );
  });

  test('a pending smaller bump is raised by a new changeset, and reported', async () => {
    const { root } = meshRepo();
    removeStatus(root);
    writeFileSync(join(root, '.changeset/tiny-fix.md'), '---\n"@example/sales.orders": patch\n---\n\nTypo.\n');
    const r = await changeset(root);
    assert.equal(r.code, 0);
    assert.equal(changesetFiles(root).length, 2);
    assert.ok(existsSync(join(root, '.changeset/tiny-fix.md')), 'the hand-written changeset is kept');
    assert.match(r.out, /raises the pending patch bump of tiny-fix\.md/);
  });

  test('a version moved by hand below the required bump fails (exit 1); enough is ok', async () => {
    const { root } = meshRepo();
    removeStatus(root);
    edit(root, /^version: 1\.0\.0$/m, 'version: 1.1.0');
    const r = await changeset(root);
    assert.equal(r.code, 1);
    assert.match(r.out, /VERSION_BUMP_INSUFFICIENT/);
    assert.deepEqual(changesetFiles(root), []);
    edit(root, /^version: 1\.1\.0$/m, 'version: 2.0.0');
    assert.equal((await changeset(root)).code, 0);
  });

  test('bad usage and bad input exit 2', async () => {
    const { root } = meshRepo();
    await assert.rejects(meshChangeset('Sales', {}, bufferIo(root)), (e) => isMeshError(e) && e.exitCode === 2);
    await assert.rejects(
      meshChangeset('sales/nope', {}, bufferIo(root)),
      (e) => isMeshError(e) && /no product 'sales\/nope'/.test(e.message),
    );
    writeFileSync(join(root, '.changeset/broken.md'), '---\n"@example/sales.orders": [major\n---\n');
    await assert.rejects(
      meshChangeset(undefined, {}, bufferIo(root)),
      (e) => isMeshError(e) && e.code === 'YAML_SYNTAX' && e.file!.endsWith('broken.md'),
    );
  });
});

describe('mesh changeset and the version gate (mesh contract check)', () => {
  test('a generated changeset makes the gate pass; a hand-lowered one makes it fail', async () => {
    const { root } = meshRepo();
    removeStatus(root);
    const before = bufferIo(root);
    assert.equal(await run(['contract', 'check', 'sales/orders'], before), 1, 'no changeset yet: not bumped');
    await changeset(root);
    const pass = bufferIo(root);
    assert.equal(await run(['contract', 'check', 'sales/orders'], pass), 0, pass.out + pass.err);
    assert.match(pass.out, /declared major \(from changeset\): ok/);
    const [file] = changesetFiles(root);
    const path = join(root, '.changeset', file!);
    writeFileSync(path, readFileSync(path, 'utf8').replace('": major', '": minor'));
    const fail = bufferIo(root);
    assert.equal(await run(['contract', 'check', 'sales/orders'], fail), 1);
    assert.match(fail.out, /VERSION_BUMP_INSUFFICIENT/);
  });
});

describe('mesh version', () => {
  test('what changeset version complains about while succeeding reaches the user (a consumer range its producer left)', async () => {
    const { root } = meshRepo({ consumerDependency: '^1.0.0' });
    // sales/orders moved to 2.0.0 by hand (package.json and contract agree); a patch of clickstream is pending.
    const pkgFile = join(root, ORDERS, 'package.json');
    writeFileSync(pkgFile, readFileSync(pkgFile, 'utf8').replace('"version": "1.0.0"', '"version": "2.0.0"'));
    edit(root, /^version: 1\.0\.0$/m, 'version: 2.0.0');
    writeFileSync(join(root, '.changeset/tiny-fix.md'), '---\n"@example/sales.clickstream": patch\n---\n\nTypo.\n');
    const io = bufferIo(root);
    assert.equal(await meshVersion({}, io), 0, io.out + io.err);
    assert.match(
      io.err,
      /^mesh: changeset version said: Package "@example\/marketing\.campaign-performance.*must depend on the current version of "@example\/sales\.orders": "2\.0\.0" vs "\^1\.0\.0"\n$/,
    );
  });
  test('applies the changesets: package.json and contract at the new version, comments kept, changesets consumed', async () => {
    const { root } = meshRepo();
    removeStatus(root);
    await changeset(root);
    const edited = readFileSync(contractPath(root), 'utf8');
    const io = bufferIo(root);
    const code = await meshVersion({}, io);
    assert.equal(code, 0, io.out + io.err);
    assert.equal(readJson(join(root, ORDERS, 'package.json')).version, '2.0.0');
    const contract = readFileSync(contractPath(root), 'utf8');
    assert.match(contract, /^version: 2\.0\.0$/m);
    assert.match(
      contract,
      /^# The contract of sales\/orders's output port \(ODCS v3\.1\)\. The version is the package\n# version: record changes with `mesh changeset`\./,
    );
    assert.deepEqual(changesetFiles(root), []);
    assert.match(
      readFileSync(join(root, ORDERS, 'CHANGELOG.md'), 'utf8'),
      /## 2\.0\.0[\s\S]*### Major Changes[\s\S]*PROPERTY_REMOVED/,
    );
    assert.match(
      io.out,
      /@example\/sales\.orders \(sales\/orders\): 1\.0\.0 → 2\.0\.0 \(major\); contract domains\/sales\/products\/orders\/contract\.odcs\.yaml set to 2\.0\.0/,
    );
    assert.match(io.out, /versions agree/);
    // The consumer's package dependency is "*" (its contract range lives in product.yaml): the new
    // major still links the workspace, and the consumer is not released for it.
    const marketing = readJson(join(root, MARKETING, 'package.json'));
    assert.equal(marketing.devDependencies?.['@example/sales.orders'], '*');
    assert.equal(marketing.version, '1.0.0');
    assert.doesNotMatch(io.err, /must depend on the current version/);
    // Only the version line of the contract changed.
    const [a, b] = [edited.split('\n'), contract.split('\n')];
    assert.equal(a.length, b.length);
    assert.deepEqual(
      a.flatMap((line, i) => (line === b[i] ? [] : [[line, b[i]]])),
      [['version: 1.0.0', 'version: 2.0.0']],
    );
    // The gate agrees with the result: the version moved by a major.
    const check = bufferIo(root);
    assert.equal(await run(['contract', 'check', 'sales/orders'], check), 0, check.out);
  });

  test('--dry-run reports the plan and writes nothing', async () => {
    const { root, git } = meshRepo();
    addOptional(root);
    await changeset(root);
    git('add', '.');
    git('commit', '-qm', 'change');
    const io = bufferIo(root);
    assert.equal(await meshVersion({ dryRun: true, format: 'json' }, io), 0, io.err);
    const json = JSON.parse(io.out) as {
      dryRun: boolean;
      changesets: string[];
      releases: Array<{ name: string; newVersion: string; contractUpdated: boolean }>;
    };
    assert.equal(json.dryRun, true);
    assert.equal(json.changesets.length, 1);
    assert.deepEqual(
      json.releases.map((r) => [r.name, r.newVersion, r.contractUpdated]),
      [['@example/sales.orders', '1.1.0', true]],
    );
    assert.equal(git('status', '--porcelain'), '');
  });

  test('no pending changesets: nothing changes and the versions agree', async () => {
    const { root, git } = meshRepo();
    const io = bufferIo(root);
    assert.equal(await meshVersion({}, io), 0);
    assert.match(io.out, /no pending changesets/);
    assert.equal(git('status', '--porcelain'), '');
  });

  test('a package.json and a contract that disagree fail with the contract position (exit 1)', async () => {
    const { root } = meshRepo();
    const pkg = join(root, ORDERS, 'package.json');
    writeFileSync(pkg, readFileSync(pkg, 'utf8').replace('"version": "1.0.0"', '"version": "1.2.0"'));
    const io = bufferIo(root);
    assert.equal(await meshVersion({}, io), 1);
    assert.match(io.out, /domains\/sales\/products\/orders\/contract\.odcs\.yaml:8:10\b.*VERSION_MISMATCH/);
    assert.match(io.out, /contract version 1\.0\.0 differs from .*package\.json version 1\.2\.0/);
  });

  test('a changesets config that does not version private packages is an actionable error (exit 2)', async () => {
    const { root } = meshRepo({
      private: true,
      configure: (c) => {
        c.privatePackages = { version: false, tag: false };
      },
    });
    removeStatus(root);
    await changeset(root);
    await assert.rejects(
      meshVersion({}, bufferIo(root)),
      (e) =>
        isMeshError(e) &&
        e.exitCode === 2 &&
        /"privatePackages": \{ "version": true, "tag": false \}/.test(e.message) &&
        e.file!.endsWith('.changeset/config.json'),
    );
    assert.equal(changesetFiles(root).length, 1, 'nothing consumed');
  });

  test('private product packages are versioned the same way (changesets privatePackages.version, its default)', async () => {
    const { root } = meshRepo({ private: true });
    rewordPurpose(root);
    await changeset(root);
    const io = bufferIo(root);
    assert.equal(await meshVersion({}, io), 0, io.out + io.err);
    assert.equal(readJson(join(root, ORDERS, 'package.json')).version, '1.0.1');
    assert.match(readFileSync(contractPath(root), 'utf8'), /^version: 1\.0\.1$/m);
  });
});
