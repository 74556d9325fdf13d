/**
 * SLA semantics for the compatibility diff: which `slaProperties` are directional and the time
 * units their values are converted with before comparing.
 */
import type { SlaProperty } from '../odcs.js';

/** Milliseconds per time unit, by every accepted spelling (case-insensitive). */
const UNIT_MS: Record<string, number> = {};
const define = (ms: number, ...names: string[]): void => { for (const n of names) UNIT_MS[n] = ms; };
define(1, 'ms', 'millisecond', 'milliseconds', 'msec', 'msecs');
define(1000, 's', 'sec', 'secs', 'second', 'seconds');
define(60_000, 'min', 'mins', 'minute', 'minutes');
define(3_600_000, 'h', 'hr', 'hrs', 'hour', 'hours');
define(86_400_000, 'd', 'day', 'days');
define(7 * 86_400_000, 'w', 'wk', 'wks', 'week', 'weeks');
define(365 * 86_400_000, 'y', 'yr', 'yrs', 'year', 'years');

/** SLA properties where a lower value is stronger. */
const LOWER_IS_STRONGER = new Set(['latency', 'frequency', 'errorrate']);
/** SLA properties where a higher value is stronger. */
const HIGHER_IS_STRONGER = new Set(['retention', 'availability', 'throughput']);

/** Milliseconds in one `unit` (ms, s, min, h, d, w, y or the words for them), if it is a time unit. */
export function unitInMs(unit: string): number | undefined {
  return UNIT_MS[unit.trim().toLowerCase()];
}

/** `+1` when a higher value of the SLA property is stronger, `-1` when lower is, `0` when it has no direction. */
export function slaDirection(property: string): -1 | 0 | 1 {
  const p = property.toLowerCase();
  return LOWER_IS_STRONGER.has(p) ? -1 : HIGHER_IS_STRONGER.has(p) ? 1 : 0;
}

function numeric(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^\s*[-+]?\d+(\.\d+)?\s*$/.test(v)) return Number(v);
  return undefined;
}

/**
 * Compares the values of two matched SLA entries: `stronger`, `weaker`, `same` (equal after
 * converting units) or `other` (the property has no direction, a value is not a number, or the
 * units cannot be converted into each other).
 */
export function compareSla(oldEntry: SlaProperty, newEntry: SlaProperty): 'stronger' | 'weaker' | 'same' | 'other' {
  const dir = slaDirection(newEntry.property);
  if (dir === 0 || slaDirection(oldEntry.property) !== dir) return 'other';
  const a = numeric(oldEntry.value);
  const b = numeric(newEntry.value);
  if (a === undefined || b === undefined) return 'other';
  let x = a;
  let y = b;
  const ou = oldEntry.unit?.trim().toLowerCase() ?? '';
  const nu = newEntry.unit?.trim().toLowerCase() ?? '';
  if (ou !== nu) {
    const om = unitInMs(ou);
    const nm = unitInMs(nu);
    if (om === undefined || nm === undefined) return 'other';
    x = a * om;
    y = b * nm;
  }
  if (x === y) return 'same';
  return (y - x) * dir > 0 ? 'stronger' : 'weaker';
}
