/**
 * The repository's example mesh (the one mesh: `mesh.config.yaml`, `platform/` and `domains/` at
 * the repository root, rendered by `mesh new` and edited by scripts/generate-example-mesh.mjs),
 * the fixture every suite, `npm run demo` and the README start from.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { copyMesh, GENERATED_DIRS } from '@meshkit/contracts';
import { ROOT } from './repo.js';

/** The example mesh's root: the repository root (read it; write to a {@link copyExampleMesh} copy). */
export const EXAMPLE_MESH = ROOT;

/** Options of {@link copyExampleMesh}. */
export interface CopyExampleMeshOptions {
  /** Prefix of the temp directory's name. @default 'meshkit-mesh-' */
  prefix?: string;
  /** Paths left out, matched against the path relative to the repository root with a leading separator. @default `GENERATED_DIRS` of @meshkit/contracts */
  skip?: RegExp;
  /**
   * The mesh as `mesh new` renders it, without the team's edits (`scripts/example-mesh.patch`
   * applied in reverse): the template's placeholder products, for suites written against them.
   * @default false
   */
  rendered?: boolean;
}

/** The team's edits of the example mesh after `mesh new` (see scripts/generate-example-mesh.mjs). */
export const EXAMPLE_MESH_PATCH = join(ROOT, 'scripts', 'example-mesh.patch');

/**
 * Copies the example mesh (`<repo>/mesh.config.yaml` and `<repo>/domains/`) into a new temp
 * directory, without what runs and builds generate (with `rendered`, as `mesh new` rendered it),
 * and returns that directory (the copy's repository root). Nothing else (no git repository, no root package.json): the caller adds what
 * its scenario needs.
 */
export function copyExampleMesh(options: CopyExampleMeshOptions = {}): string {
  const skip = options.skip ?? GENERATED_DIRS;
  const root = mkdtempSync(join(tmpdir(), options.prefix ?? 'meshkit-mesh-'));
  copyMesh(ROOT, root, { parts: ['domains'], skip });
  if (options.rendered) {
    // Only the files the copy holds (`skip` may leave some out); git apply works outside a repository too.
    execFileSync('git', ['apply', '--reverse', '--whitespace=nowarn', '--include=domains/*', EXAMPLE_MESH_PATCH], {
      cwd: root,
      stdio: 'pipe',
    });
  }
  return root;
}
