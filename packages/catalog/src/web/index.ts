// Barrel of src/web: the catalog site (page model, lineage layout, HTML, JSON API, server, static export).
export * from './model.js';
export * from './access.js';
export * from './layout.js';
export { renderLineageSvg, pathOf, edgeTitle, type LineageSvgOptions } from './svg.js';
export { escapeHtml } from './escape.js';
export {
  renderIndexPage,
  renderProductPage,
  renderLineagePage,
  renderNotFoundPage,
  renderPageShell,
  productPath,
  versionApiPath,
  indexPath,
  indexPageCount,
  searchIndexOf,
  embeddableJson,
  CONTENT_SECURITY_POLICY,
  CONTENT_SECURITY_POLICY_HEADER,
  INDEX_PAGE_SIZE,
  INDEX_GRAPH_MAX_NODES,
  LINEAGE_PAGE,
  PRODUCT_LINEAGE_DEPTH,
  PRODUCT_LINEAGE_LIMIT,
  type IndexPageOptions,
  type ProductPageOptions,
  type SearchIndex,
} from './html.js';
export * from './site.js';
export * from './api.js';
export { routeCatalog, type CatalogResponse, type RouteOptions } from './router.js';
export * from './server.js';
export * from './export.js';
export * from './fleet.js';
