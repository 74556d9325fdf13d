import { GetTableCommand, type GlueClient } from '@aws-sdk/client-glue';
import { GetResourceLFTagsCommand, type LakeFormationClient } from '@aws-sdk/client-lakeformation';
import semver from 'semver';
import {
  MeshError, snakeCase, toGlueColumns, type Classification, type GlueColumn, type OdcsContract, type ProductManifest,
} from '@meshkit/contracts';

/** Table parameter the CDK DataProduct writes with the deployed contract version. */
export const CONTRACT_VERSION_PARAMETER = 'meshkit:contract-version';
/** LF-tag key of the table's classification (as the CDK stacks attach it). */
export const CLASSIFICATION_TAG = 'classification';
/** LF-tag key of the table's domain. */
export const DOMAIN_TAG = 'domain';

const LEVELS: readonly Classification[] = ['public', 'internal', 'confidential', 'restricted'];

/**
 * Glue database of a domain: the domain in snake_case (`order-mgmt` → `order_mgmt`) — the rule of
 * `glueDatabaseName` in @meshkit/core's naming helpers.
 */
export function domainDatabaseName(domain: string): string {
  return domain.replace(/-/g, '_');
}

/** Glue table of a product major: `<product in snake_case>_v<major>` — the rule of the CDK DataProduct. */
export function productTableName(product: string, major: number): string {
  return `${snakeCase(product)}_v${major}`;
}

/**
 * The classification the CDK stacks tag a product's table with: product.yaml `classification`,
 * else the most sensitive one found on the contract's schema objects and properties, else
 * `internal` — the rule of `productClassification` in @meshkit/core.
 */
export function deployedClassification(manifest: Pick<ProductManifest, 'classification'>, contract: OdcsContract): Classification {
  if (manifest.classification !== undefined) return manifest.classification;
  let found = -1;
  const visit = (node: { classification?: unknown; properties?: unknown; items?: unknown }): void => {
    const c = typeof node.classification === 'string' ? LEVELS.indexOf(node.classification.trim().toLowerCase() as Classification) : -1;
    if (c > found) found = c;
    if (Array.isArray(node.properties)) for (const p of node.properties) visit(p as typeof node);
    if (node.items !== null && typeof node.items === 'object') visit(node.items as typeof node);
  };
  for (const o of contract.schema ?? []) visit(o as typeof o & { classification?: unknown });
  return found >= 0 ? LEVELS[found]! : 'internal';
}

/** Drift of the deployed table of one product major from its contract. */
export interface DriftReport {
  domain: string;
  product: string;
  major: number;
  database: string;
  table: string;
  /** False when the database or the table does not exist (not an error: not deployed yet). */
  deployed: boolean;
  /** One line per difference; [] when the table matches the contract. */
  drift: string[];
}

/** Options of {@link driftReport}. */
export interface DriftOptions {
  glue: GlueClient;
  lakeFormation: LakeFormationClient;
  domain: string;
  product: string;
  /** The contract the table should match. */
  contract: OdcsContract;
  /** product.yaml (its classification decides the expected tag). */
  manifest: Pick<ProductManifest, 'classification'>;
  /** Schema object of the output port. @default the contract's first schema object */
  object?: string;
}

const normType = (t: string | undefined) => (t ?? '').replace(/\s+/g, '').toLowerCase();

/**
 * Reads the deployed Glue table `<product>_v<major>` in the domain's database (`GetTable`) and its
 * LF-tags (`GetResourceLFTags`) and lists how they differ from the contract: columns (missing,
 * unexpected, type), partition keys (names, types, order), the `meshkit:contract-version` table
 * parameter, and the `classification` / `domain` LF-tags. Reads only; never writes.
 * @throws MeshError `CATALOG_AWS` (exit 2) for an API error other than a missing table/database.
 */
