import { MeshError, PRODUCT_REF_PATTERN } from '@meshkit/contracts';
import type { CatalogRecord } from '@meshkit/catalog';
import { EXIT, type ExitCode } from '../exit.js';
import type { Io } from '../io.js';
import { openCatalog, type CatalogKind } from './publish.js';
import { requireRepoRoot } from './mesh-target.js';

export interface CatalogOptions {
  /** @default 'text' */
  format?: 'text' | 'json';
  /** Which catalog to read: the embedded local one or the AWS Glue Schema Registry. @default 'local' */
  catalog?: CatalogKind;
}

/**
 * `mesh catalog list`: domains, products, majors and versions, with the owner and classification
 * of each product's latest version. Exit 0; 2 outside a repository or on a corrupted record.
 */
export async function catalogList(options: CatalogOptions, io: Io): Promise<ExitCode> {
  const catalog = await openCatalog(requireRepoRoot(io), options.catalog);
  const rows = [];
  for (const p of await catalog.list()) {
    const latest = (await catalog.get(p.domain, p.product, p.versions[p.versions.length - 1]!))!;
    rows.push({
      domain: p.domain,
      product: p.product,
      latest: latest.version,
      owner: latest.owner,
      classification: latest.classification,
      majors: p.majors,
    });
  }
  if (options.format === 'json') {
    io.stdout(JSON.stringify({ catalog: catalog.location, products: rows }, null, 2) + '\n');
    return EXIT.OK;
  }
  if (!rows.length) {
    io.stdout(`catalog ${catalog.location} is empty (publish with: mesh publish --all)\n`);
    return EXIT.OK;
  }
  io.stdout(`catalog ${catalog.location}\n`);
  let domain = '';
  for (const r of rows) {
    if (r.domain !== domain) io.stdout(`${(domain = r.domain)}\n`);
    io.stdout(`  ${r.product}  owner ${r.owner}  ${r.classification}\n`);
    for (const m of r.majors) io.stdout(`    v${m.major}: ${m.versions.join(', ')}\n`);
  }
  return EXIT.OK;
}

/**
 * `mesh catalog show <domain>/<product>[@version]`: one published version (default: the latest).
 * Exit 0; 1 when the product or version is not in the catalog; 2 bad usage or a corrupted record.
 */
export async function catalogShow(ref: string, options: CatalogOptions, io: Io): Promise<ExitCode> {
  const [name = '', wanted] = ref.split('@');
  const m = PRODUCT_REF_PATTERN.exec(name);
  if (!m || wanted === '') {
    throw new MeshError('USAGE', `'${ref}' is not <domain>/<product>[@<version>]`, { exitCode: 2 });
  }
  const [domain, product] = [m[1]!, m[2]!];
  const catalog = await openCatalog(requireRepoRoot(io), options.catalog);
  const versions = await catalog.versions(domain, product);
  const version = wanted ?? versions[versions.length - 1];
  const record = version ? await catalog.get(domain, product, version) : undefined;
  if (!record) {
    io.stderr(
      `mesh: ${name}${wanted ? `@${wanted}` : ''} is not in the catalog ${catalog.location}${versions.length ? ` (published: ${versions.join(', ')})` : ''}\n`,
    );
    return EXIT.FAILED;
  }
  // The latest version shows what the product consumes now: its metadata record (consumes move without a contract change).
  const manifest = version === versions[versions.length - 1] ? await catalog.getManifest?.(domain, product) : undefined;
  const shown: CatalogRecord = manifest ? { ...record, consumes: manifest.consumes } : record;
  if (options.format === 'json') {
    io.stdout(JSON.stringify({ ...shown, versions }, null, 2) + '\n');
    return EXIT.OK;
  }
  io.stdout(describe(shown, versions));
  return EXIT.OK;
}

function describe(r: CatalogRecord, versions: string[]): string {
  const lines = [
    `${r.domain}/${r.product} ${r.version}  (contract ${r.id})`,
    `  owner           ${r.owner}`,
    `  classification  ${r.classification}`,
    `  published       ${r.publishedAt}${r.gitCommit ? ` at commit ${r.gitCommit.slice(0, 12)}${r.gitDirty ? ' with uncommitted changes' : ''}` : ''}`,
    `  versions        ${versions.join(', ')}`,
    `  consumes        ${r.consumes.length ? r.consumes.map((c) => `${c.product} ${c.version}`).join(', ') : '(nothing)'}`,
  ];
  for (const [object, schema] of Object.entries(r.jsonSchema)) {
    const s = schema as { properties?: Record<string, { type?: unknown }>; required?: string[] };
    lines.push(`  schema ${object}`);
    for (const [col, def] of Object.entries(s.properties ?? {})) {
      lines.push(`    ${col}  ${JSON.stringify(def.type ?? 'any')}${s.required?.includes(col) ? '  required' : ''}`);
    }
    const dqdl = r.dqdl[object];
    if (dqdl)
      lines.push(
        `  quality ${object} (DQDL)`,
        ...dqdl
          .trimEnd()
          .split('\n')
          .map((l) => `    ${l}`),
      );
  }
  return lines.join('\n') + '\n';
}
