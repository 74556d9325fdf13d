/**
 * The walk of schema properties, recursively through nested `properties` and array `items`:
 * added, removed and renamed properties, required/unique flags, key membership, the type verdict,
 * logical type options, classification and quality.
 */
import { isTimestampPhysicalType } from '../compile/types.js';
import type { Path } from '../load/source.js';
import type { LogicalTypeOptions, SchemaItem } from '../odcs.js';
import type { At, ChangeRecorder } from './recorder.js';
import type { ChangeRuleId } from './rules.js';
import { combineVerdicts, integerFormatVerdict, logicalTypeVerdict, physicalTypeVerdict } from './types.js';
import { diffOptions } from './walk-options.js';
import { diffQuality } from './walk-quality.js';
import { deepEqual, isObj, list, pairItems, show, type Obj } from './values.js';

const PROPERTY_KEYS = new Set([
  'name',
  'physicalName',
  'id',
  'required',
  'unique',
  'primaryKey',
  'primaryKeyPosition',
  'partitioned',
  'partitionKeyPosition',
  'logicalType',
  'physicalType',
  'logicalTypeOptions',
  'classification',
  'quality',
  'properties',
  'items',
  'customProperties',
]);

/** Renames (same id, other name; or other physicalName, absent meaning the name) and id/physicalName metadata. */
export function diffRename(
  recorder: ChangeRecorder,
  rule: 'SCHEMA_OBJECT_RENAMED' | 'PROPERTY_RENAMED',
  what: string,
  before: At<Obj>,
  after: At<Obj>,
  path: string,
): void {
  const oldName = before.value.name;
  const newName = after.value.name;
  const oldPhysical = before.value.physicalName;
  const newPhysical = after.value.physicalName;
  if (oldName !== newName) {
    recorder.add(rule, path, `${what} '${show(oldName)}' renamed to '${show(newName)}'`, [...after.at, 'name']);
  } else if ((oldPhysical ?? oldName) !== (newPhysical ?? newName)) {
    recorder.add(
      rule,
      path,
      `physical name of '${show(newName)}' changed from ${show(oldPhysical ?? oldName)} to ${show(newPhysical ?? newName)}`,
      [...after.at, 'physicalName'],
    );
  } else if (oldPhysical !== newPhysical) {
    recorder.add(
      'METADATA_CHANGED',
      `${path}.physicalName`,
      `physicalName of '${show(newName)}' ${newPhysical === undefined ? 'removed' : 'declared'} (same as its name)`,
      [...after.at, 'physicalName'],
    );
  }
  if (before.value.id !== after.value.id)
    recorder.add(
      'METADATA_CHANGED',
      `${path}.id`,
      `id of '${show(newName)}' changed from ${show(before.value.id)} to ${show(after.value.id)}`,
      [...after.at, 'id'],
    );
}

/** Diffs a list of properties; `nested` when `parent` is a property (its label then prefixes the children's). */
export function diffProperties(
  recorder: ChangeRecorder,
  before: SchemaItem[],
  after: SchemaItem[],
  base: string,
  parent: string,
  oldAt: Path,
  newAt: Path,
  nested = false,
): void {
  if (!before.length && !after.length) return;
  const pairing = pairItems(
    before,
    after,
    (property) => property?.id,
    (property) => String(property?.name),
  );
  const pathOf = (property: SchemaItem): string => `${base}.properties[${String(property.name)}]`;
  for (const oldIndex of pairing.removed) {
    const property = before[oldIndex]!;
    recorder.add(
      'PROPERTY_REMOVED',
      pathOf(property),
      `property '${String(property.name)}' removed from '${parent}'`,
      [...oldAt, 'properties', oldIndex],
      { removal: true },
    );
  }
  for (const newIndex of pairing.added) {
    const property = after[newIndex]!;
    const required = property.required === true;
    recorder.add(
      required ? 'PROPERTY_ADDED_REQUIRED' : 'PROPERTY_ADDED_OPTIONAL',
      pathOf(property),
      `${required ? 'required' : 'optional'} property '${String(property.name)}' added to '${parent}'`,
      [...newAt, 'properties', newIndex],
    );
  }
  for (const [oldIndex, newIndex] of pairing.pairs) {
    const property = after[newIndex]!;
    diffProperty(
      recorder,
      { value: before[oldIndex]!, at: [...oldAt, 'properties', oldIndex] },
      { value: property, at: [...newAt, 'properties', newIndex] },
      pathOf(property),
      nested ? `${parent}.${String(property.name)}` : String(property.name),
    );
  }
}

