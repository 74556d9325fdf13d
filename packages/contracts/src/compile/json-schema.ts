import type { LogicalTypeOptions, OdcsContract, SchemaProperty } from '../odcs.js';
import { allowedValues, isNotNull, itemOf, propertyPattern, selectObject } from './schema-object.js';
import { jsonSchemaTypeOf } from './type-spellings.js';
import { columnType, effectiveLogicalType } from './types.js';

/** JSON Schema dialects {@link toJsonSchema} can write. */
export type JsonSchemaDraft = '2019-09' | 'draft-07';

/** Options of {@link toJsonSchema}. */
export interface JsonSchemaOptions {
  /** Name of the schema object to compile. @default the contract's only object */
  object?: string;
  /**
   * Dialect. `draft-07` is what the AWS Glue Schema Registry accepts (drafts 04/06/07 only); the
   * output then uses no 2019-only keyword and no `$defs`.
   * @default '2019-09'
   */
  draft?: JsonSchemaDraft;
}

/** A JSON Schema document (plain JSON data). */
export type JsonSchema = { [key: string]: unknown };

const META: Record<JsonSchemaDraft, string> = {
  '2019-09': 'https://json-schema.org/draft/2019-09/schema',
  'draft-07': 'http://json-schema.org/draft-07/schema#',
};

/** ISO 8601 date and time, `T` or a space between them, fractions and an offset optional. */
export const LOCAL_DATE_TIME = '^\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}(:?\\d{2})?)?$';

/** `logicalTypeOptions.format` values of strings that are JSON Schema / ajv-formats formats. */
const STRING_FORMATS = new Set([
  'email',
  'uuid',
  'uri',
  'uri-reference',
  'hostname',
  'ipv4',
  'ipv6',
  'byte',
  'binary',
  'password',
  'date',
  'date-time',
  'time',
  'duration',
  'regex',
]);

/**
 * The JSON Schema of ONE RECORD of a schema object.
 *
 * - `properties` are keyed by the ODCS property `name`; `required` lists properties with
 *   `required: true`, `primaryKey: true` or an error-level `nullValues` rule with `mustBe: 0`.
 *   Every other property is optional and also accepts `null`.
 * - Types from the type table (`compile/types.ts`, `docs/type-mapping.md`): integer, number,
 *   string (binary physical types: `contentEncoding: base64`), boolean; `date` → string/format
 *   date, `timestamp` (also `logicalType: date` on a timestamp physical type, the v3.0 idiom) →
 *   string/format date-time (a physical timestamp without zone — `timestamp`, `timestamp_ntz`,
 *   `datetime` — → an ISO 8601 pattern with an optional offset, see {@link LOCAL_DATE_TIME}), `time` → string/format time; `object` → nested properties (inline,
 *   no `$defs`/`definitions`; a physical `map<…>` → `additionalProperties`); `array` → `items`.
 *   No `logicalType` → the one of the physical type, else any value.
 * - `logicalTypeOptions`: minimum, maximum, exclusiveMinimum/Maximum (numeric, or the draft-04
 *   boolean form), multipleOf, minLength, maxLength, pattern, string formats known to ajv-formats,
 *   minItems, maxItems, uniqueItems, minProperties, maxProperties. Date/time bounds are not
 *   expressible in JSON Schema and are left to the quality checks.
 * - `enum` from an error-level `invalidValues` rule with `arguments.validValues` and `mustBe: 0`.
 * - Records stay open (no `additionalProperties: false`): adding a property is a backward
 *   compatible (minor) change, so a consumer's validator for an older version must accept
 *   records that carry new fields.
 * - `$id` is `urn:odcs:<contract id>:<object>:<version>`; `title` the object name.
 */
export function toJsonSchema(contract: OdcsContract, options: JsonSchemaOptions = {}): JsonSchema {
  const draft = options.draft ?? '2019-09';
  const { object } = selectObject(contract, options.object);
  const schema: JsonSchema = {
    $schema: META[draft],
    $id: `urn:odcs:${encodeURIComponent(contract.id)}:${encodeURIComponent(object.name)}:${encodeURIComponent(contract.version)}`,
    title: object.name,
  };
  const description = object.description ?? object.businessName;
  if (description) schema.description = description;
  Object.assign(schema, objectSchema(object.properties ?? []));
  return schema;
}

function objectSchema(props: SchemaProperty[]): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const prop of props) {
    const notNull = isNotNull(prop);
    properties[prop.name] = propertySchema(prop, !notNull);
    if (notNull) required.push(prop.name);
  }
  const out: JsonSchema = { type: 'object', properties };
  if (required.length) out.required = required;
  return out;
}

