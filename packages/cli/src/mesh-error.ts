import type { ExitCode } from './exit.js';

/**
 * What `mesh` does with an error: a MeshError (bad input, a failed check) is printed as one line
 * on stderr and gives its exit code; anything else is not a user mistake and is rethrown.
 * @meshkit/contracts is loaded only on this path (it is not on the path of --version and --help).
 */
export async function meshErrorExit(e: unknown, io: { stderr(text: string): void }): Promise<ExitCode> {
  const { isMeshError } = await import('@meshkit/contracts');
  if (!isMeshError(e)) throw e;
  io.stderr(`mesh: ${e.format()}\n`);
  return e.exitCode;
}

/** Runs one command the way `mesh` runs it (see {@link meshErrorExit}). */
export async function runAsMesh(fn: () => Promise<ExitCode>, io: { stderr(text: string): void }): Promise<ExitCode> {
  try {
    return await fn();
  } catch (e) {
    return meshErrorExit(e, io);
  }
}
