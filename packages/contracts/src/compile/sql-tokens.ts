/**
 * A SQL tokenizer shared by the portable-SQL check of the runtime and the compilers (DQDL
 * `CustomSql`, the statement check of `type: sql` quality rules): strings (`'…'` with `''`,
 * prefixed `E'…'`, `X'…'`, `r'…'`, `$$…$$`), double-quoted and backtick identifiers, words,
 * numbers, operators and punctuation, each with its 1-based line and column. Comments and
 * whitespace are dropped.
 */

/** One SQL token with its 1-based position. */
export interface SqlToken {
  kind: 'word' | 'quoted' | 'backtick' | 'string' | 'number' | 'op' | 'punct' | 'param';
  /** The token's text as written (for `string`, without the quotes). */
  text: string;
  line: number;
  column: number;
  /** Offset in the source. */
  offset: number;
  /** Offset just after the token in the source. */
  end: number;
  /** For strings: the literal's prefix (`E`, `X`, `$$`…), if any. */
  prefix?: string;
}

/** An unterminated string, quoted identifier or comment. */
export class SqlTokenizeError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
  }
}

/** Splits SQL into tokens (comments and whitespace dropped). Throws {@link SqlTokenizeError}. */
export function tokenizeSql(sql: string): SqlToken[] {
  const scanner = new Scanner(sql);
  while (scanner.at < sql.length) {
    if (skipTrivia(scanner)) continue;
    const start = scanner.pos(scanner.at);
    if (scanString(scanner, start) || scanIdentifier(scanner, start) || scanWordOrNumber(scanner, start)) continue;
    scanOperator(scanner, start);
  }
  return scanner.tokens;
}

/** Where a token starts; `end` is set when the scanner moves past it. */
type Start = Pick<SqlToken, 'line' | 'column' | 'offset' | 'end'>;

/** The position in the SQL text and the tokens so far. */
class Scanner {
  readonly tokens: SqlToken[] = [];
  /** Offset of the next character. */
  at = 0;
  #line = 1;
  #lineStart = 0;

  constructor(readonly sql: string) {}

