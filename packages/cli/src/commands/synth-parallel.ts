import { fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MeshError, stackInputsHash, type MeshErrorCode } from '@meshkit/contracts';
import {
  buildMeshApp,
  consumersOf,
  domainAccounts,
  domainStackName,
  loadMesh,
  productClassification,
  productStackName,
  replicatesCurated,
  resolveConsumes,
  validateAssembly,
  type LoadedPolicyRules,
  type MeshModel,
  type MeshStackInfo,
} from '@meshkit/core';
import { loadCustomizations, loadDomainCustomizations, loadMeshPolicyRules, type SynthResult } from './synth.js';

/**
 * Meshes of at least this many domains are synthesized by `mesh synth` (the whole mesh) in
 * parallel worker processes, the stacks cached one unit each (see {@link unitKeys}).
 */
export const PARALLEL_MIN_DOMAINS = 8;

/** Name of the unit of the platform (and replica) stacks: not a valid domain name, so never a domain's. */
export const PLATFORM_UNIT = '_platform';

/** Folder of a domain's foundation unit in the domain's cache folder: not a valid product name. */
const FOUNDATION_DIR = '_foundation';

/** Where the synthesized units are kept between runs, under the repository root. */
export const SYNTH_CACHE_DIR = '.mesh/synth-cache';

/**
 * One unit of a parallel synth, cached on its own: the platform (and replica) stacks, one
 * domain's foundation stack, or one product's stack.
 */
