/**
 * The change recorder of the compatibility diff walk: collects one raw change per difference, with
 * the document and data path to locate it by, and the two comparisons every node shares (custom
 * properties, and the keys no other comparison handles).
 */
import type { Path, SourceDocument } from '../load/source.js';
import type { CustomProperty } from '../odcs.js';
import { CHANGE_RULES, type Breaks, type ChangeRuleId } from './rules.js';
import { deepEqual, isObj, list, type Obj } from './values.js';
import { canonicalJson } from '../repository/canonical-json.js';
import type { CompatibilityMode } from './verdict.js';

/** A change before its verdict: where to locate it is kept, the location is computed only if it is reported. */
export interface RawChange {
  rule: ChangeRuleId;
  breaks: Breaks;
  path: string;
  message: string;
  /** Document the location points into (the new one; the old one for removals). */
  doc: SourceDocument;
  /** Data path of the node in `doc`. */
  at: Path;
  /** Reported as a warning even when it breaks nothing (status moving to deprecated/retired, classification). */
  warn?: boolean;
  /** Mode the change is judged under instead of the diff's mode (a weakened compatibility mode). */
  judge?: CompatibilityMode;
}

/** A node of one side: its value and its data path in that side's document. */
export interface At<T> {
  value: T;
  at: Path;
}

/** What a recorded change may carry besides its rule, path, message and location. */
export interface ChangeExtra {
  /** The change is located in the old document (a removal). */
  removal?: boolean;
  /** Overrides the rule's `breaks`. */
  breaks?: Breaks;
  warn?: boolean;
  judge?: CompatibilityMode;
}

/** Where a node's changes are reported: its logical path, its label in messages, its data paths. */
export interface NodeScope {
  /** Logical path of the node (`''` for the contract). */
  base: string;
  /** The node as messages name it (`the contract`, `'orders'`). */
  label: string;
  oldAt: Path;
  newAt: Path;
}

/** Collects the raw changes of one old/new pair of contracts. */
export class ChangeRecorder {
  readonly changes: RawChange[] = [];

  constructor(
    private readonly oldDoc: SourceDocument,
    private readonly newDoc: SourceDocument,
  ) {}

  /** Records one change; located in the new document unless `extra.removal`. */
  add(rule: ChangeRuleId, path: string, message: string, at: Path, extra: ChangeExtra = {}): void {
    const base = CHANGE_RULES[rule].breaks;
    this.changes.push({
      rule,
      path,
      message,
      at,
      doc: extra.removal ? this.oldDoc : this.newDoc,
      breaks: extra.breaks ?? { backward: base.backward, forward: base.forward },
      ...(extra.warn ? { warn: true } : {}),
      ...(extra.judge ? { judge: extra.judge } : {}),
    });
  }

  /** Custom properties of a node (except `meshkit.*`), matched by name: METADATA_CHANGED. */
  customProperties(before: unknown, after: unknown, scope: NodeScope): void {
    if (deepEqual(before, after)) return;
    const oldByName = indexByProperty(before);
    const newByName = indexByProperty(after);
    const oldList = list<CustomProperty>(before);
    const newList = list<CustomProperty>(after);
    const prefix = scope.base ? `${scope.base}.` : '';
    for (const [name, oldIndex] of oldByName) {
      const path = `${prefix}customProperties[${name}]`;
      const newIndex = newByName.get(name);
      if (newIndex === undefined) {
        this.add(
          'METADATA_CHANGED',
          path,
          `custom property '${name}' removed from ${scope.label}`,
          [...scope.oldAt, 'customProperties', oldIndex],
          { removal: true },
        );
      } else if (!deepEqual(oldList[oldIndex], newList[newIndex])) {
        this.add('METADATA_CHANGED', path, `custom property '${name}' of ${scope.label} changed`, [
          ...scope.newAt,
          'customProperties',
          newIndex,
        ]);
      }
    }
    for (const [name, newIndex] of newByName) {
      if (!oldByName.has(name))
        this.add(
          'METADATA_CHANGED',
          `${prefix}customProperties[${name}]`,
          `custom property '${name}' added to ${scope.label}`,
          [...scope.newAt, 'customProperties', newIndex],
        );
    }
  }

  /** Every key not handled elsewhere: METADATA_CHANGED (tags compare as sets), located in the new document. */
  otherKeys(before: Obj, after: Obj, handled: ReadonlySet<string>, base: string, label: string, newAt: Path): void {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    const prefix = base ? `${base}.` : '';
    for (const key of keys) {
      if (handled.has(key)) continue;
      const oldValue = before[key];
      const newValue = after[key];
      if (
        key === 'tags' && Array.isArray(oldValue) && Array.isArray(newValue)
          ? canonicalJson(oldValue.map((v) => canonicalJson(v)).sort()) ===
            canonicalJson(newValue.map((v) => canonicalJson(v)).sort())
          : deepEqual(oldValue, newValue)
      )
        continue;
      const what = oldValue === undefined ? 'added to' : newValue === undefined ? 'removed from' : 'changed in';
      this.add('METADATA_CHANGED', `${prefix}${key}`, `'${key}' ${what} ${label}`, [...newAt, key]);
    }
  }
}

/** Index of each custom property by name (the first of a name; `meshkit.*` ones are left out). */
function indexByProperty(value: unknown): Map<string, number> {
  const byName = new Map<string, number>();
  list<CustomProperty>(value).forEach((property, index) => {
    if (
      isObj(property) &&
      typeof property.property === 'string' &&
      !property.property.startsWith('meshkit.') &&
      !byName.has(property.property)
    )
      byName.set(property.property, index);
  });
  return byName;
}
