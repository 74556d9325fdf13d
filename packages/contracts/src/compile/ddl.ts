import type { OdcsContract } from '../odcs.js';
import { columnName, selectObject, snakeCase } from './schema-object.js';
import { quoteIdentifier, type SqlDialect } from './sql.js';
import { duckdbTypeOf, sparkTypeOf } from './type-spellings.js';
import { columnType, type ColumnType } from './types.js';

/** Options of {@link toCreateTable} and {@link columnTypes}. */
export interface DdlOptions {
  /** Name of the schema object. @default the contract's only object */
  object?: string;
  /** Table name (quoted by this function; a dotted name is quoted per part). @default the object's name, snake_cased */
  table?: string;
  /** @default 'duckdb' */
  dialect?: SqlDialect;
}

/** The resolved type of every column of a schema object, by column name (see `compile/types.ts`). */
export function columnTypes(
  contract: OdcsContract,
  options: Pick<DdlOptions, 'object'> = {},
): Record<string, ColumnType> {
  const { object } = selectObject(contract, options.object);
  return Object.fromEntries((object.properties ?? []).map((p) => [columnName(p), columnType(p)]));
}

/**
 * `CREATE TABLE` of a schema object in DuckDB or Spark SQL: every identifier quoted, columns
 * named like the Glue columns (`columnName`) and typed by the type table, in declaration order.
 * No constraints: the quality checks (`toSqlChecks`) say what a row must satisfy.
 */
export function toCreateTable(contract: OdcsContract, options: DdlOptions = {}): string {
  const { object } = selectObject(contract, options.object);
  const dialect = options.dialect ?? 'duckdb';
  const spell = dialect === 'spark' ? sparkTypeOf : duckdbTypeOf;
  const cols = (object.properties ?? []).map(
    (p) => `  ${quoteIdentifier(columnName(p), dialect)} ${spell(columnType(p))}`,
  );
  return `CREATE TABLE ${quoteIdentifier(options.table ?? snakeCase(object.name), dialect)} (\n${cols.join(',\n')}\n)`;
}
