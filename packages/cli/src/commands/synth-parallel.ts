import { fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MeshError, stackInputsHash } from '@meshkit/contracts';
import {
  consumersOf,
  domainAccounts,
  loadMesh,
  productClassification,
  replicatesCurated,
  resolveConsumes,
  validateAssembly,
  type LoadedPolicyRules,
  type MeshModel,
} from '@meshkit/core';
import { importsOf, mergeAssemblies } from './synth-assembly.js';
import {
  SYNTH_CACHE_DIR,
  synthTasks,
  type SynthTask,
  type SynthUnit,
  type WorkerJob,
  type WorkerMessage,
} from './synth-tasks.js';
import { loadMeshPolicyRules, type SynthResult } from './synth.js';

/**
 * Meshes of at least this many domains are synthesized by `mesh synth` (the whole mesh) in
 * parallel worker processes, the stacks cached one unit each (see {@link unitKeys}).
 */
export const PARALLEL_MIN_DOMAINS = 8;

/** Name of the unit of the platform (and replica) stacks: not a valid domain name, so never a domain's. */
export const PLATFORM_UNIT = '_platform';

/** Folder of a domain's foundation unit in the domain's cache folder: not a valid product name. */
const FOUNDATION_DIR = '_foundation';

const require = createRequire(import.meta.url);
/** Versions of what turns inputs into templates: a new Meshkit or CDK invalidates the cache. */
function toolchain(): string {
  const version = (name: string) => {
    try {
      return (require(`${name}/package.json`) as { version: string }).version;
    } catch {
      return '?';
    }
  };
  return JSON.stringify([version('@meshkit/core'), version('aws-cdk-lib'), version('@meshkit/contracts')]);
}

/**
 * The cache key of each unit (by unit name): the toolchain, the environment, `mesh.config.yaml`,
 * the organisation's policy packs (`policyInputs`), and exactly what `buildMeshApp` makes the
 * unit's template from:
 * - platform: the domains and their accounts, and the products that are restricted or replicate
 *   (what the platform and replica stacks list);
 * - a domain's foundation: its domain.yaml, its `foundation/stack.ts` and its account — and,
 *   checked after its products are synthesized, the foundation outputs its products import
 *   (CDK makes an export in the foundation for each attribute a product stack references);
 * - a product: its own files (`stackInputsHash`: contract, product.yaml, SQL, infra …), its
 *   domain.yaml and `foundation/stack.ts` (the foundation it imports from), and what it resolves
 *   from other products: the table and major each consumed range resolves to and the producer's
 *   account, and its cross-account consumers (table, columns, account) — not the producers' or
 *   consumers' whole contracts.
 */
export function unitKeys(
  mesh: MeshModel,
  environmentName: string | undefined,
  policyInputs: readonly string[] = [],
): Map<string, string> {
  const base = [toolchain(), environmentName ?? '', stackInputsHash(mesh.root, undefined, undefined, policyInputs)];
  const environment = environmentName === undefined ? undefined : mesh.config.environments[environmentName];
  const accounts = domainAccounts(mesh, environment, environmentName);
  const accountOf = (domain: string) => accounts.of(domain) ?? environment?.account;
  const foundation = (d: MeshModel['domains'][number]) => {
    const file = join(d.dir, 'foundation', 'stack.ts');
    return existsSync(file) ? createHash('sha256').update(readFileSync(file)).digest('hex') : 'absent';
  };
  const digest = (parts: unknown[]) =>
    createHash('sha256')
      .update(JSON.stringify([...base, ...parts]))
      .digest('hex')
      .slice(0, 32);
  const keys = new Map<string, string>();
  // The platform stacks list the domains, the restricted products and the replicated ones: no other product.
  const listed = (p: MeshModel['domains'][number]['products'][number]) =>
    [p.name, productClassification(p.manifest, p.contract) === 'restricted', replicatesCurated(p)] as const;
  keys.set(
    PLATFORM_UNIT,
    digest([
      'platform',
      mesh.domains.map((d) => [
        d.name,
        accountOf(d.name) ?? null,
        d.products.map(listed).filter(([, restricted, replicated]) => restricted || replicated),
      ]),
    ]),
  );
  for (const d of mesh.domains) {
    const domainInputs = [stackInputsHash(mesh.root, d.name), foundation(d), accountOf(d.name) ?? null];
    keys.set(d.name, digest(['foundation', d.name, ...domainInputs]));
    for (const p of d.products) {
      const here = accountOf(d.name);
      const consumes = resolveConsumes(mesh, p).map((c) => [c, accountOf(c.product.split('/')[0]!) ?? null]);
      const crossAccount = consumersOf(mesh, p).flatMap((c) => {
        const there = accountOf(c.product.split('/')[0]!);
        return there !== here && there !== undefined ? [[c, there]] : [];
      });
      keys.set(
        `${d.name}/${p.name}`,
        digest([
          'product',
          d.name,
          p.name,
          ...domainInputs,
          stackInputsHash(mesh.root, d.name, p.dir),
          consumes,
          crossAccount,
        ]),
      );
    }
  }
  return keys;
}

