import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  ArnFormat,
  Duration,
  Stack,
  Validations,
  aws_glue as glue,
  aws_iam as iam,
  type aws_s3 as s3,
  aws_s3_assets as assets,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { MeshError, type CheckPlan } from '@meshkit/contracts';
import type { IDomain } from '../domain/domain.js';
import { acknowledgeWildcardResources } from './product-nag.js';

/** CloudWatch namespace of the metrics product jobs publish (`SuccessfulRuns`, `RowsWritten`, `RowsQuarantined`). */
export const MESH_METRICS_NAMESPACE = 'Meshkit';

/**
 * Largest transform.sql passed as the `--transform-sql` job argument, in UTF-8 bytes (100 KiB).
 * The argument lives in the job definition, which lives in the CloudFormation template (at most
 * 1 MB, uploaded through S3 by `cdk deploy`); 100 KiB leaves room for the rest of the stack. A
 * longer transform is a sign it should be split into products.
 */
export const MAX_TRANSFORM_SQL_BYTES = 100 * 1024;

/** A consumed product's output table, as a view name in transform.sql (see {@link ProductGlueJobProps.consumedTables}). */
export interface ConsumedTable {
  /** View name in transform.sql (`<domain>_<product>`, snake_case). */
  readonly view: string;
  /** The producer domain's Glue database. */
  readonly databaseName: string;
  /** The producer's output table (`<product>_v<major>`), or the resource link to it. */
  readonly tableName: string;
  /**
   * When `databaseName.tableName` is a resource link to a producer's table in another account:
   * that table (the role may read its catalog entries there too).
   * @default none: the table is in this account
   */
  readonly target?: { readonly catalogId: string; readonly databaseName: string; readonly tableName: string };
}

/**
 * An older major the job derives from the current output (see {@link ProductGlueJobProps.servedMajors}).
 */
