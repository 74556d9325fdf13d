import { readFileSync, statSync } from 'node:fs';
import { MeshError } from '../errors.js';

/** Largest input file accepted, in bytes: 5 MiB. */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;

/**
 * Reads a text file as strict UTF-8 (a UTF-8 byte-order mark is dropped).
 *
 * @throws {@link MeshError} (exit 2) for a missing file, a directory, a file over
 * {@link MAX_FILE_BYTES}, or bytes that are not UTF-8 (with the line and column of the first one).
 */
export function readTextFile(file: string, maxBytes: number = MAX_FILE_BYTES): string {
  let size: number;
  try {
    const st = statSync(file);
    if (!st.isFile()) {
      throw new MeshError('NOT_A_FILE', st.isDirectory() ? 'is a directory, not a file' : 'is not a regular file', {
        file,
      });
    }
    size = st.size;
  } catch (e) {
    if (e instanceof MeshError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new MeshError('FILE_NOT_FOUND', 'no such file', { file });
    throw new MeshError('FILE_NOT_FOUND', `cannot read: ${(e as Error).message}`, { file, cause: e });
  }
  if (size > maxBytes) {
    throw new MeshError('FILE_TOO_LARGE', `file is ${formatBytes(size)}, over the ${formatBytes(maxBytes)} limit`, {
      file,
    });
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new MeshError('FILE_NOT_FOUND', `cannot read: ${(e as Error).message}`, { file, cause: e });
  }
  return decodeUtf8(bytes, file);
}

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Decodes strict UTF-8, reporting the position of the first invalid byte. */
export function decodeUtf8(bytes: Uint8Array, file?: string): string {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    throw new MeshError('NOT_UTF8', 'file is UTF-16; save it as UTF-8', { file, line: 1, column: 1 });
  }
  try {
    return decoder.decode(bytes);
  } catch {
    const offset = firstInvalidUtf8(bytes);
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < offset; i++) {
      if (bytes[i] === 0x0a) {
        line++;
        lineStart = i + 1;
      }
    }
    const column = decoder.decode(bytes.subarray(lineStart, offset)).length + 1;
    const hex = (bytes[offset] ?? 0).toString(16).padStart(2, '0');
    throw new MeshError('NOT_UTF8', `invalid UTF-8 byte 0x${hex}; save the file as UTF-8`, { file, line, column });
  }
}

/** Offset of the first byte that does not belong to a well-formed UTF-8 sequence. */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    let n: number;
    let min: number;
    if (c < 0x80) {
      i++;
      continue;
    } else if (c >= 0xc2 && c <= 0xdf) {
      n = 1;
      min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
      n = 2;
      min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 3;
      min = 0x10000;
    } else return i;
    let cp = c & (0x3f >> n);
    for (let k = 1; k <= n; k++) {
      const cc = b[i + k];
      if (cc === undefined || (cc & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (cc & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += n + 1;
  }
  return b.length;
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MiB` : `${(n / 1024).toFixed(1)} KiB`;
}
