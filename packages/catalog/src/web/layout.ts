import dagre from '@dagrejs/dagre';
import type { LineageEdge, LineageGraph, LineageNode } from './model.js';

/** A node placed by the layout: its centre and size. */
export interface PlacedNode extends LineageNode {
  /** Centre x. */
  x: number;
  /** Centre y. */
  y: number;
  width: number;
  height: number;
}

/** An edge placed by the layout: the points of its route, producer end first. */
export interface PlacedEdge extends LineageEdge {
  /** Route from the producer's border to the consumer's border (at least two points). */
  points: Array<{ x: number; y: number }>;
}

/** A laid-out lineage graph. */
export interface LineageLayout {
  width: number;
  height: number;
  nodes: PlacedNode[];
  edges: PlacedEdge[];
}

/** Options of {@link layoutLineage}. */
export interface LayoutOptions {
  /** Direction of the flow. @default 'LR' (producers left of their consumers) */
  rankdir?: 'LR' | 'TB';
  /** Space between nodes of the same rank, px. @default 28 */
  nodesep?: number;
  /** Space between ranks, px. @default 90 */
  ranksep?: number;
  /** Margin around the drawing, px. @default 16 */
  margin?: number;
}

/** Height of a node box, px. */
export const NODE_HEIGHT = 46;
/** Approximate advance of one character of the node labels (13 px bold system sans-serif, generous), px. */
const CHAR_WIDTH = 8;

/** Width of a node box: wide enough for its two label lines. */
export function nodeWidth(n: LineageNode): number {
  const lines = [n.product, `${n.domain} · ${n.published ? n.latestVersion ?? '' : 'unpublished'}`];
  return Math.ceil(Math.max(96, ...lines.map((l) => l.length * CHAR_WIDTH + 28)));
}

/**
 * Lays out a lineage graph with dagre (layered drawing: producers before consumers, crossings
 * minimised). Deterministic for the same input. Nodes never overlap; every edge gets a route.
 */
export function layoutLineage(graph: LineageGraph, options: LayoutOptions = {}): LineageLayout {
  const margin = options.margin ?? 16;
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: options.rankdir ?? 'LR', nodesep: options.nodesep ?? 28, ranksep: options.ranksep ?? 90, edgesep: 14, marginx: margin, marginy: margin });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of graph.nodes) g.setNode(n.id, { width: nodeWidth(n), height: NODE_HEIGHT });
  graph.edges.forEach((e, i) => {
    if (!g.hasNode(e.from) || !g.hasNode(e.to)) throw new Error(`lineage edge ${e.from} → ${e.to} names a node that is not in the graph`);
    g.setEdge(e.from, e.to, {}, `e${i}`);
  });
  if (graph.nodes.length) dagre.layout(g);
  const nodes: PlacedNode[] = graph.nodes.map((n) => {
    const l = g.node(n.id) as { x: number; y: number; width: number; height: number };
    return { ...n, x: round(l.x), y: round(l.y), width: l.width, height: l.height };
  });
  const edges: PlacedEdge[] = graph.edges.map((e, i) => {
    const l = g.edge({ v: e.from, w: e.to, name: `e${i}` }) as { points?: Array<{ x: number; y: number }> };
    return { ...e, points: (l.points ?? []).map((p) => ({ x: round(p.x), y: round(p.y) })) };
  });
  const label = g.graph() as { width?: number; height?: number };
  return {
    width: Math.ceil(graph.nodes.length ? label.width ?? 0 : 2 * margin),
    height: Math.ceil(graph.nodes.length ? label.height ?? 0 : 2 * margin),
    nodes, edges,
  };
}

const round = (n: number) => Math.round(n * 10) / 10;