export interface ServedMajorOutput {
  /** The major version served. */
  readonly major: number;
  /** Its output table (`<product>_v<major>`, in the domain database); data under `<tableName>/` of the curated zone. */
  readonly tableName: string;
  /** Its DQ ruleset (compiled from the frozen contract). */
  readonly rulesetName: string;
  /** The compatibility SQL: a SELECT from the view `current` (the current major's checked output). */
  readonly compatibilitySql: string;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Properties of {@link ProductGlueJob}. */
export interface ProductGlueJobProps {
  /** The product's domain (key, security configuration, database). */
  readonly domain: IDomain;
  /** Product name (kebab-case). */
  readonly productName: string;
  /** Job name, unique per account and region. */
  readonly jobName: string;
  /**
   * Path of the PySpark script shipped as an asset.
   * @default the product job shipped with @meshkit/core ({@link defaultScriptPath})
   */
  readonly scriptPath?: string;
  /** The raw zone (read; also holds `tmp/` and `quarantine/`). */
  readonly rawBucket: s3.IBucket;
  /** Prefix of the job's input in the raw zone, ending in `/` (e.g. `landing/`). */
  readonly rawPrefix: string;
  /**
   * Format of the input files (`csv` with a header row, `jsonl` JSON lines, or `parquet`), passed
   * as `--raw-format`: a batch product's landing format (product.yaml `ingestion.format`), or
   * `parquet` for a stream product (Firehose's conversion).
   */
  readonly rawFormat: 'csv' | 'jsonl' | 'parquet';
  /** The curated zone (written). */
  readonly curatedBucket: s3.IBucket;
  /** Output table name (in `domain.databaseName`). */
  readonly tableName: string;
  /**
   * Other tables the job reads (e.g. the raw-zone table of a stream product).
   * @default none
   */
  readonly sourceTableNames?: readonly string[];
  /** Name of the Glue Data Quality ruleset the job evaluates (`--dq-ruleset-name`). */
  readonly rulesetName: string;
  /**
   * DQDL text passed as `--dq-ruleset` (otherwise the job reads the ruleset by name).
   * @default not passed
   */
  readonly dqRuleset?: string;
  /**
   * The product's transform (transform.sql, Spark SQL over the view `raw` and the consumed
   * products' views), passed as `--transform-sql`; at most {@link MAX_TRANSFORM_SQL_BYTES} bytes.
   * @default not passed: the job writes the raw columns as they are
   */
  readonly transformSql?: string;
  /**
   * Output tables of the consumed products, registered by the job as views `view` (passed as
   * `--consumed-tables` `view=database.table,…`); the role may read their catalog entries.
   * The data itself is read through Lake Formation: the job role needs SELECT on those tables
   * (a grant of the producer's domain), which this construct does not create.
   * @default none
   */
  readonly consumedTables?: readonly ConsumedTable[];
  /**
   * Older majors served side by side: after the current output passed its checks, the job binds
   * it as the view `current`, runs each compatibility SQL, checks the result against that
   * major's table and DQ ruleset like the current output, and writes it to
   * `s3://<curated>/<tableName>/` — passed as `--served-majors`, a JSON list of
   * `{major, table, ruleset, path, quarantine, sql}` (at most {@link MAX_TRANSFORM_SQL_BYTES}
   * bytes, like `--transform-sql`). The role may write those prefixes, update those tables and
   * read those rulesets.
   * @default none
   */
  readonly servedMajors?: readonly ServedMajorOutput[];
  /**
   * The checks the job's PySpark core runs (`toCheckPlan` of @meshkit/contracts, Spark dialect):
   * the current major's and each served major's (by major), passed as `--check-plan` (JSON, at
   * most {@link MAX_TRANSFORM_SQL_BYTES} bytes). The local runtime runs the same plan in the
   * DuckDB dialect, so both engines split curated and quarantine rows by the same rules.
   * @default not passed: the job's core refuses to run without it
   */
  readonly checkPlan?: { readonly current: CheckPlan; readonly majors?: Readonly<Record<string, CheckPlan>> };
  /**
   * The PySpark core the script imports (`meshkit_spark.py`), shipped as an S3 asset and passed
   * as `--extra-py-files`.
   * @default the core shipped with this package ({@link defaultCorePath})
   */
  readonly corePath?: string;
  /**
   * Job timeout (whole minutes, 1–2880).
   * @default Duration.minutes(60)
   */
  readonly timeout?: Duration;
  /**
   * Retries after a failed run (0–10).
   * @default 1
   */
  readonly maxRetries?: number;
  /**
   * Worker type.
   * @default 'G.1X'
   */
  readonly workerType?: string;
  /**
   * Number of workers (≥ 2).
   * @default 2
   */
  readonly numberOfWorkers?: number;
  /**
   * Extra job arguments, merged over the defaults (`--dq-ruleset-name` cannot be overridden).
   * @default none
   */
  readonly extraArguments?: Record<string, string>;
}

/**
 * The product's Glue 5.0 PySpark ETL job: script as an S3 asset, the domain's security
 * configuration, job bookmarks, metrics and observability metrics, continuous CloudWatch logs,
 * timeout and retries, the DQ ruleset name (and optionally text), the transform and the consumed
 * tables as arguments, and a
 * least-privilege role (data actions scoped to the product's buckets, tables, key and ruleset).
 */
export class ProductGlueJob extends Construct {
  /** The job's CloudFormation resource. */
  readonly job: glue.CfnJob;
  /** The job's name. */
  readonly jobName: string;
  /** The job's execution role. */
  readonly role: iam.Role;
  /** The script asset. */
  readonly script: assets.Asset;
  /** The asset of the PySpark core the script imports (`--extra-py-files`). */
  readonly core: assets.Asset;

