import { diff3Merge } from 'node-diff3';

/** Labels written on git-style conflict markers. */
export interface MergeLabels {
  /** @default 'ours (working tree)' */
  ours?: string;
  /** @default 'theirs (new template)' */
  theirs?: string;
}

/** Result of {@link mergeText}. */
export interface TextMerge {
  /** Merged text; conflicting regions are wrapped in `<<<<<<<`, `=======`, `>>>>>>>` lines. */
  content: string;
  /** Number of conflicting regions (0: clean merge). */
  conflicts: number;
}

function lines(text: string): { lines: string[]; eol: boolean } {
  const eol = text.endsWith('\n');
  const body = eol ? text.slice(0, -1) : text;
  return { lines: body === '' && !eol ? [] : body.split('\n'), eol };
}

/**
 * Line-based 3-way merge (node-diff3) of `ours` and `theirs` against their common `base`,
 * the way `git merge-file` does it: changes made on one side only are taken; identical changes
 * on both sides are taken once; different changes to the same lines are a conflict, left in the
 * text between git-style markers (`<<<<<<< ours`, `=======`, `>>>>>>> theirs`).
 */
export function mergeText(ours: string, base: string, theirs: string, labels: MergeLabels = {}): TextMerge {
  if (ours === theirs) return { content: ours, conflicts: 0 };
  if (ours === base) return { content: theirs, conflicts: 0 };
  if (theirs === base) return { content: ours, conflicts: 0 };
  const o = lines(ours),
    b = lines(base),
    t = lines(theirs);
  const regions = diff3Merge<string>(o.lines, b.lines, t.lines, { excludeFalseConflicts: true });
  const out: string[] = [];
  let conflicts = 0;
  for (const r of regions) {
    if (r.ok) out.push(...r.ok);
    else if (r.conflict) {
      conflicts++;
      out.push(
        `<<<<<<< ${labels.ours ?? 'ours (working tree)'}`,
        ...r.conflict.a,
        '=======',
        ...r.conflict.b,
        `>>>>>>> ${labels.theirs ?? 'theirs (new template)'}`,
      );
    }
  }
  // The final newline follows the side that changed it (theirs when both did).
  const eol = o.eol === b.eol ? t.eol : t.eol === b.eol ? o.eol : t.eol;
  const content = out.join('\n') + (eol || conflicts ? '\n' : '');
  return { content: out.length === 0 && !eol ? '' : content, conflicts };
}

/** True when `text` holds a line starting a git-style conflict marker. */
export function hasConflictMarkers(text: string): boolean {
  return /^<<<<<<< .*$[\s\S]*^=======$[\s\S]*^>>>>>>> /m.test(text);
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
const isObject = (v: unknown): v is { [key: string]: Json } => v !== null && typeof v === 'object' && !Array.isArray(v);
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** 3-way merge of one JSON value (absent = undefined); counts the keys both sides changed differently. */
function mergeValue(
  o: Json | undefined,
  b: Json | undefined,
  t: Json | undefined,
  conflicts: { n: number },
): Json | undefined {
  if (same(o, t)) return o;
  if (same(o, b)) return t;
  if (same(t, b)) return o;
  if (isObject(o) && isObject(t) && (b === undefined || isObject(b))) {
    const base = b ?? {};
    const out: { [key: string]: Json } = {};
    // Our key order, then the keys only the template added (in its order).
    for (const k of [...Object.keys(o), ...Object.keys(t).filter((k) => !Object.hasOwn(o, k))]) {
      const v = mergeValue(o[k], base[k], t[k], conflicts);
      if (v !== undefined) out[k] = v;
    }
    return out;
  }
  conflicts.n++;
  return o;
}

/**
 * 3-way merge of a JSON document (e.g. package.json) by keys, not lines: a key changed on one
 * side only is taken, keys added or removed on either side are kept added or removed, nested
 * objects merge key by key, so edits to neighbouring lines never collide. The result is written
 * with the indentation of `ours`. When both sides change the same key differently (or a side is
 * not JSON) it falls back to {@link mergeText}, whose markers show the colliding lines.
 */
export function mergeJson(ours: string, base: string, theirs: string, labels: MergeLabels = {}): TextMerge {
  if (ours === theirs) return { content: ours, conflicts: 0 };
  if (ours === base) return { content: theirs, conflicts: 0 };
  if (theirs === base) return { content: ours, conflicts: 0 };
  let o: Json, b: Json, t: Json;
  try {
    o = JSON.parse(ours) as Json;
    b = JSON.parse(base) as Json;
    t = JSON.parse(theirs) as Json;
  } catch {
    return mergeText(ours, base, theirs, labels);
  }
  const conflicts = { n: 0 };
  const merged = mergeValue(o, b, t, conflicts);
  if (conflicts.n > 0) return mergeText(ours, base, theirs, labels);
  const indent = /^[ \t]+(?=")/m.exec(ours)?.[0] ?? '  ';
  return { content: JSON.stringify(merged, null, indent) + (ours.endsWith('\n') ? '\n' : ''), conflicts: 0 };
}
