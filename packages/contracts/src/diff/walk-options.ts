/**
 * The walk of a property's `logicalTypeOptions`: format, timezone and pattern presence, bounds
 * (raised or lowered, tightened or relaxed), `uniqueItems`, and `required` of object properties.
 */
import type { Path } from '../load/source.js';
import type { LogicalTypeOptions } from '../odcs.js';
import type { ChangeRecorder } from './recorder.js';
import type { ChangeRuleId } from './rules.js';
import { deepEqual, list, show } from './values.js';

const LOWER_BOUNDS = ['minimum', 'exclusiveMinimum', 'minLength', 'minItems', 'minProperties'] as const;
const UPPER_BOUNDS = ['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems', 'maxProperties'] as const;
/** Options compared by a rule of their own; any other option that changes is METADATA_CHANGED. */
const OPTION_KEYS = new Set<string>([
  ...LOWER_BOUNDS,
  ...UPPER_BOUNDS,
  'multipleOf',
  'uniqueItems',
  'required',
  'format',
  'timezone',
  'defaultTimezone',
  'pattern',
]);

/** Compares bound values: numbers numerically, date strings as dates. `undefined` when not comparable. */
function compareBound(before: unknown, after: unknown): number | undefined {
  if (typeof before === 'number' && typeof after === 'number') return before - after;
  if (typeof before === 'boolean' && typeof after === 'boolean') return Number(before) - Number(after);
  if (typeof before === 'string' && typeof after === 'string') {
    if (before === after) return 0;
    const beforeTime = Date.parse(before);
    const afterTime = Date.parse(after);
    return Number.isNaN(beforeTime) || Number.isNaN(afterTime) ? undefined : beforeTime - afterTime;
  }
  return undefined;
}

/** One options comparison: the two sides, where to report, and the property's label. */
interface OptionsDiff {
  recorder: ChangeRecorder;
  before: LogicalTypeOptions;
  after: LogicalTypeOptions;
  /** Logical path of the options (`….logicalTypeOptions`). */
  base: string;
  /** The property, quoted, as messages name it. */
  label: string;
  /** Data path of the new options. */
  newAt: Path;
}

/**
 * Diffs two `logicalTypeOptions`; `formatIsType` when the `format` change was already reported as
 * a type change (integer i32 ↔ i64).
 */
export function diffOptions(
  recorder: ChangeRecorder,
  before: LogicalTypeOptions,
  after: LogicalTypeOptions,
  formatIsType: boolean,
  path: string,
  label: string,
  newAt: Path,
): void {
  const diff: OptionsDiff = { recorder, before, after, base: `${path}.logicalTypeOptions`, label, newAt };
  if (!formatIsType) presence(diff, 'format', 'FORMAT_ADDED', 'FORMAT_REMOVED', 'FORMAT_CHANGED');
  presence(diff, 'timezone', 'FORMAT_CHANGED', 'FORMAT_CHANGED', 'FORMAT_CHANGED');
  presence(diff, 'defaultTimezone', 'FORMAT_CHANGED', 'FORMAT_CHANGED', 'FORMAT_CHANGED');
  presence(diff, 'pattern', 'PATTERN_ADDED', 'PATTERN_REMOVED', 'PATTERN_CHANGED');
  presence(diff, 'multipleOf', 'RANGE_TIGHTENED', 'RANGE_RELAXED', 'RANGE_TIGHTENED');
  for (const key of LOWER_BOUNDS) bound(diff, key, true);
  for (const key of UPPER_BOUNDS) bound(diff, key, false);
  uniqueItems(diff);
  requiredMembers(diff);
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (OPTION_KEYS.has(key) || deepEqual(before[key], after[key])) continue;
    recorder.add('METADATA_CHANGED', `${diff.base}.${key}`, `logicalTypeOptions.${key} of ${label} changed`, [
      ...newAt,
      key,
    ]);
  }
}