export interface SynthUnit {
  /** {@link PLATFORM_UNIT}, the domain name (its foundation), or `<domain>/<product>`. */
  name: string;
  kind: 'platform' | 'foundation' | 'product';
  /** Digest of everything the unit's template is made from (see {@link unitKeys}). */
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

/**
 * Digest of the foundation outputs the products of `domain` import, in the order they are first
 * imported (product by product in the mesh's order), read from their units' templates: what the
 * foundation's exports are made of, in the order CDK makes them.
 */
function importsOf(domain: string, productUnits: Array<{ product: string; out: string }>): string {
  const prefix = `${domainStackName(domain)}:`;
  const names = new Set<string>();
  for (const { product, out } of productUnits) {
    const file = join(out, `${productStackName(domain, product)}.template.json`);
    if (!existsSync(file)) return 'unknown';
    for (const m of readFileSync(file, 'utf8').matchAll(/"Fn::ImportValue":\s*"([^"]+)"/g))
      if (m[1]!.startsWith(prefix)) names.add(m[1]!);
  }
  return createHash('sha256')
    .update(JSON.stringify([...names]))
    .digest('hex')
    .slice(0, 32);
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
  const keys = unitKeys(mesh, options.environmentName, policy.inputs);
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
  const units = [platform, ...domains.flatMap((d) => [d.foundation, ...d.products])];
  // Units of domains and products that are gone are not kept (nor a synth's leftovers).
  if (existsSync(cacheRoot)) {
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
  const fresh = (u: SynthUnit) =>
    !options.fresh && readIf(join(u.dir, 'key')) === u.key && existsSync(join(u.dir, 'stacks.json'));
  const tasks: SynthTask[] = [];
  if (!fresh(platform)) tasks.push({ products: [], units: [platform] });
  for (const d of domains) {
    if (!fresh(d.foundation))
      tasks.push({
        domain: d.domain.name,
        products: d.domain.products.map((p) => p.name),
        units: [d.foundation, ...d.products],
      });
    else {
      const stale = d.products.filter((u) => !fresh(u));
      if (stale.length)
        tasks.push({
          domain: d.domain.name,
          products: stale.map((u) => u.name.slice(d.domain.name.length + 1)),
          units: stale,
        });
    }
  }
  let total = tasks.reduce((n, t) => n + t.units.length, 0);
  const synthesized = new Set<string>();
  let done = 0;
  const onUnit = (name: string) => {
    synthesized.add(name);
    options.onProgress?.(++done, total, name);
  };
  const job = (tasks: SynthTask[]): WorkerJob => ({
    root,
    ...(options.environmentName ? { environmentName: options.environmentName } : {}),
    ...(now ? { now: now.toISOString() } : {}),
    tasks,
  });
  // The biggest apps first, dealt round-robin: workers finish at about the same time.
  const ordered = [...tasks].sort((a, b) => b.products.length - a.products.length);
  const workers = Math.max(1, Math.min(options.workers ?? availableParallelism(), ordered.length));
  const shares: SynthTask[][] = Array.from({ length: workers }, () => []);
  ordered.forEach((t, i) => shares[i % workers]!.push(t));
  // This process takes the first share itself (it has the mesh and the CDK loaded already); a
  // worker process per other share. The workers are started first, so they run meanwhile.
  const [own = [], ...others] = shares.filter((j) => j.length);
  const children = others.map((j) => runWorker(job(j), onUnit));
  try {
    await synthTasks(
      job(own),
      mesh,
      (name) => {
        onUnit(name);
      },
      policy,
    );
  } finally {
    await Promise.allSettled(children);
  }
  await Promise.all(children);
  // A foundation is fresh only if its products still import what it exported when synthesized.
  const again: SynthTask[] = [];
  for (const d of domains) {
    const imports = importsOf(
      d.domain.name,
      d.domain.products.map((p, i) => ({ product: p.name, out: join(d.products[i]!.dir, 'out') })),
    );
    if (readIf(join(d.foundation.dir, 'imports')) !== imports)
      again.push({ domain: d.domain.name, products: d.domain.products.map((p) => p.name), units: [d.foundation] });
  }
  total += again.length;
  await synthTasks(
    job(again),
    mesh,
    (name) => {
      onUnit(name);
    },
    policy,
  );
  const stacks = mergeAssemblies(
    units.map((u) => u.dir),
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
    synthesized: units.filter((u) => synthesized.has(u.name)).map((u) => u.name),
    cached: units.filter((u) => !synthesized.has(u.name)).map((u) => u.name),
  };
}

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

interface Artifact {
  type: string;
  properties?: { file?: string; templateFile?: string };
  additionalMetadataFile?: string;
  [k: string]: unknown;
}
interface Manifest {
  version: string;
  artifacts?: Record<string, Artifact>;
  [k: string]: unknown;
}
interface TreeFile {
  version?: string;
  tree?: { id: string; path: string; children?: Record<string, unknown> };
}

/**
 * Splits the cloud assembly `out` into parts, each a cloud assembly of some of its stacks
 * (`stacks`, by name) at `part.out`: the stacks' artifacts and their asset manifests' artifacts in
 * its `manifest.json`, their nodes in its `tree.json` (with the app's nodes that are no stack),
 * their files (template, asset manifest, metadata, assets) hard-linked, and the assembly's other
 * files (not of any stack) in every part.
 */
export function splitAssembly(out: string, parts: Array<{ out: string; stacks: string[] }>): void {
  const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Manifest;
  const tree = existsSync(join(out, 'tree.json'))
    ? (JSON.parse(readFileSync(join(out, 'tree.json'), 'utf8')) as TreeFile)
    : undefined;
  const artifacts = manifest.artifacts ?? {};
  const allStacks = Object.entries(artifacts)
    .filter(([, a]) => a.type === 'aws:cloudformation:stack')
    .map(([id]) => id);
  const filesOf = (id: string): string[] => {
    const a = artifacts[id];
    if (!a) return [];
    const files = [a.properties?.file, a.properties?.templateFile, a.additionalMetadataFile].filter(
      (f): f is string => typeof f === 'string',
    );
    if (a.type === 'cdk:asset-manifest' && a.properties?.file) {
      const assets = JSON.parse(readFileSync(join(out, a.properties.file), 'utf8')) as {
        files?: Record<string, { source?: { path?: string } }>;
        dockerImages?: Record<string, { source?: { directory?: string } }>;
      };
      for (const f of Object.values(assets.files ?? {})) if (f.source?.path) files.push(f.source.path);
      for (const f of Object.values(assets.dockerImages ?? {})) if (f.source?.directory) files.push(f.source.directory);
    }
    return files;
  };
  const ofStack = (stack: string) => [stack, `${stack}.assets`].filter((id) => artifacts[id]);
  const claimed = new Set(allStacks.flatMap((s) => ofStack(s).flatMap(filesOf)));
  const shared = readdirSync(out).filter((f) => f !== 'manifest.json' && f !== 'tree.json' && !claimed.has(f));
  for (const part of parts) {
    mkdirSync(part.out, { recursive: true });
    const ids = part.stacks.flatMap(ofStack);
    const own: Record<string, Artifact> = {};
    for (const [id, a] of Object.entries(artifacts))
      if (ids.includes(id) || (a.type !== 'aws:cloudformation:stack' && a.type !== 'cdk:asset-manifest')) own[id] = a;
    // (an asset not staged in the assembly — its source outside — has nothing to link)
    for (const f of new Set([...ids.flatMap(filesOf), ...shared]))
      if (existsSync(join(out, f))) linkTree(join(out, f), join(part.out, f));
    writeFileSync(join(part.out, 'manifest.json'), JSON.stringify({ ...manifest, artifacts: own }, null, 2));
    if (tree?.tree) {
      const children = Object.fromEntries(
        Object.entries(tree.tree.children ?? {}).filter(([id]) => !allStacks.includes(id) || part.stacks.includes(id)),
      );
      writeFileSync(join(part.out, 'tree.json'), JSON.stringify({ ...tree, tree: { ...tree.tree, children } }));
    }
  }
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
    stacks.push(...(JSON.parse(readFileSync(join(dir, 'stacks.json'), 'utf8')) as MeshStackInfo[]));
    const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Manifest;
    const { Tree: _tree, ...artifacts } = m.artifacts ?? {};
    manifest = manifest
      ? { ...manifest, artifacts: { ...manifest.artifacts, ...artifacts } }
      : { ...m, artifacts: { ...artifacts } };
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
