/**
 * The portable SQL subset of `transform.sql`: what both DuckDB (the local runtime) and Spark SQL
 * 3.5 (the Glue job) accept with the same meaning. A tokenizer finds the constructs outside it
 * and reports each with its line and column; see `docs/portable-sql.md` for the whole subset.
 */

import { tokenizeSql, SqlTokenizeError, type SqlToken } from '@meshkit/contracts';

export { tokenizeSql, SqlTokenizeError, type SqlToken };

/** A construct outside the portable subset. */
export interface PortabilityFinding {
  /** Stable id, e.g. `SQL-CAST-OPERATOR`. */
  rule: string;
  message: string;
  line: number;
  column: number;
}

/**
 * Functions DuckDB has and Spark SQL 3.5 lacks (or has with another meaning), with the portable
 * alternative. Looked up by lower-cased name when followed by `(`.
 */
export const NON_PORTABLE_FUNCTIONS: Readonly<Record<string, string>> = {
  regexp_matches: "DuckDB-only: use regexp_extract(col, '…', 0) <> '' (both engines)",
  regexp_full_match: "use regexp_extract(col, '^…$', 0) <> ''",
  strftime: 'Spark uses date_format; compare dates or use year()/month()/day() instead',
  strptime: 'use CAST(… AS TIMESTAMP) on ISO text, or to_timestamp(col) without a format',
  epoch: 'DuckDB-only (Spark has unix_timestamp): compare timestamps instead',
  epoch_ms: 'not in Spark SQL',
  today: 'use current_date',
  date_diff: 'DuckDB date_diff(part, a, b) and Spark datediff(end, start) differ: compare dates instead',
  datediff: 'DuckDB datediff(part, a, b) and Spark datediff(end, start) take different arguments',
  date_sub: 'DuckDB date_sub(part, a, b) and Spark date_sub(date, days) differ: use `d - INTERVAL n DAY`',
  date_add: 'DuckDB and Spark date_add differ: use `d + INTERVAL n DAY`',
  string_split: 'Spark uses split (regex); not portable',
  str_split: 'not in Spark SQL',
  string_agg: 'not in Spark SQL 3.5 (concat_ws + collect_list is Spark-only)',
  group_concat: 'not in Spark SQL',
  listagg: 'not in Spark SQL 3.5',
  list_value: 'list literals are not portable',
  list_agg: 'not in Spark SQL',
  list_contains: 'Spark uses array_contains',
  list_extract: 'list indexing is not portable (DuckDB is 1-based, Spark 0-based)',
  list_element: 'list indexing is not portable',
  struct_pack: 'struct literals are not portable',
  struct_extract: 'use dotted access `col.field`',
  unnest: 'Spark uses explode; not portable',
  generate_series: 'Spark uses sequence; not portable',
  gen_random_uuid: 'use uuid()',
  sha256: 'Spark uses sha2(col, 256); not portable',
  md5_number: 'not in Spark SQL',
  suffix: 'DuckDB-only: compare right(col, n) instead',
  prefix: 'use left(col, n) = …',
  starts_with: 'use left(col, n) = …',
  strlen: 'use length',
  nullif_empty: 'not in Spark SQL',
  read_csv: 'transform.sql reads the `raw` view and consumed products, never files',
  read_csv_auto: 'transform.sql reads the `raw` view and consumed products, never files',
  read_parquet: 'transform.sql reads the `raw` view and consumed products, never files',
  parquet_scan: 'transform.sql reads the `raw` view and consumed products, never files',
  read_json: 'transform.sql reads the `raw` view and consumed products, never files',
  read_json_auto: 'transform.sql reads the `raw` view and consumed products, never files',
  read_text: 'transform.sql reads the `raw` view and consumed products, never files',
  read_blob: 'transform.sql reads the `raw` view and consumed products, never files',
  glob: 'not in Spark SQL',
  columns: 'COLUMNS(…) expressions are DuckDB-only: list the columns',
  arg_max: 'use max_by',
  arg_min: 'use min_by',
  json_extract: 'Spark uses get_json_object; not portable',
  json_extract_string: 'Spark uses get_json_object; not portable',
  to_json: 'DuckDB and Spark serialise differently',
  printf: 'format strings differ between DuckDB and Spark; use ||',
  format: 'DuckDB format uses {} placeholders, Spark format_string uses %s: use ||',
  concat:
    'DuckDB concat skips NULL arguments, Spark concat returns NULL: use a || b (NULL if either is) or coalesce the arguments',
  regexp_replace:
    'DuckDB replaces the first match, Spark every match (and group references are \\1 in DuckDB, $1 in Spark): use replace for fixed text',
};

