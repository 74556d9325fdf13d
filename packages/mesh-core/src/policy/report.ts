/** The policy report of a cloud assembly (per stack: findings, warnings, suppressions). JSON-serialisable. */
import { formatFinding, type PolicyFinding, type StackEvaluation, type SuppressionRecord } from './evaluate.js';
import type { StagingTableRecord } from './glue-structure.js';
import { MESH_POLICY_PACK_VERSION } from './version.js';

/** Policy result of one stack. */
export interface StackPolicyReport {
  /** Stack name (or construct path when evaluated during synth). */
  readonly stackName: string;
  /** Template file, when read from disk. */
  readonly templateFile?: string;
  /** Every finding (errors, warnings, suppressed ones flagged with `suppressed`). */
  readonly findings: PolicyFinding[];
  /** Unsuppressed error findings (they fail synth). */
  readonly errors: number;
  /** Unsuppressed warnings (rules whose `enforceFrom` is in the future). */
  readonly warnings: number;
  /** Suppressed findings. */
  readonly suppressed: number;
  /** Every suppression declared in the stack, with its expiry. */
  readonly suppressions: SuppressionRecord[];
  /** Glue tables declared staging tables of the product (`meshkit:staging`): no ruleset required. */
  readonly stagingTables: StagingTableRecord[];
}

/** A pack whose rules produced the report. */
export interface ReportedPack {
  /** npm package name (`@meshkit/core` for the built-in pack). */
  readonly name: string;
  readonly version: string;
  /** Ids of its rules that ran. */
  readonly ruleIds: readonly string[];
}

/** Where the rules of a report come from (see `loadPolicyRules`). */
export interface ReportProvenance {
  readonly packs: readonly ReportedPack[];
  readonly origins: ReadonlyMap<string, { readonly pack: string; readonly version: string }>;
}

/** Policy result of a cloud assembly. */
export interface PolicyReport {
  /** Version of @meshkit/core's policy pack. */
  readonly packVersion: string;
  /** Every pack whose rules ran: @meshkit/core first, then the organisation's (`policy.packs`). */
  readonly packs: readonly ReportedPack[];
  /** When the report was produced (ISO). */
  readonly generatedAt: string;
  /** True when no stack has an unsuppressed error. */
  readonly ok: boolean;
  readonly summary: {
    readonly stacks: number;
    readonly errors: number;
    readonly warnings: number;
    readonly suppressed: number;
    readonly suppressions: number;
    readonly expiredSuppressions: number;
    readonly stagingTables: number;
  };
  readonly stacks: StackPolicyReport[];
}

/**
 * Builds the report from the engine's results (`files[i]` is the template file of `evals[i]`);
 * with `provenance`, each finding names its rule's pack and version.
 */
export function buildPolicyReport(
  evals: readonly StackEvaluation[],
  names: readonly string[],
  files: readonly (string | undefined)[],
  now: Date,
  provenance?: ReportProvenance,
): PolicyReport {
  const annotate = (f: PolicyFinding): PolicyFinding => {
    const o = provenance?.origins.get(f.ruleId);
    return o ? { ...f, pack: o.pack, packVersion: o.version } : f;
  };
  const stacks: StackPolicyReport[] = evals.map((e, i) => ({
    stackName: names[i] ?? e.stackName ?? String(i),
    ...(files[i] === undefined ? {} : { templateFile: files[i] }),
    findings: provenance ? e.findings.map(annotate) : e.findings,
    errors: e.findings.filter((f) => f.level === 'error' && !f.suppressed).length,
    warnings: e.findings.filter((f) => f.level === 'warning' && !f.suppressed).length,
    suppressed: e.findings.filter((f) => f.suppressed).length,
    suppressions: e.suppressions,
    stagingTables: e.stagingTables ?? [],
  }));
  const sum = (f: (s: StackPolicyReport) => number) => stacks.reduce((a, s) => a + f(s), 0);
  const errors = sum((s) => s.errors);
  return {
    packVersion: MESH_POLICY_PACK_VERSION,
    packs: provenance?.packs.map((p) => ({ name: p.name, version: p.version, ruleIds: [...p.ruleIds] })) ?? [
      { name: '@meshkit/core', version: MESH_POLICY_PACK_VERSION, ruleIds: [] },
    ],
    generatedAt: now.toISOString(),
    ok: errors === 0,
    summary: {
      stacks: stacks.length,
      errors,
      warnings: sum((s) => s.warnings),
      suppressed: sum((s) => s.suppressed),
      suppressions: sum((s) => s.suppressions.length),
      expiredSuppressions: sum((s) => s.suppressions.filter((x) => x.expired).length),
      stagingTables: sum((s) => s.stagingTables.length),
    },
    stacks,
  };
}

/** The report as text: per stack, one line per finding, then the suppressions with their expiry. */
export function formatPolicyReport(report: PolicyReport): string {
  const out: string[] = [];
  for (const s of report.stacks) {
    out.push(`${s.stackName}: ${s.errors} error(s), ${s.warnings} warning(s), ${s.suppressed} suppressed`);
    for (const f of s.findings)
      out.push(
        `  ${f.level === 'error' && !f.suppressed ? 'error  ' : f.suppressed ? 'suppr. ' : 'warning'} ${formatFinding(f)}`,
      );
    for (const x of s.suppressions) {
      out.push(
        `  suppression ${x.ruleId} on ${x.constructPath} until ${x.expires}${x.expired ? ' (EXPIRED)' : x.beyondLimit ? " (BEYOND THE PLATFORM'S LIMIT)" : ''}: ${x.reason}`,
      );
    }
    for (const t of s.stagingTables) {
      out.push(`  staging table ${t.tableName ?? t.logicalId} on ${t.constructPath}: ${t.reason}`);
    }
  }
  const m = report.summary;
  for (const p of report.packs)
    if (p.name !== '@meshkit/core') out.push(`policy pack ${p.name} ${p.version}: ${p.ruleIds.join(', ')}`);
  out.push(
    `policy pack ${report.packVersion}: ${m.stacks} stack(s), ${m.errors} error(s), ${m.warnings} warning(s), ${m.suppressed} suppressed, ${m.suppressions} suppression(s) (${m.expiredSuppressions} expired), ${m.stagingTables} staging table(s)`,
  );
  return out.join('\n');
}
