import { GetTableCommand, type GlueClient, type Table } from '@aws-sdk/client-glue';
import { GetResourceLFTagsCommand, type LakeFormationClient } from '@aws-sdk/client-lakeformation';
import semver from 'semver';
import {
  columnClassifications,
  domainDatabaseName,
  MeshError,
  productClassification,
  productTableName,
  toGlueColumns,
  type GlueColumn,
  type OdcsContract,
  type ProductManifest,
} from '@meshkit/contracts';

/** Table parameter the CDK DataProduct writes with the deployed contract version. */
export const CONTRACT_VERSION_PARAMETER = 'meshkit:contract-version';
/** LF-tag key of the table's classification (as the CDK stacks attach it). */
export const CLASSIFICATION_TAG = 'classification';
/** LF-tag key of the table's domain. */
export const DOMAIN_TAG = 'domain';

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
 * parameter, the `classification` / `domain` LF-tags of the table and the `classification` LF-tags
 * of its sensitive columns. Reads only; never writes.
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
    throw new MeshError(
      'CATALOG_AWS',
      `${database}.${table}: GetTable failed: ${(e as Error).name}: ${(e as Error).message}`,
      { exitCode: 2 },
    );
  }
  if (!t) return { ...base, deployed: false, drift: [] };
  const object = options.object ?? contract.schema?.[0]?.name;
  const where = `${database}.${table}`;
  const drift: string[] = [];
  tableDrift(where, t, contract, object, drift);
  const tags = await lfTagsOf(options.lakeFormation, database, table);
  const wantClass = productClassification(options.manifest, contract);
  tagDrift(where, tags.table, { [CLASSIFICATION_TAG]: wantClass, [DOMAIN_TAG]: domain }, drift);
  // Sensitive columns carry their own classification tag (the rule of the CDK stacks).
  const properties = (contract.schema ?? []).find((o) => o.name === object)?.properties ?? [];
  columnTagDrift(where, properties, wantClass, tags.columns, drift);
  return { ...base, deployed: true, drift };
}

/** Columns, partition keys (names, types, order) and the contract-version parameter of the table. */
function tableDrift(where: string, t: Table, contract: OdcsContract, object: string | undefined, drift: string[]) {
  const expected = toGlueColumns(contract, object === undefined ? {} : { object });
  const actualColumns = (t.StorageDescriptor?.Columns ?? []).map((c) => ({
    name: (c.Name ?? '').toLowerCase(),
    type: c.Type,
  }));
  compareColumns(where, 'column', expected.columns, actualColumns, drift);
  const actualKeys = (t.PartitionKeys ?? []).map((c) => ({ name: (c.Name ?? '').toLowerCase(), type: c.Type }));
  const wantKeys = expected.partitionKeys ?? [];
  compareColumns(where, 'partition key', wantKeys, actualKeys, drift);
  const keyNames = (cols: Array<{ name: string }>) => cols.map((c) => c.name).join(', ');
  if (
    keyNames(wantKeys) !== keyNames(actualKeys) &&
    new Set(wantKeys.map((k) => k.name)).size === new Set(actualKeys.map((k) => k.name)).size &&
    wantKeys.every((k) => actualKeys.some((a) => a.name === k.name))
  ) {
    drift.push(
      `${where}: partition keys are in order (${keyNames(actualKeys)}), the contract says (${keyNames(wantKeys)})`,
    );
  }
  const deployedVersion = t.Parameters?.[CONTRACT_VERSION_PARAMETER];
  if (deployedVersion === undefined)
    drift.push(
      `${where}: table parameter ${CONTRACT_VERSION_PARAMETER} is missing (the contract is ${contract.version})`,
    );
  else if (deployedVersion !== String(contract.version))
    drift.push(
      `${where}: table parameter ${CONTRACT_VERSION_PARAMETER} is ${deployedVersion}, the contract is ${contract.version} (deploy the product's stack)`,
    );
}

