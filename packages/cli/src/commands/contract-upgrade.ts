import { resolve } from 'node:path';
import { formatDiagnostics, isMeshError, readTextFile, upgradeContractText, writeFileAtomic } from '@meshkit/contracts';
import { displayPath } from '@meshkit/contracts';
import { EXIT, type ExitCode } from '../exit.js';
import type { Io } from '../io.js';

export interface ContractUpgradeOptions {
  /** Write the upgraded contract here instead of replacing the file. @default the file itself */
  out?: string;
  /** Print the upgraded contract to standard output; write nothing. @default false */
  dryRun?: boolean;
}

/**
 * `mesh contract upgrade <file>`: rewrites an ODCS v3.0.x contract as v3.1.0, keeping comments and
 * formatting (only the changed characters are rewritten), and proves the result is a valid
 * v3.1.0 contract with no semantic change before writing it (atomically). Lists each rewrite as
 * `file:line:col what` on standard error. Exit 0 (also when already v3.1.0), 1 when the contract
 * is invalid or has a construct without a v3.1.0 equivalent (nothing written), 2 for unreadable
 * input or an unsupported apiVersion (v2 included).
 */
export function contractUpgrade(file: string, options: ContractUpgradeOptions, io: Io): ExitCode {
  const path = resolve(io.cwd, file);
  const name = displayPath(path, io.cwd);
  let result;
  try {
    result = upgradeContractText(name, readTextFile(path));
  } catch (e) {
    if (!isMeshError(e) || !e.details.length) throw e;
    const text = formatDiagnostics(e.details, 'text', { color: io.isTTY });
    io.stderr(`mesh: ${e.format()}\n${text.endsWith('\n') ? text : text + '\n'}`);
    return e.exitCode;
  }
  if (options.dryRun) {
    io.stdout(result.text);
  } else if (result.outcome === 'upgraded' || options.out) {
    writeFileAtomic(options.out ? resolve(io.cwd, options.out) : path, result.text);
  }
  if (result.outcome === 'current') {
    io.stderr(`${name}: already ODCS ${result.from}, nothing to upgrade\n`);
  } else {
    for (const e of result.edits) io.stderr(`${name}:${e}\n`);
    io.stderr(
      `${name}: upgraded ODCS ${result.from} → v3.1.0 (${result.edits.length} rewrite${result.edits.length === 1 ? '' : 's'}; no semantic change)${options.dryRun ? ' — dry run, nothing written' : options.out ? ` → ${displayPath(resolve(io.cwd, options.out), io.cwd)}` : ''}\n`,
    );
  }
  return EXIT.OK;
}
