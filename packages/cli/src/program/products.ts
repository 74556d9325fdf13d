// `mesh run`, `lint`, `impact`, `retire` and `major`: the commands on one product and its consumers.
import type { Command } from 'commander';
import type { DiagnosticFormat } from '../options.js';
import { formatOption, textJson, type ProgramContext } from './shared.js';

/** Registers `mesh run` on `program`. */
export function registerRun(program: Command, { io, set }: ProgramContext): void {
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
      ) => set((await import('../commands/run.js')).meshRun(target, o, io)),
    );
}

/** Registers `mesh lint`, `mesh impact`, `mesh retire` and `mesh major` on `program`. */
export function registerConsumers(program: Command, { io, set }: ProgramContext): void {
  program
    .command('lint')
    .description(
      'contract lint of every product contract + product lint (consumes, deprecation, package version, served majors)',
    )
    .argument('[target]', '<domain>/<product> (default: every product)')
    .addOption(formatOption())
    .option('--now <iso>', 'judge deprecation windows at this ISO 8601 date/instant (default: now)')
    .action(async (target: string | undefined, o: { format: DiagnosticFormat; now?: string }) =>
      set((await import('../commands/lint.js')).meshLint(target, o, io)),
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
      set((await import('../commands/impact.js')).meshImpact(target, o, io)),
    );
  program
    .command('retire')
    .description('stop serving an older major (refused while consumers depend only on it)')
    .argument('<ref>', '<domain>/<product>@<major>')
    .option('--dry-run', 'report who still depends on it; change nothing', false)
    .addOption(textJson())
    .action(async (ref: string, o: { dryRun: boolean; format: 'text' | 'json' }) =>
      set((await import('../commands/retire.js')).meshRetire(ref, o, io)),
    );
  program
    .command('major')
    .description(
      'start a new major of a product; the current major stays served side by side (majors/v<N>/ with its compatibility SQL)',
    )
    .argument('<target>', '<domain>/<product>')
    .addOption(textJson())
    .action(async (target: string, o: { format: 'text' | 'json' }) =>
      set((await import('../commands/major.js')).meshMajor(target, o, io)),
    );
}
