/**
 * Values, not spellings: what a property of a template evaluates to. Intrinsics are resolved by
 * @meshkit/verify's resolver (`Ref`, `Fn::GetAtt`, `Fn::Sub`, `Fn::Join`, `Fn::Select`,
 * `Fn::Split`, `Fn::ImportValue` of an export of the assembly…); every `Fn::If` is expanded into
 * its branches, so a rule checks each branch combination; what cannot be resolved stays
 * `{ unresolved }` (or a `*` in a pattern) so that rules treat it as the worst case.
 */
import { AssemblyModel, isUnresolved, type Resolved, type StackModel } from '@meshkit/verify';
import { isObject } from './refs.js';
import type { TemplateContext } from './template-context.js';

export { isUnresolved, type Resolved };

/** Branch combinations above this are not expanded: each `Fn::If` then stays unresolved (worst case). */
export const MAX_BRANCH_COMBINATIONS = 64;

const containsIf = (v: unknown): boolean => {
  if (v === null || typeof v !== 'object') return false;
  if (Array.isArray(v)) {
    for (const x of v) if (containsIf(x)) return true;
    return false;
  }
  for (const k in v as Record<string, unknown>) {
    if (k === 'Fn::If' || containsIf((v as Record<string, unknown>)[k])) return true;
  }
  return false;
};

/** Cartesian product of the children's variants, or undefined above the cap. */
function combine<T>(parts: unknown[][], build: (picked: unknown[]) => T): T[] | undefined {
  let total = 1;
  for (const p of parts) {
    total *= p.length;
    if (total > MAX_BRANCH_COMBINATIONS) return undefined;
  }
  let acc: unknown[][] = [[]];
  for (const p of parts) {
    const next: unknown[][] = [];
    for (const prefix of acc) for (const x of p) next.push([...prefix, x]);
    acc = next;
  }
  return acc.map(build);
}

function expand(v: unknown): unknown[] | undefined {
  if (!containsIf(v)) return [v];
  if (Array.isArray(v)) {
    const parts: unknown[][] = [];
    for (const x of v) {
      const e = expand(x);
      if (!e) return undefined;
      parts.push(e);
    }
    return combine(parts, (picked) => picked);
  }
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length === 1 && keys[0] === 'Fn::If') {
    const arg = o['Fn::If'];
    if (!Array.isArray(arg) || arg.length !== 3) return [v];
    const a = expand(arg[1]);
    const b = expand(arg[2]);
    if (!a || !b || a.length + b.length > MAX_BRANCH_COMBINATIONS) return undefined;
    return [...a, ...b];
  }
  const parts: unknown[][] = [];
  for (const k of keys) {
    const e = expand(o[k]);
    if (!e) return undefined;
    parts.push(e);
  }
  return combine(parts, (picked) => Object.fromEntries(keys.map((k, i) => [k, picked[i]])));
}

/**
 * Every value `v` can take: one per combination of `Fn::If` branches (`v` itself when it has no
 * `Fn::If`). Above {@link MAX_BRANCH_COMBINATIONS} `v` is returned as is, its `Fn::If`s unresolved.
 */
export function branches(v: unknown): unknown[] {
  return expand(v) ?? [v];
}

/** The resolver of this template's stack (one model per assembly, built on first use). */
export function stackOf(ctx: TemplateContext): StackModel {
  const byCtx = ctx.assembly.memo('values:stack-models', () => {
    const all = ctx.assembly.all();
    const model = new AssemblyModel({
      dir: '',
      stacks: all.map((t) => ({ name: t.ctx.stackName ?? t.key, file: t.key, template: t.ctx.template as never })),
    });
    return new Map<TemplateContext, StackModel>(all.map((t, i) => [t.ctx, model.stacks[i]!]));
  });
  return byCtx.get(ctx)!;
}

/** Each value `v` can take (one per `Fn::If` branch combination), resolved. */
export function resolveAll(v: unknown, ctx: TemplateContext): Resolved[] {
  if (v === undefined) return [null];
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return [v];
  const stack = stackOf(ctx);
  return branches(v).map((b) => stack.resolve(b));
}

/** A string value as a pattern: unresolved parts are `*` and listed in `unresolved`. */
export interface ValuePattern {
  readonly text: string;
  readonly unresolved: readonly string[];
}

/**
 * A string-valued property (without `Fn::If`: expand with {@link branches} first) as a pattern:
 * the parts of a `Fn::Sub` or `Fn::Join` that cannot be resolved become `*` (anything), so
 * `Fn::Sub "alias/aws/${X}"` is `alias/aws/*`. Undefined when the value is not a string (a list,
 * an object, no value).
 */
export function patternOf(v: unknown, ctx: TemplateContext): ValuePattern | undefined {
  const unresolved: string[] = [];
  const text = pattern(v, stackOf(ctx), unresolved, 0);
  return text === undefined ? undefined : { text, unresolved };
}

function pattern(v: unknown, stack: StackModel, unresolved: string[], depth: number): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (depth > 32) {
    unresolved.push('value nested too deeply');
    return '*';
  }
  if (isObject(v)) {
    const keys = Object.keys(v);
    if (keys.length === 1 && keys[0] === 'Fn::Sub') {
      const arg = v['Fn::Sub'];
      const [text, vars] = (Array.isArray(arg) ? arg : [arg, undefined]) as [unknown, unknown];
      if (typeof text === 'string') {
        return text.replace(/\$\{(!?)([^}]*)\}/g, (all, bang: string, name: string) => {
          if (bang) return `\${${name}}`;
          let r: string | undefined;
          if (isObject(vars) && name in vars) r = pattern(vars[name], stack, unresolved, depth + 1);
          else {
            const resolved = stack.resolve(
              name.includes('.') && !name.startsWith('AWS::')
                ? { 'Fn::GetAtt': [name.slice(0, name.indexOf('.')), name.slice(name.indexOf('.') + 1)] }
                : { Ref: name },
            );
            if (typeof resolved === 'string' || typeof resolved === 'number') r = String(resolved);
            else unresolved.push(isUnresolved(resolved) ? resolved.unresolved : all);
          }
          return r ?? '*';
        });
      }
    }
    if (keys.length === 1 && keys[0] === 'Fn::Join') {
      const arg = v['Fn::Join'];
      if (Array.isArray(arg) && typeof arg[0] === 'string' && Array.isArray(arg[1])) {
        return arg[1]
          .map((x) => {
            const p = pattern(x, stack, unresolved, depth + 1);
            if (p === undefined) unresolved.push(`Fn::Join part ${JSON.stringify(x)}`);
            return p ?? '*';
          })
          .join(arg[0]);
      }
    }
  }
  const r = stack.resolve(v);
  if (typeof r === 'string') return r;
  if (typeof r === 'number') return String(r);
  if (isUnresolved(r)) {
    unresolved.push(r.unresolved);
    return '*';
  }
  return undefined;
}

/** `Fn::If` branch wording for messages: '' when the value has a single branch. */
export const inBranch = (count: number): string => (count > 1 ? ' (in one branch of its Fn::If)' : '');
