import { mkdirSync, readFileSync, renameSync, rmSync, existsSync } from 'node:fs';
import { dirname, relative, sep } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { MeshError, writeFileDurable } from '@meshkit/contracts';

/** One file to write (`content`) or delete (`content: null`), by absolute path. */
export interface FileWrite {
  path: string;
  content: string | null;
}

/** Options of {@link commitWrites}. */
export interface CommitOptions {
  /** Directory paths are shown relative to (in diffs and results). */
  cwd: string;
  /** Write nothing; return the unified diff of every change. @default false */
  dryRun?: boolean;
}

/** Result of {@link commitWrites}. */
export interface CommitResult {
  /** Paths (relative to `cwd`) written or, with `dryRun`, that would be. */
  written: string[];
  /** Paths (relative to `cwd`) deleted or, with `dryRun`, that would be. */
  deleted: string[];
  /** Unified diff (`a/<path>` → `b/<path>`) of every change, in write order. */
  diff: string;
}

const NAMESPACE = 'meshkit:upgrade';
const rel = (cwd: string, p: string): string => relative(cwd, p).split(sep).join('/');

/**
 * The write phase of `mesh upgrade`, through a yeoman-environment generator: the generator
 * writes the merged files into yeoman's in-memory file system (mem-fs-editor), and its custom
 * commit task is the only code that touches the disk. With `dryRun` the commit prints the
 * unified diff of every pending file against the disk and writes nothing. Otherwise every file is
 * first staged next to its target (same file system), then all are renamed into place and the
 * deleted files removed: a failure while staging leaves the tree as it was.
 *
 * yeoman's conflicter is not used: the 3-way merge has already decided every file, and its
 * prompts cannot run without a terminal. Nothing here ever prompts. yeoman-environment takes
 * ~2 s to import, so it is imported here, on use only.
 */
export async function commitWrites(writes: FileWrite[], options: CommitOptions): Promise<CommitResult> {
  const [
    { default: Environment },
    { default: Generator },
    { QueuedAdapter },
    { isFilePending },
    { createTwoFilesPatch },
  ] = await Promise.all([
    import('yeoman-environment'),
    import('yeoman-generator'),
    import('@yeoman/adapter'),
    import('mem-fs-editor/state'),
    import('diff'),
  ]);
  const sink = Object.assign(
    new Writable({
      write(_c, _e, cb) {
        cb();
      },
    }),
    { isTTY: false },
  );
  const adapter = new QueuedAdapter({
    stdout: sink as unknown as NodeJS.WriteStream,
    stderr: sink as unknown as NodeJS.WriteStream,
  });
  // Never prompt, terminal or not.
  adapter.prompt = () => Promise.reject(new MeshError('USAGE', 'mesh upgrade never prompts'));
  const env = new Environment({ cwd: options.cwd, adapter, skipInstall: true });
  const result: CommitResult = { written: [], deleted: [], diff: '' };
  const commit = async (): Promise<void> => {
    const pending: Array<{ path: string; content: string | null }> = [];
    const order = new Map(writes.map((w, i) => [w.path, i]));
    for (const file of env.sharedFs.all()) {
      if (!isFilePending(file)) continue;
      const state = (file as { state?: string }).state;
      pending.push({ path: file.path, content: state === 'deleted' ? null : (file.contents?.toString('utf8') ?? '') });
    }
    pending.sort((a, b) => (order.get(a.path) ?? 0) - (order.get(b.path) ?? 0));
    for (const f of pending) (f.content === null ? result.deleted : result.written).push(rel(options.cwd, f.path));
    if (options.dryRun)
      result.diff = pending.map((f) => unifiedDiff(createTwoFilesPatch, options.cwd, f.path, f.content)).join('');
    else atomicCommit(pending);
  };
  class UpgradeGenerator extends Generator {
    constructor(args: string[], opts: Record<string, unknown>) {
      super(args, opts as never, { customCommitTask: commit, customInstallTask: true, skipParseOptions: true });
    }
    writing(): void {
      for (const w of writes) {
        if (w.content === null) {
          if (existsSync(w.path)) this.fs.delete(w.path);
        } else this.fs.write(w.path, w.content);
      }
    }
  }
  env.register(UpgradeGenerator as never, { namespace: NAMESPACE, resolved: fileURLToPath(import.meta.url) });
  const generator = await env.create(NAMESPACE, { generatorArgs: [], generatorOptions: {} });
  await env.runGenerator(generator);
  return result;
}

function unifiedDiff(
  createTwoFilesPatch: typeof import('diff').createTwoFilesPatch,
  cwd: string,
  path: string,
  content: string | null,
): string {
  const name = rel(cwd, path);
  const old = existsSync(path) ? readFileSync(path, 'utf8') : null;
  const patch = createTwoFilesPatch(
    old === null ? '/dev/null' : `a/${name}`,
    content === null ? '/dev/null' : `b/${name}`,
    old ?? '',
    content ?? '',
    undefined,
    undefined,
    { context: 3 },
  );
  // Drop the `Index:`/`===` preamble: start at the `---` line, like git diff.
  return patch.slice(patch.indexOf('--- '));
}

/** Stages every file next to its target, then renames all into place and removes deleted ones. */
export function atomicCommit(files: Array<{ path: string; content: string | null }>): void {
  const staged: Array<{ tmp: string; path: string }> = [];
  try {
    for (const f of files) {
      if (f.content === null) continue;
      mkdirSync(dirname(f.path), { recursive: true });
      const tmp = `${f.path}.meshkit-${process.pid}.tmp`;
      writeFileDurable(tmp, f.content);
      staged.push({ tmp, path: f.path });
    }
  } catch (e) {
    for (const s of staged) rmSync(s.tmp, { force: true });
    throw new MeshError(
      'USAGE',
      `cannot write ${(e as NodeJS.ErrnoException).path ?? 'a file'}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}; nothing was changed`,
      { cause: e },
    );
  }
  for (const s of staged) renameSync(s.tmp, s.path);
  for (const f of files) if (f.content === null) rmSync(f.path, { force: true });
}
