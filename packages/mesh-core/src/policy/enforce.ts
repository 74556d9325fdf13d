import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { PolicySettings } from '@meshkit/contracts';
import {
  type Stage,
  Validations,
  type IPolicyValidationContext,
  type IPolicyValidationPlugin,
  type PolicyValidationPluginReport,
  type PolicyViolation,
} from 'aws-cdk-lib';
import type { MandatoryTags } from '../tags.js';
import { constructPathResolver } from './construct-paths.js';
import { evaluateTemplates, formatFinding } from './evaluate.js';
import { MeshTags } from './mandatory-tags.js';
import { nestedTemplatesOf } from './nested-templates.js';
import { MESH_POLICY_RULES } from './pack.js';
import type { CfnTemplate } from './template-context.js';
import { buildPolicyReport, type PolicyReport } from './report.js';
import type { PolicyRule } from './rule.js';
import { MESH_POLICY_PACK_VERSION } from './version.js';

/** Options of {@link enforceMeshPolicies}. */
export interface EnforceMeshPoliciesOptions {
  /** Rules to enforce. @default MESH_POLICY_RULES (the whole pack) */
  readonly rules?: readonly PolicyRule[];
  /** Clock for `enforceFrom` and suppression expiry. @default - the current time at synth */
  readonly now?: Date;
  /**
   * Mandatory tags to apply to every taggable resource of the scope (MeshTags). Products apply
   * their own with `MeshTags.apply(productStack, tags)`. Like every CDK aspect, they do not
   * reach into nested Stages: apply them per Stage (the validation itself covers nested Stages).
   * @default - no tags applied here (MESH-TAG-MANDATORY still checks them)
   */
  readonly tags?: MandatoryTags;
  /** The platform's settings (`mesh.config.yaml` `policy`). @default no allowances, suppressions of at most 180 days */
  readonly settings?: PolicySettings;
}

/** Name under which the pack reports in CDK's validation report. */
export const MESH_POLICY_PLUGIN_NAME = 'meshkit-policy-pack';

/**
 * The CDK policy-validation plugin running the pack over every synthesized template: escape
 * hatches and overrides are in the template, so they are checked too.
 */
export class MeshPolicyValidationPlugin implements IPolicyValidationPlugin {
  readonly name = MESH_POLICY_PLUGIN_NAME;
  readonly version = MESH_POLICY_PACK_VERSION;
  readonly ruleIds: string[];
  /** Report of the last validation (also when synth failed): what `validateAssembly(app)` returns. */
  lastReport: PolicyReport | undefined;
  private readonly rules: readonly PolicyRule[];
  private readonly now: Date | undefined;
  private readonly settings: PolicySettings | undefined;

  constructor(options: { rules?: readonly PolicyRule[]; now?: Date; settings?: PolicySettings } = {}) {
    this.rules = options.rules ?? MESH_POLICY_RULES;
    this.now = options.now;
    this.settings = options.settings;
    this.ruleIds = this.rules.map((r) => r.id);
  }

  validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const now = this.now ?? new Date();
    const stacks = context.stackTemplates;
    const paths = constructPathResolver(context.appConstruct);
    // context.stackTemplates lists top-level stacks only: nested stacks come from their assets.
    const cache = new Map();
    const evals = evaluateTemplates(
      stacks.map((s) => {
        const template = JSON.parse(readFileSync(s.templatePath, 'utf8')) as CfnTemplate;
        return {
          template,
          stackName: s.stackConstructPath,
          key: s.templatePath,
          pathOf: paths(s.stackConstructPath),
          nested: nestedTemplatesOf(dirname(s.templatePath), template, cache),
          nestedPathOf: paths,
        };
      }),
      { rules: this.rules, now, ...(this.settings ? { settings: this.settings } : {}) },
    );
    this.lastReport = buildPolicyReport(
      evals,
      stacks.map((s) => s.stackConstructPath),
      stacks.map((s) => s.templatePath),
      now,
    );
    const fixes = new Map(this.rules.map((r) => [r.id, r.fix]));
    const violations: PolicyViolation[] = [];
    evals.forEach((e, i) => {
      for (const f of e.findings) {
        if (f.suppressed) continue;
        const fix = fixes.get(f.ruleId);
        violations.push({
          ruleName: f.ruleId,
          description: formatFinding(f),
          // 'fatal' errors cannot be silenced by CDK acknowledgements: suppress() is the only way.
          severity: f.level === 'error' ? 'fatal' : 'warning',
          ...(fix === undefined ? {} : { fix }),
          violatingResources: [
            { resourceLogicalId: f.logicalId, templatePath: stacks[i]!.templatePath, locations: [] },
          ],
        });
      }
    });
    return { success: this.lastReport.ok, violations, pluginVersion: MESH_POLICY_PACK_VERSION };
  }
}

const registered = new WeakMap<Stage, MeshPolicyValidationPlugin>();

/** The plugin registered on `stage` by {@link enforceMeshPolicies}, if any. */
export const meshPolicyPluginOf = (stage: Stage): MeshPolicyValidationPlugin | undefined => registered.get(stage);

/**
 * Registers the policy pack on an App or Stage: a CDK policy-validation plugin that runs the
 * rules over every synthesized template (violations at error level fail synth with lines
 * `MESH-… <construct path>: <message>`), and — when `options.tags` is given — the mandatory
 * tags. Idempotent per stage (the first registration's options win).
 */
export function enforceMeshPolicies(
  scope: Stage,
  options: EnforceMeshPoliciesOptions = {},
): MeshPolicyValidationPlugin {
  let plugin = registered.get(scope);
  if (!plugin) {
    plugin = new MeshPolicyValidationPlugin({
      ...(options.rules ? { rules: options.rules } : {}),
      ...(options.now ? { now: options.now } : {}),
      ...(options.settings ? { settings: options.settings } : {}),
    });
    Validations.of(scope).addPlugins(plugin);
    registered.set(scope, plugin);
  }
  if (options.tags) MeshTags.apply(scope, options.tags);
  return plugin;
}
