import type { Location } from '../load/source.js';

/** How serious a finding is. */
export type Severity = 'error' | 'warning' | 'info';

/**
 * One finding about a file: a schema violation, a lint rule, a compatibility change. Every
 * output format (text, json, junit, github, sarif) renders this one type.
 */
export interface Diagnostic {
  /** Rule id, e.g. `ODCS-SCHEMA`, `CONTRACT-OWNER`, `PROPERTY_REMOVED`. */
  rule: string;
  severity: Severity;
  message: string;
  /** Where it is; lines and columns 1-based. */
  location: Location;
  /** Logical path in the document, e.g. `schema[orders].properties[note]`. */
  path?: string;
  /** One-line reason the rule exists (lint rules). */
  rationale?: string;
}

/** Sorts by file, line, column, then rule id. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return (
    a.location.file.localeCompare(b.location.file) ||
    a.location.line - b.location.line ||
    a.location.column - b.location.column ||
    a.rule.localeCompare(b.rule)
  );
}
