import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { validateOdcs } from '../generated/validators.js';
import { schemaDiagnostics } from '../load/schema-diagnostics.js';
import { loadSource, parseSource, type ParseLimits, type SourceDocument } from '../load/source.js';
import { SUPPORTED_API_VERSIONS, type OdcsContract } from '../odcs.js';

/** A contract file after loading: its source, the typed contract when valid, and what is wrong. */
export interface LoadedContract {
  source: SourceDocument;
  /** Present when the document passed the ODCS schema (there may still be lint findings). */
  contract: OdcsContract | undefined;
  /** Schema violations (severity error), with positions. Empty when `contract` is set. */
  diagnostics: Diagnostic[];
}

/**
 * Reads, parses and validates an ODCS v3.0.x / v3.1.0 contract file (YAML or JSON) against the
 * official JSON Schema, precompiled.
 *
 * @throws MeshError (exit 2) when the file cannot be read or parsed; an invalid contract is not
 * thrown but returned with diagnostics.
 */
export function loadContract(file: string, limits?: ParseLimits): LoadedContract {
  return validateContract(loadSource(file, limits));
}

/** Like {@link loadContract} for text already in memory. */
export function parseContract(file: string, text: string, limits?: ParseLimits): LoadedContract {
  return validateContract(parseSource(file, text, limits));
}

/** Validates a parsed document as an ODCS contract. */
export function validateContract(source: SourceDocument): LoadedContract {
  const data = source.data;
  const invalid = (message: string, path: Array<string | number>, key = false): LoadedContract => ({
    source, contract: undefined,
    diagnostics: [{ rule: 'ODCS-SCHEMA', severity: 'error', message, location: source.locate(path, { key }), path: path.join('.') }],
  });
  if (data === null || data === undefined) return invalid('the file is empty: expected an ODCS data contract', []);
  if (typeof data !== 'object' || Array.isArray(data)) return invalid('expected a mapping (an ODCS data contract) at the top level', []);
  const apiVersion = (data as Record<string, unknown>).apiVersion;
  if (apiVersion === undefined) return invalid(`missing required property 'apiVersion' (one of ${SUPPORTED_API_VERSIONS.join(', ')})`, [], false);
  if (!(SUPPORTED_API_VERSIONS as readonly unknown[]).includes(apiVersion)) {
    return invalid(`unsupported apiVersion ${JSON.stringify(apiVersion)}: Meshkit reads ODCS ${SUPPORTED_API_VERSIONS.join(', ')}`, ['apiVersion']);
  }
  if (validateOdcs(data)) return { source, contract: data as OdcsContract, diagnostics: [] };
  return { source, contract: undefined, diagnostics: schemaDiagnostics(validateOdcs.errors ?? [], source) };
}
