/**
 * THE type table of Meshkit: one place that decides what a property's type is and how it is
 * spelled in every target (Glue/Hive, Spark SQL, DuckDB, TypeScript, JSON Schema). Every compiler
 * and lint rule reads types through it; `docs/type-mapping.md` documents it.
 *
 * A property's type is resolved from its `physicalType` (parsed from the common warehouse
 * spellings) and its `logicalType`:
 *
 * 1. `logicalType: object` → a struct of its `properties` (or the physical `map<…>` / `struct<…>`);
 *    `logicalType: array` → an array of its `items` (or of the physical `array<…>` element).
 * 2. A physical type that agrees with the logical type (or with no logical type) wins: it is more
 *    precise (`int4`, `decimal(10,2)`, `varchar(18)`, `timestamptz`). `logicalType: date` with a
 *    timestamp physical type is a timestamp — the only way ODCS v3.0 can say "timestamp".
 * 3. Otherwise the logical type (and `logicalTypeOptions.format` for integers and numbers).
 * 4. Neither → `json` (any value; stored as a string).
 *
 * This module resolves types; type-spellings.ts spells them in each target.
 */
import type { LogicalType, SchemaProperty } from '../odcs.js';
import { columnName, itemOf } from './schema-object.js';

/** A resolved column type, independent of any target spelling. */
export type ColumnType =
  | { kind: 'boolean' }
  | { kind: 'integer'; bits: 8 | 16 | 32 | 64 }
  | { kind: 'float'; bits: 32 | 64 }
  | { kind: 'decimal'; precision: number; scale: number }
  | { kind: 'string'; length?: number; fixed?: boolean }
  | { kind: 'binary' }
  | { kind: 'date' }
  | { kind: 'timestamp'; zone: boolean }
  | { kind: 'time' }
  | { kind: 'array'; items: ColumnType }
  | { kind: 'map'; key: ColumnType; value: ColumnType }
  | { kind: 'struct'; fields: Array<{ name: string; type: ColumnType }> }
  | { kind: 'json' };

const INT = (bits: 8 | 16 | 32 | 64): ColumnType => ({ kind: 'integer', bits });
const STRING: ColumnType = { kind: 'string' };
/** Precision/scale of a `decimal`/`numeric` without arguments (arbitrary precision in PostgreSQL). */
const DEFAULT_DECIMAL: ColumnType = { kind: 'decimal', precision: 38, scale: 18 };

/** Physical type names without arguments, lower case, single spaces. */
const NAMED: Record<string, ColumnType> = {};
const name = (t: ColumnType, ...names: string[]): void => {
  for (const n of names) NAMED[n] = t;
};
name({ kind: 'boolean' }, 'boolean', 'bool', 'bit');
name(INT(8), 'tinyint', 'byte', 'int1');
name(INT(16), 'smallint', 'short', 'int2', 'int16', 'smallserial', 'serial2');
name(INT(32), 'int', 'integer', 'int4', 'int32', 'mediumint', 'serial', 'serial4');
name(INT(64), 'bigint', 'long', 'int8', 'int64', 'bigserial', 'serial8');
name({ kind: 'decimal', precision: 38, scale: 0 }, 'hugeint', 'int128', 'ubigint', 'uint64');
name({ kind: 'float', bits: 32 }, 'float', 'real', 'float4', 'float32');
name({ kind: 'float', bits: 64 }, 'double', 'double precision', 'float8', 'float64', 'binary_double');
name(DEFAULT_DECIMAL, 'decimal', 'numeric', 'number', 'dec', 'bignumeric', 'bigdecimal');
name({ kind: 'decimal', precision: 19, scale: 4 }, 'money');
name(
  STRING,
  'string',
  'text',
  'varchar',
  'character varying',
  'nvarchar',
  'clob',
  'nclob',
  'tinytext',
  'mediumtext',
  'longtext',
  'uuid',
  'uniqueidentifier',
  'bpchar',
  'char',
  'character',
  'nchar',
  'xml',
  'citext',
  'enum',
  'interval',
  'varchar2',
  'nvarchar2',
);
name(
  { kind: 'binary' },
  'binary',
  'varbinary',
  'bytea',
  'blob',
  'bytes',
  'longblob',
  'mediumblob',
  'tinyblob',
  'image',
  'raw',
);
name({ kind: 'date' }, 'date');
name(
  { kind: 'timestamp', zone: false },
  'timestamp',
  'datetime',
  'datetime2',
  'smalldatetime',
  'timestamp_ntz',
  'timestamp without time zone',
  'timestampntz',
);
name(
  { kind: 'timestamp', zone: true },
  'timestamptz',
  'timestamp_tz',
  'timestamp_ltz',
  'timestamp with time zone',
  'timestamp with local time zone',
  'datetimeoffset',
  'timestampltz',
);
name({ kind: 'time' }, 'time', 'timetz', 'time without time zone', 'time with time zone');
name({ kind: 'json' }, 'json', 'jsonb', 'variant', 'object', 'super');

