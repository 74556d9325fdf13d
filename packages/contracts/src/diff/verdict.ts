/**
 * Modes, severity and the required version bump of the compatibility diff.
 */
import semver from 'semver';
import type { Breaks } from './rules.js';

/** A compatibility mode (see `contract-compatibility.md`, *Directions*). */
export type CompatibilityMode =
  'NONE' | 'BACKWARD' | 'FORWARD' | 'FULL' | 'BACKWARD_TRANSITIVE' | 'FORWARD_TRANSITIVE' | 'FULL_TRANSITIVE';

/** A semver bump. */
export type Bump = 'major' | 'minor' | 'patch' | 'none';

/** Every mode name. */
export const COMPATIBILITY_MODES: readonly CompatibilityMode[] = [
  'NONE',
  'BACKWARD',
  'FORWARD',
  'FULL',
  'BACKWARD_TRANSITIVE',
  'FORWARD_TRANSITIVE',
  'FULL_TRANSITIVE',
];

/** The mode used when neither `--mode` nor `meshkit.compatibility` names one. */
export const DEFAULT_MODE: CompatibilityMode = 'FULL';

/** The custom property of a contract that sets its compatibility mode. */
export const COMPATIBILITY_PROPERTY = 'meshkit.compatibility';

/** True when `value` is a mode name. */
export function isCompatibilityMode(value: unknown): value is CompatibilityMode {
  return typeof value === 'string' && (COMPATIBILITY_MODES as readonly string[]).includes(value);
}

/**
 * THE spelling rule of `meshkit.compatibility` (lint and diff both use it): a mode name,
 * case-insensitive, surrounding blanks ignored (`backward`, ` Full `). Undefined for anything else.
 */
export function parseCompatibilityMode(value: unknown): CompatibilityMode | undefined {
  const v = typeof value === 'string' ? value.trim().toUpperCase() : value;
  return isCompatibilityMode(v) ? v : undefined;
}

/** Which directions a mode checks, and whether against every earlier version. */
export function modeChecks(mode: CompatibilityMode): { backward: boolean; forward: boolean; transitive: boolean } {
  return {
    backward: mode.startsWith('BACKWARD') || mode.startsWith('FULL'),
    forward: mode.startsWith('FORWARD') || mode.startsWith('FULL'),
    transitive: mode.endsWith('_TRANSITIVE'),
  };
}

/** True when a change breaking `breaks` is breaking under `mode` (it breaks a direction the mode checks). */
export function isBreaking(breaks: Breaks, mode: CompatibilityMode): boolean {
  const c = modeChecks(mode);
  return (breaks.backward && c.backward) || (breaks.forward && c.forward);
}

/**
 * True when `to` gives at least the guarantees of `from`: it checks every direction `from`
 * checks, and transitively when `from` does. Any other change of mode is a weakening.
 */
export function isModeAtLeast(to: CompatibilityMode, from: CompatibilityMode): boolean {
  const a = modeChecks(from);
  const b = modeChecks(to);
  if (a.backward && !b.backward) return false;
  if (a.forward && !b.forward) return false;
  return !a.transitive || b.transitive || (!a.backward && !a.forward);
}

const RANK: Record<Bump, number> = { none: 0, patch: 1, minor: 2, major: 3 };

/** Orders bumps: negative when `a` is smaller than `b`. */
export function compareBumps(a: Bump, b: Bump): number {
  return RANK[a] - RANK[b];
}

/** The larger of two bumps. */
export function maxBump(a: Bump, b: Bump): Bump {
  return RANK[a] >= RANK[b] ? a : b;
}

/**
 * Moves a required bump down one place for versions below 1.0.0 (major → minor, minor → patch;
 * patch and none stay), as npm caret ranges do. Prerelease tags are ignored; an unparseable
 * version is left as is.
 */
export function shiftBelowOne(bump: Bump, baselineVersion: string | undefined): Bump {
  const v =
    baselineVersion === undefined
      ? null
      : (semver.parse(baselineVersion, { loose: true }) ?? semver.coerce(baselineVersion));
  if (!v || v.major >= 1) return bump;
  return bump === 'major' ? 'minor' : bump === 'minor' ? 'patch' : bump;
}

/**
 * The bump between two versions, ignoring prerelease tags: `none` when the release parts are
 * equal, or when `to` is lower than `from`; `undefined` when either is not a semver version.
 */
export function versionBump(from: string, to: string): Bump | undefined {
  const a = semver.parse(from, { loose: true });
  const b = semver.parse(to, { loose: true });
  if (!a || !b) return undefined;
  if (b.major !== a.major) return b.major > a.major ? 'major' : 'none';
  if (b.minor !== a.minor) return b.minor > a.minor ? 'minor' : 'none';
  if (b.patch !== a.patch) return b.patch > a.patch ? 'patch' : 'none';
  return 'none';
}
