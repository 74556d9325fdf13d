import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { MeshError } from '@meshkit/contracts';

/**
 * How a rendered file is owned after generation:
 * - `managed`: the template owns it; always regenerated, carries a "generated — do not edit"
 *   marker where the format has comments; `mesh check` reports hand edits as drift.
 * - `seeded`: written once; the team owns it and upgrades never touch it.
 * - `merged`: both edit it; upgrades 3-way merge base (recorded render) / theirs (new render) /
 *   ours (working tree).
 */
export type FileClass = 'managed' | 'seeded' | 'merged';

/** One file of a render, in memory. */
export interface RenderedFile {
  /** Path relative to the rendered directory (the product or domain folder), posix separators. */
  path: string;
  content: string;
  class: FileClass;
}

/** The answers a domain or product is rendered from (validated by schemas/answers.schema.json). */
export interface TemplateAnswers {
  /** What to render. */
  kind: 'domain' | 'product';
  /** Domain name (lowercase kebab-case, 2–40 characters). */
  domain: string;
  /** Product name (kind `product` only). */
  product?: string;
  /** Ingestion variant (kind `product` only). @default 'batch' */
  ingestion?: 'batch' | 'stream';
  /** Owning team, e.g. `team-sales`. */
  owner: string;
  /** npm scope of the generated packages (from mesh.config.yaml `npmScope`), e.g. `@example`. */
  scope: string;
  /** Cost center of the domain (kind `domain` only). @default `cc-<domain>` */
  costCenter?: string;
  /** One-line description. @default a sentence naming the domain or product */
  description?: string;
}

/** Options of {@link renderTemplate}. */
export interface RenderOptions {
  /** Template directory (holding `manifest.json`). @default this package's `templates/` */
  templateDir?: string;
  /** Template version recorded in the output. @default this package's version */
  version?: string;
  /**
   * Versions of the `@meshkit/*` packages the rendered package.json files depend on, by short
   * name (`cli`, `contracts`, `core`, `runtime`).
   * @default the installed packages' versions ({@link installedMeshkitVersions}), so a product
   *   rendered after a release depends on what the repository has, and installs offline
   */
  meshkitVersions?: Readonly<Record<MeshkitPackage, string>>;
}

/** The `@meshkit/*` packages rendered package.json files depend on. */
export const MESHKIT_PACKAGES = ['cli', 'contracts', 'core', 'runtime'] as const;
export type MeshkitPackage = (typeof MESHKIT_PACKAGES)[number];

const installed = new Map<string, Readonly<Record<MeshkitPackage, string>>>();
/**
 * Versions of the installed `@meshkit/*` packages: their package.json in the `node_modules` of
 * `root` (the repository rendered into) and its parents, then on this package's own module
 * paths — as npm installs them or links workspaces, so after a release (`mesh version`) the
 * bumped versions. A package not installed takes this package's version.
 * @param root repository root @default this package's location only
 */
export function installedMeshkitVersions(root?: string): Readonly<Record<MeshkitPackage, string>> {
  const key = root ?? '';
  const hit = installed.get(key);
  if (hit) return hit;
  const paths = [
    ...(root === undefined ? [] : (createRequire(join(root, 'package.json')).resolve.paths('@meshkit/core') ?? [])),
    ...(createRequire(import.meta.url).resolve.paths('@meshkit/core') ?? []),
  ];
  const versionOf = (name: MeshkitPackage): string => {
    for (const dir of paths) {
      const file = join(dir, '@meshkit', name, 'package.json');
      if (!existsSync(file)) continue;
      const v = (JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown }).version;
      if (typeof v === 'string') return v;
    }
    return templateVersion();
  };
  const versions = Object.fromEntries(MESHKIT_PACKAGES.map((n) => [n, versionOf(n)])) as Record<MeshkitPackage, string>;
  // Not cached for a repository: a release changes them while a process (a test, a server) runs.
  if (root === undefined) installed.set(key, versions);
  return versions;
}

/** One entry of `templates/manifest.json`. */
export interface TemplateEntry {
  /** Output path (Handlebars expressions allowed), relative to the rendered directory. */
  path: string;
  /** Template source, relative to the template directory. @default `<kind>/<path>.hbs` */
  source?: string;
  class: FileClass;
  /** Only for this ingestion variant. @default both */
  ingestion?: 'batch' | 'stream';
}

/** `templates/manifest.json`: the files of each kind and their classes. */
export interface TemplateManifest {
  domain: TemplateEntry[];
  product: TemplateEntry[];
  platform?: TemplateEntry[];
}

/** This package's name, recorded in provenance. */
export const TEMPLATE_PACKAGE = '@meshkit/domain-template';

/** Default template directory: `templates/` of this package (from `src/` and `dist/` alike). */
export const DEFAULT_TEMPLATE_DIR = fileURLToPath(new URL('../templates', import.meta.url));

let ownVersion: string | undefined;
/** This package's version (its changesets version), the default template version. */
export function templateVersion(): string {
  ownVersion ??= (
    JSON.parse(readFileSync(fileURLToPath(new URL('../package.json', import.meta.url)), 'utf8')) as { version: string }
  ).version;
  return ownVersion;
}

interface Compiled {
  manifest: TemplateManifest;
  templates: Map<string, Handlebars.TemplateDelegate>;
  hbs: typeof Handlebars;
}
const cache = new Map<string, Compiled>();

