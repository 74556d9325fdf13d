import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { formatDiagnostics, isMeshError, MeshError } from '@meshkit/contracts';
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
import { PARALLEL_MIN_DOMAINS, SYNTH_CACHE_DIR, synthMeshParallel } from './synth-parallel.js';
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
  const dir = join(root, 'domains');
  return existsSync(dir) ? readdirSync(dir).filter((d) => existsSync(join(dir, d, 'domain.yaml'))).length : 0;
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
    options.out ??
      (sel.product ? join(root, 'domains', sel.domain!, 'products', sel.product, 'cdk.out') : join(root, 'cdk.out')),
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
const packLabel = (f: { pack?: string; packVersion?: string }): string =>
  f.pack && f.pack !== CORE_PACK_NAME ? ` (${f.pack} ${f.packVersion})` : '';
/** ` + <pack> <version>…` for the organisation's packs of a report. */
const packsLabel = (report: PolicyReport): string =>
  report.packs
    .filter((p) => p.name !== CORE_PACK_NAME)
    .map((p) => ` + ${p.name} ${p.version}`)
    .join('');

/** Options of `mesh policy report`. */
export interface PolicyReportOptions {
  format: 'text' | 'json';
  /** Judge `enforceFrom` dates and suppression expiry as of this ISO date or instant (`--now`). @default now */
  now?: string;
  /** Only what turns into an error within this period (`--upcoming 30d`): warnings enforced and suppressions expiring by then. */
  upcoming?: string;
}

/** Parses a period such as `30d`, `6w` or `2m` (30-day months) into days. @throws MeshError USAGE (exit 2) */
export function parsePeriod(text: string): number {
  const m = /^(\d{1,4})([dwm])$/.exec(text.trim());
  if (!m) throw new MeshError('USAGE', `--upcoming '${text}' is not a period such as 30d, 6w or 2m`, { exitCode: 2 });
  return Number(m[1]) * (m[2] === 'd' ? 1 : m[2] === 'w' ? 7 : 30);
}

/** One day, in ms. */
export const DAY_MS = 86_400_000;
/** Start (UTC) of an ISO date (`YYYY-MM-DD`), or the instant itself (ms). */
export const instantOf = (date: string): number =>
  Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(date) ? `${date}T00:00:00Z` : date);

/** One row of the policy report: a stack and what the pack found there. */
export interface PolicyReportRow {
  stack: string;
  kind: string | undefined;
  domain: string | undefined;
  product: string | undefined;
  violations: Array<{ rule: string; pack?: string; packVersion?: string; path: string; message: string }>;
  warnings: Array<{
    rule: string;
    pack?: string;
    packVersion?: string;
    path: string;
    message: string;
    enforceFrom?: string;
  }>;
  suppressions: Array<{ rule: string; path: string; reason: string; expires: string; expired: boolean }>;
}

/** The report's rows, per stack of the synthesized mesh. */
export function policyReportRows(report: PolicyReport, stacks: SynthResult['stacks']): PolicyReportRow[] {
  const byStack = new Map(stacks.map((s) => [s.stackName, s]));
  const origin = (f: { pack?: string; packVersion?: string }) =>
    f.pack ? { pack: f.pack, packVersion: f.packVersion! } : {};
  return report.stacks.map((s) => {
    const info = byStack.get(s.stackName);
    return {
      stack: s.stackName,
      kind: info?.kind,
      domain: info?.domain,
      product: info?.product,
      violations: s.findings
        .filter((f) => !f.suppressed && f.level === 'error')
        .map((f) => ({ rule: f.ruleId, ...origin(f), path: f.constructPath, message: f.message })),
      warnings: s.findings
        .filter((f) => !f.suppressed && f.level === 'warning')
        .map((f) => ({
          rule: f.ruleId,
          ...origin(f),
          path: f.constructPath,
          message: f.message,
          ...(f.enforceFrom ? { enforceFrom: f.enforceFrom } : {}),
        })),
      suppressions: s.suppressions.map((x) => ({
        rule: x.ruleId,
        path: x.constructPath,
        reason: x.reason,
        expires: x.expires,
        expired: x.expired,
      })),
    };
  });
}

/**
 * `mesh policy report [--now <date>] [--upcoming <period>]`: synthesizes the whole mesh into a
 * temporary directory and reports per product, each warning with the date it becomes an error
 * and each rule with its pack. `--now` previews any day; `--upcoming 30d` lists only what turns
 * into an error within 30 days (warnings reaching their `enforceFrom`, suppressions expiring).
 */
export async function policyReport(options: PolicyReportOptions, io: Io): Promise<ExitCode> {
  const root = requireRepoRoot(io);
  const now = parseNow(options.now);
  const upcomingDays = options.upcoming === undefined ? undefined : parsePeriod(options.upcoming);
  let result: SynthResult;
  try {
    result = await synthMesh(root, undefined, mkdtempSync(join(tmpdir(), 'mesh-policy-')), undefined, now);
  } catch (e) {
    if (isMeshError(e)) renderMeshError(e, io);
    throw e;
  }
  const { report, stacks } = result;
  const rows = policyReportRows(report, stacks);
  if (upcomingDays !== undefined) {
    printUpcoming(rows, now, upcomingDays, options.format, io);
    return EXIT.OK;
  }
  if (options.format === 'json') {
    io.stdout(
      JSON.stringify(
        {
          packVersion: report.packVersion,
          packs: report.packs,
          now: now.toISOString(),
          ok: report.ok,
          summary: report.summary,
          stacks: rows,
        },
        null,
        2,
      ) + '\n',
    );
  } else {
    printReportTable(report, rows, io);
  }
  return report.ok ? EXIT.OK : EXIT.FAILED;
}

