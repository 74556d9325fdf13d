/**
 * Synth benchmark: a mesh of 50 domains × 4 products (2 batch, 2 stream) built from the
 * @meshkit/core constructs, synthesized with and without the policy pack, against the plain-CDK
 * baseline `shared/bench/raw-cdk-baseline.cjs base 50` (the same kinds of resources without a
 * framework), and `mesh synth` end to end: the same mesh written as a repository, synthesized by
 * the built CLI in a new process as a user runs it (start-up, loading the mesh, every stack, the
 * policy pack, the cloud assembly on disk). Every run is a fresh process with
 * CDK_VALIDATION=false; variants alternate; medians. Goal: ≤ 1.15× the baseline per resource.
 *
 *   npm run bench:synth              # 50 domains, 3 rounds
 *   npm run bench:synth -- 10 5      # domains, rounds
 *
 * The baseline script is looked up in MESHKIT_RAW_CDK_BASELINE, then shared/bench/ next to the
 * repository (or next to the worktree folder), then bench/synth/; without it the ratio line
 * compares with the constructs alone. Build first (`npm run build`): the CLI runs dist/.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = fileURLToPath(new URL('../../', import.meta.url));

interface Run {
  variant: string;
  resources: number;
  constructMs: number;
  synthMs: number;
  msPerResource: number;
  findings?: number;
  err?: string;
}

if (process.argv[2] === 'child') {
  const { runChild } = await import('./child.js');
  console.log(JSON.stringify(await runChild(process.argv[3] as 'meshkit' | 'meshkit-pack', Number(process.argv[4]))));
} else {
  const domains = Number(process.argv[2] ?? 50);
  const rounds = Number(process.argv[3] ?? 3);
  const env = { ...process.env, CDK_VALIDATION: 'false', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
  const baselineScript = [
    process.env.MESHKIT_RAW_CDK_BASELINE ?? '',
    join(root, '../shared/bench/raw-cdk-baseline.cjs'),
    join(root, '../../shared/bench/raw-cdk-baseline.cjs'),
    join(root, 'bench/synth/raw-cdk-baseline.cjs'),
  ].find((f) => f && existsSync(f));
  const runs: Record<string, Run[]> = { baseline: [], meshkit: [], 'meshkit-pack': [], 'mesh synth': [] };
  const bin = join(root, 'packages/cli/bin/mesh.js');
  if (!existsSync(join(root, 'packages/cli/dist/program.js')))
    throw new Error('build first (npm run build): the end-to-end run uses the built CLI');
  const repo = mkdtempSync(join(tmpdir(), 'mesh-synth-e2e-'));
  const { writeGeneratedMesh } = await import('../mesh/generate.js');
  writeGeneratedMesh(repo, domains);
  /** `mesh synth` of the whole generated mesh in a new process: wall time, resources in the assembly. */
  const endToEnd = (): Run => {
    const out = join(repo, `cdk.out`);
    rmSync(out, { recursive: true, force: true });
    const t = performance.now();
    const r = spawnSync(process.execPath, [bin, 'synth', '--fresh', '--format', 'json'], {
      cwd: repo,
      env,
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    });
    const ms = performance.now() - t;
    if (r.status !== 0)
      throw new Error(`mesh synth failed (exit ${r.status}):\n${(r.stderr || r.stdout).slice(-2000)}`);
    let resources = 0;
    for (const f of readdirSync(out)) {
      if (f.endsWith('.template.json'))
        resources += Object.keys(
          (JSON.parse(readFileSync(join(out, f), 'utf8')) as { Resources?: object }).Resources ?? {},
        ).length;
    }
    return { variant: 'mesh synth', resources, constructMs: 0, synthMs: ms, msPerResource: ms / resources };
  };
  const once = (args: string[]): Run => {
    const r = spawnSync(process.execPath, args, { cwd: root, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const line = r.stdout.trim().split('\n').pop() ?? '';
    try {
      return JSON.parse(line) as Run;
    } catch {
      throw new Error(`benchmark child failed (${args.join(' ')}):\n${r.stderr.slice(-2000)}`);
    }
  };
  for (let i = 0; i < rounds; i++) {
    if (baselineScript)
      runs.baseline!.push({ ...once([baselineScript, 'base', String(domains)]), variant: 'baseline' });
    for (const v of ['meshkit', 'meshkit-pack']) {
      runs[v]!.push(
        once(['--conditions=development', '--import', 'tsx', join(here, 'run.ts'), 'child', v, String(domains)]),
      );
    }
    runs['mesh synth']!.push(endToEnd());
  }
  // Again after editing one contract: only the units whose inputs changed are synthesized (a large mesh).
  const contract = join(repo, 'domains/domain-0/products/product-1/contract.odcs.yaml');
  writeFileSync(contract, readFileSync(contract, 'utf8').replace(/^(\s+description: )(.*)$/m, '$1$2 (edited)'));
  const t = performance.now();
  const edited = spawnSync(process.execPath, [bin, 'synth', '--format', 'json'], {
    cwd: repo,
    env,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  const editedMs = performance.now() - t;
  const units =
    edited.status === 0
      ? (JSON.parse(edited.stdout) as { units?: { synthesized: string[]; cached: string[] } }).units
      : undefined;
  rmSync(repo, { recursive: true, force: true });
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const m = (v: string) => ({
    perResource: median(runs[v]!.map((r) => r.msPerResource)),
    resources: runs[v]![0]?.resources ?? 0,
    total: median(runs[v]!.map((r) => r.constructMs + r.synthMs)),
    err: runs[v]!.find((r) => r.err)?.err,
  });
  const base = m('baseline');
  const mk = m('meshkit');
  const pack = m('meshkit-pack');
  const e2e = m('mesh synth');
  console.log(`synth benchmark: ${domains} domains × 4 products, ${rounds} rounds, medians, CDK_VALIDATION=false`);
  if (baselineScript)
    console.log(
      `  plain CDK baseline (${domains} domain stacks): ${base.resources} resources, ${base.total.toFixed(0)} ms, ${base.perResource.toFixed(3)} ms/resource${base.err ? ` (error: ${base.err})` : ''}`,
    );
  console.log(
    `  meshkit without pack: ${mk.resources} resources, ${mk.total.toFixed(0)} ms, ${mk.perResource.toFixed(3)} ms/resource`,
  );
  console.log(
    `  meshkit with pack:    ${pack.resources} resources, ${pack.total.toFixed(0)} ms, ${pack.perResource.toFixed(3)} ms/resource${pack.err ? ` (error: ${pack.err})` : ''}`,
  );
  console.log(
    `  mesh synth end to end: ${e2e.resources} resources, ${e2e.total.toFixed(0)} ms, ${e2e.perResource.toFixed(3)} ms/resource (built CLI, new process, policy pack, assembly written)`,
  );
  console.log(
    `  mesh synth after editing one contract: ${editedMs.toFixed(0)} ms, ${units ? `units synthesized: ${units.synthesized.join(', ') || 'none'} (${units.cached.length} from the cache)` : 'one app (fewer domains than the parallel threshold): everything synthesized'}`,
  );
  if (baselineScript)
    console.log(
      `  ratio meshkit+pack / plain CDK per resource: ${(pack.perResource / base.perResource).toFixed(2)} (goal ≤ 1.15)`,
    );
  if (baselineScript)
    console.log(
      `  ratio mesh synth end to end / plain CDK per resource: ${(e2e.perResource / base.perResource).toFixed(2)} (goal ≤ 1.15)`,
    );
  else
    console.log(
      `  ratio mesh synth end to end / constructs in process per resource: ${(e2e.perResource / pack.perResource).toFixed(2)} (no plain-CDK baseline script found)`,
    );
  console.log(`  policy pack overhead: ${((pack.perResource / mk.perResource - 1) * 100).toFixed(1)}% (goal ≤ 15%)`);
}
