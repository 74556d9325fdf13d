import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMeshError, productClassification } from '@meshkit/contracts';
import {
  buildCatalogModel,
  renderFleetPage,
  type CatalogBackend,
  type FleetFinding,
  type FleetReport,
  type FleetStanding,
} from '@meshkit/catalog';
import { consumersOf, productStackName, domainStackName } from '@meshkit/core';
import { checkMesh } from '@meshkit/domain-template';
import { EXIT, type ExitCode } from '../exit.js';
import type { Io } from '../io.js';
import { parseNow } from './lint.js';
import { requireRepoRoot } from './mesh-target.js';
import { openCatalog } from './publish.js';
import { DAY_MS, instantOf, policyReportRows, type PolicyReportRow } from './policy-report.js';
import { renderMeshError, synthMesh } from './synth.js';

const SOON_DAYS = 30;

/** Options of {@link buildFleetReport}. */
export interface FleetOptions {
  /** Judge enforcement dates and suppression expiry at this instant. @default new Date() */
  now?: Date;
  /** The catalog of published versions. @default the repository's local catalog */
  catalog?: CatalogBackend;
}

function standing(row: PolicyReportRow | undefined, stack: string, now: Date): FleetStanding {
  const finding = (f: PolicyReportRow['violations'][number] & { enforceFrom?: string }): FleetFinding => ({
    rule: f.rule,
    path: f.path,
    message: f.message,
    ...(f.pack ? { pack: f.pack, packVersion: f.packVersion! } : {}),
    ...(f.enforceFrom ? { enforceFrom: f.enforceFrom } : {}),
  });
  return {
    stack,
    violations: (row?.violations ?? []).map(finding),
    warnings: (row?.warnings ?? []).map(finding),
    suppressions: (row?.suppressions ?? []).map((x) => ({
      ...x,
      daysLeft: Math.floor((instantOf(x.expires) - now.getTime()) / DAY_MS),
    })),
  };
}

/**
 * The fleet report of the repository at `root`: the whole mesh synthesized once into a temporary
 * directory and checked by every pack (as `mesh policy report`), then per domain and product the
 * standing, the template version against the latest (`mesh check`), the last published contract
 * version (the catalog) and the consumers. Exit code 1 when any stack has a violation.
 */
