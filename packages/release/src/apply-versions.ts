/**
 * `mesh version` as a library: applies the pending changesets with the installed
 * `changeset version` (no network), writes each product's new package version into its contract,
 * and checks that every product's package.json and contract agree.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { promisify, stripVTControlCharacters } from 'node:util';
import {
  RepositoryProduct,
  findProducts,
  MeshError,
  readContractVersion,
  setContractVersion,
  versionPosition,
  writeFileAtomic,
  type Diagnostic,
} from '@meshkit/contracts';
import { CHANGESET_DIR, readPendingChangesets } from './changeset-file.js';

/** A product that is a workspace package. */
interface ProductPackage {
  product: string;
  name: string;
  private: boolean;
  packageFile: string;
  contractFile: string;
}

/** One package the changesets release. */
export interface VersionRelease {
  /** Package name. */
  name: string;
  /** The bump changesets applies (the largest its pending changesets declare, or a dependent's). */
  type: 'major' | 'minor' | 'patch' | 'none';
  /** The package.json version before the release. */
  oldVersion: string;
  /** The package.json version after it (and the contract's, for a data product). */
  newVersion: string;
  /** `<domain>/<product>` when the package is a data product. */
  product?: string;
  /** The product's contract file (relative to the repository root). */
  contractFile?: string;
  /** The contract's `version` was (or, with dryRun, would be) rewritten to `newVersion`. */
  contractUpdated: boolean;
}

/** The outcome of {@link applyVersions}. */
export interface VersionResult {
  /** Nothing was written (see {@link ApplyVersionsOptions.dryRun}). */
  dryRun: boolean;
  /** Ids (file names without `.md`) of the changesets consumed (or that would be). */
  changesets: string[];
  /** Every package the changesets release, data products or not. */
  releases: VersionRelease[];
  /** VERSION_MISMATCH findings: a product whose package.json and contract versions differ. */
  mismatches: Diagnostic[];
  /** Errors and warnings `changeset version` printed although it succeeded (e.g. an internal dependency range it could not update). @default [] */
  warnings: string[];
  /** No mismatch. */
  ok: boolean;
}

/** Options of {@link applyVersions}. */
export interface ApplyVersionsOptions {
  /** Compute and report the release plan; write nothing. @default false */
  dryRun?: boolean;
}

/**
 * Applies the pending changesets of the repository at `root`: runs `changeset version` (bumps
 * package.json versions, internal dependency ranges, CHANGELOG.md; consumes `.changeset/*.md`),
 * then writes each product's new version into its contract's `version` (only that value changes;
 * comments survive), then checks every product's package.json against its contract.
 * With `dryRun` the plan comes from `@changesets/get-release-plan` and nothing is written.
 * @throws MeshError (exit 2) without `.changeset/config.json`, when the config keeps a product
 * that a changeset names from being versioned (private packages with `privatePackages.version`
 * false, or an ignored package), or when changesets rejects the changesets.
 */
export async function applyVersions(root: string, options: ApplyVersionsOptions = {}): Promise<VersionResult> {
  const products = productPackages(root);
  const byName = new Map(products.map((p) => [p.name, p]));
  checkConfig(root, byName);
  const plan = await releasePlan(root);
  const releases: VersionRelease[] = plan.releases.map((r) => {
    const p = byName.get(r.name);
    return {
      name: r.name,
      type: r.type,
      oldVersion: r.oldVersion,
      newVersion: r.newVersion,
      ...(p ? { product: p.product, contractFile: rel(root, p.contractFile) } : {}),
      contractUpdated: false,
    };
  });
  const changesets = plan.changesets.map((c) => c.id);
  const warnings: string[] = [];
  if (options.dryRun) {
    for (const r of releases) {
      const p = byName.get(r.name);
      if (p && r.newVersion !== r.oldVersion)
        r.contractUpdated = readContractVersion(readFileSync(p.contractFile, 'utf8')) !== r.newVersion;
    }
    const released = new Set(releases.map((r) => r.name));
    const mismatches = checkAgreement(
      root,
      products.filter((p) => !released.has(p.name)),
    );
    return { dryRun: true, changesets, releases, mismatches, warnings, ok: mismatches.length === 0 };
  }
  if (changesets.length) {
    const before = new Map(products.map((p) => [p.name, packageVersion(p.packageFile)]));
    warnings.push(...(await runChangesetVersion(root)));
    const byRelease = new Map(releases.map((r) => [r.name, r]));
    for (const p of products) {
      const version = packageVersion(p.packageFile);
      if (version === undefined || version === before.get(p.name)) continue;
      const text = readFileSync(p.contractFile, 'utf8');
      if (readContractVersion(text) === version) continue;
      writeFileAtomic(p.contractFile, setContractVersion(text, version, rel(root, p.contractFile)));
      const r = byRelease.get(p.name);
      if (r) r.contractUpdated = true;
    }
  }
  const mismatches = checkAgreement(root, products);
  return { dryRun: false, changesets, releases, mismatches, warnings, ok: mismatches.length === 0 };
}

/** The products that are workspace packages (a package.json beside product.yaml and a contract). */
function productPackages(root: string): ProductPackage[] {
  const out: ProductPackage[] = [];
  for (const loc of findProducts(root)) {
    const packageFile = join(loc.dir, 'package.json');
    const contractFile = new RepositoryProduct(root, loc.domain, loc.product, loc.dir).contractFile;
    if (!existsSync(packageFile) || !existsSync(contractFile)) continue;
    const pkg = readJson(packageFile) as { name?: unknown; private?: unknown };
    if (typeof pkg.name !== 'string') continue;
    out.push({
      product: `${loc.domain}/${loc.product}`,
      name: pkg.name,
      private: pkg.private === true,
      packageFile,
      contractFile,
    });
  }
  return out;
}

