// A product's page: facts, its lineage neighbourhood, consumes and consumers, access, and each
// major with its versions and schema objects.
import { productAccess, type ProductAccess } from './access.js';
import { escapeHtml as esc } from './escape.js';
import { layoutLineage } from './layout.js';
import {
  neighbourhood,
  type CatalogModel,
  type ConsumerView,
  type ConsumesView,
  type MajorView,
  type ProductView,
  type SchemaObjectView,
} from './model.js';
import { banner, INDEX_GRAPH_MAX_NODES, LINEAGE_PAGE, page, phaseBadge, productPath, versionApiPath } from './page.js';
import { renderLineageSvg } from './svg.js';

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
