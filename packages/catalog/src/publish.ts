import { join, resolve } from 'node:path';
import semver from 'semver';
import {
  findProducts,
  gitHead,
  lintContract,
  loadContract,
  loadMeshConfig,
  openProduct,
  parseContract,
  MeshError,
  MESH_CONFIG_FILE,
  type ContractInput,
  type Diagnostic,
  type Loaded,
  type MeshConfig,
  type OdcsContract,
  type ProductManifest,
} from '@meshkit/contracts';
import type { CatalogBackend, PublishOutcome } from './backend.js';
import { LocalCatalog } from './local.js';
import { patchRelease, versionGate } from './publish-gate.js';
import { MANIFEST_FORMAT, RECORD_FORMAT, type CatalogRecord } from './record.js';
import { contractArtifacts } from './record-artifacts.js';

export { metadataOnly } from './publish-gate.js';

/** Default catalog directory, relative to the repository root. */
export const DEFAULT_CATALOG_PATH = '.mesh/catalog';

/** The local catalog directory of a repository: `catalog.path` of mesh.config.yaml, else `<root>/.mesh/catalog`. */
export function catalogDir(root: string, config?: MeshConfig): string {
  const cfg = config ?? loadMeshConfig(join(root, MESH_CONFIG_FILE)).value;
  return resolve(root, cfg.catalog?.path ?? DEFAULT_CATALOG_PATH);
}

/** Opens the local catalog of a repository (see {@link catalogDir}); the catalog knows its `root`. */
export function openLocalCatalog(root: string, config?: MeshConfig): LocalCatalog {
  return new LocalCatalog(catalogDir(root, config), root);
}

/** `<domain>/<product>` of every product folder (with product.yaml) of a repository, sorted. */
export function listProducts(root: string): string[] {
  return findProducts(root).map((p) => `${p.domain}/${p.product}`);
}

/** Options of {@link publishProduct}. */
export interface PublishProductOptions {
  /** Repository root (holds mesh.config.yaml). */
  root: string;
  /** `<domain>/<product>`. */
  product: string;
  catalog: CatalogBackend;
  /** @default loaded from `<root>/mesh.config.yaml` */
  config?: MeshConfig;
  /** Publish time. @default new Date() */
  now?: Date;
  /** Commit to record. @default `git rev-parse HEAD` in `root`, null outside git */
  gitCommit?: string | null;
  /**
   * The working tree had uncommitted changes (`mesh publish --allow-dirty`): recorded as
   * `gitDirty: true` in the records, since `gitCommit` does not hold what was published.
   * @default false
   */
  gitDirty?: boolean;
  /**
   * Publish this contract file (relative to the product folder) instead of the manifest's
   * `contract`: a served major's frozen contract. Served majors are then not visited.
   * @default the manifest's contract, then each served major's
   */
  contractFile?: string;
  /** @internal The served-major entry `contractFile` comes from: its major and where it is in product.yaml. */
  servedEntry?: { major: number; file: string; line: number; column: number };
}

/** Outcome of {@link publishProduct}. */
export interface PublishProductResult {
  product: string;
  version: string;
  /** `blocked`: lint errors or the version gate refused it; nothing was written. */
  outcome: PublishOutcome | 'blocked';
  /** Versions of the same major the gate compared with (ascending); [] for a new major line. */
  baselines: string[];
  /** Lint findings (every severity) and gate findings. */
  diagnostics: Diagnostic[];
  /** Source texts by file, for formatting the diagnostics. */
  sources: Map<string, string>;
  /**
   * The older majors the product still serves (`servedMajors` of product.yaml), each published
   * from its frozen contract with the same gate (against its own major's versions), before the
   * current contract. Any of them blocked blocks the product (nothing more is written).
   */
  servedMajors?: PublishProductResult[];
  /**
   * A served major's frozen contract whose only changes since its release are metadata (status,
   * deprecation window, descriptions): the frozen file's version, published as the patch release
   * {@link version} of that major.
   */
  patchOf?: string;
  /**
   * The product's metadata record (owner, classification, `consumes`) beside the contract
   * records: `published` when it changed (e.g. a consumer moved to another major), `unchanged`.
   * Absent for a served major's contract, a blocked publish or a backend without metadata records.
   */
  manifest?: PublishOutcome;
}

/**
 * Publishes the contract of one product: lint (errors block), the version gate against the
 * latest published version of the same major (every version of that major for `_TRANSITIVE`
 * modes; a new major is not held to the previous one), then {@link CatalogBackend.publish}.
 *
 * @throws MeshError `INVALID_CONFIG`/`USAGE` (exit 2) for a missing or invalid product,
 *   `CATALOG_VERSION_CONFLICT` (exit 1) when the version exists with other content,
 *   `CATALOG_CORRUPT` (exit 2) when a stored record fails its checks.
 */
