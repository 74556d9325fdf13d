// A fast start: `mesh --version`, `mesh --help` and `mesh contract lint` load only what they use.
// Each command runs in a new process with a module-loading hook that prints every ES module
// loaded; heavy dependencies must not appear. (Time itself is measured by bench/scale, not here.)
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const PROGRAM = fileURLToPath(new URL('../src/program.ts', import.meta.url));
const DEMO = fileURLToPath(new URL('../demo/', import.meta.url));
/** Packages no start-up path may load: the CDK, DuckDB, the AWS SDK, Handlebars, ajv's compiler. */
const HEAVY = [
  'aws-cdk-lib',
  '@duckdb/',
  '@aws-sdk/',
  'handlebars',
  '/ajv/',
  'esbuild',
  '@meshkit/core',
  'mesh-core/',
  '@changesets/',
];

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'mesh-startup-'));
  writeFileSync(
    join(dir, 'hooks.mjs'),
    'export async function load(url, context, next) { console.error(`@@load ${url}`); return next(url, context); }\n',
  );
  writeFileSync(
    join(dir, 'register.mjs'),
    `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(join(dir, 'hooks.mjs')).href)});\n`,
  );
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `mesh <args>` on the sources in a new process; returns its exit code and the modules it loaded. */
function loaded(args: string[], cwd = DEMO): { status: number | null; modules: string[]; stdout: string } {
  const main = `const { run } = await import(${JSON.stringify(pathToFileURL(PROGRAM).href)}); process.exitCode = await run(${JSON.stringify(args)});`;
  const r = spawnSync(
    process.execPath,
    [
      '--conditions=development',
      '--import',
      'tsx',
      '--import',
      pathToFileURL(join(dir, 'register.mjs')).href,
      '--input-type=module',
      '-e',
      main,
    ],
    { cwd, encoding: 'utf8' },
  );
  const modules = [...r.stderr.matchAll(/^@@load (.*)$/gm)]
    .map((m) => m[1]!)
    .filter((u) => !u.includes('/node_modules/tsx/'));
  return { status: r.status, modules, stdout: r.stdout };
}

const heavy = (modules: string[]) => modules.filter((m) => HEAVY.some((h) => m.includes(h)));

describe('start-up path', () => {
  test('--version and --help load commander and the program only', () => {
    for (const args of [['--version'], ['--help'], ['contract', '--help']]) {
      const r = loaded(args);
      assert.equal(r.status, 0, args.join(' '));
      assert.ok(
        r.modules.some((m) => m.endsWith('/src/program.ts')),
        'the hook sees the program',
      );
      assert.deepEqual(heavy(r.modules), [], `mesh ${args.join(' ')}`);
      assert.deepEqual(
        r.modules.filter((m) => m.includes('/contracts/src/')),
        [],
        `mesh ${args.join(' ')} loads no contract code`,
      );
    }
  });

  test('contract lint of one file loads no CDK, DuckDB, AWS SDK, Handlebars or ajv compiler', () => {
    const r = loaded(['contract', 'lint', 'orders.v1.odcs.yaml', '--format', 'json']);
    assert.ok(r.status === 0 || r.status === 1, `exit ${r.status}`);
    assert.ok(
      r.modules.some((m) => m.includes('/contracts/src/lint/')),
      'the lint rules are loaded',
    );
    assert.deepEqual(heavy(r.modules), []);
  });
});
