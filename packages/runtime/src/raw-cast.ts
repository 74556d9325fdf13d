import { tokenizeSql, type PortabilityFinding, type SqlToken } from './portable-sql.js';

/** Types a text value always casts to. */
const TEXT_TYPES = new Set(['string', 'varchar', 'char', 'text']);

/**
 * Rule `SQL-CAST-RAW-TEXT` of the portable-SQL check: `CAST(<raw column> AS <non-text type>)` in
 * transform.sql, where the raw column is text (a CSV column not named like a contract column, or
 * a JSON string). `CAST` stops the whole run (locally and on Glue) at the first value that does
 * not cast; `TRY_CAST` gives NULL instead, and passing the text through to a contract column lets
 * the contract cast it and quarantine the row with its reason (`<column>.castable`).
 *
 * @param sql transform.sql
 * @param textColumns the raw input's text columns (compared case-insensitively)
 * @returns one finding per such CAST, at the `CAST` keyword
 */
export function checkRawCasts(sql: string, textColumns: readonly string[]): PortabilityFinding[] {
  if (!textColumns.length) return [];
  let tokens: SqlToken[];
  try {
    tokens = tokenizeSql(sql);
  } catch {
    return []; // checkPortableSql reports it
  }
  const text = new Set(textColumns.map((c) => c.toLowerCase()));
  const out: PortabilityFinding[] = [];
  const word = (t: SqlToken | undefined) => (t?.kind === 'word' ? t.text.toLowerCase() : undefined);
  for (let k = 0; k + 3 < tokens.length; k++) {
    if (word(tokens[k]) !== 'cast' || tokens[k + 1]!.text !== '(') continue;
    // CAST( [alias .] column AS type
    let i = k + 2;
    let column = word(tokens[i]);
    while (tokens[i + 1]?.text === '.' && tokens[i + 2]?.kind === 'word') { i += 2; column = word(tokens[i]); }
    if (column === undefined || word(tokens[i + 1]) !== 'as' || !text.has(column)) continue;
    const type = word(tokens[i + 2]);
    if (type === undefined || TEXT_TYPES.has(type)) continue;
    const t = tokens[k]!;
    const shown = tokens[i]!.text;
    out.push({
      rule: 'SQL-CAST-RAW-TEXT', line: t.line, column: t.column,
      message: `CAST(${shown} AS ${tokens[i + 2]!.text.toUpperCase()}…) of the raw text column '${shown}' stops the whole run at the first value that does not cast: use TRY_CAST(${shown} AS …) (NULL instead), or pass the text to the contract column and let the contract cast it (a value that does not cast quarantines its row with the reason)`,
    });
  }
  return out;
}
