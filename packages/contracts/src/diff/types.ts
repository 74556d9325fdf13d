/**
 * The type lattice of the compatibility diff: which type changes are widening (the new type
 * holds every value of the old one), which are narrowing, and which are unrelated. Only the
 * relations of the specification are known; nothing else is widening.
 */

import { parseColumnType, type ColumnType } from '../compile/types.js';

/** The verdict for a property's type (absent when the type did not change). */
export type TypeVerdict = 'TYPE_WIDENED' | 'TYPE_NARROWED' | 'TYPE_CHANGED' | 'PHYSICAL_TYPE_CHANGED';

/** A physical type after normalisation: lower-case base name and numeric parameters. */
export interface NormalType {
  base: string;
  params: number[];
}

const ALIASES: Record<string, string> = {
  integer: 'int',
  long: 'bigint',
  text: 'string',
  real: 'float',
  numeric: 'decimal',
};
const INTEGER_RANK: Record<string, number> = { tinyint: 1, smallint: 2, int: 3, bigint: 4 };
const PHYSICAL = /^([a-z][a-z0-9_ ]*?)\s*(?:\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\))?$/;

/**
 * Normalises a physical type: case-insensitive, `integer` = `int`, `long` = `bigint`, `text` =
 * `string`, `real` = `float`, `numeric` = `decimal`; `decimal(p)` = `decimal(p,0)`. Types that do
 * not parse as `name` or `name(n[,m])` keep their lower-cased text as base.
 */
export function parsePhysicalType(type: string): NormalType {
  const text = type.trim().toLowerCase().replace(/\s+/g, ' ');
  const m = PHYSICAL.exec(text);
  if (!m) return { base: text, params: [] };
  const base = ALIASES[m[1]!] ?? m[1]!;
  const params = [m[2], m[3]].filter((p): p is string => p !== undefined).map(Number);
  if (base === 'decimal' && params.length === 1) params.push(0);
  return { base, params };
}

function sameType(a: NormalType, b: NormalType): boolean {
  return a.base === b.base && a.params.length === b.params.length && a.params.every((p, i) => p === b.params[i]);
}

/** True when every value of physical type `from` is a value of `to` (a known widening; false when equal). */
export function widens(from: NormalType, to: NormalType): boolean {
  const fi = INTEGER_RANK[from.base];
  const ti = INTEGER_RANK[to.base];
  if (fi !== undefined && !from.params.length && !to.params.length) {
    if (ti !== undefined) return ti > fi;
    if (to.base === 'double') return true;
  }
  if (from.base === 'float' && to.base === 'double' && !from.params.length && !to.params.length) return true;
  if (from.base === 'decimal' && to.base === 'decimal' && from.params.length === 2 && to.params.length === 2) {
    const [p, s] = from.params as [number, number];
    const [p2, s2] = to.params as [number, number];
    return !sameType(from, to) && p2 >= p && s2 >= s && p2 - s2 >= p - s;
  }
  if (
    (from.base === 'char' || from.base === 'varchar') &&
    from.params.length === 1 &&
    to.base === 'varchar' &&
    to.params.length === 1
  ) {
    return to.params[0]! >= from.params[0]! && !sameType(from, to);
  }
  if ((from.base === 'char' || from.base === 'varchar') && to.base === 'string' && !to.params.length) return true;
  return false;
}

/**
 * Verdict for a physicalType change when the logicalType did not change; `undefined` when both
 * normalise to the same type (e.g. `INT` → `integer`). An added or removed physicalType has no
 * known relation (PHYSICAL_TYPE_CHANGED).
 */
export function physicalTypeVerdict(oldType: string | undefined, newType: string | undefined): TypeVerdict | undefined {
  if (oldType === newType) return undefined;
  if (oldType === undefined || newType === undefined) return 'PHYSICAL_TYPE_CHANGED';
  // Bare char/varchar keep the specification's own relations (`char → string` widens, `varchar →
  // varchar(n)` has none); every other spelling is compared by what the type table says it means.
  const bare = (t: string): boolean => /^\s*(n?var)?char(acter)?( varying)?\s*$|^\s*bpchar\s*$/i.test(t);
  const ca = bare(oldType) || bare(newType) ? undefined : parseColumnType(oldType);
  const cb = ca ? parseColumnType(newType) : undefined;
  if (ca && cb) {
    // Both are spellings the type table knows (`int4`, `timestamptz`, `varchar[50]`…): compare what they mean.
    if (JSON.stringify(ca) === JSON.stringify(cb)) return undefined;
    if (columnWidens(ca, cb)) return 'TYPE_WIDENED';
    if (columnWidens(cb, ca)) return 'TYPE_NARROWED';
    return 'PHYSICAL_TYPE_CHANGED';
  }
  const a = parsePhysicalType(oldType);
  const b = parsePhysicalType(newType);
  if (sameType(a, b)) return undefined;
  if (widens(a, b)) return 'TYPE_WIDENED';
  if (widens(b, a)) return 'TYPE_NARROWED';
  return 'PHYSICAL_TYPE_CHANGED';
}

/** The widenings of the specification, on resolved column types (see `compile/types.ts`). */
function columnWidens(from: ColumnType, to: ColumnType): boolean {
  if (from.kind === 'integer')
    return (to.kind === 'integer' && to.bits > from.bits) || (to.kind === 'float' && to.bits === 64);
  if (from.kind === 'float' && to.kind === 'float') return from.bits < to.bits;
  if (from.kind === 'decimal' && to.kind === 'decimal') {
    const { precision: p, scale: s } = from;
    const { precision: p2, scale: s2 } = to;
    return (p2 !== p || s2 !== s) && p2 >= p && s2 >= s && p2 - s2 >= p - s;
  }
  if (from.kind === 'string' && from.length !== undefined && to.kind === 'string') {
    return (
      to.length === undefined ||
      (!to.fixed && to.length >= from.length && (to.length !== from.length || from.fixed === true))
    );
  }
  return false;
}

/** Verdict for a logicalType change: `integer → number` widens, the reverse narrows, anything else is TYPE_CHANGED. */
export function logicalTypeVerdict(oldType: string | undefined, newType: string | undefined): TypeVerdict | undefined {
  if (oldType === newType) return undefined;
  if (oldType === 'integer' && newType === 'number') return 'TYPE_WIDENED';
  if (oldType === 'number' && newType === 'integer') return 'TYPE_NARROWED';
  return 'TYPE_CHANGED';
}

/** Verdict for an integer `format` change: `i32 → i64` widens, `i64 → i32` narrows; others are not type changes. */
export function integerFormatVerdict(oldFormat: unknown, newFormat: unknown): TypeVerdict | undefined {
  const o = typeof oldFormat === 'string' ? oldFormat.toLowerCase() : oldFormat;
  const n = typeof newFormat === 'string' ? newFormat.toLowerCase() : newFormat;
  if (o === 'i32' && n === 'i64') return 'TYPE_WIDENED';
  if (o === 'i64' && n === 'i32') return 'TYPE_NARROWED';
  return undefined;
}

/**
 * Combines the physicalType verdict and the integer-format verdict into the one type verdict of
 * a property: equal verdicts merge; contradicting ones (one widens, one narrows) leave no known
 * relation (PHYSICAL_TYPE_CHANGED).
 */
export function combineVerdicts(a: TypeVerdict | undefined, b: TypeVerdict | undefined): TypeVerdict | undefined {
  if (!a) return b;
  if (!b || a === b) return a;
  return 'PHYSICAL_TYPE_CHANGED';
}
