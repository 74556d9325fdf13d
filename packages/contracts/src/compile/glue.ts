import type { OdcsContract, SchemaProperty } from '../odcs.js';
import { byPosition, columnName, selectObject, snakeCase } from './schema-object.js';
import { glueType, glueTypeOf } from './type-spellings.js';
import { parseColumnType } from './types.js';

export { glueType };

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
 * Column name: `physicalName ?? name`, snake_cased and lower-cased (see `columnName`). Type: from
 * the type table (`compile/types.ts`, documented in `docs/type-mapping.md`): the `physicalType`
 * when it agrees with the `logicalType` (`int4` → int, `text` → string, `numeric(10,2)` →
 * decimal(10,2), `timestamptz` → timestamp, `map<string,int>` …), else from `logicalType`
 * (integer → bigint or by `logicalTypeOptions.format`, number → double, time → string, object →
 * `struct<…>` of its properties, array → `array<…>` of its items); neither → string.
 */
export function toGlueColumns(contract: OdcsContract, options: GlueOptions = {}): GlueTableColumns {
  const { object } = selectObject(contract, options.object);
  const props = object.properties ?? [];
  const partitioned = byPosition(
    props.filter((p) => p.partitioned === true),
    'partitionKeyPosition',
  );
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

/** A physical type as a Glue type, or undefined when it is not one the type table knows (e.g. `float(3,2)`, `Name`). */
export function normalisePhysicalType(raw: string): string | undefined {
  const t = parseColumnType(raw);
  return t ? glueTypeOf(t) : undefined;
}
