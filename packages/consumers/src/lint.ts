import {
  compareDiagnostics,
  errorDiagnostic,
  formatPath,
  resolveLintSettings,
  type Diagnostic,
  type LintRuleSetting,
  type MeshConfig,
  type Severity,
} from '@meshkit/contracts';
import type { CatalogBackend } from '@meshkit/catalog';
import { findConsumesCycles } from './cycles.js';
import { loadMeshModel, type MeshModel } from './mesh.js';
import { resolveConsumes } from './resolve.js';
import { manifestTagDiagnostics } from './manifest-tags.js';
import { shownFile } from './render.js';
import { productLintRules } from './rules/index.js';
import type { ProductLintRule } from './rules/types.js';

/** Options of {@link lintProducts} and {@link lintMesh}. */
export interface ProductLintOptions {
  /** The instant deprecation windows are judged at. @default new Date() */
  now?: Date;
  /**
   * Severity overrides by rule id (`off` disables a rule). Ids that are not product rules (the
   * `CONTRACT-…` ids of the same `contracts.lint.rules` map) are ignored here.
   * @default mesh.config.yaml `contracts.lint.rules`
   */
  rules?: Record<string, LintRuleSetting>;
  /** Lint only these products (`<domain>/<product>`); the whole mesh is still read to resolve edges. @default every product */
  only?: string[];
  /** Directory file names in diagnostics are made relative to. @default absolute paths */
  cwd?: string;
  /** @default loaded from `<root>/mesh.config.yaml` */
  config?: MeshConfig;
  /** @default the repository's local catalog */
  catalog?: CatalogBackend;
  /** An already loaded mesh (its config and catalog win). @default loaded from `root` */
  model?: MeshModel;
}

/** Result of {@link lintMesh}. */
export interface ProductLintResult {
  /** Every finding, sorted by file, line, column. Includes `unreadable`. */
  diagnostics: Diagnostic[];
  /** product.yaml or package.json files that could not be read (the CLI exits 2 on them). */
  unreadable: Diagnostic[];
  /** Source text by file name as it appears in the diagnostics (for code frames). */
  sources: Map<string, string>;
  /** The mesh that was linted. */
  model: MeshModel;
}

/**
 * The effective setting of every product rule. Overrides of ids outside the product pack are
 * ignored (they belong to the contract lint); a PRODUCT-… id that is not a rule, or a setting
 * other than off/warn/error, is an error.
 * @throws MeshError `INVALID_CONFIG` (exit 2)
 */
export function resolveProductLintSettings(
  overrides: Record<string, LintRuleSetting> = {},
): Map<ProductLintRule, LintRuleSetting> {
  // The contract lint engine's checks (unknown ids with suggestions, settings): rules as metadata only.
  const shims = productLintRules.map((r) => ({
    id: r.id,
    defaultSeverity: r.defaultSeverity,
    rationale: r.rationale,
    description: r.description,
    check: () => [],
  }));
  const settings = resolveLintSettings(overrides, shims);
  return new Map(productLintRules.map((r, i) => [r, settings.get(shims[i]!)!]));
}

/**
 * Lints the products of the repository at `root` with the product rules (consumes edges,
 * deprecation windows, package version, served majors). Diagnostics are located in product.yaml
 * (or package.json) with file:line:col.
 * @throws MeshError (exit 2) for an unreadable mesh.config.yaml or an invalid rule setting
 */
export async function lintMesh(root: string, options: ProductLintOptions = {}): Promise<ProductLintResult> {
  const model =
    options.model ??
    loadMeshModel(root, {
      ...(options.config ? { config: options.config } : {}),
      ...(options.catalog ? { catalog: options.catalog } : {}),
    });
  const settings = resolveProductLintSettings(options.rules ?? model.config.contracts.lint.rules);
  const now = options.now ?? new Date();
  const cycles = findConsumesCycles(model);
  const only = options.only ? new Set(options.only) : undefined;
  const diagnostics: Diagnostic[] = [];
  const unreadable: Diagnostic[] = [...model.unreadable];
  const sources = new Map<string, string>();
  for (const product of model.products.values()) {
    if (only && !only.has(product.ref)) continue;
    const ctx = {
      model,
      product,
      resolutions: await resolveConsumes(model, product),
      cycles: cycles.get(product.ref) ?? [],
      now,
    };
    for (const [rule, setting] of settings) {
      if (setting === 'off') continue;
      for (const f of rule.check(ctx)) {
        const severity: Severity = f.error || setting === 'error' ? 'error' : 'warning';
        let source = product.loadedManifest.source;
        if (f.file === 'package') {
          const pkg = product.readPackageJson();
          if (!pkg || 'error' in pkg) continue;
          source = pkg.source;
        }
        sources.set(source.file, source.text);
        diagnostics.push({
          rule: rule.id,
          severity,
          message: f.message,
          location: source.locate(f.path, { key: f.key ?? false }),
          path: formatPath(f.path),
          rationale: rule.rationale,
        });
      }
    }
    const pkg = product.readPackageJson();
    if (pkg && 'error' in pkg) unreadable.push(errorDiagnostic(pkg.file, pkg.error));
  }
  const tags = manifestTagDiagnostics(model, now, only);
  diagnostics.push(...tags.diagnostics);
  unreadable.push(...tags.unreadable);
  for (const [f, t] of tags.sources) sources.set(f, t);
  const all = [...diagnostics, ...unreadable];
  if (options.cwd) {
    const cwd = options.cwd;
    const name = (f: string) => shownFile(f, cwd);
    for (const d of all) d.location = { ...d.location, file: name(d.location.file) };
    const renamed = new Map([...sources].map(([f, t]) => [name(f), t] as const));
    sources.clear();
    for (const [f, t] of renamed) sources.set(f, t);
  }
  return { diagnostics: all.sort(compareDiagnostics), unreadable, sources, model };
}

/**
 * The product lint of the repository at `root` (see {@link lintMesh}): every diagnostic,
 * unreadable manifests included, sorted by position.
 */
export async function lintProducts(root: string, options: ProductLintOptions = {}): Promise<Diagnostic[]> {
  return (await lintMesh(root, options)).diagnostics;
}
