import type { OdcsContract, SchemaProperty } from '../odcs.js';
import { byPosition, columnName, itemOf, selectObject, snakeCase } from './schema-object.js';

/** One column of a Glue table. */
export interface GlueColumn {
  name: string;
  /** A Glue (Hive) type string: `bigint`, `decimal(10,2)`, `array<struct<a:int>>`, … */
  type: string;
  /** The property's description, at most 255 characters. */
  comment?: string;
}

/** Columns of a Glue table compiled from one schema object. */
export interface GlueTableColumns {
  /** The object's name, snake_cased (the caller decides the real table name, e.g. `<product>_v<major>`). */
  tableName: string;
  /** Data columns, in declaration order, without the partition keys. */
  columns: GlueColumn[];
  /** Properties with `partitioned: true`, ordered by `partitionKeyPosition`. */
  partitionKeys: GlueColumn[];
}

/** Options of {@link toGlueColumns}. */
export interface GlueOptions {
  /** Name of the schema object. @default the contract's only object */
  object?: string;
}

const MAX_COMMENT = 255;

/**
 * Glue table columns of a schema object.
 *
 * Column name: `physicalName ?? name`, snake_cased and lower-cased (see `columnName`). Type: the
 * `physicalType` when it normalises to a Glue type (`int`/`integer` → int, `long` → bigint,
 * `varchar(18)`, `numeric(10,2)` → decimal(10,2), `text` → string, `datetime` → timestamp, …),
 * else from `logicalType`: integer → bigint (`logicalTypeOptions.format` i8 → tinyint,
 * i16/u8 → smallint, i32/u16 → int, i64/u32 → bigint, larger → decimal(38,0)); number → double
 * (f32 → float); string → string; date → date; timestamp → timestamp; time → string;
 * boolean → boolean; object → `struct<…>` of its properties; array → `array<…>` of its items
 * (`array<string>` without items); no logicalType → string.
 */
export function toGlueColumns(contract: OdcsContract, options: GlueOptions = {}): GlueTableColumns {
  const { object } = selectObject(contract, options.object);
  const props = object.properties ?? [];
  const partitioned = byPosition(props.filter((p) => p.partitioned === true), 'partitionKeyPosition');
  return {
    tableName: snakeCase(object.name),
    columns: props.filter((p) => p.partitioned !== true).map(column),
    partitionKeys: partitioned.map(column),
  };
}

function column(p: SchemaProperty): GlueColumn {
  const c: GlueColumn = { name: columnName(p), type: glueType(p) };
  const comment = (p.description ?? p.businessName)?.trim();
  if (comment) c.comment = comment.length > MAX_COMMENT ? comment.slice(0, MAX_COMMENT - 1) + '…' : comment;
  return c;
}

/** The Glue type of a property (see {@link toGlueColumns}). */
export function glueType(p: SchemaProperty): string {
  if (p.logicalType !== 'object' && p.logicalType !== 'array' && typeof p.physicalType === 'string') {
    const physical = normalisePhysicalType(p.physicalType);
    if (physical) return physical;
  }
  const format = p.logicalTypeOptions?.format;
  switch (p.logicalType) {
    case 'integer': return INTEGER_FORMATS[String(format)] ?? 'bigint';
    case 'number': return format === 'f32' ? 'float' : 'double';
    case 'date': return 'date';
    case 'timestamp': return 'timestamp';
    case 'boolean': return 'boolean';
    case 'object': {
      const fields = (p.properties ?? []).map((f) => `${columnName(f)}:${glueType(f)}`);
      return fields.length ? `struct<${fields.join(',')}>` : 'string';
    }
    case 'array': {
      const items = itemOf(p);
      return `array<${items ? glueType(items) : 'string'}>`;
    }
    default: return 'string';
  }
}

const INTEGER_FORMATS: Record<string, string> = {
  i8: 'tinyint', i16: 'smallint', u8: 'smallint', i32: 'int', u16: 'int', i64: 'bigint', u32: 'bigint',
  u64: 'decimal(38,0)', i128: 'decimal(38,0)', u128: 'decimal(38,0)',
};

const SIMPLE: Record<string, string> = {
  boolean: 'boolean', bool: 'boolean',
  tinyint: 'tinyint', byte: 'tinyint',
  smallint: 'smallint', short: 'smallint', int2: 'smallint', int16: 'smallint',
  int: 'int', integer: 'int', int4: 'int', int32: 'int',
  bigint: 'bigint', long: 'bigint', int64: 'bigint',
  float: 'float', real: 'float', float4: 'float', float32: 'float',
  double: 'double', 'double precision': 'double', float8: 'double', float64: 'double',
  string: 'string', text: 'string', varchar: 'string', 'character varying': 'string', clob: 'string',
  date: 'date',
  timestamp: 'timestamp', datetime: 'timestamp', timestamp_ntz: 'timestamp', 'timestamp without time zone': 'timestamp',
  binary: 'binary', varbinary: 'binary', bytea: 'binary', blob: 'binary', bytes: 'binary',
};

/** A physical type as a Glue type, or undefined when it is not one (e.g. `float(3,2)`, `json`). */
export function normalisePhysicalType(raw: string): string | undefined {
  const t = raw.trim().toLowerCase().replace(/\s+/g, ' ').replace(/\s*([(),])\s*/g, '$1');
  const simple = SIMPLE[t];
  if (simple) return simple;
  let m = /^(varchar|character varying|char|character)\((\d+)\)$/.exec(t);
  if (m) {
    const n = Number(m[2]);
    const kind = m[1]!.startsWith('char') && m[1] !== 'character varying' ? 'char' : 'varchar';
    const max = kind === 'char' ? 255 : 65535;
    return n >= 1 && n <= max ? `${kind}(${n})` : undefined;
  }
  m = /^(decimal|numeric|number)\((\d+)(?:,(\d+))?\)$/.exec(t);
  if (m) {
    const p = Number(m[2]);
    const s = m[3] === undefined ? 0 : Number(m[3]);
    return p >= 1 && p <= 38 && s <= p ? `decimal(${p},${s})` : undefined;
  }
  return undefined;
}
