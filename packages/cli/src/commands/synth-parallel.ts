import { fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, linkSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MeshError, stackInputsHash, type MeshErrorCode } from '@meshkit/contracts';
import { buildMeshApp, loadMesh, productClassification, validateAssembly, type LoadedPolicyRules, type MeshModel, type MeshStackInfo } from '@meshkit/core';
import { loadCustomizations, loadDomainCustomizations, loadMeshPolicyRules, type SynthResult } from './synth.js';

/**
 * Meshes of at least this many domains are synthesized by `mesh synth` (the whole mesh) in
 * parallel, one unit per domain (and one for the platform stacks), each unit cached.
 */
export const PARALLEL_MIN_DOMAINS = 8;

/** Name of the unit of the platform (and replica) stacks: not a valid domain name, so never a domain's. */
export const PLATFORM_UNIT = '_platform';

/** Where the synthesized units are kept between runs, under the repository root. */
export const SYNTH_CACHE_DIR = '.mesh/synth-cache';

/** One unit of a parallel synth: the platform stacks, or one domain's foundation and products. */
export interface SynthUnit {
  /** {@link PLATFORM_UNIT}, or the domain name. */
  name: string;
  /** Digest of everything the unit's templates are made from (see {@link unitKeys}). */
  key: string;
  /** Cache folder of the unit: `key`, `stacks.json` and the unit's own cloud assembly `out/`. */
  dir: string;
}

/** What one worker is asked to do. */
export interface WorkerJob {
  root: string;
  environmentName?: string;
  /** `--now` (ISO 8601): the clock the mesh is loaded with (tag `enforceFrom`). @default the current time */
  now?: string;
  units: SynthUnit[];
}

/** What a worker answers (one message per unit, then done), over the IPC channel. */
export type WorkerMessage =
  | { unit: string; stacks: MeshStackInfo[] }
  | { error: { code?: MeshErrorCode; message: string; file?: string; line?: number; column?: number; exitCode?: 1 | 2; stack?: string } };

const require = createRequire(import.meta.url);
/** Versions of what turns inputs into templates: a new Meshkit or CDK invalidates the cache. */
function toolchain(): string {
  const version = (name: string) => {
    try { return (require(`${name}/package.json`) as { version: string }).version; } catch { return '?'; }
  };
  return JSON.stringify([version('@meshkit/core'), version('aws-cdk-lib'), version('@meshkit/contracts')]);
}

/**
 * The cache key of each unit: the toolchain, the environment, `mesh.config.yaml`, and
 * - platform: every domain and product manifest, contract version and classification (what the
 *   platform stacks list: domains, restricted and critical products);
 * - a domain: its domain.yaml, its foundation's `foundation/stack.ts` and every file of its
 *   products (`stackInputsHash`), the inputs of each product of another domain its products
 *   consume (table names, columns) and of each product of another domain that consumes them
 *   (cross-account shares).
 * The organisation's policy packs (`policyInputs`) are inputs of every unit.
 */
