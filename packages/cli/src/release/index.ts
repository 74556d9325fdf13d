// Barrel of src/release: `mesh changeset` and `mesh version` as library calls.
export {
  CHANGESET_DIR, changesetName, isGeneratedFor, largestPending, readPendingChangesets, renderChangeset, writeAtomic,
  type ChangesetContent, type PendingChangeset,
} from './changeset-file.js';
export { applyChangesetPlans, packageNameOf, planChangesets, type ChangesetAction, type PlanChangesetsOptions, type ProductChangesetPlan } from './plan-changesets.js';
export { readContractVersion, setContractVersion, versionPosition } from './contract-version.js';
export { applyVersions, changesetsBin, type ApplyVersionsOptions, type VersionRelease, type VersionResult } from './apply-versions.js';
