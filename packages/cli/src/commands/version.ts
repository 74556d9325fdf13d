import { formatDiagnostics } from '@meshkit/contracts';
import { applyVersions } from '@meshkit/release';
import { EXIT, type ExitCode } from '../exit.js';
import type { Io } from '../io.js';
import { requireRepoRoot } from './mesh-target.js';

/** Options of `mesh version`. */
export interface VersionOptions {
  /** Print the release plan; write nothing. @default false */
  dryRun?: boolean;
  /** @default 'text' */
  format?: 'text' | 'json';
}

/**
 * `mesh version [--dry-run] [--format text|json]`: applies the pending changesets
 * (`changeset version`), writes each product's new version into its contract, and checks that
 * every product's package.json and contract versions agree. Exit 0 done, 1 a version mismatch
 * remains, 2 bad usage, a changesets config that skips a product, or changesets failing.
 */
export async function meshVersion(options: VersionOptions, io: Io): Promise<ExitCode> {
  const root = requireRepoRoot(io);
  const result = await applyVersions(root, { dryRun: Boolean(options.dryRun) });
  const status: ExitCode = result.ok ? EXIT.OK : EXIT.FAILED;
  if (options.format === 'json') {
    io.stdout(JSON.stringify(result, null, 2) + '\n');
    return status;
  }
  if (!result.changesets.length) io.stdout('no pending changesets\n');
  const would = result.dryRun ? 'would be ' : '';
  for (const r of result.releases) {
    const contract = r.contractFile
      ? r.contractUpdated
        ? `; contract ${r.contractFile} ${would}set to ${r.newVersion}`
        : `; contract ${r.contractFile} already at ${r.newVersion}`
      : '';
    io.stdout(
      `${r.name}${r.product ? ` (${r.product})` : ''}: ${r.oldVersion} → ${r.newVersion} (${r.type})${contract}\n`,
    );
  }
  if (result.mismatches.length) io.stdout(formatDiagnostics(result.mismatches, 'text') + '\n');
  for (const w of result.warnings) io.stderr(`mesh: changeset version said: ${w.replace(/^🦋\s+/u, '')}\n`);
  if (result.changesets.length) {
    io.stdout(
      result.dryRun
        ? `dry run: ${result.changesets.length} changeset(s) would be consumed; nothing was changed\n`
        : `${result.changesets.length} changeset(s) applied; package.json and contract versions ${result.ok ? 'agree' : 'DISAGREE'}\n`,
    );
  } else if (!result.ok) {
    io.stdout('package.json and contract versions DISAGREE\n');
  }
  return status;
}
