/**
 * The walk of a node's quality rules: allowed-values rules of a property (values added to or
 * removed from the set) and every other rule (added, removed, redefined, threshold moved).
 */
import type { Path } from '../load/source.js';
import type { QualityRule } from '../odcs.js';
import { compareThresholds, isAllowedValuesRule, metricOf, THRESHOLD_OPERATORS } from './quality.js';
import type { ChangeRecorder, NodeScope } from './recorder.js';
import { deepEqual, isObj, list, pairItems, show } from './values.js';
import { canonicalJson } from '../repository/canonical-json.js';

const QUALITY_DEFINITION_KEYS = ['query', 'implementation', 'unit', 'engine'] as const;
/** Keys of a rule compared by {@link diffQualityRule} itself. */
const RULE_KEYS = new Set<string>([
  ...QUALITY_DEFINITION_KEYS,
  ...THRESHOLD_OPERATORS,
  'arguments',
  'metric',
  'rule',
  'type',
]);

/** A rule with its index in its node's `quality` list. */
interface Entry {
  rule: QualityRule;
  index: number;
}

/** The quality lists of one node on both sides, and how to name and locate their rules. */
class QualityDiff {
  constructor(
    readonly recorder: ChangeRecorder,
    readonly scope: NodeScope,
  ) {}

  nameOf(entry: Entry): string {
    const { rule } = entry;
    return String(rule.name ?? rule.id ?? metricOf(rule) ?? rule.type ?? `#${entry.index + 1}`);
  }

  pathOf(entry: Entry): string {
    return `${this.scope.base}.quality[${typeof entry.rule.id === 'string' ? entry.rule.id : entry.index}]`;
  }

  oldAt(entry: Entry): Path {
    return [...this.scope.oldAt, 'quality', entry.index];
  }

  newAt(entry: Entry): Path {
    return [...this.scope.newAt, 'quality', entry.index];
  }
}

/**
 * Diffs the quality rules of a node (`scope.label` names it in messages); `propertyScope` when the
 * node is a property, whose allowed-values rules compare as value sets.
 */
export function diffQuality(
  recorder: ChangeRecorder,
  before: QualityRule[],
  after: QualityRule[],
  scope: NodeScope,
  propertyScope: boolean,
): void {
  if (!before.length && !after.length) return;
  if (deepEqual(before, after)) return;
  const split = (rules: QualityRule[]): { values: Entry[]; other: Entry[] } => {
    const values: Entry[] = [];
    const other: Entry[] = [];
    rules.forEach((rule, index) =>
      (propertyScope && isObj(rule) && isAllowedValuesRule(rule) ? values : other).push({ rule, index }),
    );
    return { values, other };
  };
  const oldRules = split(before);
  const newRules = split(after);
  const diff = new QualityDiff(recorder, scope);
  diffAllowedValues(diff, oldRules.values, newRules.values);
  diffOtherRules(diff, oldRules.other, newRules.other);
}

/** Allowed-values rules: a removed rule lifts the restriction, an added one restricts the values. */
function diffAllowedValues(diff: QualityDiff, before: Entry[], after: Entry[]): void {
  const { recorder } = diff;
  const label = diff.scope.label;
  const pairing = pairItems(
    before.map((entry) => entry.rule),
    after.map((entry) => entry.rule),
    (rule) => rule.id,
    () => 'validValues',
  );
  for (const oldIndex of pairing.removed) {
    const entry = before[oldIndex]!;
    recorder.add(
      'ENUM_VALUE_ADDED',
      diff.pathOf(entry),
      `allowed values of ${label} are no longer restricted`,
      diff.oldAt(entry),
      {
        removal: true,
      },
    );
  }
  for (const newIndex of pairing.added) {
    const entry = after[newIndex]!;
    recorder.add(
      'ENUM_VALUE_REMOVED',
      diff.pathOf(entry),
      `allowed values of ${label} restricted to ${list(entry.rule.arguments?.validValues).map(show).join(', ')}`,
      diff.newAt(entry),
    );
  }
  for (const [oldIndex, newIndex] of pairing.pairs) {
    const oldEntry = before[oldIndex]!;
    const newEntry = after[newIndex]!;
    diffValueSets(diff, oldEntry, newEntry);
    diffQualityRule(diff, oldEntry, newEntry, true);
  }
}