export async function driftReport(options: DriftOptions): Promise<DriftReport> {
  const { domain, product, contract } = options;
  const major = semver.major(semver.coerce(String(contract.version)) ?? '0.0.0');
  const database = domainDatabaseName(domain);
  const table = productTableName(product, major);
  const base = { domain, product, major, database, table };
  let t;
  try {
    t = (await options.glue.send(new GetTableCommand({ DatabaseName: database, Name: table }))).Table;
  } catch (e) {
    if ((e as { name?: string }).name === 'EntityNotFoundException') return { ...base, deployed: false, drift: [] };
    throw new MeshError('CATALOG_AWS', `${database}.${table}: GetTable failed: ${(e as Error).name}: ${(e as Error).message}`, { exitCode: 2 });
  }
  if (!t) return { ...base, deployed: false, drift: [] };
  const object = options.object ?? contract.schema?.[0]?.name;
  const expected = toGlueColumns(contract, object === undefined ? {} : { object });
  const drift: string[] = [];
  const where = `${database}.${table}`;
  const actualColumns = (t.StorageDescriptor?.Columns ?? []).map((c) => ({ name: (c.Name ?? '').toLowerCase(), type: c.Type }));
  compareColumns(where, 'column', expected.columns, actualColumns, drift);
  const actualKeys = (t.PartitionKeys ?? []).map((c) => ({ name: (c.Name ?? '').toLowerCase(), type: c.Type }));
  const wantKeys = expected.partitionKeys ?? [];
  compareColumns(where, 'partition key', wantKeys, actualKeys, drift);
  const keyNames = (cols: Array<{ name: string }>) => cols.map((c) => c.name).join(', ');
  if (keyNames(wantKeys) !== keyNames(actualKeys) && new Set(wantKeys.map((k) => k.name)).size === new Set(actualKeys.map((k) => k.name)).size
    && wantKeys.every((k) => actualKeys.some((a) => a.name === k.name))) {
    drift.push(`${where}: partition keys are in order (${keyNames(actualKeys)}), the contract says (${keyNames(wantKeys)})`);
  }
  const deployedVersion = t.Parameters?.[CONTRACT_VERSION_PARAMETER];
  if (deployedVersion === undefined) drift.push(`${where}: table parameter ${CONTRACT_VERSION_PARAMETER} is missing (the contract is ${contract.version})`);
  else if (deployedVersion !== String(contract.version)) drift.push(`${where}: table parameter ${CONTRACT_VERSION_PARAMETER} is ${deployedVersion}, the contract is ${contract.version} (deploy the product's stack)`);

  let tags: Array<{ TagKey?: string; TagValues?: string[] }> = [];
  try {
    const r = await options.lakeFormation.send(new GetResourceLFTagsCommand({ Resource: { Table: { DatabaseName: database, Name: table } } }));
    tags = r.LFTagsOnTable ?? [];
  } catch (e) {
    if ((e as { name?: string }).name !== 'EntityNotFoundException') {
      throw new MeshError('CATALOG_AWS', `${where}: GetResourceLFTags failed: ${(e as Error).name}: ${(e as Error).message}`, { exitCode: 2 });
    }
  }
  const tag = (key: string) => tags.find((x) => x.TagKey === key)?.TagValues ?? [];
  const wantClass = deployedClassification(options.manifest, contract);
  const haveClass = tag(CLASSIFICATION_TAG);
  if (!haveClass.length) drift.push(`${where}: LF-tag ${CLASSIFICATION_TAG} is missing (expected ${wantClass})`);
  else if (haveClass.join(',') !== wantClass) drift.push(`${where}: LF-tag ${CLASSIFICATION_TAG} is ${haveClass.join(',')}, expected ${wantClass}`);
  const haveDomain = tag(DOMAIN_TAG);
  if (!haveDomain.length) drift.push(`${where}: LF-tag ${DOMAIN_TAG} is missing (expected ${domain})`);
  else if (haveDomain.join(',') !== domain) drift.push(`${where}: LF-tag ${DOMAIN_TAG} is ${haveDomain.join(',')}, expected ${domain}`);
  return { ...base, deployed: true, drift };
}

function compareColumns(where: string, what: string, want: readonly GlueColumn[], have: Array<{ name: string; type?: string }>, drift: string[]): void {
  for (const w of want) {
    const h = have.find((c) => c.name === w.name.toLowerCase());
    if (!h) drift.push(`${where}: ${what} ${w.name} (${w.type}) is missing`);
    else if (normType(h.type) !== normType(w.type)) drift.push(`${where}: ${what} ${w.name} is ${h.type ?? '?'}, the contract says ${w.type}`);
  }
  for (const h of have) {
    if (!want.some((w) => w.name.toLowerCase() === h.name)) drift.push(`${where}: ${what} ${h.name} (${h.type ?? '?'}) is not in the contract`);
  }
}
