import { Option, type Command } from 'commander';
import type { Io } from '../io.js';
import type { SetExit } from '../program/shared.js';
import type { NewOptions } from './new.js';

/**
 * Registers `mesh new domain <domain>`, `mesh new product <domain>/<product>` and `mesh new platform` on `program`.
 * The implementation (Handlebars, ajv, diff) is imported on use, so other commands start fast.
 */
export function registerNew(program: Command, io: Io, set: SetExit): void {
  const cmd = program.command('new').description('scaffold a domain or a data product from @meshkit/domain-template');
  const common = (c: Command) =>
    c
      .option('--owner <team>', "owning team (default: the domain's owner for a product, team-<domain> for a domain)")
      .option('--description <text>', 'one-line description')
      .option('-y, --yes', 'take the default of every answer not given as a flag (required without a terminal)', false)
      .option('--dry-run', 'print every file and its diff against the disk; write nothing', false)
      .option('--force', 'render again over an existing domain or product, overwriting its files', false);
  common(
    cmd
      .command('domain')
      .description('create domains/<domain>: domain.yaml and its foundation package')
      .argument('<domain>', 'domain name: lowercase kebab-case, 2–40 characters')
      .option('--cost-center <cc>', 'cost center of the domain (default: cc-<domain>)'),
  ).action(async (domain: string, o: NewOptions) => set((await import('./new.js')).newDomain(domain, o, io)));
  common(
    cmd
      .command('product')
      .description(
        'create domains/<domain>/products/<product>: contract, transform, Glue job, CDK stack, fixtures, tests',
      )
      .argument('<domain/product>', '<domain>/<product>: lowercase kebab-case, 2–40 characters each')
      .addOption(new Option('--ingestion <mode>', 'ingestion variant (default: batch)').choices(['batch', 'stream'])),
  ).action(async (ref: string, o: NewOptions) => set((await import('./new.js')).newProduct(ref, o, io)));
  cmd
    .command('platform')
    .description(
      "create platform/: the account-level stack's package and the organisation's policy pack (platform/policies)",
    )
    .option('--dry-run', 'print every file and its diff against the disk; write nothing', false)
    .option('--force', 'render again over an existing platform/, overwriting its files', false)
    .action(async (o: NewOptions) => set((await import('./new.js')).newPlatform(o, io)));
}
