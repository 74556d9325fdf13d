// The index pages (product list, search, lineage graph), the lineage page and the not-found page;
// the page shell is page.ts, a product's page product-page.ts.
import { escapeHtml as esc } from './escape.js';
import { layoutLineage, type LineageLayout } from './layout.js';
import type { CatalogModel, ProductView } from './model.js';
import { INDEX_GRAPH_MAX_NODES, indexPath, LINEAGE_PAGE, page, phaseBadge, productPath } from './page.js';
import { renderLineageSvg } from './svg.js';

export {
  CONTENT_SECURITY_POLICY,
  CONTENT_SECURITY_POLICY_HEADER,
  INDEX_GRAPH_MAX_NODES,
  indexPath,
  LINEAGE_PAGE,
  productPath,
  renderPageShell,
  versionApiPath,
} from './page.js';
export {
  PRODUCT_LINEAGE_DEPTH,
  PRODUCT_LINEAGE_LIMIT,
  renderProductPage,
  type ProductPageOptions,
} from './product-page.js';

/** Products per index page; a larger catalog is paginated (`index.html`, `index-2.html`, …) and searched through an embedded JSON index. */
export const INDEX_PAGE_SIZE = 100;
/** Search results shown at once from the JSON index (paginated catalogs). */
const SEARCH_SHOWN = 200;

/** Options of {@link renderIndexPage}. */
export interface IndexPageOptions {
  /** Index page to render, 1-based. @default 1 */
  page?: number;
  /** Products per page. @default INDEX_PAGE_SIZE */
  pageSize?: number;
  /** The whole graph, already laid out (a site lays it out once per build). @default laid out here when drawn */
  layout?: () => LineageLayout;
  /** The compact search index as embeddable JSON text (paginated catalogs). @default built here */
  searchIndex?: () => string;
}

/** Number of index pages of a catalog of `count` products. */
export function indexPageCount(count: number, pageSize = INDEX_PAGE_SIZE): number {
  return Math.max(1, Math.ceil(count / pageSize));
}

/**
 * The compact search index of a paginated catalog, embedded in its index pages as
 * `<script type="application/json" id="search-index">` (data, never run): column names once
 * (`columns`), then per product `[ref, title, owner, classification, latestVersion, description, [column indexes]]`.
 */
export interface SearchIndex {
  /** Link of a product page, `{ref}` replaced by `<domain>/<product>`. */
  href: string;
  /** How many results the page shows at once. */
  show: number;
  columns: string[];
  products: Array<
    [
      ref: string,
      title: string,
      owner: string,
      classification: string,
      latestVersion: string,
      description: string,
      columns: number[],
    ]
  >;
}

/** The {@link SearchIndex} of a model. */
export function searchIndexOf(model: CatalogModel): SearchIndex {
  const columns = new Map<string, number>();
  const col = (c: string) => {
    let i = columns.get(c);
    if (i === undefined) columns.set(c, (i = columns.size));
    return i;
  };
  return {
    href: productPath('{ref}'),
    show: SEARCH_SHOWN,
    products: model.products.map((p) => [
      p.ref,
      p.title,
      p.owner,
      p.classification,
      p.latestVersion,
      p.description ?? '',
      p.columnNames.map(col),
    ]),
    columns: [...columns.keys()],
  };
}

/** JSON text safe inside a `<script type="application/json">` element (no `<` at all). */
export function embeddableJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * An index page: the search box, the product list by domain and the lineage graph. A catalog of
 * more than `pageSize` products is paginated: each page lists its slice, links the other pages
 * and embeds the compact {@link SearchIndex}, so search covers every product; a graph of more than
 * {@link INDEX_GRAPH_MAX_NODES} nodes is linked ({@link LINEAGE_PAGE}) instead of drawn.
 * @throws RangeError for a page number that is not 1 to {@link indexPageCount}.
 */