  constructor(scope: Construct, id: string, props: ProductGlueJobProps) {
    super(scope, id);
    const run = runSettings(props);
    const consumed = props.consumedTables ?? [];
    const served = props.servedMajors ?? [];
    assertIdentifiers(consumed, served);
    const servedArgument = servedMajorsArgument(props, served);
    const checkPlan = checkPlanArgument(props);
    const { corePath, scriptPath } = jobFiles(props);
    this.jobName = props.jobName;
    this.script = new assets.Asset(this, 'Script', { path: scriptPath });
    this.core = new assets.Asset(this, 'Core', { path: corePath });

    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('glue.amazonaws.com'),
      description: `Glue job ${props.jobName} of ${props.domain.domainName}/${props.productName}`,
    });
    const stack = Stack.of(this);
    const policy = new iam.Policy(this, 'Policy', {
      statements: [
        ...this.dataStatements(props, served),
        ...catalogStatements(stack, props, served, consumed),
        ...serviceStatements(stack),
      ],
    });
    policy.attachToRole(this.role);
    acknowledgeWildcardResources(
      policy,
      'Resource wildcards only, no action wildcards: objects under the product prefixes of its own zones, the /aws-glue/* log groups Glue names per run, cloudwatch:PutMetricData (no resource-level permissions; limited by the cloudwatch:namespace condition) and lakeformation:GetDataAccess (supports only "*"; the data itself is governed by Lake Formation grants).',
    );
    // The job's security configuration is the domain's, referenced by name (cdk-nag cannot see it):
    // DomainFoundation creates it with CloudWatch SSE-KMS and job-bookmark CSE-KMS.
    Validations.of(this).acknowledge(
      {
        id: 'AwsSolutions-GL1',
        reason:
          'The job uses the domain security configuration (by name), which encrypts CloudWatch logs with SSE-KMS (domain key).',
      },
      {
        id: 'AwsSolutions-GL3',
        reason:
          'The job uses the domain security configuration (by name), which encrypts job bookmarks with CSE-KMS (domain key).',
      },
    );

    this.job = new glue.CfnJob(this, 'Job', {
      name: props.jobName,
      description: `ETL of ${props.domain.domainName}/${props.productName} into ${props.domain.databaseName}.${props.tableName}`,
      role: this.role.roleArn,
      command: { name: 'glueetl', pythonVersion: '3', scriptLocation: this.script.s3ObjectUrl },
      glueVersion: '5.0',
      workerType: props.workerType ?? 'G.1X',
      numberOfWorkers: run.numberOfWorkers,
      timeout: run.timeoutMinutes,
      maxRetries: run.maxRetries,
      executionProperty: { maxConcurrentRuns: 1 },
      securityConfiguration: props.domain.securityConfigurationName,
      defaultArguments: this.jobArguments(props, consumed, { servedArgument, checkPlan }),
    });
    this.job.node.addDependency(policy);
  }

  /** The role's S3 and KMS statements: the script and core, the product's zones and the domain key. */
  private dataStatements(props: ProductGlueJobProps, served: readonly ServedMajorOutput[]): iam.PolicyStatement[] {
    return [
      new iam.PolicyStatement({
        sid: 'ReadScript',
        actions: ['s3:GetObject'],
        resources: [
          this.script.bucket.arnForObjects(this.script.s3ObjectKey),
          this.core.bucket.arnForObjects(this.core.s3ObjectKey),
        ],
      }),
      new iam.PolicyStatement({
        sid: 'ListZones',
        actions: ['s3:ListBucket', 's3:GetBucketLocation'],
        resources: [props.rawBucket.bucketArn, props.curatedBucket.bucketArn],
      }),
      new iam.PolicyStatement({
        sid: 'ReadRaw',
        actions: ['s3:GetObject'],
        resources: [props.rawBucket.arnForObjects(`${props.rawPrefix}*`)],
      }),
      new iam.PolicyStatement({
        sid: 'WriteWorkAreas',
        actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
        resources: [props.rawBucket.arnForObjects('tmp/*'), props.rawBucket.arnForObjects('quarantine/*')],
      }),
      new iam.PolicyStatement({
        sid: 'WriteCurated',
        actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
        resources: [props.tableName, ...served.map((m) => m.tableName)].map((t) =>
          props.curatedBucket.arnForObjects(`${t}/*`),
        ),
      }),
      new iam.PolicyStatement({
        sid: 'UseDomainKey',
        actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
        resources: [props.domain.key.keyArn],
      }),
    ];
  }

  /** The job's default arguments: Glue's settings, the product's paths and tables, and the checked arguments. */
  private jobArguments(
    props: ProductGlueJobProps,
    consumed: readonly ConsumedTable[],
    checked: { servedArgument: string | undefined; checkPlan: string | undefined },
  ): Record<string, string> {
    const raw = `s3://${props.rawBucket.bucketName}`;
    const args: Record<string, string> = {
      '--job-language': 'python',
      '--job-bookmark-option': 'job-bookmark-enable',
      '--enable-metrics': 'true',
      '--enable-observability-metrics': 'true',
      '--enable-continuous-cloudwatch-log': 'true',
      '--enable-continuous-log-filter': 'true',
      '--enable-glue-datacatalog': 'true',
      '--TempDir': `${raw}/tmp/glue/`,
      '--domain': props.domain.domainName,
      '--product': props.productName,
      '--database-name': props.domain.databaseName,
      '--table-name': props.tableName,
      '--raw-path': `${raw}/${props.rawPrefix}`,
      '--raw-format': props.rawFormat,
      '--curated-path': `s3://${props.curatedBucket.bucketName}/${props.tableName}/`,
      '--quarantine-path': `${raw}/quarantine/${props.tableName}/`,
      '--metrics-namespace': MESH_METRICS_NAMESPACE,
      '--extra-py-files': this.core.s3ObjectUrl,
      ...props.extraArguments,
      '--dq-ruleset-name': props.rulesetName,
    };
    if (props.dqRuleset !== undefined) args['--dq-ruleset'] = props.dqRuleset;
    if (props.transformSql !== undefined) args['--transform-sql'] = props.transformSql;
    if (checked.servedArgument !== undefined) args['--served-majors'] = checked.servedArgument;
    if (checked.checkPlan !== undefined) args['--check-plan'] = checked.checkPlan;
    if (consumed.length)
      args['--consumed-tables'] = consumed.map((c) => `${c.view}=${c.databaseName}.${c.tableName}`).join(',');
    return args;
  }
}