/** The values added to and removed from a paired allowed-values rule. */
function diffValueSets(diff: QualityDiff, oldEntry: Entry, newEntry: Entry): void {
  const valuesOf = (entry: Entry): Map<string, unknown> =>
    new Map(list(entry.rule.arguments?.validValues).map((value) => [canonicalJson(value), value]));
  const oldValues = valuesOf(oldEntry);
  const newValues = valuesOf(newEntry);
  const added = [...newValues].filter(([key]) => !oldValues.has(key)).map(([, value]) => show(value));
  const removed = [...oldValues].filter(([key]) => !newValues.has(key)).map(([, value]) => show(value));
  const at: Path = [...diff.newAt(newEntry), 'arguments', 'validValues'];
  const label = diff.scope.label;
  const listed = (values: string[]): string =>
    `allowed value${values.length > 1 ? 's' : ''} ${values.map((value) => `'${value}'`).join(', ')}`;
  if (added.length)
    diff.recorder.add('ENUM_VALUE_ADDED', diff.pathOf(newEntry), `${listed(added)} added to ${label}`, at);
  if (removed.length)
    diff.recorder.add('ENUM_VALUE_REMOVED', diff.pathOf(newEntry), `${listed(removed)} removed from ${label}`, at);
}

/** Every other rule, paired by id, else by metric (or type) and name. */
function diffOtherRules(diff: QualityDiff, before: Entry[], after: Entry[]): void {
  const { recorder } = diff;
  const label = diff.scope.label;
  const pairing = pairItems(
    before.map((entry) => entry.rule),
    after.map((entry) => entry.rule),
    (rule) => rule?.id,
    (rule) => `${metricOf(rule) ?? rule?.type ?? 'library'}\u0000${String(rule?.name ?? '')}`,
  );
  for (const oldIndex of pairing.removed) {
    const entry = before[oldIndex]!;
    recorder.add(
      'QUALITY_REMOVED',
      diff.pathOf(entry),
      `quality rule '${diff.nameOf(entry)}' removed from ${label}`,
      diff.oldAt(entry),
      {
        removal: true,
      },
    );
  }
  for (const newIndex of pairing.added) {
    const entry = after[newIndex]!;
    recorder.add(
      'QUALITY_ADDED',
      diff.pathOf(entry),
      `quality rule '${diff.nameOf(entry)}' added to ${label}`,
      diff.newAt(entry),
    );
  }
  for (const [oldIndex, newIndex] of pairing.pairs) diffQualityRule(diff, before[oldIndex]!, after[newIndex]!, false);
}

/**
 * One paired rule: a changed definition is the old check removed and a new one added; a moved
 * threshold is stricter (added) or looser (removed). `allowedValues`: the value sets were compared
 * already, so `validValues` is left out of the arguments.
 */
function diffQualityRule(diff: QualityDiff, oldEntry: Entry, newEntry: Entry, allowedValues: boolean): void {
  const before = oldEntry.rule;
  const after = newEntry.rule;
  if (deepEqual(before, after)) return;
  const path = diff.pathOf(newEntry);
  const name = diff.nameOf(newEntry);
  const label = diff.scope.label;
  const at = diff.newAt(newEntry);
  const argumentsOf = (rule: QualityRule): unknown => {
    if (!allowedValues || !isObj(rule.arguments)) return rule.arguments;
    const { validValues: _ignored, ...rest } = rule.arguments;
    return rest;
  };
  const redefined =
    QUALITY_DEFINITION_KEYS.some((key) => !deepEqual(before[key], after[key])) ||
    !deepEqual(argumentsOf(before), argumentsOf(after)) ||
    metricOf(before) !== metricOf(after) ||
    (before.type ?? 'library') !== (after.type ?? 'library');
  if (redefined) {
    diff.recorder.add(
      'QUALITY_REMOVED',
      path,
      `quality rule '${name}' of ${label} redefined: the old check is gone`,
      at,
    );
    diff.recorder.add('QUALITY_ADDED', path, `quality rule '${name}' of ${label} redefined: a new check applies`, at);
  } else {
    const threshold = compareThresholds(before, after);
    if (threshold !== 'same') {
      diff.recorder.add(
        threshold === 'stricter' ? 'QUALITY_ADDED' : 'QUALITY_REMOVED',
        path,
        `threshold of quality rule '${name}' of ${label} ${threshold === 'stricter' ? 'tightened' : 'loosened'}`,
        at,
      );
    }
  }
  diff.recorder.otherKeys(before, after, RULE_KEYS, path, `quality rule '${name}' of ${label}`, at);
}
