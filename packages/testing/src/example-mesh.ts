/**
 * A temp copy of the repository's example mesh, the fixture many suites start from.
 */
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './repo.js';

/** What runs, synths, builds and installs generate in a mesh: left out of a copy. Matches a path relative to the repository root with a leading separator (`/domains/sales/foundation/cdk.out`). */
export const GENERATED_DIRS = /[/\\](\.mesh|cdk\.out|node_modules|\.turbo|dist)([/\\]|$)/;

/** Options of {@link copyExampleMesh}. */
export interface CopyExampleMeshOptions {
  /** Prefix of the temp directory's name. @default 'meshkit-mesh-' */
  prefix?: string;
  /** Paths left out, matched against the path relative to the repository root with a leading separator. @default {@link GENERATED_DIRS} */
  skip?: RegExp;
}

/**
 * Copies the example mesh (`<repo>/mesh.config.yaml` and `<repo>/domains/`) into a new temp
 * directory, without what runs and builds generate, and returns that directory (the copy's
 * repository root). Nothing else (no git repository, no root package.json): the caller adds what
 * its scenario needs.
 */
export function copyExampleMesh(options: CopyExampleMeshOptions = {}): string {
  const skip = options.skip ?? GENERATED_DIRS;
  const root = mkdtempSync(join(tmpdir(), options.prefix ?? 'meshkit-mesh-'));
  cpSync(join(ROOT, 'mesh.config.yaml'), join(root, 'mesh.config.yaml'));
  cpSync(join(ROOT, 'domains'), join(root, 'domains'), {
    recursive: true,
    filter: (s) => !skip.test(s.slice(ROOT.length - 1)),
  });
  return root;
}