/** DuckDB-only type names (in CAST … AS <type>). */
const NON_PORTABLE_TYPES = new Set([
  'hugeint',
  'uhugeint',
  'utinyint',
  'usmallint',
  'uinteger',
  'ubigint',
  'int1',
  'int2',
  'int4',
  'int8',
  'int16',
  'int32',
  'int64',
  'int128',
  'timestamptz',
  'timestamp_s',
  'timestamp_ms',
  'timestamp_ns',
  'timestamp_us',
  'timetz',
  'time',
  'uuid',
  'json',
  'blob',
  'bytea',
  'list',
  'union',
  'enum',
  'bit',
  'bitstring',
  'varint',
  'bignum',
  'float4',
  'float8',
  'text',
  'bpchar',
]);

/** DuckDB-only keywords (anywhere in the statement). */
const NON_PORTABLE_WORDS: Readonly<Record<string, string>> = {
  qualify: 'QUALIFY is DuckDB-only (Spark 3.5 lacks it): filter a window function in an outer SELECT',
  pivot: 'PIVOT syntax differs between DuckDB and Spark: aggregate with CASE WHEN',
  unpivot: 'UNPIVOT syntax differs between DuckDB and Spark: use UNION ALL',
  asof: 'ASOF joins are DuckDB-only',
  positional: 'POSITIONAL joins are DuckDB-only',
  sample: 'sampling (USING SAMPLE / TABLESAMPLE) differs between engines',
  tablesample: 'sampling (USING SAMPLE / TABLESAMPLE) differs between engines',
  similar: 'SIMILAR TO is not in Spark SQL',
  glob: 'GLOB is not in Spark SQL',
  lambda: 'DuckDB `lambda x: …` syntax is not in Spark SQL',
  macro: 'macros are DuckDB-only',
};

/** Statement keywords other than a query. */
const STATEMENTS = new Set([
  'create',
  'insert',
  'update',
  'delete',
  'merge',
  'drop',
  'alter',
  'copy',
  'attach',
  'detach',
  'install',
  'load',
  'pragma',
  'set',
  'reset',
  'call',
  'export',
  'import',
  'use',
  'vacuum',
  'checkpoint',
  'begin',
  'commit',
  'rollback',
  'describe',
  'show',
  'summarize',
  'explain',
  'prepare',
  'execute',
]);

/**
 * Checks `transform.sql` against the portable subset: one query (`SELECT`, `WITH … SELECT`, or
 * `VALUES`/set operations of them), plain or upper-case unquoted identifiers, ANSI string
 * literals without backslashes, and no DuckDB-only syntax (`::` casts, `QUALIFY`,
 * `* EXCLUDE/REPLACE`, list/struct literals and subscripts, `//`, `**`, `^`, `->>`, `FROM`-first
 * queries, parameters, DuckDB-only functions and types, reading files). Findings are in source
 * order; an empty list means the text is within the subset as far as a tokenizer can tell
 * (engines may still disagree on a function's edge cases: see the docs).
 */
export function checkPortableSql(sql: string): PortabilityFinding[] {
  let tokens: SqlToken[];
  try {
    tokens = tokenizeSql(sql);
  } catch (e) {
    if (e instanceof SqlTokenizeError)
      return [{ rule: 'SQL-SYNTAX', message: e.message, line: e.line, column: e.column }];
    throw e;
  }
  // One statement: a query.
  const body = tokens.length && tokens[tokens.length - 1]!.text === ';' ? tokens.slice(0, -1) : tokens;
  const first = body.find((t) => t.text !== '(');
  if (!first) {
    return [
      { rule: 'SQL-EMPTY', message: 'transform.sql has no query: write one SELECT from `raw`', line: 1, column: 1 },
    ];
  }
  const out: PortabilityFinding[] = [];
  const report: Report = (t, rule, message) => out.push({ rule, message, line: t.line, column: t.column });
  checkStatement(body, first, report);
  checkTokens(body, report);
  return out;
}

/** Records a finding at a token. */
type Report = (t: SqlToken, rule: string, message: string) => void;

/** A token in its neighbourhood. */
interface TokenContext {
  body: readonly SqlToken[];
  /** Index of `t` in `body`. */
  k: number;
  t: SqlToken;
  prev: SqlToken | undefined;
  next: SqlToken | undefined;
  casts: CastScopes;
}

/** A word token's lower-cased text (`undefined` for other tokens). */
const lower = (t: SqlToken | undefined) => (t?.kind === 'word' ? t.text.toLowerCase() : undefined);

