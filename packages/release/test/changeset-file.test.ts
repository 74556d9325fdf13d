import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMeshError } from '@meshkit/contracts';
import { changesetName, isGeneratedFor, largestPending, readPendingChangesets, renderChangeset } from '../src/index.js';

describe('changeset files', () => {
  test('renderChangeset escapes the package name and writes one line per change', () => {
    const text = renderChangeset({
      packageName: '@x/a.b',
      product: 'a/b',
      bump: 'minor',
      baselineVersion: '0.3.0',
      diff: {
        compatible: true,
        mode: 'BACKWARD',
        requiredBump: 'minor',
        changes: [
          {
            rule: 'QUALITY_ADDED',
            severity: 'info',
            path: 'schema[t].quality[q]',
            message: 'quality rule q\nadded',
            breaks: { backward: false, forward: false },
            location: { file: 'f', line: 1, column: 1 },
          },
        ],
      },
    });
    assert.equal(
      text,
      '---\n"@x/a.b": minor\n---\n\nContract of a/b since 0.3.0: 1 compatible change (compatibility mode BACKWARD; minor bump).\n\n' +
        '**Compatible changes**\n\n- `QUALITY_ADDED` at `schema[t].quality[q]`: quality rule q added\n',
    );
  });

  test('readPendingChangesets reads the front matter, skips README and files without it; the largest bump wins', () => {
    const root = mkdtempSync(join(tmpdir(), 'release-changesets-'));
    mkdirSync(join(root, '.changeset'));
    writeFileSync(join(root, '.changeset/README.md'), '---\n"x": major\n---\n');
    writeFileSync(join(root, '.changeset/plain.md'), 'no front matter\n');
    writeFileSync(join(root, '.changeset/b.md'), '---\n"@x/a.b": minor\n"@x/c": patch\n---\n\nSummary b.\n');
    writeFileSync(join(root, '.changeset/a.md'), '---\n"@x/a.b": major\n---\n\nSummary a.\n');
    const pending = readPendingChangesets(root);
    assert.deepEqual(
      pending.map((c) => [c.name, c.releases, c.summary]),
      [
        ['a.md', { '@x/a.b': 'major' }, 'Summary a.'],
        ['b.md', { '@x/a.b': 'minor', '@x/c': 'patch' }, 'Summary b.'],
      ],
    );
    assert.deepEqual(largestPending(pending, '@x/a.b'), { bump: 'major', files: ['a.md'] });
    assert.deepEqual(largestPending(pending, '@x/c'), { bump: 'patch', files: ['b.md'] });
    assert.equal(largestPending(pending, '@x/none'), undefined);
    assert.deepEqual(readPendingChangesets(join(root, 'nowhere')), []);
  });

  test('an unknown bump is a YAML_SYNTAX error naming the file (exit 2)', () => {
    const root = mkdtempSync(join(tmpdir(), 'release-changesets-'));
    mkdirSync(join(root, '.changeset'));
    writeFileSync(join(root, '.changeset/bad.md'), '---\n"@x/a": huge\n---\n');
    assert.throws(
      () => readPendingChangesets(root),
      (e) =>
        isMeshError(e) &&
        e.code === 'YAML_SYNTAX' &&
        e.exitCode === 2 &&
        e.file!.endsWith('bad.md') &&
        /"huge" for @x\/a/.test(e.message),
    );
  });

  test('changesetName hashes the content; isGeneratedFor recognizes only its own names', () => {
    const name = changesetName('sales', 'orders', 'content');
    assert.match(name, /^sales-orders-[0-9a-f]{8}\.md$/);
    assert.equal(changesetName('sales', 'orders', 'content'), name);
    assert.notEqual(changesetName('sales', 'orders', 'other'), name);
    assert.ok(isGeneratedFor(name, 'sales', 'orders'));
    assert.ok(!isGeneratedFor(name, 'sales', 'order'));
    assert.ok(!isGeneratedFor('sales-orders-hand-written.md', 'sales', 'orders'));
  });
});
