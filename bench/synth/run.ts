/**
 * Synth benchmark: a mesh of 50 domains × 4 products (2 batch, 2 stream) built from the
 * @meshkit/core constructs, synthesized with and without the policy pack, against the plain-CDK
 * baseline `shared/bench/raw-cdk-baseline.cjs base 50` (the same kinds of resources without a
 * framework). Every run is a fresh process with CDK_VALIDATION=false; variants alternate; medians.
 *
 *   npm run bench:synth              # 50 domains, 3 rounds
 *   npm run bench:synth -- 10 5      # domains, rounds
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = fileURLToPath(new URL('../../', import.meta.url));

interface Run { variant: string; resources: number; constructMs: number; synthMs: number; msPerResource: number; findings?: number; err?: string }

if (process.argv[2] === 'child') {
  const { runChild } = await import('./child.js');
  console.log(JSON.stringify(await runChild(process.argv[3] as 'meshkit' | 'meshkit-pack', Number(process.argv[4]))));
} else {
  const domains = Number(process.argv[2] ?? 50);
  const rounds = Number(process.argv[3] ?? 3);
  const env = { ...process.env, CDK_VALIDATION: 'false', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
  const baselineScript = [join(root, '../shared/bench/raw-cdk-baseline.cjs'), join(root, 'bench/synth/raw-cdk-baseline.cjs')].find(existsSync);
  const runs: Record<string, Run[]> = { baseline: [], meshkit: [], 'meshkit-pack': [] };
  const once = (args: string[]): Run => {
    const r = spawnSync(process.execPath, args, { cwd: root, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const line = r.stdout.trim().split('\n').pop() ?? '';
    try { return JSON.parse(line) as Run; } catch { throw new Error(`benchmark child failed (${args.join(' ')}):\n${r.stderr.slice(-2000)}`); }
  };
  for (let i = 0; i < rounds; i++) {
    if (baselineScript) runs.baseline!.push({ ...once([baselineScript, 'base', String(domains)]), variant: 'baseline' });
    for (const v of ['meshkit', 'meshkit-pack']) {
      runs[v]!.push(once(['--conditions=development', '--import', 'tsx', join(here, 'run.ts'), 'child', v, String(domains)]));
    }
  }
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
  console.log(`synth benchmark: ${domains} domains × 4 products, ${rounds} rounds, medians, CDK_VALIDATION=false`);
  if (baselineScript) console.log(`  plain CDK baseline (${domains} domain stacks): ${base.resources} resources, ${base.total.toFixed(0)} ms, ${base.perResource.toFixed(3)} ms/resource${base.err ? ` (error: ${base.err})` : ''}`);
  console.log(`  meshkit without pack: ${mk.resources} resources, ${mk.total.toFixed(0)} ms, ${mk.perResource.toFixed(3)} ms/resource`);
  console.log(`  meshkit with pack:    ${pack.resources} resources, ${pack.total.toFixed(0)} ms, ${pack.perResource.toFixed(3)} ms/resource${pack.err ? ` (error: ${pack.err})` : ''}`);
  if (baselineScript) console.log(`  ratio meshkit+pack / plain CDK per resource: ${(pack.perResource / base.perResource).toFixed(2)} (goal ≤ 1.15)`);
  console.log(`  policy pack overhead: ${(((pack.perResource / mk.perResource) - 1) * 100).toFixed(1)}% (goal ≤ 15%)`);
}
