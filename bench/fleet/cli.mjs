// Runs the `mesh` command from the workspace sources (started with the development condition and
// tsx's loader): the benchmark's child process.
const { run } = await import('../../packages/cli/src/index.ts');
process.exitCode = await run(process.argv.slice(2));
