// release → mesh check exits 0: `mesh version` bumps a managed package.json (a domain foundation's
// version) and `mesh check` tells that release from a hand edit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyExampleMesh, ROOT as REPO } from '@meshkit/testing';
import { run, bufferIo } from '../src/index.js';

async function mesh(args: string[], cwd: string) {
  const io = bufferIo(cwd);
  const code = await run(args, io);
  return { code, out: io.out, err: io.err };
}

test('release → mesh check exits 0 (the version bump of a managed package.json is not drift); a hand edit still fails', async () => {
  const root = copyExampleMesh({ prefix: 'mesh-release-check-' });
  mkdirSync(join(root, '.changeset'));
  cpSync(join(REPO, '.changeset/config.json'), join(root, '.changeset/config.json'));
  writeFileSync(
    join(root, 'package.json'),
    JSON.stringify(
      { name: 'release-check', private: true, workspaces: ['domains/*/foundation', 'domains/*/products/*'] },
      null,
      2,
    ),
  );
  const git = (...a: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...a], {
      cwd: root,
      stdio: 'pipe',
      encoding: 'utf8',
    });
  git('init', '-q', '-b', 'main');
  git('add', '.');
  git('commit', '-qm', 'before the release');
  assert.equal((await mesh(['check'], root)).code, 0);

  writeFileSync(
    join(root, '.changeset', 'sales-foundation.md'),
    '---\n"@example/sales.foundation": patch\n---\n\nStricter key rotation.\n',
  );
  const version = await mesh(['version'], root);
  assert.equal(version.code, 0, version.out + version.err);
  const foundation = join(root, 'domains/sales/foundation/package.json');
  assert.equal((JSON.parse(readFileSync(foundation, 'utf8')) as { version: string }).version, '0.1.1');

  const check = await mesh(['check'], root);
  assert.equal(check.code, 0, check.out + check.err);
  assert.match(check.out, /released {2}domains\/sales\/foundation\/package\.json: versions bumped by a release/);

  const pkg = JSON.parse(readFileSync(foundation, 'utf8')) as { scripts: Record<string, string> };
  pkg.scripts.deploy = 'cdk deploy';
  writeFileSync(foundation, JSON.stringify(pkg, null, 2) + '\n');
  const edited = await mesh(['check'], root);
  assert.equal(edited.code, 1);
  assert.match(edited.out, /edited {4}domains\/sales\/foundation\/package\.json: managed file edited by hand/);
});