function load(templateDir: string): Compiled {
  const hit = cache.get(templateDir);
  if (hit) return hit;
  const file = join(templateDir, 'manifest.json');
  let manifest: TemplateManifest;
  try {
    manifest = JSON.parse(readFileSync(file, 'utf8')) as TemplateManifest;
  } catch (e) {
    throw new MeshError('FILE_NOT_FOUND', `cannot read the template manifest: ${(e as Error).message}`, {
      file,
      cause: e,
    });
  }
  const hbs = Handlebars.create();
  hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  // A JSON string literal: also a valid YAML double-quoted scalar, for free text in YAML and JSON.
  hbs.registerHelper('json', (v: unknown) => JSON.stringify(v));
  const compiled: Compiled = { manifest, templates: new Map(), hbs };
  cache.set(templateDir, compiled);
  return compiled;
}

function template(c: Compiled, templateDir: string, source: string): Handlebars.TemplateDelegate {
  let t = c.templates.get(source);
  if (!t) {
    const text = readFileSync(join(templateDir, source), 'utf8');
    // noEscape: the outputs are YAML, SQL, Python, TS, JSON — never HTML. strict: a missing
    // answer is an error, not an empty string.
    t = c.hbs.compile(text, { noEscape: true, strict: true });
    c.templates.set(source, t);
  }
  return t;
}

const snake = (s: string): string => s.replace(/-/g, '_');
const title = (s: string): string =>
  s
    .split('-')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(' ');
const pascal = (s: string): string =>
  s
    .split('-')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');

/** The values templates see: the answers, their defaults and derived names, the `@meshkit/*` versions. */
export function templateContext(
  answers: TemplateAnswers,
  version: string,
  meshkit: Readonly<Record<MeshkitPackage, string>> = installedMeshkitVersions(),
): Record<string, unknown> {
  const product = answers.product ?? '';
  const ingestion = answers.ingestion ?? 'batch';
  return {
    ...answers,
    product,
    ingestion,
    batch: ingestion === 'batch',
    stream: ingestion === 'stream',
    costCenter: answers.costCenter ?? `cc-${answers.domain}`,
    description:
      answers.description ??
      (answers.kind === 'product'
        ? `${title(product)} of the ${answers.domain} domain.`
        : `The ${answers.domain} domain.`),
    templatePackage: TEMPLATE_PACKAGE,
    templateVersion: version,
    meshkit,
    domainSnake: snake(answers.domain),
    productSnake: snake(product),
    domainTitle: title(answers.domain),
    productTitle: title(product),
    productPascal: pascal(product),
    packageName:
      answers.kind === 'product'
        ? `${answers.scope}/${answers.domain}.${product}`
        : `${answers.scope}/${answers.domain}.foundation`,
    contractId: `${answers.domain}-${product}`,
    /** The version of a new contract, also written as the package version (they are always equal). */
    contractVersion: '1.0.0',
  };
}

/**
 * Renders a domain or product in memory: pure (reads only the template directory) and
 * deterministic (same answers, template and version → same bytes). Files come sorted by path.
 * @throws MeshError when the template manifest cannot be read or a template is invalid.
 */
export function renderTemplate(answers: TemplateAnswers, options: RenderOptions = {}): RenderedFile[] {
  const templateDir = options.templateDir ?? DEFAULT_TEMPLATE_DIR;
  const version = options.version ?? templateVersion();
  const c = load(templateDir);
  const entries = c.manifest[answers.kind];
  if (!entries)
    throw new MeshError('USAGE', `the template has no kind '${answers.kind}'`, {
      file: join(templateDir, 'manifest.json'),
    });
  return renderEntries(
    c,
    templateDir,
    answers.kind,
    entries,
    templateContext(answers, version, options.meshkitVersions),
  );
}

/** Prefix of the organisation's rule ids, from its npm scope: `@acme-corp` → `ACME-CORP`. */
export const rulePrefixOf = (scope: string): string =>
  scope
    .replace(/^@/, '')
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .replace(/^(\d)/, 'O$1') || 'ORG';

/** Inputs of {@link renderPlatform}. */
export interface PlatformAnswers {
  /** npm scope, e.g. `@example`. */
  scope: string;
  organisation: string;
}

/**
 * Renders the account-level `platform/` package (a workspace whose `synth` script synthesizes
 * the mesh with its platform stack). Pure and deterministic like {@link renderTemplate}.
 */
export function renderPlatform(answers: PlatformAnswers, options: RenderOptions = {}): RenderedFile[] {
  const templateDir = options.templateDir ?? DEFAULT_TEMPLATE_DIR;
  const version = options.version ?? templateVersion();
  const c = load(templateDir);
  const ctx = {
    ...answers,
    templatePackage: TEMPLATE_PACKAGE,
    templateVersion: version,
    packageName: `${answers.scope}/platform`,
    rulePrefix: rulePrefixOf(answers.scope),
    meshkit: options.meshkitVersions ?? installedMeshkitVersions(),
  };
  return renderEntries(c, templateDir, 'platform', c.manifest.platform ?? [], ctx);
}

function renderEntries(
  c: Compiled,
  templateDir: string,
  kind: string,
  entries: TemplateEntry[],
  ctx: Record<string, unknown>,
): RenderedFile[] {
  const out: RenderedFile[] = [];
  for (const e of entries) {
    if (e.ingestion && e.ingestion !== ctx['ingestion']) continue;
    const source = e.source ?? `${kind}/${e.path}.hbs`;
    let content: string;
    let path: string;
    try {
      path = c.hbs.compile(e.path, { noEscape: true, strict: true })(ctx);
      content = template(c, templateDir, source)(ctx);
    } catch (err) {
      if (err instanceof MeshError) throw err;
      throw new MeshError('USAGE', `template ${source} cannot be rendered: ${(err as Error).message}`, {
        file: join(templateDir, source),
        cause: err,
      });
    }
    out.push({ path, content, class: e.class });
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
