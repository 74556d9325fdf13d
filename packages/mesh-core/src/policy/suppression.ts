/** The suppression model shared by `suppress()` (writer) and the engine (reader). Pure. */

/** Resource Metadata key holding the suppressions of a resource (a list of {@link Suppression}). */
export const SUPPRESSIONS_METADATA_KEY = 'meshkit:suppressions';
/** Finding id of an expired suppression (an error; the suppression no longer applies). */
export const SUPPRESSION_EXPIRED_ID = 'MESH-SUPPRESSION-EXPIRED';
/** Finding id of a malformed suppression entry (e.g. written by hand without a reason). */
export const SUPPRESSION_INVALID_ID = 'MESH-SUPPRESSION-INVALID';
/** Minimum length of a suppression reason. */
export const MIN_REASON_LENGTH = 10;

/** A suppression of one rule on one resource. */
export interface Suppression {
  /** Rule suppressed. */
  readonly ruleId: string;
  /** Why (at least 10 characters). */
  readonly reason: string;
  /** ISO date (`YYYY-MM-DD`, valid through that day, UTC) or date-time after which it expires. */
  readonly expires: string;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** Instant (ms) from which a suppression is expired, or `undefined` when `expires` is not an ISO date. */
export function expiryInstant(expires: unknown): number | undefined {
  if (typeof expires !== 'string') return undefined;
  if (DATE_ONLY.test(expires)) {
    const t = Date.parse(`${expires}T00:00:00Z`);
    // A date-only expiry is valid through that whole day (UTC).
    return Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== expires ? undefined : t + 86_400_000;
  }
  if (DATE_TIME.test(expires)) {
    const t = Date.parse(expires);
    return Number.isNaN(t) ? undefined : t;
  }
  return undefined;
}

/** Why an entry is not a valid suppression, or `undefined` when it is. */
export function suppressionProblem(entry: unknown): string | undefined {
  if (typeof entry !== 'object' || entry === null) return 'suppression entry is not an object';
  const e = entry as Record<string, unknown>;
  if (typeof e.ruleId !== 'string' || e.ruleId === '') return 'suppression has no ruleId';
  if (typeof e.reason !== 'string' || e.reason.trim().length < MIN_REASON_LENGTH) return `suppression of ${e.ruleId} has no reason of at least ${MIN_REASON_LENGTH} characters`;
  if (expiryInstant(e.expires) === undefined) return `suppression of ${e.ruleId} has no valid ISO expiry date (got ${JSON.stringify(e.expires)})`;
  return undefined;
}
