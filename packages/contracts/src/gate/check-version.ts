/**
 * The version gate (`mesh contract check`): compares a contract with its baseline and checks that
 * the bump it declares — its `version` when that moved, else the pending changesets — is at least
 * the bump its changes require.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { diffContracts, type DiffResult } from '../diff/diff.js';
import { compareBumps, versionBump, type Bump, type CompatibilityMode } from '../diff/verdict.js';
import type { ContractInput } from '../diff/walk.js';
import { MeshError } from '../errors.js';

/** The outcome of {@link checkVersion}. */
export interface GateResult {
  baselineVersion: string;
  version: string;
  /** The bump the contract declares; `undefined` when neither its version nor a changeset declares one. */
  declaredBump: Bump | undefined;
  /** Where the declared bump comes from. */
  declaredFrom: 'version' | 'changeset' | undefined;
  diff: DiffResult;
  /** VERSION_BUMP_INSUFFICIENT or VERSION_NOT_BUMPED (severity error, at the `version` key of the new file). */
  findings: Diagnostic[];
  /** No findings: the declared bump covers the required one (an incompatible diff with a major bump is ok). */
  ok: boolean;
}

/** Options of {@link checkVersion}. */
export interface CheckVersionOptions {
  /** Compatibility mode. @default the contract's `meshkit.compatibility`, else `FULL` */
  mode?: CompatibilityMode;
  /** The largest bump of the pending changesets for the contract's package (see `pendingChangesetBump`). @default none pending */
  changesetBump?: Bump;
}

/**
 * Checks the version of `current` against `baseline`. The declared bump is the semver difference
 * of the two versions (prerelease tags ignored; a lower version declares `none`) when the version
 * strings differ, else `options.changesetBump`. A declared bump smaller than the diff's
 * `requiredBump` is VERSION_BUMP_INSUFFICIENT; changed content without a declared bump is
 * VERSION_NOT_BUMPED. A version may move without content changes.
 *
 * @throws MeshError (INVALID_CONTRACT, exit 2) when a version is not semver.
 */
export function checkVersion(
  baseline: ContractInput,
  current: ContractInput,
  options: CheckVersionOptions = {},
): GateResult {
  const baselineVersion = String(baseline.contract.version);
  const version = String(current.contract.version);
  const diff = diffContracts([baseline], current, options.mode ? { mode: options.mode } : {});
  let declaredBump: Bump | undefined;
  let declaredFrom: GateResult['declaredFrom'];
  if (version !== baselineVersion) {
    const bump = versionBump(baselineVersion, version);
    if (bump === undefined) {
      const bad = versionBump(baselineVersion, baselineVersion) === undefined ? baseline : current;
      const where = bad.source.locate(['version']);
      throw new MeshError(
        'INVALID_CONTRACT',
        `version ${JSON.stringify(bad.contract.version)} is not a semantic version (MAJOR.MINOR.PATCH)`,
        { file: where.file, line: where.line, column: where.column, exitCode: 2 },
      );
    }
    declaredBump = bump;
    declaredFrom = 'version';
  } else if (options.changesetBump !== undefined) {
    declaredBump = options.changesetBump;
    declaredFrom = 'changeset';
  }
  const findings: Diagnostic[] = [];
  const required = diff.requiredBump;
  if (required !== 'none') {
    const location = () => current.source.locate(['version'], { key: true });
    if (declaredBump === undefined) {
      findings.push({
        rule: 'VERSION_NOT_BUMPED',
        severity: 'error',
        location: location(),
        path: 'version',
        message: `content changed since ${baselineVersion} but the version was not bumped (needs a ${required} bump: change 'version' or add a changeset)`,
      });
    } else if (compareBumps(declaredBump, required) < 0) {
      findings.push({
        rule: 'VERSION_BUMP_INSUFFICIENT',
        severity: 'error',
        location: location(),
        path: 'version',
        message: `${baselineVersion} → ${version}${declaredFrom === 'changeset' ? ` (changeset: ${declaredBump})` : ''} declares a ${declaredBump} bump; the changes need a ${required} bump`,
      });
    }
  }
  return { baselineVersion, version, declaredBump, declaredFrom, diff, findings, ok: findings.length === 0 };
}
