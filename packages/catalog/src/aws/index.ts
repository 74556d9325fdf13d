/**
 * @meshkit/catalog/aws — the AWS catalog backend: contract versions in the AWS Glue Schema
 * Registry ({@link GlueSchemaRegistryCatalog}), the drift report of deployed Glue tables and
 * LF-tags ({@link driftReport}), and the settings/clients helpers. A separate entry point so the
 * AWS SDK is loaded only when the Glue backend is used.
 */
export * from './settings.js';
export * from './glue-catalog.js';
export * from './drift.js';
