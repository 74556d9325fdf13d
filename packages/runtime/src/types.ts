import { textCastPattern, toGlueColumns, type OdcsContract } from '@meshkit/contracts';

/** One output column of a contract, with its Glue and DuckDB types. */
export interface ContractColumn {
  /** Storage name (snake_case, as in Glue). */
  name: string;
  /** Glue (Hive) type, e.g. `decimal(12,2)`. */
  glueType: string;
  /** The same type in DuckDB, e.g. `DECIMAL(12,2)`. */
  duckType: string;
  /** True for partition keys (they come last, in `partitionKeyPosition` order). */
  partition: boolean;
}

/** The output columns of a contract's schema object: data columns, then partition keys (the Glue table's order). */
export function contractColumns(contract: OdcsContract, object?: string): ContractColumn[] {
  const glue = toGlueColumns(contract, object === undefined ? {} : { object });
  return [
    ...glue.columns.map((c) => ({
      name: c.name,
      glueType: c.type,
      duckType: glueToDuckType(c.type),
      partition: false,
    })),
    ...glue.partitionKeys.map((c) => ({
      name: c.name,
      glueType: c.type,
      duckType: glueToDuckType(c.type),
      partition: true,
    })),
  ];
}

const SCALARS: Record<string, string> = {
  string: 'VARCHAR',
  boolean: 'BOOLEAN',
  tinyint: 'TINYINT',
  smallint: 'SMALLINT',
  int: 'INTEGER',
  bigint: 'BIGINT',
  float: 'FLOAT',
  double: 'DOUBLE',
  date: 'DATE',
  timestamp: 'TIMESTAMP',
  binary: 'BLOB',
};

/** A Glue type string as a DuckDB type: `array<struct<a:int>>` → `STRUCT(a INTEGER)[]`. */
export function glueToDuckType(glue: string): string {
  const t = glue.trim();
  const lower = t.toLowerCase();
  const scalar = SCALARS[lower];
  if (scalar) return scalar;
  let m = /^(?:var)?char\(\d+\)$/.exec(lower);
  if (m) return 'VARCHAR';
  m = /^decimal\((\d+),(\d+)\)$/.exec(lower.replace(/\s+/g, ''));
  if (m) return `DECIMAL(${m[1]},${m[2]})`;
  const inner = (prefix: string) => t.slice(prefix.length, -1);
  if (lower.startsWith('array<') && lower.endsWith('>')) return `${glueToDuckType(inner('array<'))}[]`;
  if (lower.startsWith('map<') && lower.endsWith('>')) {
    const [k, v] = splitTop(inner('map<'));
    return `MAP(${glueToDuckType(k ?? 'string')}, ${glueToDuckType(v ?? 'string')})`;
  }
  if (lower.startsWith('struct<') && lower.endsWith('>')) {
    const fields = splitTop(inner('struct<')).map((f) => {
      const colon = f.indexOf(':');
      return `${quoteIdent(f.slice(0, colon).trim())} ${glueToDuckType(f.slice(colon + 1))}`;
    });
    return `STRUCT(${fields.join(', ')})`;
  }
  return 'VARCHAR';
}

function splitTop(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '<' || c === '(') depth++;
    else if (c === '>' || c === ')') depth--;
    else if (c === ',' && depth === 0) {
      out.push(s.slice(start, i));
      start = i + 1;
    }
  }
  out.push(s.slice(start));
  return out.map((x) => x.trim()).filter((x) => x !== '');
}

/** Whether a DuckDB type is a scalar (not a struct, list, map, union or JSON): only scalars are cast at read. */
export function isScalarType(duckType: string): boolean {
  return !/[[\]]|^(?:STRUCT|MAP|UNION|JSON)\b/i.test(duckType);
}

/** A DuckDB identifier, always double-quoted. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A DuckDB string literal. */
export function quoteString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

type Family = 'string' | 'number' | 'boolean' | 'temporal' | 'binary' | 'list' | 'struct' | 'map' | 'null' | 'other';

function family(duckType: string): Family {
  const t = duckType.toUpperCase().trim();
  if (t.endsWith(']')) return 'list';
  if (t.startsWith('STRUCT')) return 'struct';
  if (t.startsWith('MAP')) return 'map';
  if (t === 'VARCHAR' || t.startsWith('VARCHAR(')) return 'string';
  if (t === '"NULL"' || t === 'NULL') return 'null';
  if (t === 'BOOLEAN') return 'boolean';
  if (t === 'BLOB') return 'binary';
  if (
    /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL.*)$/.test(
      t,
    )
  )
    return 'number';
  if (/^(DATE|TIMESTAMP.*)$/.test(t)) return 'temporal';
  return 'other';
}

/**
 * Whether values of DuckDB type `from` can be cast to `to` at all. `'same'`: no cast needed;
 * `'values'`: a cast is needed and may fail for some values (those rows are quarantined);
 * `'never'`: the types are incompatible (a conformance failure naming the column).
 */
