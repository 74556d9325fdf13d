import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { MeshError } from '../errors.js';
import {
  validateDomainManifest,
  validateMeshConfig,
  validateProductManifest,
  type StandaloneValidator,
} from '../generated/validators.js';
import { schemaDiagnostics } from '../load/schema-diagnostics.js';
import { loadSource, type SourceDocument } from '../load/source.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { tagRequirementsOf, type TagRequirement } from './tags.js';
import {
  DEFAULT_CONTRACT_FILE,
  DOMAIN_MANIFEST_FILE,
  domainsDir,
  PRODUCT_MANIFEST_FILE,
  productsDir,
} from '../repository/paths.js';

/** Lint rule setting in `mesh.config.yaml`. */
export type RuleSetting = 'off' | 'warn' | 'error';

/** A deployment environment (one AWS account and region). */
export interface Environment {
  /** 12-digit AWS account id. */
  account: string;
  /** AWS region, e.g. `eu-west-1`. */
  region: string;
  description?: string;
}

/** Data classification levels, from least to most sensitive. */
export type Classification = 'public' | 'internal' | 'confidential' | 'restricted';

/** An IAM role that reads data products, granted SELECT and DESCRIBE through Lake Formation tags. */
export interface Consumer {
  name: string;
  /** The consumer's IAM role (may be in another account: a cross-account grant). */
  roleArn: string;
  /** Domains it may read. @default every domain */
  domains?: string[];
  /** Classifications it may read. @default ['public', 'internal'] */
  classifications: Classification[];
}

/** `mesh.config.yaml`: organisation-wide settings, at the repository root. */
export interface MeshConfig {
  organisation: string;
  /** npm scope of domain and product packages, e.g. `@acme`. */
  npmScope: string;
  /** Deployment environments by name. @default {} */
  environments: Record<string, Environment>;
  defaults: {
    region?: string;
    /** Classification of products that do not declare one. @default 'internal' */
    classification: Classification;
    /** Compatibility mode of contracts that do not declare one. @default 'FULL' */
    compatibility: string;
    retentionDays?: number;
  };
  contracts: {
    lint: {
      /** Severity overrides by lint rule id. @default {} */
      rules: Record<string, RuleSetting>;
    };
  };
  /** Account-level settings of the platform stack. @default {} */
  platform: {
    /** IAM role ARNs appended to the Lake Formation admins. @default [] */
    lakeFormationAdmins: string[];
    /** Region the curated zone of critical products replicates to. @default none (replication off) */
    replicaRegion?: string;
    /** E-mail subscribed to product alarm topics. @default none */
    alarmEmail?: string;
  };
  /** Reader roles of the mesh. @default [] */
  consumers: Consumer[];
  /** The platform's settings of the policy pack. */
  policy: PolicySettings;
  /** Where `mesh publish` records contract versions. @default {} */
  catalog: {
    /** Directory of the embedded local catalog, relative to the repository root. @default '.mesh/catalog' */
    path?: string;
    /** The AWS Glue Schema Registry backend (`mesh publish --catalog glue`). @default none (region from the environment) */
    glue?: GlueCatalogConfig;
  };
}

/** An allow-list entry of `policy` in mesh.config.yaml: what is allowed, and why. */
export interface PolicyAllowance {
  type: string;
  /** At least 10 characters; shown in the policy report. */
  reason: string;
}

/** `policy` of mesh.config.yaml. */
export interface PolicySettings {
  /** Resource types allowed in product and domain stacks beyond those the pack knows. @default [] */
  allowedResourceTypes: PolicyAllowance[];
  /** Custom resources (`Custom::Name`) or AwsCustomResource calls (`service:Action`) allowed. @default [] */
  allowedCustomResources: PolicyAllowance[];
  /** Longest a suppression may run, in days from now. @default 180 */
  maxSuppressionDays: number;
  /**
   * Mandatory tag keys of every taggable resource, with their allowed values or pattern and
   * enforcement date (MESH-TAG-MANDATORY; MANIFEST-TAG-* before synth).
   * @default DEFAULT_TAG_REQUIREMENTS (domain, product, owner, classification, cost-center, contract-version)
   */
  tags?: TagRequirement[];
  /** The organisation's policy packs (npm package names resolved from the repository root). @default [] */
  packs?: string[];
  /** Per-rule settings by rule id (core and pack rules): level and enforcement date. @default {} */
  rules?: Record<string, PolicyRuleSetting>;
}

/** `policy.rules.<id>` of mesh.config.yaml. */
export interface PolicyRuleSetting {
  /** `off` (not run), `warning` (never fails), `error` (fails, from `enforceFrom` when set). @default the rule's own */
  level?: 'off' | 'warning' | 'error';
  /** ISO date (`YYYY-MM-DD`) from which a violation is an error. @default the rule's own */
  enforceFrom?: string;
}

