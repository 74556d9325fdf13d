import { closeSync, openSync, readSync } from 'node:fs';

/**
 * Reads `file` from its start in chunks of 1 MiB (one buffer, reused), calling `onChunk` with the
 * buffer and the number of bytes read, until the end of the file or until `onChunk` returns true.
 */
export function scanChunks(file: string, onChunk: (buf: Buffer, got: number) => boolean): void {
  const fd = openSync(file, 'r');
  const buf = Buffer.alloc(1 << 20);
  let pos = 0;
  try {
    for (;;) {
      const got = readSync(fd, buf, 0, buf.length, pos);
      if (got <= 0 || onChunk(buf, got)) return;
      pos += got;
    }
  } finally {
    closeSync(fd);
  }
}
