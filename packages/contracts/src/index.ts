/**
 * @meshkit/contracts — ODCS v3.1 data contracts: load and validate with positions, lint,
 * compatibility diff, version gate, and compilers (JSON Schema, TypeScript, Glue, DQDL, SQL).
 * Pure: no AWS, no CDK.
 */
export * from './errors.js';
export * from './odcs.js';
export * from './load/read-file.js';
export * from './repository/index.js';
export * from './load/source.js';
export { schemaDiagnostics, formatPath, pointerToPath } from './load/schema-diagnostics.js';
export * from './diagnostics/diagnostic.js';
export * from './diagnostics/format/index.js';
export * from './contract/load-contract.js';
export * from './contract/deprecation.js';
export { readAsLatest, v30Edits, V30_LIBRARY_RULES, type V30Edit } from './contract/v30.js';
export * from './contract/upgrade.js';
export * from './contract/contract-version.js';
export * from './config/load-config.js';
export * from './config/served-majors.js';
export * from './config/classification.js';
export * from './config/tags.js';
export * from './config/naming.js';
export * from './config/inputs-hash.js';
export * from './config/stack-metadata.js';
export * from './cfn/references.js';
export * from './lint/index.js';
export * from './diff/index.js';
export * from './gate/index.js';
export * from './compile/index.js';
export * from './package/index.js';
