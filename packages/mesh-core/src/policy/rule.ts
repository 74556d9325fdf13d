import type { TemplateContext } from './template-context.js';

/** Areas of the policy pack (the `<AREA>` part of a rule id). */
export type PolicyArea = 'ENC' | 'TAG' | 'DQ' | 'IAM' | 'NET' | 'LF' | 'LOG' | 'DR' | 'RES' | 'CFN';

/**
 * One resource of a synthesized CloudFormation template, as the rules see it. The fields point
 * into the template JSON (no copy): rules must treat them as read-only.
 */
export interface CfnResourceView {
  /** Logical id of the resource in its template. */
  readonly logicalId: string;
  /** CloudFormation type, e.g. `AWS::S3::Bucket`. */
  readonly type: string;
  /** `Properties` (CloudFormation JSON with intrinsics such as `{ Ref }`); `{}` when absent. */
  readonly properties: Readonly<Record<string, unknown>>;
  /** `Metadata`; `{}` when absent. */
  readonly metadata: Readonly<Record<string, unknown>>;
  /** `DependsOn`, always a list. */
  readonly dependsOn: readonly string[];
  /** `DeletionPolicy`, when set. */
  readonly deletionPolicy: string | undefined;
}

/**
 * Outcome of one rule on one resource. A violation may carry its own `enforceFrom` (e.g. a
 * mandatory tag introduced with a date): before it, the finding is a warning.
 */
export type RuleResult = 'compliant' | 'not-applicable' | { violation: string; enforceFrom?: string };

/**
 * A rule of the global policy pack: data plus a pure function over ONE resource of a synthesized
 * template (`ctx` gives the rest of the template for cross-resource rules). Rules never mutate.
 */
export interface PolicyRule {
  /** `MESH-<AREA>-<NAME>`, stable: suppressions and reports refer to it. */
  readonly id: string;
  /** Area of the rule. */
  readonly area: PolicyArea;
  /** One line: what the rule requires. */
  readonly title: string;
  /** Why the platform requires it. */
  readonly rationale: string;
  /** How to comply (the documented fix). */
  readonly fix: string;
  /** Pack version that introduced the rule. */
  readonly since: string;
  /**
   * ISO date (`YYYY-MM-DD`) from which a violation is an error; before it, a warning.
   * @default - enforced (error) from `since`
   */
  readonly enforceFrom?: string;
  /**
   * `warning`: the rule never fails synth (reported only), whatever `enforceFrom` says; set by
   * the platform in `mesh.config.yaml` `policy.rules.<id>.level`.
   * @default - an error (from `enforceFrom` when set)
   */
  readonly level?: 'warning';
  /**
   * CloudFormation types the rule looks at; the engine calls `check` only for these.
   * @default - every resource of the template
   */
  readonly resourceTypes?: readonly string[];
  /** The check: pure, fast, read-only. */
  check(resource: CfnResourceView, ctx: TemplateContext): RuleResult;
}

/** A violation result (a warning until `enforceFrom`, when given). */
export const violation = (message: string, enforceFrom?: string): RuleResult =>
  enforceFrom === undefined ? { violation: message } : { violation: message, enforceFrom };
