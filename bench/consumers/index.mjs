/**
 * `npm run bench:consumers`: the consumer benchmarks, each in its own process on the workspace
 * sources (development condition, through tsx): validate.mjs (shipped standalone validator vs ajv
 * compiled at run time) and, when present, impact.mjs (`mesh impact` over a generated mesh).
 * Arguments after `--` go to validate.mjs ([records] [rounds]).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

let failed = false;
for (const [name, args] of [
  ['validate.mjs', process.argv.slice(2)],
  ['impact.mjs', []],
]) {
  const file = fileURLToPath(new URL(name, import.meta.url));
  if (!existsSync(file)) continue;
  const r = spawnSync(process.execPath, ['--conditions=development', '--import', 'tsx', file, ...args], {
    stdio: 'inherit',
  });
  if (r.status !== 0) {
    console.error(`bench/consumers/${name} failed (exit ${r.status ?? r.signal})`);
    failed = true;
  }
}
process.exitCode = failed ? 1 : 0;