/**
 * Fails early, with the fix, when `.changeset/config.json` would make changesets skip a product
 * that a pending changeset names: changesets versions private packages only with
 * `privatePackages.version` (its default), and never versions `ignore`d ones.
 */
function checkConfig(root: string, products: Map<string, ProductPackage>): void {
  const file = join(root, CHANGESET_DIR, 'config.json');
  if (!existsSync(file)) {
    throw new MeshError(
      'INVALID_CONFIG',
      `no ${CHANGESET_DIR}/config.json: changesets is not set up in this repository (run \`npx changeset init\`)`,
      { file },
    );
  }
  const config = readJson(file) as { privatePackages?: false | { version?: boolean }; ignore?: unknown };
  const versionsPrivate = config.privatePackages !== false && config.privatePackages?.version !== false;
  const ignored = new Set(
    Array.isArray(config.ignore) ? config.ignore.filter((x): x is string => typeof x === 'string') : [],
  );
  for (const c of readPendingChangesets(root)) {
    for (const name of Object.keys(c.releases)) {
      const p = products.get(name);
      if (!p) continue;
      if (p.private && !versionsPrivate) {
        throw new MeshError(
          'INVALID_CONFIG',
          `${name} (${p.product}) is a private package and changesets is configured not to version private packages: ` +
            'set "privatePackages": { "version": true, "tag": false } in .changeset/config.json',
          { file },
        );
      }
      if (ignored.has(name)) {
        throw new MeshError(
          'INVALID_CONFIG',
          `${name} (${p.product}) has a pending changeset (${CHANGESET_DIR}/${c.name}) but is in "ignore" of .changeset/config.json: ` +
            'a data product must be versioned (remove it from "ignore")',
          { file },
        );
      }
    }
  }
}

interface Plan {
  changesets: Array<{ id: string }>;
  releases: Array<{ name: string; type: VersionRelease['type']; oldVersion: string; newVersion: string }>;
}

/** The release plan of the pending changesets (@changesets/get-release-plan: the same computation `changeset version` applies). */
async function releasePlan(root: string): Promise<Plan> {
  const mod = (await import('@changesets/get-release-plan')) as unknown as {
    default: ((cwd: string) => Promise<Plan>) | { default: (cwd: string) => Promise<Plan> };
  };
  const getReleasePlan = typeof mod.default === 'function' ? mod.default : mod.default.default;
  try {
    return await getReleasePlan(root);
  } catch (e) {
    throw new MeshError('INVALID_CONFIG', `changesets cannot plan the release: ${changesetsMessage(e)}`, {
      file: join(root, CHANGESET_DIR),
      cause: e,
    });
  }
}

function changesetsMessage(e: unknown): string {
  const err = e as Error & { messages?: string[] };
  return (err.messages?.join('; ') ?? err.message).split('\n').filter(Boolean).join('; ');
}

/** The `changeset` binary: the repository's own install first, else the one @meshkit/release depends on. */
export function changesetsBin(root: string): string {
  for (const from of [join(root, 'package.json'), import.meta.url]) {
    try {
      return join(dirname(createRequire(from).resolve('@changesets/cli/package.json')), 'bin.js');
    } catch {
      /* next */
    }
  }
  throw new MeshError('USAGE', '@changesets/cli is not installed: npm install -D @changesets/cli');
}

/** Runs `changeset version`; returns the error/warning lines it printed while succeeding. */
async function runChangesetVersion(root: string): Promise<string[]> {
  try {
    const { stderr } = await promisify(execFile)(process.execPath, [changesetsBin(root), 'version'], {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 16 * 1024 * 1024,
      // No prompts, no colours, no registry.
      env: { ...process.env, CI: '1', FORCE_COLOR: '0', npm_config_offline: 'true' },
    });
    // What it prints on stderr while succeeding are complaints (e.g. an internal dependency range
    // it left behind): without colours, each once.
    return [
      ...new Set(
        stripVTControlCharacters(stderr)
          .split('\n')
          .map((l) => l.trim())
          .filter(Boolean),
      ),
    ];
  } catch (e) {
    const err = e as { stderr?: string; stdout?: string; message: string };
    const output = `${err.stderr ?? ''}${err.stdout ?? ''}`.trim().split('\n').filter(Boolean).slice(-5).join('; ');
    throw new MeshError('INVALID_CONFIG', `changeset version failed: ${output || err.message}`, { cause: e });
  }
}

/** VERSION_MISMATCH for each product whose package.json version differs from its contract's. */
function checkAgreement(root: string, products: readonly ProductPackage[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const p of products) {
    const pkgVersion = packageVersion(p.packageFile);
    const text = readFileSync(p.contractFile, 'utf8');
    const contractVersion = readContractVersion(text);
    if (pkgVersion === contractVersion) continue;
    out.push({
      rule: 'VERSION_MISMATCH',
      severity: 'error',
      path: 'version',
      location: { file: rel(root, p.contractFile), ...versionPosition(text) },
      message: `contract version ${contractVersion ?? '(none)'} differs from ${rel(root, p.packageFile)} version ${pkgVersion ?? '(none)'}: the package version is the contract version`,
    });
  }
  return out;
}

function packageVersion(file: string): string | undefined {
  const v = (readJson(file) as { version?: unknown }).version;
  return typeof v === 'string' ? v : undefined;
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new MeshError('INVALID_CONFIG', `not valid JSON: ${(e as Error).message}`, { file, cause: e });
  }
}

const rel = (root: string, file: string) => relative(root, file).split(sep).join('/');
