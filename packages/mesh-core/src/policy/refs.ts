/**
 * Small helpers over CloudFormation JSON: intrinsics, references between resources, value
 * comparison. Pure, allocation-light (they run for every resource of every template).
 */
import type { CfnResourceView } from './rule.js';
import type { TemplateContext } from './template-context.js';

/** A plain JSON object (not an array, not null). */
export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** `v` as a list: arrays as they are, `undefined` as `[]`, anything else as `[v]`. */
export const asArray = (v: unknown): readonly unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

/** Property `key` of `v` when `v` is an object. */
export const prop = (v: unknown, key: string): unknown => (isObject(v) ? v[key] : undefined);

/** Follows a path of property names. */
export const path = (v: unknown, ...keys: string[]): unknown => {
  let cur = v;
  for (const k of keys) {
    if (!isObject(cur)) return undefined;
    cur = cur[k];
  }
  return cur;
};

/** True when `v` is an intrinsic function or a `Ref` (a single key `Ref` or `Fn::…`). */
export const isIntrinsic = (v: unknown): v is Record<string, unknown> => {
  if (!isObject(v)) return false;
  const keys = Object.keys(v);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0]!.startsWith('Fn::'));
};

/** Logical id a `{Ref}` / `{Fn::GetAtt}` points at, else undefined. */
export const referencedId = (v: unknown): string | undefined => {
  if (!isObject(v)) return undefined;
  const ref = v.Ref;
  if (typeof ref === 'string') return ref;
  const att = v['Fn::GetAtt'];
  if (Array.isArray(att) && typeof att[0] === 'string') return att[0];
  if (typeof att === 'string') return att.split('.')[0];
  return undefined;
};

/** True when `value` is `{Ref: logicalId}` or `{Fn::GetAtt: [logicalId, …]}`. */
export const refersTo = (value: unknown, logicalId: string): boolean => referencedId(value) === logicalId;

/**
 * True when `value` mentions `logicalId` anywhere: a direct reference, or inside `Fn::Join`,
 * `Fn::Sub` (`${Id}`, `${Id.Attr}`), `Fn::Select`… (e.g. `arn-of-bucket + "/*"`).
 */
export const mentions = (value: unknown, logicalId: string): boolean => {
  if (typeof value === 'string') return false;
  if (Array.isArray(value)) return value.some((x) => mentions(x, logicalId));
  if (!isObject(value)) return false;
  if (refersTo(value, logicalId)) return true;
  const sub = value['Fn::Sub'];
  if (sub !== undefined) {
    const text = Array.isArray(sub) ? sub[0] : sub;
    if (typeof text === 'string' && (text.includes('${' + logicalId + '}') || text.includes('${' + logicalId + '.')))
      return true;
  }
  for (const k in value) if (mentions(value[k], logicalId)) return true;
  return false;
};

/** Structural equality of two JSON values (literals and intrinsics alike). */
export const jsonEqual = (a: unknown, b: unknown): boolean => {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b as object);
  if (ka.length !== kb.length) return false;
  for (const k of ka)
    if (!jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  return true;
};

/**
 * The resource a value points at in the same template (`Ref`/`GetAtt`), or — through
 * `Fn::ImportValue` of an export of another template of the assembly — in another template.
 */
export const resolveResource = (
  value: unknown,
  ctx: TemplateContext,
): { ctx: TemplateContext; resource: CfnResourceView } | undefined => {
  const id = referencedId(value);
  if (id !== undefined) {
    const r = ctx.get(id);
    return r ? { ctx, resource: r } : undefined;
  }
  const imp = prop(value, 'Fn::ImportValue');
  if (typeof imp === 'string') {
    const exp = ctx.assembly.exported(imp);
    if (!exp) return undefined;
    const other = ctx.assembly.all().find((t) => t.key === exp.key)?.ctx;
    const otherId = referencedId(exp.value);
    const r = other && otherId !== undefined ? other.get(otherId) : undefined;
    return other && r ? { ctx: other, resource: r } : undefined;
  }
  return undefined;
};

/** The literal name of a named resource (`BucketName`, `Name`, …), if literal. */
export const literalName = (r: CfnResourceView, nameProp: string): string | undefined => {
  const v = r.properties[nameProp];
  return typeof v === 'string' ? v : undefined;
};

/** A non-empty literal string, or an intrinsic (value decided at deploy time). */
export const isSet = (v: unknown): boolean => (typeof v === 'string' ? v.trim() !== '' : isIntrinsic(v));

/** Values accepted as CloudFormation `true` (`true` or `"true"`). */
export const isTrue = (v: unknown): boolean => v === true || v === 'true';
