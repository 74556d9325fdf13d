// `mesh synth`, `verify`, `policy report`, `fleet` and `deploy`: the commands on the synthesized mesh.
import { Option, type Command } from 'commander';
import { NOW_ENFORCEMENT, textJson, type ProgramContext } from './shared.js';

/** Registers `mesh synth`, `mesh verify`, `mesh policy report`, `mesh fleet` and `mesh deploy` on `program`. */
export function registerSynth(program: Command, context: ProgramContext): void {
  const { io, set } = context;
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
    .option('--now <date>', NOW_ENFORCEMENT)
    .addOption(textJson())
    .action(
      async (
        target: string | undefined,
        o: { out?: string; env?: string; fresh: boolean; now?: string; format: 'text' | 'json' },
      ) => set((await import('../commands/synth.js')).meshSynth(target, o, io)),
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
      set((await import('../commands/verify.js')).meshVerify(target, o, io)),
    );
  registerPolicyAndFleet(program, context);
  program
    .command('deploy')
    .description('cdk deploy the synthesized stacks to an environment of mesh.config.yaml')
    .argument('[target]', '<domain> or <domain>/<product> (default: the whole mesh)')
    .requiredOption('--env <env>', 'environment name (mesh.config.yaml environments)')
    .option('--dry-run', 'print the command instead of running it', false)
    .action(async (target: string | undefined, o: { env: string; dryRun: boolean }) =>
      set((await import('../commands/deploy.js')).meshDeploy(target, o, io)),
    );
}

/** `mesh policy report` and `mesh fleet`: the policy pack's findings across the mesh. */
function registerPolicyAndFleet(program: Command, { io, set }: ProgramContext): void {
  program
    .command('policy')
    .description('the global policy pack')
    .command('report')
    .description(
      'violations, warnings (with the date they become errors) and suppressions (with expiry) of every product, each rule with its pack',
    )
    .option('--now <date>', NOW_ENFORCEMENT)
    .option('--upcoming <period>', 'only what turns into an error within this period, e.g. 30d, 6w, 2m (exit 0)')
    .addOption(textJson())
    .action(async (o: { format: 'text' | 'json'; now?: string; upcoming?: string }) =>
      set((await import('../commands/policy-report.js')).policyReport(o, io)),
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
      set((await import('../commands/fleet.js')).meshFleet(o, io)),
    );
}
