/**
 * `mesh impact` over a generated mesh of 200 products (20 domains × 10 products, each of the 30
 * contract columns of a realistic contract, a random consumes DAG of 1–3 edges per product to
 * earlier products, seeded). The change: d00/p00 (the most consumed product) drops the column
 * `amount`, which most of its consumers read; the baseline is its previous contract (--against).
 *
 * Measured, medians of several rounds, in the same run:
 *   - baseline: loading the 200 product manifests and contracts (loadProductManifest + loadContract);
 *   - in process: analyzeImpact (a fresh mesh each round: manifests, served versions, diff,
 *     every direct and transitive consumer);
 *   - end to end: a new `node` process running `mesh impact` on the compiled packages (startup,
 *     module loading, analysis, JSON output): the built CLI (packages/cli/bin/mesh.js) once the
 *     command is wired into it, else the same analysis on packages/consumers/dist (build first).
 * Goal: ≤ 1 s end to end.
 *
 *   node --conditions=development --import tsx bench/consumers/impact.mjs [rounds] [domains] [productsPerDomain]
 *   (KEEP=1 keeps the generated mesh and prints its directory)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findProducts, loadContract, loadProductManifest } from '@meshkit/contracts';
import { analyzeImpact } from '@meshkit/consumers';
import { generateConsumersMesh } from './generate.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

if (process.argv[2] === '--child') {
  // One `mesh impact` run in a fresh process on the compiled packages (dist/), as the built CLI
  // runs: load the modules, analyse, print the JSON report. Used until `mesh impact` is wired
  // into the built CLI (then the bench runs packages/cli/bin/mesh.js itself).
  const [, , , root, target, against] = process.argv;
  const { analyzeImpact: analyze } = await import('@meshkit/consumers');
  const r = await analyze(root, target, { against, cwd: root });
  process.stdout.write(JSON.stringify({ ok: r.breaks === 0, ...r, diff: undefined }) + '\n');
  process.exitCode = r.breaks ? 1 : 0;
} else {
  await main();
}

/** How to run `mesh impact` in a new process: the built CLI when it has the command, else the dist child. */
function e2eCommand(dir, target, against) {
  const bin = join(ROOT, 'packages/cli/bin/mesh.js');
  if (existsSync(join(ROOT, 'packages/cli/dist/commands/impact.js'))) {
    return {
      label: 'mesh impact (built CLI, new process)',
      args: [bin, 'impact', target, '--against', against, '--format', 'json'],
      cwd: dir,
    };
  }
  if (!existsSync(join(ROOT, 'packages/consumers/dist/index.js')))
    throw new Error('build first: npm run build (packages/consumers/dist is missing)');
  return {
    label: 'impact on dist/ (new process)',
    args: [fileURLToPath(import.meta.url), '--child', dir, target, against],
    cwd: ROOT,
  };
}

async function main() {
  const rounds = Number(process.argv[2] ?? 7);
  const domains = Number(process.argv[3] ?? 20);
  const perDomain = Number(process.argv[4] ?? 10);
  const dir = mkdtempSync(join(tmpdir(), 'meshkit-bench-impact-'));
  try {
    const { target, against, edges } = generateConsumersMesh(dir, domains, perDomain);
    const n = domains * perDomain;
    console.log(
      `mesh of ${n} products (${domains} domains × ${perDomain}), ${edges} consumes edges; impact of ${target} dropping 'amount'; ${rounds} rounds, medians`,
    );

    const load = median(rounds, () => {
      for (const p of findProducts(dir)) {
        loadProductManifest(join(p.dir, 'product.yaml'));
        const c = loadContract(join(p.dir, 'contract.odcs.yaml'));
        if (!c.contract) throw new Error(`invalid generated contract ${p.dir}`);
      }
    });
    let report;
    const inProcess = await medianAsync(rounds, async () => {
      report = await analyzeImpact(dir, target, { against, cwd: dir });
    });
    const cmd = e2eCommand(dir, target, against);
    const e2e = median(rounds, () => {
      const r = spawnSync(process.execPath, cmd.args, {
        cwd: cmd.cwd,
        encoding: 'utf8',
        env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      });
      if (r.status !== 1) throw new Error(`mesh impact exited ${r.status}, expected 1 (consumers break): ${r.stderr}`);
      const out = JSON.parse(r.stdout);
      if (out.breaks !== report.breaks) throw new Error('the CLI and the in-process analysis disagree');
    });
    // The process floor: node starting and loading the compiled modules, doing nothing.
    const floor = median(rounds, () => {
      spawnSync(process.execPath, ['--input-type=module', '-e', "await import('@meshkit/consumers')"], { cwd: ROOT });
    });
    const direct = report.consumers.filter((c) => c.direct).length;
    console.log(
      `consumers: ${report.consumers.length} (${direct} direct), ${report.breaks} break, ${report.affected} affected`,
    );
    console.log(`baseline  load 200 manifests + contracts   ${ms(load)}`);
    console.log(
      `in process  analyzeImpact                   ${ms(inProcess)}   ratio ${(inProcess / load).toFixed(2)}× the load baseline`,
    );
    console.log(
      `end to end  ${cmd.label.padEnd(36)}${ms(e2e)}   ratio ${(e2e / load).toFixed(2)}× the load baseline; process start + module load alone ${ms(floor)}`,
    );
    console.log(
      `end to end over the process floor: ${(e2e / floor).toFixed(2)}× (${ms(e2e - floor).trim()} of module loading and analysis beyond start-up)`,
    );
    console.log(
      `goal ≤ 1000 ms end to end: ${e2e <= 1000 ? 'met' : 'NOT met'} (a loaded machine inflates the process times: compare with the floor)`,
    );
  } finally {
    if (!process.env.KEEP) rmSync(dir, { recursive: true, force: true });
    else console.log(dir);
  }
}

function median(n, fn) {
  const times = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[Math.floor(n / 2)];
}

async function medianAsync(n, fn) {
  const times = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[Math.floor(n / 2)];
}

function ms(x) {
  return `${x.toFixed(0).padStart(5)} ms`;
}
