/**
 * Verify benchmark: the mesh of bench/synth (50 domains × 4 products, bench/mesh/generate.ts)
 * written as a repository, with `consumes` edges between neighbouring domains (whole tables and
 * column lists, so verify has Lake Formation grants to evaluate). Each round synthesizes the
 * whole mesh into a fresh cloud assembly and verifies it: `synthMesh` and `verifyMesh` each in a
 * fresh process (only the call timed), and `mesh synth` / `mesh verify --format json` end to end
 * through the CLI, as a user runs them (the CLI runs the build: dist/). Goal: verify ≤ 25% of synth, measured in the same run.
 * The generated mesh must verify with 0 findings: otherwise the findings are printed, exit 1.
 *
 *   npm run bench:verify              # 50 domains, 3 rounds (or DOMAINS=…, ROUNDS=…)
 *   npm run bench:verify -- 10 5      # domains, rounds
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { VerifyFinding } from '@meshkit/verify';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = fileURLToPath(new URL('../../', import.meta.url));
const GOAL = 0.25;

interface Round {
  synthMs: number;
  synthCliMs: number;
  verifyMs: number;
  verifyCliMs: number;
  stacks: number;
  resources: number;
  products: number;
  principals: number;
  cells: number;
  findings: VerifyFinding[];
  cliFindings: VerifyFinding[];
  phases: Record<string, number>;
}

if (process.argv[2] === 'child') {
  const { runChild } = await import('./child.js');
  console.log(
    JSON.stringify(
      await runChild(process.argv[3] as 'synth' | 'verify' | 'phases', process.argv[4]!, process.argv[5]!),
    ),
  );
} else {
  const domains = Number(process.argv[2] ?? process.env.DOMAINS ?? 50);
  const rounds = Number(process.argv[3] ?? process.env.ROUNDS ?? 3);
  const env = { ...process.env, CDK_VALIDATION: 'false', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
  const mesh = mkdtempSync(join(tmpdir(), 'mesh-verify-bench-'));
  const { writeGeneratedMesh } = await import('../mesh/generate.js');
  writeGeneratedMesh(mesh, domains, { consumes: true });
  const edges = 3 * Math.max(domains - 1, 0);

  const spawn = (args: string[], cwd = root) => {
    const t = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { cwd, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    return { ...r, ms: Number(process.hrtime.bigint() - t) / 1e6 };
  };
  const child = <T>(kind: string, outdir: string): T => {
    const r = spawn(['--conditions=development', '--import', 'tsx', join(here, 'run.ts'), 'child', kind, mesh, outdir]);
    const line = r.stdout.trim().split('\n').pop() ?? '';
    try {
      return JSON.parse(line) as T;
    } catch {
      throw new Error(`benchmark child ${kind} failed (exit ${r.status}):\n${r.stderr.slice(-2000)}`);
    }
  };
  const cli = (args: string[]) => {
    const r = spawn([join(root, 'packages/cli/bin/mesh.js'), ...args], mesh);
    if (r.status !== 0 && r.status !== 1)
      throw new Error(`mesh ${args.join(' ')} failed (exit ${r.status}):\n${r.stderr.slice(-2000)}`);
    return r;
  };

  // The CLI runs the build (dist/); the in-process children run the sources (development condition).
  const newest = (dir: string): number =>
    !existsSync(dir)
      ? 0
      : readdirSync(dir, { recursive: true, encoding: 'utf8' }).reduce(
          (t, f) => Math.max(t, statSync(join(dir, f)).mtimeMs),
          0,
        );
  const stale = ['verify', 'cli', 'mesh-core', 'contracts'].filter(
    (p) => newest(join(root, 'packages', p, 'src')) > newest(join(root, 'packages', p, 'dist')),
  );

  console.log(
    `verify benchmark: ${domains} domains × 4 products, ${edges} consumes edges, ${rounds} rounds, medians, CDK_VALIDATION=false`,
  );
  if (stale.length)
    console.log(
      `  note: dist/ is older than src/ in packages/${stale.join(', packages/')}: the CLI times the last build (npm run build)`,
    );
  const runs: Round[] = [];
  try {
    for (let i = 0; i < rounds; i++) {
      const outdir = mkdtempSync(join(tmpdir(), 'mesh-verify-bench-out-'));
      const cliOut = mkdtempSync(join(tmpdir(), 'mesh-verify-bench-cli-'));
      try {
        const s = child<{ synthMs: number; stacks: number; resources: number; policyErrors: number }>('synth', outdir);
        if (s.policyErrors) throw new Error(`mesh synth of the generated mesh: ${s.policyErrors} policy violation(s)`);
        const synthCli = cli(['synth', '--out', cliOut, '--format', 'json']);
        if (synthCli.status !== 0)
          throw new Error(
            `mesh synth of the generated mesh failed (exit ${synthCli.status}):\n${synthCli.stderr.slice(-2000)}`,
          );
        rmSync(cliOut, { recursive: true, force: true });
        const v = child<{
          verifyMs: number;
          products: number;
          principals: number;
          cells: number;
          findings: VerifyFinding[];
        }>('verify', outdir);
        const verifyCli = cli(['verify', '--assembly', outdir, '--format', 'json']);
        const cliReport = JSON.parse(verifyCli.stdout) as { findings: VerifyFinding[] };
        const phases = child<Record<string, number>>('phases', outdir);
        runs.push({
          synthMs: s.synthMs,
          synthCliMs: synthCli.ms,
          verifyMs: v.verifyMs,
          verifyCliMs: verifyCli.ms,
          stacks: s.stacks,
          resources: s.resources,
          products: v.products,
          principals: v.principals,
          cells: v.cells,
          findings: v.findings,
          cliFindings: cliReport.findings,
          phases,
        });
        const r = runs.at(-1)!;
        console.log(
          `  round ${i + 1}: synth ${r.synthMs.toFixed(0)} ms (mesh synth ${r.synthCliMs.toFixed(0)} ms), verify ${r.verifyMs.toFixed(0)} ms (mesh verify ${r.verifyCliMs.toFixed(0)} ms), ratio ${(r.verifyMs / r.synthMs).toFixed(3)}, ${r.findings.length} finding(s)`,
        );
      } finally {
        rmSync(outdir, { recursive: true, force: true });
        rmSync(cliOut, { recursive: true, force: true });
      }
    }
  } finally {
    rmSync(mesh, { recursive: true, force: true });
  }

  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const m = (f: (r: Round) => number) => median(runs.map(f));
  const first = runs[0]!;
  const synth = m((r) => r.synthMs);
  const synthCli = m((r) => r.synthCliMs);
  const verify = m((r) => r.verifyMs);
  const verifyCli = m((r) => r.verifyCliMs);
  const verdict = (x: number) => `${x.toFixed(3)} (goal ≤ ${GOAL}) ${x <= GOAL ? 'PASS' : 'FAIL'}`;
  console.log(
    `  mesh synth:  ${first.stacks} stacks, ${first.resources} resources, ${synth.toFixed(0)} ms in process (synthMesh), ${synthCli.toFixed(0)} ms end to end (CLI)`,
  );
  console.log(
    `  mesh verify: ${first.products} products, ${first.principals} principals, ${first.cells} matrix cells, ${first.findings.length} finding(s), ${verify.toFixed(0)} ms in process (verifyMesh), ${verifyCli.toFixed(0)} ms end to end (CLI)`,
  );
  const phases = Object.keys(first.phases).map((k) => [k, m((r) => r.phases[k]!)] as const);
  console.log(
    `  verify by phase (fresh process): ${phases.map(([k, v]) => `${k} ${v.toFixed(0)} ms`).join(', ')} (sum ${phases.reduce((t, [, v]) => t + v, 0).toFixed(0)} ms)`,
  );
  console.log(`  ratio verify / synth in process: ${verdict(verify / synth)}`);
  console.log(`  ratio mesh verify / mesh synth end to end: ${verdict(verifyCli / synthCli)}`);
  const bad = runs.find((r) => r.findings.length || r.cliFindings.length);
  if (bad) {
    const fs = bad.findings.length ? bad.findings : bad.cliFindings;
    console.log(
      `\nthe generated mesh must verify with 0 findings; ${fs.length} finding(s) (verifyMesh ${bad.findings.length}, mesh verify ${bad.cliFindings.length}), the first:`,
    );
    for (const f of fs.slice(0, 10)) console.log(`  ${f.id} ${f.stack}/${f.logicalId}: ${f.message}`);
    process.exitCode = 1;
  }
}