/** Diffs one paired property (`label`: its dotted name, `[]` for array items). */
function diffProperty(
  recorder: ChangeRecorder,
  before: At<SchemaItem>,
  after: At<SchemaItem>,
  path: string,
  label: string,
): void {
  if (deepEqual(before.value, after.value)) return;
  const oldProperty = before.value as Obj;
  const newProperty = after.value as Obj;
  const quoted = `'${label}'`;
  diffRename(recorder, 'PROPERTY_RENAMED', 'property', before, after, path);
  const flag = (key: 'required' | 'unique', added: ChangeRuleId, removed: ChangeRuleId): void => {
    const was = oldProperty[key] === true;
    const is = newProperty[key] === true;
    if (was !== is)
      recorder.add(is ? added : removed, `${path}.${key}`, `${quoted} is ${is ? 'now' : 'no longer'} ${key}`, [
        ...after.at,
        key,
      ]);
  };
  flag('required', 'REQUIRED_ADDED', 'REQUIRED_REMOVED');
  flag('unique', 'UNIQUE_ADDED', 'UNIQUE_REMOVED');
  const keys = { recorder, before, after, path, label: quoted };
  diffKeyMembership(keys, 'primaryKey', 'primaryKeyPosition', 'PRIMARY_KEY_CHANGED', 'the primary key');
  diffKeyMembership(keys, 'partitioned', 'partitionKeyPosition', 'PARTITIONING_CHANGED', 'the partition key');
  const oldOptions: LogicalTypeOptions = isObj(oldProperty.logicalTypeOptions) ? oldProperty.logicalTypeOptions : {};
  const newOptions: LogicalTypeOptions = isObj(newProperty.logicalTypeOptions) ? newProperty.logicalTypeOptions : {};
  const formatIsType = diffType(recorder, before, after, oldOptions, newOptions, path, quoted);
  if (!deepEqual(oldOptions, newOptions))
    diffOptions(recorder, oldOptions, newOptions, formatIsType, path, quoted, [...after.at, 'logicalTypeOptions']);
  if (oldProperty.classification !== newProperty.classification) {
    recorder.add(
      'CLASSIFICATION_CHANGED',
      `${path}.classification`,
      `classification of ${quoted} changed from ${show(oldProperty.classification)} to ${show(newProperty.classification)}`,
      [...after.at, 'classification'],
      { warn: true },
    );
  }
  const scope = { base: path, label: quoted, oldAt: before.at, newAt: after.at };
  diffQuality(recorder, list(oldProperty.quality), list(newProperty.quality), scope, true);
  diffProperties(
    recorder,
    list(oldProperty.properties),
    list(newProperty.properties),
    path,
    label,
    before.at,
    after.at,
    true,
  );
  if (oldProperty.items !== undefined || newProperty.items !== undefined) {
    const oldItems = isObj(oldProperty.items) ? (oldProperty.items as SchemaItem) : {};
    const newItems = isObj(newProperty.items) ? (newProperty.items as SchemaItem) : {};
    diffProperty(
      recorder,
      { value: oldItems, at: [...before.at, 'items'] },
      { value: newItems, at: [...after.at, 'items'] },
      `${path}.items`,
      `${label}[]`,
    );
  }
  recorder.customProperties(oldProperty.customProperties, newProperty.customProperties, scope);
  recorder.otherKeys(oldProperty, newProperty, PROPERTY_KEYS, path, quoted, after.at);
}

