import { mkdirSync, rmSync } from 'node:fs';
import { writeFileDurable } from '../repository/atomic.js';
import { join, relative, resolve } from 'node:path';
import { findRepoRoot, loadProductManifest, type ProductManifest } from '../config/load-config.js';
import { loadServedMajorContracts } from '../config/served-majors.js';
import { loadContract } from '../contract/load-contract.js';
import { MeshError } from '../errors.js';
import { replaceDirectory } from '../repository/atomic.js';
import { PRODUCT_MANIFEST_FILE } from '../repository/paths.js';
import { readTextFile } from '../load/read-file.js';
import { parseSource, type SourceDocument } from '../load/source.js';
import type { OdcsContract } from '../odcs.js';
import { declarationSource, entrySource, generatedHeader, packageModule, type PackageModule } from './module-source.js';
import { bundleModule } from './validator-bundle.js';

/** Options of {@link buildContractPackage}. */
export interface ContractPackageOptions {
  /** Output folder, replaced as a whole. @default `<productDir>/dist` */
  outDir?: string;
}

/** One entry point of a built contract package. */
export interface ContractPackageEntry {
  /** Subpath consumers import: `.` for the current major, `./v1` for a served older major. */
  subpath: string;
  /** Its folder, relative to the product folder (`dist`, `dist/v1`). */
  dir: string;
  /** The contract file it was built from, relative to the product folder. */
  contract: string;
  contractVersion: string;
  major: number;
  /** Schema objects, each with a record type and a validator. */
  objects: string[];
  /** The object `validate`, `isRecord`, `assertRecord`, `schema` and `ContractRecord` refer to. */
  primaryObject: string;
}

/** Result of {@link buildContractPackage}. */
export interface ContractPackageResult {
  /** `name` of package.json, e.g. `@example/sales.orders`. */
  name: string;
  /** `version` of package.json, equal to the current contract's version. */
  version: string;
  /** Absolute output folder. */
  outDir: string;
  /** The root entry first, then one per served older major (ascending). */
  entries: ContractPackageEntry[];
  /** Every file written, relative to the product folder, sorted. */
  files: string[];
}

interface PackageJson {
  name?: unknown;
  version?: unknown;
  exports?: unknown;
}

/**
 * Builds the contract package of a data product: what consumers install as
 * `@<scope>/<domain>.<product>`. Writes `dist/` (replaced as a whole, only once everything
 * compiled: never half written):
 *
 * - `dist/index.js` — a self-contained ES module (no imports, no runtime dependency) with the
 *   precompiled ajv standalone validator of every schema object of the current contract,
 *   `validate(record)` (typed errors), `isRecord`/`assertRecord`, per object
 *   `validate<Type>`/`is<Type>`/`assert<Type>` and `validators`, the JSON Schema(s)
 *   (`schema`, `schemas`), `contractId`, `contractVersion`, `major`, `primaryObject`;
 * - `dist/index.d.ts` — the record types (`toTypeScript`), `ContractRecord` (the primary object's)
 *   and declarations of every export;
 * - `dist/schema.json` — the JSON Schema 2019-09 of one record of the primary object;
 * - `dist/contract.odcs.yaml` — a copy of the contract;
 * - `dist/v<N>/` — the same for every older major still served (`servedMajors` of product.yaml),
 *   built from that major's frozen contract; and `dist/v<current>/index.*` re-exporting the root,
 *   so consumers may pin the current major by subpath too.
 *
 * The primary object is the one named like the product (`orders`, `campaign_performance`), else
 * the contract's first object.
 *
 * @throws MeshError `INVALID_CONFIG` (exit 1) when package.json's `version` differs from the
 * contract's `version`, when a served major is not exported (`./v<N>` or `./v*`), or when a served
 * major's contract has another major; `INVALID_CONTRACT` (exit 1) for an invalid contract; exit 2
 * when product.yaml, package.json or a contract cannot be read.
 */
