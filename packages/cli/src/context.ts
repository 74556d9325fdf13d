import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  DEFAULT_CONTRACT_FILE,
  displayPath,
  errorDiagnostic,
  findRepoRoot,
  loadContract,
  loadMeshConfig,
  MESH_CONFIG_FILE,
  MeshError,
  isMeshError,
  openProduct,
  PRODUCT_REF_PATTERN,
  repositoryProducts,
  type Diagnostic,
  type LoadedContract,
  type MeshConfig,
} from '@meshkit/contracts';
import type { Io } from './io.js';

export { DIAGNOSTIC_FORMATS, type DiagnosticFormat } from './options.js';

/** The repository a command runs in: its root and `mesh.config.yaml`, when there is one. */
export interface RepoContext {
  root: string | undefined;
  config: MeshConfig | undefined;
}

/** Finds the repository root above `cwd` and loads its `mesh.config.yaml`. */
export function repoContext(cwd: string): RepoContext {
  const root = findRepoRoot(cwd);
  return { root, config: root ? loadMeshConfig(join(root, MESH_CONFIG_FILE)).value : undefined };
}

/** Result of reading several contract files. */
export interface ReadContracts {
  loaded: LoadedContract[];
  /** Files that could not be read or parsed. */
  unreadable: Diagnostic[];
}

/** Loads each file; MeshErrors become diagnostics, anything else is a bug and propagates. */
export function readContracts(files: string[], io: Io): ReadContracts {
  const out: ReadContracts = { loaded: [], unreadable: [] };
  for (const f of files) {
    const name = displayPath(f, io.cwd);
    try {
      out.loaded.push(loadContract(resolve(io.cwd, f), { name }));
    } catch (e) {
      if (!isMeshError(e)) throw e;
      out.unreadable.push(errorDiagnostic(name, e));
    }
  }
  return out;
}

/**
 * The current contract file of each product of a repository: the file its product.yaml names
 * (`contract`), or `contract.odcs.yaml` when product.yaml cannot be read (`mesh lint` reports
 * that), the existing ones.
 */
export function productContracts(root: string): string[] {
  return repositoryProducts(root)
    .map((p) => {
      try {
        return p.contractFile;
      } catch (e) {
        if (!isMeshError(e)) throw e;
        return join(p.dir, DEFAULT_CONTRACT_FILE);
      }
    })
    .filter((f) => existsSync(f));
}

/** Resolves `<domain>/<product>` (its product.yaml's `contract`) or a file path to a contract file. */
export function resolveContractArg(arg: string, io: Io): string {
  const m = PRODUCT_REF_PATTERN.exec(arg);
  if (m && !existsSync(resolve(io.cwd, arg))) {
    const root = findRepoRoot(io.cwd);
    if (!root)
      throw new MeshError('USAGE', `'${arg}' names a product, but no ${MESH_CONFIG_FILE} was found above ${io.cwd}`);
    // The contract product.yaml names (an invalid product.yaml is its error, at file:line:col).
    const product = openProduct(root, m[1]!, m[2]!);
    const file = product.exists() ? product.contractFile : join(product.dir, DEFAULT_CONTRACT_FILE);
    if (!existsSync(file))
      throw new MeshError('USAGE', `no product '${arg}': ${displayPath(file, io.cwd)} does not exist`);
    return file;
  }
  return resolve(io.cwd, arg);
}
