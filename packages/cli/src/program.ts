// Only commander and import-free modules are loaded here: every command's implementation (and with
// it @meshkit/contracts, aws-cdk-lib, DuckDB, the AWS SDK, Handlebars…) is imported when the
// command runs, so `mesh --version` and `mesh --help` start at once and each command loads only
// what it uses (test/startup.test.ts).
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import type { CompatibilityMode } from '@meshkit/contracts';
import { registerNew } from './commands/new-command.js';
import { EXIT, type ExitCode } from './exit.js';
import { processIo, type Io } from './io.js';
import { DIAGNOSTIC_FORMATS, EXPORT_TARGETS, type DiagnosticFormat, type ExportTarget } from './options.js';

const formatOption = () => new Option('--format <format>', 'output format').choices(DIAGNOSTIC_FORMATS).default('text');
/** `--mode`: its choices, `COMPATIBILITY_MODES` of @meshkit/contracts, are set by {@link withModeChoices} when the command runs. */
const modeOption = () =>
  new Option('--mode <mode>', "compatibility mode (default: the contract's meshkit.compatibility, else FULL)");

/** Builds the `mesh` program; each action stores its exit code in `status.code`. */
export function buildProgram(io: Io, status: { code: ExitCode }): Command {
  const set = (code: ExitCode | Promise<ExitCode>) =>
    Promise.resolve(code).then((c) => {
      status.code = c;
    });
  const program = new Command('mesh')
    .description('Meshkit: data products, contracts and policies for a data mesh on AWS')
    .option('-v, --version', 'output the version number')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) })
    .exitOverride();
  // The version is read from package.json only when asked for (commander's .version() needs it up front).
  program.on('option:version', () => {
    const version = cliVersion();
    io.stdout(`${version}\n`);
    throw new CommanderError(0, 'commander.version', version);
  });

  const contract = program.command('contract').description('lint, diff, export, upgrade and check ODCS data contracts');
  contract.hook('preSubcommand', withModeChoices);
  contract
    .command('lint')
    .description("validate contracts against ODCS and the platform's lint rules")
    .argument('[files...]', 'contract files (default: every product contract under domains/)')
    .addOption(formatOption())
    .action(async (files: string[], o: { format: DiagnosticFormat }) =>
      set((await import('./commands/contract-lint.js')).contractLint(files, o, io)),
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
      return set((await import('./commands/contract-diff.js')).contractDiff(files, o, io));
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
      set((await import('./commands/contract-export.js')).contractExport(file, o, io)),
    );
  contract
    .command('upgrade')
    .description('rewrite an ODCS v3.0.x contract as v3.1.0, keeping comments and formatting (no semantic change)')
    .argument('<file>', 'contract file (replaced atomically unless --out or --dry-run)')
    .option('-o, --out <file>', 'write the upgraded contract to this file instead')
    .option('--dry-run', 'print the upgraded contract to standard output; write nothing', false)
    .action(async (file: string, o: { out?: string; dryRun: boolean }) =>
      set((await import('./commands/contract-upgrade.js')).contractUpgrade(file, o, io)),
    );
  contract
    .command('package')
    .description("build the product's contract package (types, precompiled validators, JSON Schema) into its dist/")
    .argument('[target]', '<domain>/<product> (default: the product folder you are in)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (target: string | undefined, o: { format: 'text' | 'json' }) =>
      set((await import('./commands/contract-package.js')).contractPackage(target, o, io)),
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
        set((await import('./commands/contract-check.js')).contractCheck(target, o, io)),
    );

  const textJson = () => new Option('--format <format>', 'output format').choices(['text', 'json']).default('text');
  const catalogKind = () =>
    new Option(
      '--catalog <kind>',
      'catalog backend: local, or glue (AWS Glue Schema Registry, catalog.glue in mesh.config.yaml)',
    )
      .choices(['local', 'glue'])
      .default('local');
  program
    .command('synth')
    .description('synthesize the CDK stacks of the mesh and enforce the policy pack (exit 1 on violations)')
    .argument('[target]', '<domain> or <domain>/<product> (default: the whole mesh, with the platform stack)')
    .option('-o, --out <dir>', 'cloud assembly directory (default: cdk.out of the product, else of the repository)')
    .option(
      '--env <env>',
      'synthesize for an environment of mesh.config.yaml (its account and region; domain.yaml accounts place domains in their own accounts)',
    )
    .option(
      '--fresh',
      'a large mesh (8 domains or more): synthesize every stack again, ignoring the synth cache (.mesh/synth-cache)',
      false,
    )
    .option(
      '--now <date>',
      'judge enforceFrom dates and suppression expiry as of this ISO date or instant (preview enforcement day)',
    )
    .addOption(textJson())
    .action(
      async (
        target: string | undefined,
        o: { out?: string; env?: string; fresh: boolean; now?: string; format: 'text' | 'json' },
      ) => set((await import('./commands/synth.js')).meshSynth(target, o, io)),
    );
  program
    .command('verify')
    .description(
      'prove the synthesized mesh before deploy: who can read and write each product, and whether its data flows (exit 1 on findings)',
    )
    .argument(
      '[target]',
      '<domain> or <domain>/<product> to report on (default: the whole mesh; the whole assembly is analysed)',
    )
    .option('--assembly <dir>', 'cloud assembly directory written by mesh synth (default: cdk.out of the repository)')
    .addOption(textJson())
    .action(async (target: string | undefined, o: { assembly?: string; format: 'text' | 'json' }) =>
      set((await import('./commands/verify.js')).meshVerify(target, o, io)),
    );
  program
    .command('policy')
    .description('the global policy pack')
    .command('report')
    .description(
      'violations, warnings (with the date they become errors) and suppressions (with expiry) of every product, each rule with its pack',
    )
    .option(
      '--now <date>',
      'judge enforceFrom dates and suppression expiry as of this ISO date or instant (preview enforcement day)',
    )
    .option('--upcoming <period>', 'only what turns into an error within this period, e.g. 30d, 6w, 2m (exit 0)')
    .addOption(textJson())
    .action(async (o: { format: 'text' | 'json'; now?: string; upcoming?: string }) =>
      set((await import('./commands/synth.js')).policyReport(o, io)),
    );
  program
    .command('fleet')
    .description(
      'every domain and product: violations, warnings with their enforcement dates, suppressions and expiry, template and policy-pack versions, last published version, consumers (exit 1 on violations)',
    )
    .addOption(
      new Option('--format <format>', "output format (html: the catalog site's fleet page)")
        .choices(['text', 'json', 'html'])
        .default('text'),
    )
    .option('--now <date>', 'judge enforcement dates and suppression expiry as of this ISO date or instant')
    .action(async (o: { format: 'text' | 'json' | 'html'; now?: string }) =>
      set((await import('./commands/fleet.js')).meshFleet(o, io)),
    );
  program
    .command('deploy')
    .description('cdk deploy the synthesized stacks to an environment of mesh.config.yaml')
    .argument('[target]', '<domain> or <domain>/<product> (default: the whole mesh)')
    .requiredOption('--env <env>', 'environment name (mesh.config.yaml environments)')
    .option('--dry-run', 'print the command instead of running it', false)
    .action(async (target: string | undefined, o: { env: string; dryRun: boolean }) =>
      set((await import('./commands/deploy.js')).meshDeploy(target, o, io)),
    );

  registerNew(program, io, set);
  program
    .command('run')
    .description(
      'run a data product locally on DuckDB: transform.sql, contract conformance and quality rules (exit 1 on failed checks)',
    )
    .argument('<product>', '<domain>/<product>')
    .option('--input <path>', "input file: .csv, .jsonl/.ndjson or .parquet (default: the product's fixtures/raw.*)")
    .option('--out <dir>', 'output directory (default: .mesh/runs/<domain>/<product> at the repository root)')
    .option('--now <timestamp>', 'evaluate freshness as of this ISO 8601 instant (default: now)')
    .option(
      '--stream',
      'replay the input through a Kinesis stream (kinesalite on 127.0.0.1 unless --endpoint), consume every shard and run the micro-batches through the same pipeline',
      false,
    )
    .option('--endpoint <url>', 'Kinesis(-compatible) endpoint for --stream (e.g. http://127.0.0.1:4567)')
    .addOption(textJson())
    .action(
      async (
        target: string,
        o: { input?: string; out?: string; now?: string; stream?: boolean; endpoint?: string; format: 'text' | 'json' },
      ) => set((await import('./commands/run.js')).meshRun(target, o, io)),
    );
  program
    .command('publish')
    .description(
      'lint, version-gate (same major) and record contract versions in the catalog (exit 1 when blocked or conflicting)',
    )
    .argument('[target]', '<domain>/<product> (default: the product folder you are in)')
    .option('--all', 'every product of the repository', false)
    .option('--allow-dirty', 'publish from a git tree with uncommitted changes (recorded as gitDirty)', false)
    .addOption(catalogKind())
    .option(
      '--concurrency <n>',
      'products published at once, 1-64 (default: 8 with --catalog glue, 1 for the local catalog)',
    )
    .addOption(textJson())
    .action(
      async (
        target: string | undefined,
        o: {
          all: boolean;
          allowDirty: boolean;
          catalog: 'local' | 'glue';
          concurrency?: string;
          format: 'text' | 'json';
        },
      ) => set((await import('./commands/publish.js')).meshPublish(target, o, io)),
    );
  const catalog = program.command('catalog').description('browse the catalog of published contract versions');
  catalog
    .command('list')
    .description('domains, products, majors and versions, owners, classification')
    .addOption(textJson())
    .addOption(catalogKind())
    .action(async (o: { format: 'text' | 'json'; catalog: 'local' | 'glue' }) =>
      set((await import('./commands/catalog.js')).catalogList(o, io)),
    );
  catalog
    .command('show')
    .description('one published version (default: the latest)')
    .argument('<ref>', '<domain>/<product>[@<version>]')
    .addOption(textJson())
    .addOption(catalogKind())
    .action(async (ref: string, o: { format: 'text' | 'json'; catalog: 'local' | 'glue' }) =>
      set((await import('./commands/catalog.js')).catalogShow(ref, o, io)),
    );
  catalog
    .command('serve')
    .description('the catalog web page, lineage graph and JSON API on http://127.0.0.1 (Ctrl-C to stop)')
    .option('--port <n>', 'TCP port (0 picks a free one)', '7411')
    .option('--host <host>', 'interface to bind (default: loopback only)', '127.0.0.1')
    .option(
      '--fleet',
      'add the fleet page (fleet.html): the mesh is synthesized and policy-checked once before listening',
      false,
    )
    .addOption(textJson())
    .addOption(catalogKind())
    .action(
      async (o: { port: string; host: string; format: 'text' | 'json'; catalog: 'local' | 'glue'; fleet: boolean }) =>
        set((await import('./commands/catalog-web.js')).catalogServe(o, io)),
    );
  catalog
    .command('export')
    .description('write the catalog web page and JSON API as static files (atomic)')
    .requiredOption('--html <dir>', 'directory to write the site to')
    .option(
      '--fleet',
      'add the fleet page (fleet.html, api/fleet.json): the mesh is synthesized and policy-checked',
      false,
    )
    .addOption(textJson())
    .addOption(catalogKind())
    .action(async (o: { html: string; format: 'text' | 'json'; catalog: 'local' | 'glue'; fleet: boolean }) =>
      set((await import('./commands/catalog-web.js')).catalogExport(o, io)),
    );
  program
    .command('lint')
    .description(
      'contract lint of every product contract + product lint (consumes, deprecation, package version, served majors)',
    )
    .argument('[target]', '<domain>/<product> (default: every product)')
    .addOption(formatOption())
    .option('--now <iso>', 'judge deprecation windows at this ISO 8601 date/instant (default: now)')
    .action(async (target: string | undefined, o: { format: DiagnosticFormat; now?: string }) =>
      set((await import('./commands/lint.js')).meshLint(target, o, io)),
    );
  program
    .command('impact')
    .description(
      'whom the pending contract change breaks: every direct and transitive consumer (exit 1 when any breaks)',
    )
    .argument('<product>', '<domain>/<product>')
    .option(
      '--against <file|git-ref>',
      'baseline contract file or git ref (default: latest published of the same major, else HEAD)',
    )
    .option('--now <iso>', 'show deprecation windows as of this instant')
    .addOption(textJson())
    .action(async (target: string, o: { against?: string; now?: string; format: 'text' | 'json' }) =>
      set((await import('./commands/impact.js')).meshImpact(target, o, io)),
    );
  program
    .command('retire')
    .description('stop serving an older major (refused while consumers depend only on it)')
    .argument('<ref>', '<domain>/<product>@<major>')
    .option('--dry-run', 'report who still depends on it; change nothing', false)
    .addOption(textJson())
    .action(async (ref: string, o: { dryRun: boolean; format: 'text' | 'json' }) =>
      set((await import('./commands/retire.js')).meshRetire(ref, o, io)),
    );
  program
    .command('major')
    .description(
      'start a new major of a product; the current major stays served side by side (majors/v<N>/ with its compatibility SQL)',
    )
    .argument('<target>', '<domain>/<product>')
    .addOption(textJson())
    .action(async (target: string, o: { format: 'text' | 'json' }) =>
      set((await import('./commands/major.js')).meshMajor(target, o, io)),
    );
  program
    .command('changeset')
    .description(
      'write .changeset/*.md for each product whose contract changed since its last release, with the bump its compatibility diff requires',
    )
    .argument('[target]', '<domain>/<product> (default: every product)')
    .option('--dry-run', 'print the changesets; write nothing', false)
    .addOption(textJson())
    .action(async (target: string | undefined, o: { dryRun: boolean; format: 'text' | 'json' }) =>
      set((await import('./commands/changeset.js')).meshChangeset(target, o, io)),
    );
  program
    .command('version')
    .description(
      'apply the pending changesets (changeset version) and write each new version into its contract (exit 1 when a package.json and its contract disagree)',
    )
    .option('--dry-run', 'print the release plan; write nothing', false)
    .addOption(textJson())
    .action(async (o: { dryRun: boolean; format: 'text' | 'json' }) =>
      set((await import('./commands/version.js')).meshVersion(o, io)),
    );
  program
    .command('check')
    .description(
      'products and domains behind the latest template version, and managed files edited by hand (exit 1 on drift)',
    )
    .addOption(textJson())
    .action(async (o: { format: 'text' | 'json' }) => set((await import('./commands/check.js')).meshCheck(o, io)));
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
        set((await import('./commands/upgrade.js')).meshUpgrade(target, o, io)),
    );

  program
    .command('demo')
    .description('run the Meshkit demo on the bundled example contracts')
    .option('--out <dir>', 'where to write exported files', '.mesh/demo')
    .action(async (o: { out: string }) => set((await import('./commands/demo.js')).demo(o, io)));
  return program;
}

/** The version of @meshkit/cli: its package.json (beside src/ and dist/). */
function cliVersion(): string {
  return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
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

/**
 * Runs the `mesh` command with `argv` (without node and script) and returns its exit code:
 * 0 success, 1 failed checks, 2 bad usage or unreadable input. User mistakes print one clear
 * message, never a stack trace.
 */
export async function run(argv: string[], io: Io = processIo()): Promise<ExitCode> {
  const status = { code: EXIT.OK as ExitCode };
  const program = buildProgram(io, status);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return status.code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version succeed; help shown because a command is missing is bad usage.
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return EXIT.OK;
      if (e.code === 'mesh.usage') io.stderr(e.message + '\n');
      return EXIT.USAGE;
    }
    const { meshErrorExit } = await import('./mesh-error.js');
    return meshErrorExit(e, io);
  }
}