/** Lower case, single spaces, no spaces around `(),<>:`. */
function canonical(raw: string): string {
  return raw
    .trim()
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/\s*([(),<>:[\]])\s*/g, '$1');
}

/** Splits `a,b<c,d>,e` at top-level commas. */
function splitTop(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === '<' || ch === '(') depth++;
    else if (ch === '>' || ch === ')') depth--;
    else if (ch === ',' && depth === 0) {
      out.push(s.slice(start, i));
      start = i + 1;
    }
  }
  out.push(s.slice(start));
  return out.map((x) => x.trim());
}

/**
 * Parses a physical type in the common warehouse spellings: names (`int4`, `bigint`, `text`,
 * `bytea`, `timestamptz`, `timestamp_ntz`, `datetime2`…), with length / precision arguments
 * (`varchar(18)`, `varchar[50]`, `decimal(10,2)`, `timestamp(6)`, `timestamp(3) with time zone`),
 * and nested types (`array<int>`, `int[]`, `map<string,bigint>`, `struct<a:int,b:string>`, and
 * DuckDB's `MAP(VARCHAR, BIGINT)`, `STRUCT("a" INTEGER)`).
 * Undefined for anything else (`float(3,2)`, a domain type such as `Name`, `table`, `topic`).
 */
export function parseColumnType(raw: string): ColumnType | undefined {
  return parse(canonical(raw));
}

function parse(t: string): ColumnType | undefined {
  const named = NAMED[t];
  if (named) return named;
  let m = /^(array|list)<(.+)>$/.exec(t);
  if (m) {
    const items = parse(m[2]!);
    return items ? { kind: 'array', items } : undefined;
  }
  m = /^(.+)\[\]$/.exec(t);
  if (m) {
    const items = parse(m[1]!);
    return items ? { kind: 'array', items } : undefined;
  }
  m = /^map[<(](.+)[>)]$/.exec(t);
  if (m) {
    const parts = splitTop(m[1]!);
    const key = parts.length === 2 ? parse(parts[0]!) : undefined;
    const value = parts.length === 2 ? parse(parts[1]!) : undefined;
    return key && value ? { kind: 'map', key, value } : undefined;
  }
  m = /^struct[<(](.*)[>)]$/.exec(t);
  if (m) {
    const fields: Array<{ name: string; type: ColumnType }> = [];
    for (const part of m[1] ? splitTop(m[1]) : []) {
      const f = /^[`"]?([^`":\s]+)[`"]?[:\s](.+)$/.exec(part);
      const type = f ? parse(f[2]!.trim()) : undefined;
      if (!f || !type) return undefined;
      fields.push({ name: f[1]!, type });
    }
    return { kind: 'struct', fields };
  }
  // Arguments in parentheses or (as some catalogs print them) brackets.
  m = /^([a-z_ ]+?)[([](\w+)(?:,(\d+))?[)\]] ?(with(?: local)? time zone|without time zone)?$/.exec(t);
  if (m) {
    const base = m[1]!.trim();
    const a = m[2]!;
    const n = /^\d+$/.test(a) ? Number(a) : undefined;
    if (/^(var)?char(acter)?( varying)?$|^n(var)?char$|^varchar2$|^bpchar$/.test(base)) {
      if (a === 'max') return STRING;
      if (n === undefined || n < 1) return undefined;
      const fixed = /^(n)?char(acter)?$|^bpchar$/.test(base);
      return { kind: 'string', length: n, ...(fixed ? { fixed: true } : {}) };
    }
    if (/^(var)?binary$/.test(base)) return n !== undefined || a === 'max' ? { kind: 'binary' } : undefined;
    if (/^(decimal|numeric|number|dec)$/.test(base)) {
      const s = m[3] === undefined ? 0 : Number(m[3]);
      return n !== undefined && n >= 1 && n <= 38 && s <= n ? { kind: 'decimal', precision: n, scale: s } : undefined;
    }
    const zone = m[4] === undefined ? undefined : !m[4].includes('without');
    if (
      /^(timestamp|datetime|datetime2|timestamp_ntz|timestamp_tz|timestamp_ltz|timestamptz)$/.test(base) &&
      n !== undefined &&
      n <= 12
    ) {
      const own = NAMED[base];
      return { kind: 'timestamp', zone: zone ?? (own?.kind === 'timestamp' ? own.zone : false) };
    }
    if (/^(time|timetz)$/.test(base) && n !== undefined && n <= 12) return { kind: 'time' };
    return undefined;
  }
  m = /^(timestamp|time) (with(?: local)? time zone|without time zone)$/.exec(t);
  if (m) return m[1] === 'time' ? { kind: 'time' } : { kind: 'timestamp', zone: !m[2]!.includes('without') };
  return undefined;
}

