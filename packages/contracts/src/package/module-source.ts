import { MeshError } from '../errors.js';
import type { OdcsContract, SchemaObject } from '../odcs.js';
import { toJsonSchema, type JsonSchema } from '../compile/json-schema.js';
import { snakeCase } from '../compile/schema-object.js';
import { recordTypeName, toTypeScript } from '../compile/typescript.js';

/** The name of the type alias of the primary object's record type in every contract package. */
export const PRIMARY_RECORD_TYPE = 'ContractRecord';

/** One schema object of a contract as a contract package exports it. */
export interface PackagedObject {
  /** ODCS `name` of the object. */
  name: string;
  /** Its record type (`orders` → `OrdersRecord`); the validator functions are named after it. */
  typeName: string;
  /** JSON Schema 2019-09 of one record. */
  schema: JsonSchema;
}

/** What one entry point (the root, or `…/v<N>`) of a contract package is generated from. */
export interface PackageModule {
  contract: OdcsContract;
  /** Major version of `contract.version`. */
  major: number;
  objects: PackagedObject[];
  /** Index in `objects` of the primary object (the default of `validate`, `schema`, `ContractRecord`). */
  primary: number;
}

/**
 * The primary schema object of a product's contract: the one whose `name` or `physicalName` is the
 * product name (as is, or snake_case: `campaign-performance` → `campaign_performance`), else the
 * first object of the contract.
 */
export function primaryObjectIndex(objects: readonly SchemaObject[], productName: string): number {
  const wanted = new Set([productName, snakeCase(productName)]);
  const i = objects.findIndex(
    (o) => wanted.has(o.name) || (o.physicalName !== undefined && wanted.has(o.physicalName)),
  );
  return i >= 0 ? i : 0;
}

/**
 * Gathers what an entry point exports: a record type and a JSON Schema per schema object.
 * @throws MeshError `INVALID_CONTRACT` (exit 1) when the contract has no schema object or two
 * objects whose names give the same record type.
 */
export function packageModule(contract: OdcsContract, productName: string, file: string): PackageModule {
  const objects = contract.schema ?? [];
  if (objects.length === 0) {
    throw new MeshError(
      'INVALID_CONTRACT',
      'the contract has no schema object: a contract package exports the record of one at least',
      { file, exitCode: 1 },
    );
  }
  const seen = new Map<string, string>();
  const packaged = objects.map((o) => {
    const typeName = recordTypeName(o.name);
    const other = seen.get(typeName);
    if (other !== undefined) {
      throw new MeshError(
        'INVALID_CONTRACT',
        `schema objects '${other}' and '${o.name}' both give the record type ${typeName}: rename one`,
        { file, exitCode: 1 },
      );
    }
    if (typeName === PRIMARY_RECORD_TYPE) {
      throw new MeshError(
        'INVALID_CONTRACT',
        `schema object '${o.name}' gives the record type ${typeName}, the name of the primary record alias: rename it`,
        { file, exitCode: 1 },
      );
    }
    seen.set(typeName, o.name);
    return { name: o.name, typeName, schema: toJsonSchema(contract, { object: o.name, draft: '2019-09' }) };
  });
  const major = Number.parseInt(String(contract.version).split('.')[0] ?? '', 10);
  return { contract, major, objects: packaged, primary: primaryObjectIndex(objects, productName) };
}

const RUNTIME = String.raw`
const decode = (segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~');
const encode = (segment) => segment.replace(/~/g, '~0').replace(/\//g, '~1');

function toErrors(errors) {
  return (errors || []).map((e) => {
    const missing = e.keyword === 'required' && e.params && typeof e.params.missingProperty === 'string' ? e.params.missingProperty : undefined;
    const path = missing === undefined ? e.instancePath : e.instancePath + '/' + encode(missing);
    const segments = path === '' ? [] : path.slice(1).split('/').map(decode);
    const where = segments.length === 0 ? 'record' : segments.join('.');
    const message = where + ': ' + (missing === undefined ? e.message : 'is required');
    return Object.freeze({ path, property: segments[0], keyword: e.keyword, message, params: e.params || {} });
  });
}

/** Thrown by the assert functions: the record and every reason it is invalid. */
export class RecordValidationError extends Error {
  constructor(object, errors) {
    super('invalid ' + object + ' record: ' + errors.map((e) => e.message).join('; '));
    this.name = 'RecordValidationError';
    this.object = object;
    this.errors = errors;
  }
}

function validatorOf(object, check, schema) {
  return Object.freeze({
    object,
    schema,
    validate(record) {
      return check(record) ? { valid: true, record, errors: [] } : { valid: false, errors: toErrors(check.errors) };
    },
    is(record) {
      return check(record) === true;
    },
    assert(record) {
      if (!check(record)) throw new RecordValidationError(object, toErrors(check.errors));
    },
  });
}
`;

/**
 * ESM entry source of one entry point, to be bundled with the standalone validators
 * (`meshkit:validator/v<i>` is object i's ajv standalone validator).
 */