export async function buildFleetReport(
  root: string,
  options: FleetOptions = {},
): Promise<{ fleet: FleetReport; ok: boolean }> {
  const now = options.now ?? new Date();
  const outdir = mkdtempSync(join(tmpdir(), 'mesh-fleet-'));
  try {
    const { report, stacks, mesh, policy } = await synthMesh(root, undefined, outdir, undefined, now);
    const rows = new Map(policyReportRows(report, stacks).map((r) => [r.stack, r]));
    const check = checkMesh(root);
    const units = new Map(check.units.map((u) => [u.id, u]));
    const catalog = options.catalog ?? (await openCatalog(root, 'local', mesh.config));
    const published = new Map(
      (await catalog.list()).map((p) => [`${p.domain}/${p.product}`, p.versions[p.versions.length - 1]]),
    );
    const domains = mesh.domains.map((d) => {
      const unit = units.get(d.name);
      return {
        name: d.name,
        owner: d.manifest.owner,
        ...(unit ? { templateVersion: unit.version } : {}),
        behind: unit?.behind ?? false,
        foundation: standing(rows.get(domainStackName(d.name)), domainStackName(d.name), now),
        products: d.products.map((p) => {
          const ref = `${d.name}/${p.name}`;
          const u = units.get(ref);
          const last = published.get(ref);
          return {
            ref,
            product: p.name,
            owner: p.manifest.owner,
            classification: productClassification(p.manifest, p.contract),
            contractVersion: p.contract.version,
            ...(last ? { publishedVersion: last } : {}),
            ...(u ? { templateVersion: u.version } : {}),
            behind: u?.behind ?? false,
            consumers: [...new Set(consumersOf(mesh, p).map((c) => c.product))].sort(),
            standing: standing(rows.get(productStackName(d.name, p.name)), productStackName(d.name, p.name), now),
          };
        }),
      };
    });
    const platform = stacks
      .filter((s) => s.kind === 'platform' || s.kind === 'replica')
      .map((s) => standing(rows.get(s.stackName), s.stackName, now));
    const all = [...platform, ...domains.flatMap((d) => [d.foundation, ...d.products.map((p) => p.standing)])];
    const soon = now.getTime() + SOON_DAYS * DAY_MS;
    const fleet: FleetReport = {
      format: 'meshkit.fleet/v1',
      generatedAt: new Date().toISOString(),
      now: now.toISOString(),
      templateLatest: check.latest,
      packs: policy.packs.map((p) => ({ name: p.name, version: p.version, rules: p.ruleIds.length })),
      platform,
      domains,
      summary: {
        domains: domains.length,
        products: domains.reduce((a, d) => a + d.products.length, 0),
        violations: all.reduce((a, s) => a + s.violations.length, 0),
        warnings: all.reduce((a, s) => a + s.warnings.length, 0),
        enforcedWithin30Days: all.reduce(
          (a, s) =>
            a + s.warnings.filter((w) => w.enforceFrom !== undefined && instantOf(w.enforceFrom) <= soon).length,
          0,
        ),
        suppressions: all.reduce((a, s) => a + s.suppressions.length, 0),
        expiringWithin30Days: all.reduce(
          (a, s) => a + s.suppressions.filter((x) => instantOf(x.expires) <= soon).length,
          0,
        ),
        behindTemplate: domains.reduce((a, d) => a + (d.behind ? 1 : 0) + d.products.filter((p) => p.behind).length, 0),
      },
    };
    return { fleet, ok: report.ok };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** The fleet report as text: one line per domain and product, then each stack's findings. */
export function formatFleetText(fleet: FleetReport): string {
  const out: string[] = [];
  const behind = (v: string | undefined, b: boolean) =>
    v === undefined ? 'no provenance' : `${v}${b ? ` (behind ${fleet.templateLatest})` : ''}`;
  const lines = (s: FleetStanding, indent: string) => {
    const pack = (f: FleetFinding) => (f.pack && f.pack !== '@meshkit/core' ? ` (${f.pack} ${f.packVersion})` : '');
    // One line per rule (and enforcement date): the resources counted, the first one shown.
    const grouped = (fs: readonly FleetFinding[]) => {
      const m = new Map<string, FleetFinding[]>();
      for (const f of fs)
        m.set(`${f.rule}\0${f.enforceFrom ?? ''}`, [...(m.get(`${f.rule}\0${f.enforceFrom ?? ''}`) ?? []), f]);
      return [...m.values()].map((g) => ({
        f: g[0]!,
        where: g.length === 1 ? g[0]!.path : `${g.length} resources, e.g. ${g[0]!.path}`,
      }));
    };
    for (const { f, where } of grouped(s.violations))
      out.push(`${indent}error   ${f.rule}${pack(f)} ${where}: ${f.message}`);
    for (const { f, where } of grouped(s.warnings))
      out.push(
        `${indent}warning ${f.rule}${pack(f)} ${where}: ${f.message} (${f.enforceFrom ? `an error from ${f.enforceFrom}` : 'never enforced'})`,
      );
    for (const x of s.suppressions)
      out.push(
        `${indent}suppressed ${x.rule} ${x.path} until ${x.expires}${x.expired ? ' (EXPIRED)' : ` (${x.daysLeft} day(s) left)`}: ${x.reason}`,
      );
  };
  const counts = (s: FleetStanding) =>
    `${s.violations.length} violation(s), ${s.warnings.length} warning(s), ${s.suppressions.length} suppression(s)`;
  out.push(
    `fleet at ${fleet.now.slice(0, 10)}: template ${fleet.templateLatest}; packs ${fleet.packs.map((p) => `${p.name} ${p.version}`).join(', ')}`,
  );
  for (const s of fleet.platform) {
    out.push(`${s.stack}: ${counts(s)}`);
    lines(s, '  ');
  }
  for (const d of fleet.domains) {
    out.push(
      `${d.name} (foundation, ${d.owner}): ${counts(d.foundation)}; template ${behind(d.templateVersion, d.behind)}`,
    );
    lines(d.foundation, '  ');
    for (const p of d.products) {
      out.push(
        `  ${p.ref} (${p.owner}, ${p.classification}): ${counts(p.standing)}; template ${behind(p.templateVersion, p.behind)}; contract ${p.contractVersion}, published ${p.publishedVersion ?? 'never'}; consumers ${p.consumers.join(', ') || 'none'}`,
      );
      lines(p.standing, '    ');
    }
  }
  const m = fleet.summary;
  out.push(
    `${m.domains} domain(s), ${m.products} product(s): ${m.violations} violation(s), ${m.warnings} warning(s) (${m.enforcedWithin30Days} enforced within 30 days), ${m.suppressions} suppression(s) (${m.expiringWithin30Days} expiring within 30 days), ${m.behindTemplate} behind the template`,
  );
  return out.join('\n') + '\n';
}

/** Options of `mesh fleet`. */
export interface MeshFleetOptions {
  format: 'text' | 'json' | 'html';
  /** `--now <date>`. @default now */
  now?: string;
}

/**
 * `mesh fleet [--format text|json|html] [--now <date>]`: every domain's and product's standing —
 * violations, warnings with their enforcement dates, suppressions and their expiry, template
 * version against the latest, policy-pack versions, last published contract version, consumers.
 * `html` prints the catalog site's fleet page (also served by `mesh catalog serve --fleet`).
 * Exit 1 when any stack has a violation.
 */
export async function meshFleet(options: MeshFleetOptions, io: Io): Promise<ExitCode> {
  const root = requireRepoRoot(io);
  const now = parseNow(options.now);
  let built: { fleet: FleetReport; ok: boolean };
  try {
    built = await buildFleetReport(root, { now });
  } catch (e) {
    if (isMeshError(e)) renderMeshError(e, io);
    throw e;
  }
  const { fleet, ok } = built;
  if (options.format === 'json') io.stdout(JSON.stringify(fleet, null, 2) + '\n');
  else if (options.format === 'html') {
    const catalog = await openCatalog(root, 'local');
    io.stdout(renderFleetPage(await buildCatalogModel(catalog, { now }), fleet));
  } else io.stdout(formatFleetText(fleet));
  return ok ? EXIT.OK : EXIT.FAILED;
}