/** Timeout, retries and workers, checked. @throws MeshError `INVALID_CONFIG`; `FILE_TOO_LARGE` for an oversized transform */
function runSettings(props: ProductGlueJobProps): {
  timeoutMinutes: number;
  maxRetries: number;
  numberOfWorkers: number;
} {
  const timeoutMinutes = (props.timeout ?? Duration.minutes(60)).toMinutes();
  if (!Number.isInteger(timeoutMinutes) || timeoutMinutes < 1 || timeoutMinutes > 2880) {
    throw new MeshError('INVALID_CONFIG', `timeout must be 1–2880 whole minutes (got ${timeoutMinutes})`);
  }
  const maxRetries = props.maxRetries ?? 1;
  if (!Number.isInteger(maxRetries) || maxRetries < 0 || maxRetries > 10) {
    throw new MeshError('INVALID_CONFIG', `maxRetries must be a whole number 0–10 (got ${maxRetries})`);
  }
  const numberOfWorkers = props.numberOfWorkers ?? 2;
  if (!Number.isInteger(numberOfWorkers) || numberOfWorkers < 2) {
    throw new MeshError('INVALID_CONFIG', `numberOfWorkers must be a whole number ≥ 2 (got ${numberOfWorkers})`);
  }
  const transformBytes = props.transformSql === undefined ? 0 : Buffer.byteLength(props.transformSql, 'utf8');
  if (transformBytes > MAX_TRANSFORM_SQL_BYTES) {
    throw new MeshError(
      'FILE_TOO_LARGE',
      `transformSql of ${props.domain.domainName}/${props.productName} is ${transformBytes} bytes; a job argument holds at most ${MAX_TRANSFORM_SQL_BYTES}`,
    );
  }
  return { timeoutMinutes, maxRetries, numberOfWorkers };
}