/** Options of {@link synthMeshParallel}. */
export interface ParallelSynthOptions {
  environmentName?: string;
  /** Worker processes. @default the machine's available parallelism (at most the apps to build) */
  workers?: number;
  /** Ignore the cache: synthesize every unit. @default false */
  fresh?: boolean;
  /** Clock of the tag requirements and the policy pack (`--now`). @default the current time */
  now?: Date;
  /** Progress: units done of the units to synthesize. */
  onProgress?: (done: number, total: number, unit: string) => void;
}

const readIf = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8') : undefined);

/**
 * `mesh synth` of a whole (large) mesh, cached per stack: one unit for the platform stacks, one
 * per domain foundation, one per product (see {@link unitKeys}). Units whose inputs did not
 * change since the last run are taken from the cache ({@link SYNTH_CACHE_DIR}); the stale ones
 * are synthesized in parallel — one app per domain with stale units (its foundation and the
 * stale products; all its products when the foundation is stale), one for the platform; one
 * share of the apps by this process, one by each worker process — and each app's assembly is
 * split into its units. A foundation whose products now import other outputs than when it was
 * synthesized is synthesized again (with all its products) after them. The units' cloud
 * assemblies are merged into `outdir` (one manifest, one tree) and the policy pack runs over
 * it, as for a single app. Templates are the same as one app's: stacks of different domains
 * never reference each other (consumes resolve by name), a product references only its
 * domain's foundation.
 * @returns the synth result, plus the units synthesized and the units taken from the cache.
 */
export async function synthMeshParallel(
  root: string,
  outdir: string,
  options: ParallelSynthOptions = {},
): Promise<SynthResult & { mesh: MeshModel; policy: LoadedPolicyRules; synthesized: string[]; cached: string[] }> {
  process.env.CDK_VALIDATION ??= 'false'; // as synthMesh: this process synthesizes a share too
  const now = options.now;
  const mesh = loadMesh(root, {}, now ? { now } : {});
  if (options.environmentName !== undefined && !mesh.config.environments[options.environmentName]) {
    throw new MeshError(
      'USAGE',
      `unknown environment '${options.environmentName}' (mesh.config.yaml environments: ${Object.keys(mesh.config.environments).join(', ') || 'none'})`,
    );
  }
  const cacheRoot = join(root, SYNTH_CACHE_DIR, options.environmentName ?? 'default');
  const policy = await loadMeshPolicyRules(mesh);
  const plan = planUnits(mesh, unitKeys(mesh, options.environmentName, policy.inputs), cacheRoot);
  pruneCache(cacheRoot, plan.domains);
  const tasks = staleTasks(plan, options.fresh === true);
  const progress = new Progress(
    tasks.reduce((n, t) => n + t.units.length, 0),
    options.onProgress,
  );
  const job = (tasks: SynthTask[]): WorkerJob => ({
    root,
    ...(options.environmentName ? { environmentName: options.environmentName } : {}),
    ...(now ? { now: now.toISOString() } : {}),
    tasks,
  });
  await runShares(tasks, options.workers, job, mesh, policy, progress);
  const again = staleFoundations(plan.domains);
  progress.total += again.length;
  await synthTasks(job(again), mesh, (name) => progress.unitDone(name), policy);
  const stacks = mergeAssemblies(
    plan.units.map((u) => u.dir),
    outdir,
  );
  return {
    outdir,
    stacks,
    mesh,
    policy,
    report: validateAssembly(outdir, {
      settings: mesh.config.policy,
      rules: policy.rules,
      provenance: policy,
      ...(now ? { now } : {}),
    }),
    synthesized: plan.units.filter((u) => progress.synthesized.has(u.name)).map((u) => u.name),
    cached: plan.units.filter((u) => !progress.synthesized.has(u.name)).map((u) => u.name),
  };
}

