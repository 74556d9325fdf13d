/**
 * `mesh major` as a library: starts a new major of a product while the current one keeps being
 * served — the frozen contract, its compatibility SQL, the `servedMajors` entry of product.yaml
 * and the new version in the contract and package.json.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import semver from 'semver';
import { isMap, isScalar, isSeq, parseDocument, type Scalar } from 'yaml';
import {
  gitShowFile,
  loadContract,
  MeshError,
  openProduct,
  parseContract,
  setContractVersion,
  toGlueColumns,
  writeFileAtomic,
  writeFileDurable,
  type ContractInput,
  type OdcsContract,
  type ServedMajorManifestEntry,
} from '@meshkit/contracts';

/** What {@link startMajor} did (the JSON output of `mesh major`). */
export interface MajorResult {
  /** `<domain>/<product>`. */
  product: string;
  /** The major now served side by side (the previous current one). */
  servedMajor: number;
  /** The contract's version before: the frozen contract's. */
  from: string;
  /** The contract's (and package.json's) version after: `<N+1>.0.0`, or the working copy's when it is already in a later major. */
  to: string;
  /**
   * Where the frozen contract comes from: the last released version of the major — `catalog`
   * (its latest published version) or `git` (the contract committed at HEAD) — whatever the
   * working copy holds (a breaking edit made before `mesh major` stays in the working copy, now
   * the new major); `working-copy` when the major was never released.
   */
  frozenFrom: 'catalog' | 'git' | 'working-copy';
  /** Files written, relative to the repository root. */
  files: {
    contract: string;
    compatibilitySql: string;
    productYaml: string;
    frozenContract: string;
    packageJson?: string;
  };
  /** Compatibility SQL of majors served before, which now read the new major's output as `current`. */
  alsoServed: string[];
}

/** A released contract: where it was found, its text and the parsed contract. */
interface Released {
  source: 'catalog' | 'git';
  text: string;
  contract: OdcsContract;
}

/**
 * Starts a new major of the product `<domain>/<product>` of the repository at `root`: copies the
 * major's last released contract to `majors/v<N>/contract.odcs.yaml` (frozen), writes
 * `majors/v<N>/compat.sql` ({@link compatibilitySql}), adds the `servedMajors` entry to
 * product.yaml (comments kept) and sets the contract's `version` to `<N+1>.0.0` (only that line
 * changes) and the package.json `version` to the same value (the package version is the contract
 * version). The frozen contract is the major's last released one (see
 * {@link MajorResult.frozenFrom}), so it may run before or after the breaking edit. Everything is
 * checked before anything is written; each file is written to a temporary sibling and renamed
 * into place.
 * @throws MeshError `USAGE` (exit 2) for an unknown product or when `majors/v<N>` or a
 * `servedMajors` entry for N exists; `INVALID_CONTRACT` (exit 2) for an invalid contract or
 * version; `INVALID_CONFIG` (exit 2) for a product.yaml or package.json it cannot edit.
 */
export async function startMajor(root: string, domain: string, product: string): Promise<MajorResult> {
  // The repository model's product: a missing one is USAGE, product.yaml is read and checked here.
  const { ref, dir, manifestFile, manifest, contractFile } = openProduct(root, domain, product);
  const shown = (p: string) => relative(root, p);
  const loaded = loadWorkingContract(contractFile, ref, shown(contractFile));
  const working = String(loaded.contract.version);
  // The frozen contract is the last released one of the major, whatever the working copy holds.
  const released = await lastReleased(root, domain, product, contractFile, semver.major(working));
  const frozenFrom: MajorResult['frozenFrom'] = released?.source ?? 'working-copy';
  const contract = released?.contract ?? loaded.contract;
  const from = String(contract.version);
  const major = semver.major(from);
  const to = semver.major(working) > major ? working : `${major + 1}.0.0`;
  const majorDir = join(dir, 'majors', `v${major}`);
  if (existsSync(majorDir)) {
    throw new MeshError(
      'USAGE',
      `${shown(majorDir)} already exists: major ${major} of ${ref} is already frozen there (remove it or finish that major first); nothing was written`,
      { file: shown(majorDir) },
    );
  }
  if (manifest.servedMajors.some((m) => m.major === major)) {
    throw new MeshError('USAGE', `product.yaml already serves major ${major} of ${ref}; nothing was written`, {
      file: shown(manifestFile),
    });
  }

  // Everything computed before anything is written.
  const frozenText = released?.text ?? loaded.source.text;
  const bumped = to === working ? loaded.source.text : setContractVersion(loaded.source.text, to, shown(contractFile));
  const compatSql = compatibilitySql(contract, ref, major, `majors/v${major}/contract.odcs.yaml`);
  const packageFile = join(dir, 'package.json');
  const packageText = existsSync(packageFile)
    ? setPackageVersion(readFileSync(packageFile, 'utf8'), to, shown(packageFile))
    : undefined;
  const entry = {
    major,
    contract: `majors/v${major}/contract.odcs.yaml`,
    compatibilitySql: `majors/v${major}/compat.sql`,
  };
  const manifestText = addServedMajor(readFileSync(manifestFile, 'utf8'), entry, shown(manifestFile));

  writeFrozenMajor(majorDir, frozenText, compatSql);
  writeFileAtomic(manifestFile, manifestText);
  writeFileAtomic(contractFile, bumped);
  if (packageText !== undefined) writeFileAtomic(packageFile, packageText);
  return {
    product: ref,
    servedMajor: major,
    from,
    to,
    frozenFrom,
    files: {
      contract: shown(contractFile),
      compatibilitySql: shown(join(majorDir, 'compat.sql')),
      productYaml: shown(manifestFile),
      frozenContract: shown(join(majorDir, 'contract.odcs.yaml')),
      ...(packageText !== undefined ? { packageJson: shown(packageFile) } : {}),
    },
    alsoServed: manifest.servedMajors.map((m) => shown(join(dir, m.compatibilitySql))),
  };
}