/** The statement is one query: SELECT, WITH or VALUES first (not FROM), no second statement. */
function checkStatement(body: readonly SqlToken[], first: SqlToken, report: Report): void {
  const head = lower(first);
  if (head === 'from') report(first, 'SQL-FROM-FIRST', 'FROM-first queries are DuckDB-only: start with SELECT');
  else if (head !== 'select' && head !== 'with' && head !== 'values') {
    report(
      first,
      STATEMENTS.has(head ?? '') ? 'SQL-NOT-A-QUERY' : 'SQL-SYNTAX',
      `transform.sql must be one query (SELECT or WITH … SELECT), not ${first.text.toUpperCase()}`,
    );
  }
  const semi = body.find((t) => t.text === ';');
  if (semi) report(semi, 'SQL-MULTIPLE-STATEMENTS', 'transform.sql must hold exactly one statement');
}

/** Paren depth and the depths at which a `CAST(` / `TRY_CAST(` is open (its `AS <type>` is at that depth). */
class CastScopes {
  depth = 0;
  private open: number[] = [];

  /** Follows the parentheses. */
  track(t: SqlToken): void {
    if (t.text === '(') this.depth++;
    if (t.text === ')') {
      this.depth--;
      this.open = this.open.filter((d) => d <= this.depth);
    }
  }

  /** A `CAST(` at the current depth: its parenthesis opens the next. */
  enter(): void {
    this.open.push(this.depth + 1);
  }

  /** Directly inside a cast's parentheses. */
  get inCast(): boolean {
    return this.open.includes(this.depth);
  }
}

/** The checks of each kind of token. */
const TOKEN_CHECKS: Readonly<Record<SqlToken['kind'], (c: TokenContext, report: Report) => void>> = {
  quoted: ({ t }, report) =>
    report(
      t,
      'SQL-DOUBLE-QUOTED',
      `"${t.text}": Spark reads double quotes as a string, DuckDB as an identifier; use an unquoted snake_case name`,
    ),
  backtick: ({ t }, report) =>
    report(
      t,
      'SQL-BACKTICK',
      `\`${t.text}\`: DuckDB does not accept backtick identifiers; use an unquoted snake_case name`,
    ),
  param: ({ t }, report) => report(t, 'SQL-PARAMETER', `${t.text}: prepared-statement parameters are not portable`),
  string: checkString,
  number: ({ t }, report) => {
    if (/[A-Za-z]$/.test(t.text) && !/[eE][0-9]*$/.test(t.text))
      report(t, 'SQL-NUMBER-SUFFIX', `${t.text}: typed number suffixes (1L, 2.0D, 3BD) are Spark-only`);
  },
  op: checkOperator,
  punct: ({ t }, report) => {
    if (t.text === '[')
      report(
        t,
        'SQL-LIST-SYNTAX',
        'list literals and subscripts differ (DuckDB lists are 1-based, Spark arrays 0-based): not portable',
      );
    else if (t.text === '{') report(t, 'SQL-STRUCT-LITERAL', 'struct literals {…} are DuckDB-only');
  },
  word: checkWord,
};

/** Every token, in source order. */
function checkTokens(body: readonly SqlToken[], report: Report): void {
  const casts = new CastScopes();
  body.forEach((t, k) => {
    casts.track(t);
    TOKEN_CHECKS[t.kind]({ body, k, t, prev: body[k - 1], next: body[k + 1], casts }, report);
  });
}

/** String literals: prefixes, backslashes, doubled quotes, and reading a file (`FROM 'x.csv'`). */
function checkString({ t, prev }: TokenContext, report: Report): void {
  if (t.prefix === '$$') report(t, 'SQL-DOLLAR-STRING', '$$ strings are DuckDB-only');
  else if (t.prefix === 'E') report(t, 'SQL-ESCAPE-STRING', "E'…' strings are DuckDB-only");
  else if (t.prefix === 'R') report(t, 'SQL-RAW-STRING', "r'…' strings are Spark-only");
  else if (t.text.includes('\\'))
    report(
      t,
      'SQL-BACKSLASH',
      'a backslash in a string literal is an escape in Spark and a plain character in DuckDB; avoid it',
    );
  // The tokenizer reads '' as one quote: a quote in the text was written doubled.
  else if (t.text.includes("'"))
    report(
      t,
      'SQL-QUOTE-ESCAPE',
      "'…''…': DuckDB reads a doubled quote as a quote, Spark as two adjacent literals ('it''s' is its); write 'it' || chr(39) || 's'",
    );
  if (['from', 'join'].includes(lower(prev) ?? ''))
    report(
      t,
      'SQL-FILE-READ',
      `FROM '${t.text}': transform.sql reads the \`raw\` view and consumed products, never files`,
    );
}

