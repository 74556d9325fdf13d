/**
 * Fixture of the upgrade and check tests (also of @meshkit/cli's, as the development-only export
 * `@meshkit/domain-template/test/upgrade-fixture`): a git repository with one product rendered from
 * template v1 (this package's templates, copied), and a v2 of the templates built by copying v1
 * and changing a managed file, a merged file and a seeded file, adding a file and removing one.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  DEFAULT_TEMPLATE_DIR,
  provenanceOf,
  renderTemplate,
  templateVersions,
  writeProvenance,
  type Migration,
  type TemplateAnswers,
  type TemplateSource,
} from '../src/index.js';

export const ANSWERS: TemplateAnswers = {
  kind: 'product',
  domain: 'sales',
  product: 'orders',
  ingestion: 'batch',
  owner: 'team-sales',
  scope: '@example',
};
export const PRODUCT = 'domains/sales/products/orders';

/** Lines v2 changes; the tests build their expectations from them. */
export const V2 = {
  managedLine: '# v2: also ignore editor swap files',
  mergedLine: "// v2: the stack file's header gained this line",
  seededLine: 'v2: a README line no existing product gets',
  newFile: 'docs/RUNBOOK.md',
  newFileContent: '# Runbook of {{domain}}/{{product}}\n',
  removedFile: 'test/product.test.ts',
  cdkOld: '"aws-cdk-lib": "^2.276.0"',
  cdkNew: '"aws-cdk-lib": "^2.280.0"',
};

/** The v2 migration: a header on the team's transform.sql (a seeded file), idempotent. */
export const MIGRATION_HEADER = '-- meshkit 2.0.0: transform.sql is read by mesh run and the Glue job alike\n';
export const migration: Migration = {
  version: '2.0.0',
  id: '2.0.0-transform-header',
  description: 'header on transform.sql',
  apply(tree) {
    const sql = tree.get('transform.sql');
    if (sql !== undefined && !sql.startsWith(MIGRATION_HEADER)) tree.set('transform.sql', MIGRATION_HEADER + sql);
  },
};

export interface Fixture {
  root: string;
  product: string;
  v1: string;
  v2: string;
  templates: TemplateSource;
  git(...args: string[]): string;
  read(path: string): string;
  write(path: string, content: string): void;
  /** The product's v1 render by path. */
  v1Render: Map<string, string>;
  v2Render: Map<string, string>;
  cleanup(): void;
}

function replaceOnce(file: string, from: string, to: string): void {
  const text = readFileSync(file, 'utf8');
  if (!text.includes(from)) throw new Error(`fixture: ${from} not in ${file}`);
  writeFileSync(file, text.replace(from, to));
}

/** Builds the repository and commits the v1 product; `edit` runs before a second commit. */
export function makeFixture(): Fixture {
  const base = mkdtempSync(join(tmpdir(), 'meshkit-upgrade-'));
  const v1 = join(base, 'templates-v1');
  const v2 = join(base, 'templates-v2');
  cpSync(DEFAULT_TEMPLATE_DIR, v1, { recursive: true });
  cpSync(DEFAULT_TEMPLATE_DIR, v2, { recursive: true });
  // v2: a managed file, a merged file (header and a dependency line), a seeded file, a new file, a removed file.
  appendFileSync(join(v2, 'product/gitignore.hbs'), V2.managedLine + '\n');
  const stack = readFileSync(join(v2, 'product/infra/stack.ts.hbs'), 'utf8');
  writeFileSync(join(v2, 'product/infra/stack.ts.hbs'), V2.mergedLine + '\n' + stack);
  replaceOnce(join(v2, 'product/package.json.hbs'), V2.cdkOld, V2.cdkNew);
  appendFileSync(join(v2, 'product/README.md.hbs'), V2.seededLine + '\n');
  mkdirSync(join(v2, 'product/docs'), { recursive: true });
  writeFileSync(join(v2, 'product/docs/RUNBOOK.md.hbs'), V2.newFileContent);
  const manifest = JSON.parse(readFileSync(join(v2, 'manifest.json'), 'utf8')) as {
    product: Array<{ path: string; class: string }>;
  };
  manifest.product = manifest.product.filter((e) => e.path !== V2.removedFile);
  manifest.product.push({ path: V2.newFile, class: 'managed' });
  writeFileSync(join(v2, 'manifest.json'), JSON.stringify(manifest, null, 2));

  const root = join(base, 'repo');
  const product = join(root, PRODUCT);
  mkdirSync(product, { recursive: true });
  writeFileSync(join(root, 'mesh.config.yaml'), 'organisation: example\nnpmScope: "@example"\n');
  mkdirSync(join(root, '.changeset'));
  writeFileSync(join(root, '.changeset/config.json'), '{}\n');
  const rendered = renderTemplate(ANSWERS, { templateDir: v1, version: '1.0.0' });
  for (const f of rendered) {
    mkdirSync(dirname(join(product, f.path)), { recursive: true });
    writeFileSync(join(product, f.path), f.content);
  }
  writeProvenance(product, provenanceOf(rendered, ANSWERS, '1.0.0'));
  const git = (...args: string[]): string =>
    execFileSync(
      'git',
      ['-c', 'user.name=test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', ...args],
      { cwd: root, encoding: 'utf8' },
    );
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'v1 product');
  return {
    root,
    product,
    v1,
    v2,
    templates: templateVersions({ '1.0.0': v1, '2.0.0': v2 }),
    git,
    read: (p) => readFileSync(join(product, p), 'utf8'),
    write: (p, c) => {
      mkdirSync(dirname(join(product, p)), { recursive: true });
      writeFileSync(join(product, p), c);
    },
    v1Render: new Map(rendered.map((f) => [f.path, f.content])),
    v2Render: new Map(renderTemplate(ANSWERS, { templateDir: v2, version: '2.0.0' }).map((f) => [f.path, f.content])),
    cleanup: () => rmSync(base, { recursive: true, force: true }),
  };
}

/** Commits whatever the test changed (the product must be clean to upgrade). */
export function commit(f: Fixture, message = 'local edits'): void {
  f.git('add', '-A');
  f.git('commit', '-q', '-m', message);
}
