// `mesh contract …`: lint, diff, export, upgrade, package and check ODCS data contracts.
import { CommanderError, Option, type Command } from 'commander';
import type { CompatibilityMode } from '@meshkit/contracts';
import { EXPORT_TARGETS, type DiagnosticFormat, type ExportTarget } from '../options.js';
import { formatOption, modeOption, textJson, type ProgramContext } from './shared.js';

/** Registers `mesh contract` and its subcommands on `program`. */
export function registerContract(program: Command, { io, set }: ProgramContext): void {
  const contract = program.command('contract').description('lint, diff, export, upgrade and check ODCS data contracts');
  contract.hook('preSubcommand', withModeChoices);
  contract
    .command('lint')
    .description("validate contracts against ODCS and the platform's lint rules")
    .argument('[files...]', 'contract files (default: every product contract under domains/)')
    .addOption(formatOption())
    .action(async (files: string[], o: { format: DiagnosticFormat }) =>
      set((await import('../commands/contract-lint.js')).contractLint(files, o, io)),
    );
  contract
    .command('diff')
    .description('classify the changes between contract versions (exit 1 when incompatible)')
    .argument('<files...>', 'old contract(s), oldest first, then the new one')
    .addOption(modeOption())
    .addOption(formatOption())
    .action(async (files: string[], o: { mode?: CompatibilityMode; format: DiagnosticFormat }) => {
      if (files.length < 2)
        throw new CommanderError(2, 'mesh.usage', 'error: diff needs at least two files: <old>... <new>');
      return set((await import('../commands/contract-diff.js')).contractDiff(files, o, io));
    });
  contract
    .command('export')
    .description('compile a contract to another format')
    .argument('<file>', 'contract file')
    .addOption(
      new Option(
        '--to <target>',
        Object.entries(EXPORT_TARGETS)
          .map(([k, v]) => `${k}: ${v}`)
          .join('; '),
      )
        .choices(Object.keys(EXPORT_TARGETS))
        .makeOptionMandatory(),
    )
    .option('--object <name>', 'schema object to export (default: the only one)')
    .option('--table <name>', 'table name for --to sql (default: the object name)')
    .option('-o, --out <file>', 'write to a file instead of standard output')
    .action(async (file: string, o: { to: ExportTarget; object?: string; out?: string; table?: string }) =>
      set((await import('../commands/contract-export.js')).contractExport(file, o, io)),
    );
  registerContractFiles(contract, { io, set });
}

/** `mesh contract upgrade`, `package` and `check`: the commands that work on a product's contract files. */
function registerContractFiles(contract: Command, { io, set }: ProgramContext): void {
  contract
    .command('upgrade')
    .description('rewrite an ODCS v3.0.x contract as v3.1.0, keeping comments and formatting (no semantic change)')
    .argument('<file>', 'contract file (replaced atomically unless --out or --dry-run)')
    .option('-o, --out <file>', 'write the upgraded contract to this file instead')
    .option('--dry-run', 'print the upgraded contract to standard output; write nothing', false)
    .action(async (file: string, o: { out?: string; dryRun: boolean }) =>
      set((await import('../commands/contract-upgrade.js')).contractUpgrade(file, o, io)),
    );
  contract
    .command('package')
    .description("build the product's contract package (types, precompiled validators, JSON Schema) into its dist/")
    .argument('[target]', '<domain>/<product> (default: the product folder you are in)')
    .addOption(textJson())
    .action(async (target: string | undefined, o: { format: 'text' | 'json' }) =>
      set((await import('../commands/contract-package.js')).contractPackage(target, o, io)),
    );
  contract
    .command('check')
    .description('version gate: the declared version bump must cover the changes')
    .argument('[target]', '<domain>/<product> or a contract file (default: every product)')
    .option('--against <file|git-ref>', 'baseline contract file or git ref', undefined)
    .addOption(modeOption())
    .addOption(formatOption())
    .action(
      async (target: string | undefined, o: { against?: string; mode?: CompatibilityMode; format: DiagnosticFormat }) =>
        set((await import('../commands/contract-check.js')).contractCheck(target, o, io)),
    );
}

/**
 * Gives the `--mode` option of the subcommand about to run the compatibility modes of
 * @meshkit/contracts as its choices (validation and help). Loaded here, not at start-up: `mesh
 * --version`, `mesh --help` and `mesh contract --help` load no contract code (test/startup.test.ts).
 */
async function withModeChoices(_parent: Command, sub: Command): Promise<void> {
  const mode = sub.options.find((o) => o.long === '--mode');
  if (mode) mode.choices((await import('@meshkit/contracts')).COMPATIBILITY_MODES);
}