/** Default `policy.maxSuppressionDays`. */
export const DEFAULT_MAX_SUPPRESSION_DAYS = 180;

/** `catalog.glue` of mesh.config.yaml: where the AWS backend publishes. Credentials: the default AWS chain. */
export interface GlueCatalogConfig {
  /** Registry of the organisation. @default `<organisation slug>-data-contracts` */
  registryName?: string;
  /** AWS region; env MESH_GLUE_REGION overrides. @default AWS_REGION, else AWS_DEFAULT_REGION */
  region?: string;
  /** Glue endpoint URL (e.g. a local emulator). @default the regional AWS endpoint; env MESH_GLUE_ENDPOINT overrides */
  endpoint?: string;
  /** Lake Formation endpoint URL. @default `endpoint` when set, else the regional AWS endpoint */
  lakeFormationEndpoint?: string;
  /** Attempts per API call (throttling and 5xx are retried with backoff). @default 5 */
  maxAttempts?: number;
}

/** `domain.yaml`: the manifest of one domain, in `domains/<domain>/`. */
export interface DomainManifest {
  name: string;
  description?: string;
  owner: string;
  /** Tag `cost-center` of the domain's resources (products may override). */
  costCenter: string;
  /** Environment names the domain deploys to. @default [] */
  environments: string[];
  /** Bytes-scanned cutoff per Athena query. @default 107374182400 (100 GiB) */
  athenaBytesScannedCutoff: number;
  /**
   * The domain's AWS account per environment name, where it differs from the environment's
   * account (`mesh.config.yaml` `environments`). @default {} (every domain in the environment's account)
   */
  accounts: Record<string, string>;
  /** Tags of the domain's stacks (products inherit them); mandatory keys of `policy.tags` go here. @default none */
  tags?: Record<string, string>;
}

/** What lands in a product's raw zone: batch files under `landing/`, or a stream's records. */
export type LandingFormat = 'csv' | 'jsonl' | 'parquet';

/** File extensions of each landing format (lowercase, with the dot). */
export const LANDING_FORMAT_EXTENSIONS: Readonly<Record<LandingFormat, readonly string[]>> = {
  csv: ['.csv'],
  jsonl: ['.jsonl', '.ndjson'],
  parquet: ['.parquet'],
};

/** The landing format a file name's extension stands for, if any. */
export function landingFormatOfFile(file: string): LandingFormat | undefined {
  const lower = file.toLowerCase();
  return (Object.keys(LANDING_FORMAT_EXTENSIONS) as LandingFormat[]).find((f) =>
    LANDING_FORMAT_EXTENSIONS[f].some((e) => lower.endsWith(e)),
  );
}

/** The landing format of a product: `ingestion.format`, else csv for batch and jsonl for stream products. */
export function landingFormatOf(ingestion: Pick<ProductIngestion, 'mode' | 'format'>): LandingFormat {
  return ingestion.format ?? (ingestion.mode === 'stream' ? 'jsonl' : 'csv');
}

/** `ingestion` of product.yaml. */
export interface ProductIngestion {
  mode: 'batch' | 'stream';
  /**
   * Format of what lands: batch files (csv with a header row, jsonl, parquet); a stream's records
   * are jsonl (Firehose converts them to Parquet in the raw zone).
   * @default 'csv' for batch, 'jsonl' for stream
   */
  format?: LandingFormat;
  /**
   * Stream products only: when the Glue job curates what Firehose delivered (EventBridge
   * `rate(…)`/`cron(…)`, converted to a Glue cron). Batch products start on landing events.
   * @default 'rate(1 hour)' for stream products
   */
  schedule?: string;
  shards?: number;
}

/** Default schedule of a stream product's job (`ingestion.schedule`). */
export const DEFAULT_STREAM_SCHEDULE = 'rate(1 hour)';

/** An entry of `servedMajors` in product.yaml, as written (see `ServedMajorFiles` for its resolved paths). */
export interface ServedMajorManifestEntry {
  /** The older major served. */
  major: number;
  /** Its frozen contract, relative to the product folder. */
  contract: string;
  /** Its compatibility SQL, relative to the product folder. */
  compatibilitySql: string;
}

