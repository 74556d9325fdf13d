/**
 * The portable regular-expression subset: what ECMAScript (ajv, browsers, the TS validators),
 * RE2 (DuckDB, Go tooling) and java.util.regex (Spark, Glue) all accept with the same meaning.
 * A small hand-written parser walks the pattern and reports the first construct outside the
 * subset with its column; a pattern must also compile as an ECMAScript `u`-mode RegExp (the mode
 * JSON Schema validators use).
 *
 * Accepted: literals; `.` `^` `$`; `|`; capturing `( )` and non-capturing `(?: )` groups;
 * quantifiers `* + ? {n} {n,} {n,m}` (counts up to 1000) and their lazy forms (`*?` …);
 * classes `[…]` / `[^…]` with ranges; escapes `\d \D \w \W \s \S \b \B \t \n \r \f \xhh` and a
 * backslash before a syntax character (`^ $ \ . * + ? ( ) [ ] { } | /`, and `-` in a class).
 *
 * Rejected, each with its own message: look-ahead and look-behind, back-references (`\1`,
 * `\k<name>`, `(?P=name)`), atomic groups and possessive quantifiers, inline flags (`(?i)`),
 * named groups (the syntax differs between engines and engine versions), comments `(?#…)`,
 * `\A` `\z` `\Z` `\G`, Unicode property escapes `\p{…}`, `\uhhhh`, `\cX`, `\v`, `\0`, other
 * letter escapes, needless escapes of other punctuation, nested `[` and `&&` in a class,
 * empty classes, unescaped `{` `}` `]` outside a quantifier or class, and nested quantifiers.
 */

/** Why a pattern is outside the portable subset. */
export interface PortableRegexProblem {
  /** 1-based column inside the pattern (counted in characters) where the construct starts. */
  column: number;
  /** Number of characters the construct spans (at least 1). */
  length: number;
  /** What is wrong, naming the construct and how to write it portably when there is a way. */
  message: string;
}

/** Most repetitions a bounded quantifier may ask for (RE2's limit). */
export const MAX_PORTABLE_REPEAT = 1000;

const SYNTAX_CHARS = new Set(['^', '$', '\\', '.', '*', '+', '?', '(', ')', '[', ']', '{', '}', '|', '/']);
const CLASS_ESCAPES = new Set(['d', 'D', 'w', 'W', 's', 'S']);
const CONTROL_ESCAPES: Record<string, number> = { t: 9, n: 10, r: 13, f: 12 };
const MAX_GROUP_DEPTH = 200;

class Problem extends Error {
  constructor(readonly problem: PortableRegexProblem) {
    super(problem.message);
  }
}

/** A class atom: one character (with its code point) or a class escape such as `\d`. */
type ClassAtom = { kind: 'char'; cp: number } | { kind: 'escape' };

class Parser {
  readonly c: string[];
  i = 0;
  depth = 0;

  constructor(pattern: string) {
    this.c = Array.from(pattern);
  }

  fail(at: number, length: number, message: string): never {
    throw new Problem({ column: at + 1, length: Math.max(1, length), message });
  }

  peek(k = 0): string | undefined {
    return this.c[this.i + k];
  }

  text(from: number, to: number): string {
    return this.c.slice(from, to).join('');
  }

  parse(): void {
    this.disjunction();
    if (this.i < this.c.length) this.fail(this.i, 1, "unmatched ')': escape it as '\\)' or add the opening '('");
  }

  disjunction(): void {
    this.alternative();
    while (this.peek() === '|') {
      this.i++;
      this.alternative();
    }
  }

  alternative(): void {
    for (let ch = this.peek(); ch !== undefined && ch !== '|' && ch !== ')'; ch = this.peek()) this.term();
  }

  term(): void {
    const start = this.i;
    const ch = this.peek()!;
    let quantifiable = true;
    switch (ch) {
      case '^':
      case '$':
        this.i++;
        quantifiable = false;
        break;
      case '(':
        this.group();
        break;
      case '[':
        this.characterClass();
        break;
      case '\\':
        quantifiable = this.escape();
        break;
      case '*':
      case '+':
      case '?':
        return this.fail(start, 1, `quantifier '${ch}' has nothing to repeat: escape it as '\\${ch}'`);
      case '{':
        if (this.quantifierLength(this.i) > 0)
          this.fail(start, 1, "quantifier '{' has nothing to repeat: escape it as '\\{'");
        return this.fail(
          start,
          1,
          "unescaped '{' is read as a literal by some engines and as an error by others: escape it as '\\{'",
        );
      case '}':
        return this.fail(start, 1, "unescaped '}': escape it as '\\}'");
      case ']':
        return this.fail(start, 1, "unescaped ']' outside a character class: escape it as '\\]'");
      default:
        this.i++;
    }
    this.quantifier(start, quantifiable);
  }

