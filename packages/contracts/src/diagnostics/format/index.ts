// Barrel of src/diagnostics/format: one renderer per output format.
export { formatDiagnostics, isDiagnosticFormat } from './format-diagnostics.js';
export { DIAGNOSTIC_FORMATS, type DiagnosticFormat, type FormatOptions, type RuleMetadata } from './options.js';
export { formatText } from './text.js';
export { formatJson } from './json.js';
export { formatJunit } from './junit.js';
export { formatGithub, escapeGithubData, escapeGithubProperty } from './github.js';
export { formatSarif, sarifLevel } from './sarif.js';
export { codeFrame } from './code-frame.js';
export { countSeverities, type SeverityCounts } from './counts.js';
