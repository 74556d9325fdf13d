/**
 * The inputs of a {@link DataProduct}, read and checked before anything is built: the contract's
 * major, the replication target, the served majors, transform.sql, the consumed products and the
 * names of the output ports. Pure functions (transform.sql and the served majors are read from
 * disk); they throw `MeshError` with the product's label.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import {
  consumedViewName,
  findRepoRoot,
  majorOf as versionMajor,
  MeshError,
  productTableName,
  snakeCase,
  type OdcsContract,
  type LandingFormat,
  type ProductManifest,
} from '@meshkit/contracts';
import type { IDomain } from '../domain/domain.js';
import { loadServedMajorSources, type ServedMajorSource } from '../app/served-majors.js';
import type { DataProductProps } from './data-product.js';
import type { ConsumedProduct } from './product-consumer-grants.js';
import { MAX_TRANSFORM_SQL_BYTES, type ConsumedTable } from './product-glue-job.js';
import { glueDatabaseName } from './naming.js';

/** What the job and the intent of a product are built from, decided by its constructor. */
export interface ProductPlan {
  /** The current major's output port. */
  readonly port: OutputPortNames;
  /** The job's name, `<domain>-<product>-v<major>`. */
  readonly jobName: string;
  /** What lands in the raw zone (product.yaml `ingestion.format`). */
  readonly landingFormat: LandingFormat;
  /** What the job reads: the landing format (batch) or Firehose's Parquet (stream). */
  readonly jobInputFormat: LandingFormat;
  /** Prefix of the job's input in the raw zone. */
  readonly rawPrefix: string;
  /** The raw-zone table of a stream product. */
  readonly rawTableName: string;
  readonly isBatch: boolean;
  /** The products read (resource links resolved). */
  readonly consumes: readonly ConsumedProduct[];
  /** The older majors served side by side. */
  readonly served: readonly ServedMajorSource[];
}

/** The names of one output port: the current major's, or a served older major's. */
export interface OutputPortNames {
  /** Output table `<product>_v<major>`. */
  readonly tableName: string;
  /** DQ ruleset `<domain>-<product>-v<major>-dq`. */
  readonly rulesetName: string;
}

/** The names of the output port of `major`. */
export function outputPortNames(domain: string, product: string, major: number): OutputPortNames {
  return { tableName: productTableName(product, major), rulesetName: `${domain}-${product}-v${major}-dq` };
}

/**
 * The manifest belongs to the domain, and the contract has a schema object to be the output port.
 * @throws MeshError `INVALID_CONFIG` / `INVALID_CONTRACT`
 */
export function assertProductInputs(
  domain: IDomain,
  manifest: ProductManifest,
  contract: OdcsContract,
): asserts contract is OdcsContract & { schema: NonNullable<OdcsContract['schema']> } {
  if (manifest.domain !== domain.domainName) {
    throw new MeshError(
      'INVALID_CONFIG',
      `manifest domain '${manifest.domain}' does not match the domain construct '${domain.domainName}'`,
    );
  }
  if (!contract.schema?.length) {
    throw new MeshError(
      'INVALID_CONTRACT',
      `contract '${contract.id}' has no schema object: the product's output port needs one (schema[0])`,
    );
  }
}

/**
 * Whether the curated zone replicates (a critical product, or a replica bucket given), checked
 * before anything is built: replication needs a region, a bucket and a key (or key alias).
 * @throws MeshError `INVALID_CONFIG` naming what is missing
 */
export function replicationWanted(
  props: Pick<DataProductProps, 'replicaRegion' | 'replicaBucket' | 'replicaKey' | 'replicaKeyAlias'>,
  criticality: NonNullable<ProductManifest['criticality']>,
  label: string,
): boolean {
  const wanted = criticality === 'critical' || props.replicaBucket !== undefined;
  if (!wanted) return false;
  const missing = [
    props.replicaRegion === undefined ? 'replicaRegion (mesh.config.yaml platform.replicaRegion)' : undefined,
    props.replicaBucket === undefined ? 'replicaBucket' : undefined,
    props.replicaKey === undefined && props.replicaKeyAlias === undefined
      ? 'replicaKey (or replicaKeyAlias)'
      : undefined,
  ].filter((m): m is string => m !== undefined);
  if (missing.length) {
    const why =
      criticality === 'critical'
        ? `product ${label} is critical: its curated zone must replicate to another region`
        : `replicaBucket is set for ${label}`;
    throw new MeshError('INVALID_CONFIG', `${why}; missing ${missing.join(', ')}`);
  }
  return true;
}

/**
 * The older majors served side by side: `props.servedMajors`, else loaded from the manifest under
 * `productDir`; each older than `currentMajor` and consistent with its frozen contract.
 * @throws MeshError `INVALID_CONFIG` / `INVALID_CONTRACT`
 */