/** `product.yaml`: the manifest of one data product. */
export interface ProductManifest {
  domain: string;
  name: string;
  description?: string;
  owner: string;
  /** Path of the contract, relative to the manifest. @default 'contract.odcs.yaml' */
  contract: string;
  ingestion: ProductIngestion;
  classification?: Classification;
  retentionDays?: number;
  /** Tag `cost-center`. @default the domain's */
  costCenter?: string;
  criticality?: 'low' | 'medium' | 'high' | 'critical';
  /** Products this one reads. @default [] */
  consumes: Array<{
    /** `<domain>/<product>` of the producer. */
    product: string;
    /** semver range of the producer's contract, e.g. `^1.2.0`. */
    version: string;
    /** Columns of the producer's output this product reads. @default every column */
    columns?: string[];
  }>;
  /**
   * Older majors still served side by side with the current contract, each with its frozen
   * contract and the compatibility SQL deriving it from the current output (relation `current`).
   * @default []
   */
  servedMajors: ServedMajorManifestEntry[];
  /** Environment names it deploys to. @default [] */
  environments: string[];
  tags?: Record<string, string>;
  /** About the sample input under `fixtures/`. @default {} */
  fixtures?: {
    /**
     * The pinned clock of fixture runs (ISO 8601 date-time): the instant freshness and other
     * time-relative rules are evaluated at when a run reads the product's own fixtures, so they
     * do not age. Real inputs (`--input`, landed files, streams) use the real clock.
     * @default none: fixture runs use the real clock
     */
    now?: string;
  };
}

/** A typed, validated configuration file and where it came from. */
export interface Loaded<T> {
  value: T;
  source: SourceDocument;
}

/** File name of the repository configuration. */
export const MESH_CONFIG_FILE = 'mesh.config.yaml';

function validated<T>(file: string, validate: StandaloneValidator, what: string): Loaded<T> {
  const source = loadSource(file);
  let diagnostics: Diagnostic[] = [];
  if (source.data === null || source.data === undefined) {
    diagnostics = [
      {
        rule: 'CONFIG-SCHEMA',
        severity: 'error',
        message: `the file is empty: expected ${what}`,
        location: source.locate([]),
      },
    ];
  } else if (!validate(source.data)) {
    diagnostics = schemaDiagnostics(validate.errors ?? [], source, 'CONFIG-SCHEMA');
  }
  const first = diagnostics[0];
  if (first) {
    const more =
      diagnostics.length > 1
        ? ` (and ${diagnostics.length - 1} more: ${diagnostics
            .slice(1)
            .map((d) => `${d.location.line}:${d.location.column} ${d.message}`)
            .join('; ')})`
        : '';
    throw new MeshError('INVALID_CONFIG', `${first.message}${more}`, {
      file,
      line: first.location.line,
      column: first.location.column,
      exitCode: 2,
    });
  }
  return { value: source.data as T, source };
}

/**
 * Loads and validates `mesh.config.yaml` (schema: schemas/mesh-config.schema.json), filling
 * defaults.
 * @throws MeshError `INVALID_CONFIG` (exit 2) with file:line:col of the first problem.
 */
export function loadMeshConfig(file: string): Loaded<MeshConfig> {
  const loaded = validated<Partial<MeshConfig>>(
    file,
    validateMeshConfig,
    'the Meshkit configuration (organisation, npmScope, …)',
  );
  const v = loaded.value;
  return {
    source: loaded.source,
    value: {
      organisation: v.organisation!,
      npmScope: v.npmScope!,
      environments: v.environments ?? {},
      defaults: { classification: 'internal', compatibility: 'FULL', ...v.defaults },
      contracts: { lint: { rules: { ...v.contracts?.lint?.rules } } },
      platform: { ...v.platform, lakeFormationAdmins: v.platform?.lakeFormationAdmins ?? [] },
      consumers: (v.consumers ?? []).map((c) => ({
        ...c,
        classifications: c.classifications ?? ['public', 'internal'],
      })),
      policy: {
        allowedResourceTypes: v.policy?.allowedResourceTypes ?? [],
        allowedCustomResources: v.policy?.allowedCustomResources ?? [],
        maxSuppressionDays: v.policy?.maxSuppressionDays ?? DEFAULT_MAX_SUPPRESSION_DAYS,
        tags: checkedTagRequirements(file, loaded.source, v.policy?.tags),
        packs: v.policy?.packs ?? [],
        rules: { ...v.policy?.rules },
      },
      catalog: { ...v.catalog },
    },
  };
}

/** `policy.tags` normalised; a pattern that does not compile or a key given twice is refused at its line. */
function checkedTagRequirements(
  file: string,
  source: SourceDocument,
  raw: ReadonlyArray<string | TagRequirement> | undefined,
): TagRequirement[] {
  const reqs = tagRequirementsOf(raw);
  const seen = new Set<string>();
  reqs.forEach((r, i) => {
    const at = (path: Array<string | number>, message: string): never => {
      const l = source.locate(path);
      throw new MeshError('INVALID_CONFIG', message, { file, line: l.line, column: l.column, exitCode: 2 });
    };
    const path: Array<string | number> =
      typeof raw?.[i] === 'string' ? ['policy', 'tags', i] : ['policy', 'tags', i, 'key'];
    if (seen.has(r.key)) at(path, `policy.tags: the tag key '${r.key}' is listed twice`);
    seen.add(r.key);
    if (r.pattern !== undefined) {
      try {
        new RegExp(r.pattern, 'u');
      } catch (e) {
        at(
          ['policy', 'tags', i, 'pattern'],
          `policy.tags[${i}].pattern is not a valid regular expression: ${(e as Error).message}`,
        );
      }
    }
    if (r.enforceFrom !== undefined && Number.isNaN(Date.parse(`${r.enforceFrom}T00:00:00Z`)))
      at(['policy', 'tags', i, 'enforceFrom'], `policy.tags[${i}].enforceFrom '${r.enforceFrom}' is not a date`);
  });
  return reqs;
}

