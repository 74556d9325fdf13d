// Barrel of src/lint: the contract lint engine, its rule pack and the portable-regex checker.
export type {
  LintContext,
  LintFinding,
  LintRule,
  LintRuleSetting,
  LintSeverity,
  PropertyVisit,
  SchemaObjectVisit,
} from './types.js';
export { createLintContext } from './context.js';
export { lintContract, resolveLintSettings, type LintOptions } from './lint-contract.js';
export { lintRules } from './rules/index.js';
export {
  checkPortableRegex,
  isPortableRegex,
  MAX_PORTABLE_REPEAT,
  type PortableRegexProblem,
} from './portable-regex.js';
export { closeMatches, editDistance } from './close-matches.js';
