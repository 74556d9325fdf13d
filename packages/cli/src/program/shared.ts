// Options several commands of the `mesh` program share. Import-free (commander only), like the
// program itself: no command's implementation is loaded until the command runs.
import { Option } from 'commander';
import type { ExitCode } from '../exit.js';
import type { Io } from '../io.js';
import { DIAGNOSTIC_FORMATS } from '../options.js';

/** Stores a command's exit code (an action's result) in the program's status. */
export type SetExit = (code: ExitCode | Promise<ExitCode>) => Promise<void>;

/** What each `register…` function of the program needs: the process I/O and where exit codes go. */
export interface ProgramContext {
  io: Io;
  set: SetExit;
}

/** `--format` of the commands that report diagnostics. */
export const formatOption = (): Option =>
  new Option('--format <format>', 'output format').choices(DIAGNOSTIC_FORMATS).default('text');

/** `--mode`: its choices, `COMPATIBILITY_MODES` of @meshkit/contracts, are set by `withModeChoices` when the command runs. */
export const modeOption = (): Option =>
  new Option('--mode <mode>', "compatibility mode (default: the contract's meshkit.compatibility, else FULL)");

/** `--format text|json`. */
export const textJson = (): Option =>
  new Option('--format <format>', 'output format').choices(['text', 'json']).default('text');

/** `--catalog local|glue`. */
export const catalogKind = (): Option =>
  new Option(
    '--catalog <kind>',
    'catalog backend: local, or glue (AWS Glue Schema Registry, catalog.glue in mesh.config.yaml)',
  )
    .choices(['local', 'glue'])
    .default('local');

/** `--now <date>` of the commands that judge enforcement dates and suppression expiry. */
export const NOW_ENFORCEMENT =
  'judge enforceFrom dates and suppression expiry as of this ISO date or instant (preview enforcement day)';
