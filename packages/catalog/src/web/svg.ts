import { escapeHtml as esc } from './escape.js';
import type { LineageLayout, PlacedEdge } from './layout.js';

/** Options of {@link renderLineageSvg}. */
export interface LineageSvgOptions {
  /** Link of a published product's page. */
  href: (ref: string) => string;
  /** Accessible title of the drawing. @default 'Lineage of the data products' */
  title?: string;
  /** The product to emphasise (a product page's own node). */
  current?: string;
  /** Prefix of element ids, to keep ids unique when a page holds several drawings. @default 'lineage' */
  idPrefix?: string;
}

/**
 * Renders a laid-out lineage graph as inline SVG: each product a node (a link to its page;
 * consumed products missing from the catalog dashed, labelled unpublished), each `consumes` edge
 * a `<g class="edge" data-from="<producer>" data-to="<consumer>">` holding a `<title>` (range and
 * columns), the route as a path and an arrowhead at the consumer.
 */
export function renderLineageSvg(layout: LineageLayout, options: LineageSvgOptions): string {
  const id = options.idPrefix ?? 'lineage';
  const title = options.title ?? 'Lineage of the data products';
  const out: string[] = [];
  out.push(
    `<svg class="lineage" xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="${id}-title ${id}-desc" width="${layout.width}" height="${layout.height}" viewBox="0 0 ${layout.width} ${layout.height}">`,
  );
  out.push(`<title id="${id}-title">${esc(title)}</title>`);
  out.push(`<desc id="${id}-desc">${esc(describe(layout))}</desc>`);
  for (const e of layout.edges) out.push(edgeSvg(e));
  for (const n of layout.nodes) {
    const x = n.x - n.width / 2;
    const y = n.y - n.height / 2;
    const cls = ['node', n.published ? '' : 'unpublished', n.id === options.current ? 'current' : '']
      .filter(Boolean)
      .join(' ');
    const body =
      `<rect x="${x}" y="${y}" width="${n.width}" height="${n.height}" rx="8" ry="8"${n.published ? '' : ' stroke-dasharray="5 4"'}/>` +
      `<text x="${n.x}" y="${n.y - 4}" text-anchor="middle" class="name">${esc(n.product)}</text>` +
      `<text x="${n.x}" y="${n.y + 13}" text-anchor="middle" class="meta">${esc(n.domain)} · ${esc(n.published ? (n.latestVersion ?? '') : 'unpublished')}</text>`;
    if (n.published) {
      out.push(
        `<a class="${cls}" data-product="${esc(n.id)}" href="${esc(options.href(n.id))}"><title>${esc(n.id)}${n.latestVersion ? ` ${esc(n.latestVersion)}` : ''}</title>${body}</a>`,
      );
    } else {
      out.push(
        `<g class="${cls}" data-product="${esc(n.id)}"><title>${esc(n.id)}: consumed, not published in this catalog</title>${body}</g>`,
      );
    }
  }
  out.push('</svg>');
  return out.join('\n');
}

/** Text of an edge's tooltip: `producer → consumer: range; columns a, b`. */
export function edgeTitle(e: { from: string; to: string; range: string; columns?: string[] }): string {
  return `${e.from} → ${e.to}: ${e.range}; columns ${e.columns?.length ? e.columns.join(', ') : '(all)'}`;
}

function edgeSvg(e: PlacedEdge): string {
  const d = pathOf(e.points);
  const head = arrowhead(e.points);
  return (
    `<g class="edge" data-from="${esc(e.from)}" data-to="${esc(e.to)}"><title>${esc(edgeTitle(e))}</title>` +
    `<path class="route" d="${d}" fill="none"/>${head ? `<path class="arrowhead" d="${head}"/>` : ''}</g>`
  );
}

const fmt = (n: number) => String(Math.round(n * 10) / 10);

/**
 * SVG path data of a route: a uniform cubic B-spline through the layout's points (the curve
 * d3's `curveBasis` draws), a straight line for two points.
 */
export function pathOf(points: Array<{ x: number; y: number }>): string {
  const [p0, p1] = points;
  if (!p0) return '';
  if (!p1) return `M${fmt(p0.x)},${fmt(p0.y)}`;
  if (points.length === 2) return `M${fmt(p0.x)},${fmt(p0.y)}L${fmt(p1.x)},${fmt(p1.y)}`;
  let d = `M${fmt(p0.x)},${fmt(p0.y)}L${fmt((5 * p0.x + p1.x) / 6)},${fmt((5 * p0.y + p1.y) / 6)}`;
  const seg = (a: { x: number; y: number }, b: { x: number; y: number }, c: { x: number; y: number }) =>
    `C${fmt((2 * a.x + b.x) / 3)},${fmt((2 * a.y + b.y) / 3)} ${fmt((a.x + 2 * b.x) / 3)},${fmt((a.y + 2 * b.y) / 3)} ${fmt((a.x + 4 * b.x + c.x) / 6)},${fmt((a.y + 4 * b.y + c.y) / 6)}`;
  for (let i = 2; i < points.length; i++) d += seg(points[i - 2]!, points[i - 1]!, points[i]!);
  const a = points[points.length - 2]!;
  const b = points[points.length - 1]!;
  d += seg(a, b, b) + `L${fmt(b.x)},${fmt(b.y)}`;
  return d;
}

/** A filled triangle whose tip is the route's last point, pointing along its last segment. */
function arrowhead(points: Array<{ x: number; y: number }>): string | undefined {
  const tip = points[points.length - 1];
  const prev = points[points.length - 2];
  if (!tip || !prev) return undefined;
  const dx = tip.x - prev.x;
  const dy = tip.y - prev.y;
  const len = Math.hypot(dx, dy) || 1;
  const ux = dx / len;
  const uy = dy / len;
  const L = 10;
  const W = 4.5;
  const bx = tip.x - ux * L;
  const by = tip.y - uy * L;
  return `M${fmt(tip.x)},${fmt(tip.y)}L${fmt(bx - uy * W)},${fmt(by + ux * W)}L${fmt(bx + uy * W)},${fmt(by - ux * W)}Z`;
}

function describe(layout: LineageLayout): string {
  if (!layout.nodes.length) return 'No products.';
  const edges = layout.edges.map((e) => `${e.from} feeds ${e.to}`);
  return `${layout.nodes.length} product${layout.nodes.length === 1 ? '' : 's'}${edges.length ? `; ${edges.join('; ')}` : '; no consumes edges'}.`;
}
