/**
 * The engine: runs the rules over synthesized CloudFormation templates and applies suppressions.
 * Read-only and fast: each template is indexed once (by id and by type), rules only see the
 * resource types they declare, nothing is cloned.
 */
import { DEFAULT_MAX_SUPPRESSION_DAYS, type PolicySettings } from '@meshkit/contracts';
import { MESH_POLICY_RULES } from './pack.js';
import type { CfnResourceView, PolicyRule } from './rule.js';
import {
  SUPPRESSION_EXPIRED_ID,
  SUPPRESSION_INVALID_ID,
  SUPPRESSION_TOO_LONG_ID,
  SUPPRESSIONS_METADATA_KEY,
  expiryInstant,
  suppressionLimitProblem,
  suppressionProblem,
  type Suppression,
} from './suppression.js';
import type { NestedTemplate } from './nested-templates.js';
import { AssemblyIndex, TemplateContext, type CfnTemplate } from './template-context.js';
import { stagingTablesOf, type StagingTableRecord } from './glue-structure.js';

/** Level of a finding: errors fail synth, warnings are reported. */
export type FindingLevel = 'error' | 'warning';

/** One finding of the pack on one resource. */
export interface PolicyFinding {
  /** Rule id (`MESH-…`), or `MESH-SUPPRESSION-EXPIRED` / `-INVALID` / `-TOO-LONG`. */
  readonly ruleId: string;
  /** `error` (fails synth) or `warning` (rule not enforced yet: `enforceFrom` in the future). */
  readonly level: FindingLevel;
  /** What is wrong. */
  readonly message: string;
  /** Logical id of the resource. */
  readonly logicalId: string;
  /** CloudFormation type of the resource. */
  readonly resourceType: string;
  /** Construct path (`aws:cdk:path` metadata), else `<stack>/<logicalId>`. */
  readonly constructPath: string;
  /** Stack the resource belongs to, when known. */
  readonly stackName?: string;
  /** The suppression that covers this finding (it then does not fail synth). */
  readonly suppressed?: Suppression;
  /** Warnings only: ISO date from which this finding is an error (absent when it never will be). */
  readonly enforceFrom?: string;
  /** Pack of the rule (`@meshkit/core` or an organisation pack), when the report knows it. */
  readonly pack?: string;
  /** Version of that pack. */
  readonly packVersion?: string;
}

/** A suppression declared on a resource, as reported. */
export interface SuppressionRecord extends Suppression {
  readonly logicalId: string;
  readonly constructPath: string;
  readonly stackName?: string;
  /** True when `expires` has passed (it suppresses nothing and is an error). */
  readonly expired: boolean;
  /** True when `expires` is further away than the platform's `maxSuppressionDays` (it suppresses nothing and is an error). */
  readonly beyondLimit?: boolean;
  /** Number of findings it suppressed in this run. */
  readonly matched: number;
}

/** Options of the engine. */
export interface EvaluateOptions {
  /** Rules to run. @default MESH_POLICY_RULES (the whole pack) */
  readonly rules?: readonly PolicyRule[];
  /** Current time (for `enforceFrom` and suppression expiry). @default new Date() */
  readonly now?: Date;
  /** Name of the stack, for findings and paths. @default - unknown */
  readonly stackName?: string;
  /**
   * The platform's settings (`mesh.config.yaml` `policy`: allow-lists, longest suppression), which
   * rules read from `ctx.settings`.
   * @default no allowances, suppressions of at most 180 days
   */
  readonly settings?: PolicySettings;
}

/** Settings when the platform gives none: no allowances, suppressions of at most 180 days. */
export const DEFAULT_POLICY_SETTINGS: PolicySettings = {
  allowedResourceTypes: [],
  allowedCustomResources: [],
  maxSuppressionDays: DEFAULT_MAX_SUPPRESSION_DAYS,
};

/** Result of one template. */
export interface StackEvaluation {
  readonly stackName?: string;
  /** Every finding, suppressed ones included (flagged with `suppressed`). */
  readonly findings: PolicyFinding[];
  /** Every suppression declared in the template. */
  readonly suppressions: SuppressionRecord[];
  /** Glue tables declared staging tables (`meshkit:staging`, no ruleset required), with their reason. */
  readonly stagingTables: StagingTableRecord[];
}

/** One template of an assembly to evaluate together with the others. */
export interface TemplateInput {
  readonly template: CfnTemplate | object;
  readonly stackName?: string;
  /** Unique key in the assembly. @default stackName, else its index */
  readonly key?: string;
  /** Construct path of a logical id, for templates without `aws:cdk:path` metadata (called only for findings). */
  readonly pathOf?: (logicalId: string) => string | undefined;
  /**
   * The stack's nested stacks (their templates, from the assembly's assets): evaluated as part of
   * this stack (same kind, findings merged into its result, under the nested stack's path).
   */
  readonly nested?: readonly NestedTemplate[];
  /** Construct path of a logical id in a nested stack, by the nested stack's construct path. */
  readonly nestedPathOf?: (nestedStackPath: string) => (logicalId: string) => string | undefined;
}

