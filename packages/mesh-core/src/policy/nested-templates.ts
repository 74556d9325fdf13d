/**
 * Nested stacks (CDK `NestedStack`) in a cloud assembly: their templates are file assets of the
 * top-level stack (`*.nested.template.json`), referenced by the parent's
 * `AWS::CloudFormation::Stack` resource through the asset's hash in its `TemplateURL`. Neither
 * the manifest's stack artifacts nor CDK's validation context (`stackTemplates`) list them, so
 * the pack finds them through the asset manifests of the assembly directory.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CfnTemplate } from './template-context.js';

/** A nested stack's template found in the assembly, with its own nested stacks. */
export interface NestedTemplate {
  /** Logical id of the `AWS::CloudFormation::Stack` resource in the parent template. */
  readonly logicalId: string;
  /** Path of the nested stack relative to its top-level stack (e.g. `Inner/Deeper`), when the asset says. */
  readonly relativePath: string | undefined;
  readonly templateFile: string;
  readonly template: CfnTemplate;
  readonly nested: readonly NestedTemplate[];
}

interface FileAsset {
  readonly file: string;
  readonly displayName: string | undefined;
}

const HASH = /[0-9a-f]{64}/g;
const SUFFIX = ' Nested Stack Template';

/** File assets of every asset manifest in `dir`, by hash (also by `source.path`). Read once per directory. */
function fileAssets(dir: string, cache: Map<string, Map<string, FileAsset>>): Map<string, FileAsset> {
  let m = cache.get(dir);
  if (m) return m;
  m = new Map();
  cache.set(dir, m);
  if (!existsSync(dir)) return m;
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.assets.json')) continue;
    let manifest: { files?: Record<string, { displayName?: string; source?: { path?: string; packaging?: string } }> };
    try {
      manifest = JSON.parse(readFileSync(join(dir, name), 'utf8')) as typeof manifest;
    } catch {
      continue;
    }
    for (const [hash, f] of Object.entries(manifest.files ?? {})) {
      const p = f.source?.path;
      if (typeof p !== 'string' || !p.endsWith('.json') || (f.source?.packaging ?? 'file') !== 'file') continue;
      const asset = { file: join(dir, p), displayName: f.displayName };
      m.set(hash, asset);
      m.set(p, asset);
    }
  }
  return m;
}

/** Strings of a JSON value (intrinsics included), for finding an asset hash in a TemplateURL. */
function* strings(v: unknown): Generator<string> {
  if (typeof v === 'string') yield v;
  else if (Array.isArray(v)) for (const x of v) yield* strings(x);
  else if (v && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) {
      yield k;
      yield* strings(x);
    }
}

/**
 * The nested stacks of `template` (an assembly's template in `dir`), recursively, with their
 * templates. A nested stack whose template is not in the assembly (an external `TemplateURL`) is
 * not returned: MESH-RES-UNKNOWN-TYPE reports it.
 */
export function nestedTemplatesOf(
  dir: string,
  template: CfnTemplate,
  cache = new Map<string, Map<string, FileAsset>>(),
  seen = new Set<string>(),
): NestedTemplate[] {
  const out: NestedTemplate[] = [];
  for (const [logicalId, r] of Object.entries(template.Resources ?? {})) {
    if (!r || typeof r.Type !== 'string' || r.Type.toLowerCase() !== 'aws::cloudformation::stack') continue;
    const assets = fileAssets(dir, cache);
    let asset: FileAsset | undefined;
    const assetPath = r.Metadata?.['aws:asset:path'];
    if (typeof assetPath === 'string')
      asset = assets.get(assetPath) ?? { file: join(dir, assetPath), displayName: undefined };
    if (!asset) {
      for (const s of strings(r.Properties?.TemplateURL)) {
        for (const h of s.match(HASH) ?? []) asset = asset ?? assets.get(h);
      }
    }
    if (!asset || seen.has(asset.file) || !existsSync(asset.file)) continue;
    let nested: CfnTemplate;
    try {
      nested = JSON.parse(readFileSync(asset.file, 'utf8')) as CfnTemplate;
    } catch {
      continue;
    }
    const inner = new Set(seen).add(asset.file);
    const name = asset.displayName;
    out.push({
      logicalId,
      relativePath: name?.endsWith(SUFFIX) ? name.slice(0, -SUFFIX.length) : undefined,
      templateFile: asset.file,
      template: nested,
      nested: nestedTemplatesOf(dir, nested, cache, inner),
    });
  }
  return out;
}
