#!/usr/bin/env node
// Checks what a workspace package would publish (run from the package's directory; part of its
// `lint` task): publint on the packed files (exports, types, files, format of each entry point),
// then @arethetypeswrong/cli on the tarball `npm pack` makes (the types a consumer's TypeScript
// resolves — node16 ESM and bundler; the packages are ESM-only, so require() from CommonJS and
// node10 resolution are not checked). Both run offline. And a package that declares a licence
// ships the repository's LICENSE. Exit 1 on any error or warning.
//
// One exception, by design: a subpath under `./test/` that has no `default` condition is a test
// helper shared with another package of this repository, resolvable only with the `development`
// condition; it is never published, so "file not published" is expected there.
//
//   cd packages/<pkg> && node ../../scripts/check-package.mjs
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';

const dir = process.cwd();
const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
if (pkg.private) {
  console.log(`${pkg.name}: private, not published — nothing to check`);
  process.exit(0);
}

const internalTestExport = (path) =>
  path[0] === 'exports' && String(path[1]).startsWith('./test/') && !('default' in (pkg.exports?.[path[1]] ?? {}));

const { messages } = await publint({ pkgDir: dir, level: 'suggestion', strict: true, pack: 'npm' });
let failed = 0;
for (const m of messages) {
  if (m.code === 'FILE_NOT_PUBLISHED' && internalTestExport(m.path)) continue;
  const serious = m.type !== 'suggestion';
  if (serious) failed++;
  console.log(`${pkg.name}: publint ${m.type}: ${formatMessage(m, pkg) ?? m.code}`);
}

// npm always packs a LICENSE file of the package's directory (never one of the repository root).
if (pkg.license) {
  const license = join(dir, 'LICENSE');
  const root = join(dir, '..', '..', 'LICENSE');
  if (!existsSync(license)) {
    failed++;
    console.log(
      `${pkg.name}: says "license": "${pkg.license}" but ships no LICENSE file (copy the repository's LICENSE)`,
    );
  } else if (existsSync(root) && readFileSync(license, 'utf8') !== readFileSync(root, 'utf8')) {
    failed++;
    console.log(`${pkg.name}: LICENSE differs from the repository's LICENSE`);
  }
}

const attw = createRequire(import.meta.url)
  .resolve('@arethetypeswrong/cli/package.json')
  .replace(/package\.json$/, 'dist/index.js');
const internal = Object.keys(pkg.exports ?? {}).filter((key) => internalTestExport(['exports', key]));
const args = [
  '--pack',
  '.',
  '--profile',
  'esm-only',
  '--format',
  'ascii',
  '--no-color',
  ...(internal.length ? ['--exclude-entrypoints', ...internal] : []),
];
const r = spawnSync(process.execPath, [attw, ...args], { cwd: dir, encoding: 'utf8' });
if (r.status !== 0) {
  failed++;
  process.stdout.write(r.stdout + r.stderr);
}
console.log(failed ? `${pkg.name}: ${failed} packaging problem(s)` : `${pkg.name}: publint and attw: no problems`);
process.exit(failed ? 1 : 0);