export function unitKeys(mesh: MeshModel, environmentName: string | undefined, policyInputs: readonly string[] = []): Map<string, string> {
  const base = [toolchain(), environmentName ?? '', stackInputsHash(mesh.root, undefined, undefined, policyInputs)];
  const foundation = (d: MeshModel['domains'][number]) => {
    const file = join(d.dir, 'foundation', 'stack.ts');
    return existsSync(file) ? createHash('sha256').update(readFileSync(file)).digest('hex') : 'absent';
  };
  const digest = (parts: unknown[]) => createHash('sha256').update(JSON.stringify([...base, ...parts])).digest('hex').slice(0, 32);
  const productInputs = new Map<string, string>();
  const byRef = new Map<string, MeshModel["domains"][number]["products"][number]>(mesh.domains.flatMap((d) => d.products.map((p) => [`${d.name}/${p.name}`, p] as const)));
  const inputs = (ref: string) => {
    let h = productInputs.get(ref);
    if (h === undefined) {
      const p = byRef.get(ref);
      h = p ? stackInputsHash(mesh.root, p.domain, p.dir) : 'absent';
      productInputs.set(ref, h);
    }
    return h;
  };
  const consumers = new Map<string, string[]>();
  for (const p of byRef.values()) for (const c of p.manifest.consumes) consumers.set(c.product, [...(consumers.get(c.product) ?? []), `${p.domain}/${p.name}` as string]);
  const keys = new Map<string, string>();
  keys.set(PLATFORM_UNIT, digest(['platform', mesh.domains.map((d) => [d.name, d.manifest, d.products.map((p) => [p.name, p.manifest, p.contract.version, productClassification(p.manifest, p.contract)])])]));
  for (const d of mesh.domains) {
    const refs = d.products.map((p) => `${d.name}/${p.name}`);
    const related = new Set<string>();
    for (const p of d.products) for (const c of p.manifest.consumes) related.add(c.product);
    for (const ref of refs) for (const c of consumers.get(ref) ?? []) related.add(c);
    for (const ref of refs) related.delete(ref);
    keys.set(d.name, digest(['domain', d.name, stackInputsHash(mesh.root, d.name), foundation(d), refs.map((r) => [r, inputs(r)]), [...related].sort().map((r) => [r, inputs(r)])]));
  }
  return keys;
}

/** Options of {@link synthMeshParallel}. */
export interface ParallelSynthOptions {
  environmentName?: string;
  /** Worker processes. @default the machine's available parallelism (at most the units to build) */
  workers?: number;
  /** Ignore the cache: synthesize every unit. @default false */
  fresh?: boolean;
  /** Clock of the tag requirements and the policy pack (`--now`). @default the current time */
  now?: Date;
  /** Progress: units done of the units to synthesize. */
  onProgress?: (done: number, total: number, unit: string) => void;
}

/**
 * `mesh synth` of a whole (large) mesh: one unit per domain (its foundation and products) and
 * one for the platform stacks; units whose inputs did not change since the last run are taken
 * from the cache ({@link SYNTH_CACHE_DIR}), the others synthesized in parallel — one share by
 * this process, one by each worker process (each loads the mesh once and synthesizes its units
 * one after another) — then the
 * units' cloud assemblies are merged into `outdir` (one manifest, one tree) and the policy pack
 * runs over it, as for a single app. Templates are the same as one app's: stacks of different
 * domains never reference each other (consumes resolve by name).
 * @returns the synth result, plus the units synthesized and the units taken from the cache.
 */
