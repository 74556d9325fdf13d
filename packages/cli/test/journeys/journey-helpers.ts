// Golden journeys: scripts of `mesh` calls (the built CLI, packages/cli/bin/mesh.js) in a fresh
// temporary git repository, asserting the output and exit code of every step.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/mesh.js', import.meta.url));
const REPO_CONFIG = fileURLToPath(new URL('../../../../mesh.config.yaml', import.meta.url));

/** A step's result. */
export interface Step {
  code: number | null;
  out: string;
  err: string;
}

/** A fresh repository: mesh.config.yaml of this repository, `git init`, one commit. */
export function freshRepo(prefix: string) {
  const root = mkdtempSync(join(tmpdir(), prefix));
  copyFileSync(REPO_CONFIG, join(root, 'mesh.config.yaml'));
  writeFileSync(join(root, '.gitignore'), '.mesh/\ncdk.out/\nnode_modules/\n');
  const git = (...args: string[]) =>
    execFileSync(
      'git',
      ['-c', 'user.name=journey', '-c', 'user.email=journey@example.com', '-c', 'commit.gpgsign=false', ...args],
      { cwd: root, encoding: 'utf8', stdio: 'pipe' },
    ).trim();
  git('init', '-q');
  const commit = (message: string) => {
    git('add', '-A');
    git('commit', '-qm', message, '--allow-empty');
  };
  commit('empty mesh');
  /**
   * Runs `mesh <args>` and asserts its exit code (and, when given, that stdout+stderr match each pattern).
   */
  const mesh = (args: string[], expect: { code: number; match?: RegExp[]; noMatch?: RegExp[] }): Step => {
    const r = spawnSync(process.execPath, [BIN, ...args], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    const step = { code: r.status, out: r.stdout, err: r.stderr };
    const text = step.out + step.err;
    assert.equal(
      step.code,
      expect.code,
      `mesh ${args.join(' ')} exited ${step.code}, expected ${expect.code}:\n${text.slice(0, 3000)}`,
    );
    for (const m of expect.match ?? []) assert.match(text, m, `mesh ${args.join(' ')}`);
    for (const m of expect.noMatch ?? []) assert.doesNotMatch(text, m, `mesh ${args.join(' ')}`);
    if (!/^(?:run|contract|impact|lint)\b/.test(args[0] ?? ''))
      assert.doesNotMatch(step.err, /^\s+at .*\(.*:\d+:\d+\)$/m, 'no stack trace');
    return step;
  };
  const edit = (file: string, fn: (text: string) => string) => {
    const p = join(root, file);
    const before = readFileSync(p, 'utf8');
    const after = fn(before);
    assert.notEqual(after, before, `the edit of ${file} changed nothing`);
    writeFileSync(p, after);
  };
  return { root, git, commit, mesh, edit, read: (file: string) => readFileSync(join(root, file), 'utf8') };
}
