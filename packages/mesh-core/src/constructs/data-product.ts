import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type Duration, RemovalPolicy, Stack, type aws_kms as kms, type aws_s3 as s3 } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import {
  DEFAULT_STREAM_SCHEDULE,
  landingFormatOf,
  majorOf as versionMajor,
  MeshError,
  PRODUCT_INTENT_METADATA_KEY,
  columnClassifications,
  consumedViewName,
  findRepoRoot,
  compileQuality,
  moreSensitive,
  productClassification,
  productTableName,
  selectObject,
  snakeCase,
  toCheckPlan,
  toDqdl,
  toGlueColumns,
  type Classification,
  type OdcsContract,
  type ProductIntent,
  type ProductManifest,
} from '@meshkit/contracts';
import type { IDomain } from '../domain/domain.js';
import { freshnessWindow, ProductAlarms } from './product-alarms.js';
import { ProductBatchIngestion } from './product-batch-ingestion.js';
import { ProductConsumerGrants, type ConsumedProduct } from './product-consumer-grants.js';
import { ProductCrossAccountShares, type CrossAccountConsumer } from './product-cross-account-shares.js';
import { ProductDataLocation } from './product-data-location.js';
import { MAX_TRANSFORM_SQL_BYTES, ProductGlueJob } from './product-glue-job.js';
import { ProductScheduleTrigger } from './product-schedule-trigger.js';
import { ProductLakeFormation, type ProductTablePermission } from './product-lake-formation.js';
import { ProductQualityRuleset } from './product-quality-ruleset.js';
import { ProductReplication } from './product-replication.js';
import { ProductServedMajor } from './product-served-major.js';
import { loadServedMajorSources, type ServedMajorSource } from '../app/served-majors.js';
import { ProductStreamIngestion } from './product-stream-ingestion.js';
import { ProductTable } from './product-table.js';
import { ProductZoneBucket } from './product-zone-bucket.js';
import { glueDatabaseName, productBucketName } from './naming.js';
import { PRODUCT_METADATA_KEY } from '../policy/rules/dr/critical-replication.js';

/**
 * Value of the `meshkit:product` metadata entry ({@link PRODUCT_METADATA_KEY}, owned by the
 * policy pack's DR rule) on the curated bucket's CloudFormation resource.
 */
export interface ProductMetadata {
  readonly domain: string;
  readonly product: string;
  readonly classification: Classification;
  readonly criticality: NonNullable<ProductManifest['criticality']>;
  readonly zone: 'curated';
}