/** Operators with another meaning (or none) in one of the engines; `SELECT * EXCLUDE/REPLACE/RENAME`. */
function checkOperator({ t, prev, next }: TokenContext, report: Report): void {
  const message = NON_PORTABLE_OPERATORS[t.text];
  if (message) report(t, message[0], message[1]);
  else if (['@>', '<@', '&&', '!~', '<<', '>>', '=>'].includes(t.text))
    report(t, 'SQL-OPERATOR', `\`${t.text}\` is not portable between DuckDB and Spark`);
  else if (
    t.text === '*' &&
    ['exclude', 'replace', 'rename'].includes(lower(next) ?? '') &&
    ['select', ',', 'distinct', '.'].includes(lower(prev) ?? prev?.text ?? '')
  ) {
    report(next!, 'SQL-STAR-MODIFIER', `SELECT * ${next!.text.toUpperCase()} is DuckDB-only: list the columns`);
  }
}

/** Operators that are DuckDB-only or mean something else in Spark: rule and message. */
const NON_PORTABLE_OPERATORS: Readonly<Record<string, readonly [string, string]>> = {
  '::': ['SQL-CAST-OPERATOR', '`::` casts are not in Spark 3.5: use CAST(x AS type)'],
  '//': ['SQL-INTEGER-DIVISION', '`//` is DuckDB-only: use CAST(a / b AS BIGINT) or floor(a / b)'],
  '**': ['SQL-POWER-OPERATOR', '`**` is DuckDB-only: use power(a, b)'],
  '^': ['SQL-CARET', '`^` is power in DuckDB but bitwise XOR in Spark: use power(a, b)'],
  '->>': ['SQL-JSON-OPERATOR', '`->>` is DuckDB-only'],
  '==': ['SQL-DOUBLE-EQUALS', '`==` is not standard SQL: use ='],
};

/** Words: DuckDB-only functions and keywords, the type of a CAST, `GROUP BY ALL`. */
function checkWord(c: TokenContext, report: Report): void {
  const { t, prev, next } = c;
  const word = lower(t);
  if (word === undefined) return;
  if (next?.text === '(' && prev?.text !== '.' && Object.prototype.hasOwnProperty.call(NON_PORTABLE_FUNCTIONS, word)) {
    report(t, 'SQL-FUNCTION', `${t.text}(): ${NON_PORTABLE_FUNCTIONS[word]}`);
    return;
  }
  if ((word === 'cast' || word === 'try_cast') && next?.text === '(') {
    c.casts.enter();
    return;
  }
  if (word === 'similar' && lower(next) !== 'to') return;
  if (word === 'sample' && lower(prev) !== 'using') return;
  if (
    Object.prototype.hasOwnProperty.call(NON_PORTABLE_WORDS, word) &&
    prev?.text !== '.' &&
    next?.text !== '.' &&
    lower(prev) !== 'as'
  ) {
    report(t, 'SQL-DUCKDB-ONLY', NON_PORTABLE_WORDS[word]!);
    return;
  }
  if (word === 'as' && c.casts.inCast && next?.kind === 'word') {
    checkCastType(next, c.body[c.k + 2], report);
    return;
  }
  if (word === 'group' && lower(next) === 'by' && lower(c.body[c.k + 2]) === 'all')
    report(
      c.body[c.k + 2]!,
      'SQL-GROUP-BY-ALL',
      'GROUP BY ALL: list the grouping columns (Spark 3.5 has no GROUP BY ALL)',
    );
}

/** The type of `CAST(x AS <type>`, followed by `after`. */
function checkCastType(type: SqlToken, after: SqlToken | undefined, report: Report): void {
  const name = type.text.toLowerCase();
  if (NON_PORTABLE_TYPES.has(name))
    report(
      type,
      'SQL-TYPE',
      `type ${type.text.toUpperCase()} is not a Spark SQL type: use STRING, INT, BIGINT, DOUBLE, DECIMAL(p,s), BOOLEAN, DATE or TIMESTAMP`,
    );
  else if ((name === 'struct' || name === 'map') && after?.text === '(')
    report(
      type,
      'SQL-TYPE',
      `${type.text.toUpperCase()}(…) types are DuckDB syntax (Spark uses ${type.text.toUpperCase()}<…>)`,
    );
  else if (name === 'varchar' && after?.text !== '(')
    report(type, 'SQL-TYPE', 'bare VARCHAR is not a Spark type: use STRING');
}
