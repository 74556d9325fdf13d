import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root: its example mesh (domains/, mesh.config.yaml) is the fixture. */
export const REPO = fileURLToPath(new URL('../../../', import.meta.url));

/** The example mesh's sales/orders product folder, relative to a mesh root. */
export const ORDERS = 'domains/sales/products/orders';

const generated = (s: string) => /[/\\](\.mesh|cdk\.out|node_modules|\.turbo|dist)([/\\]|$)/.test(s);

/**
 * A fresh temp copy of the example mesh (domains/ and mesh.config.yaml, without build output),
 * not a git repository and with an empty catalog: nothing of it was released.
 * @param prefix temp directory name prefix
 */
export function copyExampleMesh(prefix: string): string {
  const root = mkdtempSync(join(tmpdir(), prefix));
  cpSync(join(REPO, 'domains'), join(root, 'domains'), { recursive: true, filter: (s) => !generated(s) });
  cpSync(join(REPO, 'mesh.config.yaml'), join(root, 'mesh.config.yaml'));
  return root;
}
