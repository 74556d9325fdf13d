import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { formatDiagnostics, isMeshError, MeshError } from '@meshkit/contracts';
import { buildMeshApp, loadMesh, validateAssembly, type MeshModel, type MeshProduct, type PolicyReport } from '@meshkit/core';
import type { Stack } from 'aws-cdk-lib';
import { EXIT, type ExitCode } from '../exit.js';
import type { Io } from '../io.js';
import { parseTarget, requireRepoRoot } from './mesh-target.js';
import { progress } from '../progress.js';
import { PARALLEL_MIN_DOMAINS, SYNTH_CACHE_DIR, synthMeshParallel } from './synth-parallel.js';

/** Result of synthesizing (part of) the mesh and checking it against the policy pack. */
export interface SynthResult {
  outdir: string;
  stacks: Array<{ stackName: string; kind: string; domain?: string; product?: string }>;
  report: PolicyReport;
}

type Customize = (stack: Stack, product: MeshProduct) => void;

/**
 * The teams' additions: each product's `infra/stack.ts` `customize` (TypeScript, loaded with
 * tsx), so `mesh synth` builds exactly what the product's own `infra/app.ts` builds.
 */
export async function loadCustomizations(mesh: MeshModel): Promise<Customize | undefined> {
  const hooks = new Map<string, Customize>();
  for (const product of mesh.domains.flatMap((d) => d.products)) {
    const file = join(product.dir, 'infra', 'stack.ts');
    if (!existsSync(file)) continue;
    const { tsImport } = await import('tsx/esm/api');
    const mod = (await tsImport(pathToFileURL(file).href, import.meta.url)) as { customize?: unknown };
    if (typeof mod.customize !== 'function') {
      throw new MeshError('USAGE', `${relative(mesh.root, file)} must export a function customize(stack, product)`, { file });
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
export async function synthMesh(root: string, target: string | undefined, outdir: string, environmentName?: string, onPhase?: (phase: string) => void): Promise<SynthResult & { mesh: MeshModel }> {
  process.env.CDK_VALIDATION ??= 'false';
  const select = parseTarget(target);
  onPhase?.('loading the mesh');
  const mesh: MeshModel = loadMesh(root, select);
  const environment = environmentName === undefined ? undefined : mesh.config.environments[environmentName];
  if (environmentName !== undefined && !environment) {
    throw new MeshError('USAGE', `unknown environment '${environmentName}' (mesh.config.yaml environments: ${Object.keys(mesh.config.environments).join(', ') || 'none'})`);
  }
  const customize = await loadCustomizations(mesh);
  onPhase?.(`building the stacks of ${mesh.domains.reduce((n, d) => n + d.products.length, 0)} product(s)`);
  const { app, stacks } = buildMeshApp({
    mesh, outdir, policies: 'report', platform: !select.domain,
    ...(customize ? { customize } : {}), ...(environment ? { environment } : {}), ...(environmentName ? { environmentName } : {}),
  });
  onPhase?.(`synthesizing ${stacks.length} stack(s)`);
  app.synth();
  onPhase?.('checking the policy pack');
  return { outdir, stacks, report: validateAssembly(outdir, { settings: mesh.config.policy }), mesh };
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
  format: 'text' | 'json';
  /** Whole mesh of {@link PARALLEL_MIN_DOMAINS} domains or more: synthesize every unit again, ignoring the synth cache. @default false */
  fresh?: boolean;
}

/** Domains of the repository (folders of domains/ with a domain.yaml), without loading them. */
function domainCount(root: string): number {
  const dir = join(root, 'domains');
  return existsSync(dir) ? readdirSync(dir).filter((d) => existsSync(join(dir, d, 'domain.yaml'))).length : 0;
}

/**
 * `mesh synth [<domain>[/<product>]]`: synthesizes the stacks and fails (exit 1) on policy
 * violations, printing `MESH-… <construct path>: <message>` for each. The whole mesh of
 * {@link PARALLEL_MIN_DOMAINS} domains or more is synthesized by `synthMeshParallel`: one unit per
 * domain, in parallel processes, a unit whose inputs did not change taken from the synth cache.
 */
export async function meshSynth(target: string | undefined, options: SynthOptions, io: Io): Promise<ExitCode> {
  const root = requireRepoRoot(io);
  const sel = parseTarget(target);
  const outdir = resolve(io.cwd, options.out ?? (sel.product ? join(root, 'domains', sel.domain!, 'products', sel.product, 'cdk.out') : join(root, 'cdk.out')));
  let result: SynthResult;
  const bar = progress(io, 'mesh synth:', options);
  let phase = 0;
  let units: { synthesized: string[]; cached: string[] } | undefined;
  try {
    if (!target && domainCount(root) >= PARALLEL_MIN_DOMAINS) {
      // A large mesh: one unit per domain, unchanged units from the cache, the rest in parallel.
      const r = await synthMeshParallel(root, outdir, {
        ...(options.env ? { environmentName: options.env } : {}), ...(options.fresh ? { fresh: true } : {}),
        onProgress: (done, total, unit) => bar.update(done, total, unit),
      });
      result = r;
      units = { synthesized: r.synthesized, cached: r.cached };
    } else {
      result = await synthMesh(root, target, outdir, options.env, (what) => bar.update(phase++, 4, what));
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
        io.stdout(`${tag} ${f.ruleId} ${f.constructPath ?? `${s.stackName}/${f.logicalId}`}: ${f.message}\n`);
      }
    }
    io.stdout(`synthesized ${stacks.length} stack(s) into ${relative(io.cwd, outdir) || '.'}: ${stacks.map((s) => s.stackName).join(', ')}\n`);
    if (units) {
      const names = units.synthesized.length > 10 ? `${units.synthesized.slice(0, 10).join(', ')}, …` : units.synthesized.join(', ');
      io.stdout(`units: ${units.synthesized.length} synthesized${names ? ` (${names})` : ''}, ${units.cached.length} unchanged (from ${SYNTH_CACHE_DIR})\n`);
    }
    io.stdout(`policy pack ${report.packVersion}: ${report.summary.errors} violation(s), ${report.summary.warnings} warning(s), ${report.summary.suppressions} suppression(s)\n`);
  }
  return report.ok ? EXIT.OK : EXIT.FAILED;
}

/** `mesh policy report`: synthesizes the whole mesh into a temporary directory and reports per product. */
export async function policyReport(options: { format: 'text' | 'json' }, io: Io): Promise<ExitCode> {
  const root = requireRepoRoot(io);
  let result: SynthResult;
  try {
    result = await synthMesh(root, undefined, mkdtempSync(join(tmpdir(), 'mesh-policy-')));
  } catch (e) {
    if (isMeshError(e)) renderMeshError(e, io);
    throw e;
  }
  const { report, stacks } = result;
  const byStack = new Map(stacks.map((s) => [s.stackName, s]));
  const rows = report.stacks.map((s) => {
    const info = byStack.get(s.stackName);
    return {
      stack: s.stackName, kind: info?.kind, domain: info?.domain, product: info?.product,
      violations: s.findings.filter((f) => !f.suppressed && f.level === 'error').map((f) => ({ rule: f.ruleId, path: f.constructPath, message: f.message })),
      warnings: s.findings.filter((f) => !f.suppressed && f.level === 'warning').map((f) => ({ rule: f.ruleId, path: f.constructPath, message: f.message })),
      suppressions: s.suppressions.map((x) => ({ rule: x.ruleId, path: x.constructPath, reason: x.reason, expires: x.expires, expired: x.expired })),
    };
  });
  if (options.format === 'json') {
    io.stdout(JSON.stringify({ packVersion: report.packVersion, ok: report.ok, summary: report.summary, stacks: rows }, null, 2) + '\n');
  } else {
    const name = (r: (typeof rows)[number]) => r.product ? `${r.domain}/${r.product}` : r.kind === 'domain' ? `${r.domain} (foundation)` : r.stack;
    const width = Math.max(...rows.map((r) => name(r).length), 10);
    io.stdout(`${'product'.padEnd(width)}  violations  warnings  suppressions\n`);
    for (const r of rows) {
      io.stdout(`${name(r).padEnd(width)}  ${String(r.violations.length).padStart(10)}  ${String(r.warnings.length).padStart(8)}  ${String(r.suppressions.length).padStart(12)}\n`);
      for (const v of r.violations) io.stdout(`  error   ${v.rule} ${v.path}: ${v.message}\n`);
      for (const w of r.warnings) io.stdout(`  warning ${w.rule} ${w.path}: ${w.message}\n`);
      for (const s of r.suppressions) io.stdout(`  suppressed ${s.rule} ${s.path} until ${s.expires}${s.expired ? ' (EXPIRED)' : ''}: ${s.reason}\n`);
    }
    io.stdout(`policy pack ${report.packVersion}: ${report.summary.errors} violation(s), ${report.summary.warnings} warning(s), ${report.summary.suppressions} suppression(s), ${report.summary.expiredSuppressions} expired\n`);
  }
  return report.ok ? EXIT.OK : EXIT.FAILED;
}
