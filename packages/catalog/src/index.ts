/**
 * @meshkit/catalog — the catalog of published contract versions: the backend interface, the
 * embedded local catalog and `publishProduct` (lint, same-major version gate, publish).
 */
export * from './record.js';
export * from './backend.js';
export * from './local.js';
export * from './publish.js';
export * from './baseline.js';
