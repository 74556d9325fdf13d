import type { LoadedContract } from '../contract/load-contract.js';
import { compareDiagnostics, type Diagnostic, type Severity } from '../diagnostics/diagnostic.js';
import { MeshError } from '../errors.js';
import { formatPath } from '../load/schema-diagnostics.js';
import { closeMatches } from './close-matches.js';
import { createLintContext } from './context.js';
import { lintRules } from './rules/index.js';
import type { LintRule, LintRuleSetting } from './types.js';

/** Options of {@link lintContract}. */
export interface LintOptions {
  /**
   * Severity overrides by rule id (`off` disables a rule), e.g. from `mesh.config.yaml`
   * `contracts.lint.rules`. @default {} (every rule at its default severity)
   */
  rules?: Record<string, LintRuleSetting>;
  /** The rules to run. @default {@link lintRules} (the whole pack) */
  ruleSet?: readonly LintRule[];
  /**
   * Classification of properties that declare none: `defaults.classification` of
   * `mesh.config.yaml`. With it, CONTRACT-PROPERTY-CLASSIFICATION does not ask every property for
   * one. @default undefined (no configured default)
   */
  defaultClassification?: string;
}

const SETTINGS: readonly string[] = ['off', 'warn', 'error'];

/**
 * The effective setting of every rule: its default severity unless `overrides` sets it.
 *
 * @throws MeshError `INVALID_CONFIG` (exit 2) for an unknown rule id (naming it and listing close
 * matches) or a setting other than `off`, `warn`, `error`
 */
export function resolveLintSettings(
  overrides: Record<string, LintRuleSetting> = {},
  ruleSet: readonly LintRule[] = lintRules,
): Map<LintRule, LintRuleSetting> {
  const byId = new Map(ruleSet.map((r) => [r.id, r] as const));
  // Rule ids of another family (PRODUCT-… for the product lint) are that lint's to check.
  const families = new Set(ruleSet.map((r) => r.id.split('-')[0]));
  for (const [id, setting] of Object.entries(overrides)) {
    if (/^[A-Z][A-Z0-9]*-/.test(id) && !families.has(id.split('-')[0])) continue;
    if (!byId.has(id)) {
      const ids = [...byId.keys()];
      const near = closeMatches(id, ids);
      throw new MeshError(
        'INVALID_CONFIG',
        `unknown lint rule '${id}'${near.length ? ` (did you mean ${near.join(', ')}?)` : ''}; known rules: ${ids.join(', ')}`,
        { exitCode: 2 },
      );
    }
    if (!SETTINGS.includes(setting)) {
      throw new MeshError(
        'INVALID_CONFIG',
        `lint rule '${id}' has setting ${JSON.stringify(setting)}: use off, warn or error`,
        { exitCode: 2 },
      );
    }
  }
  return new Map(ruleSet.map((r) => [r, overrides[r.id] ?? r.defaultSeverity]));
}

/**
 * Lints a loaded contract: its schema diagnostics when it is not a valid ODCS document (then
 * nothing else), otherwise the findings of every lint rule that is not `off`, located in the
 * source (`warn` becomes severity `warning`), sorted by line and column.
 *
 * Positions are computed only when there is a finding, once per file.
 *
 * @throws MeshError `INVALID_CONFIG` (exit 2) for an unknown rule id or setting in `options.rules`
 */
export function lintContract(loaded: LoadedContract, options: LintOptions = {}): Diagnostic[] {
  const settings = resolveLintSettings(options.rules, options.ruleSet);
  if (!loaded.contract) return [...loaded.diagnostics].sort(compareDiagnostics);
  const out: Diagnostic[] = [...loaded.diagnostics];
  const ctx = createLintContext(loaded.contract, options.defaultClassification);
  for (const [rule, setting] of settings) {
    if (setting === 'off') continue;
    const severity: Severity = setting === 'warn' ? 'warning' : 'error';
    for (const finding of rule.check(ctx)) {
      out.push({
        rule: rule.id,
        severity,
        message: finding.message,
        location: loaded.source.locate(finding.path, { key: finding.key ?? false }),
        path: formatPath(finding.path),
        rationale: rule.rationale,
      });
    }
  }
  return out.sort(compareDiagnostics);
}
