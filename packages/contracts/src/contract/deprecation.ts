import { customProperty, type OdcsContract } from '../odcs.js';

/** Contract custom property holding the end-of-support date (`YYYY-MM-DD`). */
export const END_OF_SUPPORT_PROPERTY = 'meshkit.endOfSupport';
/** Contract custom property holding the end-of-life date (`YYYY-MM-DD`). */
export const END_OF_LIFE_PROPERTY = 'meshkit.endOfLife';

/**
 * Where a contract version stands in its deprecation window:
 * - `active`: not deprecated;
 * - `deprecated`: `status: deprecated`, before its end of support (consumers are warned);
 * - `unsupported`: past end of support, before end of life (consumers are warned, louder);
 * - `end-of-life`: past end of life (consumers' lint fails);
 * - `retired`: `status: retired` (no longer served).
 */
export type DeprecationPhase = 'active' | 'deprecated' | 'unsupported' | 'end-of-life' | 'retired';

/** The deprecation window of a contract, read from `status` and the `meshkit.*` dates. */
export interface Deprecation {
  /** The contract's `status` (ODCS: proposed, draft, active, deprecated, retired). */
  status: string;
  /** `meshkit.endOfSupport` (ISO date), when set. */
  endOfSupport?: string;
  /** `meshkit.endOfLife` (ISO date), when set. */
  endOfLife?: string;
  /** The phase at the instant asked for. */
  phase: DeprecationPhase;
}

function isoDate(value: unknown): string | undefined {
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value) ? value.slice(0, 10) : undefined;
}

/**
 * The deprecation window of a contract at `now`. Dates are whole days in UTC: a contract is past
 * its end of support (or life) from the day after that date.
 * @param now @default new Date()
 */
export function deprecationOf(
  contract: Pick<OdcsContract, 'status' | 'customProperties'>,
  now: Date = new Date(),
): Deprecation {
  const status = String(contract.status ?? 'active');
  const endOfSupport = isoDate(customProperty(contract, END_OF_SUPPORT_PROPERTY));
  const endOfLife = isoDate(customProperty(contract, END_OF_LIFE_PROPERTY));
  const today = now.toISOString().slice(0, 10);
  let phase: DeprecationPhase = 'active';
  if (status === 'retired') phase = 'retired';
  else if (endOfLife && today > endOfLife) phase = 'end-of-life';
  else if (endOfSupport && today > endOfSupport) phase = 'unsupported';
  else if (status === 'deprecated') phase = 'deprecated';
  return { status, ...(endOfSupport ? { endOfSupport } : {}), ...(endOfLife ? { endOfLife } : {}), phase };
}
