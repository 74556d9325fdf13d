/** The version gate: declared bump from the version or the changesets, findings, git baselines. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { stringify } from 'yaml';
import { MeshError } from '../src/errors.js';
import { checkVersion, pendingChangesetBump, readGitBaseline } from '../src/gate/index.js';
import { docWith, load, prop, type Doc } from './diff-helpers.js';
import { tempDir } from './helpers.js';

const v = (version: string, edit: (d: Doc) => void = () => undefined) =>
  docWith((d) => {
    d.version = version;
    edit(d);
  });
const removeNote = (d: Doc): void => {
  d.schema[0].properties = d.schema[0].properties.filter((p: Doc) => p.name !== 'note');
};
const addColumn = (d: Doc): void => {
  d.schema[0].properties.push({ name: 'coupon', logicalType: 'string' });
};
const describeIt = (d: Doc): void => {
  prop(d, 'note').description = 'changed';
};
const gate = (a: Doc, b: Doc, options?: Parameters<typeof checkVersion>[2]) =>
  checkVersion(load(a, 'base.yaml'), load(b, 'contract.yaml'), options);

describe('checkVersion', () => {
  it('accepts a sufficient version bump', () => {
    const r = gate(v('1.2.3'), v('2.0.0', removeNote));
    assert.equal(r.declaredBump, 'major');
    assert.equal(r.declaredFrom, 'version');
    assert.equal(r.diff.requiredBump, 'major');
    assert.equal(r.diff.compatible, false);
    assert.deepEqual(r.findings, []);
    assert.ok(r.ok);
  });
  it('VERSION_BUMP_INSUFFICIENT at the version key of the new file', () => {
    const text = stringify(v('1.3.0', removeNote));
    const r = checkVersion(load(v('1.2.3'), 'base.yaml'), load(text, 'contract.yaml'));
    assert.equal(r.ok, false);
    assert.equal(r.findings.length, 1);
    const f = r.findings[0]!;
    assert.equal(f.rule, 'VERSION_BUMP_INSUFFICIENT');
    assert.equal(f.severity, 'error');
    const line = text.split('\n').findIndex((l) => l.startsWith('version:')) + 1;
    assert.deepEqual([f.location.file, f.location.line, f.location.column], ['contract.yaml', line, 1]);
    assert.match(f.message, /minor bump; the changes need a major bump/);
  });
  it('VERSION_NOT_BUMPED for changed content with the same version and no changeset', () => {
    const r = gate(v('1.2.3'), v('1.2.3', describeIt));
    assert.equal(r.declaredBump, undefined);
    assert.equal(r.declaredFrom, undefined);
    assert.deepEqual(
      r.findings.map((f) => f.rule),
      ['VERSION_NOT_BUMPED'],
    );
  });
  it('a version may move without content changes', () => {
    const r = gate(v('1.2.3'), v('1.3.0'));
    assert.ok(r.ok);
    assert.equal(r.diff.requiredBump, 'none');
  });
  it('same version, no changes: ok', () => {
    assert.ok(gate(v('1.2.3'), v('1.2.3')).ok);
  });
  it('reads the changeset bump when the version did not move', () => {
    const ok = gate(v('1.2.3'), v('1.2.3', addColumn), { changesetBump: 'minor' });
    assert.equal(ok.declaredFrom, 'changeset');
    assert.equal(ok.declaredBump, 'minor');
    assert.ok(ok.ok);
    const low = gate(v('1.2.3'), v('1.2.3', addColumn), { changesetBump: 'patch' });
    assert.deepEqual(
      low.findings.map((f) => f.rule),
      ['VERSION_BUMP_INSUFFICIENT'],
    );
  });
  it('the version wins over the changesets when it moved', () => {
    const r = gate(v('1.2.3'), v('1.2.4', addColumn), { changesetBump: 'major' });
    assert.equal(r.declaredFrom, 'version');
    assert.deepEqual(
      r.findings.map((f) => f.rule),
      ['VERSION_BUMP_INSUFFICIENT'],
    );
  });
  it('below 1.0.0 a minor bump satisfies a breaking change', () => {
    const r = gate(v('0.4.1'), v('0.5.0', removeNote));
    assert.equal(r.diff.requiredBump, 'minor');
    assert.ok(r.ok);
    assert.equal(gate(v('0.4.1'), v('0.4.2', removeNote)).ok, false);
    assert.ok(gate(v('0.4.1'), v('0.4.2', addColumn)).ok);
  });
  it('ignores prerelease tags', () => {
    assert.equal(gate(v('1.2.3'), v('2.0.0-rc.1', removeNote)).declaredBump, 'major');
    const r = gate(v('1.0.0-rc.1'), v('1.0.0', describeIt));
    assert.equal(r.declaredBump, 'none');
    assert.deepEqual(
      r.findings.map((f) => f.rule),
      ['VERSION_BUMP_INSUFFICIENT'],
    );
  });
  it('a lower version declares no bump', () => {
    assert.deepEqual(
      gate(v('1.2.3'), v('1.1.0', addColumn)).findings.map((f) => f.rule),
      ['VERSION_BUMP_INSUFFICIENT'],
    );
  });
  it('passes the mode through', () => {
    const r = gate(v('1.2.3'), v('1.3.0', removeNote), { mode: 'BACKWARD' });
    assert.equal(r.diff.mode, 'BACKWARD');
    assert.ok(r.ok);
  });
  it('a version that is not semver is a MeshError', () => {
    assert.throws(
      () => gate(v('1.2.3'), v('latest', describeIt)),
      (e: unknown) => e instanceof MeshError && e.code === 'INVALID_CONTRACT' && e.file === 'contract.yaml',
    );
  });
});

describe('pendingChangesetBump', () => {
  const repo = (files: Record<string, string>): string => {
    const root = tempDir();
    mkdirSync(join(root, '.changeset'));
    for (const [n, t] of Object.entries(files)) writeFileSync(join(root, '.changeset', n), t);
    return root;
  };
  it('takes the largest bump for the package', () => {
    const root = repo({
      'a.md': '---\n"@acme/sales.orders": patch\n"@acme/other": major\n---\n\nfix\n',
      'b.md': "---\n'@acme/sales.orders': minor\n---\nadd column\n",
      'README.md': '---\n"@acme/sales.orders": major\n---\n',
      'config.json': '{}',
    });
    assert.equal(pendingChangesetBump(root, '@acme/sales.orders'), 'minor');
    assert.equal(pendingChangesetBump(root, '@acme/other'), 'major');
    assert.equal(pendingChangesetBump(root, '@acme/none'), undefined);
  });
  it('undefined without a .changeset folder', () => {
    assert.equal(pendingChangesetBump(tempDir(), '@acme/x'), undefined);
  });
  it('an unknown bump is a MeshError naming the file', () => {
    const root = repo({ 'bad.md': '---\n"@acme/x": huge\n---\n' });
    assert.throws(
      () => pendingChangesetBump(root, '@acme/x'),
      (e: unknown) => e instanceof MeshError && String(e.file).endsWith('bad.md'),
    );
  });
});

describe('readGitBaseline', () => {
  const git = (cwd: string, ...args: string[]): string =>
    execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const setup = (): string => {
    const root = tempDir();
    git(root, 'init', '-q');
    git(root, 'config', 'user.email', 't@example.com');
    git(root, 'config', 'user.name', 't');
    mkdirSync(join(root, 'products'));
    writeFileSync(join(root, 'products', 'contract.odcs.yaml'), 'version: 1.0.0\n');
    git(root, 'add', '.');
    git(root, 'commit', '-q', '-m', 'one');
    writeFileSync(join(root, 'products', 'contract.odcs.yaml'), 'version: 2.0.0\n');
    return root;
  };
  it('returns the file at the ref with a label', () => {
    const root = setup();
    const r = readGitBaseline(join(root, 'products', 'contract.odcs.yaml'), 'HEAD');
    assert.equal(r.text, 'version: 1.0.0\n');
    assert.equal(r.label, 'HEAD:products/contract.odcs.yaml');
  });
  it('an unknown ref is a GIT MeshError with exit 2', () => {
    const root = setup();
    assert.throws(
      () => readGitBaseline(join(root, 'products', 'contract.odcs.yaml'), 'no-such-branch'),
      (e: unknown) =>
        e instanceof MeshError &&
        e.code === 'GIT' &&
        e.exitCode === 2 &&
        /unknown git ref 'no-such-branch'/.test(e.message),
    );
  });
  it('a file absent at the ref is a GIT MeshError', () => {
    const root = setup();
    writeFileSync(join(root, 'products', 'new.odcs.yaml'), 'x: 1\n');
    assert.throws(
      () => readGitBaseline(join(root, 'products', 'new.odcs.yaml'), 'HEAD'),
      (e: unknown) => e instanceof MeshError && e.code === 'GIT' && /does not exist at 'HEAD'/.test(e.message),
    );
  });
  it('outside a repository is a GIT MeshError', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'c.yaml'), 'x: 1\n');
    assert.throws(
      () => readGitBaseline(join(dir, 'c.yaml'), 'HEAD'),
      (e: unknown) => e instanceof MeshError && e.code === 'GIT' && /not inside a git repository/.test(e.message),
    );
  });
  it('a ref that looks like an option is refused', () => {
    assert.throws(
      () => readGitBaseline('x.yaml', '--output=/tmp/x'),
      (e: unknown) => e instanceof MeshError && e.code === 'GIT',
    );
  });
});
