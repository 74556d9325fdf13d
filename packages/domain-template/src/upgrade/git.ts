import { MeshError, runGit } from '@meshkit/contracts';

/**
 * Files under `path` (relative to the repository root `root`, posix) that `git status
 * --porcelain` reports as modified, added, deleted or untracked; `exclude` sub-folders (relative
 * to `path`) are left out (a domain's `products/`, each product being checked on its own).
 * @throws MeshError `GIT` (exit 2) when git cannot run or `root` is not in a git work tree.
 */
export function dirtyFiles(root: string, path: string, exclude: string[] = []): string[] {
  const specs = [`:(top)${path}`, ...exclude.map((e) => `:(top,exclude)${path}/${e}`)];
  const r = runGit(
    ['-c', 'core.quotePath=false', 'status', '--porcelain=v1', '-z', '--untracked-files=all', '--', ...specs],
    root,
  );
  if (!r.ok) {
    const why = r.missing ? 'git is not installed' : r.err.split('\n')[0] || 'git status failed';
    throw new MeshError('GIT', `cannot tell whether ${path} is clean: ${why}`);
  }
  const out = r.out;
  const files: string[] = [];
  const entries = out.split('\0');
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (e.length < 4) continue;
    files.push(e.slice(3));
    // A rename is followed by its source path.
    if (e[0] === 'R' || e[0] === 'C') i++;
  }
  return files.sort();
}
