// The demo mesh the suites synthesize (packages/cli/demo/mesh): its path in one place, temp copies
// to edit, and the copy's files rewritten in place.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (the example mesh: mesh.config.yaml and domains/). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The demo mesh. */
export const DEMO_MESH = fileURLToPath(new URL('../../cli/demo/mesh/', import.meta.url));

/** What runs and builds write into a mesh: left out of a copy. */
const GENERATED = /[\\/](\.mesh|cdk\.out|node_modules)([\\/]|$)/;

/** A new temp copy of the demo mesh (`<tmp>/<prefix>XXXXXX`), edited by `edit(root)`; returns its root. */
export function demoMeshCopy(prefix: string, edit: (root: string) => void = () => {}): string {
  const root = mkdtempSync(join(tmpdir(), prefix));
  cpSync(DEMO_MESH, root, { recursive: true, filter: (s) => !GENERATED.test(s.slice(DEMO_MESH.length - 1)) });
  edit(root);
  return root;
}

/** Rewrites `file` with `f(its text)`. */
export function editFile(file: string, f: (text: string) => string): void {
  writeFileSync(file, f(readFileSync(file, 'utf8')));
}
