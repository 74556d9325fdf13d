import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { MeshError } from '../errors.js';
import type { OdcsContract } from '../odcs.js';
import { loadContract, type LoadedContract } from '../contract/load-contract.js';
import { findProducts, loadProductManifest, type Loaded, type ProductManifest } from '../config/load-config.js';
import { loadServedMajorContracts, type ServedMajorContract } from '../config/served-majors.js';
import type { LintRuleSetting } from '../lint/index.js';
import { formatProductRef, type ProductRef } from './names.js';
import { PRODUCT_MANIFEST_FILE, productDir } from './paths.js';

/**
 * One product of a repository, loaded lazily: nothing is read when it is created; its manifest
 * (product.yaml), contract and served majors are each read and validated on first use and kept.
 * A failed load throws the same {@link MeshError} again on every access.
 */
export class RepositoryProduct implements ProductRef {
  /** `<domain>/<product>`. */
  readonly ref: string;
  /** Absolute path of the product folder. */
  readonly dir: string;
  /** Absolute path of product.yaml. */
  readonly manifestFile: string;
  #manifest?: Loaded<ProductManifest>;
  #contract?: LoadedContract;
  #served?: ServedMajorContract[];

  /**
   * @param root the repository root (paths in errors are shown relative to it)
   * @param domain the domain's name
   * @param product the product's name
   * @param dir the product folder. @default `<root>/domains/<domain>/products/<product>`
   */
  constructor(
    readonly root: string,
    readonly domain: string,
    readonly product: string,
    dir?: string,
  ) {
    this.ref = formatProductRef(this);
    this.dir = dir ?? productDir(root, domain, product);
    this.manifestFile = join(this.dir, PRODUCT_MANIFEST_FILE);
  }

  /** Whether the folder holds a product.yaml. */
  exists(): boolean {
    return existsSync(this.manifestFile);
  }

  /**
   * product.yaml, validated, with its source for positions.
   * @throws MeshError `USAGE` (exit 2) when there is no product.yaml, `INVALID_CONFIG` (exit 2) at
   * file:line:col when it is invalid.
   */
  get loadedManifest(): Loaded<ProductManifest> {
    if (!this.#manifest) {
      if (!this.exists())
        throw new MeshError('USAGE', `no product '${this.ref}': ${this.#shown(this.manifestFile)} does not exist`);
      this.#manifest = loadProductManifest(this.manifestFile);
    }
    return this.#manifest;
  }

  /** The validated manifest (product.yaml with its defaults). @throws as {@link loadedManifest} */
  get manifest(): ProductManifest {
    return this.loadedManifest.value;
  }

  /** What the product consumes (`consumes` of product.yaml). @throws as {@link loadedManifest} */
  get consumes(): ProductManifest['consumes'] {
    return this.manifest.consumes;
  }

  /** Absolute path of the current contract (`contract` of product.yaml). @throws as {@link loadedManifest} */
  get contractFile(): string {
    return join(this.dir, this.manifest.contract);
  }

  /**
   * The current contract as loaded, valid or not (diagnostics named relative to the root).
   * @throws MeshError (exit 2) when the file cannot be read or parsed
   */
  get loadedContract(): LoadedContract {
    this.#contract ??= loadContract(this.contractFile, { name: this.#shown(this.contractFile) });
    return this.#contract;
  }

  /**
   * The current contract, valid ODCS (lint findings are not checked here).
   * @throws MeshError `INVALID_CONTRACT` at the first schema problem (all of them in `details`),
   * and those of {@link loadedContract}.
   */
  get contract(): OdcsContract {
    const loaded = this.loadedContract;
    if (loaded.contract) return loaded.contract;
    const first = loaded.diagnostics[0];
    throw new MeshError(
      'INVALID_CONTRACT',
      `the contract of ${this.ref} is invalid: ${first?.message ?? 'unknown problem'}`,
      {
        file: this.#shown(this.contractFile),
        ...(first ? { line: first.location.line, column: first.location.column } : {}),
        details: loaded.diagnostics,
      },
    );
  }

  /**
   * The older majors the product still serves (`servedMajors` of product.yaml), loaded and
   * checked by `loadServedMajorContracts`, newest first.
   * @param rules lint severities for the frozen contracts (mesh.config.yaml `contracts.lint.rules`);
   * given rules are not cached. @default {}
   */
  servedMajors(rules?: Record<string, LintRuleSetting>): ServedMajorContract[] {
    if (rules) return loadServedMajorContracts(this.root, this.dir, this.manifest, this.contract, { rules });
    this.#served ??= loadServedMajorContracts(this.root, this.dir, this.manifest, this.contract);
    return this.#served;
  }

  #shown(file: string): string {
    return relative(this.root, file) || file;
  }
}

/** The product `<domain>/<product>` of the repository at `root` (not read yet: see {@link RepositoryProduct}). */
export function openProduct(root: string, domain: string, product: string): RepositoryProduct {
  return new RepositoryProduct(root, domain, product);
}

/** Every product folder (holding a product.yaml) of the repository at `root`, sorted by domain then product. */
export function repositoryProducts(root: string): RepositoryProduct[] {
  return findProducts(root).map((p) => new RepositoryProduct(root, p.domain, p.product, p.dir));
}
