import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { isMeshError, type MeshError } from '../errors.js';
import { loadContract, type LoadedContract } from '../contract/load-contract.js';
import { loadSource, type SourceDocument } from '../load/source.js';

/**
 * A contract file read without throwing: the contract as loaded (valid ODCS or not: see
 * `loaded.contract` and `loaded.diagnostics`), or the {@link MeshError} that made the file
 * unreadable (missing, not a file, too large, not YAML).
 */
export type ContractRead = { loaded: LoadedContract } | { error: MeshError };

/** A product's package.json read without throwing: its parsed source, or the error that made it unreadable. */
export type PackageJsonRead =
  | {
      /** Absolute path. */
      file: string;
      source: SourceDocument;
      /** `version` of package.json, as written (may be missing or not a string). */
      version: unknown;
      /** The parsed object (`{}` when package.json is not a JSON object). */
      data: Record<string, unknown>;
    }
  | { file: string; error: MeshError };

/** A contract file of a product (current or frozen) that a tolerant reader (a linter) reads without throwing. */
export interface ProductContractFile {
  /** Absolute path of the contract file. */
  contractFile: string;
  /**
   * The contract, read on first call and kept (the error too): never throws a {@link MeshError}.
   * Diagnostics name the file as the product does (see `RepositoryProductOptions.fileNames`).
   */
  readContract(): ContractRead;
}

/**
 * A reader of one contract file that keeps its first result: `read()` loads `file` (named `name`
 * in diagnostics and errors) once and returns the same {@link ContractRead} afterwards. An error
 * that is not a {@link MeshError} (a bug) is thrown, not kept.
 */
export function contractReader(file: string, name: string): () => ContractRead {
  let read: ContractRead | undefined;
  return () => {
    if (!read) {
      try {
        read = { loaded: loadContract(file, { name }) };
      } catch (e) {
        if (!isMeshError(e)) throw e;
        read = { error: e };
      }
    }
    return read;
  };
}

/**
 * The package.json of the product folder `dir`, read without throwing: undefined when there is
 * none, else its source (named by its absolute path) or the error that made it unreadable.
 */
export function readProductPackageJson(dir: string): PackageJsonRead | undefined {
  const file = join(dir, 'package.json');
  if (!existsSync(file)) return undefined;
  try {
    const source = loadSource(file);
    const data =
      source.data && typeof source.data === 'object' && !Array.isArray(source.data)
        ? (source.data as Record<string, unknown>)
        : {};
    return { file, source, version: data.version, data };
  } catch (e) {
    if (!isMeshError(e)) throw e;
    return { file, error: e };
  }
}
