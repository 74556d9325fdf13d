import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { buildContractPackage, findRepoRoot, MeshError, PRODUCT_MANIFEST_FILE, productDir } from '@meshkit/contracts';
import { displayPath } from '@meshkit/contracts';
import { EXIT, type ExitCode } from '../exit.js';
import type { Io } from '../io.js';
import { parseTarget, requireRepoRoot } from './mesh-target.js';

export interface ContractPackageCommandOptions {
  /** @default 'text' */
  format?: 'text' | 'json';
}

/**
 * The product folder `mesh contract package` builds: `domains/<d>/products/<p>` of the repository
 * for a `<domain>/<product>` target, else the nearest folder at or above the working directory
 * holding a `product.yaml` (the product's package scripts run it there).
 */
export function resolveProductDir(target: string | undefined, io: Io): string {
  if (target) {
    const { domain, product } = parseTarget(target);
    if (!product) throw new MeshError('USAGE', `'${target}' names a domain: give <domain>/<product>`);
    const dir = productDir(requireRepoRoot(io), domain!, product);
    if (!existsSync(join(dir, PRODUCT_MANIFEST_FILE)))
      throw new MeshError(
        'USAGE',
        `no product ${target}: ${displayPath(join(dir, PRODUCT_MANIFEST_FILE), io.cwd)} does not exist`,
      );
    return dir;
  }
  const root = findRepoRoot(io.cwd);
  for (let dir = resolve(io.cwd); ; dir = dirname(dir)) {
    if (existsSync(join(dir, PRODUCT_MANIFEST_FILE))) return dir;
    if (dir === root || dirname(dir) === dir) break;
  }
  throw new MeshError(
    'USAGE',
    'not inside a product folder (no product.yaml here or above): run it in a product folder or name <domain>/<product>',
  );
}

/**
 * `mesh contract package [<domain>/<product>]`: builds the product's contract package into its
 * `dist/` (types, precompiled validators, JSON Schema and contract of the current major and of
 * every served older major). Exit 0 built; 1 the package and the contract disagree (version,
 * exports) or a contract is invalid; 2 bad usage or unreadable input.
 */
export async function contractPackage(
  target: string | undefined,
  options: ContractPackageCommandOptions,
  io: Io,
): Promise<ExitCode> {
  const dir = resolveProductDir(target, io);
  const result = await buildContractPackage(dir);
  if (options.format === 'json') {
    io.stdout(JSON.stringify({ ok: true, ...result, outDir: displayPath(result.outDir, io.cwd) }, null, 2) + '\n');
    return EXIT.OK;
  }
  const entries = result.entries.map(
    (e) =>
      `  ${e.subpath === '.' ? result.name : `${result.name}/${e.subpath.slice(2)}`}  contract ${e.contractVersion}  (${e.objects.join(', ')}) → ${e.dir}/`,
  );
  io.stdout(
    `built ${result.name}@${result.version} into ${displayPath(result.outDir, io.cwd)}/\n${entries.join('\n')}\n`,
  );
  return EXIT.OK;
}
