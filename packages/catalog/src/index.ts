/**
 * @meshkit/catalog — the catalog of published contract versions: the backend interface, the
 * embedded local catalog, `publishProduct` (lint, same-major version gate, publish) and the
 * catalog site (pages, lineage graph and JSON API: `startCatalogServer`, `exportCatalogSite`).
 */
export * from './record.js';
export type * from './backend.js';
export * from './local.js';
export * from './publish.js';
export * from './publish-all.js';
export * from './baseline.js';
export * from './web/index.js';
