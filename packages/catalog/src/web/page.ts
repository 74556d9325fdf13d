// The shell every page of the catalog site shares (style, header, footer, the search script and
// the Content-Security-Policy that allows exactly them), the site's paths, and the deprecation
// badges and banners of its pages.
import { createHash } from 'node:crypto';
import type { Deprecation } from '@meshkit/contracts';
import { escapeHtml as esc } from './escape.js';
import type { CatalogModel } from './model.js';

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

/** Path of index page `n` (1-based), relative to the catalog root. */
export const indexPath = (n: number) => (n <= 1 ? 'index.html' : `index-${n}.html`);
/** Path of the page with the whole lineage graph, relative to the catalog root. */
export const LINEAGE_PAGE = 'lineage.html';

/** Largest lineage graph (nodes) drawn on the index page itself; a larger one is on `lineage.html` only. */
export const INDEX_GRAPH_MAX_NODES = 60;
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

/** A whole page: the shell around `body` (with the search script when `script`). */
export function page(o: { title: string; root: string; model: CatalogModel; body: string; script?: boolean }): string {
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

/** A badge of a deprecation phase, none when active. */
export function phaseBadge(d: Deprecation): string {
  return d.phase === 'active' ? '' : `<span class="badge phase-${d.phase}">${esc(d.phase)}</span>`;
}

/** The banner of a deprecation phase, none when active. */
export function banner(d: Deprecation, what: string): string {
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
