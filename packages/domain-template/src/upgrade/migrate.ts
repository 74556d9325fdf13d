import semver from 'semver';
import type { TemplateAnswers } from '../render.js';
import type { FileTree } from './tree.js';

/** What a migration is told about the upgrade it runs in. */
export interface MigrationContext {
  /** Version recorded in the provenance (the upgrade's base). */
  from: string;
  /** Target version. */
  to: string;
  /** The recorded answers. */
  answers: TemplateAnswers;
}

/**
 * A codemod shipped with a template version: it rewrites the working tree of a product or domain
 * (e.g. renames a file, updates an import in a team-owned file) so that it fits that version.
 * It runs on the in-memory tree, before the 3-way merge. It must be idempotent: running it on
 * its own output changes nothing.
 */
export interface Migration {
  /** Template version that introduced it (semver). */
  version: string;
  /** Stable id, e.g. `0.2.0-rename-stack`. */
  id: string;
  /** One line for the upgrade report. */
  description: string;
  /** Which kinds it applies to. @default both */
  kinds?: Array<TemplateAnswers['kind']>;
  /** Mutates `tree` in place. */
  apply(tree: FileTree, context: MigrationContext): void;
}

/** The migrations with `from < version <= to` (semver), in version order (stable for equal versions). */
export function migrationsBetween(migrations: readonly Migration[], from: string, to: string): Migration[] {
  return migrations
    .map((m, i) => ({ m, i }))
    .filter(({ m }) => semver.gt(m.version, from) && semver.lte(m.version, to))
    .sort((a, b) => semver.compare(a.m.version, b.m.version) || a.i - b.i)
    .map(({ m }) => m);
}

/**
 * Runs the applicable migrations on `tree` in order; returns the ids of those that changed
 * something.
 */
export function runMigrations(tree: FileTree, migrations: readonly Migration[], context: MigrationContext): string[] {
  const changed: string[] = [];
  for (const m of migrationsBetween(migrations, context.from, context.to)) {
    if (m.kinds && !m.kinds.includes(context.answers.kind)) continue;
    const before = snapshot(tree);
    m.apply(tree, context);
    if (snapshot(tree) !== before) changed.push(m.id);
  }
  return changed;
}

function snapshot(tree: FileTree): string {
  return JSON.stringify([...tree.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
}