export function servedMajorsOf(
  props: Pick<DataProductProps, 'servedMajors' | 'productDir' | 'manifest' | 'contract'>,
  currentMajor: number,
  label: string,
): readonly ServedMajorSource[] {
  const { manifest, contract, productDir } = props;
  const served =
    props.servedMajors ??
    (productDir !== undefined && manifest.servedMajors.length
      ? loadServedMajorSources(findRepoRoot(productDir) ?? productDir, productDir, manifest, contract)
      : []);
  for (const m of served) {
    if (m.major >= currentMajor) {
      throw new MeshError(
        'INVALID_CONFIG',
        `${label} serves major ${m.major} side by side, but it is not older than the current major ${currentMajor}`,
      );
    }
    if (majorOf(m.contract) !== m.major) {
      throw new MeshError(
        'INVALID_CONTRACT',
        `${label}: the contract of served major ${m.major} is version ${m.contract.version}`,
      );
    }
  }
  return served;
}

/** transform.sql's text, or undefined when there is none. @throws MeshError `FILE_TOO_LARGE` over {@link MAX_TRANSFORM_SQL_BYTES} */
export function readTransformSql(file: string): string | undefined {
  if (!existsSync(file)) return undefined;
  const size = statSync(file).size;
  if (size > MAX_TRANSFORM_SQL_BYTES) {
    throw new MeshError(
      'FILE_TOO_LARGE',
      `${file} is ${size} bytes: the Glue job receives transform.sql as the --transform-sql argument, at most ${MAX_TRANSFORM_SQL_BYTES} bytes (100 KiB); split the transform into products`,
      { file },
    );
  }
  return readFileSync(file, 'utf8');
}

/**
 * The products the product reads: `props.consumes`, else resolved from the manifest alone
 * ({@link consumedTable}). A producer in another account is read through a resource link in a
 * database of links of this product (Glue 5.0 reads a shared table only through a resource link
 * named like it).
 */
export function consumedProducts(
  props: Pick<DataProductProps, 'consumes' | 'manifest'>,
  domainName: string,
  productName: string,
): ConsumedProduct[] {
  const label = `${domainName}/${productName}`;
  return (props.consumes ?? props.manifest.consumes.map((c) => consumedTable(c, label))).map((c) =>
    c.producerAccount !== undefined && !c.link
      ? {
          ...c,
          link: { databaseName: `${snakeCase(domainName)}_${snakeCase(productName)}_shared`, tableName: c.tableName },
        }
      : c,
  );
}

/** The consumed products as the job reads them: through the resource link for another account's table. */
export function jobConsumedTables(consumes: readonly ConsumedProduct[]): ConsumedTable[] {
  return consumes.map((c) =>
    c.producerAccount !== undefined && c.link
      ? {
          view: c.view,
          databaseName: c.link.databaseName,
          tableName: c.link.tableName,
          target: { catalogId: c.producerAccount, databaseName: c.databaseName, tableName: c.tableName },
        }
      : { view: c.view, databaseName: c.databaseName, tableName: c.tableName },
  );
}

/**
 * A consumed product (`consumes[]` of product.yaml) from the manifest alone: view
 * `<domain>_<product>`, the producer domain's database, table `<product>_v<major>`, the major being
 * the lowest one the version range admits (`^1.2.0` → 1); `buildMeshApp` resolves ranges against
 * what the producer serves instead (`resolveConsumes`).
 * @throws MeshError `INVALID_CONFIG` when the range names no version
 */
export function consumedTable(ref: ProductManifest['consumes'][number], label: string): ConsumedProduct {
  const [domain = '', product = ''] = ref.product.split('/');
  const major = /(\d+)/.exec(ref.version)?.[1];
  if (!domain || !product || major === undefined) {
    throw new MeshError(
      'INVALID_CONFIG',
      `${label} consumes '${ref.product}' at '${ref.version}': expected <domain>/<product> and a version range naming a major version (e.g. ^1.0.0)`,
    );
  }
  return {
    product: ref.product,
    range: ref.version,
    major: Number(major),
    view: consumedViewName({ domain, product }),
    databaseName: glueDatabaseName(domain),
    tableName: productTableName(product, Number(major)),
    ...(ref.columns ? { columns: ref.columns } : {}),
  };
}

/** The major version of a contract's `version` (semver). @throws MeshError `INVALID_CONTRACT` naming `version` */
export function majorOf(contract: OdcsContract): number {
  const major = versionMajor(contract.version);
  if (major === undefined)
    throw new MeshError(
      'INVALID_CONTRACT',
      `contract '${contract.id}' version '${String(contract.version)}' is not a semantic version (MAJOR.MINOR.PATCH)`,
    );
  return major;
}
