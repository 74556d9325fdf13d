// Benchmarks stay alive (issue 19): every bench/* runs here at a tiny size, as `npm run bench:*`
// runs it, and must complete (exit 0) and print its ratio line. Sizes are far too small to
// judge performance: this only catches a refactor that breaks a benchmark. Opt-in, ~70 s:
// `npm run test:bench` (`.ci/run` runs it). Several benches run the built CLI: build first
// (`npm ci` does).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DEV = ['--conditions=development', '--import', 'tsx'];
const built = existsSync(new URL('../../packages/cli/dist/program.js', import.meta.url));

/** [name, node arguments (from the repository root), the ratio line it must print]. */
const BENCHES = [
  ['contracts', [...DEV, 'bench/contracts/run.ts', '4', '1'], /ratio meshkit\/baseline time: \d/],
  ['consumers/validate', [...DEV, 'bench/consumers/validate.mjs', '500', '1'], /ratio steady shipped\/runtime: +\d/],
  ['consumers/impact', [...DEV, 'bench/consumers/impact.mjs', '1', '2', '3'], /end to end .* ratio \d/],
  ['producer', [...DEV, 'bench/producer/run.ts', '2000', '1'], /validation overhead: .*\(ratio \d/],
  ['run', [...DEV, 'bench/run/run.ts', '2000', '1'], /ratio \d+(\.\d+)?× \(goal/],
  ['scaffold', ['--import', 'tsx', 'bench/scaffold/run.ts', '1'], /ratio mesh new \/ node-plop: \d/],
  ['synth', [...DEV, 'bench/synth/run.ts', '1', '1'], /ratio mesh synth end to end \/ .* per resource: \d/],
  [
    'synth/turbo-cache',
    ['--import', 'tsx', 'bench/synth/turbo-cache.ts'],
    /ratio unchanged \/ cold: \d.*goal: only the edited product re-synthesized: met/,
  ],
  ['verify', [...DEV, 'bench/verify/run.ts', '1', '1'], /ratio mesh verify \/ mesh synth end to end: \d/],
  ['publish', ['bench/publish/index.mjs', '4', '1'], /ratio: \d+(\.\d+)?× the same calls made one at a time/],
  ['scale', ['bench/scale/run.mjs', '1', '1', '2'], /^ratio: worst growth 4 → 8 products \d/m],
  ['fleet', [...DEV, 'bench/fleet/run.ts', '2', '1'], /ratio fleet \/ policy report: \d/],
  ['spark', [...DEV, 'bench/spark/run.ts', '2000', '1'], /ratio Spark \/ DuckDB +\d/],
];

// bench/spark needs PySpark in the project's .venv (bash scripts/setup-python.sh): skipped with a
// message outside CI when it is missing, failed in CI (where .ci/run installs it).
const venvPython = fileURLToPath(new URL('../../.venv/bin/python', import.meta.url));
const pyspark =
  existsSync(venvPython) && spawnSync(venvPython, ['-c', 'import pyspark'], { encoding: 'utf8' }).status === 0;
const skipOf = (name) =>
  name === 'spark' && !pyspark && process.env.CI !== 'true'
    ? 'PySpark is not installed in .venv: run bash scripts/setup-python.sh'
    : false;

const BENCH_ENV = {
  ...process.env,
  CDK_VALIDATION: 'false',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  FORCE_COLOR: '0',
};

/** Runs one benchmark in a new node process from the repository root: its exit and output. */
function runBench(args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env: BENCH_ENV });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr }));
  });
}

// bench/spark spends most of its time starting a JVM: it runs beside the others (which run one
// after the other), not after them.
const early = new Map(
  built
    ? BENCHES.filter(([name]) => name === 'spark' && !skipOf(name)).map(([name, args]) => [name, runBench(args)])
    : [],
);

describe(
  'every benchmark runs (tiny sizes)',
  { skip: !built && 'build first (npm test builds): the benchmarks run the built CLI' },
  () => {
    for (const [name, args, ratio] of BENCHES) {
      it(`bench/${name}`, { timeout: 600_000, skip: skipOf(name) }, async () => {
        const r = await (early.get(name) ?? runBench(args));
        assert.equal(
          r.status,
          0,
          `bench/${name} exited ${r.status ?? r.signal}:\n${(r.stderr || '').slice(-3000)}\n${(r.stdout || '').slice(-2000)}`,
        );
        assert.match(r.stdout, ratio, `bench/${name} printed no ratio line:\n${r.stdout.slice(-2000)}`);
      });
    }
  },
);
