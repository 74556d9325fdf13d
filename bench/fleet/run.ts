/**
 * Fleet benchmark: `mesh fleet --format json` against `mesh policy report --format json` (its
 * baseline, measured in the same run) over the generated mesh of 50 domains × 4 products
 * (bench/mesh/generate.ts, the synth and consumers benchmarks' mesh) with an organisation pack.
 * Every run is a fresh process on the workspace sources; the two commands alternate; medians.
 * Goal: fleet ≤ 2× policy report.
 *
 *   node --conditions=development --import tsx bench/fleet/run.ts [domains=50] [rounds=3]
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { writeGeneratedMesh } from '../mesh/generate.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const domains = Number(process.argv[2] ?? 50);
const rounds = Number(process.argv[3] ?? 3);
const dir = mkdtempSync(join(tmpdir(), 'meshkit-bench-fleet-'));
try {
  writeGeneratedMesh(dir, domains);
  // The organisation's pack, installed as a repository installs it (node_modules/@example/policies).
  mkdirSync(join(dir, 'node_modules', '@example'), { recursive: true });
  for (const name of readdirSync(join(root, 'node_modules')))
    if (name !== '@example') symlinkSync(join(root, 'node_modules', name), join(dir, 'node_modules', name));
  symlinkSync(join(root, 'platform', 'policies'), join(dir, 'node_modules', '@example', 'policies'));
  appendFileSync(join(dir, 'mesh.config.yaml'), 'policy:\n  packs: ["@example/policies"]\n');
  writeFileSync(join(dir, 'package.json'), '{"private":true,"type":"module"}\n');
  const env = { ...process.env, CDK_VALIDATION: 'false', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
  const loader = pathToFileURL(join(root, 'node_modules/tsx/dist/esm/index.mjs')).href;
  const cli = join(root, 'bench/fleet/cli.mjs');
  const once = (args: string[]): number => {
    const t0 = performance.now();
    const r = spawnSync(
      process.execPath,
      ['--conditions=development', '--import', loader, cli, ...args, '--format', 'json'],
      { cwd: dir, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
    );
    const ms = performance.now() - t0;
    if (r.status !== 0 && r.status !== 1)
      throw new Error(`mesh ${args.join(' ')} failed (exit ${r.status}):\n${r.stderr.slice(-2000)}`);
    JSON.parse(r.stdout);
    return ms;
  };
  const report: number[] = [];
  const fleet: number[] = [];
  for (let i = 0; i < rounds; i++) {
    report.push(once(['policy', 'report']));
    fleet.push(once(['fleet']));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const r = median(report);
  const f = median(fleet);
  console.log(`fleet benchmark: ${domains} domains × 4 products, ${rounds} rounds, medians, new process per run`);
  console.log(`  mesh policy report (baseline): ${r.toFixed(0)} ms`);
  console.log(`  mesh fleet:                    ${f.toFixed(0)} ms`);
  console.log(`  ratio fleet / policy report: ${(f / r).toFixed(2)} (goal ≤ 2)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
