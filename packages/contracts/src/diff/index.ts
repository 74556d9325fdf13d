// Barrel of src/diff: the compatibility diff of contract-compatibility.md.
export { diffContracts, resolveMode, toDiffJson, type Change, type DiffOptions, type DiffResult } from './diff.js';
export type { ContractInput } from './walk.js';
export {
  CHANGE_RULES,
  CHANGE_RULE_IDS,
  REVERSE_RULE,
  type Breaks,
  type BumpClass,
  type ChangeRule,
  type ChangeRuleId,
} from './rules.js';
export {
  COMPATIBILITY_MODES,
  COMPATIBILITY_PROPERTY,
  DEFAULT_MODE,
  compareBumps,
  isBreaking,
  isCompatibilityMode,
  parseCompatibilityMode,
  isModeAtLeast,
  maxBump,
  modeChecks,
  shiftBelowOne,
  versionBump,
  type Bump,
  type CompatibilityMode,
} from './verdict.js';
export {
  parsePhysicalType,
  physicalTypeVerdict,
  logicalTypeVerdict,
  integerFormatVerdict,
  type NormalType,
  type TypeVerdict,
} from './types.js';
export {
  allowedMetricValues,
  compareThresholds,
  isAllowedValuesRule,
  type Interval,
  type ValueSet,
} from './quality.js';
export { compareSla, readSlaValue, unreadableSlaValue, slaDirection, unitInMs, type SlaValue } from './sla.js';
