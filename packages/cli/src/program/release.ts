// `mesh changeset`, `version`, `check`, `upgrade` and `demo`: releases, template drift, the demo.
import type { Command } from 'commander';
import { textJson, type ProgramContext } from './shared.js';

/** Registers `mesh changeset` and `mesh version` (releases), `mesh check` and `mesh upgrade` (template drift) on `program`. */
export function registerRelease(program: Command, { io, set }: ProgramContext): void {
  program
    .command('changeset')
    .description(
      'write .changeset/*.md for each product whose contract changed since its last release, with the bump its compatibility diff requires',
    )
    .argument('[target]', '<domain>/<product> (default: every product)')
    .option('--dry-run', 'print the changesets; write nothing', false)
    .addOption(textJson())
    .action(async (target: string | undefined, o: { dryRun: boolean; format: 'text' | 'json' }) =>
      set((await import('../commands/changeset.js')).meshChangeset(target, o, io)),
    );
  program
    .command('version')
    .description(
      'apply the pending changesets (changeset version) and write each new version into its contract (exit 1 when a package.json and its contract disagree)',
    )
    .option('--dry-run', 'print the release plan; write nothing', false)
    .addOption(textJson())
    .action(async (o: { dryRun: boolean; format: 'text' | 'json' }) =>
      set((await import('../commands/version.js')).meshVersion(o, io)),
    );
  program
    .command('check')
    .description(
      'products and domains behind the latest template version, and managed files edited by hand (exit 1 on drift)',
    )
    .addOption(textJson())
    .action(async (o: { format: 'text' | 'json' }) => set((await import('../commands/check.js')).meshCheck(o, io)));
  program
    .command('upgrade')
    .description('3-way merge a newer template version into products and domains (exit 1 on conflicts)')
    .argument('[target]', '<domain>/<product> or <domain>')
    .option('--all', 'every folder with .meshkit/provenance.json', false)
    .option('--to <version>', 'template version (default: the installed one)')
    .option('--dry-run', 'print every change and its diff; write nothing', false)
    .addOption(textJson())
    .action(
      async (target: string | undefined, o: { all: boolean; to?: string; dryRun: boolean; format: 'text' | 'json' }) =>
        set((await import('../commands/upgrade.js')).meshUpgrade(target, o, io)),
    );
}

/** Registers `mesh demo` on `program`. */
export function registerDemo(program: Command, { io, set }: ProgramContext): void {
  program
    .command('demo')
    .description('run the Meshkit demo on the bundled example contracts')
    .option('--out <dir>', 'where to write exported files', '.mesh/demo')
    .action(async (o: { out: string }) => set((await import('../commands/demo.js')).demo(o, io)));
}
