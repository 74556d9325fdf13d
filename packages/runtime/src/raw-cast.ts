import { tokenizeSql, type PortabilityFinding, type SqlToken } from './portable-sql.js';

/** Types a text value always casts to. */
const TEXT_TYPES = new Set(['string', 'varchar', 'char', 'text']);

/**
 * Rule `SQL-CAST-RAW-TEXT` of the portable-SQL check: `CAST(<expression of a raw column> AS
 * <non-text type>)` in transform.sql (`CAST(x AS DATE)`, `CAST(trim(x) AS INT)`; not when the
 * expression holds a `TRY_CAST`), where the raw column is text (a CSV column not named like a contract column, or
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
    // CAST( <expression> AS <type> ): the AS at the CAST's own depth.
    let depth = 0;
    let as = -1;
    for (let i = k + 2; i < tokens.length; i++) {
      const t = tokens[i]!;
      if (t.text === '(') depth++;
      else if (t.text === ')') {
        if (depth === 0) break;
        depth--;
      } else if (depth === 0 && word(t) === 'as') {
        as = i;
        break;
      }
    }
    if (as < 0) continue;
    const type = word(tokens[as + 1]);
    if (type === undefined || TEXT_TYPES.has(type)) continue;
    const argument = tokens.slice(k + 2, as);
    // Already guarded: a TRY_CAST inside gives NULL, not an error.
    if (argument.some((t) => word(t) === 'try_cast')) continue;
    // A raw text column in the argument: a word that is not a function name or a qualifier.
    const raw = argument.find(
      (t, i) =>
        t.kind === 'word' &&
        text.has(t.text.toLowerCase()) &&
        argument[i + 1]?.text !== '(' &&
        argument[i + 1]?.text !== '.',
    );
    if (!raw) continue;
    const t = tokens[k]!;
    const shown = raw.text;
    const simple = argument.length === 1 || (argument.length === 3 && argument[1]!.text === '.');
    out.push({
      rule: 'SQL-CAST-RAW-TEXT',
      line: t.line,
      column: t.column,
      message: `CAST(${simple ? shown : `… ${shown} …`} AS ${tokens[as + 1]!.text.toUpperCase()}…) of the raw text column '${shown}' stops the whole run at the first value that does not cast: use TRY_CAST(… AS …) (NULL instead), or pass the text to the contract column and let the contract cast it (a value that does not cast quarantines its row with the reason)`,
    });
  }
  return out;
}
