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
  const out: SqlToken[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const pos = (at: number) => ({ line, column: at - lineStart + 1, offset: at, end: -1 });
  const advanceTo = (end: number) => {
    const last = out[out.length - 1];
    if (last && last.end < 0) last.end = end;
    for (let k = i; k < end; k++)
      if (sql.charCodeAt(k) === 10) {
        line++;
        lineStart = k + 1;
      }
    i = end;
  };
  while (i < sql.length) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (c === '\n' || c === ' ' || c === '\t' || c === '\r' || c === '\f') {
      advanceTo(i + 1);
      continue;
    }
    if (c === '-' && next === '-') {
      const end = sql.indexOf('\n', i);
      advanceTo(end < 0 ? sql.length : end);
      continue;
    }
    if (c === '/' && next === '*') {
      const end = sql.indexOf('*/', i + 2);
      if (end < 0) {
        const p = pos(i);
        throw new SqlTokenizeError('unterminated /* comment', p.line, p.column);
      }
      advanceTo(end + 2);
      continue;
    }
    const start = pos(i);
    if (
      c === "'" ||
      ((c === 'E' || c === 'e' || c === 'X' || c === 'x' || c === 'B' || c === 'b' || c === 'r' || c === 'R') &&
        next === "'")
    ) {
      const prefix = c === "'" ? undefined : c.toUpperCase();
      let k = c === "'" ? i + 1 : i + 2;
      let text = '';
      for (;;) {
        if (k >= sql.length) throw new SqlTokenizeError('unterminated string literal', start.line, start.column);
        if (sql[k] === "'") {
          if (sql[k + 1] === "'") {
            text += "'";
            k += 2;
            continue;
          }
          break;
        }
        text += sql[k];
        k++;
      }
      out.push({ kind: 'string', text, ...start, ...(prefix ? { prefix } : {}) });
      advanceTo(k + 1);
      continue;
    }
    if (c === '$' && next === '$') {
      const end = sql.indexOf('$$', i + 2);
      if (end < 0) throw new SqlTokenizeError('unterminated $$ string', start.line, start.column);
      out.push({ kind: 'string', text: sql.slice(i + 2, end), ...start, prefix: '$$' });
      advanceTo(end + 2);
      continue;
    }
    if (c === '"' || c === '`') {
      let k = i + 1;
      let text = '';
      for (;;) {
        if (k >= sql.length)
          throw new SqlTokenizeError(
            `unterminated ${c === '"' ? 'double-quoted identifier' : 'backtick identifier'}`,
            start.line,
            start.column,
          );
        if (sql[k] === c) {
          if (sql[k + 1] === c) {
            text += c;
            k += 2;
            continue;
          }
          break;
        }
        text += sql[k];
        k++;
      }
      out.push({ kind: c === '"' ? 'quoted' : 'backtick', text, ...start });
      advanceTo(k + 1);
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(i, i + 256))!;
      out.push({ kind: 'word', text: m[0], ...start });
      advanceTo(i + m[0].length);
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && next !== undefined && /[0-9]/.test(next))) {
      const m = /^(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?[A-Za-z]*/.exec(sql.slice(i, i + 128))!;
      out.push({ kind: 'number', text: m[0], ...start });
      advanceTo(i + m[0].length);
      continue;
    }
    if (c === '$' || c === '?') {
      const m = /^(?:\$[0-9A-Za-z_]*|\?)/.exec(sql.slice(i, i + 64))!;
      out.push({ kind: 'param', text: m[0], ...start });
      advanceTo(i + m[0].length);
      continue;
    }
    const three = sql.slice(i, i + 3);
    const two = sql.slice(i, i + 2);
    const op = ['->>'].includes(three)
      ? three
      : ['::', '->', '||', '<=', '>=', '<>', '!=', '==', '**', '//', '<<', '>>', '=>', '@>', '<@', '&&', '!~'].includes(
            two,
          )
        ? two
        : undefined;
    if (op) {
      out.push({ kind: 'op', text: op, ...start });
      advanceTo(i + op.length);
      continue;
    }
    out.push({ kind: /[(),;.[\]{}]/.test(c) ? 'punct' : 'op', text: c, ...start });
    advanceTo(i + 1);
  }
  return out;
}