/** Membership of a property in the primary or partition key, and its position there. */
function diffKeyMembership(
  property: { recorder: ChangeRecorder; before: At<SchemaItem>; after: At<SchemaItem>; path: string; label: string },
  member: 'primaryKey' | 'partitioned',
  position: 'primaryKeyPosition' | 'partitionKeyPosition',
  rule: ChangeRuleId,
  what: string,
): void {
  const { recorder, before, after, path, label } = property;
  const was = before.value[member] === true;
  const is = after.value[member] === true;
  const oldPosition = typeof before.value[position] === 'number' ? before.value[position] : -1;
  const newPosition = typeof after.value[position] === 'number' ? after.value[position] : -1;
  if (was !== is) {
    recorder.add(rule, `${path}.${member}`, `${label} ${is ? 'added to' : 'removed from'} ${what}`, [
      ...after.at,
      member,
    ]);
  } else if (oldPosition !== newPosition) {
    recorder.add(
      rule,
      `${path}.${position}`,
      `position of ${label} in ${what} changed from ${oldPosition} to ${newPosition}`,
      [...after.at, position],
    );
  }
}

/** Reports the one type verdict of a property; returns true when the `format` change was a type change (i32 ↔ i64). */
function diffType(
  recorder: ChangeRecorder,
  before: At<SchemaItem>,
  after: At<SchemaItem>,
  oldOptions: LogicalTypeOptions,
  newOptions: LogicalTypeOptions,
  path: string,
  label: string,
): boolean {
  const text = (value: unknown): string | undefined =>
    typeof value === 'string' ? value : value === undefined ? undefined : JSON.stringify(value);
  // `logicalType: date` on a timestamp physical type is a timestamp (the type table's reading, the v3.0 idiom).
  const logical = (property: SchemaItem): unknown =>
    property.logicalType === 'date' && isTimestampPhysicalType(property.physicalType)
      ? 'timestamp'
      : property.logicalType;
  const oldType = before.value;
  const newType = after.value;
  const logicalVerdict = logicalTypeVerdict(text(logical(oldType)), text(logical(newType)));
  if (logicalVerdict) {
    const message =
      logicalVerdict === 'TYPE_CHANGED'
        ? `logical type of ${label} changed from ${show(oldType.logicalType)} to ${show(newType.logicalType)}`
        : `type of ${label} ${logicalVerdict === 'TYPE_WIDENED' ? 'widened' : 'narrowed'} from ${show(oldType.logicalType)} to ${show(newType.logicalType)}`;
    recorder.add(logicalVerdict, `${path}.logicalType`, message, [...after.at, 'logicalType']);
    return false;
  }
  const physicalVerdict = physicalTypeVerdict(text(oldType.physicalType), text(newType.physicalType));
  const formatVerdict =
    oldType.logicalType === 'integer' && newType.logicalType === 'integer'
      ? integerFormatVerdict(oldOptions.format, newOptions.format)
      : undefined;
  const verdict = combineVerdicts(physicalVerdict, formatVerdict);
  if (!verdict) return false;
  const physical = physicalVerdict !== undefined;
  const from = physical ? oldType.physicalType : oldOptions.format;
  const to = physical ? newType.physicalType : newOptions.format;
  const message =
    verdict === 'TYPE_WIDENED' || verdict === 'TYPE_NARROWED'
      ? `type of ${label} ${verdict === 'TYPE_WIDENED' ? 'widened' : 'narrowed'} from ${show(from)} to ${show(to)}`
      : `physical type of ${label} changed from ${show(oldType.physicalType)} to ${show(newType.physicalType)}${formatVerdict ? ` (format ${show(oldOptions.format)} to ${show(newOptions.format)})` : ''}`;
  recorder.add(
    verdict,
    physical ? `${path}.physicalType` : `${path}.logicalTypeOptions.format`,
    message,
    physical ? [...after.at, 'physicalType'] : [...after.at, 'logicalTypeOptions', 'format'],
  );
  return formatVerdict !== undefined;
}
