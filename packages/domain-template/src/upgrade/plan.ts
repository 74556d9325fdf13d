import { sha256, type Provenance } from '../provenance.js';
import type { FileClass, RenderedFile } from '../render.js';
import { mergeJson, mergeText, type MergeLabels } from './merge3.js';
import type { FileTree } from './tree.js';

/**
 * What an upgrade does to one file:
 * - `created`: new in the template, absent from the working tree;
 * - `replaced`: unchanged since the last render, the template changed it: takes the new render;
 * - `merged`: edited locally and by the template: clean 3-way merge;
 * - `conflict`: edited on both sides on the same lines: written with conflict markers;
 * - `deleted`: removed from the template and unchanged locally;
 * - `kept`: left as it is (seeded, deleted by the team, edited locally and not changed by the
 *   template, or edited locally and removed from the template) — see `reason`;
 * - `unchanged`: already what the new version renders.
 */
export type FileAction = 'created' | 'replaced' | 'merged' | 'conflict' | 'deleted' | 'kept' | 'unchanged';

/** The outcome of one file of an upgrade. */
export interface FileOutcome {
  /** Path relative to the unit's folder. */
  path: string;
  class: FileClass;
  action: FileAction;
  /** Why a file was kept, or how a conflict arose. */
  reason?: string;
  /** Number of conflicting regions (action `conflict`). */
  conflicts?: number;
}

/** Inputs of {@link planUpgrade}. */
export interface PlanInput {
  /** The recorded provenance (the last render). */
  provenance: Provenance;
  /** The working tree (after migrations). */
  ours: FileTree;
  /** The new render. */
  theirs: RenderedFile[];
  /**
   * Rendered content of a file at the recorded version, when it can be reproduced (checked
   * against the recorded hash by the caller or here). @default provenance.base
   */
  base?: (path: string) => string | undefined;
  labels?: MergeLabels;
}

/** Result of {@link planUpgrade}. */
export interface UpgradePlan {
  /** The working tree after the upgrade (the input tree is not modified). */
  tree: FileTree;
  /** One entry per file of the old or the new render, sorted by path. */
  files: FileOutcome[];
  /** Paths left with conflict markers. */
  conflicts: string[];
}

/**
 * Merges a new render into a working tree, file by file, by class:
 * seeded files are never touched once recorded (a seeded file new in the template is created
 * when absent); files the team deleted stay deleted; files unchanged since the last render
 * (same hash as recorded) take the new render; edited files are 3-way merged against the
 * recorded render (the base: `provenance.base` or a re-render of the recorded version), JSON
 * files by keys ({@link mergeJson}) and the others by lines — without a base, a file the
 * template changed conflicts as a whole. Pure: no disk access.
 */
export function planUpgrade(input: PlanInput): UpgradePlan {
  const { provenance, theirs } = input;
  const tree: FileTree = new Map(input.ours);
  const files: FileOutcome[] = [];
  const conflicts: string[] = [];
  const theirsByPath = new Map(theirs.map((f) => [f.path, f]));
  const recordedBase = (path: string): string | undefined => {
    const b = input.base ? input.base(path) : provenance.base?.[path];
    const rec = provenance.files[path];
    return b !== undefined && rec && sha256(b) === rec.sha256 ? b : undefined;
  };
  const paths = [...new Set([...Object.keys(provenance.files), ...theirsByPath.keys()])].sort();
  for (const path of paths) {
    const rec = provenance.files[path];
    const th = theirsByPath.get(path);
    const cur = tree.get(path);
    const step = rec
      ? planRecordedFile(path, rec, th, cur, () => recordedBase(path), input.labels)
      : planNewFile(th!, cur, input.labels);
    if (step.content === null) tree.delete(path);
    else if (step.content !== undefined) tree.set(path, step.content);
    if (step.action === 'conflict') conflicts.push(path);
    files.push({
      path,
      class: th?.class ?? rec!.class,
      action: step.action,
      ...(step.reason ? { reason: step.reason } : {}),
      ...(step.conflicts !== undefined ? { conflicts: step.conflicts } : {}),
    });
  }
  return { tree, files, conflicts };
}

/** What happens to one file: its outcome, and its new content (`null`: deleted; absent: left as it is). */
interface FileStep {
  readonly action: FileAction;
  readonly reason?: string;
  readonly conflicts?: number;
  readonly content?: string | null;
}

/** A file new in the template (not in the recorded render); `cur` is the working tree's. */
function planNewFile(t: RenderedFile, cur: string | undefined, labels: MergeLabels | undefined): FileStep {
  if (cur === undefined) return { action: 'created', content: t.content };
  if (cur === t.content) return { action: 'unchanged' };
  if (t.class === 'seeded') return { action: 'kept', reason: 'seeded file already present' };
  const m = mergeText(cur, '', t.content, labels);
  return {
    action: 'conflict',
    reason: 'new in the template but already present with other content',
    conflicts: m.conflicts,
    content: m.content,
  };
}

/**
 * A file of the recorded render: `th` is the new render's (absent when removed from the
 * template), `cur` the working tree's, `base` the recorded render's content when reproducible.
 */
function planRecordedFile(
  path: string,
  rec: Provenance['files'][string],
  th: RenderedFile | undefined,
  cur: string | undefined,
  base: () => string | undefined,
  labels: MergeLabels | undefined,
): FileStep {
  if (rec.class === 'seeded' || th?.class === 'seeded') return { action: 'kept', reason: 'seeded: owned by the team' };
  if (cur === undefined) {
    return th ? { action: 'kept', reason: 'deleted by the team: stays deleted' } : { action: 'unchanged' };
  }
  const pristine = sha256(cur) === rec.sha256;
  if (!th) {
    // Removed from the template.
    return pristine
      ? { action: 'deleted', content: null }
      : { action: 'kept', reason: 'removed from the template but edited locally' };
  }
  if (cur === th.content) return { action: 'unchanged' };
  if (pristine) return { action: 'replaced', content: th.content };
  if (sha256(th.content) === rec.sha256)
    return { action: 'kept', reason: 'edited locally; the template did not change it' };
  const b = base();
  // JSON files (package.json) merge by keys: edits to neighbouring lines do not collide.
  const m = (path.endsWith('.json') && b !== undefined ? mergeJson : mergeText)(cur, b ?? '', th.content, labels);
  if (m.conflicts === 0) return { action: 'merged', content: m.content };
  return {
    action: 'conflict',
    ...(b === undefined
      ? { reason: `edited locally and changed by the template; the ${rec.class} file's base is not reproducible` }
      : {}),
    conflicts: m.conflicts,
    content: m.content,
  };
}
