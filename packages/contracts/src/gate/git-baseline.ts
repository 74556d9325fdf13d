import { realpathSync } from 'node:fs';
import { basename, dirname, relative, resolve, sep } from 'node:path';
import { MeshError } from '../errors.js';
import { runGit as git } from '../repository/git.js';

/**
 * The text of `file` at git revision `ref` (`git show <ref>:<path relative to the repository
 * root>`), and a label for diagnostics (`<ref>:<path>`).
 *
 * @throws MeshError (GIT, exit 2) when git is not installed, the file is not inside a git
 * repository, `ref` is unknown, or the file does not exist at `ref`.
 */
export function readGitBaseline(file: string, ref: string): { text: string; label: string } {
  if (!ref || ref.startsWith('-')) throw new MeshError('GIT', `invalid git ref '${ref}'`, { file, exitCode: 2 });
  let dir: string;
  try {
    dir = realpathSync(dirname(resolve(file)));
  } catch (e) {
    throw new MeshError('GIT', `cannot read the baseline of ${file}: folder ${dirname(file)} does not exist`, {
      file,
      exitCode: 2,
      cause: e,
    });
  }
  const top = git(['rev-parse', '--show-toplevel'], dir);
  if (!top.ok) {
    throw new MeshError(
      'GIT',
      top.missing
        ? 'git is not installed (needed to read a baseline from a git ref)'
        : `${file} is not inside a git repository: cannot read its baseline at '${ref}'`,
      { file, exitCode: 2 },
    );
  }
  const rel = relative(realpathSync(top.out.trim()), resolve(dir, basename(file)))
    .split(sep)
    .join('/');
  if (!git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], dir).ok) {
    throw new MeshError('GIT', `unknown git ref '${ref}'`, { file, exitCode: 2 });
  }
  const shown = git(['show', `${ref}:${rel}`], dir);
  if (!shown.ok) throw new MeshError('GIT', `${rel} does not exist at '${ref}'`, { file, exitCode: 2 });
  return { text: shown.out, label: `${ref}:${rel}` };
}
