import { existsSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  domainManifestFile,
  domainsDir,
  formatDiagnostics,
  isMeshError,
  MeshError,
  productDir,
} from '@meshkit/contracts';
import {
  buildMeshApp,
  CORE_PACK_NAME,
  loadMesh,
  loadPolicyRules,
  validateAssembly,
  type LoadedPolicyRules,
  type MeshDomain,
  type MeshModel,
  type MeshProduct,
  type PolicyReport,
} from '@meshkit/core';
import type { Stack } from 'aws-cdk-lib';
import { EXIT, type ExitCode } from '../exit.js';
import type { Io } from '../io.js';
import { parseTarget, requireRepoRoot } from './mesh-target.js';
import { progress } from '../progress.js';
import { PARALLEL_MIN_DOMAINS, synthMeshParallel } from './synth-parallel.js';
import { SYNTH_CACHE_DIR } from './synth-tasks.js';
import { parseNow } from './lint.js';

/** Result of synthesizing (part of) the mesh and checking it against the policy pack. */
export interface SynthResult {
  outdir: string;
  stacks: Array<{ stackName: string; kind: string; domain?: string; product?: string }>;
  report: PolicyReport;
}

type Customize = (stack: Stack, product: MeshProduct) => void;
type CustomizeDomain = (stack: Stack, domain: MeshDomain) => void;

/** Imports a TypeScript (or JavaScript) module with tsx. */
async function importTs(url: string): Promise<unknown> {
  const { tsImport } = await import('tsx/esm/api');
  return tsImport(url, import.meta.url);
}

/**
 * The domains' additions to their foundations: each `domains/<domain>/foundation/stack.ts`
 * `customize(stack, domain)`, loaded with tsx.
 */
export async function loadDomainCustomizations(mesh: MeshModel): Promise<CustomizeDomain | undefined> {
  const hooks = new Map<string, CustomizeDomain>();
  for (const domain of mesh.domains) {
    const file = join(domain.dir, 'foundation', 'stack.ts');
    if (!existsSync(file)) continue;
    const mod = (await importTs(pathToFileURL(file).href)) as { customize?: unknown };
    if (typeof mod.customize !== 'function') {
      throw new MeshError('USAGE', `${relative(mesh.root, file)} must export a function customize(stack, domain)`, {
        file,
      });
    }
    hooks.set(domain.name, mod.customize as CustomizeDomain);
  }
  return hooks.size ? (stack, domain) => hooks.get(domain.name)?.(stack, domain) : undefined;
}

/** The rules of @meshkit/core and of the organisation's packs (`policy.packs`, TypeScript allowed), with `policy.rules` applied. */
export function loadMeshPolicyRules(mesh: MeshModel): Promise<LoadedPolicyRules> {
  return loadPolicyRules(mesh.root, mesh.config, { importModule: importTs });
}

/**
 * The teams' additions: each product's `infra/stack.ts` `customize` (TypeScript, loaded with
 * tsx), so `mesh synth` builds exactly what the product's own `infra/app.ts` builds.
 */
export async function loadCustomizations(mesh: MeshModel): Promise<Customize | undefined> {
  const hooks = new Map<string, Customize>();
  for (const product of mesh.domains.flatMap((d) => d.products)) {
    const file = join(product.dir, 'infra', 'stack.ts');
    if (!existsSync(file)) continue;
    const mod = (await importTs(pathToFileURL(file).href)) as { customize?: unknown };
    if (typeof mod.customize !== 'function') {
      throw new MeshError('USAGE', `${relative(mesh.root, file)} must export a function customize(stack, product)`, {
        file,
      });
    }
    hooks.set(product.dir, mod.customize as Customize);
  }
  return hooks.size ? (stack, product) => hooks.get(product.dir)?.(stack, product) : undefined;
}

/**
 * Loads the selected part of the mesh, synthesizes it (with each product's `infra/stack.ts`
 * additions) into `outdir` and runs the policy pack over the templates. With `environmentName`
 * (an environment of mesh.config.yaml) the stacks get its account and region, domains with an
 * account of their own (domain.yaml `accounts`) theirs. An invalid contract or manifest throws
 * MeshError (with diagnostics); an unknown environment is bad usage.
 */
export async function synthMesh(
  root: string,
  target: string | undefined,
  outdir: string,
  environmentName?: string,
  now?: Date,
  onPhase?: (phase: string) => void,
): Promise<SynthResult & { mesh: MeshModel; policy: LoadedPolicyRules }> {
  process.env.CDK_VALIDATION ??= 'false';
  const select = parseTarget(target);
  onPhase?.('loading the mesh');
  const mesh: MeshModel = loadMesh(root, select, now ? { now } : {});
  const environment = environmentName === undefined ? undefined : mesh.config.environments[environmentName];
  if (environmentName !== undefined && !environment) {
    throw new MeshError(
      'USAGE',
      `unknown environment '${environmentName}' (mesh.config.yaml environments: ${Object.keys(mesh.config.environments).join(', ') || 'none'})`,
    );
  }
  const policy = await loadMeshPolicyRules(mesh);
  const customize = await loadCustomizations(mesh);
  const customizeDomain = await loadDomainCustomizations(mesh);
  onPhase?.(`building the stacks of ${mesh.domains.reduce((n, d) => n + d.products.length, 0)} product(s)`);
  const { app, stacks } = buildMeshApp({
    mesh,
    outdir,
    policies: 'report',
    platform: !select.domain,
    rules: policy.rules,
    policyInputs: policy.inputs,
    ...(customize ? { customize } : {}),
    ...(customizeDomain ? { customizeDomain } : {}),
    ...(environment ? { environment } : {}),
    ...(environmentName ? { environmentName } : {}),
  });
  onPhase?.(`synthesizing ${stacks.length} stack(s)`);
  app.synth();
  onPhase?.('checking the policy pack');
  const report = validateAssembly(outdir, {
    settings: mesh.config.policy,
    rules: policy.rules,
    provenance: policy,
    ...(now ? { now } : {}),
  });
  return { outdir, stacks, report, mesh, policy };
}

