/**
 * Quality-rule semantics for the compatibility diff: allowed values (the `validValues` of an
 * `invalidValues` rule that must be 0) and thresholds read as the set of allowed metric values.
 */
import type { QualityRule } from '../odcs.js';

/** One interval of the real line; `lo`/`hi` may be infinite (their `*Open` flag is then irrelevant). */
export interface Interval {
  lo: number;
  loOpen: boolean;
  hi: number;
  hiOpen: boolean;
}

/**
 * A set of allowed metric values: a union of intervals, or, for operators compared with
 * non-numbers (`mustBe: "x"`), an opaque literal that is only equal to itself.
 */
export type ValueSet = { kind: 'intervals'; intervals: Interval[] } | { kind: 'literal'; key: string };

/** Names of the threshold operators of ODCS. */
export const THRESHOLD_OPERATORS = [
  'mustBe',
  'mustNotBe',
  'mustBeGreaterThan',
  'mustBeGreaterOrEqualTo',
  'mustBeLessThan',
  'mustBeLessOrEqualTo',
  'mustBeBetween',
  'mustNotBeBetween',
] as const;

const ALL: Interval = { lo: -Infinity, loOpen: true, hi: Infinity, hiOpen: true };
const iv = (lo: number, loOpen: boolean, hi: number, hiOpen: boolean): Interval => ({ lo, loOpen, hi, hiOpen });

function isEmpty(i: Interval): boolean {
  return i.lo > i.hi || (i.lo === i.hi && (i.loOpen || i.hiOpen));
}

function intersect(a: Interval[], b: Interval[]): Interval[] {
  const out: Interval[] = [];
  for (const x of a) {
    for (const y of b) {
      const lo = Math.max(x.lo, y.lo);
      const hi = Math.min(x.hi, y.hi);
      const loOpen = (x.lo === lo && x.loOpen) || (y.lo === lo && y.loOpen);
      const hiOpen = (x.hi === hi && x.hiOpen) || (y.hi === hi && y.hiOpen);
      const i = iv(lo, loOpen, hi, hiOpen);
      if (!isEmpty(i)) out.push(i);
    }
  }
  return merge(out);
}

/** Sorts and merges touching or overlapping intervals. */
function merge(list: Interval[]): Interval[] {
  const sorted = [...list].sort((a, b) => a.lo - b.lo || Number(a.loOpen) - Number(b.loOpen));
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last && (i.lo < last.hi || (i.lo === last.hi && !(i.loOpen && last.hiOpen)))) {
      if (i.hi > last.hi || (i.hi === last.hi && !i.hiOpen)) {
        last.hi = i.hi;
        last.hiOpen = i.hiOpen;
      }
    } else {
      out.push({ ...i });
    }
  }
  return out;
}

function operatorSet(op: (typeof THRESHOLD_OPERATORS)[number], v: unknown): Interval[] | undefined {
  const pair =
    Array.isArray(v) && v.length === 2 && typeof v[0] === 'number' && typeof v[1] === 'number'
      ? ([Math.min(v[0], v[1]), Math.max(v[0], v[1])] as const)
      : undefined;
  if (op === 'mustBeBetween') return pair && [iv(pair[0], false, pair[1], false)];
  if (op === 'mustNotBeBetween') return pair && [iv(-Infinity, true, pair[0], true), iv(pair[1], true, Infinity, true)];
  if (typeof v !== 'number') return undefined;
  switch (op) {
    case 'mustBe':
      return [iv(v, false, v, false)];
    case 'mustNotBe':
      return [iv(-Infinity, true, v, true), iv(v, true, Infinity, true)];
    case 'mustBeGreaterThan':
      return [iv(v, true, Infinity, true)];
    case 'mustBeGreaterOrEqualTo':
      return [iv(v, false, Infinity, true)];
    case 'mustBeLessThan':
      return [iv(-Infinity, true, v, true)];
    default:
      return [iv(-Infinity, true, v, false)];
  }
}

/**
 * The set of metric values a rule allows: the intersection of its operators (no operator: every
 * value). Between-bounds are inclusive, as in ODCS; reversed pairs are read smallest first.
 */
export function allowedMetricValues(rule: QualityRule): ValueSet {
  let set: Interval[] = [ALL];
  for (const op of THRESHOLD_OPERATORS) {
    if (!(op in rule) || rule[op] === undefined) continue;
    const s = operatorSet(op, rule[op]);
    if (!s) return { kind: 'literal', key: JSON.stringify(THRESHOLD_OPERATORS.map((o) => rule[o] ?? null)) };
    set = intersect(set, s);
  }
  return { kind: 'intervals', intervals: set };
}

function contains(outer: Interval[], inner: Interval[]): boolean {
  return inner.every((i) =>
    outer.some(
      (o) =>
        (o.lo < i.lo || (o.lo === i.lo && (!o.loOpen || i.loOpen))) &&
        (o.hi > i.hi || (o.hi === i.hi && (!o.hiOpen || i.hiOpen))),
    ),
  );
}

/**
 * How a threshold changed: `same` (equal sets), `stricter` (the new set lies inside the old one:
 * a new guarantee) or `looser` (it contains the old set, overlaps it only partly, or is disjoint
 * from it: a guarantee is lost).
 */
export function compareThresholds(oldRule: QualityRule, newRule: QualityRule): 'same' | 'stricter' | 'looser' {
  const a = allowedMetricValues(oldRule);
  const b = allowedMetricValues(newRule);
  if (a.kind === 'literal' || b.kind === 'literal') {
    return a.kind === 'literal' && b.kind === 'literal' && a.key === b.key ? 'same' : 'looser';
  }
  const newInOld = contains(a.intervals, b.intervals);
  const oldInNew = contains(b.intervals, a.intervals);
  if (newInOld && oldInNew) return 'same';
  return newInOld ? 'stricter' : 'looser';
}

/** The metric of a rule (`metric`, else the deprecated `rule`). */
export function metricOf(rule: QualityRule): string | undefined {
  return typeof rule.metric === 'string' ? rule.metric : typeof rule.rule === 'string' ? rule.rule : undefined;
}

/**
 * True when `rule` declares a property's allowed values: a library rule with
 * `metric: invalidValues`, `mustBe: 0` and an `arguments.validValues` list.
 */
export function isAllowedValuesRule(rule: QualityRule): boolean {
  return (
    metricOf(rule) === 'invalidValues' &&
    rule.mustBe === 0 &&
    Array.isArray(rule.arguments?.validValues) &&
    (rule.type === undefined || rule.type === 'library')
  );
}
