import { join } from 'node:path';
import {
  errorDiagnostic,
  isMeshError,
  loadMeshConfig,
  MESH_CONFIG_FILE,
  repositoryProducts,
  type Diagnostic,
  type MeshConfig,
  type RepositoryProduct,
} from '@meshkit/contracts';
import { openLocalCatalog, type CatalogBackend } from '@meshkit/catalog';

/** The products of a repository, the catalog, and the manifests that could not be read. */
export interface MeshModel {
  root: string;
  config: MeshConfig;
  catalog: CatalogBackend;
  /**
   * Products by `<domain>/<product>`, sorted: the repository model's products with a valid
   * product.yaml, naming files by their absolute path (`fileNames: 'absolute'`); contracts and
   * package.json are read on first use without throwing (`readContract`, `servedMajorEntries`,
   * `readPackageJson`).
   */
  products: Map<string, RepositoryProduct>;
  /** product.yaml files that could not be read or are invalid (one diagnostic each, rule = the error code). */
  unreadable: Diagnostic[];
}

/** Options of {@link loadMeshModel}. */
export interface LoadMeshOptions {
  /** @default loaded from `<root>/mesh.config.yaml` */
  config?: MeshConfig;
  /** @default the local catalog of the repository ({@link openLocalCatalog}) */
  catalog?: CatalogBackend;
}

/**
 * Loads every product manifest of the repository at `root` (`repositoryProducts`). Contracts are
 * read on first use, so an analysis of one producer reads only the contracts it needs.
 * @throws MeshError (exit 2) when mesh.config.yaml is unreadable or invalid.
 */
export function loadMeshModel(root: string, options: LoadMeshOptions = {}): MeshModel {
  const config = options.config ?? loadMeshConfig(join(root, MESH_CONFIG_FILE)).value;
  const products = new Map<string, RepositoryProduct>();
  const unreadable: Diagnostic[] = [];
  for (const p of repositoryProducts(root, { fileNames: 'absolute' })) {
    try {
      products.set(p.ref, p.load({ contract: false }));
    } catch (e) {
      if (!isMeshError(e)) throw e;
      unreadable.push(errorDiagnostic(p.manifestFile, e));
    }
  }
  return { root, config, catalog: options.catalog ?? openLocalCatalog(root, config), products, unreadable };
}
