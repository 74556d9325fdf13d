// `npm run bench:publish [-- <products> <rounds>]`: runs run.ts with the development condition
// (the workspace packages' TypeScript sources) through tsx. See run.ts for what is measured.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const run = fileURLToPath(new URL('./run.ts', import.meta.url));
const r = spawnSync(process.execPath, ['--conditions=development', '--import', 'tsx', run, ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
});
process.exit(r.status ?? 1);
