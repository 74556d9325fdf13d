// Policy variables (`${aws:username}`, `${aws:PrincipalTag/team, 'none'}`, `${*}`) substituted from
// the request context while a policy string is compiled to a wildcard pattern.

import type { RequestContext } from './context.js';
import { PatternBuilder, type Pattern } from './wildcard.js';

export type Compiled = { readonly ok: true; readonly pattern: Pattern } | { readonly ok: false; readonly why: string };

export interface CompileOptions {
  /** The request context the variables are read from. */
  readonly context: RequestContext;
  /** Whether `${…}` is a variable: only in policies of Version 2012-10-17, and for elements that support them. */
  readonly variables: boolean;
  /** Whether `*` and `?` are wildcards (Resource, StringLike, Arn*) or literal (StringEquals…). */
  readonly wildcards: boolean;
}

const VARIABLE = /^\s*([^\s,']+)\s*(?:,\s*'((?:[^']|'')*)'\s*)?$/;

/** Compiles one policy string; a variable the request cannot give makes it unknown. */
export function compileValue(value: string, options: CompileOptions): Compiled {
  const b = new PatternBuilder();
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (options.variables && ch === '$' && value[i + 1] === '{') {
      const end = value.indexOf('}', i + 2);
      if (end >= 0) {
        const inner = value.slice(i + 2, end);
        const resolved = resolveVariable(inner, options.context);
        if (!resolved.ok) return resolved;
        b.literal(resolved.text);
        i = end;
        continue;
      }
    }
    if (options.wildcards && ch === '*') b.anyRun();
    else if (options.wildcards && ch === '?') b.oneChar();
    else b.literal(ch);
  }
  return { ok: true, pattern: b.build() };
}

function resolveVariable(
  inner: string,
  context: RequestContext,
): { ok: true; text: string } | { ok: false; why: string } {
  if (inner === '*' || inner === '?' || inner === '$') return { ok: true, text: inner };
  const m = VARIABLE.exec(inner);
  if (!m) return { ok: false, why: `policy variable \${${inner}} is malformed` };
  const key = m[1]!;
  const fallback = m[2]?.replace(/''/g, "'");
  const entry = context.get(key);
  if (entry && !entry.multivalued && entry.values.length === 1) return { ok: true, text: entry.values[0]! };
  if (fallback !== undefined) return { ok: true, text: fallback };
  return {
    ok: false,
    why: entry
      ? `policy variable \${${key}} names a multivalued key, which cannot be substituted`
      : `policy variable \${${key}} has no value in the request context`,
  };
}