/** The names spliced into SQL are identifiers. @throws MeshError `INVALID_CONFIG` */
function assertIdentifiers(consumed: readonly ConsumedTable[], served: readonly ServedMajorOutput[]): void {
  for (const c of consumed) {
    for (const [what, v] of [
      ['view', c.view],
      ['databaseName', c.databaseName],
      ['tableName', c.tableName],
    ] as const) {
      if (!IDENTIFIER.test(v))
        throw new MeshError(
          'INVALID_CONFIG',
          `consumedTables ${what} '${v}' is not a SQL identifier (letters, digits, _)`,
        );
    }
  }
  for (const m of served) {
    if (!IDENTIFIER.test(m.tableName))
      throw new MeshError(
        'INVALID_CONFIG',
        `servedMajors tableName '${m.tableName}' is not a SQL identifier (letters, digits, _)`,
      );
  }
}

/** `--served-majors` (JSON), or undefined without served majors. @throws MeshError `FILE_TOO_LARGE` */
function servedMajorsArgument(props: ProductGlueJobProps, served: readonly ServedMajorOutput[]): string | undefined {
  const argument = served.length
    ? JSON.stringify(
        served.map((m) => ({
          major: m.major,
          table: m.tableName,
          ruleset: m.rulesetName,
          path: `s3://${props.curatedBucket.bucketName}/${m.tableName}/`,
          quarantine: `s3://${props.rawBucket.bucketName}/quarantine/${m.tableName}/`,
          sql: m.compatibilitySql,
        })),
      )
    : undefined;
  // Measured without the bucket tokens (their deploy-time names are short).
  const servedBytes = Buffer.byteLength(JSON.stringify(served.map((m) => m.compatibilitySql)), 'utf8');
  if (servedBytes > MAX_TRANSFORM_SQL_BYTES) {
    throw new MeshError(
      'FILE_TOO_LARGE',
      `the compatibility SQL of ${props.domain.domainName}/${props.productName}'s served majors is ${servedBytes} bytes together; the --served-majors job argument holds at most ${MAX_TRANSFORM_SQL_BYTES}`,
    );
  }
  return argument;
}

/** `--check-plan` (JSON), or undefined without a plan. @throws MeshError `FILE_TOO_LARGE` */
function checkPlanArgument(props: ProductGlueJobProps): string | undefined {
  const checkPlan = props.checkPlan === undefined ? undefined : JSON.stringify(props.checkPlan);
  if (checkPlan !== undefined && Buffer.byteLength(checkPlan, 'utf8') > MAX_TRANSFORM_SQL_BYTES) {
    throw new MeshError(
      'FILE_TOO_LARGE',
      `the check plan of ${props.domain.domainName}/${props.productName} is ${Buffer.byteLength(checkPlan, 'utf8')} bytes; the --check-plan job argument holds at most ${MAX_TRANSFORM_SQL_BYTES}`,
    );
  }
  return checkPlan;
}

/** The PySpark core and the script, which must exist. @throws MeshError `FILE_NOT_FOUND` */
function jobFiles(props: ProductGlueJobProps): { corePath: string; scriptPath: string } {
  const corePath = props.corePath ?? defaultCorePath();
  if (!existsSync(corePath))
    throw new MeshError('FILE_NOT_FOUND', `PySpark core not found: ${corePath}`, { file: corePath });
  const scriptPath = props.scriptPath ?? defaultScriptPath();
  if (!existsSync(scriptPath))
    throw new MeshError('FILE_NOT_FOUND', `Glue script not found: ${scriptPath}`, { file: scriptPath });
  return { corePath, scriptPath };
}

