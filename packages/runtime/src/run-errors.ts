/** The runtime's user-fixable errors, and a failed output write as one of them. */
import { MeshError, type Diagnostic, type MeshErrorCode } from '@meshkit/contracts';

/** Codes of the runtime's user-fixable errors (rendered like every MeshError). */
export type RunErrorCode = Extract<
  MeshErrorCode,
  | 'INPUT_NOT_FOUND'
  | 'INPUT_UNREADABLE'
  | 'TRANSFORM_SQL'
  | 'UNPORTABLE_SQL'
  | 'NONCONFORMING_OUTPUT'
  | 'QUALITY_SQL'
  | 'DQDL_UNEXPRESSIBLE'
  | 'OUTPUT_UNWRITABLE'
>;

/** A MeshError of the runtime. `code` carries a {@link RunErrorCode}. */
export function runError(
  code: RunErrorCode,
  message: string,
  options: { file?: string; line?: number; column?: number; exitCode: 1 | 2; details?: Diagnostic[]; cause?: unknown },
): MeshError {
  return new MeshError(code, message, options);
}

/** File-system error codes of an output that cannot be written (a full disk, a quota, a read-only or failing device, permissions). */
const UNWRITABLE = new Set(['ENOSPC', 'EDQUOT', 'EROFS', 'EIO', 'EACCES', 'EPERM', 'EFBIG']);

/**
 * A failure to write the run's output (Node's file-system errors, DuckDB's IO errors) as a
 * `OUTPUT_UNWRITABLE` MeshError (exit 2): nothing was published, the last good output stays.
 */
export function unwritableOutput(e: unknown, out: string, shown: (p: string) => string): MeshError | undefined {
  const code = (e as NodeJS.ErrnoException)?.code;
  const message = e instanceof Error ? e.message : String(e);
  const fsError = typeof code === 'string' && UNWRITABLE.has(code) && !(e instanceof MeshError);
  const duckIo =
    e instanceof MeshError &&
    e.code === 'TRANSFORM_SQL' &&
    /No space left on device|Disk quota exceeded|Read-only file system|IO Error: Could not (?:write|open|create)/i.test(
      message,
    );
  if (!fsError && !duckIo) return undefined;
  const why = fsError ? `${code}: ${message.split('\n')[0]}` : firstParagraph(e).replace(/^SQL error in [^:]+: /, '');
  return runError(
    'OUTPUT_UNWRITABLE',
    `cannot write the run output ${shown(out)} (${why}); nothing was published, the last good output was kept: free space or fix the folder, then run again`,
    { file: shown(out), exitCode: 2, cause: e },
  );
}

/** The first paragraph of an error message, on one line. */
export function firstParagraph(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return m
    .split(/\n\s*\n/)[0]!
    .replace(/\s*\n\s*/g, ' ')
    .trim();
}
