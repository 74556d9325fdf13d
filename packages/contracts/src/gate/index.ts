// Barrel of src/gate: the version gate (`mesh contract check`).
export { checkVersion, type CheckVersionOptions, type GateResult } from './check-version.js';
export { pendingChangesetBump } from './changesets.js';
export { readGitBaseline } from './git-baseline.js';