/** A domain's units: its foundation and its products (in the mesh's order). */
interface DomainUnits {
  domain: MeshModel['domains'][number];
  foundation: SynthUnit;
  products: SynthUnit[];
}

/** Every unit of a parallel synth, with its cache folder and key. */
interface UnitPlan {
  platform: SynthUnit;
  domains: DomainUnits[];
  /** The platform, then each domain's foundation and products. */
  units: SynthUnit[];
}

/** The units of `mesh`, each with its key (of `keys`) and its folder under `cacheRoot`. */
function planUnits(mesh: MeshModel, keys: Map<string, string>, cacheRoot: string): UnitPlan {
  const unit = (name: string, kind: SynthUnit['kind'], dir: string): SynthUnit => ({
    name,
    kind,
    key: keys.get(name)!,
    dir,
  });
  const platform = unit(PLATFORM_UNIT, 'platform', join(cacheRoot, PLATFORM_UNIT));
  const domains = mesh.domains.map((d) => ({
    domain: d,
    foundation: unit(d.name, 'foundation', join(cacheRoot, d.name, FOUNDATION_DIR)),
    products: d.products.map((p) => unit(`${d.name}/${p.name}`, 'product', join(cacheRoot, d.name, p.name))),
  }));
  return { platform, domains, units: [platform, ...domains.flatMap((d) => [d.foundation, ...d.products])] };
}

/** Removes the cached units of domains and products that are gone (and a synth's leftovers). */
function pruneCache(cacheRoot: string, domains: DomainUnits[]): void {
  if (!existsSync(cacheRoot)) return;
  for (const name of readdirSync(cacheRoot)) {
    const d = domains.find((x) => x.domain.name === name);
    if (name === PLATFORM_UNIT) continue;
    if (!d) {
      rmSync(join(cacheRoot, name), { recursive: true, force: true });
      continue;
    }
    if (!statSync(join(cacheRoot, name)).isDirectory()) {
      rmSync(join(cacheRoot, name), { force: true });
      continue;
    }
    const keep = new Set([FOUNDATION_DIR, ...d.domain.products.map((p) => p.name)]);
    for (const entry of readdirSync(join(cacheRoot, name)))
      if (!keep.has(entry)) rmSync(join(cacheRoot, name, entry), { recursive: true, force: true });
  }
}

/**
 * The apps to build for the units whose cached key differs (all of them when `fresh`): the
 * platform; a domain with all its products when its foundation is stale, else with its stale products.
 */
function staleTasks(plan: UnitPlan, fresh: boolean): SynthTask[] {
  const cached = (u: SynthUnit) =>
    !fresh && readIf(join(u.dir, 'key')) === u.key && existsSync(join(u.dir, 'stacks.json'));
  const tasks: SynthTask[] = [];
  if (!cached(plan.platform)) tasks.push({ products: [], units: [plan.platform] });
  for (const d of plan.domains) {
    if (!cached(d.foundation))
      tasks.push({
        domain: d.domain.name,
        products: d.domain.products.map((p) => p.name),
        units: [d.foundation, ...d.products],
      });
    else {
      const stale = d.products.filter((u) => !cached(u));
      if (stale.length)
        tasks.push({
          domain: d.domain.name,
          products: stale.map((u) => u.name.slice(d.domain.name.length + 1)),
          units: stale,
        });
    }
  }
  return tasks;
}

