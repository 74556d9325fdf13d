import { findRepoRoot, isMeshName, MeshError, MESH_CONFIG_FILE } from '@meshkit/contracts';
import type { MeshSelection } from '@meshkit/core';
import type { Io } from '../io.js';

/** Parses `<domain>` or `<domain>/<product>` (lowercase kebab-case, 2–40 characters each). */
export function parseTarget(target: string | undefined): MeshSelection {
  if (!target) return {};
  const [domain, product, ...rest] = target.split('/');
  if (rest.length || !isMeshName(domain) || (product !== undefined && !isMeshName(product))) {
    throw new MeshError(
      'USAGE',
      `'${target}' is not <domain> or <domain>/<product> (lowercase kebab-case, 2–40 characters each)`,
    );
  }
  return product !== undefined ? { domain, product } : { domain };
}

/** The repository root (holding mesh.config.yaml) above the working directory. */
export function requireRepoRoot(io: Io): string {
  const root = findRepoRoot(io.cwd);
  if (!root)
    throw new MeshError('USAGE', `no ${MESH_CONFIG_FILE} found in ${io.cwd} or above: run inside a Meshkit repository`);
  return root;
}
