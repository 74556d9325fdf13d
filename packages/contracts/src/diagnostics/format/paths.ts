import { isAbsolute, relative } from 'node:path';

/** `file` relative to `baseDir` when absolute, with forward slashes. */
export function relativePath(file: string, baseDir: string = process.cwd()): string {
  const rel = isAbsolute(file) ? relative(baseDir, file) || file : file;
  return rel.replace(/\\/g, '/');
}

/** A relative path as a URI reference (each segment percent-encoded). */
export function pathToUri(path: string): string {
  return path
    .split('/')
    .map((s) => encodeURIComponent(s))
    .join('/');
}
