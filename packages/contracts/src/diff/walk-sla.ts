/**
 * The walk of `slaProperties`: entries matched by property (and element), added (strengthened),
 * removed (weakened), or a value moved — stronger, weaker, or not comparable.
 */
import type { Path } from '../load/source.js';
import type { SlaProperty } from '../odcs.js';
import type { ChangeRecorder } from './recorder.js';
import { compareSla, unreadableSlaValue } from './sla.js';
import { deepEqual, pairItems, show } from './values.js';

const SLA_ENTRY_KEYS = new Set(['property', 'element', 'value', 'unit']);

const pathOf = (entry: SlaProperty): string => `slaProperties[${String(entry.property)}]`;

/** An SLA value with its unit; the unit is shown once: not again after a value that already ends with it (`95%`, unit `%`). */
function describe(entry: SlaProperty): string {
  const value = show(entry.value);
  const unit = typeof entry.unit === 'string' ? entry.unit.trim() : '';
  return unit &&
    !(typeof entry.value === 'string' && entry.value.trim().toLowerCase().endsWith(unit.toLowerCase())) &&
    !(unit === 'percent' && /%$/.test(String(entry.value)))
    ? `${value} ${unit}`
    : value;
}

/** Diffs the contract's SLA entries. */
export function diffSla(recorder: ChangeRecorder, before: SlaProperty[], after: SlaProperty[]): void {
  if (deepEqual(before, after)) return;
  const keyOf = (entry: SlaProperty): string => `${String(entry?.property).toLowerCase()}\u0000${entry?.element ?? ''}`;
  const pairing = pairItems(before, after, () => undefined, keyOf);
  for (const oldIndex of pairing.removed) {
    const entry = before[oldIndex]!;
    recorder.add(
      'SLA_WEAKENED',
      pathOf(entry),
      `SLA '${String(entry.property)}' removed`,
      ['slaProperties', oldIndex],
      {
        removal: true,
      },
    );
  }
  for (const newIndex of pairing.added) {
    const entry = after[newIndex]!;
    recorder.add('SLA_STRENGTHENED', pathOf(entry), `SLA '${String(entry.property)}' added`, [
      'slaProperties',
      newIndex,
    ]);
  }
  for (const [oldIndex, newIndex] of pairing.pairs) {
    const oldEntry = before[oldIndex]!;
    const newEntry = after[newIndex]!;
    if (deepEqual(oldEntry, newEntry)) continue;
    const at: Path = ['slaProperties', newIndex];
    if (oldEntry.value !== newEntry.value || oldEntry.unit !== newEntry.unit)
      diffSlaValue(recorder, oldEntry, newEntry, [...at, 'value']);
    recorder.otherKeys(oldEntry, newEntry, SLA_ENTRY_KEYS, pathOf(newEntry), `SLA '${String(newEntry.property)}'`, at);
  }
}

/** A paired entry whose value or unit changed. */
function diffSlaValue(recorder: ChangeRecorder, before: SlaProperty, after: SlaProperty, at: Path): void {
  const name = `SLA '${String(after.property)}'`;
  const comparison = compareSla(before, after);
  if (comparison === 'stronger' || comparison === 'weaker') {
    recorder.add(
      comparison === 'stronger' ? 'SLA_STRENGTHENED' : 'SLA_WEAKENED',
      pathOf(after),
      `${name} ${comparison === 'stronger' ? 'strengthened' : 'weakened'} from ${describe(before)} to ${describe(after)}`,
      at,
    );
  } else if (comparison === 'unreadable') {
    const why = unreadableSlaValue(before) ?? unreadableSlaValue(after);
    recorder.add(
      'METADATA_CHANGED',
      pathOf(after),
      `${name} changed from ${describe(before)} to ${describe(after)}; could not compare them ` +
        `(${why ? `${unreadableSlaValue(before) ? describe(before) : describe(after)} is ${why}` : 'not of one kind: a duration, a percentage or the same unit'}): review whether it weakens the SLA`,
      at,
    );
  } else {
    recorder.add(
      'METADATA_CHANGED',
      pathOf(after),
      `${name} changed from ${describe(before)} to ${describe(after)}`,
      at,
    );
  }
}
