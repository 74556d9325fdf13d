import { columnName } from '../compile/schema-object.js';
import type { OdcsContract } from '../odcs.js';
import type { Classification, ProductManifest } from './load-config.js';

/** The four classification levels, least sensitive first. */
export const CLASSIFICATION_ORDER: readonly Classification[] = Object.freeze([
  'public',
  'internal',
  'confidential',
  'restricted',
]);

/** A classification label of a contract, if it is one of the four levels (case-insensitive). */
export function asClassification(value: unknown): Classification | undefined {
  if (typeof value !== 'string') return undefined;
  const v = value.trim().toLowerCase();
  return (CLASSIFICATION_ORDER as readonly string[]).includes(v) ? (v as Classification) : undefined;
}

/** The more sensitive of two classifications. */
export function moreSensitive(a: Classification, b: Classification): Classification {
  return CLASSIFICATION_ORDER.indexOf(a) >= CLASSIFICATION_ORDER.indexOf(b) ? a : b;
}

/**
 * A product's classification — the value its buckets, table and `classification` LF-tag carry:
 * product.yaml `classification`, else the most sensitive classification found on the contract's
 * schema objects and their properties (nested ones included), else `internal`.
 */
export function productClassification(
  manifest: Pick<ProductManifest, 'classification'>,
  contract: OdcsContract,
): Classification {
  if (manifest.classification !== undefined) return manifest.classification;
  let found: Classification | undefined;
  const visit = (node: { classification?: unknown; properties?: unknown; items?: unknown }): void => {
    const c = asClassification(node.classification);
    if (c) found = found === undefined ? c : moreSensitive(found, c);
    if (Array.isArray(node.properties)) for (const p of node.properties) visit(p as typeof node);
    if (node.items !== null && typeof node.items === 'object') visit(node.items);
  };
  for (const o of contract.schema ?? []) visit(o);
  return found ?? 'internal';
}

/**
 * Columns carrying their own `classification` LF-tag, by classification: top-level properties
 * classified `restricted`, or more sensitive than the product (never less: a column cannot be
 * declassified below its table). Column names are the Glue column names.
 */
export function columnClassifications(
  properties: ReadonlyArray<{ name: string; physicalName?: string; classification?: string }>,
  product: Classification,
): Partial<Record<Classification, string[]>> {
  const out: Partial<Record<Classification, string[]>> = {};
  for (const p of properties) {
    const c = asClassification(p.classification);
    if (c === undefined) continue;
    if (c === 'restricted' || CLASSIFICATION_ORDER.indexOf(c) > CLASSIFICATION_ORDER.indexOf(product)) {
      (out[c] ??= []).push(columnName(p));
    }
  }
  return out;
}
