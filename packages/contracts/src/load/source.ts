import jsYaml from 'js-yaml';
import { LineCounter, parseDocument, isMap, isSeq, isScalar, isNode, type Node, type Document } from 'yaml';
import { MeshError } from '../errors.js';
import { PositionIndex, type Span } from './position-index.js';
import { readTextFile } from './read-file.js';

/** A path into a parsed document: object keys and array indexes. */
export type Path = ReadonlyArray<string | number>;

/** A position in a file; lines and columns are 1-based. */
export interface Location {
  file: string;
  line: number;
  column: number;
  /** End of the node (exclusive), when known. */
  endLine?: number;
  endColumn?: number;
}

/** Limits applied while parsing untrusted documents. */
export interface ParseLimits {
  /** How diagnostics name the file (e.g. relative to the working directory). @default the path read */
  name?: string;
  /** Most aliases a document may expand. @default 100 */
  maxAliases?: number;
  /** Deepest nesting of mappings and sequences. @default 64 */
  maxDepth?: number;
}

const DEFAULT_MAX_ALIASES = 100;
const DEFAULT_MAX_DEPTH = 64;

/**
 * A parsed YAML or JSON document and the text it came from.
 *
 * Parsing takes the fast path (js-yaml, no positions); source positions are computed only when
 * {@link SourceDocument.locate} is first called, i.e. only for files that have something to
 * report.
 */
export class SourceDocument {
  /** The parsed value (plain JSON data: no dates, no custom tags). */
  readonly data: unknown;
  #doc: Document | undefined;
  #lines: LineCounter | undefined;
  #index: PositionIndex | null | undefined;
  #lineStarts: number[] | undefined;

  constructor(
    /** Path of the file as given by the user (used in diagnostics). */
    readonly file: string,
    /** The file's text. */
    readonly text: string,
    data: unknown,
  ) {
    this.data = data;
  }

  /**
   * Location of the node at `path`, or of the deepest existing ancestor when the path does not
   * exist (e.g. a missing required key is reported at its parent).
   *
   * @param path keys and indexes from the document root
   * @param options.key point at the mapping key rather than its value (for unknown keys)
   */
  locate(path: Path, options: { key?: boolean } = {}): Location {
    const index = this.#fastIndex();
    if (index) {
      for (let n = path.length; n >= 0; n--) {
        const span = index.find(n === path.length ? path : path.slice(0, n));
        if (span) return this.#location(span, Boolean(options.key));
      }
    }
    return this.#locateSlow(path, options);
  }

  #fastIndex(): PositionIndex | undefined {
    if (this.#index === undefined) {
      try {
        this.#index = ANCHOR.test(this.text) ? null : new PositionIndex(this.text);
      } catch {
        this.#index = null;
      }
    }
    return this.#index ?? undefined;
  }

  #location(span: Span, key: boolean): Location {
    const start = key && span.keyStart !== undefined ? span.keyStart : span.start;
    const end = key && span.keyEnd !== undefined ? span.keyEnd : span.end;
    const s = this.#linePos(start);
    const e = this.#linePos(end);
    return { file: this.file, line: s.line, column: s.col, endLine: e.line, endColumn: e.col };
  }

  #linePos(offset: number): { line: number; col: number } {
    if (!this.#lineStarts) {
      const starts = [0];
      for (let i = this.text.indexOf('\n'); i !== -1; i = this.text.indexOf('\n', i + 1)) starts.push(i + 1);
      this.#lineStarts = starts;
    }
    const starts = this.#lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: offset - starts[lo]! + 1 };
  }

  #locateSlow(path: Path, options: { key?: boolean }): Location {
    const { doc, lines } = this.#positions();
    let node: unknown = doc.contents;
    let keyNode: unknown;
    for (const seg of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) === String(seg) : false));
        if (!pair) break;
        keyNode = pair.key;
        node = pair.value;
      } else if (isSeq(node) && typeof seg === 'number' && seg < node.items.length) {
        keyNode = undefined;
        node = node.items[seg];
      } else {
        break;
      }
    }
    const target = options.key && keyNode ? keyNode : node;
    const range = isNode(target) ? (target as Node).range : isNode(keyNode) ? (keyNode as Node).range : undefined;
    const start = range?.[0] ?? 0;
    const end = range?.[1];
    const s = lines.linePos(start);
    const loc: Location = { file: this.file, line: s.line, column: s.col };
    if (end !== undefined) {
      const e = lines.linePos(end);
      loc.endLine = e.line;
      loc.endColumn = e.col;
    }
    return loc;
  }

  #positions(): { doc: Document; lines: LineCounter } {
    if (!this.#doc || !this.#lines) {
      this.#lines = new LineCounter();
      this.#doc = parseDocument(this.text, { lineCounter: this.#lines, uniqueKeys: false, keepSourceTokens: false });
    }
    return { doc: this.#doc, lines: this.#lines };
  }
}

/** Reads and parses a YAML or JSON file. @throws {@link MeshError} (exit 2) when it cannot be read or parsed. */
export function loadSource(file: string, limits: ParseLimits = {}): SourceDocument {
  const name = limits.name ?? file;
  try {
    return parseSource(name, readTextFile(file), limits);
  } catch (e) {
    if (e instanceof MeshError && e.file === file && name !== file) {
      throw new MeshError(e.code, e.message, {
        file: name,
        line: e.line,
        column: e.column,
        exitCode: e.exitCode,
        cause: e,
      });
    }
    throw e;
  }
}

