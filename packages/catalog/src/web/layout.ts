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
  /**
   * Layout algorithm: `dagre` (crossing minimisation with a dummy node per rank an edge spans:
   * the best drawing, but its cost grows much faster than the graph), `layered` (longest-path
   * ranks, barycentre ordering, no dummy nodes: linear in the graph, for large meshes), or `auto`:
   * dagre up to {@link DAGRE_MAX_NODES} nodes, layered beyond. Only `rankdir: 'LR'` is drawn by
   * `layered`. @default 'auto'
   */
  engine?: 'auto' | 'dagre' | 'layered';
}

/**
 * Largest graph `layoutLineage` lays out with dagre under `engine: 'auto'`: dagre takes ~0.1 s at
 * 20 nodes, ~2 s at 200 and ~40 s at 1,000 (issue 19); the layered engine stays in milliseconds.
 */
export const DAGRE_MAX_NODES = 12;

/** Height of a node box, px. */
export const NODE_HEIGHT = 46;
/** Approximate advance of one character of the node labels (13 px bold system sans-serif, generous), px. */
const CHAR_WIDTH = 8;

/** Width of a node box: wide enough for its two label lines. */
export function nodeWidth(n: LineageNode): number {
  const lines = [n.product, `${n.domain} · ${n.published ? (n.latestVersion ?? '') : 'unpublished'}`];
  return Math.ceil(Math.max(96, ...lines.map((l) => l.length * CHAR_WIDTH + 28)));
}

/**
 * Lays out a lineage graph with dagre (layered drawing: producers before consumers, crossings
 * minimised). Deterministic for the same input. Nodes never overlap; every edge gets a route.
 */
export function layoutLineage(graph: LineageGraph, options: LayoutOptions = {}): LineageLayout {
  const engine = options.engine ?? 'auto';
  if (
    engine === 'layered' ||
    (engine === 'auto' && graph.nodes.length > DAGRE_MAX_NODES && (options.rankdir ?? 'LR') === 'LR')
  )
    return layeredLayout(graph, options);
  const margin = options.margin ?? 16;
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({
    rankdir: options.rankdir ?? 'LR',
    nodesep: options.nodesep ?? 28,
    ranksep: options.ranksep ?? 90,
    edgesep: 14,
    marginx: margin,
    marginy: margin,
  });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of graph.nodes) g.setNode(n.id, { width: nodeWidth(n), height: NODE_HEIGHT });
  graph.edges.forEach((e, i) => {
    if (!g.hasNode(e.from) || !g.hasNode(e.to))
      throw new Error(`lineage edge ${e.from} → ${e.to} names a node that is not in the graph`);
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
    width: Math.ceil(graph.nodes.length ? (label.width ?? 0) : 2 * margin),
    height: Math.ceil(graph.nodes.length ? (label.height ?? 0) : 2 * margin),
    nodes,
    edges,
  };
}

const round = (n: number) => Math.round(n * 10) / 10;

/**
 * The linear layered layout (`engine: 'layered'`): each node's rank is the longest path from a
 * source (edges closing a cycle are ignored for ranking), nodes of a rank are ordered by a few
 * barycentre sweeps over their direct neighbours, ranks are columns left to right, and each edge
 * runs from the producer's right border to the consumer's left border (four points, drawn as a
 * curve). Deterministic; O(sweeps × (nodes + edges) + nodes log nodes).
 */
function layeredLayout(graph: LineageGraph, options: LayoutOptions): LineageLayout {
  const margin = options.margin ?? 16;
  const nodesep = options.nodesep ?? 28;
  const ranksep = options.ranksep ?? 90;
  const { index, succ, pred } = adjacency(graph);
  const rank = ranksOf(succ, pred);
  const columns: number[][] = [];
  graph.nodes.forEach((_, i) => (columns[rank[i]!] ??= []).push(i));
  for (let c = 0; c < columns.length; c++) columns[c] ??= [];
  const pos = orderColumns(columns, succ, pred);
  const widths = graph.nodes.map((n) => nodeWidth(n));
  const colWidth = columns.map((col) => Math.max(0, ...col.map((v) => widths[v]!)));
  const tallest = Math.max(0, ...columns.map((col) => col.length));
  const height = tallest ? tallest * NODE_HEIGHT + (tallest - 1) * nodesep : 0;
  const xs: number[] = [];
  let x = margin;
  for (const w of colWidth) {
    xs.push(x + w / 2);
    x += w + ranksep;
  }
  const placed: PlacedNode[] = graph.nodes.map((n, i) => {
    const col = columns[rank[i]!]!;
    const offset = (height - (col.length * NODE_HEIGHT + (col.length - 1) * nodesep)) / 2;
    return {
      ...n,
      x: round(xs[rank[i]!]!),
      y: round(margin + offset + pos[i]! * (NODE_HEIGHT + nodesep) + NODE_HEIGHT / 2),
      width: widths[i]!,
      height: NODE_HEIGHT,
    };
  });
  return {
    width: Math.ceil(graph.nodes.length ? x - ranksep + margin : 2 * margin),
    height: Math.ceil(height + 2 * margin),
    nodes: placed,
    edges: graph.edges.map((e) => placeEdge(e, placed[index.get(e.from)!]!, placed[index.get(e.to)!]!, ranksep)),
  };
}

