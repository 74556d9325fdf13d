import type { LintSeverity } from '../../lint/types.js';

/** Metadata of a rule, for SARIF `tool.driver.rules` (e.g. `lintRules`). */
export interface RuleMetadata {
  id: string;
  /** One line; becomes SARIF `shortDescription.text`. */
  rationale?: string;
  /** Longer text; becomes SARIF `fullDescription.text`. */
  description?: string;
  /** Becomes SARIF `defaultConfiguration.level` (`warn` → `warning`). */
  defaultSeverity?: LintSeverity | 'warning' | 'info';
}

/** Options of {@link formatDiagnostics}; each format reads only the ones it needs. */
export interface FormatOptions {
  /** Text of the files by file name as it appears in the diagnostics, for code frames (text format). @default none: no code frames */
  sources?: Map<string, string>;
  /** ANSI colours (text format). @default false */
  color?: boolean;
  /** Name of the tool (JUnit suite name, SARIF driver name). @default 'mesh' */
  toolName?: string;
  /** Version of the tool (SARIF `tool.driver.version`). @default none */
  toolVersion?: string;
  /** SARIF `tool.driver.informationUri`. @default none */
  informationUri?: string;
  /** Rule metadata (SARIF `tool.driver.rules`); rules seen only in diagnostics are added by id. @default [] */
  rules?: readonly RuleMetadata[];
  /** Directory absolute file paths are made relative to (SARIF, GitHub). @default process.cwd() */
  baseDir?: string;
}

/** The output formats of {@link formatDiagnostics}. */
export const DIAGNOSTIC_FORMATS = ['text', 'json', 'junit', 'github', 'sarif'] as const;

/** One of {@link DIAGNOSTIC_FORMATS}. */
export type DiagnosticFormat = (typeof DIAGNOSTIC_FORMATS)[number];
