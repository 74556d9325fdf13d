import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { MeshError } from '../errors.js';

const tag = () => `${process.pid}-${randomBytes(4).toString('hex')}`;
const code = (e: unknown) => (e as NodeJS.ErrnoException)?.code;

/**
 * Writes `content` to `file` atomically: a temporary file beside it, then a rename, so readers see
 * the old content or the new one, never half of it.
 * @throws MeshError `USAGE` (exit 2) when the file cannot be written; nothing is left behind.
 */
export function writeFileAtomic(file: string, content: string): void {
  const tmp = join(dirname(file), `.${basename(file)}.${tag()}.tmp`);
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(tmp, content);
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    const err = e as NodeJS.ErrnoException;
    throw new MeshError('USAGE', `cannot write ${err.path ?? file}: ${err.code ?? err.message}; nothing was changed`, { file, cause: e });
  }
}

/**
 * Replaces the directory `target` by the fully written directory `stage` (same file system): the
 * old one is moved aside to `<target>.old-<tag>`, the new one renamed in, the old one removed. If
 * the second rename fails the old directory is put back. A concurrent writer that puts its own
 * `target` in place between the two renames is replaced in turn (a few attempts), so the last
 * writer wins and `target` is always a whole directory. A process killed between the renames
 * leaves `<target>.old-*`, which the caller may restore.
 * @throws the file-system error when `stage` cannot be moved in (the old `target` is restored).
 */
export function replaceDirectory(stage: string, target: string): void {
  for (let attempt = 0; ; attempt++) {
    const old = `${target}.old-${tag()}`;
    let moved = false;
    try {
      renameSync(target, old);
      moved = true;
    } catch (e) {
      if (code(e) !== 'ENOENT') throw e;
    }
    try {
      renameSync(stage, target);
    } catch (e) {
      if (moved) {
        try {
          renameSync(old, target);
        } catch {
          rmSync(old, { recursive: true, force: true }); // a concurrent writer's directory is there now
        }
      }
      if ((code(e) === 'ENOTEMPTY' || code(e) === 'EEXIST') && attempt < 5) continue;
      throw e;
    }
    if (moved) rmSync(old, { recursive: true, force: true });
    return;
  }
}
