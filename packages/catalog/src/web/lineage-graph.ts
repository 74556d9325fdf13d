// The lineage graph of the catalog (products and their `consumes` edges) and the neighbourhood
// of one product in it.
import type { LineageEdge, LineageGraph, LineageNode, ProductView } from './model.js';

/** The lineage graph of a set of products: their `consumes` edges, producers not in the catalog as unpublished nodes. */
export function lineageOf(products: ProductView[]): LineageGraph {
  const nodes = new Map<string, LineageNode>();
  for (const p of products)
    nodes.set(p.ref, {
      id: p.ref,
      domain: p.domain,
      product: p.product,
      published: true,
      latestVersion: p.latestVersion,
    });
  const edges: LineageEdge[] = [];
  for (const p of products) {
    for (const c of p.consumes) {
      if (!nodes.has(c.product)) {
        const [domain = '', product = ''] = c.product.split('/');
        nodes.set(c.product, { id: c.product, domain, product, published: false });
      }
      edges.push({ from: c.product, to: p.ref, range: c.range, ...(c.columns ? { columns: c.columns } : {}) });
    }
  }
  return { nodes: [...nodes.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)), edges };
}

/** Options of {@link neighbourhood}. */
export interface NeighbourhoodOptions {
  /** How many `consumes` hops upstream (producers) and downstream (consumers) to include. @default 1 */
  depth?: number;
  /** At most this many products on each side (nearest first, then by name); the rest is left out (`truncated`). @default unlimited */
  limit?: number;
}

/** A product's neighbourhood: part of the lineage graph, and whether products were left out by `limit`. */
export interface Neighbourhood extends LineageGraph {
  /** Products left out upstream and downstream because of `limit`. */
  truncated: { upstream: number; downstream: number };
}

interface LineageIndex {
  nodes: Map<string, LineageNode>;
  order: Map<LineageEdge, number>;
  out: Map<string, LineageEdge[]>;
  in: Map<string, LineageEdge[]>;
}
const indexes = new WeakMap<LineageGraph, LineageIndex>();

/** Adjacency of a lineage graph, built once per graph object. */
function lineageIndex(graph: LineageGraph): LineageIndex {
  let ix = indexes.get(graph);
  if (!ix) {
    ix = {
      nodes: new Map(graph.nodes.map((n) => [n.id, n])),
      order: new Map(graph.edges.map((e, i) => [e, i])),
      out: new Map(),
      in: new Map(),
    };
    for (const e of graph.edges) {
      ix.out.set(e.from, [...(ix.out.get(e.from) ?? []), e]);
      ix.in.set(e.to, [...(ix.in.get(e.to) ?? []), e]);
    }
    indexes.set(graph, ix);
  }
  return ix;
}

/**
 * The part of a lineage graph around one product: the product, its producers up to `depth` hops
 * upstream and its consumers up to `depth` hops downstream (one hop each way by default), with
 * the edges along those paths. Costs what it returns (an adjacency index is built once per graph).
 */
export function neighbourhood(graph: LineageGraph, id: string, options: NeighbourhoodOptions = {}): Neighbourhood {
  const ix = lineageIndex(graph);
  const depth = options.depth ?? 1;
  const limit = options.limit ?? Infinity;
  const ids = new Set([id]);
  const edges = new Set<LineageEdge>();
  const walk = (adjacent: Map<string, LineageEdge[]>, far: (e: LineageEdge) => string): number => {
    const seen = new Set([id]);
    let frontier = [id];
    let left = 0;
    for (let d = 0; d < depth && frontier.length; d++) {
      const nextFrontier: string[] = [];
      for (const v of frontier) {
        for (const e of [...(adjacent.get(v) ?? [])].sort((a, b) => (far(a) < far(b) ? -1 : 1))) {
          const w = far(e);
          if (seen.has(w)) {
            if (ids.has(w) && ids.has(v)) edges.add(e);
            continue;
          }
          seen.add(w);
          nextFrontier.push(w); // walked on even when left out, so the count of what is left out is whole
          if (seen.size - 1 > limit) {
            left++;
            continue;
          }
          ids.add(w);
          if (ids.has(v)) edges.add(e);
        }
      }
      frontier = nextFrontier;
    }
    return left;
  };
  const upstream = walk(ix.in, (e) => e.from);
  const downstream = walk(ix.out, (e) => e.to);
  return {
    nodes: [...ids].sort().flatMap((n) => ix.nodes.get(n) ?? []),
    edges: [...edges].sort((a, b) => ix.order.get(a)! - ix.order.get(b)!),
    truncated: { upstream, downstream },
  };
}
