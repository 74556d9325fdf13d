/** The run's output directory: temporaries of killed runs, and the rename that publishes a run. */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { replaceDirectory } from '@meshkit/contracts';

/** The file in a run's temporary output directory naming the process writing it. */
export const OWNER_FILE = '.meshkit-run.pid';

/**
 * Removes the temporary output directories (`<out>.tmp-*`, `<out>.failed.tmp-*`) that killed runs
 * left: those whose writing process is gone (or unknown). A concurrent run's stays.
 */
export function removeStaleTemporaries(out: string): void {
  const dir = dirname(out);
  if (!existsSync(dir)) return;
  const base = basename(out);
  for (const name of readdirSync(dir)) {
    if (!(name.startsWith(`${base}.tmp-`) || name.startsWith(`${base}.failed.tmp-`))) continue;
    const owner = join(dir, name, OWNER_FILE);
    let alive = false;
    try {
      const pid = Number(readFileSync(owner, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid) {
        process.kill(pid, 0);
        alive = true;
      }
    } catch (e) {
      alive = (e as NodeJS.ErrnoException).code === 'EPERM';
    }
    if (!alive) rmSync(join(dir, name), { recursive: true, force: true });
  }
}

/**
 * Replaces `target` by `tmp`: the old directory is moved aside, the new one renamed in, the old
 * one removed. If the process dies between the two renames, the next run restores the old one.
 */
export function publish(tmp: string, target: string): void {
  mkdirSync(dirname(target), { recursive: true });
  restoreInterrupted(target);
  replaceDirectory(tmp, target);
}

function restoreInterrupted(target: string): void {
  const dir = dirname(target);
  const prefix = `${basename(target)}.old-`;
  const olds = readdirSync(dir).filter((n) => n.startsWith(prefix));
  for (const o of olds) {
    if (!existsSync(target)) renameSync(join(dir, o), target);
    else rmSync(join(dir, o), { recursive: true, force: true });
  }
}

/** Whether `dir` holds a Parquet file (at any depth). */
export function hasParquet(dir: string): boolean {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isFile() && e.name.endsWith('.parquet')) return true;
    if (e.isDirectory() && hasParquet(join(dir, e.name))) return true;
  }
  return false;
}
