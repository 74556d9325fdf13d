import semver from 'semver';

/** Options of {@link majorOf}. */
export interface MajorOfOptions {
  /**
   * Accept loose versions (`1.2`, `v1`, `1.2.3.4`): the major of `semver.coerce`. Strict, only
   * `MAJOR.MINOR.PATCH` with an optional leading `v`, pre-release and build is accepted.
   * @default false
   */
  loose?: boolean;
}

const STRICT = /^v?(\d+)\.\d+\.\d+(?:[-+].*)?$/;

/**
 * The major of a contract or package version (`1.4.2` → 1), or `undefined` when `version` is not
 * a version (see {@link MajorOfOptions.loose}). Numbers are read as their decimal text.
 */
export function majorOf(version: unknown, options: MajorOfOptions = {}): number | undefined {
  if (options.loose) {
    if (typeof version !== 'string' && typeof version !== 'number') return undefined;
    const v = semver.valid(String(version)) ?? semver.coerce(String(version))?.version;
    return v ? semver.major(v) : undefined;
  }
  const m = STRICT.exec(String(version).trim());
  return m ? Number(m[1]) : undefined;
}