/** Properties of {@link DataProduct}. */
export interface DataProductProps {
  /** The domain the product belongs to (`DomainFoundation` or any `IDomain`). Must match `manifest.domain`. */
  readonly domain: IDomain;
  /** The product's manifest (`product.yaml`, from `loadProductManifest`). */
  readonly manifest: ProductManifest;
  /** The product's output-port contract (validated ODCS, from `loadContract`). */
  readonly contract: OdcsContract;
  /**
   * The product folder: `<productDir>/glue/job.py`, when it exists, overrides the product job
   * shipped with @meshkit/core (`glue/job.py`), and
   * `<productDir>/transform.sql` (when it exists, read once here, at most 100 KiB:
   * `MAX_TRANSFORM_SQL_BYTES`) is passed to the job as `--transform-sql`.
   * @default none: the product job shipped with @meshkit/core (`glue/job.py`) runs, no transform
   */
  readonly productDir?: string;
  /**
   * Older majors still served side by side (`servedMajors` of product.yaml, from `loadMesh`), each
   * with its frozen contract and compatibility SQL. Each gets its own output table
   * `<product>_v<major>` and DQ ruleset ({@link ProductServedMajor}); the job derives them from the
   * current output (`--served-majors`).
   * @default loaded from `manifest.servedMajors` under `productDir` when it is given, else none
   */
  readonly servedMajors?: readonly ServedMajorSource[];
  /**
   * E-mail subscribed to the product's alarm topic (`mesh.config.yaml` `platform.alarmEmail`).
   * @default no subscription
   */
  readonly alarmEmail?: string;
  /**
   * The `consumes` edges of the manifest, resolved to the producers' tables (the highest served
   * major satisfying each range, as `buildMeshApp` resolves them): each gets a Lake Formation
   * grant for the job ({@link ProductConsumerGrants}) and a view in transform.sql.
   * @default resolved from the manifest alone: the lowest major each range admits ({@link consumedTable})
   */
  readonly consumes?: readonly ConsumedProduct[];
  /**
   * Consumers of this product in other AWS accounts: each gets a Lake Formation share of the table
   * its range resolves to ({@link ProductCrossAccountShares}).
   * @default none
   */
  readonly crossAccountConsumers?: readonly CrossAccountConsumer[];
  /**
   * Region the curated zone replicates to (`mesh.config.yaml` `platform.replicaRegion`).
   * Required, with `replicaBucket` and `replicaKey` (or `replicaKeyAlias`), when the product is
   * `criticality: critical`.
   * @default no replication
   */
  readonly replicaRegion?: string;
  /**
   * The replica bucket in `replicaRegion` (versioned, SSE-KMS), created by a stack in that region.
   * Replication is on whenever it is given (and required for critical products).
   * @default no replication
   */
  readonly replicaBucket?: s3.IBucket;
  /**
   * The key (in `replicaRegion`) replicas are encrypted with.
   * @default none (required with `replicaBucket`)
   */
  readonly replicaKey?: kms.IKey;
  /**
   * Alias of the replica key in `replicaRegion`, instead of `replicaKey` (e.g. the
   * `alias/meshkit/replica` of `ReplicaFoundation`, which `buildMeshApp` passes).
   * @default none
   */
  readonly replicaKeyAlias?: string;
  /**
   * Removal policy of the buckets, the stream and the log groups.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Organisation (`mesh.config.yaml` `organisation`), recorded as a table parameter and passed to
   * the bucket naming.
   * @default none
   */
  readonly organisation?: string;
  /**
   * Schema object of the contract that is the output port.
   * @default the contract's first schema object
   */
  readonly outputObject?: string;
  /**
   * Glue job timeout.
   * @default Duration.minutes(60)
   */
  readonly jobTimeout?: Duration;
  /**
   * Glue job retries.
   * @default 1
   */
  readonly jobMaxRetries?: number;
  /**
   * Also pass the DQDL text to the job as `--dq-ruleset` (the job otherwise reads the ruleset
   * named by `--dq-ruleset-name`).
   * @default false
   */
  readonly passRulesetToJob?: boolean;
  /**
   * Longest time without a successful delivery before the freshness alarm fires.
   * @default from the contract's `frequency`/`latency` SLA (`freshnessWindow`), else 24 hours
   */
  readonly freshnessWindow?: Duration;
}

/**
 * A data product, built from its manifest and contract: raw and curated S3 zones, batch or stream
 * ingestion, the Glue ETL job, the output table `<product>_v<major>` and its DQ ruleset, Lake
 * Formation tags and the grants of the product's own roles, alarms and a dashboard, and
 * cross-region replication of the curated zone for critical products. Consumers read the product
 * through the domain's tag-based grants (`DomainFoundation` `consumers`), not through grants of
 * the product. Every part is exposed; every default is secure.
 */
