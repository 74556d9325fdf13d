// IAM wildcard strings: `*` matches any run of characters (including none, `/` and `:`), `?` one
// character. A pattern keeps which characters are wildcards, so that a literal `*` (from `${*}` or
// from a substituted variable) stays literal.

const LITERAL = 0;
const ANY_RUN = 1;
const ONE_CHAR = 2;

/** A compiled IAM string: characters (UTF-16 units) and which of them are wildcards. */
export interface Pattern {
  readonly chars: readonly string[];
  readonly kinds: readonly number[];
}

/** Builds a {@link Pattern} piece by piece. */
export class PatternBuilder {
  private readonly chars: string[] = [];
  private readonly kinds: number[] = [];

  literal(text: string): this {
    for (let i = 0; i < text.length; i++) {
      this.chars.push(text[i]!);
      this.kinds.push(LITERAL);
    }
    return this;
  }

  anyRun(): this {
    this.chars.push('*');
    this.kinds.push(ANY_RUN);
    return this;
  }

  oneChar(): this {
    this.chars.push('?');
    this.kinds.push(ONE_CHAR);
    return this;
  }

  build(): Pattern {
    return { chars: this.chars, kinds: this.kinds };
  }
}

/** Compiles a string where `*` and `?` are wildcards (no policy variables). */
export function parseWildcards(text: string): Pattern {
  const b = new PatternBuilder();
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '*') b.anyRun();
    else if (ch === '?') b.oneChar();
    else b.literal(ch);
  }
  return b.build();
}

/** Whether the whole of `text` matches the pattern. */
export function patternMatches(pattern: Pattern, text: string, ignoreCase: boolean): boolean {
  const { chars, kinds } = pattern;
  const n = chars.length;
  const same = ignoreCase
    ? (a: string, b: string) => a === b || a.toLowerCase() === b.toLowerCase()
    : (a: string, b: string) => a === b;
  // Greedy matching with backtracking to the last `*` (linear for one star, O(n·m) at worst).
  let p = 0;
  let t = 0;
  let starP = -1;
  let starT = 0;
  while (t < text.length) {
    const kind = p < n ? kinds[p] : undefined;
    if (kind === ONE_CHAR || (kind === LITERAL && same(chars[p]!, text[t]!))) {
      p++;
      t++;
    } else if (kind === ANY_RUN) {
      starP = p++;
      starT = t;
    } else if (starP >= 0) {
      p = starP + 1;
      t = ++starT;
    } else {
      return false;
    }
  }
  while (p < n && kinds[p] === ANY_RUN) p++;
  return p === n;
}

/** The pattern's characters as one string (wildcards written as `*` and `?`). */
export function patternText(pattern: Pattern): string {
  return pattern.chars.join('');
}

/**
 * Splits a pattern at its first `maxSplits` literal occurrences of `separator` (a wildcard never
 * splits): `arn:aws:s3:::b/*` at `:` five times gives six parts.
 */
export function splitPattern(pattern: Pattern, separator: string, maxSplits: number): Pattern[] {
  const parts: Pattern[] = [];
  let start = 0;
  for (let i = 0; i < pattern.chars.length && parts.length < maxSplits; i++) {
    if (pattern.kinds[i] === LITERAL && pattern.chars[i] === separator) {
      parts.push({ chars: pattern.chars.slice(start, i), kinds: pattern.kinds.slice(start, i) });
      start = i + 1;
    }
  }
  parts.push({ chars: pattern.chars.slice(start), kinds: pattern.kinds.slice(start) });
  return parts;
}