/** An option whose adding, removing and changing each have a rule. */
function presence(
  diff: OptionsDiff,
  key: string,
  added: ChangeRuleId,
  removed: ChangeRuleId,
  changed: ChangeRuleId,
): void {
  const oldValue = diff.before[key];
  const newValue = diff.after[key];
  if (deepEqual(oldValue, newValue)) return;
  const path = `${diff.base}.${key}`;
  const at = [...diff.newAt, key];
  if (oldValue === undefined) diff.recorder.add(added, path, `${key} ${show(newValue)} added to ${diff.label}`, at);
  else if (newValue === undefined)
    diff.recorder.add(removed, path, `${key} ${show(oldValue)} removed from ${diff.label}`, at);
  else
    diff.recorder.add(changed, path, `${key} of ${diff.label} changed from ${show(oldValue)} to ${show(newValue)}`, at);
}

/** A lower or upper bound: raising a lower bound (lowering an upper one) tightens the range. */
function bound(diff: OptionsDiff, key: string, lower: boolean): void {
  const oldValue = diff.before[key];
  const newValue = diff.after[key];
  if (deepEqual(oldValue, newValue)) return;
  const { recorder, label } = diff;
  const path = `${diff.base}.${key}`;
  const at = [...diff.newAt, key];
  if (oldValue === undefined)
    return recorder.add('RANGE_TIGHTENED', path, `${key} ${show(newValue)} added to ${label}`, at);
  if (newValue === undefined)
    return recorder.add('RANGE_RELAXED', path, `${key} ${show(oldValue)} removed from ${label}`, at);
  const order = compareBound(oldValue, newValue);
  if (order === undefined || order === 0) {
    const message = `${key} of ${label} changed from ${show(oldValue)} to ${show(newValue)}`;
    recorder.add('RANGE_TIGHTENED', path, message, at);
    recorder.add('RANGE_RELAXED', path, message, at);
    return;
  }
  // For a boolean exclusive flag, true is the tighter value, like a raised lower bound.
  const raised = order < 0;
  const tighter = typeof oldValue === 'boolean' ? raised : lower ? raised : !raised;
  recorder.add(
    tighter ? 'RANGE_TIGHTENED' : 'RANGE_RELAXED',
    path,
    `${key} of ${label} ${raised ? 'raised' : 'lowered'} from ${show(oldValue)} to ${show(newValue)}`,
    at,
  );
}

/** `uniqueItems` turned on tightens the range, turned off relaxes it. */
function uniqueItems(diff: OptionsDiff): void {
  if ((diff.before.uniqueItems === true) === (diff.after.uniqueItems === true)) return;
  const now = diff.after.uniqueItems === true;
  diff.recorder.add(
    now ? 'RANGE_TIGHTENED' : 'RANGE_RELAXED',
    `${diff.base}.uniqueItems`,
    `items of ${diff.label} ${now ? 'must now be' : 'no longer need to be'} unique`,
    [...diff.newAt, 'uniqueItems'],
  );
}

/** The members of an object's `required` list that were added or dropped. */
function requiredMembers(diff: OptionsDiff): void {
  const members = (value: unknown): Set<string> => new Set(list<unknown>(value).map(String));
  const before = members(diff.before.required);
  const after = members(diff.after.required);
  const newly = [...after].filter((name) => !before.has(name));
  const dropped = [...before].filter((name) => !after.has(name));
  const quote = (names: string[]): string => names.map((name) => `'${name}'`).join(', ');
  const at = [...diff.newAt, 'required'];
  if (newly.length)
    diff.recorder.add('REQUIRED_ADDED', `${diff.base}.required`, `${quote(newly)} now required in ${diff.label}`, at);
  if (dropped.length)
    diff.recorder.add(
      'REQUIRED_REMOVED',
      `${diff.base}.required`,
      `${quote(dropped)} no longer required in ${diff.label}`,
      at,
    );
}
