import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { maxBump, type Bump } from '../diff/verdict.js';
import { MeshError } from '../errors.js';

const BUMPS = new Set<string>(['major', 'minor', 'patch', 'none']);
const FRONT_MATTER = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)\r?\n?---[ \t]*(?:\r?\n|$)/;

/**
 * The largest bump that the pending changesets (`<repoRoot>/.changeset/*.md`, except README.md)
 * declare for `packageName` in their YAML front matter; `undefined` when the folder does not
 * exist or no changeset names the package.
 *
 * @throws MeshError (YAML_SYNTAX, exit 2) when a changeset's front matter is not valid YAML or
 * declares an unknown bump for the package.
 */
export function pendingChangesetBump(repoRoot: string, packageName: string): Bump | undefined {
  const dir = join(repoRoot, '.changeset');
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return undefined;
  }
  let bump: Bump | undefined;
  for (const name of names.sort()) {
    if (!name.endsWith('.md') || name.toLowerCase() === 'readme.md') continue;
    const file = join(dir, name);
    const m = FRONT_MATTER.exec(readFileSync(file, 'utf8'));
    if (!m) continue;
    let data: unknown;
    try {
      data = parse(m[1]!);
    } catch (e) {
      throw new MeshError('YAML_SYNTAX', `invalid front matter in changeset: ${(e as Error).message.split('\n')[0]}`, {
        file,
        cause: e,
      });
    }
    if (data === null || typeof data !== 'object' || !(packageName in data)) continue;
    const value = (data as Record<string, unknown>)[packageName];
    if (typeof value !== 'string' || !BUMPS.has(value)) {
      throw new MeshError(
        'YAML_SYNTAX',
        `changeset declares ${JSON.stringify(value)} for ${packageName}: expected major, minor, patch or none`,
        { file },
      );
    }
    bump = bump === undefined ? (value as Bump) : maxBump(bump, value as Bump);
  }
  return bump;
}