type LfTagList = Array<{ TagKey?: string; TagValues?: string[] }>;

/** The LF-tags of the table and of its columns (none when Lake Formation does not know the table). */
async function lfTagsOf(
  lakeFormation: LakeFormationClient,
  database: string,
  table: string,
): Promise<{ table: LfTagList; columns: Array<{ Name?: string; LFTags?: LfTagList }> }> {
  try {
    const r = await lakeFormation.send(
      new GetResourceLFTagsCommand({
        Resource: { Table: { DatabaseName: database, Name: table } },
        ShowAssignedLFTags: true,
      }),
    );
    return { table: r.LFTagsOnTable ?? [], columns: r.LFTagsOnColumns ?? [] };
  } catch (e) {
    if ((e as { name?: string }).name !== 'EntityNotFoundException') {
      throw new MeshError(
        'CATALOG_AWS',
        `${database}.${table}: GetResourceLFTags failed: ${(e as Error).name}: ${(e as Error).message}`,
        { exitCode: 2 },
      );
    }
    return { table: [], columns: [] };
  }
}

/** The table's LF-tags against the expected value of each key. */
function tagDrift(where: string, tags: LfTagList, expected: Record<string, string>, drift: string[]): void {
  for (const [key, want] of Object.entries(expected)) {
    const have = tags.find((x) => x.TagKey === key)?.TagValues ?? [];
    if (!have.length) drift.push(`${where}: LF-tag ${key} is missing (expected ${want})`);
    else if (have.join(',') !== want) drift.push(`${where}: LF-tag ${key} is ${have.join(',')}, expected ${want}`);
  }
}

/** The classification LF-tags of the columns against the classification the contract gives them. */
function columnTagDrift(
  where: string,
  properties: Parameters<typeof columnClassifications>[0],
  wantClass: Parameters<typeof columnClassifications>[1],
  columnTags: Array<{ Name?: string; LFTags?: LfTagList }>,
  drift: string[],
): void {
  const wantColumns = new Map(
    Object.entries(columnClassifications(properties, wantClass)).flatMap(([c, cols]) =>
      cols.map((col) => [col.toLowerCase(), c] as const),
    ),
  );
  const haveColumns = new Map(
    columnTags.flatMap((c) => {
      const values = c.LFTags?.find((x) => x.TagKey === CLASSIFICATION_TAG)?.TagValues;
      return c.Name && values?.length ? [[c.Name.toLowerCase(), values.join(',')] as const] : [];
    }),
  );
  for (const [col, want] of wantColumns) {
    const have = haveColumns.get(col);
    if (have === undefined)
      drift.push(`${where}: column ${col}: LF-tag ${CLASSIFICATION_TAG} is missing (expected ${want})`);
    else if (have !== want)
      drift.push(`${where}: column ${col}: LF-tag ${CLASSIFICATION_TAG} is ${have}, expected ${want}`);
  }
  for (const [col, have] of haveColumns) {
    if (!wantColumns.has(col))
      drift.push(
        `${where}: column ${col}: LF-tag ${CLASSIFICATION_TAG} is ${have}, the contract gives the column no classification tag of its own`,
      );
  }
}

function compareColumns(
  where: string,
  what: string,
  want: readonly GlueColumn[],
  have: Array<{ name: string; type?: string }>,
  drift: string[],
): void {
  for (const w of want) {
    const h = have.find((c) => c.name === w.name.toLowerCase());
    if (!h) drift.push(`${where}: ${what} ${w.name} (${w.type}) is missing`);
    else if (normType(h.type) !== normType(w.type))
      drift.push(`${where}: ${what} ${w.name} is ${h.type ?? '?'}, the contract says ${w.type}`);
  }
  for (const h of have) {
    if (!want.some((w) => w.name.toLowerCase() === h.name))
      drift.push(`${where}: ${what} ${h.name} (${h.type ?? '?'}) is not in the contract`);
  }
}
