/**
 * `diffContracts`: the compatibility diff of `contract-compatibility.md` — changes with rule ids,
 * the verdict under a mode, and the version bump the changes require.
 */
import { compareDiagnostics, type Diagnostic, type Severity } from '../diagnostics/diagnostic.js';
import { MeshError } from '../errors.js';
import { CHANGE_RULES, type Breaks, type ChangeRuleId } from './rules.js';
import {
  DEFAULT_MODE,
  isBreaking,
  isCompatibilityMode,
  maxBump,
  modeChecks,
  shiftBelowOne,
  type Bump,
  type CompatibilityMode,
} from './verdict.js';
import type { RawChange } from './recorder.js';
import { ContractWalker, declaredMode, type ContractInput } from './walk.js';

/** One classified change between two contracts. */
export interface Change extends Diagnostic {
  rule: ChangeRuleId;
  /** Which readers this change breaks (independent of the mode). */
  breaks: Breaks;
  /** Logical path, e.g. `schema[orders].properties[note]`. */
  path: string;
}

/** The result of a compatibility diff. */
export interface DiffResult {
  /** No change is breaking under `mode`. */
  compatible: boolean;
  /** The mode the changes were judged under. */
  mode: CompatibilityMode;
  /** The smallest version bump the changes require (after the below-1.0.0 shift). */
  requiredBump: Bump;
  /** Sorted by location (file, line, column), then rule id. */
  changes: Change[];
}

/** Options of {@link diffContracts}. */
export interface DiffOptions {
  /**
   * The mode (the `--mode` flag). @default the new contract's `meshkit.compatibility` custom
   * property, else `FULL`
   */
  mode?: CompatibilityMode;
}

/**
 * The mode a diff uses: `options.mode` (the `--mode` flag), else the new contract's
 * `meshkit.compatibility`, else `FULL`.
 *
 * @throws MeshError (INVALID_CONTRACT, exit 2) when the new contract's `meshkit.compatibility` is
 * not a mode name (checked even when a flag is given), or when `options.mode` is not one.
 */
export function resolveMode(next: ContractInput, options: DiffOptions = {}): CompatibilityMode {
  const declared = declaredMode(next, true);
  if (options.mode !== undefined && !isCompatibilityMode(options.mode)) {
    throw new MeshError('USAGE', `unknown compatibility mode '${String(options.mode)}'`, { exitCode: 2 });
  }
  return options.mode ?? declared ?? DEFAULT_MODE;
}

const keyOf = (r: RawChange): string => `${r.rule}\u0000${r.path}`;
const breakingUnder = (r: RawChange, mode: CompatibilityMode): boolean => isBreaking(r.breaks, r.judge ?? mode);

/**
 * Compares `next` with the published versions `olds` (oldest first, at least one) and classifies
 * every change by the rules of `contract-compatibility.md`.
 *
 * - Non-transitive modes compare with the last old contract only.
 * - `*_TRANSITIVE` modes compare with every old contract; a change is breaking if it breaks
 *   against any. The result lists every change against the latest old contract, plus each
 *   breaking change found only against an earlier one (deduplicated by rule + path; when both
 *   report the same rule and path, the breaking one is kept).
 * - When the mode comes from the contract (no `options.mode`) and the new contract weakens its
 *   `meshkit.compatibility`, that COMPATIBILITY_MODE_CHANGED is judged under the old contract's
 *   mode, so a contract cannot opt out of its guarantees without a breaking change (e.g. FULL →
 *   NONE is still an error).
 * - `requiredBump` moves down one place when the latest old version is below 1.0.0.
 *
 * Locations are computed only for the reported changes (the new file; the old one for removals).
 *
 * @throws MeshError (exit 2) for an empty `olds` or an invalid mode.
 */
export function diffContracts(
  olds: readonly ContractInput[],
  next: ContractInput,
  options: DiffOptions = {},
): DiffResult {
  const latest = olds[olds.length - 1];
  if (!latest) throw new MeshError('USAGE', 'a diff needs at least one old contract', { exitCode: 2 });
  const mode = resolveMode(next, options);
  const fromFlag = options.mode !== undefined;
  const raws = new ContractWalker(latest, next, fromFlag).run();
  if (modeChecks(mode).transitive && olds.length > 1) {
    const index = new Map<string, number>();
    raws.forEach((r, i) => {
      if (!index.has(keyOf(r))) index.set(keyOf(r), i);
    });
    for (let k = olds.length - 2; k >= 0; k--) {
      for (const r of new ContractWalker(olds[k]!, next, fromFlag).run()) {
        if (!breakingUnder(r, mode)) continue;
        const i = index.get(keyOf(r));
        if (i === undefined) {
          index.set(keyOf(r), raws.length);
          raws.push(r);
        } else if (!breakingUnder(raws[i]!, mode)) {
          raws[i] = r;
        }
      }
    }
  }
  let bump: Bump = 'none';
  let compatible = true;
  const changes: Change[] = raws.map((r) => {
    const v = verdictOf(r, mode);
    bump = maxBump(bump, v.bump);
    if (v.severity === 'error') compatible = false;
    return {
      rule: r.rule,
      severity: v.severity,
      message: r.message,
      location: r.doc.locate(r.at, { key: true }),
      path: r.path,
      breaks: r.breaks,
    };
  });
  changes.sort(compareDiagnostics);
  return { compatible, mode, requiredBump: shiftBelowOne(bump, latest.contract.version), changes };
}

/**
 * Severity and bump of one change under `mode`: breaking → `error`/`major` (under NONE nothing
 * is breaking); breaking only a direction the mode does not check → `warning`/`minor`; otherwise
 * the rule's class (`minor` for additions, `patch` for the rest), `warning` for classification
 * changes and a status moving to deprecated/retired, else `info`.
 */
function verdictOf(r: RawChange, mode: CompatibilityMode): { severity: Severity; bump: Bump } {
  if (breakingUnder(r, mode)) return { severity: 'error', bump: 'major' };
  const breaksAny = r.breaks.backward || r.breaks.forward;
  return {
    severity: breaksAny || r.warn ? 'warning' : 'info',
    bump: breaksAny ? 'minor' : CHANGE_RULES[r.rule].bump,
  };
}

/**
 * The JSON output of `mesh contract diff --format json`, exactly in the specification's shape and
 * key order: `{ compatible, mode, requiredBump, changes: [{ rule, severity, breaks: { backward,
 * forward }, path, message, location: { file, line, column } }] }`.
 */
export function toDiffJson(result: DiffResult): {
  compatible: boolean;
  mode: CompatibilityMode;
  requiredBump: Bump;
  changes: Array<{
    rule: ChangeRuleId;
    severity: Severity;
    breaks: Breaks;
    path: string;
    message: string;
    location: { file: string; line: number; column: number };
  }>;
} {
  return {
    compatible: result.compatible,
    mode: result.mode,
    requiredBump: result.requiredBump,
    changes: result.changes.map((c) => ({
      rule: c.rule,
      severity: c.severity,
      breaks: { backward: c.breaks.backward, forward: c.breaks.forward },
      path: c.path,
      message: c.message,
      location: { file: c.location.file, line: c.location.line, column: c.location.column },
    })),
  };
}
