import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isMeshError } from '@meshkit/contracts';
import { PROVENANCE_FILE, readProvenance, sha256, upgradeMesh, type UpgradeResult } from '../src/index.js';
import { commit, makeFixture, migration, MIGRATION_HEADER, PRODUCT, V2, type Fixture } from './upgrade-fixture.js';

const TEAM_STACK_LINE = '// team: an alarm on the curated bucket goes here';
const TEAM_README_LINE = 'Our on-call rota is in the wiki.';

describe('mesh upgrade: a v1 product with local edits, to v2', () => {
  let f: Fixture;
  let result: UpgradeResult;
  before(async () => {
    f = makeFixture();
    f.write('infra/stack.ts', f.read('infra/stack.ts') + TEAM_STACK_LINE + '\n'); // merged file, edited
    f.write('README.md', f.read('README.md') + TEAM_README_LINE + '\n'); // seeded file, edited
    f.git('rm', '-q', `${PRODUCT}/infra/app.ts`); // managed file deleted by the team
    commit(f);
    result = await upgradeMesh(f.root, { target: 'sales/orders', templates: f.templates, migrations: [migration] });
  });
  after(() => f.cleanup());

  it('reports the unit upgraded from 1.0.0 to 2.0.0 without conflicts', () => {
    assert.equal(result.ok, true);
    assert.deepEqual(
      result.units.map((u) => [u.id, u.from, u.to, u.status]),
      [['sales/orders', '1.0.0', '2.0.0', 'upgraded']],
    );
    assert.deepEqual(result.units[0]!.conflicts, []);
  });

  it('replaces an unchanged managed file with the new render', () => {
    assert.equal(f.read('.gitignore'), f.v2Render.get('.gitignore'));
    assert.ok(f.read('.gitignore').endsWith(V2.managedLine + '\n'));
  });

  it('3-way merges the edited merged file: the template header and the team line both present', () => {
    const v1 = f.v1Render.get('infra/stack.ts')!;
    // v2 adds a first line (merged files carry no version stamp, so nothing else moves); the team appended a line.
    assert.doesNotMatch(v1, /domain-template \d+\.\d+\.\d+/);
    const expected = V2.mergedLine + '\n' + v1 + TEAM_STACK_LINE + '\n';
    assert.equal(f.read('infra/stack.ts'), expected);
  });

  it('merges the untouched merged file to the new render (package.json)', () => {
    assert.equal(f.read('package.json'), f.v2Render.get('package.json'));
    assert.ok(f.read('package.json').includes(V2.cdkNew));
  });

  it('never touches a seeded file, edited or not, even when the template changed it', () => {
    assert.equal(f.read('README.md'), f.v1Render.get('README.md')! + TEAM_README_LINE + '\n');
    assert.equal(f.read('product.yaml'), f.v1Render.get('product.yaml'));
  });

  it('leaves a file the team deleted deleted', () => {
    assert.equal(existsSync(join(f.product, 'infra/app.ts')), false);
    assert.equal(result.units[0]!.files.find((x) => x.path === 'infra/app.ts')?.action, 'kept');
  });

  it('creates a file new in v2 and deletes a pristine file v2 removed', () => {
    assert.equal(f.read(V2.newFile), '# Runbook of sales/orders\n');
    assert.equal(existsSync(join(f.product, V2.removedFile)), false);
  });

  it('runs the v2 migration on the working tree (a seeded file)', () => {
    assert.equal(f.read('transform.sql'), MIGRATION_HEADER + f.v1Render.get('transform.sql')!);
    assert.deepEqual(result.units[0]!.migrations, ['2.0.0-transform-header']);
  });

  it('lists every file with its action', () => {
    const actions = Object.fromEntries(result.units[0]!.files.map((x) => [x.path, x.action]));
    assert.equal(actions['.gitignore'], 'replaced');
    assert.equal(actions['infra/stack.ts'], 'merged');
    assert.equal(actions['package.json'], 'replaced');
    assert.equal(actions[V2.newFile], 'created');
    assert.equal(actions[V2.removedFile], 'deleted');
    assert.equal(actions['README.md'], 'kept');
    // Other managed files: replaced when v2 renders them differently (e.g. a version stamp), else unchanged.
    for (const [path, action] of Object.entries(actions)) {
      if (['.gitignore', 'infra/stack.ts', 'package.json', V2.newFile, V2.removedFile, 'infra/app.ts'].includes(path))
        continue;
      const cls = result.units[0]!.files.find((x) => x.path === path)!.class;
      if (cls === 'seeded') assert.equal(action, 'kept', path);
      else assert.equal(action, f.v1Render.get(path) === f.v2Render.get(path) ? 'unchanged' : 'replaced', path);
    }
  });

  it('records the new version, hashes of the v2 render and the v2 base of merged files', () => {
    const p = readProvenance(f.product)!;
    assert.equal(p.version, '2.0.0');
    assert.deepEqual(p.answers, {
      domain: 'sales',
      ingestion: 'batch',
      kind: 'product',
      owner: 'team-sales',
      product: 'orders',
      scope: '@example',
    });
    assert.equal(p.files['.gitignore']!.sha256, sha256(f.v2Render.get('.gitignore')!));
    assert.equal(p.files[V2.removedFile], undefined);
    assert.equal(p.files[V2.newFile]!.class, 'managed');
    assert.equal(p.base!['infra/stack.ts'], f.v2Render.get('infra/stack.ts'));
  });

  it("writes no changeset for the product: its version is its contract's, and no contract changed", () => {
    assert.ok(!existsSync(join(f.root, '.changeset/meshkit-upgrade-sales-orders-2-0-0.md')));
    assert.equal(result.units[0]!.changeset, undefined);
  });

  it('leaves no staging files behind', () => {
    const status = f.git('status', '--porcelain', '--untracked-files=all');
    assert.ok(!status.includes('.tmp'), status);
  });

  it('a second run finds the product up to date and changes nothing', async () => {
    commit(f, 'upgrade');
    const again = await upgradeMesh(f.root, {
      target: 'sales/orders',
      templates: f.templates,
      migrations: [migration],
    });
    assert.deepEqual(
      again.units.map((u) => u.status),
      ['up-to-date'],
    );
    assert.deepEqual(again.written, []);
    assert.equal(f.git('status', '--porcelain'), '');
  });
});

