import { createHash } from 'node:crypto';
import type { Deprecation } from '@meshkit/contracts';
import { productAccess, type ProductAccess } from './access.js';
import { escapeHtml as esc } from './escape.js';
import { layoutLineage, type LineageLayout } from './layout.js';
import {
  neighbourhood,
  type CatalogModel,
  type ConsumerView,
  type ConsumesView,
  type MajorView,
  type ProductView,
  type SchemaObjectView,
} from './model.js';
import { renderLineageSvg } from './svg.js';

/*
 * Page layout (the same for `catalog serve` and `catalog export --html`):
 *   index.html                       product list, search, lineage graph
 *   products/<domain>/<product>.html one page per product
 *   api/…                            the JSON API (see api.ts)
 * Links are relative, so the export works from a file:// URL and the server needs no base path.
 */

/** Path of a product page, relative to the catalog root. */
export const productPath = (ref: string) => `products/${ref}.html`;
/** Path of a version's JSON, relative to the catalog root. */
export const versionApiPath = (ref: string, version: string) => `api/products/${ref}/versions/${version}.json`;

const STYLE = `
:root{--fg:#1d2330;--muted:#5b6475;--bg:#f6f7f9;--card:#fff;--line:#d9dde5;--accent:#2457c5;--accent-bg:#e8efff;--warn:#8a5a00;--warn-bg:#fff4dc;--bad:#9b1c1c;--bad-bg:#fde8e8;--ok:#1f6f43}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--fg);background:var(--bg)}
header.top{background:#17233b;color:#fff;padding:14px 0}
header.top .wrap{display:flex;align-items:baseline;gap:16px;flex-wrap:wrap}
header.top a{color:#fff;text-decoration:none;font-weight:600;font-size:18px}
header.top .where{color:#b8c3d9;font-size:13px}
.wrap{max-width:1180px;margin:0 auto;padding:0 24px}
main{padding:20px 0 48px}
h1{font-size:26px;margin:8px 0 4px}
h2{font-size:19px;margin:28px 0 10px;padding-bottom:4px;border-bottom:1px solid var(--line)}
h3{font-size:16px;margin:18px 0 8px}
a{color:var(--accent)}
.muted{color:var(--muted)}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:16px 18px}
.search{display:flex;flex-direction:column;gap:6px;margin:12px 0 18px}
.search label{font-weight:600}
.search input{font:inherit;padding:9px 12px;border:1px solid #b7bfcc;border-radius:8px;width:100%;max-width:560px;background:#fff}
.search input:focus{outline:3px solid var(--accent-bg);border-color:var(--accent)}
.grid{display:grid;grid-template-columns:minmax(0,1fr);gap:20px}
ul.products{list-style:none;margin:0;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:12px}
li.product{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:12px 14px}
li.product h4{margin:0 0 2px;font-size:16px}
li.product p{margin:4px 0 0}
.badges{display:flex;flex-wrap:wrap;gap:6px;margin-top:6px}
.badge{display:inline-block;font-size:12px;line-height:18px;padding:0 8px;border-radius:9px;background:#eef0f4;color:#39414f;border:1px solid #dde1e8}
.badge.classification{background:var(--accent-bg);color:#1c3f8f;border-color:#cbd9fb}
.badge.phase-deprecated,.badge.phase-unsupported{background:var(--warn-bg);color:var(--warn);border-color:#f1d9a6}
.badge.phase-end-of-life,.badge.phase-retired{background:var(--bad-bg);color:var(--bad);border-color:#f5c2c2}
.graph{overflow:auto;background:var(--card);border:1px solid var(--line);border-radius:10px;padding:8px}
svg.lineage{display:block;max-width:none;font-family:inherit}
svg.lineage .node rect{fill:#fff;stroke:#7d8aa3;stroke-width:1.4}
svg.lineage a.node:hover rect,svg.lineage a.node:focus rect{fill:var(--accent-bg);stroke:var(--accent)}
svg.lineage .node .name{font-size:13px;font-weight:600;fill:var(--fg)}
svg.lineage .node .meta{font-size:11px;fill:var(--muted)}
svg.lineage .node.unpublished rect{fill:#fafafa;stroke:#a0a7b4}
svg.lineage .node.unpublished .name{fill:var(--muted)}
svg.lineage .node.current rect{stroke:var(--accent);stroke-width:2.4}
svg.lineage .node.match rect{fill:#fff7cc;stroke:#b98900;stroke-width:2.4}
svg.lineage .dim{opacity:.28}
svg.lineage .edge .route{stroke:#6b778c;stroke-width:1.6}
svg.lineage .edge .arrowhead{fill:#6b778c}
svg.lineage .edge:hover .route{stroke:var(--accent);stroke-width:2.4}
svg.lineage .edge:hover .arrowhead{fill:var(--accent)}
table{border-collapse:collapse;width:100%;background:var(--card);border:1px solid var(--line);border-radius:8px;font-size:14px}
caption{text-align:left;font-weight:600;padding:6px 0;color:var(--muted)}
th,td{text-align:left;padding:7px 10px;border-bottom:1px solid #eceff3;vertical-align:top}
th{background:#f0f2f6;font-weight:600;font-size:13px}
td code,li code{font-size:13px}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
pre{background:#0f1828;color:#e6ebf5;padding:12px 14px;border-radius:8px;overflow:auto;font-size:13px}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:4px 18px;margin:12px 0}
dl.facts dt{color:var(--muted)}
dl.facts dd{margin:0}
.banner{border-radius:10px;padding:12px 16px;margin:14px 0;border:1px solid}
.banner.phase-deprecated,.banner.phase-unsupported{background:var(--warn-bg);border-color:#f1d9a6;color:var(--warn)}
.banner.phase-end-of-life,.banner.phase-retired{background:var(--bad-bg);border-color:#f5c2c2;color:var(--bad)}
nav.crumbs{font-size:14px;margin-top:4px}
nav.majors a{margin-right:10px}
nav.pages{margin:18px 0;display:flex;gap:10px;flex-wrap:wrap}
.yes{color:var(--ok);font-weight:600}
details summary{cursor:pointer;color:var(--accent);margin:8px 0}
footer{color:var(--muted);font-size:13px;border-top:1px solid var(--line);padding:14px 0 28px}
[hidden]{display:none!important}
code.principal-id{display:block;font-size:12px;color:var(--muted);word-break:break-all}
p.access-status{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:12px 16px}
`;

