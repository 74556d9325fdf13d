/**
 * `mesh policy report`: the policy pack's findings per product of the synthesized mesh — each
 * warning with the day it becomes an error, each suppression with its expiry, each rule with its
 * pack — and, with `--upcoming`, only what turns into an error within a period. The report's rows
 * are also what `mesh fleet` shows.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMeshError, MeshError } from '@meshkit/contracts';
import type { PolicyReport } from '@meshkit/core';
import { EXIT, type ExitCode } from '../exit.js';
import type { Io } from '../io.js';
import { parseNow } from './lint.js';
import { requireRepoRoot } from './mesh-target.js';
import { packLabel, packsLabel, renderMeshError, synthMesh, type SynthResult } from './synth.js';

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