/** A row of the policy report as the text output names it: `<domain>/<product>`, `<domain> (foundation)` or the stack. */
const rowName = (r: PolicyReportRow): string =>
  r.product ? `${r.domain}/${r.product}` : r.kind === 'domain' ? `${r.domain} (foundation)` : r.stack;

/** A rule id with its pack, as the text output shows it. */
const ruleLabel = (x: { rule: string; pack?: string; packVersion?: string }): string => `${x.rule}${packLabel(x)}`;

/** A warning reaching its `enforceFrom`, or a suppression expiring, within the `--upcoming` period. */
interface UpcomingFinding {
  what: 'warning' | 'suppression';
  target: string;
  stack: string;
  rule: string;
  pack?: string;
  packVersion?: string;
  path: string;
  message: string;
  date: string;
}

/** What turns into an error by `until` (epoch ms), by date, then product. */
function upcomingFindings(rows: PolicyReportRow[], until: number): UpcomingFinding[] {
  return rows
    .flatMap((r) => [
      ...r.warnings
        .filter((w) => w.enforceFrom !== undefined && instantOf(w.enforceFrom) <= until)
        .map((w) => ({
          what: 'warning' as const,
          target: rowName(r),
          stack: r.stack,
          rule: w.rule,
          pack: w.pack,
          packVersion: w.packVersion,
          path: w.path,
          message: w.message,
          date: w.enforceFrom!,
        })),
      ...r.suppressions
        .filter((x) => !x.expired && instantOf(x.expires) <= until)
        .map((x) => ({
          what: 'suppression' as const,
          target: rowName(r),
          stack: r.stack,
          rule: x.rule,
          path: x.path,
          message: x.reason,
          date: x.expires,
        })),
    ])
    .sort((a, b) => a.date.localeCompare(b.date) || a.target.localeCompare(b.target));
}

/** `--upcoming`: what turns into an error within `days` of `now`. */
function printUpcoming(rows: PolicyReportRow[], now: Date, days: number, format: 'text' | 'json', io: Io): void {
  const until = now.getTime() + days * DAY_MS;
  const soon = upcomingFindings(rows, until);
  if (format === 'json') {
    io.stdout(
      JSON.stringify({ now: now.toISOString(), until: new Date(until).toISOString(), upcoming: soon }, null, 2) + '\n',
    );
    return;
  }
  // One line per day, product and rule (the resources counted; JSON lists each).
  const groups = new Map<string, UpcomingFinding[]>();
  for (const x of soon) {
    const key = `${x.date}\0${x.target}\0${x.what}\0${x.rule}`;
    groups.set(key, [...(groups.get(key) ?? []), x]);
  }
  for (const xs of groups.values()) {
    const x = xs[0]!;
    const where = xs.length === 1 ? x.path : `${xs.length} resources, e.g. ${x.path}`;
    io.stdout(
      x.what === 'warning'
        ? `${x.date}  ${x.target}: ${ruleLabel(x)} becomes an error — ${where}: ${x.message}\n`
        : `${x.date}  ${x.target}: suppression of ${x.rule} expires — ${where}: ${x.message}\n`,
    );
  }
  io.stdout(
    `${soon.length} finding(s) turn into errors by ${new Date(until).toISOString().slice(0, 10)} (${days} day(s) from ${now.toISOString().slice(0, 10)})\n`,
  );
}

/** The text report: a table of products with their findings, the packs, and the totals. */
function printReportTable(report: PolicyReport, rows: PolicyReportRow[], io: Io): void {
  const width = Math.max(...rows.map((r) => rowName(r).length), 10);
  io.stdout(`${'product'.padEnd(width)}  violations  warnings  suppressions\n`);
  for (const r of rows) {
    io.stdout(
      `${rowName(r).padEnd(width)}  ${String(r.violations.length).padStart(10)}  ${String(r.warnings.length).padStart(8)}  ${String(r.suppressions.length).padStart(12)}\n`,
    );
    for (const v of r.violations) io.stdout(`  error   ${ruleLabel(v)} ${v.path}: ${v.message}\n`);
    for (const w of r.warnings)
      io.stdout(
        `  warning ${ruleLabel(w)} ${w.path}: ${w.message}${w.enforceFrom ? ` (an error from ${w.enforceFrom})` : ' (never enforced)'}\n`,
      );
    for (const s of r.suppressions)
      io.stdout(`  suppressed ${s.rule} ${s.path} until ${s.expires}${s.expired ? ' (EXPIRED)' : ''}: ${s.reason}\n`);
  }
  for (const p of report.packs) io.stdout(`pack ${p.name} ${p.version}: ${p.ruleIds.length} rule(s)\n`);
  io.stdout(
    `policy pack ${report.packVersion}${packsLabel(report)}: ${report.summary.errors} violation(s), ${report.summary.warnings} warning(s), ${report.summary.suppressions} suppression(s), ${report.summary.expiredSuppressions} expired\n`,
  );
}