const SEARCH_SCRIPT = `(function(){
var q=document.getElementById('q');if(!q)return;
var items=Array.prototype.slice.call(document.querySelectorAll('li.product'));
var groups=Array.prototype.slice.call(document.querySelectorAll('section.domain'));
var nodes=Array.prototype.slice.call(document.querySelectorAll('svg.lineage .node'));
var edges=Array.prototype.slice.call(document.querySelectorAll('svg.lineage .edge'));
var status=document.getElementById('search-status');
var data=document.getElementById('search-index');var idx=data?JSON.parse(data.textContent):null;
var results=document.getElementById('search-results');var paged=document.getElementById('product-pages');
var all=idx?idx.products.map(function(p){return {p:p,hay:[p[0].replace('/',' '),p[0],p[2],p[1]].concat(p[6].map(function(i){return idx.columns[i]})).join(' ').toLowerCase()}}):null;
function item(p){var li=document.createElement('li');li.className='product';li.setAttribute('data-product',p[0]);
var h=document.createElement('h4');var a=document.createElement('a');a.href=idx.href.replace('{ref}',p[0]);a.textContent=p[0];h.appendChild(a);li.appendChild(h);
if(p[5]){var d=document.createElement('p');d.textContent=p[5];li.appendChild(d)}
var m=document.createElement('p');m.className='muted';m.textContent='Owner '+p[2]+' \u00b7 latest '+p[4]+' \u00b7 '+p[3];li.appendChild(m);return li}
function searchIndex(terms){
if(!terms.length){results.hidden=true;if(paged)paged.hidden=false;if(status)status.textContent=all.length+' products';return}
var hits=all.filter(function(x){return terms.every(function(t){return x.hay.indexOf(t)>=0})});
while(results.firstChild)results.removeChild(results.firstChild);
hits.slice(0,idx.show).forEach(function(x){results.appendChild(item(x.p))});
results.hidden=false;if(paged)paged.hidden=true;
if(status)status.textContent=hits.length+' of '+all.length+' products match'+(hits.length>idx.show?' (the first '+idx.show+' shown)':'');
}
function apply(){
var terms=q.value.toLowerCase().split(/\\s+/).filter(Boolean);if(all)return searchIndex(terms);var hits={};var n=0;
items.forEach(function(li){var hay=li.getAttribute('data-search')||'';var ok=terms.every(function(t){return hay.indexOf(t)>=0});li.hidden=!ok;if(ok){hits[li.getAttribute('data-product')]=true;n++}});
groups.forEach(function(g){g.hidden=!g.querySelector('li.product:not([hidden])')});
var on=terms.length>0;
nodes.forEach(function(el){var m=on&&hits[el.getAttribute('data-product')]===true;el.classList.toggle('match',m);el.classList.toggle('dim',on&&!m)});
edges.forEach(function(el){el.classList.toggle('dim',on&&!(hits[el.getAttribute('data-from')]&&hits[el.getAttribute('data-to')]))});
if(status)status.textContent=on?(n+' of '+items.length+' products match'):(items.length+' products');
}
q.addEventListener('input',apply);
var form=q.form;if(form)form.addEventListener('submit',function(e){e.preventDefault()});
var initial=new URLSearchParams(location.search).get('q');if(initial)q.value=initial;
apply();
})();`;

