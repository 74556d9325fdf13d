/**
 * @meshkit/release — releases of data products as a library (see README.md): the changesets a
 * product's contract diff requires ({@link planChangesets}, {@link applyChangesetPlans}), their
 * application with changesets ({@link applyVersions}) and a new major served side by side
 * ({@link startMajor}). The `mesh changeset`, `mesh version` and `mesh major` commands of
 * @meshkit/cli only parse arguments and render these results.
 */
export {
  CHANGESET_DIR,
  changesetName,
  isGeneratedFor,
  largestPending,
  readPendingChangesets,
  renderChangeset,
  type ChangesetContent,
  type PendingChangeset,
} from './changeset-file.js';
export {
  applyChangesetPlans,
  packageNameOf,
  planChangesets,
  type ChangesetAction,
  type PlanChangesetsOptions,
  type ProductChangesetPlan,
} from './plan-changesets.js';
export {
  applyVersions,
  changesetsBin,
  type ApplyVersionsOptions,
  type VersionRelease,
  type VersionResult,
} from './apply-versions.js';
export { addServedMajor, compatibilitySql, setPackageVersion, startMajor, type MajorResult } from './major.js';
