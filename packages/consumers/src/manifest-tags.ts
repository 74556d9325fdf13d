/**
 * The manifest tag checks of `mesh lint`: mandatory tags of mesh.config.yaml `policy.tags` in
 * domain.yaml and product.yaml (MANIFEST-TAG-REQUIRED, -VALUE, -RESERVED), located at
 * file:line:col — the same checks `loadMesh` runs (at error level) before any synth.
 */
import { existsSync } from 'node:fs';
import {
  checkDomainTags,
  checkProductTags,
  DEFAULT_TAG_REQUIREMENTS,
  domainManifestFile,
  errorDiagnostic,
  loadDomainManifest,
  MeshError,
  type Diagnostic,
  type DomainManifest,
  type Loaded,
  type TagFinding,
} from '@meshkit/contracts';
import type { MeshModel } from './mesh.js';

const RATIONALE =
  "Ownership, cost allocation and the organisation's own keys (mesh.config.yaml policy.tags) come from these tags; MESH-TAG-MANDATORY fails synth without them.";

/** Diagnostics of the tags of every domain (with products in `only`, else all) and product; sources by file for code frames. */
export function manifestTagDiagnostics(
  model: MeshModel,
  now: Date,
  only?: ReadonlySet<string>,
): { diagnostics: Diagnostic[]; unreadable: Diagnostic[]; sources: Map<string, string> } {
  const reqs = model.config.policy.tags ?? DEFAULT_TAG_REQUIREMENTS;
  const diagnostics: Diagnostic[] = [];
  const unreadable: Diagnostic[] = [];
  const sources = new Map<string, string>();
  const domains = new Map<string, Loaded<DomainManifest> | undefined>();
  const put = (loaded: Loaded<unknown>, findings: readonly TagFinding[]) => {
    if (!findings.length) return;
    sources.set(loaded.source.file, loaded.source.text);
    for (const f of findings) {
      diagnostics.push({
        rule: f.rule,
        severity: f.level,
        message: f.message,
        location: loaded.source.locate(f.path, { key: f.key }),
        rationale: RATIONALE,
      });
    }
  };
  for (const product of model.products.values()) {
    if (only && !only.has(product.ref)) continue;
    if (!domains.has(product.domain)) {
      const file = domainManifestFile(model.root, product.domain);
      let loaded: Loaded<DomainManifest> | undefined;
      if (existsSync(file)) {
        try {
          loaded = loadDomainManifest(file);
          put(loaded, checkDomainTags(reqs, loaded.value, now));
        } catch (e) {
          if (!(e instanceof MeshError)) throw e;
          unreadable.push(errorDiagnostic(file, e));
        }
      }
      domains.set(product.domain, loaded);
    }
    put(
      product.loadedManifest,
      checkProductTags(reqs, domains.get(product.domain)?.value ?? {}, product.manifest, now),
    );
  }
  return { diagnostics, unreadable, sources };
}