describe('mesh upgrade: conflicts', () => {
  let f: Fixture;
  let result: UpgradeResult;
  before(async () => {
    f = makeFixture();
    // The team bumps the same dependency line v2 bumps, to another version.
    f.write('package.json', f.read('package.json').replace(V2.cdkOld, '"aws-cdk-lib": "^2.277.0"'));
    commit(f);
    result = await upgradeMesh(f.root, { target: 'sales/orders', templates: f.templates, migrations: [] });
  });
  after(() => f.cleanup());

  it('leaves git-style markers around both sides and lists the file', () => {
    assert.equal(result.ok, false);
    assert.equal(result.units[0]!.status, 'conflict');
    assert.deepEqual(result.units[0]!.conflicts, [`${PRODUCT}/package.json`]);
    const text = f.read('package.json');
    assert.match(
      text,
      /^<<<<<<< ours \(working tree\)\n {4}"aws-cdk-lib": "\^2\.277\.0",\n=======\n {4}"aws-cdk-lib": "\^2\.280\.0",\n>>>>>>> theirs \(@meshkit\/domain-template 2\.0\.0\)$/m,
    );
    // Only the conflicting line is inside markers.
    assert.equal(text.split('\n').filter((l) => l.startsWith('<<<<<<<')).length, 1);
  });

  it('still upgrades the other files and records the new version', () => {
    assert.equal(f.read('.gitignore'), f.v2Render.get('.gitignore'));
    assert.equal(readProvenance(f.product)!.version, '2.0.0');
  });
});

