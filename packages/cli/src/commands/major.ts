import { MeshError } from '@meshkit/contracts';
import { startMajor } from '@meshkit/release';
import { EXIT, type ExitCode } from '../exit.js';
import type { Io } from '../io.js';
import { parseTarget, requireRepoRoot } from './mesh-target.js';

/** Options of `mesh major`. */
export interface MajorOptions {
  /** @default 'text' */
  format?: 'text' | 'json';
}

/**
 * `mesh major <domain>/<product>`: starts a new major of a product while the current one keeps
 * being served. Copies the contract to `majors/v<N>/contract.odcs.yaml` (frozen), writes
 * `majors/v<N>/compat.sql` (a SELECT of every column of the old contract FROM `current`), adds
 * the `servedMajors` entry to product.yaml (comments kept) and sets the contract's `version` to
 * `<N+1>.0.0` (only that line changes) and the package.json `version` to the same value (the
 * package version is the contract version: `PRODUCT-PACKAGE-VERSION`, `mesh version`). Exit 0 done, 2 bad usage, an invalid contract, or
 * `majors/v<N>` already there (nothing is overwritten). The file work is `startMajor` of @meshkit/release.
 */
export async function meshMajor(target: string, options: MajorOptions, io: Io): Promise<ExitCode> {
  const sel = parseTarget(target);
  if (!sel.product) throw new MeshError('USAGE', `'${target}' is not <domain>/<product>`);
  const root = requireRepoRoot(io);
  const result = await startMajor(root, sel.domain!, sel.product);
  if (options.format === 'json') {
    io.stdout(JSON.stringify(result, null, 2) + '\n');
    return EXIT.OK;
  }
  const f = result.files;
  io.stdout(
    [
      `${result.product}: major ${result.servedMajor + 1} started (${result.from} → ${result.to}); major ${result.servedMajor} stays served`,
      `  wrote   ${f.frozenContract} (the frozen ${result.from} contract, ${result.frozenFrom === 'catalog' ? 'as released in the catalog' : result.frozenFrom === 'git' ? 'as committed at HEAD' : 'never released: the working copy'})`,
      `  wrote   ${f.compatibilitySql} (current → v${result.servedMajor})`,
      `  updated ${f.productYaml} (servedMajors)`,
      `  updated ${f.contract} (version ${result.to})`,
      ...(f.packageJson ? [`  updated ${f.packageJson} (version ${result.to})`] : []),
      'Next steps:',
      `  1. make the breaking change in ${f.contract} (and transform.sql)`,
      `  2. adjust ${f.compatibilitySql} so it derives every v${result.servedMajor} column from the new output`,
      ...result.alsoServed.map((f) => `     and ${f}: its \`current\` is now the v${result.servedMajor + 1} output`),
      `  3. mesh run ${result.product}   # checks the v${result.servedMajor + 1} output and the v${result.servedMajor} output against their contracts`,
      '',
    ].join('\n'),
  );
  return EXIT.OK;
}
