import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import semver from 'semver';
import {
  displayPath,
  findRepoRoot,
  isMeshError,
  loadContract,
  loadMeshConfig,
  MESH_CONFIG_FILE,
  MeshError,
  parseContract,
  readGitBaseline,
  type ContractInput,
} from '@meshkit/contracts';
import { openLocalCatalog } from './publish.js';

/** Options of {@link releaseBaseline}. */
export interface ReleaseBaselineOptions {
  /**
   * Baseline: a contract file (relative to `cwd`) or a git ref.
   * @default the latest published version of the same major in the catalog, else 'HEAD'
   */
  against?: string;
  /** Directory `against` and display names are relative to. @default process.cwd() */
  cwd?: string;
}

/**
 * The contract a product's working copy is compared with — its last release: `against` when
 * given (a file, else a git ref), otherwise the latest version of the same major published in the
 * repository's local catalog, else the committed version (`HEAD`). Undefined when there is none
 * (a first version: the contract does not exist at the default ref).
 * @throws MeshError (exit 2) when the baseline given is unreadable or not a valid contract.
 */
export async function releaseBaseline(
  file: string,
  current: ContractInput,
  options: ReleaseBaselineOptions = {},
): Promise<ContractInput | undefined> {
  const cwd = options.cwd ?? process.cwd();
  if (options.against === undefined) {
    const fromCatalog = await catalogBaseline(file, current);
    if (fromCatalog) return fromCatalog;
  }
  return loadBaseline(file, options.against ?? 'HEAD', options.against !== undefined, cwd);
}

/**
 * The latest published version of the same major in the repository's catalog, for a product
 * contract (`domains/<d>/products/<p>/…`); undefined when none is published or there is no catalog.
 */
async function catalogBaseline(file: string, current: ContractInput): Promise<ContractInput | undefined> {
  const root = findRepoRoot(dirname(file));
  const m = root ? /^domains\/([^/]+)\/products\/([^/]+)\//.exec(relative(root, file).split(sep).join('/')) : null;
  if (!root || !m) return undefined;
  const catalog = openLocalCatalog(root, loadMeshConfig(join(root, MESH_CONFIG_FILE)).value);
  const major = semver.major(semver.coerce(current.contract.version) ?? '0.0.0');
  const versions = (await catalog.versions(m[1]!, m[2]!)).filter((v) => semver.valid(v) && semver.major(v) === major);
  const latest = versions.sort(semver.compare).at(-1);
  const record = latest === undefined ? undefined : await catalog.get(m[1]!, m[2]!, latest);
  if (!record) return undefined;
  const b = parseContract(`catalog:${m[1]}/${m[2]}@${latest}`, record.contractText);
  return b.contract ? (b as ContractInput) : undefined;
}

/** The baseline contract: a file, or the contract at a git ref (absent at the default ref → none). */
function loadBaseline(file: string, against: string, explicit: boolean, cwd: string): ContractInput | undefined {
  const asFile = resolve(cwd, against);
  if (existsSync(asFile)) {
    const b = loadContract(asFile, { name: displayPath(asFile, cwd) });
    if (!b.contract)
      throw new MeshError('INVALID_CONTRACT', `baseline is not a valid contract: ${b.diagnostics[0]?.message ?? ''}`, {
        file: b.source.file,
        exitCode: 2,
      });
    return b as ContractInput;
  }
  let git: { text: string; label: string };
  try {
    git = readGitBaseline(file, against);
  } catch (e) {
    // A contract that does not exist at the default ref yet is a first version.
    if (!explicit && isMeshError(e) && /does not exist|not in|absent|exists on disk/i.test(e.message)) return undefined;
    throw e;
  }
  const b = parseContract(git.label, git.text);
  if (!b.contract)
    throw new MeshError(
      'INVALID_CONTRACT',
      `baseline ${git.label} is not a valid contract: ${b.diagnostics[0]?.message ?? ''}`,
      { exitCode: 2 },
    );
  return b as ContractInput;
}
