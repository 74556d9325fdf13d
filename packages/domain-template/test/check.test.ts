import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { checkMesh, templateVersions, upgradeMesh } from '../src/index.js';
import { commit, makeFixture, PRODUCT, V2, type Fixture } from './upgrade-fixture.js';

describe('mesh check', () => {
  let f: Fixture;
  before(() => {
    f = makeFixture();
  });
  after(() => f.cleanup());

  it('a product at the latest version with no hand edits: nothing to report', () => {
    const r = checkMesh(f.root, { templates: templateVersions({ '1.0.0': f.v1 }) });
    assert.equal(r.ok, true);
    assert.deepEqual(
      r.units.map((u) => [u.id, u.path, u.version, u.behind, u.drift]),
      [['sales/orders', PRODUCT, '1.0.0', false, []]],
    );
    assert.equal(r.behind, 0);
  });

  it('lists a product behind the latest version (lag alone does not fail)', () => {
    const r = checkMesh(f.root, { templates: f.templates });
    assert.equal(r.latest, '2.0.0');
    assert.equal(r.units[0]!.behind, true);
    assert.equal(r.behind, 1);
    assert.equal(r.ok, true);
  });

  it('reports an edited managed file as drift, not edited seeded or merged files', () => {
    f.write('.gitignore', f.read('.gitignore') + '# hand edit\n');
    f.write('README.md', 'ours now\n');
    f.write('infra/stack.ts', f.read('infra/stack.ts') + '// ours\n');
    const r = checkMesh(f.root, { templates: f.templates });
    assert.deepEqual(r.units[0]!.drift, [{ path: `${PRODUCT}/.gitignore`, class: 'managed', state: 'edited' }]);
    assert.equal(r.drift, 1);
    assert.equal(r.ok, false);
  });

  it('lists a deleted managed file without failing', () => {
    f.git('checkout', '-q', '--', '.');
    f.git('rm', '-q', `${PRODUCT}/infra/app.ts`);
    const r = checkMesh(f.root, { templates: f.templates });
    assert.deepEqual(r.units[0]!.drift, [{ path: `${PRODUCT}/infra/app.ts`, class: 'managed', state: 'deleted' }]);
    assert.equal(r.ok, true);
    f.git('checkout', '-q', 'HEAD', '--', '.');
  });

  it('reports conflict markers left by an upgrade', async () => {
    f.write('package.json', f.read('package.json').replace(V2.cdkOld, '"aws-cdk-lib": "^2.277.0"'));
    commit(f);
    await upgradeMesh(f.root, { target: 'sales/orders', templates: f.templates, migrations: [] });
    const r = checkMesh(f.root, { templates: f.templates });
    assert.equal(r.units[0]!.version, '2.0.0');
    assert.equal(r.units[0]!.behind, false);
    assert.deepEqual(r.units[0]!.drift, [{ path: `${PRODUCT}/package.json`, class: 'merged', state: 'conflict' }]);
    assert.equal(r.ok, false);
  });
});
