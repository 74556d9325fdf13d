/**
 * The DQDL lexer, following ANTLR's rules: the longest match wins, ties go to the first rule, and
 * the literals of the parser grammar (`Rules`, `matches`, `now()`, `hours`…) come first. So
 * `"2020-01-01"` is a DATE, `"12:30"` a MIL_TIME and `"1:30 PM"` a TIME — never a string — and
 * `1e21` is an IDENTIFIER, not a number.
 */
import { DqdlSyntaxError } from './dqdl-ast.js';

/** Token types of the DQDL lexer (`CommonLexerRules.g4`), plus `LIT` for the parser grammar's literals. */
export type TokType =
  | 'LIT' // a literal of the parser grammar (text is the literal)
  | 'COLON'
  | 'COMMA'
  | 'SINGLE_QUOTE'
  | 'QUOTE'
  | 'LCURL'
  | 'RCURL'
  | 'LBRAC'
  | 'RBRAC'
  | 'LPAREN'
  | 'RPAREN'
  | 'AND'
  | 'OR'
  | 'OF'
  | 'NULL'
  | 'EMPTY'
  | 'WHITESPACES_ONLY'
  | 'BETWEEN'
  | 'EQUAL_TO'
  | 'GREATER_THAN'
  | 'GREATER_THAN_EQUAL_TO'
  | 'LESS_THAN'
  | 'LESS_THAN_EQUAL_TO'
  | 'IN'
  | 'NOT'
  | 'NEGATION'
  | 'DIGIT'
  | 'DATE'
  | 'TIME'
  | 'MIL_TIME'
  | 'INT'
  | 'DECIMAL'
  | 'QUOTED_STRING'
  | 'NEGATIVE'
  | 'IDENTIFIER'
  | 'EOF';

/** A token, at its 1-based line and column. */
export interface Tok {
  type: TokType;
  text: string;
  line: number;
  column: number;
}

/** Literals of the parser grammar, in order of appearance (ANTLR gives them priority). */
const LITERALS = [
  'Metadata',
  'DataSources',
  'Rules',
  'Analyzers',
  'now()',
  'days',
  'hours',
  'minutes',
  'B',
  'KB',
  'MB',
  'GB',
  'TB',
  '+',
  '/',
  '*',
  'matches',
  '$',
  'with',
  'where',
];

/** The explicit lexer rules, in order: a matcher returning the match length at `i` (0 = none). */
const RULES: Array<[TokType, (s: string, i: number) => number]> = [
  ['COLON', lit(':')],
  ['COMMA', lit(',')],
  ['SINGLE_QUOTE', lit("'")],
  ['QUOTE', lit('"')],
  ['LCURL', lit('{')],
  ['RCURL', lit('}')],
  ['LBRAC', lit('[')],
  ['RBRAC', lit(']')],
  ['LPAREN', lit('(')],
  ['RPAREN', lit(')')],
  ['AND', alt('and', 'AND')],
  ['OR', alt('or', 'OR')],
  ['OF', alt('of', 'OF')],
  ['NULL', alt('null', 'NULL')],
  ['EMPTY', alt('empty', 'EMPTY')],
  ['WHITESPACES_ONLY', alt('whitespaces_only', 'WHITESPACES_ONLY')],
  ['BETWEEN', lit('between')],
  ['EQUAL_TO', lit('=')],
  ['GREATER_THAN', lit('>')],
  ['GREATER_THAN_EQUAL_TO', lit('>=')],
  ['LESS_THAN', lit('<')],
  ['LESS_THAN_EQUAL_TO', lit('<=')],
  ['IN', lit('in')],
  ['NOT', lit('not')],
  ['NEGATION', lit('!')],
  ['DIGIT', re(/[0-9]/y)],
  ['DATE', re(/"[0-9]{4}-[0-9]{2}-[0-9]{2}"/y)],
  ['TIME', re(/"[0-9]{1,2}:[0-9]{2} (?:AM|PM)"/y)],
  ['MIL_TIME', re(/"[0-9]{2}:[0-9]{2}"/y)],
  ['INT', re(/[0-9]+/y)],
  ['DECIMAL', re(/[0-9]+\.[0-9]+/y)],
  ['QUOTED_STRING', quotedString],
  ['NEGATIVE', lit('-')],
  ['IDENTIFIER', re(/[a-zA-Z0-9_.]+/y)],
];

function lit(t: string) {
  return (s: string, i: number) => (s.startsWith(t, i) ? t.length : 0);
}
function alt(a: string, b: string) {
  return (s: string, i: number) => Math.max(lit(a)(s, i), lit(b)(s, i));
}
function re(r: RegExp) {
  return (s: string, i: number) => {
    r.lastIndex = i;
    const m = r.exec(s);
    return m ? m[0].length : 0;
  };
}

/** `QUOTE (ESC | .)*? QUOTE` with `ESC: '\\"' | '\\\\'`: the shortest string, escapes taken as pairs. */
function quotedString(s: string, i: number): number {
  if (s[i] !== '"') return 0;
  for (let k = i + 1; k < s.length; k++) {
    if (s[k] === '\\' && (s[k + 1] === '"' || s[k + 1] === '\\')) {
      k++;
      continue;
    }
    if (s[k] === '"') return k - i + 1;
  }
  return 0;
}

/** Splits a ruleset into tokens (whitespace and `#` comments skipped), ending with an `EOF` token. */
export function lex(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const advance = (n: number) => {
    for (let k = i; k < i + n; k++)
      if (src[k] === '\n') {
        line++;
        lineStart = k + 1;
      }
    i += n;
  };
  while (i < src.length) {
    const c = src[i]!;
    if (c === ' ' || c === '\t' || c === '\n') {
      advance(1);
      continue;
    }
    if (c === '#') {
      // LINE_COMMENT: '#' .*? '\r'? '\n' -> skip (a comment must end with a line break).
      const end = src.indexOf('\n', i);
      if (end < 0) throw new DqdlSyntaxError('a # comment must end with a line break', line, i - lineStart + 1);
      advance(end + 1 - i);
      continue;
    }
    let best: { type: TokType; len: number } | undefined;
    for (const l of LITERALS)
      if (src.startsWith(l, i) && (!best || l.length > best.len)) best = { type: 'LIT', len: l.length };
    for (const [type, match] of RULES) {
      const len = match(src, i);
      if (len > 0 && (!best || len > best.len)) best = { type, len };
    }
    if (!best) throw new DqdlSyntaxError(`token recognition error at: ${JSON.stringify(c)}`, line, i - lineStart + 1);
    out.push({ type: best.type, text: src.slice(i, i + best.len), line, column: i - lineStart + 1 });
    advance(best.len);
  }
  out.push({ type: 'EOF', text: '<EOF>', line, column: i - lineStart + 1 });
  return out;
}