/** The role's Data Catalog and Data Quality statements: its own tables and rulesets, and the consumed tables. */
function catalogStatements(
  stack: Stack,
  props: ProductGlueJobProps,
  served: readonly ServedMajorOutput[],
  consumed: readonly ConsumedTable[],
): iam.PolicyStatement[] {
  const database = props.domain.databaseName;
  const tables = [props.tableName, ...served.map((m) => m.tableName), ...(props.sourceTableNames ?? [])];
  return [
    new iam.PolicyStatement({
      sid: 'Catalog',
      actions: [
        'glue:GetDatabase',
        'glue:GetTable',
        'glue:GetPartition',
        'glue:GetPartitions',
        'glue:BatchGetPartition',
        'glue:CreatePartition',
        'glue:BatchCreatePartition',
        'glue:UpdatePartition',
        'glue:UpdateTable',
      ],
      resources: [
        stack.formatArn({ service: 'glue', resource: 'catalog' }),
        stack.formatArn({ service: 'glue', resource: 'database', resourceName: database }),
        ...tables.map((t) => stack.formatArn({ service: 'glue', resource: 'table', resourceName: `${database}/${t}` })),
      ],
    }),
    ...(consumed.length ? [consumedCatalogStatement(stack, consumed)] : []),
    new iam.PolicyStatement({
      sid: 'DataQuality',
      actions: ['glue:GetDataQualityRuleset', 'glue:PublishDataQuality'],
      resources: [props.rulesetName, ...served.map((m) => m.rulesetName)].map((r) =>
        stack.formatArn({ service: 'glue', resource: 'dataQualityRuleset', resourceName: r }),
      ),
    }),
  ];
}

/** Reading the consumed tables' catalog entries (and, through a resource link, the linked table's). */
function consumedCatalogStatement(stack: Stack, consumed: readonly ConsumedTable[]): iam.PolicyStatement {
  const glueArn = (resource: string, resourceName?: string, account?: string) =>
    stack.formatArn({
      service: 'glue',
      resource,
      ...(resourceName === undefined ? {} : { resourceName }),
      ...(account === undefined ? {} : { account }),
    });
  return new iam.PolicyStatement({
    sid: 'ReadConsumedCatalog',
    actions: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartition', 'glue:GetPartitions', 'glue:BatchGetPartition'],
    resources: [
      ...new Set([
        glueArn('catalog'),
        ...consumed.map((c) => glueArn('database', c.databaseName)),
        ...consumed.map((c) => glueArn('table', `${c.databaseName}/${c.tableName}`)),
        ...consumed.flatMap(({ target: t }) =>
          t
            ? [
                glueArn('catalog', undefined, t.catalogId),
                glueArn('database', t.databaseName, t.catalogId),
                glueArn('table', `${t.databaseName}/${t.tableName}`, t.catalogId),
              ]
            : [],
        ),
      ]),
    ],
  });
}

/** The role's service statements: Glue's log groups, the mesh's metrics, Lake Formation data access. */
function serviceStatements(stack: Stack): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      sid: 'Logs',
      actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:AssociateKmsKey'],
      resources: [
        stack.formatArn({
          service: 'logs',
          resource: 'log-group',
          resourceName: '/aws-glue/*',
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ],
    }),
    new iam.PolicyStatement({
      sid: 'Metrics',
      actions: ['cloudwatch:PutMetricData'],
      resources: ['*'],
      conditions: { StringEquals: { 'cloudwatch:namespace': ['Glue', MESH_METRICS_NAMESPACE] } },
    }),
    new iam.PolicyStatement({
      sid: 'LakeFormationData',
      actions: ['lakeformation:GetDataAccess'],
      resources: ['*'],
    }),
  ];
}

/**
 * The Glue job of every product, shipped with this package (`glue/job.py`): contract-independent,
 * a thin Glue entry point (arguments, GlueContext, bookmarks, catalog sinks, EvaluateDataQuality
 * with the DQDL ruleset named by `--dq-ruleset-name`, metrics) around the PySpark core
 * ({@link defaultCorePath}), which runs `--transform-sql` with Spark SQL (consumed products as
 * views), casts to the contract's types and splits curated and quarantine rows by `--check-plan`.
 */
export function defaultScriptPath(): string {
  return fileURLToPath(new URL('../../glue/job.py', import.meta.url));
}

/**
 * The pure PySpark core of the job, shipped with this package (`glue/meshkit_spark.py`): read raw,
 * transform.sql, conformance, the checks of `--check-plan`, curated / quarantine split, served
 * majors. No Glue or AWS import: the parity tests run it on local Spark.
 */
export function defaultCorePath(): string {
  return fileURLToPath(new URL('../../glue/meshkit_spark.py', import.meta.url));
}