  /** Length of a `{n}`, `{n,}` or `{n,m}` quantifier at `at`, or 0 when there is none. */
  quantifierLength(at: number): number {
    let j = at;
    if (this.c[j] !== '{') return 0;
    j++;
    const digits = (): number => {
      const s = j;
      while (/[0-9]/.test(this.c[j] ?? '')) j++;
      return j - s;
    };
    if (!digits()) return 0;
    if (this.c[j] === ',') {
      j++;
      digits();
    }
    return this.c[j] === '}' ? j + 1 - at : 0;
  }

  quantifier(atomStart: number, quantifiable: boolean): void {
    const q = this.peek();
    let len = 0;
    if (q === '*' || q === '+' || q === '?') len = 1;
    else if (q === '{') {
      len = this.quantifierLength(this.i);
      if (!len)
        this.fail(
          this.i,
          1,
          "unescaped '{' is read as a literal by some engines and as an error by others: escape it as '\\{'",
        );
    }
    if (!len) return;
    const qStart = this.i;
    if (!quantifiable) {
      this.fail(
        qStart,
        len,
        `quantifier '${this.text(qStart, qStart + len)}' after the assertion '${this.text(atomStart, qStart)}' has nothing to repeat`,
      );
    }
    if (q === '{') {
      const [min, max] = this.text(qStart + 1, qStart + len - 1).split(',');
      const lo = Number(min);
      const hi = max === undefined ? lo : max === '' ? undefined : Number(max);
      if (lo > MAX_PORTABLE_REPEAT || (hi !== undefined && hi > MAX_PORTABLE_REPEAT)) {
        this.fail(
          qStart,
          len,
          `repetition count in '${this.text(qStart, qStart + len)}' is above ${MAX_PORTABLE_REPEAT} (RE2's limit)`,
        );
      }
      if (hi !== undefined && hi < lo)
        this.fail(qStart, len, `quantifier '${this.text(qStart, qStart + len)}' has its numbers out of order`);
    }
    this.i += len;
    if (this.peek() === '?') this.i++;
    else if (this.peek() === '+') {
      this.fail(
        qStart,
        len + 1,
        `possessive quantifier '${this.text(qStart, this.i + 1)}' is Java-only (ECMAScript and RE2 reject it): drop the '+'`,
      );
    }
    const next = this.peek();
    if (next === '*' || next === '+' || next === '?' || (next === '{' && this.quantifierLength(this.i) > 0)) {
      this.fail(
        this.i,
        1,
        `nested quantifier '${next}' after '${this.text(qStart, this.i)}': wrap the repeated part in (?:…) first`,
      );
    }
  }

  group(): void {
    const start = this.i;
    if (++this.depth > MAX_GROUP_DEPTH) this.fail(start, 1, `groups nested more than ${MAX_GROUP_DEPTH} deep`);
    this.i++;
    if (this.peek() === '?') this.groupModifier(start);
    this.disjunction();
    if (this.peek() !== ')') this.fail(start, 1, "unclosed group '(': add the closing ')'");
    this.i++;
    this.depth--;
  }