const b64sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('base64');

/**
 * Content-Security-Policy of every page: nothing loads from anywhere; only the inline style
 * and the inline search script (by hash) run. Sent as a header by the server and as a
 * `<meta>` in the pages.
 */
export const CONTENT_SECURITY_POLICY = `default-src 'none'; style-src 'sha256-${b64sha256(STYLE)}'; script-src 'sha256-${b64sha256(SEARCH_SCRIPT)}'; img-src 'self' data:; base-uri 'none'; form-action 'none'`;
/** The policy as an HTTP header: {@link CONTENT_SECURITY_POLICY} plus what only a header can say (no framing). */
export const CONTENT_SECURITY_POLICY_HEADER = `${CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`;

function page(o: { title: string; root: string; model: CatalogModel; body: string; script?: boolean }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${esc(CONTENT_SECURITY_POLICY)}">
<meta name="generator" content="Meshkit catalog">
<title>${esc(o.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header class="top"><div class="wrap"><a href="${o.root}index.html">Meshkit catalog</a><span class="where">${esc(o.model.kind)} · ${esc(o.model.location)}</span></div></header>
<main id="main" class="wrap">
${o.body}
</main>
<footer><div class="wrap">Generated ${esc(o.model.generatedAt)} · JSON API: <a href="${o.root}api/products.json">products</a>, <a href="${o.root}api/lineage.json">lineage</a></div></footer>
${o.script ? `<script>${SEARCH_SCRIPT}</script>\n` : ''}</body>
</html>
`;
}

/** The shell every page of the site shares (header, style, footer), around `body`; for pages defined elsewhere (fleet.ts). */
export function renderPageShell(o: { title: string; root: string; model: CatalogModel; body: string }): string {
  return page(o);
}

function phaseBadge(d: Deprecation): string {
  return d.phase === 'active' ? '' : `<span class="badge phase-${d.phase}">${esc(d.phase)}</span>`;
}

/** Products per index page; a larger catalog is paginated (`index.html`, `index-2.html`, …) and searched through an embedded JSON index. */
export const INDEX_PAGE_SIZE = 100;
/** Largest lineage graph (nodes) drawn on the index page itself; a larger one is on `lineage.html` only. */
export const INDEX_GRAPH_MAX_NODES = 60;
/** Search results shown at once from the JSON index (paginated catalogs). */
const SEARCH_SHOWN = 200;

/** Path of index page `n` (1-based), relative to the catalog root. */
export const indexPath = (n: number) => (n <= 1 ? 'index.html' : `index-${n}.html`);
/** Path of the page with the whole lineage graph, relative to the catalog root. */
export const LINEAGE_PAGE = 'lineage.html';

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

function banner(d: Deprecation, what: string): string {
  if (d.phase === 'active') return '';
  const dates = [
    d.endOfSupport ? `end of support ${d.endOfSupport}` : '',
    d.endOfLife ? `end of life ${d.endOfLife}` : '',
  ]
    .filter(Boolean)
    .join(', ');
  const text: Record<Deprecation['phase'], string> = {
    active: '',
    deprecated: 'is deprecated',
    unsupported: 'is past its end of support',
    'end-of-life': 'is past its end of life',
    retired: 'is retired and no longer served',
  };
  return `<div class="banner phase-${d.phase}" role="note"><strong>${esc(what)} ${text[d.phase]}</strong> (status ${esc(d.status)}${dates ? `; ${esc(dates)}` : ''}).</div>`;
}

/** How far a product page's lineage drawing reaches: hops upstream and downstream. */
export const PRODUCT_LINEAGE_DEPTH = 2;
/** At most this many producers and this many consumers in a product page's drawing (nearest first); the tables list them all. */
export const PRODUCT_LINEAGE_LIMIT = 12;

/** Options of {@link renderProductPage}. */
export interface ProductPageOptions {
  /** The product's view (a site looks it up by ref once). @default found in the model */
  product?: ProductView;
  /** Who can read it. @default `productAccess(model.access, ref)` */
  access?: ProductAccess;
  /** Hops of lineage drawn upstream and downstream. @default PRODUCT_LINEAGE_DEPTH */
  depth?: number;
  /** Producers and consumers drawn at most, each. @default PRODUCT_LINEAGE_LIMIT */
  limit?: number;
}

/**
 * A product's page, or undefined when the catalog has no such product. Its lineage drawing is the
 * product's neighbourhood (producers and consumers to `depth` hops, at most `limit` each way),
 * with a link to the whole graph.
 */
export function renderProductPage(
  model: CatalogModel,
  ref: string,
  options: ProductPageOptions = {},
): string | undefined {
  const p = options.product ?? model.products.find((x) => x.ref === ref);
  if (!p) return undefined;
  const root = '../../';
  const link = (r: string) => `${root}${productPath(r)}`;
  const parts: string[] = [];
  parts.push(
    `<nav class="crumbs" aria-label="Breadcrumb"><a href="${root}index.html">Catalog</a> › ${esc(p.domain)} › ${esc(p.product)}</nav>`,
  );
  parts.push(`<h1>${esc(p.ref)}</h1>`);
  if (p.title !== p.product) parts.push(`<p class="muted">${esc(p.title)}</p>`);
  if (p.description) parts.push(`<p>${esc(p.description)}</p>`);
  parts.push(banner(p.deprecation, `The latest version ${p.latestVersion}`));
  const latest = p.majors.find((m) => m.latest.version === p.latestVersion)!.latest;
  parts.push(
    `<dl class="facts">` +
      `<dt>Owner</dt><dd>${esc(p.owner)}</dd>` +
      `<dt>Classification</dt><dd><span class="badge classification">${esc(p.classification)}</span></dd>` +
      `<dt>Latest version</dt><dd>${esc(p.latestVersion)} (published ${esc(latest.publishedAt)}${latest.gitCommit ? `, commit <code>${esc(latest.gitCommit.slice(0, 12))}</code>` : ''})</dd>` +
      `<dt>Majors</dt><dd>${p.majors.map((m) => `<a href="#v${m.major}">v${m.major}</a> (latest ${esc(m.latest.version)})`).join(', ')}</dd>` +
      `<dt>JSON</dt><dd><a href="${root}api/products/${esc(p.ref)}.json">api/products/${esc(p.ref)}.json</a></dd>` +
      `</dl>`,
  );

  parts.push(`<h2>Lineage</h2>`);
  const depth = options.depth ?? PRODUCT_LINEAGE_DEPTH;
  const hood = neighbourhood(model.lineage, p.ref, { depth, limit: options.limit ?? PRODUCT_LINEAGE_LIMIT });
  const left = hood.truncated.upstream + hood.truncated.downstream;
  parts.push(
    `<p class="muted">Producers and consumers up to ${depth} hop${depth === 1 ? '' : 's'} away${left ? ` (${left} more not drawn: every direct one is listed below)` : ''}; <a href="${root}${LINEAGE_PAGE}">the whole lineage graph</a>.</p>`,
  );
  // A large catalog draws every neighbourhood with the linear layout (a thousand dagre runs add up).
  const engine = model.lineage.nodes.length > INDEX_GRAPH_MAX_NODES ? 'layered' : 'auto';
  parts.push(
    `<div class="graph">${renderLineageSvg(layoutLineage(hood, { engine }), { href: link, current: p.ref, title: `Lineage of ${p.ref}` })}</div>`,
  );
  parts.push(`<h3 id="consumes">Consumes</h3>`);
  parts.push(consumesTable(p.consumes, link));
  parts.push(`<h3 id="consumers">Consumers</h3>`);
  parts.push(consumersTable(p.consumers, link));

  parts.push(accessSection(options.access ?? productAccess(model.access, p.ref), p.ref));

  for (const m of p.majors) parts.push(majorSection(p, m, root));
  return page({ title: `${p.ref} · Meshkit catalog`, root, model, body: parts.filter(Boolean).join('\n') });
}

const columnsText = (columns?: string[]) =>
  columns?.length ? columns.map((c) => `<code>${esc(c)}</code>`).join(', ') : '<span class="muted">every column</span>';

function consumesTable(rows: ConsumesView[], link: (ref: string) => string): string {
  if (!rows.length) return `<p class="muted">Consumes no other product.</p>`;
  return (
    `<table><caption>Products this product reads (column-level lineage)</caption><thead><tr><th scope="col">Producer</th><th scope="col">Range</th><th scope="col">Resolves to</th><th scope="col">Columns</th></tr></thead><tbody>` +
    rows
      .map(
        (c) =>
          `<tr><td>${c.published ? `<a href="${esc(link(c.product))}">${esc(c.product)}</a>` : `${esc(c.product)} <span class="badge">unpublished</span>`}</td>` +
          `<td><code>${esc(c.range)}</code></td><td>${c.resolvedVersion ? esc(c.resolvedVersion) : '<span class="muted">no published version</span>'}</td><td>${columnsText(c.columns)}</td></tr>`,
      )
      .join('') +
    `</tbody></table>`
  );
}

function consumersTable(rows: ConsumerView[], link: (ref: string) => string): string {
  if (!rows.length) return `<p class="muted">No published product consumes this one.</p>`;
  return (
    `<table><caption>Products that read this product (column-level lineage)</caption><thead><tr><th scope="col">Consumer</th><th scope="col">Range</th><th scope="col">Resolves to</th><th scope="col">Columns</th></tr></thead><tbody>` +
    rows
      .map(
        (c) =>
          `<tr><td><a href="${esc(link(c.product))}">${esc(c.product)}</a> <span class="muted">${esc(c.consumerVersion)}</span></td>` +
          `<td><code>${esc(c.range)}</code></td><td>${c.resolvedVersion ? esc(c.resolvedVersion) : '<span class="muted">no published version</span>'}</td><td>${columnsText(c.columns)}</td></tr>`,
      )
      .join('') +
    `</tbody></table>`
  );
}

const VIA: Record<string, string> = { 'lake-formation': 'Lake Formation', s3: 'S3 directly' };
const KIND: Record<string, string> = {
  role: 'role',
  'external-role': 'external role',
  account: 'account',
  everyone: 'everyone',
};
/** Escapes a message and shows its backticked commands as code. */
const withCode = (text: string) => esc(text).replace(/`([^`]+)`/g, '<code>$1</code>');

/** "Who can read this product": `mesh verify`'s access model cut to the product, or one sentence saying why there is none. */
function accessSection(a: ProductAccess, ref: string): string {
  const out: string[] = [
    `<section class="access" id="access" aria-labelledby="access-heading">`,
    `<h2 id="access-heading">Who can read this product</h2>`,
  ];
  if (a.status !== 'available') {
    out.push(`<p class="access-status" data-status="${esc(a.status)}">${withCode(a.message)}</p>`);
    if (a.detail)
      out.push(`<details><summary>What <code>mesh verify</code> said</summary><pre>${esc(a.detail)}</pre></details>`);
    out.push(`</section>`);
    return out.join('\n');
  }
  out.push(
    `<p class="muted">From the synthesized cloud assembly in <code>${esc(a.assembly)}</code>, as <code>mesh verify</code> proves it (IAM, bucket and key policies, Lake Formation grants).</p>`,
  );
  if (!a.principals.length) {
    out.push(`<p class="access-status" data-status="nobody">No principal can read or write ${esc(ref)}.</p>`);
  } else {
    out.push(
      `<table class="access"><caption>Principals that can read or write ${esc(ref)}</caption><thead><tr><th scope="col">Principal</th><th scope="col">Reads</th><th scope="col">How</th><th scope="col">Writes</th></tr></thead><tbody>` +
        a.principals
          .map((e) => {
            const reads = Object.entries(e.read).map(
              ([table, columns]) =>
                `<code>${esc(table)}</code>: ${columns.includes('*') ? 'all columns' : columns.map((c) => `<code>${esc(c)}</code>`).join(', ')}`,
            );
            return (
              `<tr data-principal="${esc(e.principal.id)}"><th scope="row"><span class="principal">${esc(e.principal.label)}</span> <span class="badge">${esc(KIND[e.principal.kind] ?? e.principal.kind)}</span>` +
              (e.principal.label !== e.principal.id ? `<code class="principal-id">${esc(e.principal.id)}</code>` : '') +
              `</th>` +
              `<td class="reads">${reads.length ? reads.join('<br>') : '<span class="muted">nothing</span>'}</td>` +
              `<td class="via">${
                e.via.length
                  ? [...e.via]
                      .sort()
                      .map((v) => esc(VIA[v] ?? v))
                      .join(', ')
                  : '<span class="muted">—</span>'
              }</td>` +
              `<td class="writes">${e.write.length ? e.write.map((z) => `${esc(z)} zone`).join(', ') : '<span class="muted">nothing</span>'}</td></tr>`
            );
          })
          .join('') +
        `</tbody></table>`,
    );
  }
  out.push(`<h3 id="access-findings">Findings of <code>mesh verify</code></h3>`);
  if (a.findings.length) {
    out.push(
      `<table class="findings"><caption>What <code>mesh verify</code> proved wrong (or could not prove) about ${esc(ref)}</caption><thead><tr><th scope="col">Finding</th><th scope="col">Resource</th><th scope="col">Message</th></tr></thead><tbody>` +
        a.findings
          .map(
            (f) =>
              `<tr><td><code>${esc(f.id)}</code></td><td><code>${esc(f.stack)}/${esc(f.logicalId)}</code></td><td>${esc(f.message)}</td></tr>`,
          )
          .join('') +
        `</tbody></table>`,
    );
  } else {
    out.push(`<p class="muted">None: <code>mesh verify</code> found nothing wrong with ${esc(ref)}.</p>`);
  }
  out.push(`</section>`);
  return out.join('\n');
}

function majorSection(p: ProductView, m: MajorView, root: string): string {
  const out: string[] = [];
  out.push(`<section class="major" id="v${m.major}" aria-labelledby="v${m.major}-heading">`);
  out.push(
    `<h2 id="v${m.major}-heading">Major ${m.major} <span class="muted">· latest ${esc(m.latest.version)}</span> ${phaseBadge(m.latest.deprecation)}</h2>`,
  );
  if (m.latest.version !== p.latestVersion)
    out.push(banner(m.latest.deprecation, `Major ${m.major} (${m.latest.version})`));
  out.push(
    `<table><caption>Versions of major ${m.major}</caption><thead><tr><th scope="col">Version</th><th scope="col">Status</th><th scope="col">Phase</th><th scope="col">Published</th><th scope="col">Commit</th><th scope="col">Owner</th><th scope="col">Record</th></tr></thead><tbody>` +
      [...m.versions]
        .reverse()
        .map(
          (v) =>
            `<tr><td>${esc(v.version)}</td><td>${esc(v.status)}</td><td>${esc(v.deprecation.phase)}${v.deprecation.endOfLife ? ` <span class="muted">(end of life ${esc(v.deprecation.endOfLife)})</span>` : ''}</td>` +
            `<td>${esc(v.publishedAt)}</td><td>${v.gitCommit ? `<code>${esc(v.gitCommit.slice(0, 12))}</code>` : '<span class="muted">—</span>'}</td><td>${esc(v.owner)}</td>` +
            `<td><a href="${root}${esc(versionApiPath(p.ref, v.version))}">JSON</a></td></tr>`,
        )
        .join('') +
      `</tbody></table>`,
  );
  for (const o of m.schema) out.push(objectSection(o, m));
  out.push(`</section>`);
  return out.join('\n');
}

function objectSection(o: SchemaObjectView, m: MajorView): string {
  const out: string[] = [];
  const id = `v${m.major}-${o.name}`;
  out.push(
    `<h3 id="${esc(id)}">Schema: ${esc(o.name)}${o.physicalName && o.physicalName !== o.name ? ` <span class="muted">(${esc(o.physicalName)})</span>` : ''} <span class="muted">· ${esc(m.latest.version)}</span></h3>`,
  );
  if (o.description) out.push(`<p>${esc(o.description)}</p>`);
  const yes = (b: boolean, text = 'yes') => (b ? `<span class="yes">${text}</span>` : '');
  out.push(
    `<table class="schema" data-object="${esc(o.name)}"><caption>Columns of ${esc(o.name)} in ${esc(m.latest.version)}</caption><thead><tr>` +
      `<th scope="col">Column</th><th scope="col">Logical type</th><th scope="col">Physical type</th><th scope="col">Required</th><th scope="col">Primary key</th><th scope="col">Classification</th><th scope="col">Description</th></tr></thead><tbody>` +
      o.columns
        .map(
          (c) =>
            `<tr><th scope="row" class="column-name"><code>${esc(c.name)}</code>${c.partitioned ? ' <span class="badge">partition</span>' : ''}</th>` +
            `<td>${esc(c.logicalType ?? '—')}</td><td><code>${esc(c.physicalType ?? c.glueType)}</code></td><td>${yes(c.required)}</td>` +
            `<td>${yes(c.primaryKey, c.primaryKeyPosition !== undefined ? `yes (${c.primaryKeyPosition})` : 'yes')}</td><td>${esc(c.classification ?? '')}</td><td>${esc(c.description ?? '')}</td></tr>`,
        )
        .join('') +
      `</tbody></table>`,
  );
  out.push(`<h3 id="${esc(id)}-quality">Quality rules: ${esc(o.name)}</h3>`);
  if (o.quality.length) {
    out.push(
      `<table class="quality"><caption>Quality rules of ${esc(o.name)} (from the contract)</caption><thead><tr><th scope="col">Rule</th><th scope="col">Applies to</th><th scope="col">Type</th><th scope="col">Check</th><th scope="col">Description</th></tr></thead><tbody>` +
        o.quality
          .map(
            (q) =>
              `<tr><td><code>${esc(q.id)}</code></td><td>${q.column ? `<code>${esc(q.column)}</code>` : 'dataset'}</td>` +
              `<td>${esc(q.metric ?? q.type)}</td><td>${esc(q.condition)}${q.arguments ? ` <code>${esc(q.arguments)}</code>` : ''}${q.query ? `<pre>${esc(q.query)}</pre>` : ''}</td><td>${esc(q.description ?? '')}</td></tr>`,
          )
          .join('') +
        `</tbody></table>`,
    );
  } else {
    out.push(`<p class="muted">No quality rules in the contract.</p>`);
  }
  if (o.dqdl)
    out.push(
      `<details><summary>Compiled DQDL rule set (AWS Glue Data Quality)</summary><pre>${esc(o.dqdl.trimEnd())}</pre></details>`,
    );
  return out.join('\n');
}

/** A small page for a missing product or path. */
export function renderNotFoundPage(model: CatalogModel, message: string, root = ''): string {
  return page({
    title: 'Not found · Meshkit catalog',
    root,
    model,
    body: `<h1>Not found</h1><p>${esc(message)}</p><p><a href="${root}index.html">Back to the catalog</a></p>`,
  });
}
