import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The demo mesh shipped with the CLI (packages/cli/demo/mesh). */
export const DEMO_MESH = fileURLToPath(new URL('../demo/mesh', import.meta.url));

/**
 * A fresh temp copy of the demo mesh, without what `npm run demo` leaves in it (`.mesh/` runs and
 * catalog, `cdk.out/`).
 * @param prefix temp directory name prefix
 */
export function copyDemoMesh(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cpSync(DEMO_MESH, dir, { recursive: true, filter: (s) => !s.includes('/.mesh') && !s.includes('cdk.out') });
  return dir;
}
