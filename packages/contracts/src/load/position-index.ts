import jsYaml from 'js-yaml';

/** A node of the position tree: where a YAML node starts and ends (character offsets). */
interface PosNode {
  start: number;
  end: number;
  kind: 'scalar' | 'mapping' | 'sequence' | null;
  result: unknown;
  children: PosNode[];
  /** Mapping entries, resolved lazily: key → [key node, value node?]. */
  entries?: Map<string, [PosNode, PosNode | undefined]>;
}

/** Offsets of a located node and of its key (for mapping values). */
export interface Span {
  start: number;
  end: number;
  keyStart?: number;
  keyEnd?: number;
}

/**
 * Positions of the nodes of a YAML document, recorded by re-parsing it with js-yaml's event
 * listener (about ten times faster than building a `yaml` Document). Paths are resolved by
 * walking the tree of node events; `undefined` means the path is not found (callers fall back to
 * a full parse).
 */
export class PositionIndex {
  readonly #root: PosNode | undefined;
  readonly #text: string;

  constructor(text: string) {
    this.#text = text;
    const stack: PosNode[] = [{ start: 0, end: text.length, kind: null, result: undefined, children: [] }];
    const listener = (event: 'open' | 'close', state: { position: number; kind: PosNode['kind']; result: unknown }) => {
      if (event === 'open') {
        const node: PosNode = {
          start: state.position,
          end: state.position,
          kind: null,
          result: undefined,
          children: [],
        };
        stack[stack.length - 1]!.children.push(node);
        stack.push(node);
      } else {
        const node = stack.pop()!;
        node.end = state.position;
        node.kind = state.kind;
        node.result = state.result;
      }
    };
    jsYaml.load(text, { schema: jsYaml.CORE_SCHEMA, listener } as jsYaml.LoadOptions);
    this.#root = stack[0]!.children[0];
  }

  /** Span of the node at `path`, or undefined when the path cannot be followed. */
  find(path: ReadonlyArray<string | number>): Span | undefined {
    let node = this.#root && unwrap(this.#root);
    let key: PosNode | undefined;
    for (const seg of path) {
      if (!node) return undefined;
      if (node.kind === 'mapping') {
        const entry = this.#entries(node).get(String(seg));
        if (!entry) return undefined;
        [key, node] = entry;
        if (!node) return { ...this.#span(key), keyStart: this.#span(key).start, keyEnd: this.#span(key).end };
      } else if (node.kind === 'sequence' && typeof seg === 'number') {
        const items = node.children.map(unwrap);
        node = items[seg];
        key = undefined;
      } else {
        return undefined;
      }
    }
    if (!node) return undefined;
    const span = this.#span(node);
    if (key) {
      const k = this.#span(key);
      span.keyStart = k.start;
      span.keyEnd = k.end;
    }
    return span;
  }

  #entries(node: PosNode): Map<string, [PosNode, PosNode | undefined]> {
    if (node.entries) return node.entries;
    const entries = new Map<string, [PosNode, PosNode | undefined]>();
    const obj = node.result as Record<string, unknown>;
    const kids = node.children.map(unwrap);
    let i = 0;
    for (const k of Object.keys(obj)) {
      const keyNode = kids[i];
      if (!keyNode) break;
      i++;
      const next = kids[i];
      // The next event is this key's value unless the value is absent (an empty value such as
      // `a:` creates no node) — then it is already the following key.
      const value = obj[k];
      if (next && next.result === value) {
        entries.set(k, [keyNode, next]);
        i++;
      } else {
        entries.set(k, [keyNode, undefined]);
      }
    }
    node.entries = entries;
    return entries;
  }

  /** Trims separation space, comments and sequence dashes that precede a node's first character. */
  #span(node: PosNode): Span {
    const t = this.#text;
    let s = node.start;
    // An empty value has no text: it sits right after its key's colon.
    if (node.kind === null && node.result === null) return { start: s, end: s };
    for (;;) {
      const c = t.charCodeAt(s);
      if (c === 32 || c === 9 || c === 10 || c === 13) s++;
      else if (c === 35 /* # */ && (s === 0 || /\s/.test(t[s - 1]!))) {
        while (s < t.length && t.charCodeAt(s) !== 10) s++;
      } else break;
    }
    let e = Math.max(node.end, s);
    while (e > s && /\s/.test(t[e - 1]!)) e--;
    return { start: s, end: e };
  }
}

/**
 * js-yaml reports a block-collection entry twice (the entry, and the attempt to read it as an
 * implicit mapping key); collapse a node to its only child when both span the same value.
 */
function unwrap(node: PosNode): PosNode {
  let n = node;
  while (
    n.children.length === 1 &&
    n.children[0]!.result === n.result &&
    n.children[0]!.kind === n.kind &&
    n.kind !== null
  )
    n = n.children[0]!;
  return n;
}
