import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A folder in memory: relative posix path → UTF-8 content. Upgrades and migrations work on
 * trees; only the write phase touches the disk.
 */
export type FileTree = Map<string, string>;

/** Folders never read into a tree: build output, dependencies, caches. */
export const IGNORED_DIRS: ReadonlySet<string> = new Set([
  'node_modules',
  'dist',
  'cdk.out',
  '.turbo',
  '.git',
  '.mesh',
]);

/** Options of {@link readTree}. */
export interface ReadTreeOptions {
  /** Relative posix paths of sub-folders to leave out (e.g. a domain's `products`). @default none */
  exclude?: string[];
  /** Files larger than this many bytes are left out (never template output). @default 1 MiB */
  maxBytes?: number;
}

/**
 * Reads the text files under `dir` (skipping {@link IGNORED_DIRS}, the excluded folders and
 * `.meshkit/` itself), sorted by path.
 */
export function readTree(dir: string, options: ReadTreeOptions = {}): FileTree {
  const exclude = new Set(options.exclude ?? []);
  const maxBytes = options.maxBytes ?? 1024 * 1024;
  const tree: FileTree = new Map();
  const walk = (abs: string, rel: string): void => {
    for (const entry of readdirSync(abs, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const r = rel ? `${rel}/${entry.name}` : entry.name;
      const a = join(abs, entry.name);
      if (entry.isDirectory()) {
        if (IGNORED_DIRS.has(entry.name) || exclude.has(r) || r === '.meshkit') continue;
        walk(a, r);
      } else if (entry.isFile() && statSync(a).size <= maxBytes) {
        tree.set(r, readFileSync(a, 'utf8'));
      }
    }
  };
  walk(dir, '');
  return tree;
}