export async function buildContractPackage(
  productDir: string,
  options: ContractPackageOptions = {},
): Promise<ContractPackageResult> {
  const dir = resolve(productDir);
  const manifestFile = join(dir, PRODUCT_MANIFEST_FILE);
  const { value: manifest } = loadProductManifest(manifestFile);
  const pkgFile = join(dir, 'package.json');
  const pkgSource = parseSource(pkgFile, readTextFile(pkgFile));
  const pkg = (pkgSource.data ?? {}) as PackageJson;
  if (
    typeof pkg !== 'object' ||
    Array.isArray(pkg) ||
    typeof pkg.name !== 'string' ||
    typeof pkg.version !== 'string'
  ) {
    throw new MeshError('INVALID_CONFIG', 'package.json needs a "name" and a "version"', {
      file: pkgFile,
      ...at(pkgSource, []),
    });
  }

  const contractFile = resolve(dir, manifest.contract);
  const current = packageModule(readValidContract(contractFile), manifest.name, contractFile);
  if (pkg.version !== current.contract.version) {
    throw new MeshError(
      'INVALID_CONFIG',
      `package.json version ${pkg.version} differs from the contract version ${current.contract.version} (${relative(dir, contractFile)}): the package version is the contract version; set "version": "${current.contract.version}" (mesh version keeps them in step)`,
      { file: pkgFile, ...at(pkgSource, ['version']), exitCode: 1 },
    );
  }
  if (!exported(pkg.exports, '.')) {
    throw new MeshError(
      'INVALID_CONFIG',
      `package.json does not export "." (the current major's types and validator): add "exports": { ".": { "types": "./dist/index.d.ts", "default": "./dist/index.js" }, … } (mesh upgrade writes it)`,
      { file: pkgFile, ...at(pkgSource, ['exports']), exitCode: 1 },
    );
  }

  const served = servedMajors(dir, manifest, current, pkg, pkgSource, pkgFile);

  const outDir = resolve(options.outDir ?? join(dir, 'dist'));
  const stage = `${outDir}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const files: string[] = [];
  const write = (rel: string, content: string): void => {
    const file = join(stage, rel);
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileDurable(file, content);
    files.push(relative(dir, join(outDir, rel)).split('\\').join('/'));
  };
  const entries: ContractPackageEntry[] = [];
  try {
    entries.push(await writeEntry(write, '', '.', current, contractFile, dir, outDir));
    for (const s of served)
      entries.push(
        await writeEntry(write, `v${s.module.major}/`, `./v${s.module.major}`, s.module, s.file, dir, outDir),
      );
    const reexport = `${generatedHeader(current.contract)}export * from '../index.js';\n`;
    write(`v${current.major}/index.js`, reexport);
    write(`v${current.major}/index.d.ts`, reexport);
    replaceDirectory(stage, outDir);
  } catch (e) {
    rmSync(stage, { recursive: true, force: true });
    throw e;
  }
  return { name: pkg.name, version: pkg.version, outDir, entries, files: files.sort() };
}

async function writeEntry(
  write: (rel: string, content: string) => void,
  prefix: string,
  subpath: string,
  m: PackageModule,
  contractFile: string,
  dir: string,
  outDir: string,
): Promise<ContractPackageEntry> {
  const code = await bundleModule(
    entrySource(m),
    m.objects.map((o, i) => ({ id: `v${i}`, schema: o.schema })),
  );
  write(`${prefix}index.js`, generatedHeader(m.contract) + code);
  write(`${prefix}index.d.ts`, declarationSource(m));
  write(`${prefix}schema.json`, JSON.stringify(m.objects[m.primary]!.schema, null, 2) + '\n');
  write(`${prefix}contract.odcs.yaml`, readTextFile(contractFile));
  return {
    subpath,
    dir: relative(dir, join(outDir, prefix)).split('\\').join('/'),
    contract: relative(dir, contractFile).split('\\').join('/'),
    contractVersion: m.contract.version,
    major: m.major,
    objects: m.objects.map((o) => o.name),
    primaryObject: m.objects[m.primary]!.name,
  };
}

interface Served {
  module: PackageModule;
  file: string;
}

function servedMajors(
  dir: string,
  manifest: ProductManifest,
  current: PackageModule,
  pkg: PackageJson,
  pkgSource: SourceDocument,
  pkgFile: string,
): Served[] {
  const loaded = loadServedMajorContracts(findRepoRoot(dir) ?? dir, dir, manifest, current.contract);
  return loaded
    .map((s) => {
      if (!exported(pkg.exports, `./v${s.major}`)) {
        throw new MeshError(
          'INVALID_CONFIG',
          `package.json does not export "./v${s.major}" (served major ${s.major}): add "./v*": { "types": "./dist/v*/index.d.ts", "default": "./dist/v*/index.js" } to "exports" (mesh upgrade writes it)`,
          { file: pkgFile, ...at(pkgSource, ['exports']), exitCode: 1 },
        );
      }
      return { module: packageModule(s.contract, manifest.name, s.contractFile), file: s.contractFile };
    })
    .sort((a, b) => a.module.major - b.module.major);
}

function readValidContract(file: string): OdcsContract {
  const loaded = loadContract(file);
  if (loaded.contract) return loaded.contract;
  const first = loaded.diagnostics[0];
  const more =
    loaded.diagnostics.length > 1 ? ` (and ${loaded.diagnostics.length - 1} more: run mesh contract lint)` : '';
  throw new MeshError('INVALID_CONTRACT', `${first?.message ?? 'invalid contract'}${more}`, {
    file,
    line: first?.location.line,
    column: first?.location.column,
    exitCode: 1,
    details: loaded.diagnostics,
  });
}

/** True when `exports` has the subpath, literally or through a `*` pattern. */
function exported(exports: unknown, subpath: string): boolean {
  if (exports === null || typeof exports !== 'object' || Array.isArray(exports)) return false;
  return Object.keys(exports).some((k) => {
    if (k === subpath) return true;
    const star = k.indexOf('*');
    return (
      star >= 0 &&
      subpath.startsWith(k.slice(0, star)) &&
      subpath.endsWith(k.slice(star + 1)) &&
      subpath.length > k.length - 1
    );
  });
}

function at(source: SourceDocument, path: Array<string | number>): { line: number; column: number } {
  const l = source.locate(path);
  return { line: l.line, column: l.column };
}