/** Level of a rule at `now`: a warning while `enforceFrom` is in the future (always, for `level: 'warning'`). */
export function ruleLevel(rule: Pick<PolicyRule, 'enforceFrom' | 'level'>, now: Date): FindingLevel {
  if (rule.level === 'warning') return 'warning';
  return enforcedAt(rule.enforceFrom, now) ? 'error' : 'warning';
}

/** True when a rule or finding with this `enforceFrom` (ISO date or instant) is enforced at `now`. */
export function enforcedAt(enforceFrom: string | undefined, now: Date): boolean {
  if (enforceFrom === undefined) return true;
  const from = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(enforceFrom) ? `${enforceFrom}T00:00:00Z` : enforceFrom);
  return Number.isNaN(from) || now.getTime() >= from;
}

/**
 * Runs the rules over ONE synthesized template and returns the findings (suppressed ones
 * included, flagged). Cross-stack references (`Fn::ImportValue`) are only followed by
 * {@link evaluateTemplates}.
 */
export function evaluateTemplate(template: object, options: EvaluateOptions = {}): PolicyFinding[] {
  return evaluateTemplates(
    [{ template, ...(options.stackName === undefined ? {} : { stackName: options.stackName }) }],
    options,
  )[0]!.findings;
}

/** Runs the rules over the templates of one assembly (exports/imports between them are followed). */
export function evaluateTemplates(
  inputs: readonly TemplateInput[],
  options: Omit<EvaluateOptions, 'stackName'> = {},
): StackEvaluation[] {
  const assembly = new AssemblyIndex();
  const settings = options.settings ?? DEFAULT_POLICY_SETTINGS;
  const now = options.now ?? new Date();
  const resolved = (nested: readonly NestedTemplate[] | undefined) => new Set((nested ?? []).map((n) => n.logicalId));
  const ctxs = inputs.map((t, i) => {
    const key = t.key ?? t.stackName ?? String(i);
    const top = new TemplateContext(t.template as CfnTemplate, {
      key,
      ...(t.stackName === undefined ? {} : { stackName: t.stackName }),
      ...(t.pathOf === undefined ? {} : { pathOf: t.pathOf }),
      assembly,
      settings,
      now,
      resolvedNestedStacks: resolved(t.nested),
    });
    // Nested stacks: one context per template (logical ids are per template), the parent's kind.
    const nested: TemplateContext[] = [];
    const walk = (list: readonly NestedTemplate[] | undefined, parentPath: string) => {
      for (const n of list ?? []) {
        const nestedPath =
          n.relativePath === undefined ? `${parentPath}/${n.logicalId}` : `${t.stackName ?? key}/${n.relativePath}`;
        const pathOf = t.nestedPathOf?.(nestedPath);
        nested.push(
          new TemplateContext(n.template, {
            key: n.templateFile,
            ...(t.stackName === undefined ? {} : { stackName: t.stackName }),
            ...(pathOf === undefined ? {} : { pathOf }),
            assembly,
            settings,
            now,
            stackKind: top.stackKind,
            nestedPath,
            resolvedNestedStacks: resolved(n.nested),
          }),
        );
        walk(n.nested, nestedPath);
      }
    };
    walk(t.nested, t.stackName ?? key);
    return { top, nested };
  });
  const rules = options.rules ?? MESH_POLICY_RULES;
  const levels = rules.map((r) => ruleLevel(r, now));
  return ctxs.map(({ top, nested }) => {
    const result = evaluateContext(top, rules, levels, now);
    for (const n of nested) {
      const r = evaluateContext(n, rules, levels, now);
      result.findings.push(...r.findings);
      result.suppressions.push(...r.suppressions);
      result.stagingTables.push(...r.stagingTables);
    }
    return result;
  });
}

interface ActiveSuppression {
  readonly s: Suppression;
  matched: number;
  readonly record: number;
}

/** A suppression record while the template is evaluated (its `matched` count grows). */
type SuppressionTally = Omit<SuppressionRecord, 'matched' | 'beyondLimit'> & { matched: number; beyondLimit?: boolean };

/** What every finding and suppression record of a resource says about where it is. */
type ResourcePlace = (
  r: CfnResourceView,
) => Pick<PolicyFinding, 'logicalId' | 'resourceType' | 'constructPath' | 'stackName'>;

/** The suppressions of one template: every record, and the active ones by logical id and rule id. */
interface TemplateSuppressions {
  readonly records: SuppressionTally[];
  readonly active: Map<string, Map<string, ActiveSuppression>>;
}

function evaluateContext(
  ctx: TemplateContext,
  rules: readonly PolicyRule[],
  levels: readonly FindingLevel[],
  now: Date,
): StackEvaluation {
  const findings: PolicyFinding[] = [];
  const stack = ctx.stackName === undefined ? {} : { stackName: ctx.stackName };
  const place: ResourcePlace = (r) => ({
    logicalId: r.logicalId,
    resourceType: r.type,
    constructPath: ctx.constructPath(r),
    ...stack,
  });
  const suppressions = readSuppressions(ctx, now, place, findings);
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!;
    const run = (r: CfnResourceView) => {
      const finding = checkResource(rule, levels[i]!, r, ctx, now, suppressions, place);
      if (finding) findings.push(finding);
    };
    if (rule.resourceTypes) {
      for (const t of rule.resourceTypes) for (const r of ctx.ofType(t)) run(r);
    } else {
      for (const r of ctx.resources()) run(r);
    }
  }
  return { ...stack, findings, suppressions: suppressions.records, stagingTables: stagingTablesOf(ctx) };
}