export function entrySource(m: PackageModule): string {
  const lines: string[] = [];
  m.objects.forEach((_, i) => lines.push(`import check${i} from 'meshkit:validator/v${i}';`));
  lines.push(RUNTIME);
  const primary = m.objects[m.primary]!;
  lines.push(`export const contractId = ${JSON.stringify(m.contract.id)};`);
  lines.push(`export const contractVersion = ${JSON.stringify(m.contract.version)};`);
  lines.push(`export const major = ${m.major};`);
  lines.push(`export const primaryObject = ${JSON.stringify(primary.name)};`);
  lines.push(`export const schemas = Object.freeze({`);
  m.objects.forEach((o) => lines.push(`  ${JSON.stringify(o.name)}: ${JSON.stringify(o.schema)},`));
  lines.push(`});`);
  lines.push(`export const schema = schemas[primaryObject];`);
  lines.push(`export const validators = Object.freeze({`);
  m.objects.forEach((o, i) =>
    lines.push(
      `  ${JSON.stringify(o.name)}: validatorOf(${JSON.stringify(o.name)}, check${i}, schemas[${JSON.stringify(o.name)}]),`,
    ),
  );
  lines.push(`});`);
  for (const o of m.objects) {
    const v = `validators[${JSON.stringify(o.name)}]`;
    lines.push(`export const validate${o.typeName} = ${v}.validate;`);
    lines.push(`export const is${o.typeName} = ${v}.is;`);
    lines.push(`export const assert${o.typeName} = ${v}.assert;`);
  }
  lines.push(`export const validate = validate${primary.typeName};`);
  lines.push(`export const isRecord = is${primary.typeName};`);
  lines.push(`export const assertRecord = assert${primary.typeName};`);
  return lines.join('\n') + '\n';
}

/** The header of every generated file of a contract package. */
export function generatedHeader(contract: OdcsContract): string {
  return `// Generated by @meshkit/contracts (mesh contract package) from contract ${contract.id} version ${contract.version}. Do not edit.\n`;
}

/** `index.d.ts` of one entry point: the record types and the declarations of every export. */
export function declarationSource(m: PackageModule): string {
  const primary = m.objects[m.primary]!;
  const types = toTypeScript(m.contract).replace(/^\/\/ Generated[^\n]*\n/, '');
  const key = (name: string): string => JSON.stringify(name);
  return (
    generatedHeader(m.contract) +
    types +
    `
/** The record type of the primary schema object \`${primary.name}\` (what \`validate\` checks). */
export type ${PRIMARY_RECORD_TYPE} = ${primary.typeName};

/** One reason a record is invalid. */
export interface RecordError {
  /** JSON Pointer of the offending value in the record (\`/amount\`; \`''\` for the record itself). */
  readonly path: string;
  /** The top-level property concerned (\`undefined\` when the record itself is wrong, e.g. not an object). */
  readonly property: string | undefined;
  /** The JSON Schema keyword that failed (\`required\`, \`type\`, \`minimum\`, \`enum\`, \`format\`, …). */
  readonly keyword: string;
  /** Human-readable, starting with the property path: \`amount: must be >= 0\`. */
  readonly message: string;
  /** The keyword's parameters (e.g. \`{ limit: 0, comparison: '>=' }\`). */
  readonly params: Readonly<Record<string, unknown>>;
}

/** Result of a \`validate…\` function: the typed record, or every error (ajv \`allErrors\`). */
export type ValidationResult<T> =
  | { readonly valid: true; readonly record: T; readonly errors: readonly [] }
  | { readonly valid: false; readonly errors: readonly RecordError[] };

/** Thrown by the \`assert…\` functions. */
export declare class RecordValidationError extends Error {
  constructor(object: string, errors: readonly RecordError[]);
  /** The schema object the record was checked against. */
  readonly object: string;
  readonly errors: readonly RecordError[];
}

/** A JSON Schema document (2019-09). */
export type JsonSchema = { readonly [key: string]: unknown };

/** The validator of one schema object (precompiled: no schema compilation at run time). */
export interface RecordValidator<T> {
  readonly object: string;
  readonly schema: JsonSchema;
  validate(record: unknown): ValidationResult<T>;
  is(record: unknown): record is T;
  assert(record: unknown): asserts record is T;
}

/** The contract's \`id\`. */
export declare const contractId: ${JSON.stringify(m.contract.id)};
/** The contract's \`version\` (the package version for the current major). */
export declare const contractVersion: ${JSON.stringify(m.contract.version)};
/** Major version of the contract. */
export declare const major: ${m.major};
/** Name of the primary schema object (the default of \`validate\`, \`isRecord\`, \`assertRecord\`, \`schema\`). */
export declare const primaryObject: ${JSON.stringify(primary.name)};
/** JSON Schema of one record, by schema object. */
export declare const schemas: { readonly ${m.objects.map((o) => `${key(o.name)}: JsonSchema`).join('; readonly ')} };
/** JSON Schema of one record of the primary object. */
export declare const schema: JsonSchema;
/** Validators by schema object. */
export declare const validators: { readonly ${m.objects.map((o) => `${key(o.name)}: RecordValidator<${o.typeName}>`).join('; readonly ')} };
${m.objects
  .map(
    (o) => `/** Validates one \`${o.name}\` record. */
export declare function validate${o.typeName}(record: unknown): ValidationResult<${o.typeName}>;
/** Type guard: true when \`record\` is a valid \`${o.name}\` record. */
export declare function is${o.typeName}(record: unknown): record is ${o.typeName};
/** Throws a {@link RecordValidationError} unless \`record\` is a valid \`${o.name}\` record. */
export declare function assert${o.typeName}(record: unknown): asserts record is ${o.typeName};`,
  )
  .join('\n')}
/** Validates one record of the primary object \`${primary.name}\`. */
export declare function validate(record: unknown): ValidationResult<${PRIMARY_RECORD_TYPE}>;
/** Type guard of the primary object \`${primary.name}\`. */
export declare function isRecord(record: unknown): record is ${PRIMARY_RECORD_TYPE};
/** Throws a {@link RecordValidationError} unless \`record\` is a valid \`${primary.name}\` record. */
export declare function assertRecord(record: unknown): asserts record is ${PRIMARY_RECORD_TYPE};
`
  );
}
