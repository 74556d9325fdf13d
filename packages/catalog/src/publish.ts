import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import semver from 'semver';
import {
  canonicalJson,
  checkVersion,
  compileQuality,
  diffContracts,
  findProducts,
  gitHead,
  lintContract,
  loadContract,
  loadMeshConfig,
  loadProductManifest,
  parseContract,
  productDir,
  PRODUCT_MANIFEST_FILE,
  resolveMode,
  setContractVersion,
  toDqdl,
  toJsonSchema,
  MeshError,
  MESH_CONFIG_FILE,
  type ContractInput,
  type Diagnostic,
  type MeshConfig,
  type OdcsContract,
} from '@meshkit/contracts';
import type { CatalogBackend, PublishOutcome } from './backend.js';
import { LocalCatalog } from './local.js';
import { MANIFEST_FORMAT, RECORD_FORMAT, sameContract, type CatalogRecord } from './record.js';

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
  const dir = productDir(root, domain, name);
  const manifestFile = join(dir, PRODUCT_MANIFEST_FILE);
  if (!existsSync(manifestFile))
    throw new MeshError('USAGE', `no product '${options.product}': ${manifestFile} does not exist`, { exitCode: 2 });
  const manifestLoaded = loadProductManifest(manifestFile);
  const manifest = manifestLoaded.value;
  // Every major a product still serves stays listed: its frozen contract is published too.
  const served: PublishProductResult[] = [];
  if (options.contractFile === undefined) {
    for (const [i, m] of manifest.servedMajors.entries()) {
      const at = manifestLoaded.source.locate(['servedMajors', i, 'major']);
      const r = await publishProduct({
        ...options,
        config,
        contractFile: m.contract,
        servedEntry: { major: m.major, file: at.file, line: at.line, column: at.column },
      });
      served.push(r);
      if (r.outcome === 'blocked') {
        return { ...r, product: options.product, version: r.version, diagnostics: r.diagnostics, servedMajors: served };
      }
    }
  }
  const loaded = loadContract(join(dir, options.contractFile ?? manifest.contract));
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
  let current = loaded as ContractInput;
  const contract = current.contract;
  const objects = (contract.schema ?? []).map((o) => o.name);
  const record: CatalogRecord = {
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
    contractText: loaded.source.text,
    dqdl: Object.fromEntries(objects.map((o) => [o, toDqdl(compileQuality(contract, { object: o }))])),
    jsonSchema: Object.fromEntries(objects.map((o) => [o, toJsonSchema(contract, { object: o })])),
    publishedAt: (options.now ?? new Date()).toISOString(),
    gitCommit: options.gitCommit !== undefined ? options.gitCommit : gitHead(root),
    ...(options.gitDirty ? { gitDirty: true } : {}),
  };
  // One listing answers both "is this version published?" and "what does the gate compare with?"
  // (an existing version's record is read and checked once, by catalog.publish's comparison).
  const published = await catalog.versions(domain, name);
  let existing = published.includes(version);
  // A served major's frozen contract edited after its release (a deprecation window, a new
  // status) is a patch release of that major: published as the next patch version, the frozen
  // file unchanged (published records never change).
  if (entry && existing) {
    const prior = (await catalog.get(domain, name, version))!;
    if (!sameContract(prior, record) && metadataOnly(prior.contract, contract)) {
      const ofMajor = published.filter((v) => semver.major(v) === record.major);
      const latest = ofMajor.at(-1)!;
      const as = (v: string): CatalogRecord => {
        const text = setContractVersion(loaded.source.text, v, loaded.source.file);
        return { ...record, version: v, contractText: text, contract: { ...contract, version: v } };
      };
      const top = latest !== version ? await catalog.get(domain, name, latest) : undefined;
      const target = top && sameContract(top, as(latest)) ? latest : semver.inc(latest, 'patch')!;
      Object.assign(record, as(target));
      current = parseContract(loaded.source.file, record.contractText) as ContractInput;
      result.version = target;
      result.patchOf = version;
      existing = published.includes(target);
    }
  }
  if (!existing) {
    const sameMajor = published.filter((v) => semver.major(v) === record.major && v !== record.version);
    if (sameMajor.length) {
      const mode = resolveMode(current);
      const transitive = mode.endsWith('_TRANSITIVE');
      const baselines = transitive ? sameMajor : sameMajor.slice(-1);
      const olds: ContractInput[] = [];
      for (const v of baselines) {
        const r = await catalog.get(domain, name, v);
        const parsed = parseContract(`catalog:${domain}/${name}@${v}`, r!.contractText);
        if (!parsed.contract)
          throw new MeshError(
            'CATALOG_CORRUPT',
            `published contract ${domain}/${name}@${v} no longer parses: ${parsed.diagnostics[0]?.message ?? ''}`,
            { exitCode: 2 },
          );
        olds.push(parsed as ContractInput);
        sources.set(parsed.source.file, parsed.source.text);
      }
      const gate = checkVersion(olds[olds.length - 1]!, current);
      const findings = [...gate.findings];
      if (transitive && olds.length > 1) {
        const diff = diffContracts(olds, current);
        if (!diff.compatible) {
          findings.push({
            rule: 'CATALOG_INCOMPATIBLE_IN_MAJOR',
            severity: 'error',
            path: 'version',
            location: current.source.locate(['version'], { key: true }),
            message: `${mode}: the changes break compatibility with an earlier published ${record.major}.x version (${baselines.join(', ')}); publish it as a new major`,
          });
        }
      }
      if (findings.length) return { ...result, baselines, diagnostics: [...lint, ...findings], outcome: 'blocked' };
      result.baselines = baselines;
    }
  }
  const outcome = await catalog.publish(record);
  // The product's metadata beside the contract: lineage follows `consumes` without a new contract version.
  let manifestOutcome: PublishOutcome | undefined;
  if (options.contractFile === undefined && catalog.publishManifest) {
    manifestOutcome = await catalog.publishManifest({
      format: MANIFEST_FORMAT,
      domain,
      product: name,
      version,
      owner: record.owner,
      classification: record.classification,
      consumes: manifest.consumes,
      publishedAt: record.publishedAt,
      gitCommit: record.gitCommit,
      ...(options.gitDirty ? { gitDirty: true } : {}),
    });
  }
  return {
    ...result,
    outcome,
    ...(served.length ? { servedMajors: served } : {}),
    ...(manifestOutcome ? { manifest: manifestOutcome } : {}),
  };
}

/** Top-level contract keys that are metadata: changing only these changes no data, column or rule. */
const METADATA_KEYS = new Set([
  'version',
  'status',
  'customProperties',
  'description',
  'tags',
  'contractCreatedTs',
  'authoritativeDefinitions',
  'support',
  'team',
  'price',
  'roles',
]);

/** Whether two contracts differ only in metadata ({@link METADATA_KEYS}): the same schema, quality rules, SLAs and servers. */
export function metadataOnly(a: OdcsContract, b: OdcsContract): boolean {
  const data = (c: OdcsContract) =>
    canonicalJson(Object.fromEntries(Object.entries(c).filter(([k]) => !METADATA_KEYS.has(k))));
  return data(a) === data(b);
}
