/**
 * TypeScript view of the parts of an ODCS v3.1 contract Meshkit reads. The official JSON Schema
 * (schemas/odcs-json-schema-v3.1.0.json) is the authority; these types only describe documents
 * that passed it. Unknown fields are allowed through the index signatures.
 */

export type LogicalType =
  'string' | 'date' | 'timestamp' | 'time' | 'number' | 'integer' | 'object' | 'array' | 'boolean';

export interface CustomProperty {
  property: string;
  value?: unknown;
  description?: string;
}

export interface QualityRule {
  id?: string;
  name?: string;
  description?: string;
  type?: 'text' | 'library' | 'sql' | 'custom';
  metric?: 'nullValues' | 'missingValues' | 'invalidValues' | 'duplicateValues' | 'rowCount';
  /** Deprecated spelling of `metric`. */
  rule?: string;
  arguments?: Record<string, unknown>;
  query?: string;
  engine?: string;
  implementation?: unknown;
  unit?: string;
  dimension?: string;
  severity?: string;
  mustBe?: unknown;
  mustNotBe?: unknown;
  mustBeGreaterThan?: number;
  mustBeGreaterOrEqualTo?: number;
  mustBeLessThan?: number;
  mustBeLessOrEqualTo?: number;
  mustBeBetween?: [number, number];
  mustNotBeBetween?: [number, number];
  customProperties?: CustomProperty[];
  [key: string]: unknown;
}

export interface LogicalTypeOptions {
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number | boolean;
  exclusiveMaximum?: number | boolean;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  multipleOf?: number;
  timezone?: string;
  defaultTimezone?: string;
  [key: string]: unknown;
}

/** Fields shared by properties and array items. */
export interface PropertyFields {
  id?: string;
  physicalName?: string;
  physicalType?: string;
  logicalType?: LogicalType;
  logicalTypeOptions?: LogicalTypeOptions;
  description?: string;
  businessName?: string;
  required?: boolean;
  unique?: boolean;
  primaryKey?: boolean;
  primaryKeyPosition?: number;
  partitioned?: boolean;
  partitionKeyPosition?: number;
  classification?: string;
  criticalDataElement?: boolean;
  tags?: string[];
  examples?: unknown[];
  quality?: QualityRule[];
  customProperties?: CustomProperty[];
  /** Nested properties of a `logicalType: object` property. */
  properties?: SchemaProperty[];
  /** Item definition of a `logicalType: array` property. */
  items?: SchemaItem;
  [key: string]: unknown;
}

/** A property (column) of a schema object. */
export interface SchemaProperty extends PropertyFields {
  name: string;
}

/** The `items` of an array property (like a property, without a required name). */
export interface SchemaItem extends PropertyFields {
  name?: string;
}

export interface SchemaObject {
  id?: string;
  name: string;
  physicalName?: string;
  physicalType?: string;
  logicalType?: 'object';
  description?: string;
  businessName?: string;
  dataGranularityDescription?: string;
  tags?: string[];
  properties?: SchemaProperty[];
  quality?: QualityRule[];
  customProperties?: CustomProperty[];
  [key: string]: unknown;
}

export interface SlaProperty {
  id?: string;
  property: string;
  value?: string | number | boolean | null;
  valueExt?: unknown;
  unit?: string;
  element?: string;
  [key: string]: unknown;
}

export interface Server {
  id?: string;
  server: string;
  type: string;
  [key: string]: unknown;
}

export interface TeamMember {
  username?: string;
  name?: string;
  role?: string;
  [key: string]: unknown;
}
export interface Team {
  id?: string;
  name?: string;
  members?: TeamMember[];
  [key: string]: unknown;
}

/** An ODCS v3.x data contract that passed schema validation. */
export interface OdcsContract {
  apiVersion: string;
  kind: 'DataContract';
  id: string;
  version: string;
  status: string;
  name?: string;
  domain?: string;
  dataProduct?: string;
  tenant?: string;
  tags?: string[];
  description?: { purpose?: string; limitations?: string; usage?: string; [key: string]: unknown };
  servers?: Server[];
  schema?: SchemaObject[];
  team?: Team | TeamMember[];
  support?: unknown;
  slaProperties?: SlaProperty[];
  slaDefaultElement?: string;
  customProperties?: CustomProperty[];
  [key: string]: unknown;
}

/** ODCS `apiVersion` values Meshkit reads, each validated by its own official JSON Schema. */
export const SUPPORTED_API_VERSIONS = ['v3.1.0', 'v3.0.2', 'v3.0.1', 'v3.0.0'] as const;

/** An ODCS `apiVersion` Meshkit reads. */
export type ApiVersion = (typeof SUPPORTED_API_VERSIONS)[number];

/** The newest supported ODCS version (what `mesh contract upgrade` writes). */
export const LATEST_API_VERSION: ApiVersion = 'v3.1.0';

/** True when `v` is a supported `apiVersion`. */
export function isApiVersion(v: unknown): v is ApiVersion {
  return (SUPPORTED_API_VERSIONS as readonly unknown[]).includes(v);
}

/** The value of a contract-level custom property, if present. */
export function customProperty(owner: { customProperties?: CustomProperty[] } | undefined, name: string): unknown {
  return owner?.customProperties?.find((p) => p.property === name)?.value;
}
