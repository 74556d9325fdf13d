// The work of a parallel `mesh synth` (synth-parallel.ts): the units cached on their own, the
// tasks (apps) a worker is given, and synthTasks, which builds each task's app and splits its
// assembly into the units' cache folders — run by this process and by each worker (synth-worker.ts).
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MeshErrorCode } from '@meshkit/contracts';
import { buildMeshApp, type LoadedPolicyRules, type MeshModel, type MeshStackInfo } from '@meshkit/core';
import { importsOf, splitAssembly } from './synth-assembly.js';
import { loadCustomizations, loadDomainCustomizations, loadMeshPolicyRules } from './synth.js';

/** Where the synthesized units are kept between runs, under the repository root. */
export const SYNTH_CACHE_DIR = '.mesh/synth-cache';

/**
 * One unit of a parallel synth, cached on its own: the platform (and replica) stacks, one
 * domain's foundation stack, or one product's stack.
 */
export interface SynthUnit {
  /** `PLATFORM_UNIT` (synth-parallel.ts), the domain name (its foundation), or `<domain>/<product>`. */
  name: string;
  kind: 'platform' | 'foundation' | 'product';
  /** Digest of everything the unit's template is made from (see `unitKeys` in synth-parallel.ts). */
  key: string;
  /** Cache folder of the unit: `key`, `stacks.json`, the unit's own cloud assembly `out/` (a foundation also `imports`). */
  dir: string;
}

/**
 * One app a worker builds and synthesizes, its assembly then split into `units`: the platform
 * stacks, or a domain's foundation with `products` (all of them when the foundation is among
 * the units: its exports are what its products import).
 */
export interface SynthTask {
  /** The domain built; absent: the platform stacks. */
  domain?: string;
  /** Products of `domain` built (names). */
  products: string[];
  units: SynthUnit[];
}

/** What one worker is asked to do. */
export interface WorkerJob {
  root: string;
  environmentName?: string;
  /** `--now` (ISO 8601): the clock the mesh is loaded with (tag `enforceFrom`). @default the current time */
  now?: string;
  tasks: SynthTask[];
}

/** What a worker answers (one message per unit, then done), over the IPC channel. */
export type WorkerMessage =
  | { unit: string; stacks: MeshStackInfo[] }
  | {
      error: {
        code?: MeshErrorCode;
        message: string;
        file?: string;
        line?: number;
        column?: number;
        exitCode?: 1 | 2;
        stack?: string;
      };
    };

/**
 * Synthesizes tasks one after another in this process (a worker's job): each task's app —
 * `buildMeshApp` of the whole mesh restricted to the task's domain and products (or the
 * platform stacks) — into a temporary assembly in the cache, split into its units (each
 * `<unit dir>/out`, then its `stacks.json`, a foundation's `imports`, then its `key` — last: a
 * unit without its key is synthesized again). The organisation's policy packs are loaded unless
 * given (`policy`).
 */
export async function synthTasks(
  job: WorkerJob,
  mesh: MeshModel,
  onUnit: (unit: string, stacks: MeshStackInfo[]) => void | Promise<void>,
  policy?: LoadedPolicyRules,
): Promise<void> {
  if (!job.tasks.length) return;
  const environment = job.environmentName === undefined ? undefined : mesh.config.environments[job.environmentName];
  const names = new Set(job.tasks.flatMap((t) => (t.domain ? [t.domain] : [])));
  const part = { ...mesh, domains: mesh.domains.filter((d) => names.has(d.name)) };
  const customize = await loadCustomizations(part);
  const customizeDomain = await loadDomainCustomizations(part);
  const rules = policy ?? (await loadMeshPolicyRules(mesh));
  const cacheRoot = join(job.root, SYNTH_CACHE_DIR);
  for (const [i, task] of job.tasks.entries()) {
    const temp = join(cacheRoot, `.tmp-${process.pid}-${i}`);
    rmSync(temp, { recursive: true, force: true });
    for (const u of task.units) rmSync(u.dir, { recursive: true, force: true });
    const platform = task.domain === undefined;
    const { app, stacks } = buildMeshApp({
      mesh,
      outdir: temp,
      policies: 'report',
      platform,
      domains: platform ? [] : [task.domain!],
      ...(platform ? {} : { products: task.products.map((p) => `${task.domain}/${p}`) }),
      rules: rules.rules,
      policyInputs: rules.inputs,
      ...(customize ? { customize } : {}),
      ...(customizeDomain ? { customizeDomain } : {}),
      ...(environment ? { environment } : {}),
      ...(job.environmentName ? { environmentName: job.environmentName } : {}),
    });
    app.synth();
    const stacksOf = (u: SynthUnit) =>
      stacks.filter((s) =>
        u.kind === 'platform'
          ? true
          : u.kind === 'foundation'
            ? s.kind === 'domain'
            : `${s.domain}/${s.product}` === u.name && s.kind === 'product',
      );
    splitAssembly(
      temp,
      task.units.map((u) => ({ out: join(u.dir, 'out'), stacks: stacksOf(u).map((s) => s.stackName) })),
    );
    for (const u of task.units) {
      const own = stacksOf(u);
      writeFileSync(join(u.dir, 'stacks.json'), JSON.stringify(own));
      if (u.kind === 'foundation')
        writeFileSync(
          join(u.dir, 'imports'),
          importsOf(
            task.domain!,
            task.products.map((product) => ({ product, out: temp })),
          ),
        );
      writeFileSync(join(u.dir, 'key'), u.key);
      await onUnit(u.name, own);
    }
    rmSync(temp, { recursive: true, force: true });
  }
}
