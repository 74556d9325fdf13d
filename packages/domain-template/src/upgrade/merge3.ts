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
  const o = lines(ours), b = lines(base), t = lines(theirs);
  const regions = diff3Merge<string>(o.lines, b.lines, t.lines, { excludeFalseConflicts: true });
  const out: string[] = [];
  let conflicts = 0;
  for (const r of regions) {
    if (r.ok) out.push(...r.ok);
    else if (r.conflict) {
      conflicts++;
      out.push(`<<<<<<< ${labels.ours ?? 'ours (working tree)'}`, ...r.conflict.a, '=======', ...r.conflict.b, `>>>>>>> ${labels.theirs ?? 'theirs (new template)'}`);
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
