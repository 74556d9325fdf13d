// Reading resolved template values for the model: what is not of the expected shape reads as absent.
import { isUnresolved, type Resolved } from './assembly/resolve.js';

/** A string, or undefined. */
export const asString = (r: Resolved | undefined): string | undefined => (typeof r === 'string' ? r : undefined);
/** An object, or an empty one. */
export const asRecord = (r: Resolved | undefined): Record<string, Resolved> =>
  r && typeof r === 'object' && !Array.isArray(r) && !isUnresolved(r) ? r : {};
/** A list (a single value is a list of one). */
export const asArray = (r: Resolved | undefined): Resolved[] =>
  Array.isArray(r) ? r : r === undefined || r === null ? [] : [r];
/** The strings of a list. */
export const strings = (r: Resolved | undefined): string[] =>
  asArray(r).filter((x): x is string => typeof x === 'string');
/** A value as a string argument: strings as they are, unresolved values as `<why>`, the rest as JSON. */
export const argument = (v: Resolved): string =>
  typeof v === 'string' ? v : isUnresolved(v) ? `<${v.unresolved}>` : JSON.stringify(v);

/** The key of a table in the model's `tables`: `<database>.<table>`. */
export const tableKey = (database: string, table: string): string => `${database}.${table}`;

/** Appends `value` to the list of `key` in a multimap. */
export function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
