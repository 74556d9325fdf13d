/** The suppression model shared by `suppress()` (writer) and the engine (reader). Pure. */

/** Resource Metadata key holding the suppressions of a resource (a list of {@link Suppression}). */
export const SUPPRESSIONS_METADATA_KEY = 'meshkit:suppressions';
/** Finding id of an expired suppression (an error; the suppression no longer applies). */
export const SUPPRESSION_EXPIRED_ID = 'MESH-SUPPRESSION-EXPIRED';
/** Finding id of a malformed suppression entry (e.g. written by hand without a reason). */
export const SUPPRESSION_INVALID_ID = 'MESH-SUPPRESSION-INVALID';
/** Finding id of a suppression running longer than the platform allows (`policy.maxSuppressionDays`); it suppresses nothing. */
export const SUPPRESSION_TOO_LONG_ID = 'MESH-SUPPRESSION-TOO-LONG';
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
  if (typeof e.reason !== 'string' || e.reason.trim().length < MIN_REASON_LENGTH)
    return `suppression of ${e.ruleId} has no reason of at least ${MIN_REASON_LENGTH} characters`;
  if (expiryInstant(e.expires) === undefined)
    return `suppression of ${e.ruleId} has no valid ISO expiry date (got ${JSON.stringify(e.expires)})`;
  return undefined;
}

const DAY_MS = 86_400_000;

/**
 * Why a (valid) suppression runs longer than the platform allows — `expires` more than
 * `maxDays` days after `now` — or `undefined` when it does not. A date-only expiry counts from
 * the start of its day (UTC): with 180 days, the latest date is the day 180 days from now.
 */
export function suppressionLimitProblem(s: Suppression, now: Date, maxDays: number): string | undefined {
  const instant = expiryInstant(s.expires);
  if (instant === undefined || !Number.isFinite(maxDays)) return undefined;
  const limit = now.getTime() + maxDays * DAY_MS;
  const from = DATE_ONLY.test(s.expires) ? instant - DAY_MS : instant;
  if (from <= limit) return undefined;
  const latest = new Date(limit).toISOString().slice(0, 10);
  return `suppression of ${s.ruleId} runs until ${s.expires}, more than ${maxDays} days from now — the platform's limit (mesh.config.yaml policy.maxSuppressionDays = ${maxDays}); it does not suppress anything: set expires to ${latest} or earlier and renew it when it expires (or fix the violation)`;
}
