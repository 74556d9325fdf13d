import type { Diagnostic } from '../diagnostic.js';
import { countSeverities } from './counts.js';

/** `{ "diagnostics": [...], "errors": n, "warnings": n }`, pretty-printed, ending with a newline. */
export function formatJson(diagnostics: readonly Diagnostic[]): string {
  const { errors, warnings } = countSeverities(diagnostics);
  return JSON.stringify({ diagnostics, errors, warnings }, null, 2) + '\n';
}
