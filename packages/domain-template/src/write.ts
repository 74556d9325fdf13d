import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { writeFileDurable } from '@meshkit/contracts';
import { dirname, join } from 'node:path';

/** Options of {@link writeRendered}. */
export interface WriteOptions {
  /** Called after everything is staged, just before it is moved into place (tests inject failures here). */
  beforeCommit?: () => void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Writes `files` (paths relative to `dir`) so that an interrupted run leaves nothing
 * half-written: everything is staged in `<root>/.mesh/tmp/` (inside the repository, so the same
 * file system; `.mesh/` is ignored by git) and moved into place at the end — a new folder with
 * one rename, an existing one file by file (each rename atomic). Stale staging folders of dead
 * processes are removed. Overwrites whatever is at the targets: check conflicts before.
 * @returns the absolute paths written, in order
 */
export function writeRendered(
  root: string,
  dir: string,
  files: Array<{ path: string; content: string }>,
  options: WriteOptions = {},
): string[] {
  const tmpRoot = join(root, '.mesh', 'tmp');
  mkdirSync(tmpRoot, { recursive: true });
  for (const stale of readdirSync(tmpRoot)) {
    const pid = Number(/^new-(\d+)-/.exec(stale)?.[1]);
    if (pid && pid !== process.pid && !alive(pid)) rmSync(join(tmpRoot, stale), { recursive: true, force: true });
  }
  const staging = join(
    tmpRoot,
    `new-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
  );
  try {
    for (const f of files) {
      const file = join(staging, f.path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileDurable(file, f.content);
    }
    options.beforeCommit?.();
    if (!existsSync(dir)) {
      mkdirSync(dirname(dir), { recursive: true });
      renameSync(staging, dir);
    } else {
      for (const f of files) {
        const target = join(dir, f.path);
        mkdirSync(dirname(target), { recursive: true });
        renameSync(join(staging, f.path), target);
      }
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
    for (const d of [tmpRoot, dirname(tmpRoot)])
      if (existsSync(d) && readdirSync(d).length === 0) rmSync(d, { recursive: true });
  }
  return files.map((f) => join(dir, f.path));
}
