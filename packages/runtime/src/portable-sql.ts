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
  const out: PortabilityFinding[] = [];
  const at = (t: SqlToken, rule: string, message: string) =>
    out.push({ rule, message, line: t.line, column: t.column });
  const lower = (t: SqlToken | undefined) => (t?.kind === 'word' ? t.text.toLowerCase() : undefined);

  // One statement: a query.
  const body = tokens.length && tokens[tokens.length - 1]!.text === ';' ? tokens.slice(0, -1) : tokens;
  const first = body.find((t) => t.text !== '(');
  if (!first) {
    out.push({
      rule: 'SQL-EMPTY',
      message: 'transform.sql has no query: write one SELECT from `raw`',
      line: 1,
      column: 1,
    });
    return out;
  }
  const head = lower(first);
  if (head === 'from') at(first, 'SQL-FROM-FIRST', 'FROM-first queries are DuckDB-only: start with SELECT');
  else if (head !== 'select' && head !== 'with' && head !== 'values') {
    at(
      first,
      STATEMENTS.has(head ?? '') ? 'SQL-NOT-A-QUERY' : 'SQL-SYNTAX',
      `transform.sql must be one query (SELECT or WITH … SELECT), not ${first.text.toUpperCase()}`,
    );
  }
  const semi = body.find((t) => t.text === ';');
  if (semi) at(semi, 'SQL-MULTIPLE-STATEMENTS', 'transform.sql must hold exactly one statement');

  let castDepth: number[] = []; // paren depths at which a CAST( / TRY_CAST( opened
  let depth = 0;
  body.forEach((t, k) => {
    const prev = body[k - 1];
    const next = body[k + 1];
    const word = lower(t);
    if (t.text === '(') depth++;
    if (t.text === ')') {
      depth--;
      castDepth = castDepth.filter((d) => d <= depth);
    }
    switch (t.kind) {
      case 'quoted':
        at(
          t,
          'SQL-DOUBLE-QUOTED',
          `"${t.text}": Spark reads double quotes as a string, DuckDB as an identifier; use an unquoted snake_case name`,
        );
        return;
      case 'backtick':
        at(
          t,
          'SQL-BACKTICK',
          `\`${t.text}\`: DuckDB does not accept backtick identifiers; use an unquoted snake_case name`,
        );
        return;
      case 'param':
        at(t, 'SQL-PARAMETER', `${t.text}: prepared-statement parameters are not portable`);
        return;
      case 'string':
        if (t.prefix === '$$') at(t, 'SQL-DOLLAR-STRING', '$$ strings are DuckDB-only');
        else if (t.prefix === 'E') at(t, 'SQL-ESCAPE-STRING', "E'…' strings are DuckDB-only");
        else if (t.prefix === 'R') at(t, 'SQL-RAW-STRING', "r'…' strings are Spark-only");
        else if (t.text.includes('\\'))
          at(
            t,
            'SQL-BACKSLASH',
            'a backslash in a string literal is an escape in Spark and a plain character in DuckDB; avoid it',
          );
        // The tokenizer reads '' as one quote: a quote in the text was written doubled.
        else if (t.text.includes("'"))
          at(
            t,
            'SQL-QUOTE-ESCAPE',
            "'…''…': DuckDB reads a doubled quote as a quote, Spark as two adjacent literals ('it''s' is its); write 'it' || chr(39) || 's'",
          );
        if (['from', 'join'].includes(lower(prev) ?? ''))
          at(
            t,
            'SQL-FILE-READ',
            `FROM '${t.text}': transform.sql reads the \`raw\` view and consumed products, never files`,
          );
        return;
      case 'number':
        if (/[A-Za-z]$/.test(t.text) && !/[eE][0-9]*$/.test(t.text))
          at(t, 'SQL-NUMBER-SUFFIX', `${t.text}: typed number suffixes (1L, 2.0D, 3BD) are Spark-only`);
        return;
      case 'op':
        if (t.text === '::') at(t, 'SQL-CAST-OPERATOR', '`::` casts are not in Spark 3.5: use CAST(x AS type)');
        else if (t.text === '//')
          at(t, 'SQL-INTEGER-DIVISION', '`//` is DuckDB-only: use CAST(a / b AS BIGINT) or floor(a / b)');
        else if (t.text === '**') at(t, 'SQL-POWER-OPERATOR', '`**` is DuckDB-only: use power(a, b)');
        else if (t.text === '^') at(t, 'SQL-CARET', '`^` is power in DuckDB but bitwise XOR in Spark: use power(a, b)');
        else if (t.text === '->>') at(t, 'SQL-JSON-OPERATOR', '`->>` is DuckDB-only');
        else if (t.text === '==') at(t, 'SQL-DOUBLE-EQUALS', '`==` is not standard SQL: use =');
        else if (['@>', '<@', '&&', '!~', '<<', '>>', '=>'].includes(t.text))
          at(t, 'SQL-OPERATOR', `\`${t.text}\` is not portable between DuckDB and Spark`);
        else if (
          t.text === '*' &&
          ['exclude', 'replace', 'rename'].includes(lower(next) ?? '') &&
          ['select', ',', 'distinct', '.'].includes(lower(prev) ?? prev?.text ?? '')
        ) {
          at(next!, 'SQL-STAR-MODIFIER', `SELECT * ${next!.text.toUpperCase()} is DuckDB-only: list the columns`);
        }
        return;
      case 'punct':
        if (t.text === '[')
          at(
            t,
            'SQL-LIST-SYNTAX',
            'list literals and subscripts differ (DuckDB lists are 1-based, Spark arrays 0-based): not portable',
          );
        else if (t.text === '{') at(t, 'SQL-STRUCT-LITERAL', 'struct literals {…} are DuckDB-only');
        return;
      case 'word': {
        if (word === undefined) return;
        if (
          next?.text === '(' &&
          prev?.text !== '.' &&
          Object.prototype.hasOwnProperty.call(NON_PORTABLE_FUNCTIONS, word)
        ) {
          at(t, 'SQL-FUNCTION', `${t.text}(): ${NON_PORTABLE_FUNCTIONS[word]}`);
          return;
        }
        if ((word === 'cast' || word === 'try_cast') && next?.text === '(') {
          castDepth.push(depth + 1);
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
          at(t, 'SQL-DUCKDB-ONLY', NON_PORTABLE_WORDS[word]!);
          return;
        }
        if (word === 'as' && castDepth.includes(depth) && next?.kind === 'word') {
          const type = next.text.toLowerCase();
          if (NON_PORTABLE_TYPES.has(type))
            at(
              next,
              'SQL-TYPE',
              `type ${next.text.toUpperCase()} is not a Spark SQL type: use STRING, INT, BIGINT, DOUBLE, DECIMAL(p,s), BOOLEAN, DATE or TIMESTAMP`,
            );
          else if ((type === 'struct' || type === 'map') && body[k + 2]?.text === '(')
            at(
              next,
              'SQL-TYPE',
              `${next.text.toUpperCase()}(…) types are DuckDB syntax (Spark uses ${next.text.toUpperCase()}<…>)`,
            );
          else if (type === 'varchar' && body[k + 2]?.text !== '(')
            at(next, 'SQL-TYPE', 'bare VARCHAR is not a Spark type: use STRING');
          return;
        }
        if (word === 'group' && lower(next) === 'by' && lower(body[k + 2]) === 'all')
          at(
            body[k + 2]!,
            'SQL-GROUP-BY-ALL',
            'GROUP BY ALL: list the grouping columns (Spark 3.5 has no GROUP BY ALL)',
          );
        return;
      }
      default:
        return;
    }
  });
  return out;
}
