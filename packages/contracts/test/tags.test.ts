import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkDomainTags,
  checkProductTags,
  loadMeshConfig,
  manifestTags,
  MeshError,
  requirementLevel,
  stackInputsHash,
  tagValueProblem,
  type TagRequirement,
} from '../src/index.js';
import { tempDir, tempFile } from './helpers.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const STEWARD: TagRequirement = { key: 'data-steward', pattern: '^[a-z.-]+@example\\.com$', enforceFrom: '2030-01-01' };
const REQS: TagRequirement[] = [
  { key: 'domain' },
  { key: 'owner' },
  STEWARD,
  { key: 'tier', values: ['gold', 'silver'], default: 'silver' },
];

describe('mandatory tags of mesh.config.yaml', () => {
  test('policy.tags: keys as strings or objects; the six built-in keys by default', () => {
    const cfg = loadMeshConfig(
      tempFile(
        'mesh.config.yaml',
        'organisation: Acme\nnpmScope: "@acme"\npolicy:\n  tags:\n    - owner\n    - key: data-steward\n      pattern: "^x$"\n',
      ),
    ).value;
    assert.deepEqual(cfg.policy.tags, [{ key: 'owner' }, { key: 'data-steward', pattern: '^x$' }]);
    const def = loadMeshConfig(tempFile('mesh.config.yaml', 'organisation: Acme\nnpmScope: "@acme"\n')).value;
    assert.deepEqual(
      def.policy.tags!.map((r) => r.key),
      ['domain', 'product', 'owner', 'classification', 'cost-center', 'contract-version'],
    );
  });

  test('a pattern that does not compile, a key given twice: refused at their line', () => {
    const bad = (text: string) => {
      try {
        loadMeshConfig(
          tempFile('mesh.config.yaml', `organisation: Acme\nnpmScope: "@acme"\npolicy:\n  tags:\n${text}`),
        );
      } catch (e) {
        assert.ok(e instanceof MeshError);
        return `${e.line}:${e.column} ${e.message}`;
      }
      assert.fail('expected an error');
    };
    assert.match(
      bad('    - key: a\n      pattern: "(["\n'),
      /^6:16 policy\.tags\[0\]\.pattern is not a valid regular expression/,
    );
    assert.match(bad('    - owner\n    - key: owner\n'), /^6:12 policy\.tags: the tag key 'owner' is listed twice/);
  });

  test('a missing key: warning before enforceFrom, error from it (UTC day); a key with a default is never missing', () => {
    const before = checkProductTags(REQS, {}, { domain: 'sales', name: 'orders' }, new Date('2029-12-31T23:59:59Z'));
    assert.deepEqual(
      before.map((f) => [f.rule, f.level, f.enforceFrom]),
      [['MANIFEST-TAG-REQUIRED', 'warning', '2030-01-01']],
    );
    const on = checkProductTags(REQS, {}, { domain: 'sales', name: 'orders' }, new Date('2030-01-01T00:00:00Z'));
    assert.deepEqual(
      on.map((f) => [f.rule, f.level]),
      [['MANIFEST-TAG-REQUIRED', 'error']],
    );
    assert.equal(requirementLevel({}, new Date(0)), 'error');
  });

  test("a product inherits the domain's value; its own value is checked against the pattern and allowed values", () => {
    const now = new Date('2031-01-01');
    assert.deepEqual(
      checkProductTags(REQS, { tags: { 'data-steward': 'a@example.com' } }, { domain: 'd', name: 'p' }, now),
      [],
    );
    const wrong = checkProductTags(
      REQS,
      {},
      { domain: 'd', name: 'p', tags: { 'data-steward': 'Bob', tier: 'bronze' } },
      now,
    );
    assert.deepEqual(
      wrong.map((f) => [f.rule, f.path.join('.')]),
      [
        ['MANIFEST-TAG-VALUE', 'tags.data-steward'],
        ['MANIFEST-TAG-VALUE', 'tags.tier'],
      ],
    );
    assert.match(wrong[1]!.message, /'bronze', not one of the allowed values \(gold, silver\)/);
    const reserved = checkDomainTags(REQS, { name: 'd', tags: { owner: 'x', 'data-steward': 'a@example.com' } }, now);
    assert.deepEqual(
      reserved.map((f) => [f.rule, f.key]),
      [['MANIFEST-TAG-RESERVED', true]],
    );
    assert.equal(tagValueProblem(STEWARD, '-'), undefined, 'the not-applicable value of platform stacks');
    assert.match(
      checkProductTags(REQS, {}, { domain: 'd', name: 'p', tags: { 'data-steward': '-' } }, now)[0]!.message,
      /reserves for stacks/,
    );
  });

  test('manifestTags: defaults, then domain, then product; platform stacks get the default or -', () => {
    assert.deepEqual(manifestTags(REQS), { 'data-steward': '-', tier: 'silver' });
    assert.deepEqual(manifestTags(REQS, { 'data-steward': 'd@example.com', team: 'x' }, { tier: 'gold' }), {
      'data-steward': 'd@example.com',
      tier: 'gold',
      team: 'x',
    });
    assert.deepEqual(manifestTags(REQS, {}, {}), { tier: 'silver' });
  });
});

describe('policy packs in the inputs digest', () => {
  test("a pack's sources change every stack's digest; its tests, README and node_modules do not", () => {
    const root = tempDir();
    writeFileSync(join(root, 'mesh.config.yaml'), 'organisation: Acme\nnpmScope: "@acme"\n');
    const pack = join(root, 'platform', 'policies');
    mkdirSync(join(pack, 'src'), { recursive: true });
    mkdirSync(join(pack, 'test'), { recursive: true });
    mkdirSync(join(pack, 'node_modules', 'x'), { recursive: true });
    writeFileSync(join(pack, 'src', 'index.ts'), 'export const rules = [];');
    writeFileSync(join(pack, 'package.json'), '{"version":"1.0.0"}');
    const base = stackInputsHash(root, undefined, undefined, [pack]);
    assert.notEqual(base, stackInputsHash(root), 'the pack is an input');
    writeFileSync(join(pack, 'test', 'a.test.ts'), 'x');
    writeFileSync(join(pack, 'README.md'), 'docs');
    writeFileSync(join(pack, 'node_modules', 'x', 'index.js'), 'x');
    assert.equal(stackInputsHash(root, undefined, undefined, [pack]), base);
    writeFileSync(join(pack, 'src', 'index.ts'), 'export const rules = [1];');
    assert.notEqual(stackInputsHash(root, undefined, undefined, [pack]), base);
    writeFileSync(join(pack, 'src', 'index.ts'), 'export const rules = [];');
    writeFileSync(join(pack, 'package.json'), '{"version":"1.1.0"}');
    assert.notEqual(stackInputsHash(root, undefined, undefined, [pack]), base, 'a version bump is a change');
  });
});
