import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { createTwoFilesPatch } from 'diff';
import {
  domainDir,
  domainManifestFile,
  domainsDir,
  loadDomainManifest,
  loadMeshConfig,
  MESH_CONFIG_FILE,
  MeshError,
  productDir,
} from '@meshkit/contracts';
import {
  answerDefaults,
  installedMeshkitVersions,
  nameProblem,
  provenanceOf,
  renderPlatform,
  renderTemplate,
  serializeProvenance,
  templateVersion,
  validateAnswers,
  writeRendered,
  PROVENANCE_FILE,
  type RenderedFile,
  type TemplateAnswers,
} from '@meshkit/domain-template';
import { EXIT, type ExitCode } from '../exit.js';
import type { Io } from '../io.js';
import { requireRepoRoot } from './mesh-target.js';

/** Options of `mesh new domain` and `mesh new product`. */
export interface NewOptions {
  /** Owning team. @default the domain's owner (product), `team-<domain>` (domain) */
  owner?: string;
  /** Cost center of a new domain. @default `cc-<domain>` */
  costCenter?: string;
  /** Ingestion of a new product: `batch` or `stream`. @default 'batch' */
  ingestion?: string;
  /** One-line description. @default a sentence naming the domain or product */
  description?: string;
  /** Take the default of every answer not given as a flag (required without a terminal). @default false */
  yes?: boolean;
  /** Print every file and its diff against the disk; write nothing. @default false */
  dryRun?: boolean;
  /** Overwrite an existing domain or product and its files. @default false */
  force?: boolean;
  /** Asks one question (tests inject answers). @default a node:readline prompt on a terminal */
  prompt?: (question: string, defaultValue: string) => Promise<string>;
  /** Called after everything is staged, just before it is moved into place (tests inject failures). */
  beforeCommit?: () => void;
}

/** One answer `mesh new` may ask for. */
interface Question {
  key: 'owner' | 'costCenter' | 'ingestion';
  flag: string;
  text: string;
  default: string;
  given: string | undefined;
}

const usage = (message: string) => new MeshError('USAGE', message);

function checkName(what: 'domain' | 'product', name: string): void {
  const problem = nameProblem(name);
  if (problem) throw usage(`${what} name '${name}' ${problem}`);
}

/** Asks the questions not answered by flags: prompts on a terminal, defaults with --yes, else exit 2 naming the flags. */
async function answer(questions: Question[], options: NewOptions, io: Io): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const missing = questions.filter((q) => q.given === undefined);
  const interactive = options.prompt !== undefined || (io.isTTY && Boolean(process.stdin.isTTY));
  if (missing.length && !options.yes && !interactive) {
    throw usage(
      `no terminal to ask on: pass ${missing.map((q) => q.flag).join(', ')} or --yes to take the defaults (${missing.map((q) => `${q.flag.split(' ')[0]} ${q.default}`).join(', ')})`,
    );
  }
  let rl: ReturnType<typeof createInterface> | undefined;
  const ask =
    options.prompt ??
    (async (question: string, def: string) => {
      rl ??= createInterface({ input: process.stdin, output: process.stderr });
      return (await rl.question(`${question} (${def}) `)).trim() || def;
    });
  try {
    for (const q of questions) {
      out[q.key] = q.given ?? (options.yes ? q.default : (await ask(q.text, q.default)) || q.default);
    }
  } finally {
    rl?.close();
  }
  return out;
}

/** What to write: the rendered files and the provenance, relative to `dir`. */
interface Plan {
  root: string;
  dir: string;
  files: RenderedFile[];
  provenance: string;
  exists: boolean;
}

function plan(root: string, dir: string, answers: TemplateAnswers, exists: boolean): Plan {
  validateAnswers(answers);
  const version = templateVersion();
  const files = renderTemplate(answers, { version, meshkitVersions: installedMeshkitVersions(root) });
  return { root, dir, files, provenance: serializeProvenance(provenanceOf(files, answers, version)), exists };
}

