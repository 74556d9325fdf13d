/**
 * How the type table (types.ts) spells a resolved column type in each target: Glue (Hive), Spark
 * SQL, DuckDB, JSON Schema and TypeScript; `docs/type-mapping.md` documents it.
 */
import { columnType, type ColumnType, type Typed } from './types.js';

/** Glue (Hive) spelling: `bigint`, `decimal(10,2)`, `varchar(18)`, `array<struct<a:int>>`, … */
export function glueTypeOf(t: ColumnType): string {
  switch (t.kind) {
    case 'boolean':
      return 'boolean';
    case 'integer':
      return ({ 8: 'tinyint', 16: 'smallint', 32: 'int', 64: 'bigint' } as const)[t.bits];
    case 'float':
      return t.bits === 32 ? 'float' : 'double';
    case 'decimal':
      return `decimal(${t.precision},${t.scale})`;
    case 'string':
      if (t.length === undefined) return 'string';
      if (t.fixed) return t.length <= 255 ? `char(${t.length})` : 'string';
      return t.length <= 65535 ? `varchar(${t.length})` : 'string';
    case 'binary':
      return 'binary';
    case 'date':
      return 'date';
    case 'timestamp':
      return 'timestamp';
    case 'time':
      return 'string';
    case 'array':
      return `array<${glueTypeOf(t.items)}>`;
    case 'map':
      return `map<${glueTypeOf(t.key)},${glueTypeOf(t.value)}>`;
    case 'struct':
      return t.fields.length ? `struct<${t.fields.map((f) => `${f.name}:${glueTypeOf(f.type)}`).join(',')}>` : 'string';
    case 'json':
      return 'string';
  }
}

/** Spark SQL 3.5 spelling: `bigint`, `decimal(10,2)`, `timestamp` (with zone), `timestamp_ntz`, `array<…>`, … */
export function sparkTypeOf(t: ColumnType): string {
  switch (t.kind) {
    case 'string':
      return t.length === undefined ? 'string' : t.fixed ? `char(${t.length})` : `varchar(${t.length})`;
    case 'timestamp':
      return t.zone ? 'timestamp' : 'timestamp_ntz';
    case 'array':
      return `array<${sparkTypeOf(t.items)}>`;
    case 'map':
      return `map<${sparkTypeOf(t.key)},${sparkTypeOf(t.value)}>`;
    case 'struct':
      return t.fields.length
        ? `struct<${t.fields.map((f) => `\`${f.name.replace(/`/g, '``')}\`:${sparkTypeOf(f.type)}`).join(',')}>`
        : 'string';
    default:
      return glueTypeOf(t);
  }
}

/** DuckDB spelling: `BIGINT`, `DECIMAL(10,2)`, `TIMESTAMPTZ`, `INTEGER[]`, `MAP(VARCHAR, BIGINT)`, `STRUCT("a" INTEGER)`, … */
export function duckdbTypeOf(t: ColumnType): string {
  switch (t.kind) {
    case 'boolean':
      return 'BOOLEAN';
    case 'integer':
      return ({ 8: 'TINYINT', 16: 'SMALLINT', 32: 'INTEGER', 64: 'BIGINT' } as const)[t.bits];
    case 'float':
      return t.bits === 32 ? 'REAL' : 'DOUBLE';
    case 'decimal':
      return `DECIMAL(${t.precision},${t.scale})`;
    case 'string':
      return 'VARCHAR';
    case 'binary':
      return 'BLOB';
    case 'date':
      return 'DATE';
    case 'timestamp':
      return t.zone ? 'TIMESTAMPTZ' : 'TIMESTAMP';
    case 'time':
      return 'TIME';
    case 'array':
      return `${duckdbTypeOf(t.items)}[]`;
    case 'map':
      return `MAP(${duckdbTypeOf(t.key)}, ${duckdbTypeOf(t.value)})`;
    case 'struct':
      return t.fields.length
        ? `STRUCT(${t.fields.map((f) => `"${f.name.replace(/"/g, '""')}" ${duckdbTypeOf(f.type)}`).join(', ')})`
        : 'JSON';
    case 'json':
      return 'JSON';
  }
}

/** JSON Schema `type` of a value in a JSON record, with the `format` / encoding annotations. */
export function jsonSchemaTypeOf(t: ColumnType): { type?: string; format?: string; contentEncoding?: string } {
  switch (t.kind) {
    case 'boolean':
      return { type: 'boolean' };
    case 'integer':
      return { type: 'integer' };
    case 'float':
    case 'decimal':
      return { type: 'number' };
    case 'string':
      return { type: 'string' };
    case 'binary':
      return { type: 'string', contentEncoding: 'base64' };
    case 'date':
      return { type: 'string', format: 'date' };
    case 'timestamp':
      return { type: 'string', format: 'date-time' };
    case 'time':
      return { type: 'string', format: 'time' };
    case 'array':
      return { type: 'array' };
    case 'map':
    case 'struct':
      return { type: 'object' };
    case 'json':
      return {};
  }
}

/** TypeScript type of a value in a JSON record (nested structs are written by the TypeScript compiler). */
export function typeScriptTypeOf(t: ColumnType): string {
  switch (t.kind) {
    case 'boolean':
      return 'boolean';
    case 'integer':
    case 'float':
    case 'decimal':
      return 'number';
    case 'string':
    case 'binary':
    case 'date':
    case 'timestamp':
    case 'time':
      return 'string';
    case 'array': {
      const item = typeScriptTypeOf(t.items);
      return /^[\w.<>]+$/.test(item) ? `${item}[]` : `Array<${item}>`;
    }
    case 'map':
      return `Record<string, ${typeScriptTypeOf(t.value)}>`;
    case 'struct':
      return t.fields.length
        ? `{ ${t.fields.map((f) => `${/^[A-Za-z_$][\w$]*$/.test(f.name) ? f.name : JSON.stringify(f.name)}: ${typeScriptTypeOf(f.type)} | null`).join('; ')} }`
        : 'Record<string, unknown>';
    case 'json':
      return 'unknown';
  }
}

/** The Glue (Hive) type of a property. */
export function glueType(p: Typed): string {
  return glueTypeOf(columnType(p));
}

/**
 * The Spark SQL (3.5) type of a property, e.g. for `CAST(… AS <type>)` or a DataFrame schema:
 * `bigint`, `decimal(10,2)`, `timestamp` / `timestamp_ntz`, `array<struct<…>>`.
 */
export function sparkSqlType(p: Typed): string {
  return sparkTypeOf(columnType(p));
}

/** The DuckDB type of a property, e.g. for a `CREATE TABLE` or a `CAST`. */
export function duckdbType(p: Typed): string {
  return duckdbTypeOf(columnType(p));
}
