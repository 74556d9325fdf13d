import {
  displayPath,
  formatDiagnostics,
  lintContract,
  lintRules,
  MeshError,
  type Diagnostic,
} from '@meshkit/contracts';
import { productContracts, readContracts, repoContext, type DiagnosticFormat } from '../context.js';
import { EXIT, type ExitCode } from '../exit.js';
import type { Io } from '../io.js';

export interface ContractLintOptions {
  /** @default 'text' */
  format: DiagnosticFormat;
}

/**
 * `mesh contract lint [files...]`: schema + Meshkit rules. Without files, lints every product
 * contract under `domains/`. Exit 0 with only warnings, 1 on errors, 2 when a file is unreadable.
 */
export function contractLint(files: string[], options: ContractLintOptions, io: Io): ExitCode {
  const repo = repoContext(io.cwd);
  if (!files.length) {
    files = repo.root ? productContracts(repo.root).map((f) => displayPath(f, io.cwd)) : [];
    if (!files.length)
      throw new MeshError(
        'USAGE',
        'no contracts to lint: pass contract files, or run inside a Meshkit repository with products under domains/',
      );
  }
  const { loaded, unreadable } = readContracts(files, io);
  const rules = repo.config?.contracts.lint.rules ?? {};
  const diagnostics: Diagnostic[] = [...unreadable];
  const defaultClassification = repo.config?.defaults.classification;
  for (const l of loaded)
    diagnostics.push(...lintContract(l, { rules, ...(defaultClassification ? { defaultClassification } : {}) }));
  const sources = new Map(loaded.map((l) => [l.source.file, l.source.text]));
  const text = formatDiagnostics(diagnostics, options.format, { sources, color: io.isTTY, rules: lintRules });
  if (text) io.stdout(text.endsWith('\n') ? text : text + '\n');
  if (unreadable.length) return EXIT.USAGE;
  return diagnostics.some((d) => d.severity === 'error') ? EXIT.FAILED : EXIT.OK;
}