export async function synthMeshParallel(root: string, outdir: string, options: ParallelSynthOptions = {}): Promise<SynthResult & { mesh: MeshModel; policy: LoadedPolicyRules; synthesized: string[]; cached: string[] }> {
  process.env.CDK_VALIDATION ??= 'false'; // as synthMesh: this process synthesizes a share too
  const now = options.now;
  const mesh = loadMesh(root, {}, now ? { now } : {});
  if (options.environmentName !== undefined && !mesh.config.environments[options.environmentName]) {
    throw new MeshError('USAGE', `unknown environment '${options.environmentName}' (mesh.config.yaml environments: ${Object.keys(mesh.config.environments).join(', ') || 'none'})`);
  }
  const cacheRoot = join(root, SYNTH_CACHE_DIR, options.environmentName ?? 'default');
  const policy = await loadMeshPolicyRules(mesh);
  const keys = unitKeys(mesh, options.environmentName, policy.inputs);
  const units: SynthUnit[] = [...keys].map(([name, key]) => ({ name, key, dir: join(cacheRoot, name) }));
  // Units of domains that are gone are not kept.
  if (existsSync(cacheRoot)) for (const name of readdirSync(cacheRoot)) if (!keys.has(name)) rmSync(join(cacheRoot, name), { recursive: true, force: true });
  const fresh = (u: SynthUnit) => !options.fresh && existsSync(join(u.dir, 'key')) && readFileSync(join(u.dir, 'key'), 'utf8') === u.key && existsSync(join(u.dir, 'stacks.json'));
  const todo = units.filter((u) => !fresh(u));
  // The biggest units first, dealt round-robin: workers finish at about the same time.
  const size = (u: SynthUnit) => (u.name === PLATFORM_UNIT ? 1 : mesh.domains.find((d) => d.name === u.name)?.products.length ?? 1);
  const ordered = [...todo].sort((a, b) => size(b) - size(a));
  const workers = Math.max(1, Math.min(options.workers ?? availableParallelism(), ordered.length));
  const jobs: SynthUnit[][] = Array.from({ length: workers }, () => []);
  ordered.forEach((u, i) => jobs[i % workers]!.push(u));
  let done = 0;
  const job = (units: SynthUnit[]): WorkerJob => ({ root, ...(options.environmentName ? { environmentName: options.environmentName } : {}), ...(now ? { now: now.toISOString() } : {}), units });
  const onUnit = (unit: string) => options.onProgress?.(++done, todo.length, unit);
  // This process takes the first share itself (it has the mesh and the CDK loaded already); a
  // worker process per other share. The workers are started first, so they run meanwhile.
  const [own = [], ...others] = jobs.filter((j) => j.length);
  const children = others.map((j) => runWorker(job(j), onUnit));
  try {
    await synthUnits(job(own), mesh, (unit) => { onUnit(unit); }, policy);
  } finally {
    await Promise.allSettled(children);
  }
  await Promise.all(children);
  const stacks = mergeAssemblies(units.map((u) => u.dir), outdir);
  return {
    outdir, stacks, mesh, policy,
    report: validateAssembly(outdir, { settings: mesh.config.policy, rules: policy.rules, provenance: policy, ...(now ? { now } : {}) }),
    synthesized: todo.map((u) => u.name), cached: units.filter((u) => !todo.includes(u)).map((u) => u.name),
  };
}

/**
 * Synthesizes units one after another in this process (a worker's job): each unit's app —
 * `buildMeshApp` of the whole mesh restricted to the unit's domain (or the platform stacks) —
 * into `<unit dir>/out`, then its `stacks.json`, then its `key` (last: a unit without its key is
 * synthesized again). The organisation's policy packs are loaded unless given (`policy`).
 */
export async function synthUnits(job: WorkerJob, mesh: MeshModel, onUnit: (unit: string, stacks: MeshStackInfo[]) => void | Promise<void>, policy?: LoadedPolicyRules): Promise<void> {
  if (!job.units.length) return;
  const environment = job.environmentName === undefined ? undefined : mesh.config.environments[job.environmentName];
  const names = new Set(job.units.map((u) => u.name));
  const part = { ...mesh, domains: mesh.domains.filter((d) => names.has(d.name)) };
  const customize = await loadCustomizations(part);
  const customizeDomain = await loadDomainCustomizations(part);
  const rules = policy ?? await loadMeshPolicyRules(mesh);
  for (const unit of job.units) {
    rmSync(unit.dir, { recursive: true, force: true });
    mkdirSync(unit.dir, { recursive: true });
    const platform = unit.name === PLATFORM_UNIT;
    const { app, stacks } = buildMeshApp({
      mesh, outdir: join(unit.dir, 'out'), policies: 'report', platform, domains: platform ? [] : [unit.name], rules: rules.rules, policyInputs: rules.inputs,
      ...(customize ? { customize } : {}), ...(customizeDomain ? { customizeDomain } : {}), ...(environment ? { environment } : {}), ...(job.environmentName ? { environmentName: job.environmentName } : {}),
    });
    app.synth();
    writeFileSync(join(unit.dir, 'stacks.json'), JSON.stringify(stacks));
    writeFileSync(join(unit.dir, 'key'), unit.key);
    await onUnit(unit.name, stacks);
  }
}

