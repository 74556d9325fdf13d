import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { mergeJson, upgradeMesh, type UpgradeResult } from '../src/index.js';
import { commit, makeFixture, V2, type Fixture } from './upgrade-fixture.js';

describe('mesh upgrade: package.json merged as JSON (keys, not lines)', () => {
  let f: Fixture;
  let result: UpgradeResult;
  const TEAM_LINE = '  // team: the alarm on late data';
  before(async () => {
    f = makeFixture();
    // Local edits that do not overlap the template's, but touch the lines next to them: a release
    // bumped the version, the team added a dependency right below aws-cdk-lib (which v2 bumps) and
    // a script; and a line in infra/stack.ts.
    const pkg = JSON.parse(f.read('package.json')) as {
      version: string;
      scripts: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    pkg.version = '1.0.1';
    pkg.scripts.bench = 'node bench.mjs';
    pkg.devDependencies['aws-cdk-lib-extra'] = '^1.0.0';
    f.write('package.json', JSON.stringify(pkg, null, 2) + '\n');
    f.write('infra/stack.ts', f.read('infra/stack.ts').replace(/\n}\n$/, `\n${TEAM_LINE}\n}\n`));
    commit(f);
    result = await upgradeMesh(f.root, { target: 'sales/orders', templates: f.templates, migrations: [] });
  });
  after(() => f.cleanup());

  it('merges both files without conflicts', () => {
    assert.equal(result.ok, true, JSON.stringify(result.units[0]!.files.filter((x) => x.action === 'conflict')));
    const actions = Object.fromEntries(result.units[0]!.files.map((x) => [x.path, x.action]));
    assert.equal(actions['package.json'], 'merged');
    assert.equal(actions['infra/stack.ts'], 'merged');
  });

  it("package.json keeps every local edit and takes the template's", () => {
    const pkg = JSON.parse(f.read('package.json')) as {
      version: string;
      scripts: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    assert.equal(pkg.version, '1.0.1');
    assert.equal(pkg.scripts.bench, 'node bench.mjs');
    assert.equal(pkg.devDependencies['aws-cdk-lib-extra'], '^1.0.0');
    assert.equal(`"aws-cdk-lib": "${pkg.devDependencies['aws-cdk-lib']}"`, V2.cdkNew);
    assert.ok(f.read('package.json').endsWith('}\n'));
  });

  it('infra/stack.ts has the template header and the team line', () => {
    const text = f.read('infra/stack.ts');
    assert.ok(text.startsWith(V2.mergedLine + '\n'));
    assert.ok(text.includes(TEAM_LINE));
  });
});

describe('mergeJson', () => {
  it('keys changed on one side are taken; removals kept; nested objects merge by key', () => {
    const base = '{\n  "a": 1,\n  "b": { "x": 1, "y": 1 },\n  "c": 1\n}\n';
    const ours = '{\n  "a": 2,\n  "b": { "x": 1, "y": 1, "z": 1 }\n}\n';
    const theirs = '{\n  "a": 1,\n  "b": { "x": 9, "y": 1 },\n  "c": 1,\n  "d": 1\n}\n';
    const m = mergeJson(ours, base, theirs);
    assert.equal(m.conflicts, 0);
    assert.deepEqual(JSON.parse(m.content), { a: 2, b: { x: 9, y: 1, z: 1 }, d: 1 });
  });
  it('the same key changed differently on both sides: git-style markers on the colliding lines', () => {
    const m = mergeJson('{\n  "a": 2\n}\n', '{\n  "a": 1\n}\n', '{\n  "a": 3\n}\n');
    assert.equal(m.conflicts, 1);
    assert.match(m.content, /<<<<<<< ours[\s\S]*"a": 2[\s\S]*=======[\s\S]*"a": 3[\s\S]*>>>>>>> theirs/);
  });
});
