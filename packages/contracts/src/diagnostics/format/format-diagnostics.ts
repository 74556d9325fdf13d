import { MeshError } from '../../errors.js';
import type { Diagnostic } from '../diagnostic.js';
import { formatGithub } from './github.js';
import { formatJson } from './json.js';
import { formatJunit } from './junit.js';
import { DIAGNOSTIC_FORMATS, type DiagnosticFormat, type FormatOptions } from './options.js';
import { formatSarif } from './sarif.js';
import { formatText } from './text.js';

/** True when `s` names one of {@link DIAGNOSTIC_FORMATS}. */
export function isDiagnosticFormat(s: string): s is DiagnosticFormat {
  return (DIAGNOSTIC_FORMATS as readonly string[]).includes(s);
}

/**
 * Renders diagnostics in one output format: `text` (with code frames when `options.sources`
 * is given), `json`, `junit`, `github` (workflow commands) or `sarif` (2.1.0).
 *
 * @throws MeshError `USAGE` (exit 2) for an unknown format
 */
export function formatDiagnostics(
  diagnostics: readonly Diagnostic[],
  format: DiagnosticFormat,
  options: FormatOptions = {},
): string {
  switch (format) {
    case 'text':
      return formatText(diagnostics, options);
    case 'json':
      return formatJson(diagnostics);
    case 'junit':
      return formatJunit(diagnostics, options);
    case 'github':
      return formatGithub(diagnostics, options);
    case 'sarif':
      return formatSarif(diagnostics, options);
    default:
      throw new MeshError(
        'USAGE',
        `unknown output format ${JSON.stringify(format)}: use one of ${DIAGNOSTIC_FORMATS.join(', ')}`,
        { exitCode: 2 },
      );
  }
}
