// Three-valued (Kleene) logic: a test is true, false, or unknown (with the reasons it is unknown).

export type Verdict =
  { readonly kind: 'yes' } | { readonly kind: 'no' } | { readonly kind: 'unknown'; readonly why: readonly string[] };

export const YES: Verdict = { kind: 'yes' };
export const NO: Verdict = { kind: 'no' };

export function unknown(...why: string[]): Verdict {
  return { kind: 'unknown', why };
}

export function fromBoolean(value: boolean): Verdict {
  return value ? YES : NO;
}

/** Kleene AND: false wins, then unknown (reasons of every unknown part), then true. */
export function allOf(verdicts: readonly Verdict[]): Verdict {
  let why: string[] | undefined;
  for (const v of verdicts) {
    if (v.kind === 'no') return NO;
    if (v.kind === 'unknown') (why ??= []).push(...v.why);
  }
  return why ? { kind: 'unknown', why } : YES;
}

/** Kleene OR: true wins, then unknown (reasons of every unknown part), then false. */
export function anyOf(verdicts: readonly Verdict[]): Verdict {
  let why: string[] | undefined;
  for (const v of verdicts) {
    if (v.kind === 'yes') return YES;
    if (v.kind === 'unknown') (why ??= []).push(...v.why);
  }
  return why ? { kind: 'unknown', why } : NO;
}

export function not(v: Verdict): Verdict {
  return v.kind === 'yes' ? NO : v.kind === 'no' ? YES : v;
}

/** Adds a prefix to every reason of an unknown verdict. */
export function explain(v: Verdict, prefix: string): Verdict {
  return v.kind === 'unknown' ? { kind: 'unknown', why: v.why.map((w) => `${prefix}${w}`) } : v;
}
