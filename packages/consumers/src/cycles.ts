import type { MeshModel } from './mesh.js';
import type { ConsumesCycle } from './rules/types.js';

/**
 * Cycles of `consumes` edges between existing products (self edges left out): for every product
 * on a cycle, the shortest cycle through it and the `consumes` entry that starts it. Products on
 * no cycle are absent from the map.
 */
export function findConsumesCycles(model: MeshModel): Map<string, ConsumesCycle[]> {
  const edges = new Map<string, Array<{ to: string; index: number }>>();
  for (const [ref, p] of model.products) {
    edges.set(
      ref,
      p.manifest.consumes.flatMap((c, index) =>
        c.product !== ref && model.products.has(c.product) ? [{ to: c.product, index }] : [],
      ),
    );
  }
  const out = new Map<string, ConsumesCycle[]>();
  for (const scc of stronglyConnected([...edges.keys()], (v) => (edges.get(v) ?? []).map((e) => e.to))) {
    if (scc.length < 2) continue;
    const members = new Set(scc);
    for (const start of scc) {
      // Breadth-first from start's edges back to start, inside the component: the shortest cycle.
      const prev = new Map<string, string>();
      const firstIndex = new Map<string, number>();
      const queue: string[] = [];
      for (const e of edges.get(start) ?? []) {
        if (!members.has(e.to) || prev.has(e.to)) continue;
        prev.set(e.to, start);
        firstIndex.set(e.to, e.index);
        queue.push(e.to);
      }
      let found: string[] | undefined;
      let entry = -1;
      while (queue.length && !found) {
        const v = queue.shift()!;
        for (const e of edges.get(v) ?? []) {
          if (e.to === start) {
            const nodes: string[] = [];
            for (let u = v; u !== start; u = prev.get(u)!) nodes.unshift(u);
            found = [start, ...nodes, start];
            entry = firstIndex.get(nodes[0]!)!;
            break;
          }
          if (members.has(e.to) && !prev.has(e.to) && e.to !== start) {
            prev.set(e.to, v);
            queue.push(e.to);
          }
        }
      }
      if (found) out.set(start, [{ index: entry, cycle: found }]);
    }
  }
  return out;
}

/** Tarjan's strongly connected components (iterative). */
function stronglyConnected(nodes: string[], next: (v: string) => string[]): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  for (const root of nodes) {
    if (index.has(root)) continue;
    const work: Array<{ v: string; it: number }> = [{ v: root, it: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length) {
      const top = work[work.length - 1]!;
      const succ = next(top.v);
      if (top.it < succ.length) {
        const w = succ[top.it++]!;
        if (!index.has(w)) {
          index.set(w, counter);
          low.set(w, counter++);
          stack.push(w);
          onStack.add(w);
          work.push({ v: w, it: 0 });
        } else if (onStack.has(w)) low.set(top.v, Math.min(low.get(top.v)!, index.get(w)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.v, Math.min(low.get(parent.v)!, low.get(top.v)!));
      if (low.get(top.v) === index.get(top.v)) {
        const comp: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          comp.push(w);
        } while (w !== top.v);
        out.push(comp.sort());
      }
    }
  }
  return out;
}
