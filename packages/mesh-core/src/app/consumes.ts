import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import semver from 'semver';
import { MeshError, productTableName, snakeCase } from '@meshkit/contracts';
import type { ConsumedProduct } from '../constructs/product-consumer-grants.js';
import { glueDatabaseName } from '../constructs/naming.js';
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
  const manifestFile = relative(mesh.root, join(consumer.dir, 'product.yaml'));
  return consumer.manifest.consumes.map((c) => {
    const [domain = '', name = ''] = c.product.split('/');
    const producer = findProducer(mesh, domain, name);
    const fail = (why: string) => new MeshError('INVALID_CONFIG', `${consumer.domain}/${consumer.name} consumes ${c.product} at '${c.version}': ${why}`, { file: manifestFile, line: 1, column: 1 });
    if (!producer) throw fail(`there is no product ${c.product} in this repository (mesh lint names the unknown products)`);
    if (semver.validRange(c.version) === null) throw fail('not a semver range (e.g. ^1.2.0)');
    const served = [producer.contract, ...producer.servedMajors.map((m) => m.contract)]
      .map((k) => String(k.version)).filter((v) => semver.valid(v) !== null);
    const best = semver.maxSatisfying(served, c.version);
    if (best === null) throw fail(`${c.product} serves ${served.join(', ') || 'no version'}, none in the range`);
    const major = semver.major(best);
    return {
      product: c.product, range: c.version, major,
      databaseName: glueDatabaseName(domain), tableName: productTableName(name, major),
      view: `${snakeCase(domain)}_${snakeCase(name)}`,
      ...(c.columns ? { columns: [...c.columns] } : {}),
    };
  });
}

function findProducer(mesh: MeshModel, domain: string, product: string): MeshProduct | undefined {
  const loaded = mesh.domains.find((d) => d.name === domain)?.products.find((p) => p.name === product);
  if (loaded) return loaded;
  if (!existsSync(join(mesh.root, 'domains', domain, 'products', product, 'product.yaml'))) return undefined;
  return loadMesh(mesh.root, { domain, product }).domains[0]?.products[0];
}
