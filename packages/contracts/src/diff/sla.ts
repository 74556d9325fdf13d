/**
 * SLA semantics: which `slaProperties` are directional, how their values are read (a number with
 * a `unit`, a unit-suffixed string `25h` / `15m` / `2 weeks`, an ISO 8601 duration `PT15M` /
 * `P6M`, a percentage `99.9%`, a date), and how two values compare. Shared by the compatibility
 * diff and the lint rule CONTRACT-SLA-VALUE, so that what lint cannot read the diff says it could
 * not compare.
 */
import type { SlaProperty } from '../odcs.js';

const DAY = 86_400_000;
/** Milliseconds per time unit, by every accepted spelling (case-insensitive). */
const UNIT_MS: Record<string, number> = {};
const define = (ms: number, ...names: string[]): void => {
  for (const n of names) UNIT_MS[n] = ms;
};
define(1, 'ms', 'millisecond', 'milliseconds', 'msec', 'msecs');
define(1000, 's', 'sec', 'secs', 'second', 'seconds');
define(60_000, 'm', 'min', 'mins', 'minute', 'minutes');
define(3_600_000, 'h', 'hr', 'hrs', 'hour', 'hours');
define(DAY, 'd', 'day', 'days');
define(7 * DAY, 'w', 'wk', 'wks', 'week', 'weeks');
define(30 * DAY, 'mo', 'mon', 'month', 'months');
define(365 * DAY, 'y', 'yr', 'yrs', 'year', 'years');

/** SLA properties where a lower value is stronger (`freshness` is a latency). */
const LOWER_IS_STRONGER = new Set(['latency', 'frequency', 'errorrate', 'freshness']);
/** SLA properties where a higher value is stronger. */
const HIGHER_IS_STRONGER = new Set(['retention', 'availability', 'throughput']);
/** Date-valued SLA properties where a later date is stronger. */
const LATER_IS_STRONGER = new Set(['endofsupport', 'endoflife']);

/** Milliseconds in one `unit` (ms, s, m/min, h, d, w, mo, y or the words for them), if it is a time unit. */
export function unitInMs(unit: string): number | undefined {
  return UNIT_MS[unit.trim().toLowerCase()];
}

/** `+1` when a higher value of the SLA property is stronger (later for dates), `-1` when lower is, `0` when it has no direction. */
export function slaDirection(property: string): -1 | 0 | 1 {
  const p = property.toLowerCase();
  return LOWER_IS_STRONGER.has(p) ? -1 : HIGHER_IS_STRONGER.has(p) || LATER_IS_STRONGER.has(p) ? 1 : 0;
}

/** An SLA value as read for comparison. */
export type SlaValue =
  | { kind: 'duration'; ms: number }
  | { kind: 'percent'; value: number }
  | { kind: 'number'; value: number; unit: string }
  | { kind: 'date'; time: number }
  | { kind: 'unreadable' };

const NUMBER = /^[-+]?(?:\d+(?:\.\d+)?|\.\d+)$/;
const ISO_DURATION =
  /^P(?!$)(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?!$)(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;
const ISO_MS = [365 * DAY, 30 * DAY, 7 * DAY, DAY, 3_600_000, 60_000, 1000];
const PERCENT_UNITS = new Set(['%', 'percent', 'pct', 'percentage']);

/** Reads a number with a (possibly empty) unit. */
function withUnit(value: number, unit: string): SlaValue {
  const u = unit.trim().toLowerCase();
  if (PERCENT_UNITS.has(u)) return { kind: 'percent', value };
  const ms = u ? unitInMs(u) : undefined;
  if (ms !== undefined) return { kind: 'duration', ms: value * ms };
  return { kind: 'number', value, unit: u };
}

/**
 * Reads the value of an SLA entry: a number with its `unit` (time units, `%`/`percent`, anything
 * else kept as a unit to match), a unit-suffixed string (`25h`, `15m` = minutes, `7d`, `2 weeks`),
 * an ISO 8601 duration (`PT15M`, `P1D`, `P6M`, `P1Y`; a month counts 30 days, a year 365), a
 * percentage (`99.9%`), or for date-valued properties (`endOfSupport`, `endOfLife`) a date.
 */
export function readSlaValue(entry: Pick<SlaProperty, 'property' | 'value' | 'unit'>): SlaValue {
  const unit = typeof entry.unit === 'string' ? entry.unit : '';
  const v = entry.value;
  if (LATER_IS_STRONGER.has(String(entry.property).toLowerCase())) {
    const t = typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v.trim()) ? Date.parse(v.trim()) : Number.NaN;
    return Number.isFinite(t) ? { kind: 'date', time: t } : { kind: 'unreadable' };
  }
  if (typeof v === 'number' && Number.isFinite(v)) return withUnit(v, unit);
  if (typeof v !== 'string') return { kind: 'unreadable' };
  const s = v.trim();
  if (NUMBER.test(s)) return withUnit(Number(s), unit);
  const iso = ISO_DURATION.exec(s);
  if (iso)
    return {
      kind: 'duration',
      ms: iso.slice(1).reduce((sum, x, i) => sum + (x === undefined ? 0 : Number(x) * ISO_MS[i]!), 0),
    };
  const m = /^([-+]?(?:\d+(?:\.\d+)?|\.\d+))\s*([a-z%]+)$/i.exec(s);
  if (
    m &&
    (!unit ||
      m[2]!.toLowerCase() === unit.trim().toLowerCase() ||
      (PERCENT_UNITS.has(unit.trim().toLowerCase()) && m[2] === '%'))
  ) {
    const r = withUnit(Number(m[1]), m[2]!);
    if (r.kind !== 'number') return r;
  }
  return { kind: 'unreadable' };
}

/** Why a value cannot be read, for messages (undefined when it can). */
export function unreadableSlaValue(entry: Pick<SlaProperty, 'property' | 'value' | 'unit'>): string | undefined {
  if (slaDirection(String(entry.property)) === 0) return undefined;
  if (readSlaValue(entry).kind !== 'unreadable') return undefined;
  const dates = LATER_IS_STRONGER.has(String(entry.property).toLowerCase());
  return dates
    ? 'not a date (YYYY-MM-DD)'
    : 'not a number with a unit, a unit-suffixed value (25h, 15m, 7d, 2 weeks), an ISO 8601 duration (PT15M, P1D) or a percentage (99.9%)';
}

function magnitude(v: SlaValue): { key: string; n: number } | undefined {
  switch (v.kind) {
    case 'duration':
      return { key: 'duration', n: v.ms };
    case 'percent':
      return { key: 'percent', n: v.value };
    case 'number':
      return { key: `number:${v.unit}`, n: v.value };
    case 'date':
      return { key: 'date', n: v.time };
    case 'unreadable':
      return undefined;
  }
}

/**
 * Compares the values of two matched SLA entries: `stronger`, `weaker`, `same` (equal after
 * converting units), `other` (the property has no direction) or `unreadable` (a value cannot be
 * read, or the two are not of one kind — a duration and a percentage, different units).
 */
export function compareSla(
  oldEntry: SlaProperty,
  newEntry: SlaProperty,
): 'stronger' | 'weaker' | 'same' | 'other' | 'unreadable' {
  const dir = slaDirection(String(newEntry.property));
  if (dir === 0 || slaDirection(String(oldEntry.property)) !== dir) return 'other';
  const a = magnitude(readSlaValue(oldEntry));
  const b = magnitude(readSlaValue(newEntry));
  if (!a || !b || a.key !== b.key) return 'unreadable';
  if (a.n === b.n) return 'same';
  return (b.n - a.n) * dir > 0 ? 'stronger' : 'weaker';
}