export class DataProduct extends Construct {
  /** Domain name. */
  readonly domainName: string;
  /** Product name (kebab-case). */
  readonly productName: string;
  /** Effective classification ({@link productClassification}). */
  readonly classification: Classification;
  /** Criticality (`medium` when the manifest has none). */
  readonly criticality: NonNullable<ProductManifest['criticality']>;
  /** Major version of the contract (the output port). */
  readonly majorVersion: number;
  /** Name of the schema object that is the output port. */
  readonly outputObject: string;
  /** The DQDL compiled from the contract. */
  readonly dqdl: string;
  /** The raw zone. */
  readonly rawZone: ProductZoneBucket;
  /** The curated zone (the output port's data). */
  readonly curatedZone: ProductZoneBucket;
  /** The output table `<product>_v<major>`. */
  readonly table: ProductTable;
  /** The DQ ruleset `<domain>-<product>-v<major>-dq`. */
  readonly qualityRuleset: ProductQualityRuleset;
  /** The ETL job. */
  readonly job: ProductGlueJob;
  /** Batch ingestion (batch products). */
  readonly batchIngestion?: ProductBatchIngestion;
  /** Stream ingestion (stream products). */
  readonly streamIngestion?: ProductStreamIngestion;
  /** Lake Formation tags and the grants of the product's own roles. */
  readonly lakeFormation: ProductLakeFormation;
  /** Alarms, topic and dashboard. */
  readonly alarms: ProductAlarms;
  /** The curated zone's registration with Lake Formation (its grantees read through it). */
  readonly dataLocation: ProductDataLocation;
  /** Lake Formation grants of what the product consumes (when it consumes anything). */
  readonly consumerGrants?: ProductConsumerGrants;
  /** Lake Formation shares with consumers in other accounts (when there are any). */
  readonly crossAccountShares?: ProductCrossAccountShares;
  /** The SCHEDULED trigger of a stream product's job (batch jobs start on landing events). */
  readonly scheduleTrigger?: ProductScheduleTrigger;
  /** What the stack means to do (also in the template's metadata). */
  readonly intent: ProductIntent;
  /** Replication of the curated zone (critical products, or whenever a replica is given). */
  readonly replication?: ProductReplication;
  /** The output ports of the older majors served side by side, newest first. */
  readonly servedMajors: ProductServedMajor[] = [];

