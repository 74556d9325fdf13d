// `mesh publish` and `mesh catalog …`: recording contract versions and browsing what is recorded.
import type { Command } from 'commander';
import { catalogKind, textJson, type ProgramContext } from './shared.js';

/** Registers `mesh publish` and `mesh catalog list|show|serve|export` on `program`. */
export function registerCatalog(program: Command, { io, set }: ProgramContext): void {
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
      ) => set((await import('../commands/publish.js')).meshPublish(target, o, io)),
    );
  const catalog = program.command('catalog').description('browse the catalog of published contract versions');
  catalog
    .command('list')
    .description('domains, products, majors and versions, owners, classification')
    .addOption(textJson())
    .addOption(catalogKind())
    .action(async (o: { format: 'text' | 'json'; catalog: 'local' | 'glue' }) =>
      set((await import('../commands/catalog.js')).catalogList(o, io)),
    );
  catalog
    .command('show')
    .description('one published version (default: the latest)')
    .argument('<ref>', '<domain>/<product>[@<version>]')
    .addOption(textJson())
    .addOption(catalogKind())
    .action(async (ref: string, o: { format: 'text' | 'json'; catalog: 'local' | 'glue' }) =>
      set((await import('../commands/catalog.js')).catalogShow(ref, o, io)),
    );
  registerCatalogSite(catalog, { io, set });
}

/** `mesh catalog serve` and `mesh catalog export`: the catalog web site, live or as static files. */
function registerCatalogSite(catalog: Command, { io, set }: ProgramContext): void {
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
        set((await import('../commands/catalog-web.js')).catalogServe(o, io)),
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
      set((await import('../commands/catalog-web.js')).catalogExport(o, io)),
    );
}