/**
 * The working copy's contract, valid and with a semantic `version`.
 * @throws MeshError `INVALID_CONTRACT` (exit 2) at the first problem's position.
 */
function loadWorkingContract(contractFile: string, ref: string, shown: string): ContractInput {
  const loaded = loadContract(contractFile, { name: shown });
  if (!loaded.contract) {
    const first = loaded.diagnostics[0];
    throw new MeshError(
      'INVALID_CONTRACT',
      `the contract of ${ref} is invalid: ${first?.message ?? 'unknown problem'}`,
      {
        file: shown,
        ...(first ? { line: first.location.line, column: first.location.column } : {}),
        details: loaded.diagnostics,
      },
    );
  }
  const working = String(loaded.contract.version);
  if (semver.valid(working) !== working) {
    const versionAt = loaded.source.locate(['version']);
    throw new MeshError(
      'INVALID_CONTRACT',
      `version ${JSON.stringify(working)} is not a semantic version (MAJOR.MINOR.PATCH)`,
      { file: shown, line: versionAt.line, column: versionAt.column },
    );
  }
  return loaded as ContractInput;
}

/**
 * product.yaml `text` with `entry` appended to `servedMajors` (created, with an explaining
 * comment, when missing or empty); every other line and comment is kept.
 * @throws MeshError `INVALID_CONFIG` (exit 2) when product.yaml is not a mapping or
 * `servedMajors` is not a list.
 */
export function addServedMajor(text: string, entry: ServedMajorManifestEntry, file: string): string {
  const doc = parseDocument(text);
  const existing = doc.get('servedMajors', true);
  if (isSeq(existing)) existing.add(doc.createNode(entry));
  else if (existing === undefined || (isScalar(existing) && existing.value === null)) {
    if (!isMap(doc.contents))
      throw new MeshError('INVALID_CONFIG', 'product.yaml is not a mapping', { file, line: 1, column: 1 });
    doc.delete('servedMajors');
    const pair = doc.createPair('servedMajors', [entry]);
    const key = pair.key as Scalar;
    key.spaceBefore = true;
    key.commentBefore =
      ' Older majors served side by side until their end of life (mesh major): the frozen\n contract and the compatibility SQL deriving it from the current output (relation `current`).';
    doc.contents.items.push(pair as never);
  } else {
    throw new MeshError('INVALID_CONFIG', 'servedMajors of product.yaml is not a list', { file });
  }
  return doc.toString();
}

/**
 * Writes `majors/v<N>/` as a whole: its two files go to a staging sibling, which is renamed into
 * place, so the folder exists complete or not at all.
 */