/** True when the physical type is a timestamp spelling (with or without zone or precision). */
export function isTimestampPhysicalType(raw: unknown): boolean {
  return typeof raw === 'string' && parseColumnType(raw)?.kind === 'timestamp';
}

const INTEGER_FORMATS: Record<string, ColumnType> = {
  i8: INT(8),
  i16: INT(16),
  u8: INT(16),
  i32: INT(32),
  u16: INT(32),
  i64: INT(64),
  u32: INT(64),
  u64: { kind: 'decimal', precision: 38, scale: 0 },
  i128: { kind: 'decimal', precision: 38, scale: 0 },
  u128: { kind: 'decimal', precision: 38, scale: 0 },
};

/** The ODCS logical type a column type is read as (the reverse direction of the table). */
export function logicalTypeOf(t: ColumnType): LogicalType | undefined {
  switch (t.kind) {
    case 'boolean':
      return 'boolean';
    case 'integer':
      return 'integer';
    case 'float':
    case 'decimal':
      return 'number';
    case 'string':
    case 'binary':
      return 'string';
    case 'date':
      return 'date';
    case 'timestamp':
      return 'timestamp';
    case 'time':
      return 'time';
    case 'array':
      return 'array';
    case 'map':
    case 'struct':
      return 'object';
    case 'json':
      return undefined;
  }
}

/** Whether a physical type can carry values of a logical type (the physical type then wins). */
function agrees(t: ColumnType, logical: LogicalType): boolean {
  switch (logical) {
    case 'integer':
      return t.kind === 'integer' || (t.kind === 'decimal' && t.scale === 0);
    case 'number':
      return t.kind === 'integer' || t.kind === 'float' || t.kind === 'decimal';
    case 'string':
      return t.kind === 'string' || t.kind === 'binary';
    case 'date':
      return t.kind === 'date' || t.kind === 'timestamp';
    case 'timestamp':
      return t.kind === 'timestamp';
    case 'time':
      return t.kind === 'time';
    case 'boolean':
      return t.kind === 'boolean';
    case 'object':
      return t.kind === 'map' || t.kind === 'struct' || t.kind === 'json';
    case 'array':
      return t.kind === 'array';
  }
}

/** What of a property its type is resolved from. */
export type Typed = Pick<
  SchemaProperty,
  'physicalType' | 'logicalType' | 'logicalTypeOptions' | 'properties' | 'items' | 'name' | 'physicalName'
>;

/** The resolved type of a property (see the module comment for the precedence). */
export function columnType(p: Typed): ColumnType {
  const physical = typeof p.physicalType === 'string' ? parseColumnType(p.physicalType) : undefined;
  const logical = p.logicalType;
  if (logical === 'object') {
    const props = Array.isArray(p.properties) ? p.properties : [];
    if (props.length)
      return { kind: 'struct', fields: props.map((f) => ({ name: columnName(f), type: columnType(f) })) };
    return physical && agrees(physical, 'object') ? physical : { kind: 'json' };
  }
  if (logical === 'array') {
    const items = itemOf(p);
    if (items) return { kind: 'array', items: columnType(items) };
    return physical?.kind === 'array' ? physical : { kind: 'array', items: STRING };
  }
  if (physical && (logical === undefined || agrees(physical, logical))) return physical;
  const format = p.logicalTypeOptions?.format;
  switch (logical) {
    case 'integer':
      return INTEGER_FORMATS[String(format)] ?? INT(64);
    case 'number':
      return { kind: 'float', bits: format === 'f32' ? 32 : 64 };
    case 'string':
      return STRING;
    case 'date':
      return { kind: 'date' };
    case 'timestamp':
      return { kind: 'timestamp', zone: (p.logicalTypeOptions?.timezone as unknown) !== false };
    case 'time':
      return { kind: 'time' };
    case 'boolean':
      return { kind: 'boolean' };
    default:
      return { kind: 'json' };
  }
}

/**
 * The logical type a property is read as: its `logicalType`, except that `date` with a timestamp
 * physical type is `timestamp`; without a `logicalType`, the one of its physical type.
 */
export function effectiveLogicalType(p: Typed): LogicalType | undefined {
  if (p.logicalType === 'date' && isTimestampPhysicalType(p.physicalType)) return 'timestamp';
  if (p.logicalType !== undefined) return p.logicalType;
  return logicalTypeOf(columnType(p));
}