/** Progress of a parallel synth: the units synthesized, reported as they are done. */
class Progress {
  readonly synthesized = new Set<string>();
  #done = 0;

  constructor(
    /** Units to synthesize (grows when foundations are synthesized again). */
    public total: number,
    private readonly onProgress: ParallelSynthOptions['onProgress'],
  ) {}

  unitDone(name: string): void {
    this.synthesized.add(name);
    this.onProgress?.(++this.#done, this.total, name);
  }
}

/**
 * Deals the tasks to `workers` shares, the biggest apps first, round-robin (workers finish at about
 * the same time). This process takes the first share itself (it has the mesh and the CDK loaded
 * already); a worker process each other share, started first, so they run meanwhile.
 */
async function runShares(
  tasks: SynthTask[],
  workerCount: number | undefined,
  job: (tasks: SynthTask[]) => WorkerJob,
  mesh: MeshModel,
  policy: LoadedPolicyRules,
  progress: Progress,
): Promise<void> {
  const ordered = [...tasks].sort((a, b) => b.products.length - a.products.length);
  const workers = Math.max(1, Math.min(workerCount ?? availableParallelism(), ordered.length));
  const shares: SynthTask[][] = Array.from({ length: workers }, () => []);
  ordered.forEach((t, i) => shares[i % workers]!.push(t));
  const [own = [], ...others] = shares.filter((j) => j.length);
  const children = others.map((j) => runWorker(job(j), (name) => progress.unitDone(name)));
  try {
    await synthTasks(job(own), mesh, (name) => progress.unitDone(name), policy);
  } finally {
    await Promise.allSettled(children);
  }
  await Promise.all(children);
}

/** A foundation is fresh only if its products still import what it exported when synthesized: the others, to synthesize again. */
function staleFoundations(domains: DomainUnits[]): SynthTask[] {
  const again: SynthTask[] = [];
  for (const d of domains) {
    const imports = importsOf(
      d.domain.name,
      d.domain.products.map((p, i) => ({ product: p.name, out: join(d.products[i]!.dir, 'out') })),
    );
    if (readIf(join(d.foundation.dir, 'imports')) !== imports)
      again.push({ domain: d.domain.name, products: d.domain.products.map((p) => p.name), units: [d.foundation] });
  }
  return again;
}

/** Runs one worker process over its units; rejects with the worker's MeshError (or a bug's message). */
function runWorker(job: WorkerJob, onUnit: (unit: string) => void): Promise<void> {
  const here = fileURLToPath(import.meta.url);
  const worker = here.replace(/synth-parallel\.(ts|js)$/, (_, ext: string) => `synth-worker.${ext}`);
  return new Promise((resolve, reject) => {
    const child = fork(worker, [], {
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      env: { ...process.env, CDK_VALIDATION: process.env.CDK_VALIDATION ?? 'false' },
    });
    let stderr = '';
    let failure: Error | undefined;
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('message', (m: WorkerMessage) => {
      if ('unit' in m) onUnit(m.unit);
      else {
        const e = m.error;
        failure = e.code
          ? new MeshError(e.code, e.message, {
              ...(e.file ? { file: e.file } : {}),
              ...(e.line ? { line: e.line } : {}),
              ...(e.column ? { column: e.column } : {}),
              ...(e.exitCode ? { exitCode: e.exitCode } : {}),
            })
          : new Error(`mesh synth worker failed: ${e.message}\n${e.stack ?? ''}`);
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (failure) reject(failure);
      else if (code !== 0) reject(new Error(`mesh synth worker exited ${code ?? signal}: ${stderr.slice(-2000)}`));
      else resolve();
    });
    child.send(job);
  });
}