function writeFrozenMajor(majorDir: string, contractText: string, compatSql: string): void {
  const stage = `${majorDir}.tmp-${process.pid}`;
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(stage, { recursive: true });
  try {
    writeFileDurable(join(stage, 'contract.odcs.yaml'), contractText);
    writeFileDurable(join(stage, 'compat.sql'), compatSql);
    mkdirSync(dirname(majorDir), { recursive: true });
    renameSync(stage, majorDir);
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

/**
 * The last released contract of a product whose major is at most `maxMajor`: the latest version
 * published in the local catalog, else the contract file committed at git HEAD (when the working
 * copy differs from it); the higher version when both exist (the catalog's on a tie: what
 * consumers saw). Undefined when the product was never released.
 */
async function lastReleased(
  root: string,
  domain: string,
  product: string,
  contractFile: string,
  maxMajor: number,
): Promise<Released | undefined> {
  const candidates: Released[] = [];
  const { openLocalCatalog } = await import('@meshkit/catalog');
  const catalog = openLocalCatalog(root);
  const versions = (await catalog.versions(domain, product)).filter((v) => semver.major(v) <= maxMajor);
  const latest = versions.at(-1);
  const record = latest === undefined ? undefined : await catalog.get(domain, product, latest);
  if (record) {
    const parsed = parseContract(`catalog:${domain}/${product}@${latest}`, record.contractText);
    if (parsed.contract) candidates.push({ source: 'catalog', text: record.contractText, contract: parsed.contract });
  }
  // undefined outside git, without a commit, or when not committed yet
  const committed = gitShowFile(root, 'HEAD', relative(root, contractFile));
  if (committed !== undefined) {
    const parsed = parseContract(`HEAD:${relative(root, contractFile)}`, committed);
    const v = parsed.contract ? String(parsed.contract.version) : '';
    if (parsed.contract && semver.valid(v) === v && semver.major(v) <= maxMajor)
      candidates.push({ source: 'git', text: committed, contract: parsed.contract });
  }
  return candidates.sort((a, b) => semver.compare(String(b.contract.version), String(a.contract.version)))[0];
}

/**
 * package.json `text` with its top-level `"version"` set to `version`: only that value changes
 * when it is found as the first `"version": "…"` member (the usual layout), else the file is
 * re-serialized with two-space indentation (key order kept).
 * @throws MeshError `INVALID_CONFIG` (exit 2) when the text is not a JSON object.
 */
export function setPackageVersion(text: string, version: string, file: string): string {
  let pkg: unknown;
  try {
    pkg = JSON.parse(text);
  } catch (e) {
    throw new MeshError(
      'INVALID_CONFIG',
      `package.json is not valid JSON (${(e as Error).message}): fix it, then run mesh major again; nothing was written`,
      { file, exitCode: 2, cause: e },
    );
  }
  if (typeof pkg !== 'object' || pkg === null || Array.isArray(pkg)) {
    throw new MeshError('INVALID_CONFIG', 'package.json is not a JSON object; nothing was written', {
      file,
      exitCode: 2,
    });
  }
  const edited = text.replace(/^(\s*"version"\s*:\s*)"(?:[^"\\]|\\.)*"/m, `$1${JSON.stringify(version)}`);
  try {
    const check = JSON.parse(edited) as Record<string, unknown>;
    if (
      check.version === version &&
      JSON.stringify({ ...check, version: undefined }) ===
        JSON.stringify({ ...(pkg as Record<string, unknown>), version: undefined })
    )
      return edited;
  } catch {
    /* fall through to re-serializing */
  }
  return JSON.stringify({ ...(pkg as Record<string, unknown>), version }, null, 2) + '\n';
}

/**
 * The initial compatibility SQL of a served major: a portable SELECT of every column of the old
 * contract (data columns, then partition keys) FROM the relation `current`, with a header
 * comment explaining what to adjust.
 * @param contract the frozen contract of the major
 * @param ref `<domain>/<product>`
 * @param major the served major
 * @param frozen the frozen contract's path, relative to the product folder
 */
export function compatibilitySql(contract: OdcsContract, ref: string, major: number, frozen: string): string {
  const glue = toGlueColumns(contract);
  const columns = [...glue.columns, ...glue.partitionKeys].map((c) => c.name);
  return [
    `-- Compatibility SQL of ${ref} major ${major}: derives the v${major} output port (contract`,
    `-- ${frozen}, frozen at ${String(contract.version)}) from the current major's output, the relation`,
    '-- `current`. While major ' + major + " is served, every run checks this SELECT's result against that",
    '-- contract (columns, types, required, keys and its quality rules) and writes it to its own',
    `-- output (locally <run>/v${major}/, on AWS the table <product>_v${major}). When the new major renames,`,
    '-- retypes or drops a column, rebuild the old one here (e.g. `amount_cents / 100.0 AS amount`).',
    '-- Write SQL that both DuckDB and Spark SQL 3.5 accept (docs/portable-sql.md of @meshkit/runtime).',
    'SELECT',
    columns.map((c) => `  ${c}`).join(',\n'),
    'FROM current',
    '',
  ].join('\n');
}
