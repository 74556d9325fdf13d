// Barrel of src/web: the catalog site (page model, lineage layout, HTML, JSON API, server, static export).
export * from './model.js';
export * from './access.js';
export * from './layout.js';
export { renderLineageSvg, pathOf, edgeTitle, type LineageSvgOptions } from './svg.js';
export { escapeHtml } from './escape.js';
export { renderIndexPage, renderProductPage, renderNotFoundPage, renderPageShell, productPath, versionApiPath, CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_HEADER } from './html.js';
export * from './api.js';
export { routeCatalog, type CatalogResponse, type RouteOptions } from './router.js';
export * from './server.js';
export * from './export.js';
export * from './fleet.js';
