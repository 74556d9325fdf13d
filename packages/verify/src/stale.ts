import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  domainManifestFile,
  findProducts,
  INPUTS_METADATA_KEY,
  PRODUCT_MANIFEST_FILE,
  productDir,
  stackInputsHash,
} from '@meshkit/contracts';
import type { CloudAssembly } from './assembly/load.js';

/**
 * Why the cloud assembly does not show the repository at `root` any more, one reason per stale
 * stack: a stack whose inputs changed since `mesh synth` (its digest differs — policy packs it
 * recorded included), a product without
 * a stack, a stack of a product that is gone. Empty when it is current.
 */
export function staleStacks(assembly: CloudAssembly, root: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const s of assembly.stacks) {
    const meta = s.template.Metadata?.[INPUTS_METADATA_KEY] as
      { hash?: string; domain?: string; product?: string; packs?: string[] } | undefined;
    if (!meta?.hash) continue;
    if (meta.product) seen.add(`${meta.domain}/${meta.product}`);
    const dir = meta.product ? productDir(root, meta.domain!, meta.product) : undefined;
    if (dir && !existsSync(join(dir, PRODUCT_MANIFEST_FILE))) {
      out.push(`${s.name} (${meta.domain}/${meta.product} is no longer in the repository)`);
      continue;
    }
    if (meta.domain && !existsSync(domainManifestFile(root, meta.domain))) {
      out.push(`${s.name} (domain ${meta.domain} is no longer in the repository)`);
      continue;
    }
    // The organisation's policy packs the stack was checked with are inputs too (mesh synth records their folders).
    if (
      stackInputsHash(
        root,
        meta.domain,
        dir,
        (meta.packs ?? []).map((p) => join(root, p)),
      ) !== meta.hash
    )
      out.push(
        `${s.name} (${meta.product ? `${meta.domain}/${meta.product}` : (meta.domain ?? 'mesh.config.yaml')} changed since it was synthesized)`,
      );
  }
  // Products added since (only when the assembly is of the whole mesh: it has a platform stack).
  const whole = assembly.stacks.some((s) => {
    const m = s.template.Metadata?.[INPUTS_METADATA_KEY] as { domain?: string } | undefined;
    return m !== undefined && m.domain === undefined;
  });
  if (whole)
    for (const p of findProducts(root))
      if (!seen.has(`${p.domain}/${p.product}`))
        out.push(`(none) for ${p.domain}/${p.product}, which has no stack in the assembly`);
  return out;
}
