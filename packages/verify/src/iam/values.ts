// Reading policy values: strings, unresolved values, and lists of them.

import type { PolicyValue, Unresolved } from './types.js';

export function isUnresolved(value: unknown): value is Unresolved {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof (value as { unresolved?: unknown }).unresolved === 'string'
  );
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** How an unresolved value is named in a reason. */
export function describeUnresolved(value: Unresolved): string {
  return `unresolved value (${value.unresolved})`;
}

/**
 * The values of an element that holds one string or a list of strings (Action, Resource,
 * Principal's AWS…), or a sentence saying why it is malformed.
 */
export function valueList(element: unknown, name: string): { values: PolicyValue[] } | { malformed: string } {
  const items = Array.isArray(element) ? element : [element];
  const values: PolicyValue[] = [];
  for (const item of items) {
    if (typeof item === 'string' || isUnresolved(item)) values.push(item);
    else
      return {
        malformed: `${name} holds ${JSON.stringify(item) ?? String(item)}, which is neither a string nor an unresolved value`,
      };
  }
  return { values };
}
