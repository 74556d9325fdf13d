import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { MeshError } from '../errors.js';
import { validateMeshConfig, validateProductManifest, type StandaloneValidator } from '../generated/validators.js';
import { schemaDiagnostics } from '../load/schema-diagnostics.js';
import { loadSource, type SourceDocument } from '../load/source.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';

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
    classification: 'public' | 'internal' | 'confidential' | 'restricted';
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
}

/** `product.yaml`: the manifest of one data product. */
export interface ProductManifest {
  domain: string;
  name: string;
  description?: string;
  owner: string;
  /** Path of the contract, relative to the manifest. @default 'contract.odcs.yaml' */
  contract: string;
  ingestion: { mode: 'batch' | 'stream'; schedule?: string; shards?: number };
  classification?: 'public' | 'internal' | 'confidential' | 'restricted';
  retentionDays?: number;
  criticality?: 'low' | 'medium' | 'high' | 'critical';
  /** Products this one reads. @default [] */
  consumes: Array<{ product: string; version: string }>;
  /** Environment names it deploys to. @default [] */
  environments: string[];
  tags?: Record<string, string>;
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
    diagnostics = [{ rule: 'CONFIG-SCHEMA', severity: 'error', message: `the file is empty: expected ${what}`, location: source.locate([]) }];
  } else if (!validate(source.data)) {
    diagnostics = schemaDiagnostics(validate.errors ?? [], source, 'CONFIG-SCHEMA');
  }
  const first = diagnostics[0];
  if (first) {
    const more = diagnostics.length > 1 ? ` (and ${diagnostics.length - 1} more: ${diagnostics.slice(1).map((d) => `${d.location.line}:${d.location.column} ${d.message}`).join('; ')})` : '';
    throw new MeshError('INVALID_CONFIG', `${first.message}${more}`, {
      file, line: first.location.line, column: first.location.column, exitCode: 2,
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
  const loaded = validated<Partial<MeshConfig>>(file, validateMeshConfig, 'the Meshkit configuration (organisation, npmScope, …)');
  const v = loaded.value;
  return {
    source: loaded.source,
    value: {
      organisation: v.organisation!,
      npmScope: v.npmScope!,
      environments: v.environments ?? {},
      defaults: { classification: 'internal', compatibility: 'FULL', ...v.defaults },
      contracts: { lint: { rules: { ...v.contracts?.lint?.rules } } },
    },
  };
}

/**
 * Loads and validates a `product.yaml` (schema: schemas/product-manifest.schema.json), filling
 * defaults.
 * @throws MeshError `INVALID_CONFIG` (exit 2) with file:line:col of the first problem.
 */
export function loadProductManifest(file: string): Loaded<ProductManifest> {
  const loaded = validated<Partial<ProductManifest>>(file, validateProductManifest, 'a product manifest (domain, name, owner, ingestion)');
  const v = loaded.value;
  return {
    source: loaded.source,
    value: { ...v, contract: v.contract ?? 'contract.odcs.yaml', consumes: v.consumes ?? [], environments: v.environments ?? [] } as ProductManifest,
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