export async function publishProduct(options: PublishProductOptions): Promise<PublishProductResult> {
  const { root, catalog } = options;
  const config = options.config ?? loadMeshConfig(join(root, MESH_CONFIG_FILE)).value;
  const [domain = '', name = ''] = options.product.split('/');
  // The repository model's product (files named by absolute path): a missing one is USAGE (exit 2).
  const product = openProduct(root, domain, name, { fileNames: 'absolute' });
  const manifestLoaded = product.loadedManifest;
  const manifest = manifestLoaded.value;
  // Every major a product still serves stays listed: its frozen contract is published too.
  const served: PublishProductResult[] = [];
  if (options.contractFile === undefined) {
    const blocked = await publishServedMajors({ ...options, config }, manifestLoaded, served);
    if (blocked) return blocked;
  }
  const loaded =
    options.contractFile === undefined ? product.loadedContract : loadContract(join(product.dir, options.contractFile));
  const sources = new Map([[loaded.source.file, loaded.source.text]]);
  const lint = lintContract(loaded, {
    rules: config.contracts.lint.rules,
    defaultClassification: config.defaults.classification,
  });
  const version = loaded.contract ? String(loaded.contract.version) : '';
  const result: Omit<PublishProductResult, 'outcome'> = {
    product: options.product,
    version,
    baselines: [] as string[],
    diagnostics: lint,
    sources,
  };
  if (!loaded.contract || lint.some((d) => d.severity === 'error')) return { ...result, outcome: 'blocked' };
  checkVersionOf(loaded as ContractInput, options);
  let current = loaded as ContractInput;
  let record = recordOf(current.contract, loaded.source.text, { domain, name, manifest, config, options });
  // One listing answers both "is this version published?" and "what does the gate compare with?"
  // (an existing version's record is read and checked once, by catalog.publish's comparison).
  const published = await catalog.versions(domain, name);
  let existing = published.includes(version);
  const patch =
    options.servedEntry && existing ? await patchRelease(catalog, record, published, loaded.source) : undefined;
  if (patch) {
    record = patch;
    current = parseContract(loaded.source.file, record.contractText) as ContractInput;
    result.version = patch.version;
    result.patchOf = version;
    existing = published.includes(patch.version);
  }
  if (!existing) {
    const gate = await versionGate(catalog, record, current, published, sources);
    if (gate?.findings.length)
      return { ...result, baselines: gate.baselines, diagnostics: [...lint, ...gate.findings], outcome: 'blocked' };
    if (gate) result.baselines = gate.baselines;
  }
  const outcome = await catalog.publish(record);
  const manifestOutcome =
    options.contractFile === undefined ? await publishManifest(catalog, record, version, manifest, options) : undefined;
  return {
    ...result,
    outcome,
    ...(served.length ? { servedMajors: served } : {}),
    ...(manifestOutcome ? { manifest: manifestOutcome } : {}),
  };
}

/** Publishes the frozen contract of each served major; the result of the first one blocked, if any. */
async function publishServedMajors(
  options: PublishProductOptions & { config: MeshConfig },
  manifestLoaded: Loaded<ProductManifest>,
  served: PublishProductResult[],
): Promise<PublishProductResult | undefined> {
  for (const [i, m] of manifestLoaded.value.servedMajors.entries()) {
    const at = manifestLoaded.source.locate(['servedMajors', i, 'major']);
    const r = await publishProduct({
      ...options,
      contractFile: m.contract,
      servedEntry: { major: m.major, file: at.file, line: at.line, column: at.column },
    });
    served.push(r);
    if (r.outcome === 'blocked') {
      return { ...r, product: options.product, version: r.version, diagnostics: r.diagnostics, servedMajors: served };
    }
  }
  return undefined;
}

/**
 * The contract's version is a semantic version, of the served major's line for a served major.
 * @throws MeshError `INVALID_CONTRACT` / `INVALID_CONFIG` (exit 2)
 */
function checkVersionOf(loaded: ContractInput, options: PublishProductOptions): void {
  const version = String(loaded.contract.version);
  if (semver.valid(version) !== version) {
    const at = loaded.source.locate(['version']);
    throw new MeshError(
      'INVALID_CONTRACT',
      `version ${JSON.stringify(version)} is not a semantic version (MAJOR.MINOR.PATCH)`,
      { file: at.file, line: at.line, column: at.column, exitCode: 2 },
    );
  }
  const entry = options.servedEntry;
  if (entry && semver.major(version) !== entry.major) {
    throw new MeshError(
      'INVALID_CONFIG',
      `servedMajors: ${options.contractFile} is version ${version}, not a ${entry.major}.x version (the entry's major)`,
      { file: entry.file, line: entry.line, column: entry.column, exitCode: 2 },
    );
  }
}

/** The record of a contract version of the product. */
function recordOf(
  contract: OdcsContract,
  contractText: string,
  ctx: {
    domain: string;
    name: string;
    manifest: ProductManifest;
    config: MeshConfig;
    options: PublishProductOptions;
  },
): CatalogRecord {
  const { domain, name, manifest, config, options } = ctx;
  const version = String(contract.version);
  return {
    format: RECORD_FORMAT,
    domain,
    product: name,
    version,
    major: semver.major(version),
    id: String(contract.id),
    owner: manifest.owner,
    classification: manifest.classification ?? config.defaults.classification,
    consumes: manifest.consumes,
    contract,
    contractText,
    ...contractArtifacts(contract),
    publishedAt: (options.now ?? new Date()).toISOString(),
    gitCommit: options.gitCommit !== undefined ? options.gitCommit : gitHead(options.root),
    ...(options.gitDirty ? { gitDirty: true } : {}),
  };
}

/** The product's metadata beside the contract: lineage follows `consumes` without a new contract version. */
async function publishManifest(
  catalog: CatalogBackend,
  record: CatalogRecord,
  version: string,
  manifest: ProductManifest,
  options: PublishProductOptions,
): Promise<PublishOutcome | undefined> {
  if (!catalog.publishManifest) return undefined;
  return catalog.publishManifest({
    format: MANIFEST_FORMAT,
    domain: record.domain,
    product: record.product,
    version,
    owner: record.owner,
    classification: record.classification,
    consumes: manifest.consumes,
    publishedAt: record.publishedAt,
    gitCommit: record.gitCommit,
    ...(options.gitDirty ? { gitDirty: true } : {}),
  });
}