/**
 * Loads and validates a `product.yaml` (schema: schemas/product-manifest.schema.json), filling
 * defaults.
 * @throws MeshError `INVALID_CONFIG` (exit 2) with file:line:col of the first problem.
 */
export function loadProductManifest(file: string): Loaded<ProductManifest> {
  const loaded = validated<Partial<ProductManifest>>(
    file,
    validateProductManifest,
    'a product manifest (domain, name, owner, ingestion)',
  );
  const v = loaded.value;
  const ingestion = v.ingestion as Partial<ProductIngestion> & Pick<ProductIngestion, 'mode'>;
  const refuse = (key: keyof ProductIngestion, message: string): never => {
    const at = loaded.source.locate(['ingestion', key], { key: true });
    throw new MeshError('INVALID_CONFIG', message, { file, line: at.line, column: at.column, exitCode: 2 });
  };
  if (ingestion.mode === 'batch' && ingestion.schedule !== undefined) {
    refuse(
      'schedule',
      `ingestion.schedule: a batch product's job starts when files land under landing/ (S3 event → Glue workflow), so it takes no schedule; remove it (schedule applies to stream products)`,
    );
  }
  if (ingestion.mode === 'batch' && ingestion.shards !== undefined) {
    refuse('shards', `ingestion.shards: a batch product has no stream; remove it (shards apply to stream products)`);
  }
  if (ingestion.mode === 'stream' && ingestion.format !== undefined && ingestion.format !== 'jsonl') {
    refuse(
      'format',
      `ingestion.format: a stream product's records are JSON (jsonl), which Firehose converts to Parquet; '${ingestion.format}' is for batch products`,
    );
  }
  const format = landingFormatOf(ingestion);
  return {
    source: loaded.source,
    value: {
      ...v,
      ingestion: {
        ...ingestion,
        format,
        ...(ingestion.mode === 'stream' ? { schedule: ingestion.schedule ?? DEFAULT_STREAM_SCHEDULE } : {}),
      },
      contract: v.contract ?? DEFAULT_CONTRACT_FILE,
      consumes: v.consumes ?? [],
      servedMajors: v.servedMajors ?? [],
      environments: v.environments ?? [],
    } as ProductManifest,
  };
}

/** File name of a domain manifest (defined with the repository layout). */
export { DOMAIN_MANIFEST_FILE };

/**
 * Loads and validates a `domain.yaml` (schema: schemas/domain-manifest.schema.json), filling
 * defaults.
 * @throws MeshError `INVALID_CONFIG` (exit 2) with file:line:col of the first problem.
 */
export function loadDomainManifest(file: string): Loaded<DomainManifest> {
  const loaded = validated<Partial<DomainManifest>>(
    file,
    validateDomainManifest,
    'a domain manifest (name, owner, costCenter)',
  );
  const v = loaded.value;
  return {
    source: loaded.source,
    value: {
      ...v,
      environments: v.environments ?? [],
      athenaBytesScannedCutoff: v.athenaBytesScannedCutoff ?? 100 * 1024 ** 3,
      accounts: v.accounts ?? {},
    } as DomainManifest,
  };
}

/** The nearest directory at or above `from` holding `mesh.config.yaml`, if any. */
export function findRepoRoot(from: string = process.cwd()): string | undefined {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, MESH_CONFIG_FILE))) return dir;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/** A product folder of a repository: `domains/<domain>/products/<product>` holding a product.yaml. */
export interface ProductLocation {
  domain: string;
  product: string;
  /** Absolute path of the product folder. */
  dir: string;
}

/** Every product folder of the repository at `root`, sorted by domain then product. */
export function findProducts(root: string): ProductLocation[] {
  const out: ProductLocation[] = [];
  const domains = domainsDir(root);
  if (!existsSync(domains)) return out;
  for (const domain of readdirSync(domains).sort()) {
    const products = productsDir(root, domain);
    if (!existsSync(products)) continue;
    for (const product of readdirSync(products).sort()) {
      const dir = join(products, product);
      if (existsSync(join(dir, PRODUCT_MANIFEST_FILE))) out.push({ domain, product, dir });
    }
  }
  return out;
}
