import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { MESH_CONFIG_FILE } from './load-config.js';
import { domainManifestFile } from '../repository/paths.js';

/** Top-level folders of a product that do not go into its stack (tests, samples, builds, local runs). */
const NOT_INPUTS = new Set(['cdk.out', 'node_modules', 'dist', '.mesh', 'test', 'fixtures', 'producer', '.turbo']);
/** Folders of a policy pack that do not change what it checks. */
const NOT_PACK_INPUTS = new Set(['node_modules', 'test', '.turbo', 'cdk.out', '.mesh']);
/** Top-level files of a product that do not go into its stack. */
const NOT_INPUT_FILES = new Set(['README.md', 'package.json', 'tsconfig.json', 'turbo.json', '.gitignore']);

/**
 * A digest of everything a stack of the mesh is synthesized from, so a cloud assembly can tell
 * it is stale (`mesh verify` refuses one): `mesh.config.yaml`, and for a domain its
 * `domain.yaml`, and for a product also every file of its folder that shapes its stack
 * (product.yaml, contracts, transform.sql, infra/, glue/, majors/ — not tests, fixtures,
 * README, package.json or build output). Content and relative paths are hashed; modification
 * times are not (a fresh checkout of the same commit is not stale).
 *
 * @param root repository root
 * @param domain the domain (omit for the platform stacks)
 * @param productDir the product folder (omit for a domain's foundation)
 * @param policyInputs folders of the organisation's policy packs (`mesh.config.yaml`
 *   `policy.packs`): every stack is checked by them, so their sources (not node_modules, tests,
 *   build caches or Markdown) are inputs of every stack
 */
export function stackInputsHash(
  root: string,
  domain?: string,
  productDir?: string,
  policyInputs: readonly string[] = [],
): string {
  const hash = createHash('sha256');
  const add = (file: string) => {
    hash.update(relative(root, file)).update('\0');
    hash.update(existsSync(file) ? readFileSync(file) : '').update('\0');
  };
  add(join(root, MESH_CONFIG_FILE));
  for (const pack of policyInputs) {
    const walk = (dir: string) => {
      for (const name of readdirSync(dir).sort()) {
        const p = join(dir, name);
        if (statSync(p).isDirectory()) {
          if (!NOT_PACK_INPUTS.has(name)) walk(p);
        } else if (!name.endsWith('.md')) {
          add(p);
        }
      }
    };
    if (existsSync(pack)) walk(pack);
  }
  if (domain !== undefined) add(domainManifestFile(root, domain));
  if (productDir !== undefined) {
    const walk = (dir: string, top: boolean) => {
      for (const name of readdirSync(dir).sort()) {
        const p = join(dir, name);
        if (statSync(p).isDirectory()) {
          if (!(top && NOT_INPUTS.has(name)) && name !== 'node_modules' && name !== '__pycache__') walk(p, false);
        } else if (!(top && NOT_INPUT_FILES.has(name))) {
          add(p);
        }
      }
    };
    walk(productDir, true);
  }
  return hash.digest('hex').slice(0, 32);
}
