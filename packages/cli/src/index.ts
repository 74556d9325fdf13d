/** @meshkit/cli — the `mesh` command. */
export { run, buildProgram } from './program.js';
export { processIo, bufferIo, type Io } from './io.js';
export { EXIT, type ExitCode } from './exit.js';
