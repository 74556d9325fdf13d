/**
 * `mesh changeset` as a library: for each product whose contract changed since its last release,
 * the changeset its compatibility diff requires — planned first (pure reads), then written.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import {
  checkVersion,
  compareBumps,
  RepositoryProduct,
  diffContracts,
  errorDiagnostic,
  isMeshError,
  loadContract,
  MeshError,
  writeFileAtomic,
  type Bump,
  type Change,
  type CompatibilityMode,
  type ContractInput,
  type Diagnostic,
  type ProductLocation,
} from '@meshkit/contracts';
import {
  CHANGESET_DIR,
  changesetName,
  isGeneratedFor,
  largestPending,
  readPendingChangesets,
  renderChangeset,
  type PendingChangeset,
} from './changeset-file.js';

/**
 * What `mesh changeset` does for one product:
 * - `write`: a new changeset is needed (`file`, `content`); `raises` names smaller pending ones;
 * - `up-to-date`: the changeset for exactly this change already exists (re-run);
 * - `covered`: pending changesets already declare an equal or larger bump (`pending`);
 * - `unchanged`: the diff against the baseline has no change (`pending`: changesets this command
 *   generated earlier for the product, now stale — reported, not deleted);
 * - `first-version`: no baseline (never released);
 * - `version-set`: the contract's `version` was already moved by hand; the gate judges it (`ok`);
 * - `invalid`: the contract cannot be read or is not valid (`diagnostics`).
 */
export type ChangesetAction =
  'write' | 'up-to-date' | 'covered' | 'unchanged' | 'first-version' | 'version-set' | 'invalid';

/** The plan for one product. */
export interface ProductChangesetPlan {
  /** `<domain>/<product>`. */
  product: string;
  /** The domain. */
  domain: string;
  /** The product's name in its domain. */
  name: string;
  /** The product's contract file, absolute. */
  contractFile: string;
  /** The product's package name (package.json `name`). */
  packageName: string;
  /** What the plan does for the product (see {@link ChangesetAction}). */
  action: ChangesetAction;
  /** Contract version in the working copy. */
  version?: string;
  /** Where the baseline comes from (`catalog:<d>/<p>@<v>`, `<ref>:<path>` or a file). */
  baseline?: string;
  /** The baseline's contract version. */
  baselineVersion?: string;
  /** The bump the diff requires (after the below-1.0.0 shift). */
  requiredBump?: Bump;
  /** The rule-level changes since the baseline. */
  changes: Change[];
  /** The changeset to write (`write`) or already written (`up-to-date`), absolute. */
  file?: string;
  /** Its content (`write`, `up-to-date`). */
  content?: string;
  /** The largest pending bump from other changesets and their file names (`covered`, `write` when raising). */
  pending?: { bump: Bump; files: string[] };
  /** Earlier changesets generated for this product that the new one replaces (never a larger bump), absolute. */
  supersedes: string[];
  /** False when this product fails the run: a hand-set version below the required bump, or an invalid contract. */
  ok: boolean;
  /** Findings: VERSION_BUMP_INSUFFICIENT (`version-set`) or why the contract is `invalid`. */
  diagnostics: Diagnostic[];
  /** True when `invalid` because the file was unreadable (exit 2 rather than 1). */
  unreadable?: boolean;
}

/** Options of {@link planChangesets}. */
export interface PlanChangesetsOptions {
  /** Products to consider (see `findProducts`). */
  products: ProductLocation[];
  /** Compatibility mode. @default each contract's `meshkit.compatibility`, else FULL */
  mode?: CompatibilityMode;
  /** Directory display names are relative to. @default root */
  cwd?: string;
}

/**
 * Plans the changesets of `products` in the repository at `root` without writing anything. The
 * baseline is `releaseBaseline` of @meshkit/catalog (the latest published version of the same
 * major, else git HEAD); the bump is `diffContracts(...).requiredBump` — never lowered.
 * @throws MeshError (exit 2) for a product without a readable package.json, a baseline that
 * cannot be read, or a pending changeset with invalid front matter.
 */
export async function planChangesets(root: string, options: PlanChangesetsOptions): Promise<ProductChangesetPlan[]> {
  const { releaseBaseline } = await import('@meshkit/catalog');
  const pending = readPendingChangesets(root);
  const cwd = options.cwd ?? root;
  const plans: ProductChangesetPlan[] = [];
  for (const loc of options.products) {
    const contractFile = new RepositoryProduct(root, loc.domain, loc.product, loc.dir).contractFile;
    const base: PlanBase = {
      product: `${loc.domain}/${loc.product}`,
      domain: loc.domain,
      name: loc.product,
      contractFile,
      packageName: packageNameOf(loc.dir),
      changes: [],
      supersedes: [],
      diagnostics: [],
    };
    const current = readContract(base, cwd);
    if (!('contract' in current)) {
      plans.push(current);
      continue;
    }
    const input = current.contract;
    const version = String(input.contract.version);
    const baseline = await releaseBaseline(contractFile, input, { cwd });
    if (!baseline) {
      plans.push({ ...base, action: 'first-version', version, ok: true });
      continue;
    }
    const baselineVersion = String(baseline.contract.version);
    const known = { ...base, version, baseline: baseline.source.file, baselineVersion };
    const mode = options.mode ? { mode: options.mode } : {};
    if (version !== baselineVersion) {
      const gate = checkVersion(baseline, input, mode);
      plans.push({
        ...known,
        action: 'version-set',
        requiredBump: gate.diff.requiredBump,
        changes: gate.diff.changes,
        ok: gate.ok,
        diagnostics: gate.findings,
      });
      continue;
    }
    plans.push(changesetPlan(root, loc, known, diffContracts([baseline], input, mode), pending));
  }
  return plans;
}

