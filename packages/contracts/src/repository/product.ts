import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { MeshError } from '../errors.js';
import type { OdcsContract } from '../odcs.js';
import type { LoadedContract } from '../contract/load-contract.js';
import { findProducts, loadProductManifest, type Loaded, type ProductManifest } from '../config/load-config.js';
import {
  loadServedMajorContracts,
  servedMajorFiles,
  type ServedMajorContract,
  type ServedMajorFiles,
} from '../config/served-majors.js';
import type { LintRuleSetting } from '../lint/index.js';
import { formatProductRef, type ProductRef } from './names.js';
import { PRODUCT_MANIFEST_FILE, productDir } from './paths.js';
import {
  contractReader,
  readProductPackageJson,
  type ContractRead,
  type PackageJsonRead,
  type ProductContractFile,
} from './product-files.js';

/** Options of {@link RepositoryProduct}. */
export interface RepositoryProductOptions {
  /**
   * How the product names the contract files it reads in diagnostics and errors (and its missing
   * product.yaml): relative to the root, or by their absolute path (what a linter that makes
   * names relative to its own working directory wants). product.yaml is always named by its
   * absolute path, and the errors of {@link RepositoryProduct.servedMajors} relative to the root.
   * @default 'root-relative'
   */
  fileNames?: 'root-relative' | 'absolute';
}

/**
 * An older major a product serves (an entry of `servedMajors` in product.yaml) for a tolerant
 * reader: its index and files, and its frozen contract read on first use without throwing.
 */
export interface ServedMajorEntry extends ServedMajorFiles, ProductContractFile {
  /** Index of the entry in `servedMajors`. */
  index: number;
}

/**
 * One product of a repository, loaded lazily: nothing is read when it is created; its manifest
 * (product.yaml), contract and served majors are each read and validated on first use and kept.
 * A failed contract read throws the same {@link MeshError} again on every access.
 *
 * The same product serves a tolerant reader (a linter that reports what it cannot read instead of
 * stopping): {@link readContract}, {@link servedMajorEntries}, {@link contractFiles} and
 * {@link readPackageJson} never throw a MeshError for the files they read.
 */
export class RepositoryProduct implements ProductRef, ProductContractFile {
  /** `<domain>/<product>`. */
  readonly ref: string;
  /** Absolute path of the product folder. */
  readonly dir: string;
  /** Absolute path of product.yaml. */
  readonly manifestFile: string;
  readonly #fileNames: NonNullable<RepositoryProductOptions['fileNames']>;
  #manifest?: Loaded<ProductManifest>;
  #readContract?: () => ContractRead;
  #served?: ServedMajorContract[];
  #entries?: ServedMajorEntry[];
  #packageJson?: { read: PackageJsonRead | undefined };

  /**
   * @param root the repository root (paths in errors are shown relative to it)
   * @param domain the domain's name
   * @param product the product's name
   * @param dir the product folder. @default `<root>/domains/<domain>/products/<product>`
   * @param options how files are named. @default {}
   */
  constructor(
    readonly root: string,
    readonly domain: string,
    readonly product: string,
    dir?: string,
    options: RepositoryProductOptions = {},
  ) {
    this.#fileNames = options.fileNames ?? 'root-relative';
    this.ref = formatProductRef(this);
    this.dir = dir ?? productDir(root, domain, product);
    this.manifestFile = join(this.dir, PRODUCT_MANIFEST_FILE);
  }

  /**
   * Reads and checks now what is otherwise read on first use, so a bad product fails here:
   * product.yaml, then the current contract (as {@link contract}: valid ODCS).
   * @param options.contract also the current contract. @default true
   * @returns this product
   * @throws as {@link loadedManifest} and {@link contract}
   */
  load(options: { contract?: boolean } = {}): this {
    this.#loadManifest();
    if (options.contract !== false) this.#validContract();
    return this;
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
    return this.#loadManifest();
  }

  #loadManifest(): Loaded<ProductManifest> {
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
   * The current contract, read on first call and kept, without throwing a MeshError: the
   * contract as loaded (valid or not) or the error that made it unreadable (see {@link ContractRead}).
   * Shares its read with {@link loadedContract} and {@link contract}.
   * @throws as {@link loadedManifest} (the manifest names the contract file)
   */
  readContract(): ContractRead {
    this.#readContract ??= contractReader(this.contractFile, this.#shown(this.contractFile));
    return this.#readContract();
  }

  /**
   * The current contract as loaded, valid or not (diagnostics named as `fileNames` says).
   * @throws MeshError (exit 2) when the file cannot be read or parsed
   */
  get loadedContract(): LoadedContract {
    const read = this.readContract();
    if ('error' in read) throw read.error;
    return read.loaded;
  }

  /**
   * The current contract, valid ODCS (lint findings are not checked here).
   * @throws MeshError `INVALID_CONTRACT` at the first schema problem (all of them in `details`),
   * and those of {@link loadedContract}.
   */
  get contract(): OdcsContract {
    return this.#validContract();
  }

  #validContract(): OdcsContract {
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

  /**
   * The `servedMajors` entries of product.yaml in the order written, for a tolerant reader: files
   * resolved, nothing checked, each frozen contract read on first use without throwing (see
   * {@link servedMajors} for the checked, loaded majors).
   * @throws as {@link loadedManifest}
   */
  get servedMajorEntries(): readonly ServedMajorEntry[] {
    this.#entries ??= servedMajorFiles(this.dir, this.manifest).map((m) => ({
      ...m,
      readContract: contractReader(m.contractFile, this.#shown(m.contractFile)),
    }));
    return this.#entries;
  }

  /** The product's contract files for a tolerant reader: the current one (the product itself), then each served major's. @throws as {@link loadedManifest} */
  get contractFiles(): readonly ProductContractFile[] {
    return [this, ...this.servedMajorEntries];
  }

  /**
   * The product's package.json, read on first call and kept, without throwing a MeshError:
   * undefined when the folder has none, else its source and `version` or the error that made it
   * unreadable (see {@link PackageJsonRead}; named by its absolute path).
   */
  readPackageJson(): PackageJsonRead | undefined {
    this.#packageJson ??= { read: readProductPackageJson(this.dir) };
    return this.#packageJson.read;
  }

  #shown(file: string): string {
    return this.#fileNames === 'absolute' ? file : relative(this.root, file) || file;
  }
}

/**
 * The product `<domain>/<product>` of the repository at `root` (not read yet: see {@link RepositoryProduct}).
 * @param options how files are named. @default {}
 */
export function openProduct(
  root: string,
  domain: string,
  product: string,
  options: RepositoryProductOptions = {},
): RepositoryProduct {
  return new RepositoryProduct(root, domain, product, undefined, options);
}

/**
 * Every product folder (holding a product.yaml) of the repository at `root`, sorted by domain then product.
 * @param options how files are named. @default {}
 */
export function repositoryProducts(root: string, options: RepositoryProductOptions = {}): RepositoryProduct[] {
  return findProducts(root).map((p) => new RepositoryProduct(root, p.domain, p.product, p.dir, options));
}
