/**
 * Scale benchmark (issue 19): every command's cost grows with the work, not faster.
 *
 * Generates two meshes with bench/consumers' generator (`small` and `large` domains × 4 products,
 * default 50 × 4 = 200 and 250 × 4 = 1,000 products), each a git repository, and times each
 * command end to end through the built CLI (packages/cli/bin/mesh.js, a new `node` process per
 * run: start-up, module loading, work, output). Per command it prints the median of `rounds` runs
 * on each mesh and the growth factor small → large (goal ≤ 5.5 for a 5× larger mesh: linear or
 * better), and the floor measured in the same run (`node -e 0`).
 *
 * The machine this runs on is usually shared (2 cores, other jobs): every figure is a median,
 * and the growth factor (same run, same load) is the number to judge, not the absolute times.
 *
 *   npm run bench:scale                      # 3 rounds, 50 and 250 domains
 *   npm run bench:scale -- 1 1 2             # rounds, small domains, large domains (smoke)
 *   SCALE_SYNTH_ALL=1 npm run bench:scale    # also `mesh synth` of the whole mesh (minutes)
 *   KEEP=1 …                                 # keep the generated meshes, print their directory
 *
 * Build first (`npm run build`): it runs the compiled CLI, as users do.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateConsumersMesh } from '../consumers/generate.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MESH = join(ROOT, 'packages/cli/bin/mesh.js');
const rounds = Number(process.argv[2] ?? 3);
const sizes = [Number(process.argv[3] ?? 50), Number(process.argv[4] ?? 250)];
const PER_DOMAIN = 4;
const GROWTH_GOAL = 5.5;
const env = {
  ...process.env,
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  CDK_VALIDATION: 'false',
  CI: '',
  FORCE_COLOR: '0',
};
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

if (!existsSync(join(ROOT, 'packages/cli/dist/index.js'))) {
  console.error('bench/scale: build first (npm run build): packages/cli/dist is missing');
  process.exit(2);
}

/**
 * Runs `mesh <args>` in `cwd` once; returns wall time (ms) and peak RSS (MB, when /usr/bin/time
 * exists). `ok` lists the accepted exit codes (lint and impact exit 1: the mesh has a breaking change).
 */
