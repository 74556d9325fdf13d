// Only commander and import-free modules are loaded here: every command's implementation (and with
// it @meshkit/contracts, aws-cdk-lib, DuckDB, the AWS SDK, Handlebars…) is imported when the
// command runs, so `mesh --version` and `mesh --help` start at once and each command loads only
// what it uses (test/startup.test.ts).
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { registerNew } from './commands/new-command.js';
import { EXIT, type ExitCode } from './exit.js';
import { processIo, type Io } from './io.js';
import { registerCatalog } from './program/catalog.js';
import { registerContract } from './program/contract.js';
import { registerConsumers, registerRun } from './program/products.js';
import { registerDemo, registerRelease } from './program/release.js';
import type { ProgramContext } from './program/shared.js';
import { registerSynth } from './program/synth.js';

/**
 * Builds the `mesh` program; each action stores its exit code in `status.code`. The commands are
 * registered in the order `mesh --help` lists them.
 */
export function buildProgram(io: Io, status: { code: ExitCode }): Command {
  const set = (code: ExitCode | Promise<ExitCode>) =>
    Promise.resolve(code).then((c) => {
      status.code = c;
    });
  const context: ProgramContext = { io, set };
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
  registerContract(program, context);
  registerSynth(program, context);
  registerNew(program, io, set);
  registerRun(program, context);
  registerCatalog(program, context);
  registerConsumers(program, context);
  registerRelease(program, context);
  registerDemo(program, context);
  return program;
}

/** The version of @meshkit/cli: its package.json (beside src/ and dist/). */
function cliVersion(): string {
  return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
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
