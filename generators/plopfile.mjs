// plop generators `domain` and `product` (plop 4 cannot load a TypeScript plopfile on Node 20).
// No business logic here: the answers are validated and rendered by @meshkit/domain-template and
// written with its writeRendered (staged, then moved into place). `mesh new` is the same thing
// without plop; turbo/generators/config.js at the repository root delegates here for `turbo gen`.
//
//   npx plop --plopfile generators/plopfile.mjs product sales orders batch team-sales
//   npx turbo gen product --args sales orders batch team-sales
//
// No prompt has a `when` (plop#226: answers of such prompts cannot be passed on the command line).
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  domainDir,
  domainManifestFile,
  findRepoRoot,
  loadDomainManifest,
  loadMeshConfig,
  MESH_CONFIG_FILE,
  productDir,
} from '@meshkit/contracts';
import {
  answerDefaults,
  PROVENANCE_FILE,
  provenanceOf,
  renderTemplate,
  serializeProvenance,
  templateVersion,
  validateAnswers,
  nameProblem,
  writeRendered,
} from '@meshkit/domain-template';

const name = (what) => (v) => (nameProblem(String(v)) ? `${what} name '${v}' ${nameProblem(String(v))}` : true);

/** The answers of `data` (empty ones take the defaults `mesh new` takes), validated. */
function answersOf(kind, data, root) {
  const scope = loadMeshConfig(join(root, MESH_CONFIG_FILE)).value.npmScope;
  if (kind === 'domain') {
    const defaults = answerDefaults(data.domain);
    return {
      kind,
      domain: data.domain,
      owner: data.owner || defaults.owner,
      scope,
      costCenter: data.costCenter || defaults.costCenter,
    };
  }
  const domainFile = nameProblem(String(data.domain)) ? undefined : domainManifestFile(root, data.domain);
  const domainOwner = domainFile && existsSync(domainFile) ? loadDomainManifest(domainFile).value.owner : undefined;
  const defaults = answerDefaults(data.domain, domainOwner);
  return {
    kind,
    domain: data.domain,
    product: data.product,
    ingestion: data.ingestion || defaults.ingestion,
    owner: data.owner || defaults.owner,
    scope,
  };
}

/** Renders `answers` into `dir` (relative to the repository root); refuses to overwrite. */
function renderAction(kind) {
  return (data, _config, plop) => {
    const from = plop.getDestBasePath();
    const root = findRepoRoot(from);
    if (!root) throw new Error(`no ${MESH_CONFIG_FILE} at or above ${from}`);
    const answers = answersOf(kind, data, root);
    validateAnswers(answers);
    const dir = kind === 'domain' ? domainDir(root, answers.domain) : productDir(root, answers.domain, answers.product);
    if (kind === 'product' && !existsSync(domainManifestFile(root, answers.domain)))
      throw new Error(`unknown domain '${answers.domain}': generate it first`);
    if (existsSync(dir) && (kind === 'product' || existsSync(domainManifestFile(root, answers.domain))))
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
      { type: 'input', name: 'owner', message: "Owning team (empty: the domain's owner)", default: '' },
    ],
    actions: [renderAction('product')],
  });
}