  /** Accepts `(?:`; rejects every other `(?…` form with its own message. */
  groupModifier(start: number): void {
    const a = this.peek(1);
    const b = this.peek(2);
    const two = (a ?? '') + (b ?? '');
    if (a === ':') {
      this.i += 2;
      return;
    }
    if (a === '=' || a === '!')
      this.fail(start, 3, `look-ahead '(?${a}' is not supported by RE2: rewrite the pattern without look-around`);
    if (two === '<=' || two === '<!')
      this.fail(start, 4, `look-behind '(?${two}' is not supported by RE2: rewrite the pattern without look-around`);
    if (a === '<' || a === 'P' || a === "'") {
      if (a === 'P' && b === '=')
        this.fail(start, 4, "named back-reference '(?P=' is not supported by ECMAScript, RE2 or Java");
      if (a === 'P' && b === '>') this.fail(start, 4, "recursion '(?P>' is not supported by ECMAScript, RE2 or Java");
      const form = a === 'P' ? '(?P<name>…)' : a === "'" ? "(?'name'…)" : '(?<name>…)';
      this.fail(
        start,
        a === 'P' ? 4 : 3,
        `named group ${form} is not portable (engines and engine versions disagree on the syntax): use a plain group (…)`,
      );
    }
    if (a === '>')
      this.fail(start, 3, "atomic group '(?>' is not supported by ECMAScript or RE2: use a plain group (…)");
    if (a === '#') this.fail(start, 3, "comment group '(?#' is not supported by ECMAScript or Java: remove it");
    if (a !== undefined && /[a-zA-Z-]/.test(a)) {
      let j = this.i + 1;
      while (/[a-zA-Z-]/.test(this.c[j] ?? '')) j++;
      this.fail(
        start,
        j - start + 1,
        `inline flags '${this.text(start, j)}${this.c[j] === ':' ? ':' : ')'}' are not supported by ECMAScript: write the alternatives out, e.g. [Aa] for case-insensitivity`,
      );
    }
    this.fail(start, 2, `'(?${a ?? ''}' is not a portable group: use (…) or (?:…)`);
  }

  /** Parses an escape outside a class; returns whether it may be quantified. */
  escape(): boolean {
    const start = this.i;
    const e = this.peek(1);
    if (e === undefined) this.fail(start, 1, "trailing backslash: escape a backslash as '\\\\'");
    if (e === 'b' || e === 'B') {
      this.i += 2;
      return false;
    }
    if (e === 'k' && this.peek(2) === '<')
      this.fail(
        start,
        3,
        "named back-reference '\\k<…>' is not supported by RE2: rewrite the pattern without back-references",
      );
    if (/[1-9]/.test(e))
      this.fail(
        start,
        2,
        `back-reference '\\${e}' is not supported by RE2: rewrite the pattern without back-references`,
      );
    this.escapeAtom(start, false);
    return true;
  }

  /** An escape that stands for characters (inside or outside a class). */
  escapeAtom(start: number, inClass: boolean): ClassAtom {
    const e = this.peek(1)!;
    const esc = `'\\${e}'`;
    if (CLASS_ESCAPES.has(e)) {
      this.i += 2;
      return { kind: 'escape' };
    }
    const control = CONTROL_ESCAPES[e];
    if (control !== undefined) {
      this.i += 2;
      return { kind: 'char', cp: control };
    }
    if (e === 'x') {
      const hex = this.text(this.i + 2, this.i + 4);
      if (!/^[0-9a-fA-F]{2}$/.test(hex))
        this.fail(start, 2, "'\\x' must be followed by exactly two hex digits, e.g. '\\x41'");
      this.i += 4;
      return { kind: 'char', cp: parseInt(hex, 16) };
    }
    if (SYNTAX_CHARS.has(e) || (inClass && e === '-')) {
      this.i += 2;
      return { kind: 'char', cp: e.codePointAt(0)! };
    }
    if (inClass && e === 'b')
      this.fail(start, 2, "'\\b' inside a class means backspace in ECMAScript and is an error in Java: use '\\x08'");
    if (e === 'A' || e === 'z' || e === 'Z') {
      this.fail(
        start,
        2,
        `anchor ${esc} is not supported by ECMAScript (it would match the letter ${e}): use ${e === 'A' ? "'^'" : "'$'"}`,
      );
    }
    if (e === 'G') this.fail(start, 2, "anchor '\\G' is not supported by ECMAScript or RE2");
    if (e === 'p' || e === 'P')
      this.fail(
        start,
        this.peek(2) === '{' ? this.braceLength(this.i + 2) + 2 : 2,
        `Unicode property escape '\\${e}{…}' is not portable (engines name properties differently): list the characters in a class`,
      );
    if (e === 'u') this.fail(start, 2, "'\\u' escapes are not supported by RE2: write the character itself");
    if (e === 'c') this.fail(start, 2, "control escape '\\c' is not supported by RE2: use '\\xhh'");
    if (e === 'v')
      this.fail(
        start,
        2,
        "'\\v' is a vertical tab in ECMAScript and RE2 but any vertical whitespace in Java: use '\\x0B'",
      );
    if (e === '0') this.fail(start, 2, "'\\0' means NUL in ECMAScript and starts an octal escape in Java: use '\\x00'");
    if (e === 'Q' || e === 'E')
      this.fail(start, 2, `quoting ${esc} is not supported by ECMAScript: escape each special character`);
    if (/[a-zA-Z0-9]/.test(e))
      this.fail(
        start,
        2,
        `escape ${esc} is engine-specific or unknown (portable escapes: \\d \\D \\w \\W \\s \\S \\b \\B \\t \\n \\r \\f \\xhh)`,
      );
    this.fail(
      start,
      2,
      `needless escape ${esc} is an error in ECMAScript's Unicode mode: write '${e}' without the backslash${inClass ? '' : " (or put it in a class, e.g. '[-]')"}`,
    );
  }

