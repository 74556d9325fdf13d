import type { Diagnostic } from '../diagnostic.js';

/** Number of diagnostics per severity. */
export interface SeverityCounts {
  errors: number;
  warnings: number;
  infos: number;
}

/** Counts diagnostics per severity. */
export function countSeverities(diagnostics: readonly Diagnostic[]): SeverityCounts {
  const c: SeverityCounts = { errors: 0, warnings: 0, infos: 0 };
  for (const d of diagnostics) {
    if (d.severity === 'error') c.errors++;
    else if (d.severity === 'warning') c.warnings++;
    else c.infos++;
  }
  return c;
}

/** `n word` with an `s` unless n is 1. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
