// plop generators `domain` and `product` (plop 4 cannot load a TypeScript plopfile on Node 20).
// No business logic here: the answers are validated and rendered by @meshkit/domain-template and
// written with its writeRendered (staged, then moved into place). `mesh new` is the same thing
// without plop; turbo/generators/config.js at the repository root delegates here for `turbo gen`.
//
//   npx plop --plopfile generators/plopfile.mjs product sales orders batch team-sales
//   npx turbo gen product --args sales orders batch team-sales
//
// No prompt has a `when` (plop#226: answers of such prompts cannot be passed on the command line).
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  PROVENANCE_FILE,
  provenanceOf,
  renderTemplate,
  serializeProvenance,
  templateVersion,
  validateAnswers,
  nameProblem,
  writeRendered,
} from '@meshkit/domain-template';

/** The repository root (holding mesh.config.yaml) at or above `from`. */
function repoRoot(from) {
  for (let dir = from; ; dir = join(dir, '..')) {
    if (existsSync(join(dir, 'mesh.config.yaml'))) return dir;
    if (join(dir, '..') === dir) throw new Error(`no mesh.config.yaml at or above ${from}`);
  }
}

/** npm scope from mesh.config.yaml (`npmScope: "@acme"`). */
function scopeOf(root) {
  const m = /^npmScope:\s*["']?(@[a-z0-9._-]+)["']?\s*$/m.exec(readFileSync(join(root, 'mesh.config.yaml'), 'utf8'));
  if (!m) throw new Error('mesh.config.yaml has no npmScope');
  return m[1];
}

const name = (what) => (v) => (nameProblem(String(v)) ? `${what} name '${v}' ${nameProblem(String(v))}` : true);

/** Renders `answers` into `dir` (relative to the repository root); refuses to overwrite. */
function renderAction(kind) {
  return (data, _config, plop) => {
    const root = repoRoot(plop.getDestBasePath());
    const answers =
      kind === 'domain'
        ? {
            kind,
            domain: data.domain,
            owner: data.owner || `team-${data.domain}`,
            scope: scopeOf(root),
            costCenter: data.costCenter || `cc-${data.domain}`,
          }
        : {
            kind,
            domain: data.domain,
            product: data.product,
            ingestion: data.ingestion || 'batch',
            owner: data.owner || `team-${data.domain}`,
            scope: scopeOf(root),
          };
    validateAnswers(answers);
    const dir =
      kind === 'domain'
        ? join(root, 'domains', answers.domain)
        : join(root, 'domains', answers.domain, 'products', answers.product);
    if (kind === 'product' && !existsSync(join(root, 'domains', answers.domain, 'domain.yaml')))
      throw new Error(`unknown domain '${answers.domain}': generate it first`);
    if (existsSync(dir) && (kind === 'product' || existsSync(join(dir, 'domain.yaml'))))
      throw new Error(`${relative(root, dir)} already exists`);
    const version = templateVersion();
    const files = renderTemplate(answers, { version });
    writeRendered(root, dir, [
      ...files,
      { path: PROVENANCE_FILE, content: serializeProvenance(provenanceOf(files, answers, version)) },
    ]);
    return `${relative(root, dir)}: ${files.length} files and ${PROVENANCE_FILE}`;
  };
}

/** @param {import('node-plop').NodePlopAPI} plop */
export default function (plop) {
  plop.setGenerator('domain', {
    description: 'a domain: domain.yaml and its foundation package',
    prompts: [
      { type: 'input', name: 'domain', message: 'Domain name (kebab-case)', validate: name('domain') },
      { type: 'input', name: 'owner', message: 'Owning team (empty: team-<domain>)', default: '' },
      { type: 'input', name: 'costCenter', message: 'Cost center (empty: cc-<domain>)', default: '' },
    ],
    actions: [renderAction('domain')],
  });
  plop.setGenerator('product', {
    description: 'a data product: contract, transform, Glue job, CDK stack, fixtures, tests',
    prompts: [
      { type: 'input', name: 'domain', message: 'Domain', validate: name('domain') },
      { type: 'input', name: 'product', message: 'Product name (kebab-case)', validate: name('product') },
      { type: 'list', name: 'ingestion', message: 'Ingestion', choices: ['batch', 'stream'], default: 'batch' },
      { type: 'input', name: 'owner', message: 'Owning team (empty: team-<domain>)', default: '' },
    ],
    actions: [renderAction('product')],
  });
}