const read = (file: string): string | undefined => (existsSync(file) ? readFileSync(file, 'utf8') : undefined);

function dryRun(p: Plan, io: Io): ExitCode {
  const all = [
    ...p.files.map((f) => ({ path: f.path, content: f.content, cls: f.class })),
    { path: PROVENANCE_FILE, content: p.provenance, cls: 'provenance' },
  ];
  let changes = 0;
  for (const f of all) {
    const shown = relative(p.root, join(p.dir, f.path)).split('\\').join('/');
    const before = read(join(p.dir, f.path));
    const verb = before === undefined ? 'create' : before === f.content ? 'unchanged' : 'overwrite';
    if (verb !== 'unchanged') changes++;
    io.stdout(`${verb} ${shown} (${f.cls})\n`);
    if (verb !== 'unchanged')
      io.stdout(
        createTwoFilesPatch(
          before === undefined ? '/dev/null' : `a/${shown}`,
          `b/${shown}`,
          before ?? '',
          f.content,
          undefined,
          undefined,
          { context: 3 },
        )
          .split('\n')
          .slice(1)
          .join('\n'),
      );
  }
  io.stdout(`dry run: ${changes} file(s) would change, nothing written\n`);
  return EXIT.OK;
}

function commit(p: Plan, options: NewOptions, io: Io): void {
  const files = [...p.files, { path: PROVENANCE_FILE, content: p.provenance }];
  writeRendered(p.root, p.dir, files, options.beforeCommit ? { beforeCommit: options.beforeCommit } : {});
  for (const f of files)
    io.stdout(`${p.exists ? 'wrote' : 'created'} ${relative(p.root, join(p.dir, f.path)).split('\\').join('/')}\n`);
}

function scopeOf(root: string): string {
  return loadMeshConfig(join(root, MESH_CONFIG_FILE)).value.npmScope;
}

/**
 * `mesh new domain <domain>`: renders `domains/<domain>/` (domain.yaml, the foundation package,
 * `.meshkit/provenance.json`). Exit 2 for a bad name, an existing domain without --force, or
 * missing answers without a terminal and without --yes.
 */
export async function newDomain(domain: string, options: NewOptions, io: Io): Promise<ExitCode> {
  checkName('domain', domain);
  const root = requireRepoRoot(io);
  const dir = domainDir(root, domain);
  const exists = existsSync(domainManifestFile(root, domain));
  if (exists && !options.force && !options.dryRun)
    throw usage(
      `domain '${domain}' already exists (domains/${domain}/domain.yaml): pass --force to render it again over its files`,
    );
  const defaults = answerDefaults(domain);
  const a = await answer(
    [
      { key: 'owner', flag: '--owner <team>', text: 'Owning team?', default: defaults.owner, given: options.owner },
      {
        key: 'costCenter',
        flag: '--cost-center <cc>',
        text: 'Cost center?',
        default: defaults.costCenter,
        given: options.costCenter,
      },
    ],
    options,
    io,
  );
  const answers: TemplateAnswers = {
    kind: 'domain',
    domain,
    owner: a['owner']!,
    scope: scopeOf(root),
    costCenter: a['costCenter']!,
    ...(options.description ? { description: options.description } : {}),
  };
  const p = plan(root, dir, answers, exists);
  if (options.dryRun) return dryRun(p, io);
  commit(p, options, io);
  io.stdout(`domain ${domain} ready: next, mesh new product ${domain}/<product>\n`);
  return EXIT.OK;
}

/**
 * `mesh new product <domain>/<product>`: renders `domains/<domain>/products/<product>/` from the
 * batch or stream template with `.meshkit/provenance.json`. Exit 2 for a bad name, an unknown
 * domain, an existing product without --force, or missing answers without a terminal and
 * without --yes.
 */
