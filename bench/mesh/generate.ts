/**
 * The benchmark mesh, shared by bench/synth and bench/verify: `domains` domains × 4 products —
 * product-0 batch (restricted), product-1 batch, product-2 and product-3 stream — on the example
 * mesh's contracts (sales/orders for batch, sales/clickstream for stream) and its
 * mesh.config.yaml. Built in memory for `buildMeshApp` ({@link generatedMesh}) or written as a
 * real repository for `mesh synth` / `mesh verify` ({@link writeGeneratedMesh}).
 *
 * With `consumes`, every domain but the first reads the previous one, three edges per domain:
 * product-1 ← product-1 (whole table), product-2 ← product-2 (columns), product-3 ← product-0
 * (the restricted producer, only its unrestricted columns). bench/synth builds without them.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import {
  domainDir,
  domainManifestFile,
  loadContract,
  loadMeshConfig,
  PRODUCT_MANIFEST_FILE,
  productDir,
  type DomainManifest,
  type ProductManifest,
} from '@meshkit/contracts';
import type { MeshModel } from '@meshkit/core';

const example = fileURLToPath(new URL('../../', import.meta.url));
/** The example mesh's product each mode's products are made of. */
const source = {
  batch: join(example, 'domains/sales/products/orders'),
  stream: join(example, 'domains/sales/products/clickstream'),
} as const;
const MODES = ['batch', 'batch', 'stream', 'stream'] as const;

export interface GenerateOptions {
  /** Add the `consumes` edges between neighbouring domains. @default false */
  consumes?: boolean;
}

interface GeneratedDomain {
  manifest: DomainManifest;
  products: Array<{ mode: 'batch' | 'stream'; manifest: ProductManifest }>;
}

/** The manifests of the generated mesh (domain.yaml and product.yaml of each domain and product). */
export function generatedManifests(domains: number, options: GenerateOptions = {}): GeneratedDomain[] {
  return Array.from({ length: domains }, (_, d) => {
    const domain = `domain-${d}`;
    const previous = `domain-${d - 1}`;
    const edges: Array<ProductManifest['consumes']> =
      options.consumes && d > 0
        ? [
            [],
            [{ product: `${previous}/product-1`, version: '^1.0.0' }],
            [{ product: `${previous}/product-2`, version: '^1.0.0', columns: ['event_id', 'event_type'] }],
            [{ product: `${previous}/product-0`, version: '^1.0.0', columns: ['order_id', 'amount', 'order_date'] }],
          ]
        : [[], [], [], []];
    const products = MODES.map((mode, p) => {
      const manifest: ProductManifest = {
        domain,
        name: `product-${p}`,
        owner: `team-${d}`,
        contract: 'contract.odcs.yaml',
        consumes: edges[p]!,
        servedMajors: [],
        environments: [],
        ingestion:
          mode === 'batch' ? { mode, format: 'csv' } : { mode, format: 'jsonl', schedule: 'rate(1 hour)', shards: 1 },
        classification: p === 0 ? 'restricted' : 'internal',
        retentionDays: 365,
        criticality: 'medium',
      };
      return { mode, manifest };
    });
    const manifest: DomainManifest = {
      name: domain,
      owner: `team-${d}`,
      costCenter: `cc-${d}`,
      environments: [],
      athenaBytesScannedCutoff: 100 * 1024 ** 3,
    };
    return { manifest, products };
  });
}

/** The generated mesh in memory (every product's folder is the example mesh's sales/orders). */
export function generatedMesh(domains: number, options: GenerateOptions = {}): MeshModel {
  const contracts = {
    batch: loadContract(join(source.batch, 'contract.odcs.yaml')).contract!,
    stream: loadContract(join(source.stream, 'contract.odcs.yaml')).contract!,
  };
  return {
    root: example,
    config: loadMeshConfig(join(example, 'mesh.config.yaml')).value,
    domains: generatedManifests(domains, options).map(({ manifest, products }) => ({
      name: manifest.name,
      dir: example,
      manifest,
      products: products.map(({ mode, manifest: m }) => ({
        domain: m.domain,
        name: m.name,
        dir: source.batch,
        manifest: m,
        contract: contracts[mode],
        contractFile: 'contract.odcs.yaml',
        servedMajors: [],
      })),
    })),
  };
}

/**
 * Writes the generated mesh as a repository under `root`: mesh.config.yaml (the example mesh's),
 * `domains/<d>/domain.yaml` and `domains/<d>/products/<p>/{product.yaml,contract.odcs.yaml,transform.sql}`
 * (contract and transform copied from the example mesh's product of the same mode).
 */
export function writeGeneratedMesh(root: string, domains: number, options: GenerateOptions = {}): void {
  copyFileSync(join(example, 'mesh.config.yaml'), join(root, 'mesh.config.yaml'));
  for (const { manifest, products } of generatedManifests(domains, options)) {
    mkdirSync(domainDir(root, manifest.name), { recursive: true });
    const { environments: _e, athenaBytesScannedCutoff: _a, ...domainYaml } = manifest;
    writeFileSync(domainManifestFile(root, manifest.name), stringify(domainYaml));
    for (const { mode, manifest: m } of products) {
      const dir = productDir(root, manifest.name, m.name);
      mkdirSync(dir, { recursive: true });
      const { consumes, servedMajors: _s, environments: _v, contract: _c, ...rest } = m;
      writeFileSync(join(dir, PRODUCT_MANIFEST_FILE), stringify({ ...rest, ...(consumes.length ? { consumes } : {}) }));
      for (const f of ['contract.odcs.yaml', 'transform.sql']) copyFileSync(join(source[mode], f), join(dir, f));
    }
  }
}
