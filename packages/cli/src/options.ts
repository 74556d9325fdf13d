/**
 * Option values the `mesh` program declares (choices shown in --help). Kept free of imports so the
 * program can be built without loading any command's implementation (`mesh --version` and
 * `mesh --help` load commander and this file only).
 */

/** Output formats of commands that report diagnostics. */
export const DIAGNOSTIC_FORMATS = ['text', 'json', 'junit', 'github', 'sarif'] as const;
export type DiagnosticFormat = (typeof DIAGNOSTIC_FORMATS)[number];

/** Targets of `mesh contract export --to`. */
export const EXPORT_TARGETS = {
  'json-schema': 'JSON Schema 2019-09 of one record',
  'json-schema-draft-07': 'JSON Schema draft-07 of one record (Glue Schema Registry accepts drafts 04/06/07)',
  typescript: 'TypeScript types of a record',
  validator: 'ESM module exporting an ajv standalone validator of a record',
  glue: 'Glue columns and partition keys (JSON)',
  dqdl: 'Glue Data Quality ruleset (DQDL)',
  sql: 'CREATE TABLE and SQL checks in the DuckDB dialect, every identifier quoted (JSON)',
} as const;
export type ExportTarget = keyof typeof EXPORT_TARGETS;