/**
 * Reads the suppressions of a template once, only on resources that carry some. Invalid, expired
 * and too long ones are findings (and suppress nothing); the others are active.
 */
function readSuppressions(
  ctx: TemplateContext,
  now: Date,
  place: ResourcePlace,
  findings: PolicyFinding[],
): TemplateSuppressions {
  const records: SuppressionTally[] = [];
  const active = new Map<string, Map<string, ActiveSuppression>>();
  for (const r of ctx.resources()) {
    const entries = r.metadata[SUPPRESSIONS_METADATA_KEY];
    if (entries === undefined) continue;
    for (const e of Array.isArray(entries) ? entries : [entries]) {
      const problem = suppressionProblem(e);
      if (problem) {
        findings.push({
          ruleId: SUPPRESSION_INVALID_ID,
          level: 'error',
          message: `${problem}; it does not suppress anything`,
          ...place(r),
        });
        continue;
      }
      const s = e as Suppression;
      const sup: Suppression = { ruleId: s.ruleId, reason: s.reason, expires: s.expires };
      const expired = now.getTime() >= expiryInstant(s.expires)!;
      records.push({ ...sup, ...place(r), expired, matched: 0 });
      if (expired) {
        findings.push({
          ruleId: SUPPRESSION_EXPIRED_ID,
          level: 'error',
          message: `suppression of ${s.ruleId} expired on ${s.expires} (reason: ${s.reason}); fix the violation or renew the suppression`,
          ...place(r),
        });
        continue;
      }
      const tooLong = suppressionLimitProblem(sup, now, ctx.settings.maxSuppressionDays);
      if (tooLong) {
        records[records.length - 1]!.beyondLimit = true;
        findings.push({ ruleId: SUPPRESSION_TOO_LONG_ID, level: 'error', message: tooLong, ...place(r) });
        continue;
      }
      let m = active.get(r.logicalId);
      if (!m) active.set(r.logicalId, (m = new Map()));
      m.set(s.ruleId, { s: sup, matched: 0, record: records.length - 1 });
    }
  }
  return { records, active };
}

/**
 * Runs one rule on one resource: undefined when it complies, else its finding (level after the
 * finding's own `enforceFrom`; the suppression that covers it counted).
 */
function checkResource(
  rule: PolicyRule,
  level: FindingLevel,
  r: CfnResourceView,
  ctx: TemplateContext,
  now: Date,
  suppressions: TemplateSuppressions,
  place: ResourcePlace,
): PolicyFinding | undefined {
  let result;
  try {
    result = rule.check(r, ctx);
  } catch (e) {
    result = { violation: `rule failed on this resource: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (typeof result === 'string') return undefined;
  const sup = suppressions.active.get(r.logicalId)?.get(rule.id);
  if (sup) {
    sup.matched++;
    suppressions.records[sup.record]!.matched++;
  }
  // A finding's own date can only make it later, never earlier, than the rule's.
  const own = result.enforceFrom;
  const lvl = level === 'error' && own !== undefined && !enforcedAt(own, now) ? 'warning' : level;
  let from: string | undefined;
  if (lvl === 'warning' && rule.level !== 'warning') {
    const dates = [
      level === 'warning' ? rule.enforceFrom : undefined,
      own !== undefined && !enforcedAt(own, now) ? own : undefined,
    ].filter((d): d is string => d !== undefined);
    from = dates.sort().pop();
  }
  return {
    ruleId: rule.id,
    level: lvl,
    message: result.violation,
    ...place(r),
    ...(sup ? { suppressed: sup.s } : {}),
    ...(from === undefined ? {} : { enforceFrom: from }),
  };
}

/** Findings that fail synth: error level and not suppressed. */
export const blockingFindings = (findings: readonly PolicyFinding[]): PolicyFinding[] =>
  findings.filter((f) => f.level === 'error' && !f.suppressed);

/** One line per finding: `MESH-… <construct path>: <message>` (suppressed and warnings marked, with their enforcement date). */
export function formatFinding(f: PolicyFinding): string {
  const tag = f.suppressed
    ? ` [suppressed until ${f.suppressed.expires}: ${f.suppressed.reason}]`
    : f.level === 'warning'
      ? f.enforceFrom
        ? ` [warning: an error from ${f.enforceFrom}]`
        : ' [warning]'
      : '';
  const from = f.pack !== undefined && f.pack !== '@meshkit/core' ? ` (${f.pack} ${f.packVersion})` : '';
  return `${f.ruleId}${from} ${f.constructPath}: ${f.message}${tag}`;
}
