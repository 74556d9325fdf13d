import { cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { MESH_CONFIG_FILE } from '../config/load-config.js';
import { DOMAINS_DIR } from './paths.js';

/**
 * What runs, synths, builds and installs generate in a mesh (`.mesh`, `cdk.out`, `node_modules`,
 * `.turbo`, `dist`, and the `<dir>.tmp-*` / `<dir>.old-*` of a directory being replaced by
 * `replaceDirectory`, which a concurrent build may remove while the copy reads it): left out
 * of a copy. Matched against a path relative to the mesh's root with a leading separator
 * (`/domains/sales/foundation/cdk.out`).
 */
export const GENERATED_DIRS = /[/\\](\.mesh|cdk\.out|node_modules|\.turbo|dist)(\.(tmp|old)-[^/\\]*)?([/\\]|$)/;

/** Options of {@link copyMesh}. */
export interface CopyMeshOptions {
  /** Folders of the mesh copied beside mesh.config.yaml (those that exist). @default ['platform', 'domains'] */
  parts?: readonly string[];
  /** Paths left out (relative to `from`, with a leading separator). @default {@link GENERATED_DIRS} */
  skip?: RegExp;
}

/**
 * Copies the mesh at `from` into `to` (created when missing): its mesh.config.yaml and `parts`,
 * without what runs and builds generate.
 */
export function copyMesh(from: string, to: string, options: CopyMeshOptions = {}): void {
  const skip = options.skip ?? GENERATED_DIRS;
  cpSync(join(from, MESH_CONFIG_FILE), join(to, MESH_CONFIG_FILE));
  for (const part of options.parts ?? ['platform', DOMAINS_DIR]) {
    if (!existsSync(join(from, part))) continue;
    cpSync(join(from, part), join(to, part), {
      recursive: true,
      filter: (src) => !skip.test(src.slice(from.replace(/[/\\]+$/, '').length)),
    });
  }
}
