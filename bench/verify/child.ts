/**
 * One benchmark process over the generated repository `root`, printing JSON:
 * - `synth`: `synthMesh` (what `mesh synth` runs: load, construct, synthesize, policy pack) into `outdir`;
 * - `verify`: `verifyMesh({ assemblyDir: outdir, root })` (what `mesh verify` runs);
 * - `phases`: the same work phase by phase, through the internals of packages/verify.
 * Only the call is timed, not the module imports.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ms = (t: bigint) => Number(process.hrtime.bigint() - t) / 1e6;

export async function runChild(kind: 'synth' | 'verify' | 'phases', root: string, outdir: string): Promise<object> {
  if (kind === 'synth') {
    const { synthMesh } = await import('../../packages/cli/src/commands/synth.js');
    const t = process.hrtime.bigint();
    const { stacks, report } = await synthMesh(root, undefined, outdir);
    const synthMs = ms(t);
    let resources = 0;
    for (const f of readdirSync(outdir).filter((x) => x.endsWith('.template.json'))) {
      resources += Object.keys(
        (JSON.parse(readFileSync(join(outdir, f), 'utf8')) as { Resources?: object }).Resources ?? {},
      ).length;
    }
    return { synthMs, stacks: stacks.length, resources, policyErrors: report.summary.errors };
  }
  if (kind === 'verify') {
    const { verifyMesh } = await import('@meshkit/verify');
    const t = process.hrtime.bigint();
    const r = verifyMesh({ assemblyDir: outdir, root });
    const verifyMs = ms(t);
    return {
      verifyMs,
      stacks: r.stacks.length,
      products: r.products.length,
      principals: r.principals.length,
      cells: r.matrix.length,
      findings: r.findings,
    };
  }
  const { loadCloudAssembly, staleStacks } = await import('@meshkit/verify');
  const { buildModel } = await import('../../packages/verify/src/model.js');
  const { analyseAccess } = await import('../../packages/verify/src/checks/access.js');
  const { checkFlow } = await import('../../packages/verify/src/checks/flow.js');
  const { checkReferences } = await import('../../packages/verify/src/checks/references.js');
  const phase = <T>(f: () => T): [T, number] => {
    const t = process.hrtime.bigint();
    const v = f();
    return [v, ms(t)];
  };
  const [assembly, load] = phase(() => loadCloudAssembly(outdir));
  const [, stale] = phase(() => staleStacks(assembly, root));
  const [model, buildModelMs] = phase(() => buildModel(assembly));
  const [, access] = phase(() => analyseAccess(model));
  const [, flow] = phase(() => checkFlow(model));
  const [, references] = phase(() => checkReferences(model.assembly));
  return { load, stale, buildModel: buildModelMs, access, flow, references };
}
