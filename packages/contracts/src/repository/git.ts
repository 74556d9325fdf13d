import { execFileSync } from 'node:child_process';

/** What a git command gave: its standard output, or why it failed. */
export type GitResult = { ok: true; out: string } | { ok: false; err: string; missing: boolean };

/**
 * Runs `git <args>` in `cwd` (no shell, no prompt: standard input closed) and returns its standard
 * output, or its trimmed standard error when it fails; `missing` is true when git is not
 * installed. Every git call of Meshkit goes through here.
 */
export function runGit(args: readonly string[], cwd: string): GitResult {
  try {
    return {
      ok: true,
      out: execFileSync('git', args, {
        cwd,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        maxBuffer: 64 * 1024 * 1024,
      }),
    };
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string };
    return { ok: false, err: String(err.stderr ?? err.message).trim(), missing: err.code === 'ENOENT' };
  }
}

/** `git rev-parse HEAD` in `dir`, or null outside a repository (or without commits). */
export function gitHead(dir: string): string | null {
  const r = runGit(['rev-parse', 'HEAD'], dir);
  return (r.ok && r.out.trim()) || null;
}

/**
 * The text of `path` at revision `rev` (`git show <rev>:./<path>`, `path` relative to `cwd`, any
 * separator), or `undefined` when it cannot be read there: outside git, an unknown revision, a file
 * not committed at that revision.
 */
export function gitShowFile(cwd: string, rev: string, path: string): string | undefined {
  const r = runGit(['show', `${rev}:./${path.split('\\').join('/')}`], cwd);
  return r.ok ? r.out : undefined;
}
