/**
 * Errors a user can fix. Every failure that comes from input (a missing file, malformed YAML,
 * bad usage) is a {@link MeshError}: the CLI renders it as one line with `file:line:col` where a
 * position exists and exits with {@link MeshError.exitCode}, never with a stack trace.
 */

/** Stable codes of user-fixable errors. */
export type MeshErrorCode =
  | 'USAGE'
  | 'FILE_NOT_FOUND'
  | 'NOT_A_FILE'
  | 'FILE_TOO_LARGE'
  | 'NOT_UTF8'
  | 'YAML_SYNTAX'
  | 'YAML_DUPLICATE_KEY'
  | 'YAML_ALIAS_LIMIT'
  | 'YAML_TOO_DEEP'
  | 'INVALID_CONFIG'
  | 'INVALID_CONTRACT'
  | 'UNSUPPORTED_API_VERSION'
  | 'GIT'
  | 'INPUT_NOT_FOUND'
  | 'INPUT_UNREADABLE'
  | 'TRANSFORM_SQL'
  | 'UNPORTABLE_SQL'
  | 'NONCONFORMING_OUTPUT'
  | 'DQDL_UNEXPRESSIBLE'
  | 'QUALITY_SQL'
  | 'OUTPUT_UNWRITABLE'
  | 'CATALOG_VERSION_CONFLICT'
  | 'CATALOG_CORRUPT'
  | 'CATALOG_PREFLIGHT'
  | 'CATALOG_SCHEMA_FAILURE'
  | 'CATALOG_SCHEMA_PENDING'
  | 'CATALOG_RECORD_UNAVAILABLE'
  | 'CATALOG_AWS'
  | 'ASSEMBLY_MISSING'
  | 'ASSEMBLY_STALE'
  | 'ASSEMBLY_UNREADABLE';

import type { Diagnostic } from './diagnostics/diagnostic.js';

/** Options of {@link MeshError}. */
export interface MeshErrorOptions {
  /** File the error is about. */
  file?: string;
  /** 1-based line. */
  line?: number;
  /** 1-based column. */
  column?: number;
  /** Process exit code. @default 2 (unreadable input or bad usage) */
  exitCode?: 1 | 2;
  /** Underlying error, kept for debugging (never shown to users). */
  cause?: unknown;
  /** Positioned findings behind the error (e.g. a contract's schema violations), to render. */
  details?: Diagnostic[];
}

/** A typed, user-fixable error. */
export class MeshError extends Error {
  readonly code: MeshErrorCode;
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly column: number | undefined;
  readonly exitCode: 1 | 2;
  readonly details: Diagnostic[];

  constructor(code: MeshErrorCode, message: string, options: MeshErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'MeshError';
    this.code = code;
    this.file = options.file;
    this.line = options.line;
    this.column = options.column;
    this.exitCode = options.exitCode ?? 2;
    this.details = options.details ?? [];
  }

  /** `file:line:col: message` (the parts that are known). */
  format(): string {
    const where = [this.file, this.line, this.column].filter((p) => p !== undefined).join(':');
    return where ? `${where}: ${this.message}` : this.message;
  }
}

/** True when `e` is a {@link MeshError}. */
export function isMeshError(e: unknown): e is MeshError {
  return e instanceof MeshError;
}

/**
 * A {@link MeshError} as an error diagnostic (the rule is its code) at its position: its own file,
 * line and column where it has them, else `file`, line 1, column 1. How linters report input they
 * could not read beside their findings.
 */
export function errorDiagnostic(file: string, e: MeshError): Diagnostic {
  return {
    rule: e.code,
    severity: 'error',
    message: e.message,
    location: { file: e.file ?? file, line: e.line ?? 1, column: e.column ?? 1 },
  };
}
