import { upgradeMesh, type Migration, type TemplateSource, type UpgradeResult } from '@meshkit/domain-template';
import { EXIT, type ExitCode } from '../exit.js';
import type { Io } from '../io.js';
import { requireRepoRoot } from './mesh-target.js';

/** Options of {@link meshUpgrade}. */
export interface UpgradeCommandOptions {
  /** Every product and domain with provenance. @default false */
  all?: boolean;
  /** Target template version. @default the installed template version */
  to?: string;
  /** Print every change and its diff; write nothing. @default false */
  dryRun?: boolean;
  /** @default 'text' */
  format?: 'text' | 'json';
}

/** What tests inject. */
export interface UpgradeDeps {
  /** @default the installed templates */
  templates?: TemplateSource;
  /** @default the template's own migrations */
  migrations?: readonly Migration[];
}

/**
 * `mesh upgrade [<domain>/<product>|<domain>|--all] [--to <version>] [--dry-run]`: 3-way merges
 * the new template version into the product (see `upgradeMesh`). Never prompts, terminal or not.
 * Exit 0 when upgraded (or up to date), 1 when files were left with conflict markers, 2 for bad
 * usage, an unavailable version or uncommitted changes in the product folder (nothing written).
 */
export async function meshUpgrade(
  target: string | undefined,
  options: UpgradeCommandOptions,
  io: Io,
  deps: UpgradeDeps = {},
): Promise<ExitCode> {
  const root = requireRepoRoot(io);
  const result = await upgradeMesh(root, {
    ...(target !== undefined ? { target } : {}),
    all: Boolean(options.all),
    ...(options.to !== undefined ? { to: options.to } : {}),
    dryRun: Boolean(options.dryRun),
    ...(deps.templates ? { templates: deps.templates } : {}),
    ...(deps.migrations ? { migrations: deps.migrations } : {}),
  });
  if (options.format === 'json') io.stdout(JSON.stringify(result, null, 2) + '\n');
  else printText(result, io);
  return result.ok ? EXIT.OK : EXIT.FAILED;
}

function printText(r: UpgradeResult, io: Io): void {
  if (r.units.length === 0) io.stdout('nothing to upgrade: no product or domain has .meshkit/provenance.json\n');
  for (const u of r.units) {
    if (u.status === 'up-to-date') {
      io.stdout(`${u.id}: up to date (${r.template} ${u.from})\n`);
      continue;
    }
    io.stdout(
      `${u.id}: ${r.template} ${u.from} → ${u.to}${u.status === 'conflict' ? ` (${u.conflicts.length} conflict(s))` : ''}\n`,
    );
    for (const f of u.files) {
      if (f.action === 'unchanged' || (f.action === 'kept' && f.class === 'seeded')) continue;
      const note =
        f.action === 'conflict'
          ? ` (${f.conflicts ?? 1} conflicting region(s)${f.reason ? `; ${f.reason}` : ''})`
          : f.reason
            ? ` (${f.reason})`
            : '';
      io.stdout(`  ${f.action.padEnd(9)} ${f.path}${note}\n`);
    }
    for (const m of u.migrations) io.stdout(`  migration ${m}\n`);
    if (u.changeset) io.stdout(`  changeset ${u.changeset}\n`);
  }
  if (r.dryRun) {
    if (r.diff) io.stdout('\n' + r.diff);
    io.stdout('dry run: nothing written\n');
    return;
  }
  const conflicts = r.units.flatMap((u) => u.conflicts);
  if (conflicts.length) {
    io.stderr(
      `conflicts left as <<<<<<< markers in:\n${conflicts.map((c) => `  ${c}\n`).join('')}resolve them, then commit (mesh check fails while markers remain)\n`,
    );
  }
}
