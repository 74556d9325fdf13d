import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import {
  hasConflictMarkers,
  mergeText,
  migrationsBetween,
  planUpgrade,
  provenanceOf,
  runMigrations,
  type Migration,
  type RenderedFile,
  type TemplateAnswers,
} from '../src/index.js';

describe('mergeText (3-way, node-diff3)', () => {
  const base = 'a\nb\nc\nd\ne\n';
  it('takes a change made on one side only', () => {
    assert.deepEqual(mergeText('a\nB\nc\nd\ne\n', base, base), { content: 'a\nB\nc\nd\ne\n', conflicts: 0 });
    assert.deepEqual(mergeText(base, base, 'a\nb\nc\nd\nE\n'), { content: 'a\nb\nc\nd\nE\n', conflicts: 0 });
  });
  it('combines changes to different lines', () => {
    assert.deepEqual(mergeText('a\nB\nc\nd\ne\n', base, 'a\nb\nc\nd\nE\n'), {
      content: 'a\nB\nc\nd\nE\n',
      conflicts: 0,
    });
  });
  it('takes an identical change on both sides once', () => {
    assert.deepEqual(mergeText('a\nX\nc\nd\ne\n', base, 'a\nX\nc\nd\ne\n'), {
      content: 'a\nX\nc\nd\ne\n',
      conflicts: 0,
    });
  });
  it('wraps different changes to the same line in git-style markers', () => {
    const m = mergeText('a\nours\nc\nd\ne\n', base, 'a\ntheirs\nc\nd\ne\n', { ours: 'ours', theirs: 'theirs 2.0.0' });
    assert.equal(m.conflicts, 1);
    assert.equal(m.content, 'a\n<<<<<<< ours\nours\n=======\ntheirs\n>>>>>>> theirs 2.0.0\nc\nd\ne\n');
    assert.ok(hasConflictMarkers(m.content));
  });
  it('keeps a missing final newline when neither side adds one', () => {
    assert.equal(mergeText('x\ny', 'x\nz', 'x\nz').content, 'x\ny');
    assert.equal(mergeText('X\ny\nz', 'x\ny\nz', 'x\ny\nZ').content, 'X\ny\nZ');
  });
  it('without a base, different contents conflict as a whole', () => {
    const m = mergeText('one\n', '', 'two\n');
    assert.equal(m.conflicts, 1);
    assert.equal(m.content, '<<<<<<< ours (working tree)\none\n=======\ntwo\n>>>>>>> theirs (new template)\n');
  });
  it('does not take ordinary text for markers', () => {
    assert.equal(hasConflictMarkers('a\n=======\nb\n'), false);
  });
});

describe('planUpgrade', () => {
  const answers: TemplateAnswers = { kind: 'product', domain: 'sales', product: 'orders', owner: 't', scope: '@x' };
  const file = (path: string, content: string, cls: RenderedFile['class']): RenderedFile => ({
    path,
    content,
    class: cls,
  });
  const v1 = [file('m.txt', 'm1\n', 'managed'), file('g.txt', 'g\nh\n', 'merged'), file('s.txt', 's1\n', 'seeded')];
  const prov = provenanceOf(v1, answers, '1.0.0');

  it('keeps a hand-edited managed file the template did not change', () => {
    const plan = planUpgrade({
      provenance: prov,
      ours: new Map([
        ['m.txt', 'mine\n'],
        ['g.txt', 'g\nh\n'],
        ['s.txt', 's1\n'],
      ]),
      theirs: v1,
    });
    assert.equal(plan.tree.get('m.txt'), 'mine\n');
    assert.equal(plan.files.find((f) => f.path === 'm.txt')?.action, 'kept');
  });
  it('conflicts on an edited managed file whose base cannot be reproduced', () => {
    const theirs = [file('m.txt', 'm2\n', 'managed'), v1[1]!, v1[2]!];
    const plan = planUpgrade({ provenance: prov, ours: new Map([['m.txt', 'mine\n']]), theirs });
    assert.deepEqual(plan.conflicts, ['m.txt']);
    assert.match(plan.files[1]!.reason ?? '', /base is not reproducible/);
  });
  it('3-way merges an edited managed file when the base is given (and matches the recorded hash)', () => {
    const theirs = [file('m.txt', 'm1\nadded\n', 'managed')];
    const plan = planUpgrade({
      provenance: prov,
      ours: new Map([['m.txt', 'top\nm1\n']]),
      theirs,
      base: (p) => (p === 'm.txt' ? 'm1\n' : undefined),
    });
    assert.equal(plan.tree.get('m.txt'), 'top\nm1\nadded\n');
    const wrong = planUpgrade({
      provenance: prov,
      ours: new Map([['m.txt', 'top\nm1\n']]),
      theirs,
      base: () => 'not the recorded render\n',
    });
    assert.deepEqual(wrong.conflicts, ['m.txt']);
  });
  it('keeps a removed-from-template file that was edited, deletes a pristine one', () => {
    const plan = planUpgrade({
      provenance: prov,
      ours: new Map([
        ['m.txt', 'm1\n'],
        ['g.txt', 'g\nedited\n'],
      ]),
      theirs: [v1[2]!],
    });
    assert.equal(plan.tree.has('m.txt'), false);
    assert.equal(plan.tree.get('g.txt'), 'g\nedited\n');
    assert.equal(plan.files.find((f) => f.path === 'g.txt')?.reason, 'removed from the template but edited locally');
  });
  it('does not overwrite a file the team created at a path new in the template', () => {
    const plan = planUpgrade({
      provenance: prov,
      ours: new Map([['new.txt', 'team\n']]),
      theirs: [...v1, file('new.txt', 'template\n', 'managed'), file('seed.txt', 'x\n', 'seeded')],
    });
    assert.deepEqual(plan.conflicts, ['new.txt']);
    assert.equal(plan.tree.get('seed.txt'), 'x\n');
  });
  it('does not modify the input tree', () => {
    const ours = new Map([['m.txt', 'm1\n']]);
    planUpgrade({ provenance: prov, ours, theirs: [file('m.txt', 'm2\n', 'managed')] });
    assert.equal(ours.get('m.txt'), 'm1\n');
  });
});

describe('migrations', () => {
  const mk = (version: string, id: string): Migration => ({
    version,
    id,
    description: id,
    apply: (t) => {
      if (!t.has(id)) t.set(id, version);
    },
  });
  const list = [mk('1.2.0', 'b'), mk('1.1.0', 'a'), mk('2.0.0', 'c'), mk('1.0.0', 'old')];
  it('selects those after the recorded version up to the target, in version order', () => {
    assert.deepEqual(
      migrationsBetween(list, '1.0.0', '1.2.0').map((m) => m.id),
      ['a', 'b'],
    );
    assert.deepEqual(
      migrationsBetween(list, '1.0.0', '2.0.0').map((m) => m.id),
      ['a', 'b', 'c'],
    );
  });
  it('reports the ones that changed the tree; a second run changes nothing', () => {
    const tree = new Map<string, string>();
    const ctx = {
      from: '1.0.0',
      to: '2.0.0',
      answers: { kind: 'product' as const, domain: 'd1', owner: 'o', scope: '@s' },
    };
    assert.deepEqual(runMigrations(tree, list, ctx), ['a', 'b', 'c']);
    assert.deepEqual(runMigrations(tree, list, ctx), []);
  });
});
