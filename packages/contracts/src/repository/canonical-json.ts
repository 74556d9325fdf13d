/**
 * JSON with object keys sorted at every level and `undefined` members left out: the same value
 * always serialises the same way, whatever order its keys were built in. Used to compare values
 * (set members, duplicate checks) and for the content hashes of catalog records, so its output
 * must never change: a stored catalog verifies against these bytes.
 * @returns the JSON text; `'null'` for a value JSON cannot represent (`undefined`)
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value)) ?? 'null';
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = sortKeys(v);
    }
    return out;
  }
  return value;
}