describe('mesh upgrade: refusals and dry run', () => {
  let f: Fixture;
  before(() => {
    f = makeFixture();
  });
  after(() => f.cleanup());

  it('refuses a product folder with uncommitted changes, naming the files (exit 2), and writes nothing', async () => {
    f.write('transform.sql', 'select 1\n');
    f.write('notes.txt', 'untracked\n');
    await assert.rejects(upgradeMesh(f.root, { target: 'sales/orders', templates: f.templates }), (e) => {
      assert.ok(isMeshError(e));
      assert.equal(e.exitCode, 2);
      assert.match(e.message, new RegExp(`${PRODUCT}/notes\\.txt, ${PRODUCT}/transform\\.sql`));
      return true;
    });
    assert.equal(readProvenance(f.product)!.version, '1.0.0');
    f.git('checkout', '-q', '--', '.');
    f.git('clean', '-qfd');
  });

  it('does not mind changes outside the product folder', async () => {
    const other = join(f.root, 'README.md');
    (await import('node:fs')).writeFileSync(other, 'dirty root\n');
    const r = await upgradeMesh(f.root, { target: 'sales/orders', templates: f.templates, dryRun: true });
    assert.equal(r.units[0]!.status, 'upgraded');
    (await import('node:fs')).rmSync(other);
  });

  it('--dry-run writes nothing and returns the unified diff of every change', async () => {
    const before = f.git('status', '--porcelain', '--untracked-files=all');
    const r = await upgradeMesh(f.root, {
      target: 'sales/orders',
      templates: f.templates,
      dryRun: true,
      migrations: [migration],
    });
    assert.equal(f.git('status', '--porcelain', '--untracked-files=all'), before);
    assert.equal(readProvenance(f.product)!.version, '1.0.0');
    assert.ok(r.dryRun);
    assert.ok(r.diff.includes(`--- a/${PRODUCT}/.gitignore\n+++ b/${PRODUCT}/.gitignore\n`));
    assert.ok(r.diff.includes(`+${V2.managedLine}\n`));
    assert.ok(r.diff.includes(`--- /dev/null\n+++ b/${PRODUCT}/${V2.newFile}\n`));
    assert.ok(r.diff.includes(`--- a/${PRODUCT}/${V2.removedFile}\n+++ /dev/null\n`));
    assert.ok(!r.diff.includes('.changeset/'));
    assert.ok(r.written.includes(`${PRODUCT}/${PROVENANCE_FILE}`));
    assert.deepEqual(r.deleted, [`${PRODUCT}/${V2.removedFile}`]);
  });

  it('rejects a target version that is not available, an unknown product and a downgrade', async () => {
    await assert.rejects(
      upgradeMesh(f.root, { target: 'sales/orders', templates: f.templates, to: '3.0.0' }),
      /template version 3\.0\.0 is not available offline/,
    );
    await assert.rejects(
      upgradeMesh(f.root, { target: 'sales/returns', templates: f.templates }),
      /sales\/returns has no \.meshkit\/provenance\.json/,
    );
    await assert.rejects(
      upgradeMesh(f.root, { target: '../evil', templates: f.templates }),
      /is not <domain>\/<product>/,
    );
    await assert.rejects(upgradeMesh(f.root, { templates: f.templates }), /name what to upgrade/);
    await assert.rejects(
      upgradeMesh(f.root, { target: 'sales/orders', templates: f.templates, to: '0.9.0' }),
      /newer than 0\.9\.0: upgrades never go back/,
    );
  });
});

describe('mesh upgrade: a domain folder', () => {
  let f: Fixture;
  before(async () => {
    f = makeFixture();
    const { renderTemplate, provenanceOf, writeProvenance } = await import('../src/index.js');
    const { mkdirSync, writeFileSync } = await import('node:fs');
    const { dirname } = await import('node:path');
    const answers = { kind: 'domain' as const, domain: 'sales', owner: 'team-sales', scope: '@example' };
    const dir = join(f.root, 'domains/sales');
    const rendered = renderTemplate(answers, { templateDir: f.v1, version: '1.0.0' });
    for (const r of rendered) {
      mkdirSync(dirname(join(dir, r.path)), { recursive: true });
      writeFileSync(join(dir, r.path), r.content);
    }
    writeProvenance(dir, provenanceOf(rendered, answers, '1.0.0'));
    commit(f, 'domain');
  });
  after(() => f.cleanup());

  it('upgrades the domain alone: its products are neither checked for cleanliness nor touched', async () => {
    f.write('notes.txt', 'uncommitted, in the product folder\n');
    const r = await upgradeMesh(f.root, { target: 'sales', templates: f.templates, migrations: [] });
    assert.deepEqual(
      r.units.map((u) => [u.id, u.path, u.status]),
      [['sales', 'domains/sales', 'upgraded']],
    );
    assert.ok(
      r.written.every((w) => !w.startsWith(`${PRODUCT}/`)),
      r.written.join(', '),
    );
    assert.equal(readProvenance(f.product)!.version, '1.0.0');
    assert.equal(readProvenance(join(f.root, 'domains/sales'))!.version, '2.0.0');
    assert.ok(existsSync(join(f.root, '.changeset/meshkit-upgrade-sales-2-0-0.md')));
    assert.match(
      readFileSync(join(f.root, '.changeset/meshkit-upgrade-sales-2-0-0.md'), 'utf8'),
      /^---\n"@example\/sales\.foundation": patch\n---\n/,
    );
  });
});
