#!/usr/bin/env node
// `npm test`: builds, typechecks and tests every workspace package through turbo, cached per
// package (an unchanged package is a cache hit and its log is replayed), plus the tests outside the
// workspaces (scripts/) as the root task `test:repo`; then prints ONE closing line for the
// whole run, `N passed, N failed[, N skipped]`, summed from each test task's log: node's test runner
// ends every run with its own counts, and turbo caches that log and restores it on a hit, so a
// cached package counts its tests too.
//
//   node scripts/test.mjs [turbo args…]     every package (e.g. --filter=@meshkit/contracts, --force)
//   node scripts/test.mjs --repo [node args]  the root task: the tests under scripts/
//   node scripts/test.mjs --soak [node args]  the opt-in soak and fault-volume tests (test/*.soak.ts)
//   node scripts/test.mjs --bench [node args] the opt-in benchmark smoke test (bench/test/): every
//                                             benchmark at a tiny size (~70 s; `.ci/run` runs it)
//
// Every turbo run of the repository is in loose env mode (turbo.json `envMode`): the mode is part of
// a task's hash, so `npm ci`'s build (the `prepare` script) is a cache hit here.
//
// CPU: each package's test task runs its test files in TEST_CONCURRENCY node processes (default:
// the number of cores, set here and read by scripts/test-files.mjs, the packages' `test` script),
// each importing its share of the files: not one process per file, whose start-up (node, tsx,
// aws-cdk-lib) was most of the suite's CPU. Turbo runs twice as many tasks as there are cores
// (`--concurrency`): much of a test task's time is waiting (a JVM, moto, Chromium, Verdaccio
// starting), and with two the long tasks (runtime's Spark parity, the CLI's) waited for slots
// held by short ones.
//
// CDK_VALIDATION=false (unless set): aws-cdk-lib's built-in CloudFormation validation (a WASM engine,
// ~5 s of CPU to start in every process that synthesizes, then more per template) is off, as
// `mesh synth` runs it. It only ever warns (aws-cdk-lib downgrades its errors to warnings unless
// the app sets @aws-cdk/core:validateAgainstDefaultRules), so no test can fail or pass by it; the
// templates are checked by cfn-lint and checkov (packages/mesh-core/test/validators.test.ts).
// It was most of the test CPU of @meshkit/core (one synthesizing process per test file).
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { existsSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const concurrency = String(process.env.TEST_CONCURRENCY ?? availableParallelism());
const env = {
  ...process.env,
  FORCE_COLOR: '0',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  TURBO_TELEMETRY_DISABLED: '1',
  TEST_CONCURRENCY: concurrency,
  CDK_VALIDATION: process.env.CDK_VALIDATION ?? 'false',
};
const [mode, ...rest] = process.argv.slice(2);

function* walk(dir, pattern) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* walk(p, pattern);
    else if (pattern.test(name) && p.includes(`${'/'}test${'/'}`)) yield p;
  }
}

const TEST_FILE = /\.test\.(ts|mjs|js)$/;

/** The files under `dirs` (relative to the root) whose name matches `pattern`, in a `test/` folder, sorted. */
function testFiles(dirs, pattern) {
  return dirs
    .map((d) => join(root, d))
    .filter(existsSync)
    .flatMap((d) => [...walk(d, pattern)])
    .sort()
    .map((f) => relative(root, f));
}

/** Runs node:test on `files` (paths relative to the root) with the spec reporter and the closing line. */
function nodeTest(files, extra) {
  if (!files.length) {
    console.log('no test files\n\n0 passed, 0 failed');
    return 0;
  }
  const args = [
    '--conditions=development',
    '--import',
    'tsx',
    '--test',
    `--test-concurrency=${concurrency}`,
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=./scripts/summary-reporter.mjs',
    '--test-reporter-destination=stdout',
    ...extra,
    ...files,
  ];
  return spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit', env }).status ?? 1;
}

if (mode === '--repo') {
  // Tests that belong to no workspace package.
  process.exit(nodeTest(testFiles(['scripts'], TEST_FILE), rest));
}