// An anchor (`&name`) anywhere a node may start; aliases need one, so documents without it
// cannot expand aliases and take the fast path.
const ANCHOR = /(?:^|[\s,[{:-])&[^\s,[\]{}]/m;

/**
 * Parses YAML (1.2 core schema; JSON is YAML) from text.
 *
 * @throws {@link MeshError} (exit 2) for syntax errors, duplicate keys, more than
 * `limits.maxAliases` alias expansions, nesting deeper than `limits.maxDepth`, or more than one
 * document.
 */
export function parseSource(file: string, text: string, limits: ParseLimits = {}): SourceDocument {
  const maxDepth = limits.maxDepth ?? DEFAULT_MAX_DEPTH;
  let data: unknown;
  const aliases = ANCHOR.test(text);
  try {
    data = aliases
      ? parseWithAliases(file, text, limits.maxAliases ?? DEFAULT_MAX_ALIASES)
      : parseFast(file, text, maxDepth);
  } catch (e) {
    if (e instanceof MeshError) throw e;
    if (e instanceof RangeError) {
      throw new MeshError('YAML_TOO_DEEP', `document is nested too deeply to parse (limit ${maxDepth} levels)`, {
        file,
        cause: e,
      });
    }
    throw e;
  }
  const source = new SourceDocument(file, text, data);
  // js-yaml enforces the depth while parsing; only documents with aliases need the walk.
  const deep = aliases ? findTooDeep(data, maxDepth) : undefined;
  if (deep) {
    let where: Location | undefined;
    try {
      where = source.locate(deep);
    } catch {
      where = undefined;
    }
    throw new MeshError('YAML_TOO_DEEP', `document is nested more than ${maxDepth} levels deep`, {
      file,
      line: where?.line,
      column: where?.column,
    });
  }
  return source;
}

function parseFast(file: string, text: string, maxDepth: number): unknown {
  try {
    // maxDepth is a js-yaml 4.3 option its type definitions do not list yet.
    const options = { schema: jsYaml.CORE_SCHEMA, filename: file, json: false, maxDepth: maxDepth + 1 };
    return jsYaml.load(text, options);
  } catch (e) {
    if (e instanceof jsYaml.YAMLException) {
      const mark = e.mark;
      const reason = e.reason || 'invalid YAML';
      const duplicate = /duplicated mapping key/.test(reason);
      const deep = /maxDepth/.test(reason);
      throw new MeshError(
        duplicate ? 'YAML_DUPLICATE_KEY' : deep ? 'YAML_TOO_DEEP' : 'YAML_SYNTAX',
        duplicate
          ? `duplicate key ${duplicateKey(text, mark?.position)}in a mapping (each key may appear once)`
          : deep
            ? `document is nested more than ${maxDepth} levels deep`
            : `YAML syntax error: ${reason}`,
        { file, line: mark ? mark.line + 1 : undefined, column: mark ? mark.column + 1 : undefined, cause: e },
      );
    }
    throw e;
  }
}

function duplicateKey(text: string, offset: number | undefined): string {
  if (offset === undefined) return '';
  const key = /^\s*("[^"\n]*"|'[^'\n]*'|[^:\n]+?)\s*:/.exec(text.slice(offset, offset + 200))?.[1];
  return key ? `'${key.replace(/^["']|["']$/g, '')}' ` : '';
}

function parseWithAliases(file: string, text: string, maxAliases: number): unknown {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, schema: 'core', merge: false });
  const problem = doc.errors[0];
  if (problem) {
    const pos = lines.linePos(problem.pos[0]);
    const duplicate = problem.code === 'DUPLICATE_KEY';
    throw new MeshError(
      duplicate ? 'YAML_DUPLICATE_KEY' : 'YAML_SYNTAX',
      duplicate
        ? 'duplicate key in a mapping (each key may appear once)'
        : `YAML syntax error: ${problem.message.split('\n')[0]}`,
      { file, line: pos.line, column: pos.col, cause: problem },
    );
  }
  try {
    return doc.toJS({ maxAliasCount: maxAliases });
  } catch (e) {
    if (e instanceof Error && /alias/i.test(e.message)) {
      throw new MeshError('YAML_ALIAS_LIMIT', `too many alias expansions (limit ${maxAliases}): possible alias bomb`, {
        file,
        cause: e,
      });
    }
    throw e;
  }
}

/** Path of the first node nested deeper than `max`, if any (iterative: safe on any depth). */
function findTooDeep(root: unknown, max: number): Path | undefined {
  const stack: Array<{ v: unknown; path: Array<string | number> }> = [{ v: root, path: [] }];
  while (stack.length) {
    const { v, path } = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (path.length >= max) return path;
    if (Array.isArray(v))
      v.forEach((x, i) => {
        if (x !== null && typeof x === 'object') stack.push({ v: x, path: [...path, i] });
      });
    else
      for (const [k, x] of Object.entries(v))
        if (x !== null && typeof x === 'object') stack.push({ v: x, path: [...path, k] });
  }
  return undefined;
}