/** Node indexes by id, and each node's successors and predecessors (self-loops left out). */
function adjacency(graph: LineageGraph): { index: Map<string, number>; succ: number[][]; pred: number[][] } {
  const index = new Map(graph.nodes.map((n, i) => [n.id, i]));
  const succ: number[][] = graph.nodes.map(() => []);
  const pred: number[][] = graph.nodes.map(() => []);
  for (const e of graph.edges) {
    const a = index.get(e.from);
    const b = index.get(e.to);
    if (a === undefined || b === undefined)
      throw new Error(`lineage edge ${e.from} → ${e.to} names a node that is not in the graph`);
    if (a !== b) {
      succ[a]!.push(b);
      pred[b]!.push(a);
    }
  }
  return { index, succ, pred };
}

/** Ranks: Kahn's order; when only cycles remain, the first unranked node (input order) goes next. */
function ranksOf(succ: number[][], pred: number[][]): number[] {
  const count = succ.length;
  const rank = succ.map(() => 0);
  const indegree = pred.map((p) => p.length);
  const queued = succ.map(() => false);
  const queue: number[] = [];
  const enqueue = (i: number) => {
    queued[i] = true;
    queue.push(i);
  };
  indegree.forEach((d, i) => {
    if (d === 0) enqueue(i);
  });
  let next = 0;
  let scan = 0;
  while (next < count) {
    if (next >= queue.length) {
      while (queued[scan]) scan++;
      enqueue(scan);
    }
    const v = queue[next++]!;
    for (const w of succ[v]!) {
      if (queued[w]) continue;
      rank[w] = Math.max(rank[w]!, rank[v]! + 1);
      if (--indegree[w]! === 0) enqueue(w);
    }
  }
  return rank;
}

/**
 * Order within each column (sorted in place): barycentre of the neighbours' positions, sweeping
 * right then left. Returns each node's position in its column.
 */
function orderColumns(columns: number[][], succ: number[][], pred: number[][]): number[] {
  const pos = succ.map(() => 0);
  columns.forEach((col) =>
    col.forEach((v, k) => {
      pos[v] = k;
    }),
  );
  const sweep = (cols: number[][], neighbours: number[][]) => {
    for (const col of cols) {
      const key = new Map(
        col.map((v) => {
          const ns = neighbours[v]!;
          return [v, ns.length ? ns.reduce((s, w) => s + pos[w]!, 0) / ns.length : pos[v]!] as const;
        }),
      );
      col.sort((a, b) => key.get(a)! - key.get(b)! || pos[a]! - pos[b]!);
      col.forEach((v, k) => {
        pos[v] = k;
      });
    }
  };
  for (let i = 0; i < 4; i++) {
    sweep(columns.slice(1), pred);
    sweep(columns.slice(0, -1).reverse(), succ);
  }
  return pos;
}

/** An edge from the producer's right border to the consumer's left border (four points, drawn as a curve). */
function placeEdge(e: LineageEdge, a: PlacedNode, b: PlacedNode, ranksep: number): PlacedEdge {
  const start = { x: round(a.x + a.width / 2), y: a.y };
  const end = { x: round(b.x - b.width / 2), y: b.y };
  const bend = Math.max(ranksep / 2, Math.abs(end.x - start.x) / 3);
  return {
    ...e,
    points: [start, { x: round(start.x + bend), y: start.y }, { x: round(end.x - bend), y: end.y }, end],
  };
}
