#!/usr/bin/env node
// Runs every test of the repository in one node:test run (TypeScript through tsx, workspace
// packages resolved to their sources with the `development` condition) and ends with the line
// `N passed, N failed`. Extra arguments are passed to node (e.g. --test-name-pattern=diff).
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const roots = ['packages', 'generators', 'platform', 'domains', 'bench', 'scripts'].map((d) => join(root, d)).filter(existsSync);

function* walk(dir) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* walk(p);
    else if (/\.test\.(ts|mjs|js)$/.test(name) && p.includes(`${'/'}test${'/'}`)) yield p;
  }
}

const files = roots.flatMap((r) => [...walk(r)]).sort().map((f) => relative(root, f));
if (!files.length) {
  console.error('no test files found');
  process.exit(1);
}
const args = [
  '--conditions=development', '--import', 'tsx', '--test', '--test-concurrency=2',
  '--test-reporter=spec', '--test-reporter-destination=stdout',
  '--test-reporter=./scripts/summary-reporter.mjs', '--test-reporter-destination=stdout',
  ...process.argv.slice(2), ...files,
];
const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit', env: { ...process.env, FORCE_COLOR: '0', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } });
process.exit(r.status ?? 1);
