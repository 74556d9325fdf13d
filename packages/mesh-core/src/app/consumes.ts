import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import semver from 'semver';
import {
  domainManifestFile,
  loadDomainManifest,
  MeshError,
  PRODUCT_MANIFEST_FILE,
  productManifestFile,
  productTableName,
  repositoryProducts,
  type Environment,
} from '@meshkit/contracts';
import type { ConsumedProduct } from '../constructs/product-consumer-grants.js';
import { consumedTable } from '../constructs/product-inputs.js';
import { loadMesh, type MeshModel, type MeshProduct } from './load-mesh.js';

/**
 * Resolves the `consumes` edges of `consumer` to the producers' output tables: for each, the
 * highest version the producer serves (its current contract and every `servedMajors` contract)
 * that satisfies the range; its major names the table `<product>_v<major>` the consumer's job is
 * granted and reads. Producers are taken from `mesh` when loaded, else loaded from the repository.
 *
 * @throws MeshError `INVALID_CONFIG` (exit 2, at product.yaml) when a producer does not exist or
 * serves no version satisfying the range.
 */
export function resolveConsumes(mesh: MeshModel, consumer: MeshProduct): ConsumedProduct[] {
  const manifestFile = relative(mesh.root, join(consumer.dir, PRODUCT_MANIFEST_FILE));
  return consumer.manifest.consumes.map((c) => {
    const [domain = '', name = ''] = c.product.split('/');
    const producer = findProducer(mesh, domain, name);
    const fail = (why: string) =>
      new MeshError(
        'INVALID_CONFIG',
        `${consumer.domain}/${consumer.name} consumes ${c.product} at '${c.version}': ${why}`,
        { file: manifestFile, line: 1, column: 1 },
      );
    if (!producer)
      throw fail(`there is no product ${c.product} in this repository (mesh lint names the unknown products)`);
    if (semver.validRange(c.version) === null) throw fail('not a semver range (e.g. ^1.2.0)');
    const served = servedVersions(producer);
    const best = semver.maxSatisfying(served, c.version);
    if (best === null) throw fail(`${c.product} serves ${served.join(', ') || 'no version'}, none in the range`);
    const major = semver.major(best);
    return {
      ...consumedTable(c, `${consumer.domain}/${consumer.name}`),
      major,
      tableName: productTableName(name, major),
    };
  });
}

function findProducer(mesh: MeshModel, domain: string, product: string): MeshProduct | undefined {
  const loaded = mesh.domains.find((d) => d.name === domain)?.products.find((p) => p.name === product);
  if (loaded) return loaded;
  if (!existsSync(productManifestFile(mesh.root, domain, product))) return undefined;
  return loadMesh(mesh.root, { domain, product }).domains[0]?.products[0];
}

/** The versions a product serves: its current contract's and each `servedMajors` contract's. */
function servedVersions(p: MeshProduct): string[] {
  return [p.contract, ...p.servedMajors.map((m) => m.contract)]
    .map((k) => String(k.version))
    .filter((v) => semver.valid(v) !== null);
}

/** A product consuming another one: who, the producer's table its range resolves to, and the columns. */
export interface ConsumerEdge {
  /** `<domain>/<product>` of the consumer. */
  product: string;
  /** The producer's table the consumer's range resolves to. */
  tableName: string;
  /** The columns consumed. @default every column */
  columns?: string[];
}

/**
 * The products of the repository that consume `producer` (every product.yaml of the repository
 * is read, not only the loaded part of the mesh), with the producer's table each one's range
 * resolves to. Manifests that cannot be read, and ranges the producer does not serve, are left
 * out (`mesh lint` and the consumer's own synth report them).
 */
export function consumersOf(mesh: MeshModel, producer: MeshProduct): ConsumerEdge[] {
  const served = servedVersions(producer);
  const out: ConsumerEdge[] = [];
  for (const { consumer, entry } of declaredConsumers(mesh).get(`${producer.domain}/${producer.name}`) ?? []) {
    if (semver.validRange(entry.version) === null) continue;
    const best = semver.maxSatisfying(served, entry.version);
    if (best === null) continue;
    out.push({
      product: consumer,
      tableName: productTableName(producer.name, semver.major(best)),
      ...(entry.columns ? { columns: [...entry.columns] } : {}),
    });
  }
  return out;
}

type ConsumesEntry = MeshProduct['manifest']['consumes'][number];
const declared = new WeakMap<MeshModel, Map<string, Array<{ consumer: string; entry: ConsumesEntry }>>>();

/**
 * Every `consumes` entry of the repository (all product.yaml files, not only the loaded part of
 * the mesh), by producer: read once per mesh, however many producers ask.
 */
function declaredConsumers(mesh: MeshModel): Map<string, Array<{ consumer: string; entry: ConsumesEntry }>> {
  let index = declared.get(mesh);
  if (index) return index;
  index = new Map();
  for (const product of repositoryProducts(mesh.root)) {
    const loaded = mesh.domains
      .find((d) => d.name === product.domain)
      ?.products.find((p) => p.name === product.product)?.manifest;
    let consumes: ConsumesEntry[];
    try {
      consumes = (loaded ?? product.manifest).consumes;
    } catch {
      continue;
    }
    for (const entry of consumes) {
      const list = index.get(entry.product) ?? [];
      list.push({ consumer: product.ref, entry });
      index.set(entry.product, list);
    }
  }
  declared.set(mesh, index);
  return index;
}

/**
 * The account of each domain in an environment: domain.yaml `accounts[<environment name>]`, or
 * undefined (the environment's account). Without an environment every domain is in one account.
 */
export function domainAccounts(
  mesh: MeshModel,
  environment: Environment | undefined,
  environmentName: string | undefined,
): { of(domain: string): string | undefined } {
  const cache = new Map<string, string | undefined>();
  return {
    of(domain: string) {
      if (!environment || environmentName === undefined) return undefined;
      if (cache.has(domain)) return cache.get(domain);
      const loaded = mesh.domains.find((d) => d.name === domain)?.manifest;
      const file = domainManifestFile(mesh.root, domain);
      const manifest = loaded ?? (existsSync(file) ? loadDomainManifest(file).value : undefined);
      const account = manifest?.accounts[environmentName];
      cache.set(domain, account);
      return account;
    },
  };
}
