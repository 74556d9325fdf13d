import { readFileSync } from 'node:fs';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { MeshError } from '../errors.js';
import {
  validateOdcs,
  validateOdcsV300,
  validateOdcsV301,
  validateOdcsV302,
  type StandaloneValidator,
} from '../generated/validators.js';
import { schemaDiagnostics } from '../load/schema-diagnostics.js';
import { loadSource, parseSource, type ParseLimits, type SourceDocument } from '../load/source.js';
import {
  isApiVersion,
  LATEST_API_VERSION,
  SUPPORTED_API_VERSIONS,
  type ApiVersion,
  type OdcsContract,
} from '../odcs.js';
import { readAsLatest } from './v30.js';

/** A contract file after loading: its source, the typed contract when valid, and what is wrong. */
export interface LoadedContract {
  source: SourceDocument;
  /**
   * Present when the document passed the ODCS schema (there may still be lint findings). A
   * v3.0.x contract is given in its v3.1.0 reading (see `readAsLatest`): every consumer (lint,
   * diff, compilers) sees one shape.
   */
  contract: OdcsContract | undefined;
  /**
   * Schema violations (severity error), with positions; empty when `contract` is set, except for
   * the warning `ODCS-API-VERSION` (the document breaks its declared version's schema but is a
   * valid v3.1.0 contract).
   */
  diagnostics: Diagnostic[];
  /** The ODCS version whose official schema judged the document, when its `apiVersion` is supported. */
  schemaVersion?: ApiVersion;
}

const VALIDATORS: Record<ApiVersion, StandaloneValidator> = {
  'v3.1.0': validateOdcs,
  'v3.0.2': validateOdcsV302,
  'v3.0.1': validateOdcsV301,
  'v3.0.0': validateOdcsV300,
};

const schemas = new Map<ApiVersion, unknown>();
/** The official JSON Schema of a version (read on first use: only invalid documents need it). */
function officialSchema(v: ApiVersion): unknown {
  let s = schemas.get(v);
  if (s === undefined) {
    try {
      s = JSON.parse(
        readFileSync(new URL(`../../schemas/odcs-json-schema-${v}.json`, import.meta.url), 'utf8'),
      ) as unknown;
    } catch {
      s = null; // messages are then not collapsed, never wrong
    }
    schemas.set(v, s);
  }
  return s ?? undefined;
}

/**
 * Reads, parses and validates an ODCS v3.0.x / v3.1.0 contract file (YAML or JSON) against the
 * official JSON Schema of its `apiVersion`, precompiled.
 *
 * @throws MeshError (exit 2) when the file cannot be read or parsed, or its `apiVersion` is not
 * supported (`UNSUPPORTED_API_VERSION`); an invalid contract is not thrown but returned with
 * diagnostics.
 */
export function loadContract(file: string, limits?: ParseLimits): LoadedContract {
  return validateContract(loadSource(file, limits));
}

/** Like {@link loadContract} for text already in memory. */
export function parseContract(file: string, text: string, limits?: ParseLimits): LoadedContract {
  return validateContract(parseSource(file, text, limits));
}

/** The one-line message for an `apiVersion` Meshkit does not read. */
export function unsupportedApiVersionMessage(apiVersion: unknown): string {
  const supported = `Meshkit reads ODCS ${SUPPORTED_API_VERSIONS.join(', ')}`;
  if (typeof apiVersion === 'string' && /^v?2(\.|$)/.test(apiVersion.trim())) {
    return `unsupported apiVersion ${JSON.stringify(apiVersion)}: ${supported}; ODCS v2 contracts must be converted to v3 by hand (mesh contract upgrade only upgrades v3.0.x to ${LATEST_API_VERSION})`;
  }
  return `unsupported apiVersion ${JSON.stringify(apiVersion)}: ${supported}`;
}

/**
 * Validates a parsed document as an ODCS contract, against the official schema of its
 * `apiVersion`; every message names that version. A v3.0.x document that breaks its own
 * version's schema but is a valid v3.1.0 contract (the official examples do this) is read as
 * v3.1.0 with the warning `ODCS-API-VERSION`.
 *
 * @throws MeshError `UNSUPPORTED_API_VERSION` (exit 2) for an `apiVersion` that is not supported
 */
export function validateContract(source: SourceDocument): LoadedContract {
  const data = source.data;
  const invalid = (message: string, path: Array<string | number>, key = false): LoadedContract => ({
    source,
    contract: undefined,
    diagnostics: [
      { rule: 'ODCS-SCHEMA', severity: 'error', message, location: source.locate(path, { key }), path: path.join('.') },
    ],
  });
  if (data === null || data === undefined) return invalid('the file is empty: expected an ODCS data contract', []);
  if (typeof data !== 'object' || Array.isArray(data))
    return invalid('expected a mapping (an ODCS data contract) at the top level', []);
  const apiVersion = (data as Record<string, unknown>).apiVersion;
  if (apiVersion === undefined)
    return invalid(`missing required property 'apiVersion' (one of ${SUPPORTED_API_VERSIONS.join(', ')})`, [], false);
  if (!isApiVersion(apiVersion)) {
    const at = source.locate(['apiVersion']);
    throw new MeshError('UNSUPPORTED_API_VERSION', unsupportedApiVersionMessage(apiVersion), {
      file: at.file,
      line: at.line,
      column: at.column,
      exitCode: 2,
    });
  }
  const validate = VALIDATORS[apiVersion];
  if (validate(data))
    return { source, contract: readAsLatest(data as OdcsContract), diagnostics: [], schemaVersion: apiVersion };
  const own = schemaDiagnostics(validate.errors ?? [], source, 'ODCS-SCHEMA', {
    suffix: ` (ODCS ${apiVersion} schema)`,
    schema: officialSchema(apiVersion),
  });
  if (apiVersion !== LATEST_API_VERSION && VALIDATORS[LATEST_API_VERSION](data)) {
    const first = own[0];
    const warning: Diagnostic = {
      rule: 'ODCS-API-VERSION',
      severity: 'warning',
      message:
        `the contract declares apiVersion ${apiVersion} but uses ODCS ${LATEST_API_VERSION} constructs` +
        `${first ? ` (${first.location.line}:${first.location.column} ${first.message.replace(/ \(ODCS v[\d.]+ schema\)$/, '')})` : ''}` +
        `; it is read as ${LATEST_API_VERSION}: set apiVersion: ${LATEST_API_VERSION}`,
      location: source.locate(['apiVersion']),
      path: 'apiVersion',
    };
    return {
      source,
      contract: readAsLatest(data as OdcsContract),
      diagnostics: [warning],
      schemaVersion: LATEST_API_VERSION,
    };
  }
  return { source, contract: undefined, diagnostics: own, schemaVersion: apiVersion };
}