export async function newProduct(ref: string, options: NewOptions, io: Io): Promise<ExitCode> {
  const parts = ref.split('/');
  if (parts.length !== 2)
    throw usage(`'${ref}' is not <domain>/<product> (lowercase kebab-case, 2–40 characters each)`);
  const [domain, product] = parts as [string, string];
  checkName('domain', domain);
  checkName('product', product);
  if (options.ingestion !== undefined && options.ingestion !== 'batch' && options.ingestion !== 'stream') {
    throw usage(`--ingestion must be batch or stream, not '${options.ingestion}'`);
  }
  const root = requireRepoRoot(io);
  const domainFile = domainManifestFile(root, domain);
  if (!existsSync(domainFile)) {
    const known = existsSync(domainsDir(root))
      ? readdirSync(domainsDir(root))
          .filter((d) => existsSync(domainManifestFile(root, d)))
          .sort()
      : [];
    throw usage(
      `unknown domain '${domain}' (domains: ${known.join(', ') || 'none'}): create it first with mesh new domain ${domain}`,
    );
  }
  const dir = productDir(root, domain, product);
  const exists = existsSync(dir);
  if (exists && !options.force && !options.dryRun)
    throw usage(
      `product '${domain}/${product}' already exists (domains/${domain}/products/${product}): pass --force to render it again over its files`,
    );
  const defaults = answerDefaults(domain, loadDomainManifest(domainFile).value.owner);
  const a = await answer(
    [
      {
        key: 'ingestion',
        flag: '--ingestion <batch|stream>',
        text: 'Ingestion, batch or stream?',
        default: defaults.ingestion,
        given: options.ingestion,
      },
      { key: 'owner', flag: '--owner <team>', text: 'Owning team?', default: defaults.owner, given: options.owner },
    ],
    options,
    io,
  );
  const answers = {
    kind: 'product',
    domain,
    product,
    ingestion: a['ingestion'],
    owner: a['owner']!,
    scope: scopeOf(root),
    ...(options.description ? { description: options.description } : {}),
  } as TemplateAnswers;
  const p = plan(root, dir, answers, exists);
  if (options.dryRun) return dryRun(p, io);
  commit(p, options, io);
  io.stdout(
    `product ${domain}/${product} ready: npm install, then npx turbo run lint test synth --filter=${answers.scope}/${domain}.${product}\n`,
  );
  return EXIT.OK;
}

/**
 * `mesh new platform`: renders `platform/` — the account-level stack's package, its README and
 * the organisation's policy pack `platform/policies/` (seeded: yours to edit) — with
 * `.meshkit/provenance.json`, so `mesh check` and `mesh upgrade` treat it like a domain. Exit 2
 * when platform/ already has provenance (or package.json) without --force.
 */
export async function newPlatform(options: NewOptions, io: Io): Promise<ExitCode> {
  const root = requireRepoRoot(io);
  const dir = join(root, 'platform');
  const exists = existsSync(join(dir, PROVENANCE_FILE)) || existsSync(join(dir, 'package.json'));
  if (exists && !options.force && !options.dryRun)
    throw usage(
      'platform/ already exists: pass --force to render it again over its files (seeded files such as policies/ are written too)',
    );
  const config = loadMeshConfig(join(root, MESH_CONFIG_FILE)).value;
  const answers = { scope: config.npmScope, organisation: config.organisation };
  const version = templateVersion();
  const files = renderPlatform(answers, { version, meshkitVersions: installedMeshkitVersions(root) });
  const provenance = {
    ...provenanceOf(files, answers as unknown as TemplateAnswers, version),
    kind: 'platform' as unknown as TemplateAnswers['kind'],
  };
  const p: Plan = { root, dir, files, provenance: serializeProvenance(provenance), exists };
  if (options.dryRun) return dryRun(p, io);
  commit(p, options, io);
  io.stdout(
    `platform ready: add "platform" and "platform/policies" to the workspaces of package.json, npm install, then name ${config.npmScope}/policies in mesh.config.yaml policy.packs\n`,
  );
  return EXIT.OK;
}
