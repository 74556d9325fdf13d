/**
 * A preload module (`node --import <this module>`) that stops a process at a deterministic point of
 * an atomic publish — after a temp file is written and verified, before `link(2)` gives it its
 * name — so a test can kill the process there. It replaces `fs.linkSync` for the whole process
 * (`module.syncBuiltinESMExports()` makes `import { linkSync } from 'node:fs'` see it), so the
 * production code has no test hook.
 *
 * For each `linkSync(existingPath, newPath)` whose `existingPath` ends with `.tmp`, it writes
 * `PAUSED_AT_LINK <existingPath>` (one line, {@link PAUSED_AT_LINK}) to stderr synchronously, then
 * blocks the process (no event loop) for `MESHKIT_TESTING_PAUSE_AT_LINK_MS` milliseconds
 * (@default 60000) before linking. Other links are untouched.
 *
 * ```ts
 * const preload = import.meta.resolve('@meshkit/testing/pause-at-link');
 * spawn(process.execPath, ['--conditions=development', '--import', 'tsx', '--import', preload, script],
 *   { env: { ...process.env, [PAUSE_AT_LINK_ENV]: '150' } });
 * // wait for PAUSED_AT_LINK on the child's stderr, then child.kill('SIGKILL')
 * ```
 * (the marker and variable names are exported by `@meshkit/testing`.)
 */
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { PAUSE_AT_LINK_ENV, PAUSED_AT_LINK } from './pause-markers.js';

const pauseMs = Number(process.env[PAUSE_AT_LINK_ENV] ?? 60_000);
const link = fs.linkSync;
const sleeper = new Int32Array(new SharedArrayBuffer(4));

fs.linkSync = (existingPath: fs.PathLike, newPath: fs.PathLike): void => {
  if (String(existingPath).endsWith('.tmp')) {
    fs.writeSync(2, `${PAUSED_AT_LINK} ${String(existingPath)}\n`);
    if (pauseMs > 0) Atomics.wait(sleeper, 0, 0, pauseMs);
  }
  link(existingPath, newPath);
};
syncBuiltinESMExports();
