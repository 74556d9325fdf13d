import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isMeshError } from '@meshkit/contracts';
import { readProvenance, templateVersions } from '@meshkit/domain-template';
import { meshCheck } from '../src/commands/check.js';
import { meshUpgrade } from '../src/commands/upgrade.js';
import { bufferIo } from '../src/io.js';
import {
  commit,
  makeFixture,
  migration,
  PRODUCT,
  V2,
  type Fixture,
} from '@meshkit/domain-template/test/upgrade-fixture';

describe('mesh check (command)', () => {
  let f: Fixture;
  before(() => {
    f = makeFixture();
  });
  after(() => f.cleanup());

  it('exit 0 and "up to date" when nothing lags or drifts', () => {
    const io = bufferIo(f.product);
    assert.equal(meshCheck({ format: 'text' }, io, { templates: templateVersions({ '1.0.0': f.v1 }) }), 0);
    assert.match(io.out, /^sales\/orders {2}1\.0\.0 {5}up to date\n/);
  });

  it('lists lag with the command to run, exit 0', () => {
    const io = bufferIo(f.root);
    assert.equal(meshCheck({ format: 'text' }, io, { templates: f.templates }), 0);
    assert.match(io.out, /sales\/orders {2}1\.0\.0 {5}behind \(latest 2\.0\.0\): mesh upgrade sales\/orders\n/);
    assert.match(io.out, /1 folder\(s\), 1 behind, 0 drifted file\(s\)\n$/);
  });

  it('exit 1 with the edited managed file named; JSON carries the same', () => {
    f.write('infra/app.ts', f.read('infra/app.ts') + '// hand edit\n');
    const io = bufferIo(f.root);
    assert.equal(meshCheck({ format: 'text' }, io, { templates: f.templates }), 1);
    assert.match(io.out, new RegExp(`  edited {4}${PRODUCT}/infra/app\\.ts: managed file edited by hand`));
    const json = bufferIo(f.root);
    assert.equal(meshCheck({ format: 'json' }, json, { templates: f.templates }), 1);
    const report = JSON.parse(json.out) as {
      ok: boolean;
      units: Array<{ drift: Array<{ path: string; state: string }> }>;
    };
    assert.equal(report.ok, false);
    assert.deepEqual(report.units[0]!.drift, [{ path: `${PRODUCT}/infra/app.ts`, class: 'managed', state: 'edited' }]);
    f.git('checkout', '-q', '--', '.');
  });

  it('outside a Meshkit repository: exit 2 (MeshError)', () => {
    assert.throws(
      () => meshCheck({ format: 'text' }, bufferIo('/'), { templates: f.templates }),
      (e) => isMeshError(e) && e.exitCode === 2,
    );
  });
});

describe('mesh upgrade (command, no terminal)', () => {
  let f: Fixture;
  before(() => {
    f = makeFixture();
  });
  after(() => f.cleanup());

  it('--dry-run prints each file, its diff and writes nothing (exit 0)', async () => {
    const io = bufferIo(f.root);
    assert.equal(io.isTTY, false);
    const code = await meshUpgrade('sales/orders', { dryRun: true }, io, {
      templates: f.templates,
      migrations: [migration],
    });
    assert.equal(code, 0);
    assert.match(io.out, /^sales\/orders: @meshkit\/domain-template 1\.0\.0 → 2\.0\.0\n/);
    assert.match(io.out, /\n {2}replaced {2}\.gitignore\n/);
    assert.match(io.out, new RegExp(`\\n {2}created {3}${V2.newFile}\\n`));
    assert.ok(io.out.includes(`+++ b/${PRODUCT}/.gitignore\n`));
    assert.ok(io.out.endsWith('dry run: nothing written\n'));
    assert.equal(f.git('status', '--porcelain', '--untracked-files=all'), '');
  });

  it('upgrades without prompting and exits 0', async () => {
    const io = bufferIo(f.root);
    assert.equal(await meshUpgrade('sales/orders', {}, io, { templates: f.templates, migrations: [migration] }), 0);
    assert.equal(readProvenance(f.product)!.version, '2.0.0');
    assert.doesNotMatch(io.out, /changeset /, 'a product upgrade releases no version (no contract changed)');
    assert.equal(io.err, '');
    commit(f, 'upgrade');
    const again = bufferIo(f.root);
    assert.equal(await meshUpgrade(undefined, { all: true }, again, { templates: f.templates }), 0);
    assert.equal(again.out, 'sales/orders: up to date (@meshkit/domain-template 2.0.0)\n');
  });
});

describe('mesh upgrade (command): failures', () => {
  let f: Fixture;
  before(() => {
    f = makeFixture();
  });
  after(() => f.cleanup());

  it('a dirty product folder is refused with exit 2 naming the files', async () => {
    f.write('notes.txt', 'untracked\n');
    await assert.rejects(meshUpgrade('sales/orders', {}, bufferIo(f.root), { templates: f.templates }), (e) => {
      assert.ok(isMeshError(e) && e.exitCode === 2);
      assert.equal(
        e.message,
        `uncommitted changes in what would be upgraded: ${PRODUCT}/notes.txt; commit or stash them first`,
      );
      return true;
    });
    assert.equal(readProvenance(f.product)!.version, '1.0.0');
    f.git('clean', '-qfd');
  });

  it('a conflict: markers written, files listed on stderr, exit 1', async () => {
    f.write('package.json', f.read('package.json').replace(V2.cdkOld, '"aws-cdk-lib": "^2.277.0"'));
    commit(f);
    const io = bufferIo(f.root);
    assert.equal(await meshUpgrade('sales/orders', {}, io, { templates: f.templates }), 1);
    assert.match(io.out, /sales\/orders: @meshkit\/domain-template 1\.0\.0 → 2\.0\.0 \(1 conflict\(s\)\)\n/);
    assert.match(io.out, / {2}conflict {2}package\.json \(1 conflicting region\(s\)\)\n/);
    assert.equal(
      io.err,
      `conflicts left as <<<<<<< markers in:\n  ${PRODUCT}/package.json\nresolve them, then commit (mesh check fails while markers remain)\n`,
    );
  });

  it('a write that cannot happen fails (exit 2) and leaves the tree as it was', async () => {
    f.git('reset', '-q', '--hard', 'HEAD');
    f.git('clean', '-qfd');
    // `docs` is a file where v2 needs a folder.
    f.write('docs', 'not a folder\n');
    commit(f, 'docs file');
    await assert.rejects(
      meshUpgrade('sales/orders', {}, bufferIo(f.root), { templates: f.templates }),
      (e) => isMeshError(e) && e.exitCode === 2 && /nothing was changed/.test(e.message),
    );
    assert.equal(f.git('status', '--porcelain', '--untracked-files=all'), '');
    assert.equal(readProvenance(f.product)!.version, '1.0.0');
    assert.equal(readFileSync(join(f.product, '.gitignore'), 'utf8'), f.v1Render.get('.gitignore'));
    assert.deepEqual(readdirSync(join(f.root, '.changeset')), ['config.json']);
  });
});