  /** The position of offset `at` (on the current line). */
  pos(at: number): Start {
    return { line: this.#line, column: at - this.#lineStart + 1, offset: at, end: -1 };
  }

  /** Moves to `end`, counting lines; the last token ends there if it had no end yet. */
  advanceTo(end: number): void {
    const last = this.tokens[this.tokens.length - 1];
    if (last && last.end < 0) last.end = end;
    for (let k = this.at; k < end; k++)
      if (this.sql.charCodeAt(k) === 10) {
        this.#line++;
        this.#lineStart = k + 1;
      }
    this.at = end;
  }

  /** Adds a token and moves past it, to `end`. */
  push(token: SqlToken, end: number): void {
    this.tokens.push(token);
    this.advanceTo(end);
  }
}

/** Whitespace, `--` and `/* *\/` comments: skipped. */
function skipTrivia(scanner: Scanner): boolean {
  const { sql, at: i } = scanner;
  const c = sql[i]!;
  const next = sql[i + 1];
  if (c === '\n' || c === ' ' || c === '\t' || c === '\r' || c === '\f') {
    scanner.advanceTo(i + 1);
    return true;
  }
  if (c === '-' && next === '-') {
    const end = sql.indexOf('\n', i);
    scanner.advanceTo(end < 0 ? sql.length : end);
    return true;
  }
  if (c === '/' && next === '*') {
    const end = sql.indexOf('*/', i + 2);
    if (end < 0) {
      const p = scanner.pos(i);
      throw new SqlTokenizeError('unterminated /* comment', p.line, p.column);
    }
    scanner.advanceTo(end + 2);
    return true;
  }
  return false;
}

/**
 * The text quoted by `quote` from offset `from` (just after the opening quote), a doubled quote
 * standing for one; the offset of the closing quote, or undefined when there is none.
 */
function readQuoted(sql: string, from: number, quote: string): { text: string; close: number } | undefined {
  let k = from;
  let text = '';
  for (;;) {
    if (k >= sql.length) return undefined;
    if (sql[k] === quote) {
      if (sql[k + 1] === quote) {
        text += quote;
        k += 2;
        continue;
      }
      return { text, close: k };
    }
    text += sql[k];
    k++;
  }
}

const STRING_PREFIXES = new Set(['E', 'e', 'X', 'x', 'B', 'b', 'r', 'R']);

/** A string literal: `'…'` (`''` for a quote), prefixed `E'…'`, `X'…'`, `B'…'`, `r'…'`, or `$$…$$`. */
function scanString(scanner: Scanner, start: Start): boolean {
  const { sql, at: i } = scanner;
  const c = sql[i]!;
  const next = sql[i + 1];
  if (c === "'" || (STRING_PREFIXES.has(c) && next === "'")) {
    const prefix = c === "'" ? undefined : c.toUpperCase();
    const quoted = readQuoted(sql, c === "'" ? i + 1 : i + 2, "'");
    if (!quoted) throw new SqlTokenizeError('unterminated string literal', start.line, start.column);
    scanner.push({ kind: 'string', text: quoted.text, ...start, ...(prefix ? { prefix } : {}) }, quoted.close + 1);
    return true;
  }
  if (c === '$' && next === '$') {
    const end = sql.indexOf('$$', i + 2);
    if (end < 0) throw new SqlTokenizeError('unterminated $$ string', start.line, start.column);
    scanner.push({ kind: 'string', text: sql.slice(i + 2, end), ...start, prefix: '$$' }, end + 2);
    return true;
  }
  return false;
}

/** A double-quoted or backtick identifier (the quote doubled for one). */
function scanIdentifier(scanner: Scanner, start: Start): boolean {
  const c = scanner.sql[scanner.at]!;
  if (c !== '"' && c !== '`') return false;
  const quoted = readQuoted(scanner.sql, scanner.at + 1, c);
  if (!quoted)
    throw new SqlTokenizeError(
      `unterminated ${c === '"' ? 'double-quoted identifier' : 'backtick identifier'}`,
      start.line,
      start.column,
    );
  scanner.push({ kind: c === '"' ? 'quoted' : 'backtick', text: quoted.text, ...start }, quoted.close + 1);
  return true;
}

/** A word, a number (with a suffix such as `1e3`, `10L`) or a parameter (`$1`, `$name`, `?`). */
function scanWordOrNumber(scanner: Scanner, start: Start): boolean {
  const { sql, at: i } = scanner;
  const c = sql[i]!;
  const next = sql[i + 1];
  let kind: SqlToken['kind'];
  let match: RegExpExecArray;
  if (/[A-Za-z_]/.test(c)) {
    kind = 'word';
    match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(i, i + 256))!;
  } else if (/[0-9]/.test(c) || (c === '.' && next !== undefined && /[0-9]/.test(next))) {
    kind = 'number';
    match = /^(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?[A-Za-z]*/.exec(sql.slice(i, i + 128))!;
  } else if (c === '$' || c === '?') {
    kind = 'param';
    match = /^(?:\$[0-9A-Za-z_]*|\?)/.exec(sql.slice(i, i + 64))!;
  } else {
    return false;
  }
  scanner.push({ kind, text: match[0], ...start }, i + match[0].length);
  return true;
}

const TWO_CHARACTER_OPERATORS = [
  '::',
  '->',
  '||',
  '<=',
  '>=',
  '<>',
  '!=',
  '==',
  '**',
  '//',
  '<<',
  '>>',
  '=>',
  '@>',
  '<@',
  '&&',
  '!~',
];

/** An operator (`->>`, the two-character ones, else one character) or punctuation. */
function scanOperator(scanner: Scanner, start: Start): void {
  const { sql, at: i } = scanner;
  const c = sql[i]!;
  const three = sql.slice(i, i + 3);
  const two = sql.slice(i, i + 2);
  const op = three === '->>' ? three : TWO_CHARACTER_OPERATORS.includes(two) ? two : undefined;
  if (op) scanner.push({ kind: 'op', text: op, ...start }, i + op.length);
  else scanner.push({ kind: /[(),;.[\]{}]/.test(c) ? 'punct' : 'op', text: c, ...start }, i + 1);
}
