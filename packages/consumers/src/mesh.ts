import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  findProducts,
  isMeshError,
  loadContract,
  loadMeshConfig,
  loadProductManifest,
  loadSource,
  MESH_CONFIG_FILE,
  PRODUCT_MANIFEST_FILE,
  type MeshError,
  type Diagnostic,
  type Loaded,
  type LoadedContract,
  type MeshConfig,
  type ProductManifest,
  type SourceDocument,
} from '@meshkit/contracts';
import { openLocalCatalog, type CatalogBackend } from '@meshkit/catalog';

/** A contract file of a product, loaded on first use. */
export interface ContractFile {
  /** Absolute path. */
  file: string;
  /** The loaded contract, or the error that made it unreadable (a missing file, bad YAML). */
  load(): { loaded: LoadedContract } | { error: MeshError };
}

/** An older major a product still serves (`servedMajors` of product.yaml). */
export interface ServedMajorEntry {
  /** Index in `servedMajors`. */
  index: number;
  major: number;
  contract: ContractFile;
  /** Absolute path of the compatibility SQL. */
  compatibilitySql: string;
}

/** One product of the mesh: its manifest and (lazily) its contracts and package.json. */
export interface MeshProduct {
  /** `<domain>/<product>`. */
  ref: string;
  domain: string;
  product: string;
  /** Absolute path of the product folder. */
  dir: string;
  /** Absolute path of product.yaml. */
  manifestFile: string;
  manifest: Loaded<ProductManifest>;
  /** The current contract (`contract` of product.yaml). */
  contract: ContractFile;
  servedMajors: ServedMajorEntry[];
  /** The product's package.json with its `version`, when the folder has one. */
  packageJson():
    | { file: string; source: SourceDocument; version: unknown; data: Record<string, unknown> }
    | { file: string; error: MeshError }
    | undefined;
}

/** The products of a repository, the catalog, and the manifests that could not be read. */
export interface MeshModel {
  root: string;
  config: MeshConfig;
  catalog: CatalogBackend;
  /** Products by `<domain>/<product>`, sorted. */
  products: Map<string, MeshProduct>;
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

/** A MeshError as a diagnostic at its position (line 1, column 1 when unknown). */
export function errorDiagnostic(file: string, e: MeshError): Diagnostic {
  return {
    rule: e.code,
    severity: 'error',
    message: e.message,
    location: { file: e.file ?? file, line: e.line ?? 1, column: e.column ?? 1 },
  };
}

function contractFile(file: string): ContractFile {
  let cached: { loaded: LoadedContract } | { error: MeshError } | undefined;
  return {
    file,
    load() {
      if (!cached) {
        try {
          cached = { loaded: loadContract(file) };
        } catch (e) {
          if (!isMeshError(e)) throw e;
          cached = { error: e };
        }
      }
      return cached;
    },
  };
}

/** Loads one product folder's manifest; contracts and package.json are read on first use. */
export function loadMeshProduct(domain: string, product: string, dir: string): MeshProduct {
  const manifestFile = join(dir, PRODUCT_MANIFEST_FILE);
  const manifest = loadProductManifest(manifestFile);
  let pkg: ReturnType<MeshProduct['packageJson']> | null = null;
  return {
    ref: `${domain}/${product}`,
    domain,
    product,
    dir,
    manifestFile,
    manifest,
    contract: contractFile(resolve(dir, manifest.value.contract)),
    servedMajors: manifest.value.servedMajors.map((m, index) => ({
      index,
      major: m.major,
      contract: contractFile(resolve(dir, m.contract)),
      compatibilitySql: resolve(dir, m.compatibilitySql),
    })),
    packageJson() {
      if (pkg === null) {
        const file = join(dir, 'package.json');
        if (!existsSync(file)) pkg = undefined;
        else {
          try {
            const source = loadSource(file);
            const data =
              source.data && typeof source.data === 'object' && !Array.isArray(source.data)
                ? (source.data as Record<string, unknown>)
                : {};
            pkg = { file, source, version: data.version, data };
          } catch (e) {
            if (!isMeshError(e)) throw e;
            pkg = { file, error: e };
          }
        }
      }
      return pkg;
    },
  };
}

/**
 * Loads every product manifest of the repository at `root` (`findProducts`). Contracts are read
 * on first use, so an analysis of one producer reads only the contracts it needs.
 * @throws MeshError (exit 2) when mesh.config.yaml is unreadable or invalid.
 */
export function loadMeshModel(root: string, options: LoadMeshOptions = {}): MeshModel {
  const config = options.config ?? loadMeshConfig(join(root, MESH_CONFIG_FILE)).value;
  const products = new Map<string, MeshProduct>();
  const unreadable: Diagnostic[] = [];
  for (const p of findProducts(root)) {
    try {
      const mp = loadMeshProduct(p.domain, p.product, p.dir);
      products.set(mp.ref, mp);
    } catch (e) {
      if (!isMeshError(e)) throw e;
      unreadable.push(errorDiagnostic(join(p.dir, PRODUCT_MANIFEST_FILE), e));
    }
  }
  return { root, config, catalog: options.catalog ?? openLocalCatalog(root, config), products, unreadable };
}