/** Runs one worker process over its units; rejects with the worker's MeshError (or a bug's message). */
function runWorker(job: WorkerJob, onUnit: (unit: string) => void): Promise<void> {
  const here = fileURLToPath(import.meta.url);
  const worker = here.replace(/synth-parallel\.(ts|js)$/, (_, ext: string) => `synth-worker.${ext}`);
  return new Promise((resolve, reject) => {
    const child = fork(worker, [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], env: { ...process.env, CDK_VALIDATION: process.env.CDK_VALIDATION ?? 'false' } });
    let stderr = '';
    let failure: Error | undefined;
    child.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('message', (m: WorkerMessage) => {
      if ('unit' in m) onUnit(m.unit);
      else {
        const e = m.error;
        failure = e.code
          ? new MeshError(e.code, e.message, { ...(e.file ? { file: e.file } : {}), ...(e.line ? { line: e.line } : {}), ...(e.column ? { column: e.column } : {}), ...(e.exitCode ? { exitCode: e.exitCode } : {}) })
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

/**
 * Puts `src` (a file or a folder, recursively) at `dest` as hard links: the unit caches and the
 * merged assembly share the files (nothing rewrites an assembly in place: a synth replaces it
 * whole), so merging 50 units costs links, not copies. Copies where linking fails (another device).
 */
function linkTree(src: string, dest: string): void {
  if (statSync(src).isDirectory()) {
    mkdirSync(dest, { recursive: true });
    for (const name of readdirSync(src)) linkTree(join(src, name), join(dest, name));
    return;
  }
  if (existsSync(dest)) return; // the same asset from another unit (content-addressed name)
  try {
    linkSync(src, dest);
  } catch {
    cpSync(src, dest);
  }
}

interface Manifest { version: string; artifacts?: Record<string, { type: string; properties?: { file?: string } }>; [k: string]: unknown }

/**
 * Merges the cloud assemblies of the units (each `<dir>/out`) into `outdir`: every file (templates,
 * asset manifests, assets) hard-linked, the manifests' artifacts joined into one `manifest.json` and
 * their construct trees into one `tree.json`. The merged assembly is written beside `outdir` and
 * renamed into place: never half-written. Returns the stacks of every unit.
 */
export function mergeAssemblies(unitDirs: string[], outdir: string): MeshStackInfo[] {
  const temp = `${outdir}.tmp-${process.pid}`;
  rmSync(temp, { recursive: true, force: true });
  mkdirSync(temp, { recursive: true });
  let manifest: Manifest | undefined;
  const children: Record<string, unknown> = {};
  let tree: { version?: string; tree?: { id: string; path: string; children?: Record<string, unknown> } } | undefined;
  const stacks: MeshStackInfo[] = [];
  for (const dir of unitDirs) {
    const out = join(dir, 'out');
    stacks.push(...JSON.parse(readFileSync(join(dir, 'stacks.json'), 'utf8')) as MeshStackInfo[]);
    const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Manifest;
    const { Tree: _tree, ...artifacts } = m.artifacts ?? {};
    manifest = manifest ? { ...manifest, artifacts: { ...manifest.artifacts, ...artifacts } } : { ...m, artifacts: { ...artifacts } };
    if (existsSync(join(out, 'tree.json'))) {
      const t = JSON.parse(readFileSync(join(out, 'tree.json'), 'utf8')) as NonNullable<typeof tree>;
      tree ??= t;
      Object.assign(children, t.tree?.children ?? {});
    }
    for (const name of readdirSync(out)) {
      if (name === 'manifest.json' || name === 'tree.json') continue;
      linkTree(join(out, name), join(temp, name));
    }
  }
  if (!manifest) throw new Error('no unit to merge');
  if (tree?.tree) {
    writeFileSync(join(temp, 'tree.json'), JSON.stringify({ ...tree, tree: { ...tree.tree, children } }));
    manifest.artifacts = { Tree: { type: 'cdk:tree', properties: { file: 'tree.json' } }, ...manifest.artifacts };
  }
  writeFileSync(join(temp, 'manifest.json'), JSON.stringify(manifest, null, 2));
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(join(outdir, '..'), { recursive: true });
  renameSync(temp, outdir);
  return stacks;
}