/** Prints a MeshError's diagnostics (e.g. an invalid contract) with code frames. */
export function renderMeshError(e: MeshError, io: Io): void {
  if (e.details.length) io.stderr(formatDiagnostics(e.details, 'text', {}) + '\n');
}

export interface SynthOptions {
  /** Cloud assembly directory. @default `cdk.out` in the product folder for one product, else at the root */
  out?: string;
  /**
   * Environment of mesh.config.yaml to synthesize for (its account and region; domains with
   * their own account in domain.yaml `accounts` go there).
   * @default environment-agnostic stacks (one account)
   */
  env?: string;
  /** Judge `enforceFrom` dates and suppression expiry as of this date (`--now`). @default now */
  now?: string;
  format: 'text' | 'json';
  /** Whole mesh of {@link PARALLEL_MIN_DOMAINS} domains or more: synthesize every unit again, ignoring the synth cache. @default false */
  fresh?: boolean;
}

/** Domains of the repository (folders of domains/ with a domain.yaml), without loading them. */
function domainCount(root: string): number {
  const dir = domainsDir(root);
  return existsSync(dir) ? readdirSync(dir).filter((d) => existsSync(domainManifestFile(root, d))).length : 0;
}

/**
 * `mesh synth [<domain>[/<product>]]`: synthesizes the stacks and fails (exit 1) on policy
 * violations, printing `MESH-… <construct path>: <message>` for each. The whole mesh of
 * {@link PARALLEL_MIN_DOMAINS} domains or more is synthesized by `synthMeshParallel`: one cached unit
 * per stack (platform, each foundation, each product), the stale ones in parallel processes, a
 * unit whose inputs did not change taken from the synth cache.
 */
export async function meshSynth(target: string | undefined, options: SynthOptions, io: Io): Promise<ExitCode> {
  const root = requireRepoRoot(io);
  const sel = parseTarget(target);
  const outdir = resolve(
    io.cwd,
    options.out ?? (sel.product ? join(productDir(root, sel.domain!, sel.product), 'cdk.out') : join(root, 'cdk.out')),
  );
  let result: SynthResult;
  const bar = progress(io, 'mesh synth:', options);
  let phase = 0;
  let units: { synthesized: string[]; cached: string[] } | undefined;
  try {
    const now = options.now === undefined ? undefined : parseNow(options.now);
    if (!target && domainCount(root) >= PARALLEL_MIN_DOMAINS) {
      // A large mesh: one unit per stack, unchanged units from the cache, the rest in parallel.
      const r = await synthMeshParallel(root, outdir, {
        ...(options.env ? { environmentName: options.env } : {}),
        ...(options.fresh ? { fresh: true } : {}),
        ...(now ? { now } : {}),
        onProgress: (done, total, unit) => bar.update(done, total, unit),
      });
      result = r;
      units = { synthesized: r.synthesized, cached: r.cached };
    } else {
      result = await synthMesh(root, target, outdir, options.env, now, (what) => bar.update(phase++, 4, what));
    }
  } catch (e) {
    bar.done();
    if (isMeshError(e)) renderMeshError(e, io);
    throw e;
  }
  bar.done();
  const { report, stacks } = result;
  if (options.format === 'json') {
    io.stdout(JSON.stringify({ outdir, stacks, policy: report, ...(units ? { units } : {}) }, null, 2) + '\n');
  } else {
    for (const s of report.stacks) {
      for (const f of s.findings) {
        const tag = f.suppressed ? 'suppressed' : f.level;
        io.stdout(
          `${tag} ${f.ruleId}${packLabel(f)} ${f.constructPath ?? `${s.stackName}/${f.logicalId}`}: ${f.message}${f.level === 'warning' && !f.suppressed && f.enforceFrom ? ` (an error from ${f.enforceFrom})` : ''}\n`,
        );
      }
    }
    io.stdout(
      `synthesized ${stacks.length} stack(s) into ${relative(io.cwd, outdir) || '.'}: ${stacks.map((s) => s.stackName).join(', ')}\n`,
    );
    if (units) {
      const names =
        units.synthesized.length > 10
          ? `${units.synthesized.slice(0, 10).join(', ')}, …`
          : units.synthesized.join(', ');
      io.stdout(
        `units: ${units.synthesized.length} synthesized${names ? ` (${names})` : ''}, ${units.cached.length} unchanged (from ${SYNTH_CACHE_DIR})\n`,
      );
    }
    io.stdout(
      `policy pack ${report.packVersion}${packsLabel(report)}: ${report.summary.errors} violation(s), ${report.summary.warnings} warning(s), ${report.summary.suppressions} suppression(s)\n`,
    );
  }
  return report.ok ? EXIT.OK : EXIT.FAILED;
}

/** ` (pack version)` after a rule id of an organisation pack. */
export const packLabel = (f: { pack?: string; packVersion?: string }): string =>
  f.pack && f.pack !== CORE_PACK_NAME ? ` (${f.pack} ${f.packVersion})` : '';
/** ` + <pack> <version>…` for the organisation's packs of a report. */
export const packsLabel = (report: PolicyReport): string =>
  report.packs
    .filter((p) => p.name !== CORE_PACK_NAME)
    .map((p) => ` + ${p.name} ${p.version}`)
    .join('');
