#!/usr/bin/env node
// The `mesh` command. All logic lives in src/ (compiled to dist/); this file only starts it
// (dist/program.js, not the package's index: the library exports are not on the CLI's start path).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { run } = await import('../dist/program.js');
process.exitCode = await run(process.argv.slice(2));
