import {
  diffContracts,
  formatDiagnostics,
  toDiffJson,
  type CompatibilityMode,
  type ContractInput,
  type DiffResult,
} from '@meshkit/contracts';
import { readContracts, type DiagnosticFormat } from '../context.js';
import { EXIT, type ExitCode } from '../exit.js';
import type { Io } from '../io.js';

export interface ContractDiffOptions {
  /** @default from the new contract's `meshkit.compatibility`, else FULL */
  mode?: CompatibilityMode;
  /** @default 'text' */
  format: DiagnosticFormat;
}

/**
 * `mesh contract diff <old>... <new>`: classifies every change between contracts (oldest first).
 * Exit 0 compatible, 1 incompatible, 2 unreadable or invalid input.
 */
export function contractDiff(files: string[], options: ContractDiffOptions, io: Io): ExitCode {
  const { loaded, unreadable } = readContracts(files, io);
  const problems = [...unreadable, ...loaded.flatMap((l) => l.diagnostics)];
  if (problems.length) {
    const sources = new Map(loaded.map((l) => [l.source.file, l.source.text]));
    io.stderr(formatDiagnostics(problems, 'text', { sources }) + '\ncannot diff: fix the files above first\n');
    return EXIT.USAGE;
  }
  const inputs = loaded as ContractInput[];
  const next = inputs[inputs.length - 1]!;
  const result = diffContracts(inputs.slice(0, -1), next, options.mode ? { mode: options.mode } : {});
  io.stdout(render(result, options.format, inputs));
  return result.compatible ? EXIT.OK : EXIT.FAILED;
}

function render(result: DiffResult, format: DiagnosticFormat, inputs: ContractInput[]): string {
  if (format === 'json') return JSON.stringify(toDiffJson(result), null, 2) + '\n';
  const sources = new Map(inputs.map((l) => [l.source.file, l.source.text]));
  if (format !== 'text') return formatDiagnostics(result.changes, format, { sources }) + '\n';
  const lines = result.changes.map(
    (c) => `${c.location.file}:${c.location.line}:${c.location.column} ${c.severity} ${c.rule} ${c.message}`,
  );
  const breaking = result.changes.filter((c) => c.severity === 'error').length;
  lines.push(
    result.compatible
      ? `compatible under ${result.mode}: ${result.changes.length} change(s), requires a ${result.requiredBump} version bump`
      : `incompatible under ${result.mode}: ${breaking} breaking change(s), requires a ${result.requiredBump} version bump`,
  );
  return lines.join('\n') + '\n';
}
