// Small pure helpers shared by the lint rules (no rule logic here).
import type { CustomProperty, QualityRule, SchemaProperty } from '../odcs.js';
import type { Path } from '../load/source.js';
import type { PropertyVisit } from './types.js';

/** Classification levels of the platform, least to most sensitive. */
export const CLASSIFICATION_LEVELS = ['public', 'internal', 'confidential', 'restricted'] as const;

/** Classifications PII may carry. */
export const PII_CLASSIFICATIONS = ['confidential', 'restricted'] as const;

const PII_TAG = /(?:^|[^a-z])pii(?:[^a-z]|$)/i;
/** Tags that say a property is NOT personal data: `pii:false`, `pii: no`, `pii=0`, `non-pii`, `no_pii`, `not-pii`. */
const NOT_PII_TAG = /^\s*(?:pii\s*[:=]\s*(?:false|no|none|0|n)|(?:non|no|not)[-_ ]?pii)\s*$/i;

/** Non-empty trimmed string, else undefined. */
export function text(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

/** Index of the custom property `name` in `list`, or -1. */
export function customPropertyIndex(list: CustomProperty[] | undefined, name: string): number {
  return Array.isArray(list) ? list.findIndex((p) => p && p.property === name) : -1;
}

/**
 * True when a property is tagged as personal data: a tag that contains `pii` as a word
 * (case-insensitive: `pii`, `PII`, `pii:email`, `pii-name`, `pii:true`) — except the tags that deny
 * it (`pii:false`, `pii: false`, `pii=no`, `non-pii`, `no-pii`) — or the custom property `pii` set
 * to `true` (boolean or the string `"true"`).
 */
export function isPii(property: SchemaProperty): boolean {
  if (
    Array.isArray(property.tags) &&
    property.tags.some((t) => typeof t === 'string' && PII_TAG.test(t) && !NOT_PII_TAG.test(t))
  )
    return true;
  const i = customPropertyIndex(property.customProperties, 'pii');
  const v = i >= 0 ? property.customProperties?.[i]?.value : undefined;
  return v === true || (typeof v === 'string' && v.trim().toLowerCase() === 'true');
}

/** The classification a property declares, else the nearest enclosing property's, with where it was found. */
export function effectiveClassification(visit: PropertyVisit): { value: string; path: Path } | undefined {
  for (let v: PropertyVisit | undefined = visit; v; v = v.parent) {
    const c = text(v.property.classification);
    if (c !== undefined) return { value: c, path: [...v.path, 'classification'] };
  }
  return undefined;
}

/** Quality rules of a list, with their paths. */
export function qualityRules(list: QualityRule[] | undefined, path: Path): Array<{ rule: QualityRule; path: Path }> {
  return Array.isArray(list)
    ? list.flatMap((rule, i) => (rule && typeof rule === 'object' ? [{ rule, path: [...path, i] }] : []))
    : [];
}

/** `a, b or c`. */
export function orList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}