function mesh(cwd, args, ok = [0]) {
  const argv = TIME ? [TIME, '-f', '@@rss %M', process.execPath, MESH, ...args] : [process.execPath, MESH, ...args];
  const t = performance.now();
  const r = spawnSync(argv[0], argv.slice(1), { cwd, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const ms = performance.now() - t;
  if (!ok.includes(r.status))
    throw new Error(
      `mesh ${args.join(' ')} exited ${r.status ?? r.signal} in ${cwd}:\n${(r.stderr || r.stdout).slice(-2000)}`,
    );
  const rss = /@@rss (\d+)/.exec(r.stderr ?? '');
  return { ms, rssMb: rss ? Number(rss[1]) / 1024 : undefined };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Median wall time and peak RSS of `rounds` runs; `before` runs untimed before each one. */
function timed(cwd, args, { ok, before } = {}) {
  const runs = [];
  for (let i = 0; i < rounds; i++) {
    before?.();
    runs.push(mesh(cwd, args, ok));
  }
  const rss = runs.map((r) => r.rssMb).filter((x) => x !== undefined);
  return { ms: median(runs.map((r) => r.ms)), rssMb: rss.length ? Math.max(...rss) : undefined };
}

/** `mesh catalog serve --port 0`: median time of a product page once warm (after a first request). */
async function servePage(cwd, product) {
  const child = spawn(process.execPath, [MESH, 'catalog', 'serve', '--port', '0', '--format', 'json'], {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const url = await new Promise((resolve, reject) => {
      let out = '';
      let err = '';
      child.stdout.on('data', (d) => {
        out += d;
        const line = out.split('\n').find((l) => l.startsWith('{'));
        if (line) resolve(JSON.parse(line).url);
      });
      child.stderr.on('data', (d) => {
        err += d;
      });
      child.once('exit', (code) => reject(new Error(`mesh catalog serve exited ${code}: ${err}`)));
    });
    const [d, p] = product.split('/');
    const page = new URL(`products/${d}/${p}.html`, url);
    const get = async () => {
      const t = performance.now();
      const r = await fetch(page);
      const body = await r.text();
      if (r.status !== 200 || !body.includes(p)) throw new Error(`GET ${page} answered ${r.status}`);
      return performance.now() - t;
    };
    const cold = await get();
    const warm = [];
    for (let i = 0; i < Math.max(5, rounds * 3); i++) warm.push(await get());
    return { cold, warm: median(warm) };
  } finally {
    child.kill('SIGTERM');
  }
}

function gitInit(dir) {
  const git = (...a) =>
    spawnSync('git', a, {
      cwd: dir,
      stdio: 'ignore',
      env: {
        ...env,
        GIT_AUTHOR_NAME: 'bench',
        GIT_AUTHOR_EMAIL: 'bench@example.com',
        GIT_COMMITTER_NAME: 'bench',
        GIT_COMMITTER_EMAIL: 'bench@example.com',
      },
    });
  git('init', '-q', '.');
  writeFileSync(join(dir, '.gitignore'), '.mesh/\ncdk.out/\nsite/\n');
  git('add', '-A');
  git('commit', '-qm', 'generated mesh');
}

/** Every measurement on one generated mesh of `domains` × 4 products. */
async function measure(domains) {
  const dir = mkdtempSync(join(tmpdir(), `meshkit-bench-scale-${domains * PER_DOMAIN}-`));
  const { target, against } = generateConsumersMesh(dir, domains, PER_DOMAIN);
  gitInit(dir);
  const one = 'domains/d00/products/p01/contract.odcs.yaml';
  const catalogDir = join(dir, '.mesh/catalog');
  const site = join(dir, 'site');
  const m = {};
  m['mesh --version'] = timed(dir, ['--version']);
  m['mesh contract lint <one file>'] = timed(dir, ['contract', 'lint', one]);
  m['mesh lint'] = timed(dir, ['lint'], { ok: [0, 1] });
  m['mesh impact'] = timed(dir, ['impact', target, '--against', against, '--format', 'json'], { ok: [0, 1] });
  m['mesh synth <one product>'] = timed(dir, ['synth', 'd00/p01'], { ok: [0] });
  m['mesh publish --all (new)'] = timed(dir, ['publish', '--all', '--format', 'json'], {
    ok: [0, 1],
    before: () => rmSync(catalogDir, { recursive: true, force: true }),
  });
  m['mesh publish --all (unchanged)'] = timed(dir, ['publish', '--all', '--format', 'json'], { ok: [0, 1] });
  m['mesh catalog export --html'] = timed(dir, ['catalog', 'export', '--html', site, '--format', 'json']);
  const serve = await servePage(dir, 'd00/p01');
  m['catalog serve: product page, warm'] = { ms: serve.warm };
  if (process.env.SCALE_SYNTH_ALL)
    m['mesh synth --fresh (whole mesh)'] = timed(dir, ['synth', '--fresh', '--format', 'json'], { ok: [0, 1] });
  if (process.env.KEEP) console.log(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
  return m;
}

const floor = median(
  Array.from({ length: Math.max(5, rounds) }, () => {
    const t = performance.now();
    spawnSync(process.execPath, ['-e', '0']);
    return performance.now() - t;
  }),
);
const [small, large] = sizes.map((d) => d * PER_DOMAIN);
console.log(
  `scale benchmark: meshes of ${small} and ${large} products (${sizes[0]} and ${sizes[1]} domains × ${PER_DOMAIN}), ${rounds} round(s), medians`,
);
console.log(
  `end to end through the built CLI; node -e 0 takes ${floor.toFixed(0)} ms here (a shared 2-core machine: judge the growth factors, same run)`,
);
const results = [];
for (const d of sizes) results.push(await measure(d));
const rows = Object.keys(results[0]);
const col = Math.max(...rows.map((r) => r.length)) + 2;
const fmt = (x) =>
  (x.ms >= 10000 ? `${(x.ms / 1000).toFixed(1)} s` : `${x.ms.toFixed(0)} ms`) +
  (x.rssMb ? ` ${x.rssMb.toFixed(0)} MB` : '');
console.log(`${'command'.padEnd(col)}${String(small).padStart(16)}${String(large).padStart(16)}   growth`);
let worst = 0;
for (const row of rows) {
  const [a, b] = results.map((r) => r[row]);
  const growth = b.ms / a.ms;
  worst = Math.max(worst, growth);
  console.log(`${row.padEnd(col)}${fmt(a).padStart(16)}${fmt(b).padStart(16)}   ${growth.toFixed(2)}×`);
}
console.log(
  `ratio: worst growth ${small} → ${large} products ${worst.toFixed(2)}× (goal ≤ ${GROWTH_GOAL} for ${(large / small).toFixed(1)}× the products): ${worst <= GROWTH_GOAL ? 'met' : 'NOT met'}`,
);
