import { createRequire } from 'node:module';
import { toJsonSchema, type LoadedContract, type OdcsContract } from '@meshkit/contracts';
import { ProducerError } from './errors.js';

/**
 * A precompiled record validator: returns `undefined` when the record is valid, otherwise a
 * human-readable reason (e.g. `/amount must be >= 0`). Must be cheap: it runs on every `send`.
 */
export type RecordValidator = (record: unknown) => string | undefined;

/** Options of {@link compileRecordValidator}. */
export interface RecordValidatorOptions {
  /** Name of the contract's schema object the records belong to. @default the contract's only object */
  object?: string;
  /** How many validation errors the reason lists at most (ajv stops at the first unless > 1). @default 1 */
  maxErrors?: number;
}

interface AjvError {
  instancePath: string;
  message?: string;
  params?: Record<string, unknown>;
}
interface AjvValidate {
  (data: unknown): boolean;
  errors?: AjvError[] | null;
}

const require = createRequire(import.meta.url);

/**
 * Compiles ONE validator for the records of a contract's schema object: {@link toJsonSchema}
 * (draft 2019-09) + Ajv 8 with ajv-formats, compiled once. ajv is loaded lazily so importing
 * `@meshkit/runtime` does not pay for it.
 *
 * @throws ProducerError `INVALID_CONTRACT` when a {@link LoadedContract} failed the ODCS schema,
 *   or the object is unknown.
 */
export function compileRecordValidator(
  contract: OdcsContract | LoadedContract,
  options: RecordValidatorOptions = {},
): RecordValidator {
  const odcs = unwrapContract(contract);
  let schema: Record<string, unknown>;
  try {
    schema = toJsonSchema(odcs, { object: options.object, draft: '2019-09' });
  } catch (err) {
    throw new ProducerError(
      'INVALID_CONTRACT',
      `cannot compile a record validator for contract ${odcs.id}: ${(err as Error).message}`,
      { cause: err },
    );
  }
  const maxErrors = Math.max(1, options.maxErrors ?? 1);
  const Ajv2019 = (require('ajv/dist/2019.js') as { default: new (o: object) => { compile(s: object): AjvValidate } })
    .default;
  const addFormats = (require('ajv-formats') as { default: (ajv: unknown) => void }).default;
  const ajv = new Ajv2019({ allErrors: maxErrors > 1, strict: false, validateSchema: false });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  return (record: unknown) => {
    if (validate(record)) return undefined;
    const errors = validate.errors ?? [];
    if (errors.length === 0) return 'record does not match the contract schema';
    return errors.slice(0, maxErrors).map(formatAjvError).join('; ');
  };
}

function formatAjvError(e: AjvError): string {
  const where = e.instancePath === '' ? 'record' : e.instancePath;
  return `${where} ${e.message ?? 'is invalid'}`;
}

function unwrapContract(contract: OdcsContract | LoadedContract): OdcsContract {
  if ('source' in contract && 'diagnostics' in contract) {
    const loaded = contract as LoadedContract;
    if (!loaded.contract) {
      const first = loaded.diagnostics[0];
      throw new ProducerError(
        'INVALID_CONTRACT',
        `contract ${loaded.source.file} is not a valid ODCS document${first ? `: ${first.message}` : ''}`,
      );
    }
    return loaded.contract;
  }
  return contract;
}