if (mode === '--bench') {
  // Benchmarks stay alive: each runs at a tiny size (they run the built packages: build first).
  process.exit(nodeTest(testFiles(['bench'], TEST_FILE), rest));
}

if (mode === '--soak') {
  const files = testFiles(
    ['packages', 'domains', 'generators', 'platform', 'scripts', 'bench'],
    /\.soak\.(ts|mjs|js)$/,
  );
  process.exit(nodeTest(files, ['--test-concurrency=1', ...rest]));
}

// ---- npm test: everything through turbo ----
const workspaceDirs = () => {
  const globs = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).workspaces;
  const dirs = [];
  const expand = (base, parts) => {
    if (!parts.length) return existsSync(join(root, base, 'package.json')) && dirs.push(base);
    const [head, ...tail] = parts;
    if (head !== '*') return expand(join(base, head), tail);
    if (!existsSync(join(root, base))) return;
    for (const name of readdirSync(join(root, base)).sort()) {
      if (statSync(join(root, base, name)).isDirectory()) expand(join(base, name), tail);
    }
  };
  for (const g of globs) expand('', g.split('/'));
  return dirs;
};
const logs = [
  ...workspaceDirs().map((d) => ({ name: d, file: join(root, d, '.turbo', 'turbo-test.log') })),
  {
    name: '(root) test:repo',
    file: join(root, '.turbo', 'turbo-test$colon$repo.log') /* turbo's name for the log of test:repo */,
  },
];
// A log left by an earlier run must not be counted: turbo writes (or, on a cache hit, restores)
// the log of every test task it runs this time.
for (const { file } of logs) rmSync(file, { force: true });

/** `turbo run <tasks>` over the repository (or what `mode`/`rest` select), its logs grouped per task. */
const turboRun = (tasks, extra = []) =>
  spawnSync(
    process.execPath,
    [
      join(root, 'node_modules', 'turbo', 'bin', 'turbo'),
      'run',
      ...tasks,
      '--continue=dependencies-successful',
      '--log-order=grouped',
      `--concurrency=${2 * availableParallelism()}`,
      ...extra,
      ...(mode ? [mode] : []),
      ...rest,
    ],
    { cwd: root, stdio: 'inherit', env },
  );
// The builds first (cache hits after `npm ci`), then the checks alone (`--only`): in one run the
// builds, hits or not, queued for slots behind long test tasks, and the CLI's tests (its build
// waits for every package's) started a minute late.
const build = turboRun(['build']);
const turbo = turboRun(['typecheck', 'test', 'test:repo'], ['--only']);

/** node's own closing counts (spec `ℹ pass 3` or TAP `# pass 3`), from the last summary in a log. */
function counts(text) {
  const lines = text.split(/\r?\n/);
  let start = -1;
  for (let i = lines.length - 1; i >= 0 && start < 0; i--) if (/^(ℹ|#) tests \d+$/.test(lines[i])) start = i;
  if (start < 0) return undefined;
  const c = {};
  for (const line of lines.slice(start, start + 10)) {
    const m = /^(?:ℹ|#) (\w+) (\d+)/.exec(line);
    if (m) c[m[1]] = Number(m[2]);
  }
  return c;
}

let passed = 0,
  failed = 0,
  skipped = 0;
const unreadable = [];
for (const { name, file } of logs) {
  if (!existsSync(file)) continue; // not part of this run (filtered out, no test script, or its build failed)
  const c = counts(readFileSync(file, 'utf8'));
  if (!c) {
    unreadable.push(name);
    continue;
  }
  passed += c.pass ?? 0;
  failed += (c.fail ?? 0) + (c.cancelled ?? 0);
  skipped += (c.skipped ?? 0) + (c.todo ?? 0);
}
if (unreadable.length) console.log(`\nno test summary in the log of: ${unreadable.join(', ')} (the test run crashed?)`);
const taskFailed = build.status !== 0 || turbo.status !== 0;
if (taskFailed && failed === 0) console.log('\na build, typecheck or test task failed (see above)');
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(taskFailed || failed || unreadable.length ? 1 : 0);