  constructor(scope: Construct, id: string, props: DataProductProps) {
    super(scope, id);
    const { domain, manifest, contract } = props;
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
    this.domainName = domain.domainName;
    this.productName = manifest.name;
    this.majorVersion = majorOf(contract);
    this.outputObject = props.outputObject ?? contract.schema[0]!.name;
    const { object } = selectObject(contract, this.outputObject);
    this.classification = productClassification(manifest, contract);
    this.criticality = manifest.criticality ?? 'medium';
    const label = `${this.domainName}/${this.productName}`;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;

    // Replication target: checked before anything is built.
    const replicaWanted = this.criticality === 'critical' || props.replicaBucket !== undefined;
    if (replicaWanted) {
      const missing = [
        props.replicaRegion === undefined ? 'replicaRegion (mesh.config.yaml platform.replicaRegion)' : undefined,
        props.replicaBucket === undefined ? 'replicaBucket' : undefined,
        props.replicaKey === undefined && props.replicaKeyAlias === undefined
          ? 'replicaKey (or replicaKeyAlias)'
          : undefined,
      ].filter((m): m is string => m !== undefined);
      if (missing.length) {
        const why =
          this.criticality === 'critical'
            ? `product ${label} is critical: its curated zone must replicate to another region`
            : `replicaBucket is set for ${label}`;
        throw new MeshError('INVALID_CONFIG', `${why}; missing ${missing.join(', ')}`);
      }
    }

    const snake = snakeCase(this.productName);
    const tableName = productTableName(this.productName, this.majorVersion);
    const rulesetName = `${this.domainName}-${this.productName}-v${this.majorVersion}-dq`;
    const jobName = `${this.domainName}-${this.productName}-v${this.majorVersion}`;
    const glue = toGlueColumns(contract, { object: this.outputObject });
    this.dqdl = toDqdl(compileQuality(contract, { object: this.outputObject }));
    const isBatch = manifest.ingestion.mode === 'batch';
    const landingFormat = landingFormatOf(manifest.ingestion);
    const jobInputFormat = isBatch ? landingFormat : 'parquet';
    const served =
      props.servedMajors ??
      (props.productDir !== undefined && manifest.servedMajors.length
        ? loadServedMajorSources(
            findRepoRoot(props.productDir) ?? props.productDir,
            props.productDir,
            manifest,
            contract,
          )
        : []);
    for (const m of served) {
      if (m.major >= this.majorVersion) {
        throw new MeshError(
          'INVALID_CONFIG',
          `${label} serves major ${m.major} side by side, but it is not older than the current major ${this.majorVersion}`,
        );
      }
      if (majorOf(m.contract) !== m.major) {
        throw new MeshError(
          'INVALID_CONTRACT',
          `${label}: the contract of served major ${m.major} is version ${m.contract.version}`,
        );
      }
    }
    const servedName = (m: number) => ({
      tableName: productTableName(this.productName, m),
      rulesetName: `${this.domainName}-${this.productName}-v${m}-dq`,
    });

    // Zones.
    const naming = { domain: this.domainName, product: this.productName, organisation: props.organisation };
    this.rawZone = new ProductZoneBucket(this, 'RawZone', {
      domain,
      productName: this.productName,
      zone: 'raw',
      classification: this.classification,
      retentionDays: manifest.retentionDays,
      bucketName: productBucketName({ ...naming, zone: 'raw' }),
      eventBridgeEnabled: isBatch,
      removalPolicy,
    });
    this.curatedZone = new ProductZoneBucket(this, 'CuratedZone', {
      domain,
      productName: this.productName,
      zone: 'curated',
      classification: this.classification,
      retentionDays: manifest.retentionDays,
      bucketName: productBucketName({ ...naming, zone: 'curated' }),
      removalPolicy,
    });
    const metadata: ProductMetadata = {
      domain: this.domainName,
      product: this.productName,
      classification: this.classification,
      criticality: this.criticality,
      zone: 'curated',
    };
    this.curatedZone.cfnBucket.addMetadata(PRODUCT_METADATA_KEY, metadata);
    this.dataLocation = new ProductDataLocation(this, 'DataLocation', {
      domain,
      productName: this.productName,
      bucket: this.curatedZone.bucket,
    });

    // Output port.
    this.table = new ProductTable(this, 'Table', {
      databaseName: domain.databaseName,
      tableName,
      columns: glue.columns,
      partitionKeys: glue.partitionKeys,
      bucket: this.curatedZone.bucket,
      description: (object.description ?? contract.description?.purpose)?.slice(0, 2048),
      parameters: {
        'meshkit:contract-id': contract.id,
        'meshkit:contract-version': contract.version,
        'meshkit:owner': manifest.owner,
        'meshkit:classification': this.classification,
        'meshkit:domain': this.domainName,
        'meshkit:product': this.productName,
        ...(props.organisation !== undefined ? { 'meshkit:organisation': props.organisation } : {}),
      },
    });
    this.qualityRuleset = new ProductQualityRuleset(this, 'Quality', {
      rulesetName,
      dqdl: this.dqdl,
      databaseName: domain.databaseName,
      tableName,
      description: `Quality of ${label} v${this.majorVersion}, compiled from contract ${contract.id} ${contract.version}`,
    });
    this.qualityRuleset.ruleset.node.addDependency(this.table.table);

    // Ingestion.
    const rawTableName = `${snake}_v${this.majorVersion}_raw`; // not `_v<major>`-suffixed: not an output port
    if (!isBatch) {
      this.streamIngestion = new ProductStreamIngestion(this, 'StreamIngestion', {
        domain,
        productName: this.productName,
        rawBucket: this.rawZone.bucket,
        rawTableName,
        columns: [...glue.columns, ...glue.partitionKeys],
        shards: manifest.ingestion.shards,
        removalPolicy,
      });
    }

    // Job.
    const script = props.productDir === undefined ? undefined : join(props.productDir, 'glue', 'job.py');
    const transformSql =
      props.productDir === undefined ? undefined : readTransformSql(join(props.productDir, 'transform.sql'));
    const consumes: ConsumedProduct[] = (props.consumes ?? manifest.consumes.map((c) => consumedTable(c, label)))
      // A producer in another account is read through a resource link in this domain's database.
      // (Glue 5.0 reads a shared table only through a resource link named like it: the links live in
      // a database of their own per consumer product.)
      .map((c) =>
        c.producerAccount !== undefined && !c.link
          ? {
              ...c,
              link: {
                databaseName: `${snakeCase(this.domainName)}_${snakeCase(this.productName)}_shared`,
                tableName: c.tableName,
              },
            }
          : c,
      );
    // Column-level grants are enforced by Glue 5.0's fine-grained access control (Spark
    // DataFrames, at least 4 workers: user and system drivers and executors).
    const fineGrained = consumes.some((c) => c.columns !== undefined);
    const rawPrefix = isBatch ? 'landing/' : this.streamIngestion!.dataPrefix;
    this.job = new ProductGlueJob(this, 'Job', {
      domain,
      productName: this.productName,
      jobName,
      scriptPath: script !== undefined && existsSync(script) ? script : undefined,
      rawBucket: this.rawZone.bucket,
      rawPrefix,
      rawFormat: jobInputFormat,
      curatedBucket: this.curatedZone.bucket,
      tableName,
      sourceTableNames: isBatch ? [] : [rawTableName],
      rulesetName,
      dqRuleset: props.passRulesetToJob ? this.dqdl : undefined,
      transformSql,
      consumedTables: consumes.map((c) =>
        c.producerAccount !== undefined && c.link
          ? {
              view: c.view,
              databaseName: c.link.databaseName,
              tableName: c.link.tableName,
              target: { catalogId: c.producerAccount, databaseName: c.databaseName, tableName: c.tableName },
            }
          : { view: c.view, databaseName: c.databaseName, tableName: c.tableName },
      ),
      ...(fineGrained
        ? { numberOfWorkers: 4, extraArguments: { '--enable-lakeformation-fine-grained-access': 'true' } }
        : {}),
      servedMajors: served.map((m) => ({
        major: m.major,
        ...servedName(m.major),
        compatibilitySql: m.compatibilitySql,
      })),
      checkPlan: {
        current: toCheckPlan(contract, { object: this.outputObject }),
        majors: Object.fromEntries(served.map((m) => [String(m.major), toCheckPlan(m.contract)])),
      },
      timeout: props.jobTimeout,
      maxRetries: props.jobMaxRetries,
    });
    if (isBatch) {
      this.batchIngestion = new ProductBatchIngestion(this, 'BatchIngestion', {
        rawBucket: this.rawZone.bucket,
        jobName,
        workflowName: `${this.domainName}-${this.productName}-ingest`,
        landingPrefix: rawPrefix,
      });
      this.batchIngestion.eventTrigger.node.addDependency(this.job.job);
    } else {
      this.scheduleTrigger = new ProductScheduleTrigger(this, 'Schedule', {
        jobName,
        triggerName: `${this.domainName}-${this.productName}-scheduled`,
        schedule: manifest.ingestion.schedule ?? DEFAULT_STREAM_SCHEDULE,
      });
      this.scheduleTrigger.trigger.node.addDependency(this.job.job);
    }
    this.rawZone.cfnBucket.addMetadata('meshkit:landing', {
      domain: this.domainName,
      product: this.productName,
      zone: 'raw',
      mode: manifest.ingestion.mode,
      prefix: rawPrefix,
      format: landingFormat,
    });
    if (consumes.length) {
      this.consumerGrants = new ProductConsumerGrants(this, 'Consumes', {
        principalArn: this.job.role.roleArn,
        consumed: consumes,
      });
    }
    if (props.crossAccountConsumers?.length) {
      this.crossAccountShares = new ProductCrossAccountShares(this, 'Shares', {
        databaseName: domain.databaseName,
        consumers: props.crossAccountConsumers,
      });
      for (const g of this.crossAccountShares.grants) g.node.addDependency(this.table.table);
    }

    // Lake Formation.
    const tablePermissions: ProductTablePermission[] = [
      {
        principalArn: this.job.role.roleArn,
        tableName,
        permissions: ['SELECT', 'INSERT', 'DELETE', 'DESCRIBE', 'ALTER'],
      },
    ];
    if (this.streamIngestion) {
      tablePermissions.push(
        { principalArn: this.job.role.roleArn, tableName: rawTableName, permissions: ['SELECT', 'DESCRIBE'] },
        {
          principalArn: this.streamIngestion.role.roleArn,
          tableName: rawTableName,
          permissions: ['SELECT', 'DESCRIBE'],
        },
      );
    }
    this.lakeFormation = new ProductLakeFormation(this, 'LakeFormation', {
      domainName: this.domainName,
      databaseName: domain.databaseName,
      tableName,
      classification: this.classification,
      columnClassifications: columnClassifications(object.properties ?? [], this.classification),
      tablePermissions,
      dependsOn: [this.table.table, ...(this.streamIngestion ? [this.streamIngestion.rawTable.table] : [])],
    });

    // Older majors served side by side: one output port each.
    for (const m of served) {
      const { object: old } = selectObject(m.contract);
      // Never less sensitive than the product, nor than the frozen contract itself.
      const classification = moreSensitive(this.classification, productClassification(manifest, m.contract));
      this.servedMajors.push(
        new ProductServedMajor(this, `ServedV${m.major}`, {
          domain,
          productName: this.productName,
          major: m.major,
          contract: m.contract,
          ...servedName(m.major),
          bucket: this.curatedZone.bucket,
          classification: classification,
          columnClassifications: columnClassifications(old.properties ?? [], classification),
          parameters: {
            'meshkit:owner': manifest.owner,
            'meshkit:classification': classification,
            'meshkit:domain': this.domainName,
            'meshkit:product': this.productName,
            ...(props.organisation !== undefined ? { 'meshkit:organisation': props.organisation } : {}),
          },
          jobRoleArn: this.job.role.roleArn,
        }),
      );
    }

    // Alarms.
    this.alarms = new ProductAlarms(this, 'Alarms', {
      domain,
      productName: this.productName,
      jobName,
      rulesetName,
      freshnessWindow: props.freshnessWindow ?? freshnessWindow(contract),
      alarmEmail: props.alarmEmail,
      stream: this.streamIngestion?.stream,
      deliveryStreamName: this.streamIngestion?.deliveryStream.ref,
    });

    // Disaster recovery.
    if (replicaWanted) {
      this.replication = new ProductReplication(this, 'Replication', {
        source: this.curatedZone.bucket,
        sourceKey: domain.key,
        target: {
          region: props.replicaRegion!,
          bucket: props.replicaBucket!,
          ...(props.replicaKey ? { key: props.replicaKey } : { keyAlias: props.replicaKeyAlias! }),
        },
      });
    }

    this.intent = {
      domain: this.domainName,
      product: this.productName,
      mode: manifest.ingestion.mode,
      landingFormat,
      jobInputFormat,
      rawPrefix,
      jobName,
      databaseName: domain.databaseName,
      tables: [tableName, ...served.map((m) => servedName(m.major).tableName)],
      classification: this.classification,
      restrictedColumns: columnClassifications(object.properties ?? [], this.classification).restricted ?? [],
      consumes: consumes.map((c) => ({
        product: c.product,
        range: c.range,
        major: c.major,
        databaseName: c.databaseName,
        tableName: c.tableName,
        ...(c.columns ? { columns: [...c.columns] } : {}),
        ...(c.producerAccount !== undefined
          ? { producerAccount: c.producerAccount, ...(c.link ? { link: c.link } : {}) }
          : {}),
      })),
      criticality: this.criticality,
    };
    const stack = Stack.of(this);
    stack.templateOptions.metadata = { ...stack.templateOptions.metadata, [PRODUCT_INTENT_METADATA_KEY]: this.intent };
  }
}

/** transform.sql's text, or undefined when there is none. @throws MeshError `FILE_TOO_LARGE` over {@link MAX_TRANSFORM_SQL_BYTES} */
function readTransformSql(file: string): string | undefined {
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

// The classification rules live in @meshkit/contracts (the catalog's drift report uses them too).
export { asClassification, columnClassifications, moreSensitive, productClassification } from '@meshkit/contracts';