  braceLength(at: number): number {
    let j = at;
    while (j < this.c.length && this.c[j] !== '}') j++;
    return j - at + 1;
  }

  characterClass(): void {
    const start = this.i;
    this.i++;
    if (this.peek() === '^') this.i++;
    if (this.peek() === ']')
      this.fail(
        start,
        this.i - start + 1,
        `empty class '${this.text(start, this.i + 1)}' is read differently by ECMAScript, RE2 and Java: escape ']' as '\\]' if you meant it literally`,
      );
    let afterRange = false;
    for (;;) {
      const ch = this.peek();
      if (ch === undefined) this.fail(start, 1, "unclosed character class '[': add the closing ']'");
      if (ch === ']') {
        this.i++;
        return;
      }
      const atomStart = this.i;
      if (afterRange && ch === '-' && this.peek(1) !== ']') {
        this.fail(
          atomStart,
          1,
          "'-' right after a range is ambiguous: put '-' first or last in the class, or escape it as '\\-'",
        );
      }
      afterRange = false;
      const lo = this.classAtom();
      if (this.peek() === '-' && this.peek(1) !== ']' && this.peek(1) !== undefined) {
        const dash = this.i;
        this.i++;
        const hi = this.classAtom();
        if (lo.kind === 'escape' || hi.kind === 'escape') {
          this.fail(
            dash,
            1,
            `range '${this.text(atomStart, this.i)}' uses a class escape as an end point: escape '-' as '\\-' or put it last`,
          );
        }
        if (lo.kind === 'char' && hi.kind === 'char' && lo.cp > hi.cp) {
          this.fail(atomStart, this.i - atomStart, `range '${this.text(atomStart, this.i)}' is out of order`);
        }
        afterRange = true;
      }
    }
  }

  classAtom(): ClassAtom {
    const at = this.i;
    const ch = this.peek()!;
    if (ch === '[')
      this.fail(at, 1, "'[' inside a class is a union in Java and a POSIX class in RE2: escape it as '\\['");
    if (ch === '&' && this.peek(1) === '&')
      this.fail(at, 2, "'&&' inside a class is an intersection in Java: escape one of them as '\\&'");
    if (ch === '\\') {
      if (this.peek(1) === undefined) this.fail(at, 1, "unclosed character class '[': add the closing ']'");
      if (/[1-9]/.test(this.peek(1)!))
        this.fail(
          at,
          2,
          `'\\${this.peek(1)!}' inside a class is an octal escape in ECMAScript and an error elsewhere: use '\\xhh'`,
        );
      if (this.peek(1) === 'B') this.fail(at, 2, "'\\B' inside a class is not portable");
      return this.escapeAtom(at, true);
    }
    this.i++;
    return { kind: 'char', cp: ch.codePointAt(0)! };
  }
}

/**
 * Checks that `pattern` is in the portable regular-expression subset (see the module comment)
 * and compiles as an ECMAScript RegExp in `u` mode.
 *
 * @returns the first problem, or `undefined` when the pattern is portable
 */
export function checkPortableRegex(pattern: string): PortableRegexProblem | undefined {
  try {
    new Parser(pattern).parse();
  } catch (e) {
    if (e instanceof Problem) return e.problem;
    throw e;
  }
  try {
    new RegExp(pattern, 'u');
  } catch (e) {
    const reason = e instanceof Error ? e.message.replace(/^Invalid regular expression: \/.*\/\w*: /s, '') : String(e);
    return {
      column: 1,
      length: Math.max(1, Array.from(pattern).length),
      message: `does not compile as an ECMAScript regular expression: ${reason}`,
    };
  }
  return undefined;
}

/** True when `pattern` is in the portable subset (see {@link checkPortableRegex}). */
export function isPortableRegex(pattern: string): boolean {
  return checkPortableRegex(pattern) === undefined;
}