/** What every plan of a product says, whatever its action. */
type PlanBase = Pick<
  ProductChangesetPlan,
  'product' | 'domain' | 'name' | 'contractFile' | 'packageName' | 'changes' | 'supersedes' | 'diagnostics'
>;

/** The product's contract, or its `invalid` plan when it cannot be read or is not valid. */
function readContract(base: PlanBase, cwd: string): { contract: ContractInput } | ProductChangesetPlan {
  let current;
  try {
    current = loadContract(base.contractFile, { name: display(base.contractFile, cwd) });
  } catch (e) {
    if (!isMeshError(e)) throw e;
    return {
      ...base,
      action: 'invalid',
      ok: false,
      unreadable: true,
      diagnostics: [errorDiagnostic(display(base.contractFile, cwd), e)],
    };
  }
  if (!current.contract) {
    return {
      ...base,
      action: 'invalid',
      ok: false,
      diagnostics: current.diagnostics.filter((d) => d.severity === 'error'),
    };
  }
  return { contract: current as ContractInput };
}

/**
 * The plan of a product whose contract changed since its baseline, at the baseline's version:
 * `unchanged`, `up-to-date`, `covered` by pending changesets, or `write` a new one.
 */
function changesetPlan(
  root: string,
  loc: ProductLocation,
  known: PlanBase & { version: string; baseline: string; baselineVersion: string },
  diff: ReturnType<typeof diffContracts>,
  pending: readonly PendingChangeset[],
): ProductChangesetPlan {
  const requiredBump = diff.requiredBump;
  const generated = (c: PendingChangeset) => isGeneratedFor(c.name, loc.domain, loc.product);
  if (!diff.changes.length || requiredBump === 'none') {
    // A changeset generated for an edit since reverted would release nothing real: reported, kept.
    const stale = largestPending(pending.filter(generated), known.packageName);
    return {
      ...known,
      action: 'unchanged',
      requiredBump,
      changes: diff.changes,
      ok: true,
      ...(stale ? { pending: stale } : {}),
    };
  }
  const content = renderChangeset({
    packageName: known.packageName,
    product: known.product,
    bump: requiredBump,
    baselineVersion: known.baselineVersion,
    diff,
  });
  const fileName = changesetName(loc.domain, loc.product, content);
  const file = join(root, CHANGESET_DIR, fileName);
  const withDiff = { ...known, requiredBump, changes: diff.changes };
  if (pending.some((c) => c.name === fileName)) return { ...withDiff, action: 'up-to-date', file, content, ok: true };
  // Earlier changesets this command generated for the same product describe an earlier state
  // of the same unreleased change: the new one replaces them, unless they declare more.
  const superseded = pending.filter(
    (c) =>
      generated(c) && onlyFor(c, known.packageName) && compareBumps(c.releases[known.packageName]!, requiredBump) <= 0,
  );
  const others = largestPending(
    pending.filter((c) => !superseded.includes(c)),
    known.packageName,
  );
  if (others && compareBumps(others.bump, requiredBump) >= 0) {
    return { ...withDiff, action: 'covered', pending: others, ok: true };
  }
  return {
    ...withDiff,
    action: 'write',
    file,
    content,
    ok: true,
    supersedes: superseded.map((c) => c.file),
    ...(others ? { pending: others } : {}),
  };
}

/**
 * Writes the planned changesets (`write` items): each atomically, then removes the generated
 * changesets it supersedes. Other items are left alone.
 */
export function applyChangesetPlans(plans: readonly ProductChangesetPlan[]): void {
  for (const p of plans) {
    if (p.action !== 'write' || !p.file || p.content === undefined) continue;
    writeFileAtomic(p.file, p.content);
    for (const old of p.supersedes) rmSync(old, { force: true });
  }
}

const onlyFor = (c: PendingChangeset, pkg: string) => Object.keys(c.releases).every((k) => k === pkg);

/** The `name` of the product's package.json. @throws MeshError (exit 2) when missing or nameless. */
export function packageNameOf(dir: string): string {
  const file = join(dir, 'package.json');
  if (!existsSync(file))
    throw new MeshError('FILE_NOT_FOUND', 'the product has no package.json: changesets version workspace packages', {
      file,
    });
  let name: unknown;
  try {
    name = (JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown }).name;
  } catch (e) {
    throw new MeshError('INVALID_CONFIG', `package.json is not valid JSON: ${(e as Error).message}`, {
      file,
      cause: e,
    });
  }
  if (typeof name !== 'string' || !name) throw new MeshError('INVALID_CONFIG', 'package.json has no "name"', { file });
  return name;
}

function display(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  return rel && !rel.startsWith('..') ? rel.split(sep).join('/') : file;
}
