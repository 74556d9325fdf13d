import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  checkDomainTags,
  checkProductTags,
  DEFAULT_TAG_REQUIREMENTS,
  type TagFinding,
  type Loaded,
  loadDomainManifest,
  loadMeshConfig,
  lintContract,
  MeshError,
  domainDir,
  domainManifestFile,
  domainsDir,
  MESH_CONFIG_FILE,
  RepositoryProduct,
  productDir,
  productManifestFile,
  productsDir,
  type DomainManifest,
  type MeshConfig,
  type OdcsContract,
  type ProductManifest,
} from '@meshkit/contracts';
import { loadServedMajorSources, type ServedMajorSource } from './served-majors.js';

/** One data product of the mesh, loaded and validated. */
export interface MeshProduct {
  domain: string;
  name: string;
  /** Absolute path of the product folder. */
  dir: string;
  manifest: ProductManifest;
  contract: OdcsContract;
  contractFile: string;
  /** Older majors served side by side (`servedMajors` of product.yaml), newest first. @default [] */
  servedMajors: ServedMajorSource[];
}

/** One domain of the mesh and its products. */
export interface MeshDomain {
  name: string;
  dir: string;
  manifest: DomainManifest;
  products: MeshProduct[];
}

/** The mesh of a repository: configuration, domains and products, all validated. */
export interface MeshModel {
  root: string;
  config: MeshConfig;
  domains: MeshDomain[];
}

/** Which part of the mesh to load: a domain, or one product of it. @default the whole mesh */
export interface MeshSelection {
  domain?: string;
  product?: string;
}

/** Options of {@link loadMesh}. */
export interface LoadMeshOptions {
  /** Clock of the manifest tag checks (a mandatory tag with a later `enforceFrom` is not an error yet). @default new Date() */
  now?: Date;
}

/**
 * Refuses a manifest whose tags break the mandatory tags of `mesh.config.yaml` (`policy.tags`)
 * at error level — before any synth — at the manifest's line and column.
 */
function refuseTagErrors(root: string, loaded: Loaded<unknown>, findings: readonly TagFinding[]): void {
  const first = findings.find((f) => f.level === 'error');
  if (!first) return;
  const at = loaded.source.locate(first.path, { key: first.key });
  const more = findings.filter((f) => f.level === 'error').length - 1;
  throw new MeshError(
    'INVALID_CONFIG',
    `${first.rule}: ${first.message}${more > 0 ? ` (and ${more} more: run mesh lint)` : ''}`,
    {
      file: relative(root, loaded.source.file),
      line: at.line,
      column: at.column,
      exitCode: 2,
    },
  );
}

const dirs = (d: string): string[] =>
  existsSync(d)
    ? readdirSync(d)
        .filter((n) => !n.startsWith('.') && statSync(join(d, n)).isDirectory())
        .sort()
    : [];

/**
 * Loads `mesh.config.yaml`, every `domains/<d>/domain.yaml` and every product's `product.yaml`
 * and contract under `root` (restricted to `select`). A product whose contract does not pass the
 * ODCS schema and the lint rules at error level is refused, and so is a product whose served
 * majors (`servedMajors`) are inconsistent (see `loadServedMajorSources`).
 *
 * @throws MeshError: INVALID_CONFIG (exit 2) for a bad manifest, INVALID_CONTRACT (exit 1, with
 * the contract's diagnostics in `details`), USAGE (exit 2) for an unknown domain or product.
 */
export function loadMesh(root: string, select: MeshSelection = {}, options: LoadMeshOptions = {}): MeshModel {
  const config = loadMeshConfig(join(root, MESH_CONFIG_FILE)).value;
  const now = options.now ?? new Date();
  const tagReqs = config.policy.tags ?? DEFAULT_TAG_REQUIREMENTS;
  const domainNames = dirs(domainsDir(root)).filter((d) => existsSync(domainManifestFile(root, d)));
  if (select.domain && !domainNames.includes(select.domain)) {
    throw new MeshError('USAGE', `no domain '${select.domain}' (domains: ${domainNames.join(', ') || 'none'})`);
  }
  const domains: MeshDomain[] = [];
  for (const name of domainNames) {
    if (select.domain && name !== select.domain) continue;
    const dir = domainDir(root, name);
    const file = domainManifestFile(root, name);
    const loadedDomain = loadDomainManifest(file);
    const manifest = loadedDomain.value;
    if (manifest.name !== name) {
      throw new MeshError(
        'INVALID_CONFIG',
        `domain.yaml names domain '${manifest.name}' but lives in domains/${name}`,
        { file: relative(root, file), line: 1, column: 1 },
      );
    }
    refuseTagErrors(root, loadedDomain, checkDomainTags(tagReqs, manifest, now));
    const productNames = dirs(productsDir(root, name)).filter((p) => existsSync(productManifestFile(root, name, p)));
    if (select.product && !productNames.includes(select.product)) {
      throw new MeshError(
        'USAGE',
        `no product '${name}/${select.product}' (products of ${name}: ${productNames.join(', ') || 'none'})`,
      );
    }
    const products = productNames
      .filter((p) => !select.product || p === select.product)
      .map((p) =>
        loadProduct(root, config, name, productDir(root, name, p), (loaded) =>
          refuseTagErrors(root, loaded, checkProductTags(tagReqs, manifest, loaded.value, now)),
        ),
      );
    domains.push({ name, dir, manifest, products });
  }
  return { root, config, domains };
}

function loadProduct(
  root: string,
  config: MeshConfig,
  domain: string,
  dir: string,
  checkTags: (loaded: Loaded<ProductManifest>) => void,
): MeshProduct {
  const folder = dir.split(/[\\/]/).pop() ?? '';
  const product = new RepositoryProduct(root, domain, folder, dir);
  const { manifestFile, loadedManifest } = product;
  const manifest = loadedManifest.value;
  const at = (m: string) =>
    new MeshError('INVALID_CONFIG', m, { file: relative(root, manifestFile), line: 1, column: 1 });
  if (manifest.domain !== domain)
    throw at(`product.yaml names domain '${manifest.domain}' but lives in domains/${domain}`);
  if (manifest.name !== folder)
    throw at(`product.yaml names product '${manifest.name}' but lives in products/${folder}`);
  checkTags(loadedManifest);
  const { contractFile, loadedContract: loaded } = product;
  const shown = relative(root, contractFile);
  const problems = loaded.contract
    ? lintContract(loaded, { rules: config.contracts.lint.rules }).filter((d) => d.severity === 'error')
    : loaded.diagnostics;
  if (!loaded.contract || problems.length) {
    throw new MeshError(
      'INVALID_CONTRACT',
      `the contract of ${domain}/${manifest.name} is invalid: ${problems.length} error(s); fix them before synth`,
      {
        file: shown,
        exitCode: 1,
        details: problems,
      },
    );
  }
  const servedMajors = loadServedMajorSources(root, dir, manifest, loaded.contract, config);
  return { domain, name: manifest.name, dir, manifest, contract: loaded.contract, contractFile, servedMajors };
}
