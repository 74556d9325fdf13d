import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type Duration, RemovalPolicy, Stack, type aws_kms as kms, type aws_s3 as s3 } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import {
  DEFAULT_STREAM_SCHEDULE,
  landingFormatOf,
  PRODUCT_INTENT_METADATA_KEY,
  columnClassifications,
  compileQuality,
  moreSensitive,
  productClassification,
  selectObject,
  snakeCase,
  toCheckPlan,
  toDqdl,
  toGlueColumns,
  type Classification,
  type GlueTableColumns,
  type OdcsContract,
  type ProductIntent,
  type ProductManifest,
  type SchemaObject,
} from '@meshkit/contracts';
import type { IDomain } from '../domain/domain.js';
import { freshnessWindow, ProductAlarms } from './product-alarms.js';
import { ProductBatchIngestion } from './product-batch-ingestion.js';
import { ProductConsumerGrants, type ConsumedProduct } from './product-consumer-grants.js';
import { ProductCrossAccountShares, type CrossAccountConsumer } from './product-cross-account-shares.js';
import { ProductDataLocation } from './product-data-location.js';
import { ProductGlueJob } from './product-glue-job.js';
import {
  assertProductInputs,
  consumedProducts,
  jobConsumedTables,
  majorOf,
  outputPortNames,
  readTransformSql,
  replicationWanted,
  servedMajorsOf,
  type OutputPortNames,
  type ProductPlan,
} from './product-inputs.js';
import { productIntent } from './product-intent.js';
import { ProductScheduleTrigger } from './product-schedule-trigger.js';
import { ProductLakeFormation, type ProductTablePermission } from './product-lake-formation.js';
import { ProductQualityRuleset } from './product-quality-ruleset.js';
import { ProductReplication } from './product-replication.js';
import { ProductServedMajor } from './product-served-major.js';
import type { ServedMajorSource } from '../app/served-majors.js';
import { ProductStreamIngestion } from './product-stream-ingestion.js';
import { ProductTable } from './product-table.js';
import { ProductZoneBucket, type ProductZoneBucketProps } from './product-zone-bucket.js';
import { productBucketName } from './naming.js';
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
    assertProductInputs(domain, manifest, contract);
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
    const replicaWanted = replicationWanted(props, this.criticality, label);
    const port = outputPortNames(this.domainName, this.productName, this.majorVersion);
    const glue = toGlueColumns(contract, { object: this.outputObject });
    this.dqdl = toDqdl(compileQuality(contract, { object: this.outputObject }));
    const isBatch = manifest.ingestion.mode === 'batch';
    const landingFormat = landingFormatOf(manifest.ingestion);
    const jobInputFormat = isBatch ? landingFormat : 'parquet';
    const served = servedMajorsOf(props, this.majorVersion, label);

    // Zones.
    this.rawZone = this.zone('RawZone', 'raw', props, { eventBridgeEnabled: isBatch, removalPolicy });
    this.curatedZone = this.zone('CuratedZone', 'curated', props, { removalPolicy });
    this.curatedZone.cfnBucket.addMetadata(PRODUCT_METADATA_KEY, this.metadata());
    this.dataLocation = new ProductDataLocation(this, 'DataLocation', {
      domain,
      productName: this.productName,
      bucket: this.curatedZone.bucket,
    });

    // Output port.
    this.table = this.outputTable(props, object, port.tableName, glue);
    this.qualityRuleset = this.outputRuleset(props, port);

    // Ingestion.
    const rawTableName = `${snakeCase(this.productName)}_v${this.majorVersion}_raw`; // not `_v<major>`-suffixed: not an output port
    if (!isBatch) this.streamIngestion = this.stream(props, rawTableName, glue, removalPolicy);
    const rawPrefix = isBatch ? 'landing/' : this.streamIngestion!.dataPrefix;

    // Job.
    const consumes = consumedProducts(props, this.domainName, this.productName);
    const jobName = `${this.domainName}-${this.productName}-v${this.majorVersion}`;
    const plan = { port, jobName, landingFormat, jobInputFormat, rawPrefix, rawTableName, isBatch, consumes, served };
    this.job = this.etlJob(props, plan);
    if (isBatch) this.batchIngestion = this.batchTrigger(rawPrefix);
    else this.scheduleTrigger = this.schedule(manifest);
    this.rawZone.cfnBucket.addMetadata('meshkit:landing', {
      domain: this.domainName,
      product: this.productName,
      zone: 'raw',
      mode: manifest.ingestion.mode,
      prefix: rawPrefix,
      format: landingFormat,
    });
    if (consumes.length) this.consumerGrants = this.consumerGrantsOf(consumes);
    if (props.crossAccountConsumers?.length) this.crossAccountShares = this.shares(domain, props.crossAccountConsumers);

    // Lake Formation.
    this.lakeFormation = this.lakeFormationOf(domain, object, port.tableName, rawTableName);

    // Older majors served side by side: one output port each.
    for (const m of served) this.servedMajors.push(this.servedMajor(props, m));

    // Alarms.
    this.alarms = this.alarmsOf(props, port.rulesetName);

    // Disaster recovery.
    if (replicaWanted) this.replication = this.replicate(props);

    this.intent = this.recordIntent(props, object, plan);
  }

  /** The raw or curated zone. */
  private zone(
    id: string,
    zone: 'raw' | 'curated',
    props: DataProductProps,
    options: Pick<ProductZoneBucketProps, 'eventBridgeEnabled' | 'removalPolicy'>,
  ): ProductZoneBucket {
    const naming = { domain: this.domainName, product: this.productName, organisation: props.organisation };
    return new ProductZoneBucket(this, id, {
      domain: props.domain,
      productName: this.productName,
      zone,
      classification: this.classification,
      retentionDays: props.manifest.retentionDays,
      bucketName: productBucketName({ ...naming, zone }),
      ...options,
    });
  }

  /** The `meshkit:product` metadata of the curated bucket. */
  private metadata(): ProductMetadata {
    return {
      domain: this.domainName,
      product: this.productName,
      classification: this.classification,
      criticality: this.criticality,
      zone: 'curated',
    };
  }

  /** The output table `<product>_v<major>` in the curated zone. */
  private outputTable(
    props: DataProductProps,
    object: SchemaObject,
    tableName: string,
    glue: GlueTableColumns,
  ): ProductTable {
    const { domain, contract, manifest } = props;
    return new ProductTable(this, 'Table', {
      databaseName: domain.databaseName,
      tableName,
      columns: glue.columns,
      partitionKeys: glue.partitionKeys,
      bucket: this.curatedZone.bucket,
      description: (object.description ?? contract.description?.purpose)?.slice(0, 2048),
      parameters: {
        'meshkit:contract-id': contract.id,
        'meshkit:contract-version': contract.version,
        ...this.tableParameters(manifest, this.classification, props.organisation),
      },
    });
  }

  /** Parameters of every output table of the product (the current major's and the served ones). */
  private tableParameters(
    manifest: ProductManifest,
    classification: Classification,
    organisation: string | undefined,
  ): Record<string, string> {
    return {
      'meshkit:owner': manifest.owner,
      'meshkit:classification': classification,
      'meshkit:domain': this.domainName,
      'meshkit:product': this.productName,
      ...(organisation !== undefined ? { 'meshkit:organisation': organisation } : {}),
    };
  }

  /** The DQ ruleset of the output table, compiled from the contract. */
  private outputRuleset(props: DataProductProps, port: OutputPortNames): ProductQualityRuleset {
    const { contract } = props;
    const ruleset = new ProductQualityRuleset(this, 'Quality', {
      ...port,
      dqdl: this.dqdl,
      databaseName: props.domain.databaseName,
      description: `Quality of ${this.domainName}/${this.productName} v${this.majorVersion}, compiled from contract ${contract.id} ${contract.version}`,
    });
    ruleset.ruleset.node.addDependency(this.table.table);
    return ruleset;
  }

  /** Stream ingestion (stream products): Kinesis, Firehose and the raw table. */
  private stream(
    props: DataProductProps,
    rawTableName: string,
    glue: GlueTableColumns,
    removalPolicy: RemovalPolicy,
  ): ProductStreamIngestion {
    return new ProductStreamIngestion(this, 'StreamIngestion', {
      domain: props.domain,
      productName: this.productName,
      rawBucket: this.rawZone.bucket,
      rawTableName,
      columns: [...glue.columns, ...glue.partitionKeys],
      shards: props.manifest.ingestion.shards,
      removalPolicy,
    });
  }

  /** The ETL job: raw zone → checks → output table (and the served majors). */
  private etlJob(props: DataProductProps, plan: ProductPlan): ProductGlueJob {
    const { port, consumes, served } = plan;
    const script = props.productDir === undefined ? undefined : join(props.productDir, 'glue', 'job.py');
    const transformSql =
      props.productDir === undefined ? undefined : readTransformSql(join(props.productDir, 'transform.sql'));
    // Column-level grants are enforced by Glue 5.0's fine-grained access control (Spark
    // DataFrames, at least 4 workers: user and system drivers and executors).
    const fineGrained = consumes.some((c) => c.columns !== undefined);
    return new ProductGlueJob(this, 'Job', {
      domain: props.domain,
      productName: this.productName,
      jobName: plan.jobName,
      scriptPath: script !== undefined && existsSync(script) ? script : undefined,
      rawBucket: this.rawZone.bucket,
      rawPrefix: plan.rawPrefix,
      rawFormat: plan.jobInputFormat,
      curatedBucket: this.curatedZone.bucket,
      tableName: port.tableName,
      sourceTableNames: plan.isBatch ? [] : [plan.rawTableName],
      rulesetName: port.rulesetName,
      dqRuleset: props.passRulesetToJob ? this.dqdl : undefined,
      transformSql,
      consumedTables: jobConsumedTables(consumes),
      ...(fineGrained
        ? { numberOfWorkers: 4, extraArguments: { '--enable-lakeformation-fine-grained-access': 'true' } }
        : {}),
      servedMajors: served.map((m) => ({
        major: m.major,
        ...outputPortNames(this.domainName, this.productName, m.major),
        compatibilitySql: m.compatibilitySql,
      })),
      checkPlan: {
        current: toCheckPlan(props.contract, { object: this.outputObject }),
        majors: Object.fromEntries(served.map((m) => [String(m.major), toCheckPlan(m.contract)])),
      },
      timeout: props.jobTimeout,
      maxRetries: props.jobMaxRetries,
    });
  }

  /** Batch ingestion: landing events start the job. */
  private batchTrigger(landingPrefix: string): ProductBatchIngestion {
    const ingestion = new ProductBatchIngestion(this, 'BatchIngestion', {
      rawBucket: this.rawZone.bucket,
      jobName: this.job.jobName,
      workflowName: `${this.domainName}-${this.productName}-ingest`,
      landingPrefix,
    });
    ingestion.eventTrigger.node.addDependency(this.job.job);
    return ingestion;
  }

  /** The SCHEDULED trigger of a stream product's job. */
  private schedule(manifest: ProductManifest): ProductScheduleTrigger {
    const trigger = new ProductScheduleTrigger(this, 'Schedule', {
      jobName: this.job.jobName,
      triggerName: `${this.domainName}-${this.productName}-scheduled`,
      schedule: manifest.ingestion.schedule ?? DEFAULT_STREAM_SCHEDULE,
    });
    trigger.trigger.node.addDependency(this.job.job);
    return trigger;
  }

  /** Lake Formation grants of what the product consumes, to the job's role. */
  private consumerGrantsOf(consumed: readonly ConsumedProduct[]): ProductConsumerGrants {
    return new ProductConsumerGrants(this, 'Consumes', { principalArn: this.job.role.roleArn, consumed });
  }

  /** Lake Formation shares of the output table with consumers in other accounts. */
  private shares(domain: IDomain, consumers: readonly CrossAccountConsumer[]): ProductCrossAccountShares {
    const shares = new ProductCrossAccountShares(this, 'Shares', {
      databaseName: domain.databaseName,
      consumers,
    });
    for (const g of shares.grants) g.node.addDependency(this.table.table);
    return shares;
  }

  /** Lake Formation tags of the tables and the grants of the product's own roles. */
  private lakeFormationOf(
    domain: IDomain,
    object: SchemaObject,
    tableName: string,
    rawTableName: string,
  ): ProductLakeFormation {
    const job = this.job.role.roleArn;
    const tablePermissions: ProductTablePermission[] = [
      { principalArn: job, tableName, permissions: ['SELECT', 'INSERT', 'DELETE', 'DESCRIBE', 'ALTER'] },
    ];
    if (this.streamIngestion) {
      tablePermissions.push(
        { principalArn: job, tableName: rawTableName, permissions: ['SELECT', 'DESCRIBE'] },
        {
          principalArn: this.streamIngestion.role.roleArn,
          tableName: rawTableName,
          permissions: ['SELECT', 'DESCRIBE'],
        },
      );
    }
    return new ProductLakeFormation(this, 'LakeFormation', {
      domainName: this.domainName,
      databaseName: domain.databaseName,
      tableName,
      classification: this.classification,
      columnClassifications: columnClassifications(object.properties ?? [], this.classification),
      tablePermissions,
      dependsOn: [this.table.table, ...(this.streamIngestion ? [this.streamIngestion.rawTable.table] : [])],
    });
  }

  /** The output port of an older major served side by side. */
  private servedMajor(props: DataProductProps, m: ServedMajorSource): ProductServedMajor {
    const { object: old } = selectObject(m.contract);
    // Never less sensitive than the product, nor than the frozen contract itself.
    const classification = moreSensitive(this.classification, productClassification(props.manifest, m.contract));
    return new ProductServedMajor(this, `ServedV${m.major}`, {
      domain: props.domain,
      productName: this.productName,
      major: m.major,
      contract: m.contract,
      ...outputPortNames(this.domainName, this.productName, m.major),
      bucket: this.curatedZone.bucket,
      classification: classification,
      columnClassifications: columnClassifications(old.properties ?? [], classification),
      parameters: this.tableParameters(props.manifest, classification, props.organisation),
      jobRoleArn: this.job.role.roleArn,
    });
  }

  /** Alarms, topic and dashboard of the product. */
  private alarmsOf(props: DataProductProps, rulesetName: string): ProductAlarms {
    return new ProductAlarms(this, 'Alarms', {
      domain: props.domain,
      productName: this.productName,
      jobName: this.job.jobName,
      rulesetName,
      freshnessWindow: props.freshnessWindow ?? freshnessWindow(props.contract),
      alarmEmail: props.alarmEmail,
      stream: this.streamIngestion?.stream,
      deliveryStreamName: this.streamIngestion?.deliveryStream.ref,
    });
  }

  /** Replication of the curated zone to the replica region (checked by {@link replicationWanted}). */
  private replicate(props: DataProductProps): ProductReplication {
    return new ProductReplication(this, 'Replication', {
      source: this.curatedZone.bucket,
      sourceKey: props.domain.key,
      target: {
        region: props.replicaRegion!,
        bucket: props.replicaBucket!,
        ...(props.replicaKey ? { key: props.replicaKey } : { keyAlias: props.replicaKeyAlias! }),
      },
    });
  }

  /** What the stack means to do, also recorded in the template's metadata. */
  private recordIntent(props: DataProductProps, object: SchemaObject, plan: ProductPlan): ProductIntent {
    const restricted = columnClassifications(object.properties ?? [], this.classification).restricted ?? [];
    const intent = productIntent(this, props.manifest, props.domain.databaseName, restricted, plan);
    const stack = Stack.of(this);
    stack.templateOptions.metadata = { ...stack.templateOptions.metadata, [PRODUCT_INTENT_METADATA_KEY]: intent };
    return intent;
  }
}

// The classification rules live in @meshkit/contracts (the catalog's drift report uses them too).
export { asClassification, columnClassifications, moreSensitive, productClassification } from '@meshkit/contracts';