export function renderIndexPage(model: CatalogModel, options: IndexPageOptions = {}): string {
  const count = model.products.length;
  const size = options.pageSize ?? INDEX_PAGE_SIZE;
  const pages = indexPageCount(count, size);
  const n = options.page ?? 1;
  if (!Number.isInteger(n) || n < 1 || n > pages)
    throw new RangeError(`index page ${n} does not exist (1 to ${pages})`);
  const parts: string[] = [];
  parts.push(`<h1>Data products</h1>`);
  parts.push(
    `<p class="muted">${count} product${count === 1 ? '' : 's'} in ${model.domains.length} domain${model.domains.length === 1 ? '' : 's'}, ${model.lineage.edges.length} consumes edge${model.lineage.edges.length === 1 ? '' : 's'}.</p>`,
  );
  if (!count) {
    parts.push(
      `<div class="card"><p>The catalog is empty. Publish the products of a repository with <code>mesh publish --all</code>, then reload.</p></div>`,
    );
    return page({ title: 'Meshkit catalog', root: '', model, body: parts.join('\n') });
  }
  const paginated = pages > 1;
  parts.push(
    `<form class="search" role="search" action="#"><label for="q">Search products</label>` +
      `<input id="q" name="q" type="search" autocomplete="off" placeholder="domain, product, owner or column" aria-describedby="search-help search-status">` +
      `<span id="search-help" class="muted">Filters ${paginated ? 'every product ' : ''}by domain, product, owner and column names${paginated ? '' : '; matches are highlighted in the lineage graph'}.</span>` +
      `<span id="search-status" class="muted" role="status" aria-live="polite">${count} products</span></form>`,
  );
  const drawn = model.lineage.nodes.length <= INDEX_GRAPH_MAX_NODES;
  if (n === 1) {
    parts.push(`<h2 id="lineage-heading">Lineage</h2>`);
    if (drawn) {
      parts.push(
        `<p class="muted">Arrows go from a producer to its consumers. Dashed boxes are consumed products that are not published in this catalog.</p>`,
      );
      parts.push(
        `<div class="graph">${renderLineageSvg((options.layout ?? (() => layoutLineage(model.lineage)))(), { href: productPath })}</div>`,
      );
    } else {
      parts.push(
        `<p>The lineage graph of the ${model.lineage.nodes.length} products is on its own page: <a href="${LINEAGE_PAGE}">the whole lineage graph</a>. Each product page shows its producers and consumers.</p>`,
      );
    }
  }
  parts.push(
    `<h2 id="products-heading">Products${paginated ? ` <span class="muted">· page ${n} of ${pages}</span>` : ''}</h2>`,
  );
  if (paginated) parts.push(`<ul id="search-results" class="products" aria-label="Search results" hidden></ul>`);
  parts.push(paginated ? `<div id="product-pages">` : '');
  const slice = model.products.slice((n - 1) * size, n * size);
  const domains = new Map<string, ProductView[]>();
  for (const p of slice) domains.set(p.domain, [...(domains.get(p.domain) ?? []), p]);
  for (const [domain, products] of domains) {
    parts.push(
      `<section class="domain" aria-labelledby="domain-${esc(domain)}"><h3 id="domain-${esc(domain)}">${esc(domain)}</h3><ul class="products">`,
    );
    for (const p of products) parts.push(productItem(p));
    parts.push(`</ul></section>`);
  }
  if (paginated) {
    const links = Array.from({ length: pages }, (_, i) => i + 1).map((k) =>
      k === n ? `<span aria-current="page"><strong>${k}</strong></span>` : `<a href="${indexPath(k)}">${k}</a>`,
    );
    parts.push(
      `<nav class="pages" aria-label="Index pages">${n > 1 ? `<a href="${indexPath(n - 1)}" rel="prev">previous</a> ` : ''}${links.join(' ')}${n < pages ? ` <a href="${indexPath(n + 1)}" rel="next">next</a>` : ''}</nav>`,
    );
    parts.push(`</div>`);
    parts.push(
      `<script type="application/json" id="search-index">${(options.searchIndex ?? (() => embeddableJson(searchIndexOf(model))))()}</script>`,
    );
  }
  return page({
    title: n > 1 ? `Page ${n} · Meshkit catalog` : 'Meshkit catalog',
    root: '',
    model,
    body: parts.filter(Boolean).join('\n'),
    script: true,
  });
}

/** The page of the whole lineage graph (`lineage.html`), from a layout made once per build. */
export function renderLineagePage(model: CatalogModel, layout: LineageLayout = layoutLineage(model.lineage)): string {
  const parts = [
    `<nav class="crumbs" aria-label="Breadcrumb"><a href="index.html">Catalog</a> › Lineage</nav>`,
    `<h1>Lineage</h1>`,
    `<p class="muted">${model.lineage.nodes.length} products, ${model.lineage.edges.length} consumes edges. Arrows go from a producer to its consumers; dashed boxes are consumed products that are not published in this catalog.</p>`,
    `<div class="graph">${renderLineageSvg(layout, { href: productPath })}</div>`,
  ];
  return page({ title: 'Lineage · Meshkit catalog', root: '', model, body: parts.join('\n') });
}

function productItem(p: ProductView): string {
  const search = [p.domain, p.product, p.ref, p.owner, p.title, ...p.columnNames].join(' ').toLowerCase();
  const majors = p.majors.map((m) => `v${m.major} ${m.latest.version}`).join(', ');
  return (
    `<li class="product" data-product="${esc(p.ref)}" data-search="${esc(search)}">` +
    `<h4><a href="${esc(productPath(p.ref))}">${esc(p.ref)}</a></h4>` +
    (p.description ? `<p>${esc(p.description)}</p>` : '') +
    `<p class="muted">Owner <strong>${esc(p.owner)}</strong> · latest ${esc(p.latestVersion)} · majors ${esc(majors)}</p>` +
    `<div class="badges"><span class="badge classification">${esc(p.classification)}</span>${phaseBadge(p.deprecation)}` +
    (p.consumes.length ? `<span class="badge">consumes ${p.consumes.length}</span>` : '') +
    (p.consumers.length
      ? `<span class="badge">${p.consumers.length} consumer${p.consumers.length === 1 ? '' : 's'}</span>`
      : '') +
    `</div></li>`
  );
}

export function renderNotFoundPage(model: CatalogModel, message: string, root = ''): string {
  return page({
    title: 'Not found · Meshkit catalog',
    root,
    model,
    body: `<h1>Not found</h1><p>${esc(message)}</p><p><a href="${root}index.html">Back to the catalog</a></p>`,
  });
}
