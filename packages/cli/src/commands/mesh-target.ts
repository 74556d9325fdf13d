import { findRepoRoot, MeshError, MESH_CONFIG_FILE } from '@meshkit/contracts';
import type { MeshSelection } from '@meshkit/core';
import type { Io } from '../io.js';

const NAME = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

/** Parses `<domain>` or `<domain>/<product>` (lowercase kebab-case, 2–40 characters each). */
export function parseTarget(target: string | undefined): MeshSelection {
  if (!target) return {};
  const parts = target.split('/');
  const ok = (s: string | undefined) => s !== undefined && NAME.test(s) && s.length >= 2 && s.length <= 40;
  if (parts.length > 2 || !ok(parts[0]) || (parts.length === 2 && !ok(parts[1]))) {
    throw new MeshError(
      'USAGE',
      `'${target}' is not <domain> or <domain>/<product> (lowercase kebab-case, 2–40 characters each)`,
    );
  }
  return parts.length === 2 ? { domain: parts[0]!, product: parts[1]! } : { domain: parts[0]! };
}

/** The repository root (holding mesh.config.yaml) above the working directory. */
export function requireRepoRoot(io: Io): string {
  const root = findRepoRoot(io.cwd);
  if (!root)
    throw new MeshError('USAGE', `no ${MESH_CONFIG_FILE} found in ${io.cwd} or above: run inside a Meshkit repository`);
  return root;
}
