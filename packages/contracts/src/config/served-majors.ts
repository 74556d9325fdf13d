import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { MeshError } from '../errors.js';
import { lintContract } from '../lint/index.js';
import type { LintRuleSetting } from '../lint/index.js';
import type { OdcsContract } from '../odcs.js';
import { loadContract } from '../contract/load-contract.js';
import { loadProductManifest, type ProductManifest } from './load-config.js';
import { majorOf } from '../repository/version.js';
import { PRODUCT_MANIFEST_FILE } from '../repository/paths.js';

/**
 * The files of an older major a product still serves side by side (an entry of `servedMajors` in
 * product.yaml), as absolute paths: the one shape every served-major view extends.
 */
export interface ServedMajorFiles {
  /** The major served. */
  major: number;
  /** Absolute path of the frozen contract. */
  contractFile: string;
  /** Absolute path of the compatibility SQL. */
  compatibilitySqlFile: string;
}

/** An older major a product still serves side by side (`servedMajors` of product.yaml), loaded and checked. */
export interface ServedMajorContract extends ServedMajorFiles {
  /** The major served (equal to the frozen contract's major). */
  major: number;
  /** The frozen contract of that major (valid ODCS, no lint error). */
  contract: OdcsContract;
  /** The compatibility SQL: a portable SELECT from the relation `current` (the current major's output). */
  compatibilitySql: string;
}

/**
 * The `servedMajors` entries of a product's manifest in the order written, with their index and
 * their files resolved against the product folder; nothing is read or checked.
 */
export function servedMajorFiles(
  productDir: string,
  manifest: Pick<ProductManifest, 'servedMajors'>,
): Array<ServedMajorFiles & { index: number }> {
  return manifest.servedMajors.map((m, index) => ({
    index,
    major: m.major,
    contractFile: join(productDir, m.contract),
    compatibilitySqlFile: join(productDir, m.compatibilitySql),
  }));
}

/**
 * Loads the older majors a product serves (`servedMajors` of its product.yaml), newest first: each
 * frozen contract must be valid ODCS without lint errors, its major must be the entry's `major`
 * and older than `current`'s, each major listed once, and its compatibility SQL must exist.
 *
 * @param root repository root, for the paths shown in errors
 * @param productDir the product folder (holds product.yaml; entry paths are relative to it)
 * @param current the current contract; @default none (the "older than current" check is skipped)
 * @param options.rules lint severities (mesh.config.yaml `contracts.lint.rules`). @default {}
 * @throws MeshError `INVALID_CONFIG` (exit 2) at the line of the product.yaml entry (wrong or
 *   duplicate major, major not older than the current one); `INPUT_NOT_FOUND` (exit 2) there for a
 *   missing file; `INVALID_CONTRACT` (exit 1) with the frozen contract's diagnostics (file:line:col).
 */
export function loadServedMajorContracts(
  root: string,
  productDir: string,
  manifest: Pick<ProductManifest, 'servedMajors' | 'domain' | 'name'>,
  current?: OdcsContract,
  options: { rules?: Record<string, LintRuleSetting> } = {},
): ServedMajorContract[] {
  if (!manifest.servedMajors.length) return [];
  const manifestFile = join(productDir, PRODUCT_MANIFEST_FILE);
  const shown = (p: string) => relative(root, p) || p;
  let located: ReturnType<typeof loadProductManifest>['source'] | undefined;
  const at = (code: 'INVALID_CONFIG' | 'INPUT_NOT_FOUND', message: string, path: Array<string | number>) => {
    located ??= existsSync(manifestFile) ? loadProductManifest(manifestFile).source : undefined;
    const l = located?.locate(path);
    return new MeshError(code, message, {
      file: shown(manifestFile),
      ...(l ? { line: l.line, column: l.column } : {}),
      exitCode: 2,
    });
  };
  const currentMajor = current ? majorOf(current.version) : undefined;
  const seen = new Set<number>();
  return servedMajorFiles(productDir, manifest)
    .map(({ index: i, major, contractFile, compatibilitySqlFile }) => {
      if (seen.has(major))
        throw at('INVALID_CONFIG', `servedMajors lists major ${major} twice`, ['servedMajors', i, 'major']);
      seen.add(major);
      if (currentMajor !== undefined && major >= currentMajor) {
        throw at(
          'INVALID_CONFIG',
          `servedMajors: major ${major} is not older than the current contract's major ${currentMajor} (${String(current!.version)})`,
          ['servedMajors', i, 'major'],
        );
      }
      if (!existsSync(contractFile))
        throw at('INPUT_NOT_FOUND', `the contract of served major ${major} does not exist: ${shown(contractFile)}`, [
          'servedMajors',
          i,
          'contract',
        ]);
      const contract = loadFrozenContract(
        contractFile,
        shown(contractFile),
        options.rules ?? {},
        () => `the contract of served major ${major} of ${manifest.domain}/${manifest.name}`,
      );
      if (majorOf(contract.version) !== major) {
        throw at(
          'INVALID_CONFIG',
          `servedMajors: ${manifest.servedMajors[i]!.contract} is version ${String(contract.version)}, not a ${major}.x version (the entry's major)`,
          ['servedMajors', i, 'major'],
        );
      }
      if (!existsSync(compatibilitySqlFile)) {
        throw at(
          'INPUT_NOT_FOUND',
          `the compatibility SQL of served major ${major} does not exist: ${shown(compatibilitySqlFile)}`,
          ['servedMajors', i, 'compatibilitySql'],
        );
      }
      return {
        major,
        contract,
        contractFile,
        compatibilitySqlFile,
        compatibilitySql: readFileSync(compatibilitySqlFile, 'utf8'),
      };
    })
    .sort((a, b) => b.major - a.major);
}

/**
 * Loads a frozen contract (`what` names it in the error): valid ODCS without lint errors.
 * @throws MeshError `INVALID_CONTRACT` (exit 1) with the contract's diagnostics (file:line:col).
 */
function loadFrozenContract(
  contractFile: string,
  name: string,
  rules: Record<string, LintRuleSetting>,
  what: () => string,
): OdcsContract {
  const loaded = loadContract(contractFile, { name });
  const problems = loaded.contract
    ? lintContract(loaded, { rules }).filter((d) => d.severity === 'error')
    : loaded.diagnostics;
  if (!loaded.contract || problems.length) {
    const first = problems[0];
    throw new MeshError(
      'INVALID_CONTRACT',
      `${what()} is invalid: ${problems.length} error(s)${first ? ` (first: ${first.message})` : ''}`,
      {
        file: name,
        ...(first ? { line: first.location.line, column: first.location.column } : {}),
        exitCode: 1,
        details: problems,
      },
    );
  }
  return loaded.contract;
}