function propertySchema(prop: SchemaProperty, nullable: boolean): JsonSchema {
  const s: JsonSchema = {};
  const description = prop.description ?? prop.businessName;
  if (description) s.description = description;
  const o = prop.logicalTypeOptions ?? {};
  let type: string | undefined;
  const logical = effectiveLogicalType(prop);
  switch (logical) {
    case 'integer':
    case 'number': {
      type = logical;
      numberBounds(s, o);
      if (typeof o.multipleOf === 'number') s.multipleOf = o.multipleOf;
      break;
    }
    case 'string':
      type = 'string';
      stringKeywords(s, prop, o);
      break;
    case 'boolean':
      type = 'boolean';
      break;
    case 'date':
      type = 'string';
      s.format = 'date';
      break;
    case 'timestamp': {
      type = 'string';
      // A timestamp without zone is written without an offset in JSON records (`2024-05-01T10:00:00`),
      // which format date-time (RFC 3339) refuses: an ISO 8601 pattern with an optional offset instead.
      const ct = columnType(prop);
      if (ct.kind === 'timestamp' && !ct.zone) s.pattern = LOCAL_DATE_TIME;
      else s.format = 'date-time';
      break;
    }
    case 'time':
      type = 'string';
      s.format = 'time';
      break;
    case 'object':
      objectKeywords(s, prop, o);
      type = 'object';
      break;
    case 'array':
      type = 'array';
      arrayKeywords(s, prop, o);
      break;
    default:
      break; // no logicalType: any JSON value
  }
  if (type !== undefined) s.type = nullable ? [type, 'null'] : type;
  const values = allowedValues(prop);
  if (values) {
    const list: unknown[] = values.filter((v) => v !== null);
    if (nullable || values.includes(null)) list.push(null);
    s.enum = list;
  }
  return s;
}

/** The keywords of a string property: length, pattern, format (or base64 for binary). */
function stringKeywords(s: JsonSchema, prop: SchemaProperty, o: LogicalTypeOptions): void {
  if (typeof o.minLength === 'number') s.minLength = o.minLength;
  if (typeof o.maxLength === 'number') s.maxLength = o.maxLength;
  const pattern = propertyPattern(prop);
  if (typeof pattern === 'string') s.pattern = pattern;
  if (typeof o.format === 'string' && STRING_FORMATS.has(o.format)) s.format = o.format;
  else if (columnType(prop).kind === 'binary') s.contentEncoding = 'base64';
}

/** The keywords of an object property: its map values or nested properties, property counts, required members. */
function objectKeywords(s: JsonSchema, prop: SchemaProperty, o: LogicalTypeOptions): void {
  const ct = columnType(prop);
  if (ct.kind === 'map') s.additionalProperties = jsonSchemaTypeOf(ct.value);
  Object.assign(s, objectSchema(prop.properties ?? []));
  if (typeof o.minProperties === 'number') s.minProperties = o.minProperties;
  if (typeof o.maxProperties === 'number') s.maxProperties = o.maxProperties;
  if (Array.isArray(o.required) && o.required.length) {
    s.required = [
      ...new Set([
        ...((s.required as string[] | undefined) ?? []),
        ...o.required.filter((r): r is string => typeof r === 'string'),
      ]),
    ];
  }
}

/** The keywords of an array property: its items (never null), item counts, uniqueness. */
function arrayKeywords(s: JsonSchema, prop: SchemaProperty, o: LogicalTypeOptions): void {
  const items = itemOf(prop);
  const ct = columnType(prop);
  if (items)
    s.items = propertySchema(items, false); // array elements are never null
  else if (ct.kind === 'array' && Object.keys(jsonSchemaTypeOf(ct.items)).length) s.items = jsonSchemaTypeOf(ct.items);
  if (typeof o.minItems === 'number') s.minItems = o.minItems;
  if (typeof o.maxItems === 'number') s.maxItems = o.maxItems;
  if (o.uniqueItems === true) s.uniqueItems = true;
}

function numberBounds(s: JsonSchema, o: Record<string, unknown>): void {
  const min = typeof o.minimum === 'number' ? o.minimum : undefined;
  const max = typeof o.maximum === 'number' ? o.maximum : undefined;
  if (typeof o.exclusiveMinimum === 'number') s.exclusiveMinimum = o.exclusiveMinimum;
  else if (o.exclusiveMinimum === true && min !== undefined) s.exclusiveMinimum = min;
  if (typeof o.exclusiveMaximum === 'number') s.exclusiveMaximum = o.exclusiveMaximum;
  else if (o.exclusiveMaximum === true && max !== undefined) s.exclusiveMaximum = max;
  if (min !== undefined && o.exclusiveMinimum !== true) s.minimum = min;
  if (max !== undefined && o.exclusiveMaximum !== true) s.maximum = max;
}