export function castability(from: string, to: string): 'same' | 'values' | 'never' {
  const norm = (t: string) => t.toUpperCase().replace(/\s+/g, '');
  if (norm(from) === norm(to)) return 'same';
  const f = family(from);
  const t = family(to);
  if (f === 'null' || f === 'string' || t === 'string') return 'values';
  if (f === t) return 'values';
  if ((f === 'number' && t === 'boolean') || (f === 'boolean' && t === 'number')) return 'values';
  return 'never';
}

const INTEGER = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT)$/;

/**
 * The conformance cast of `expr` (of DuckDB type `from`) to the contract column `c`: NULL when the
 * value does not cast. The same semantic as the Glue job's PySpark core (meshkit_spark.py), so
 * both engines quarantine the same values: text (trimmed of spaces) casts only when it matches the type's grammar
 * (`textCastPattern` of @meshkit/contracts), a timestamp with a zone offset is converted to UTC,
 * a non-integral number does not cast to an integer type (no rounding), and a DOUBLE/FLOAT goes
 * to a DECIMAL through its shortest text (`1.005` → `1.01`, as Spark does).
 */
export function conformanceCastSql(expr: string, from: string, c: ContractColumn): string {
  const to = c.duckType.toUpperCase();
  const f = family(from);
  if (f === 'string') {
    const pattern = textCastPattern(c.glueType);
    // Gated before casting, not after: DuckDB's TIMESTAMPTZ cast of a text naming a zone
    // (`… Europe/Paris`) leaves that zone set for the next values it casts in the vector.
    return pattern === undefined
      ? textCastSql(expr, c)
      : `CASE WHEN regexp_matches(${expr}, ${quoteString(pattern)}) THEN ${textCastSql(expr, c)} END`;
  }
  const fromType = from.toUpperCase().trim();
  if (f === 'number' && INTEGER.test(to) && !INTEGER.test(fromType)) {
    return `CASE WHEN ${expr} = floor(${expr}) THEN TRY_CAST(${expr} AS ${c.duckType}) END`;
  }
  if ((fromType === 'DOUBLE' || fromType === 'FLOAT') && to.startsWith('DECIMAL'))
    return `TRY_CAST(CAST(${expr} AS VARCHAR) AS ${c.duckType})`;
  return `TRY_CAST(${expr} AS ${c.duckType})`;
}

/**
 * The conformance cast of the text `expr` to `c` ({@link conformanceCastSql}) in two parts, for
 * casting many rows at once: `value`, DuckDB's cast of the text, which gives the grammar cast's
 * value for every text in the grammar (raw-input.test.ts holds the corpus that shows it), and
 * `grammar`, the text grammar (`textCastPattern`, anchored) a non-NULL text must match to be a
 * value, whatever `value` says; the caller checks it, for many columns at once if it likes.
 * Cheaper over a million rows than the CASE of conformanceCastSql, which runs the pattern once
 * per value. A timestamp keeps that CASE (see there) and has no `grammar`: its `value` is NULL
 * outside the grammar.
 */
export function textCastParts(expr: string, c: ContractColumn): { value: string; grammar?: string } {
  const to = c.duckType.toUpperCase();
  const grammar = textCastPattern(c.glueType);
  if (grammar === undefined || to === 'TIMESTAMP') return { value: conformanceCastSql(expr, 'VARCHAR', c) };
  // DuckDB's number and date casts skip spaces around the value; its boolean cast does not.
  return { value: to === 'BOOLEAN' ? textCastSql(expr, c) : `TRY_CAST(${expr} AS ${c.duckType})`, grammar };
}

/**
 * Whether `mesh run`'s CSV reader reads a contract column of DuckDB type `duckType` as text, to be
 * cast by the contract's text grammar as the Glue job's Spark core casts it: integers (DuckDB's
 * own cast rounds `1.5` to 2 and takes `1e3`, `1_000`, `0x10`), dates (`2026/12/31`,
 * `infinity`), timestamps (the reader drops a zone offset) and booleans (the reader refuses
 * ` true `). Decimals, doubles and floats are cast by the reader as it reads: its casts take a few
 * forms the grammar does not (`1_000.5`, `+-1`, a tab around a number; README, "Known
 * differences"), and casting them by the grammar would put `npm run bench:run`'s CSV ratio at
 * about 1.7×, its goal's limit (about 1.55× now).
 */
export function csvCastsByGrammar(duckType: string): boolean {
  const t = duckType.toUpperCase();
  return INTEGER.test(t) || t === 'DATE' || t === 'TIMESTAMP' || t === 'BOOLEAN';
}

/**
 * DuckDB's own cast of the text `expr` (trimmed of spaces) to the type of `c`, not yet held to the
 * text grammar (see {@link conformanceCastSql}); a timestamp with a zone offset is converted to UTC.
 */
export function textCastSql(expr: string, c: ContractColumn): string {
  const text = `trim(${expr})`;
  return c.duckType.toUpperCase() === 'TIMESTAMP'
    ? `CAST(TRY_CAST(${text} AS TIMESTAMPTZ) AS TIMESTAMP)`
    : `TRY_CAST(${text} AS ${c.duckType})`;
}
