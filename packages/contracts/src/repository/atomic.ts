import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { MeshError } from '../errors.js';

const tag = () => `${process.pid}-${randomBytes(4).toString('hex')}`;
const code = (e: unknown) => (e as NodeJS.ErrnoException)?.code;

/** A `writeSync`-like function: writes from `buffer[offset, offset + length)`, returns the bytes written. */
export type WriteFn = (fd: number, buffer: Uint8Array, offset: number, length: number) => number;

/**
 * Writes every byte of `data` to `fd`: a short write (a full disk, a quota) is continued where it
 * stopped, and a write that makes no progress is `ENOSPC` — never a silently truncated file.
 * @param write the write function. @default fs.writeSync
 * @returns the number of bytes written (`data`'s length in bytes)
 * @throws the file-system error (`code` `ENOSPC` when nothing more could be written)
 */
export function writeAllSync(fd: number, data: string | Uint8Array, write: WriteFn = writeSync): number {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let done = 0;
  while (done < bytes.length) {
    const n = write(fd, bytes, done, bytes.length - done);
    if (!(n > 0)) {
      throw Object.assign(new Error(`ENOSPC: no space left on device, wrote ${done} of ${bytes.length} bytes`), {
        code: 'ENOSPC',
        errno: -28,
        syscall: 'write',
      });
    }
    done += n;
  }
  return done;
}

/**
 * Writes `data` to a new file `file` (created exclusively: it must not exist), every byte checked
 * ({@link writeAllSync}) and flushed to disk (fsync) before it is closed. A failed write removes
 * the partial file.
 * @param write the write function. @default fs.writeSync
 * @throws the file-system error
 */
export function writeNewFileDurable(file: string, data: string | Uint8Array, write: WriteFn = writeSync): void {
  const fd = openSync(file, 'wx');
  try {
    writeAllSync(fd, data, write);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    rmSync(file, { force: true });
    throw e;
  }
  closeSync(fd);
}

/**
 * Writes `data` to `file` (created or truncated), every byte checked ({@link writeAllSync}) and
 * fsynced before it is closed: for files written into a staging place and renamed afterwards.
 * @throws the file-system error (`ENOSPC` on a full disk)
 */
export function writeFileDurable(file: string, data: string | Uint8Array): void {
  const fd = openSync(file, 'w');
  try {
    writeAllSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** fsync of a directory (makes a rename or link in it durable); a no-op where directories cannot be synced. */
export function syncDirectory(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    /* not supported on every platform */
  }
}

/**
 * Writes `content` to `file` atomically and durably: a temporary file beside it, every byte
 * checked and fsynced ({@link writeNewFileDurable}), then a rename (and an fsync of the
 * directory), so readers see the old content or the new one, never half of it — also after a
 * full disk or a crash.
 * @throws MeshError `USAGE` (exit 2) when the file cannot be written (`ENOSPC` on a full disk);
 * nothing is left behind and the old content stays.
 */
export function writeFileAtomic(file: string, content: string): void {
  const tmp = join(dirname(file), `.${basename(file)}.${tag()}.tmp`);
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeNewFileDurable(tmp, content);
    renameSync(tmp, file);
    syncDirectory(dirname(file));
  } catch (e) {
    rmSync(tmp, { force: true });
    const err = e as NodeJS.ErrnoException;
    throw new MeshError('USAGE', `cannot write ${err.path ?? file}: ${err.code ?? err.message}; nothing was changed`, {
      file,
      cause: e,
    });
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
