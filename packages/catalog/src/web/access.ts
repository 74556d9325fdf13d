import { existsSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { verifyMesh, type AccessCell, type VerifyFinding, type VerifyReport } from '@meshkit/verify';
import { isMeshError } from '@meshkit/contracts';
import type { CatalogBackend } from '../backend.js';

/*
 * "Who can read this product": the access model `mesh verify` proves over the cloud assembly
 * `mesh synth` wrote (IAM, bucket and key policies, Lake Formation grants), read once per page
 * build and cut per product. No assembly, a stale one or an unreadable one is a sentence on the
 * page (and a status in the JSON API), never a failed page.
 */

/** Where the catalog site finds the cloud assembly. */
export interface AccessOptions {
  /** Repository root (the assembly is refused when stale against it). @default the backend's `root`, if any */
  root?: string;
  /** Cloud assembly directory (`mesh synth --out`). @default `<root>/cdk.out` */
  assemblyDir?: string;
}

/** Why the access model is not shown. */
export type AccessUnavailable =
  /** The catalog's repository is unknown (a backend opened without a root). */
  | 'no-repository'
  /** No cloud assembly: `mesh synth` never ran (or wrote elsewhere). */
  | 'missing'
  /** The repository changed since `mesh synth`. */
  | 'stale'
  /** The assembly cannot be read (a broken manifest or template). */
  | 'unreadable';

/** The access model of the whole catalog: `mesh verify`'s report, or why there is none. */
export type CatalogAccess =
  | {
      status: 'available';
      /** The assembly directory, relative to the root when inside it. */ assembly: string;
      report: VerifyReport;
    }
  | {
      status: AccessUnavailable;
      assembly?: string;
      /** One sentence, saying how to get it (commands in backticks). */ message: string;
      /** What `mesh verify` said, when it refused the assembly. */ detail?: string;
    };

/** One principal that can read or write a product. */
export interface ProductAccessEntry {
  principal: VerifyReport['principals'][number];
  /** Columns readable per table (`'*'` = every column), as `mesh verify` reports them; empty when it only writes. */
  read: AccessCell['read'];
  /** How it reads: Lake Formation grants and/or S3 directly. */
  via: AccessCell['via'];
  /** Zones of the product it can write. */
  write: AccessCell['write'];
}

/** "Who can read this product", as its page and `/api/products/<d>/<p>` (`access`) show it. */
export type ProductAccess =
  | {
      status: 'available';
      assembly: string;
      /** Every principal that can read or write the product (`mesh verify`'s matrix order). */
      principals: ProductAccessEntry[];
      /** `mesh verify`'s findings about the product (its own or on its stack). */
      findings: VerifyFinding[];
    }
  | { status: AccessUnavailable | 'not-synthesized'; assembly?: string; message: string; detail?: string };

/** The assembly directory as shown: relative to the root when inside it, else absolute. */
function shown(root: string, dir: string): string {
  const rel = relative(root, dir);
  if (rel === '') return '.';
  return rel.startsWith('..') || isAbsolute(rel) ? dir : rel;
}

const AGAIN = 'then reload (or export again)';
const missing = (assembly: string) =>
  `There is no synthesized cloud assembly in ${assembly} yet, so who can read this product is not known: run \`mesh synth\`, ${AGAIN}.`;

/**
 * Reads the access model once (for a whole page build): `verifyMesh` over `<root>/cdk.out` (or
 * `assemblyDir`), refused when stale against the repository. Never throws: a missing, stale or
 * unreadable assembly, or an unknown repository, is a status with one sentence saying how to get it.
 */
export function loadCatalogAccess(backend: Pick<CatalogBackend, 'root'>, options: AccessOptions = {}): CatalogAccess {
  const rootOption = options.root ?? backend.root;
  if (!rootOption) {
    return {
      status: 'no-repository',
      message:
        'The repository of this catalog is not known, so who can read its products cannot be shown: run `mesh synth`, then `mesh catalog serve` or `mesh catalog export` inside the repository.',
    };
  }
  const root = resolve(rootOption);
  const dir = resolve(root, options.assemblyDir ?? 'cdk.out');
  const assembly = shown(root, dir);
  if (!existsSync(join(dir, 'manifest.json'))) {
    return { status: 'missing', assembly, message: missing(assembly) };
  }
  try {
    return { status: 'available', assembly, report: verifyMesh({ assemblyDir: dir, root, cwd: root }) };
  } catch (e) {
    const detail = (e as Error)?.message ?? String(e);
    const code = isMeshError(e) ? e.code : undefined;
    if (code === 'ASSEMBLY_STALE') {
      return {
        status: 'stale',
        assembly,
        detail,
        message: `The cloud assembly in ${assembly} is older than the repository (it changed since \`mesh synth\`), so who can read this product is not shown: run \`mesh synth\` again, ${AGAIN}.`,
      };
    }
    if (code === 'ASSEMBLY_MISSING') {
      return { status: 'missing', assembly, detail, message: missing(assembly) };
    }
    return {
      status: 'unreadable',
      assembly,
      detail,
      message: `The cloud assembly in ${assembly} cannot be read, so who can read this product is not shown: run \`mesh synth\` again, ${AGAIN}.`,
    };
  }
}

/**
 * The part of the access model about one product (`<domain>/<product>`): each principal that can
 * read or write it, and `mesh verify`'s findings about it — those naming the product, and those
 * on its stack (`mesh-<domain>-<product>`, `productStackName` of @meshkit/core).
 */
export function productAccess(access: CatalogAccess, ref: string): ProductAccess {
  return productAccessIndex(access)(ref);
}

/**
 * {@link productAccess} for every product of a catalog at once: `mesh verify`'s matrix and
 * findings are grouped by product once (linear in the report), then each product is a lookup.
 */
export function productAccessIndex(access: CatalogAccess): (ref: string) => ProductAccess {
  if (access.status !== 'available') return () => access;
  const { report, assembly } = access;
  const principals = new Map(report.principals.map((p) => [p.id, p]));
  const products = new Set(report.products);
  const cells = new Map<string, VerifyReport['matrix']>();
  for (const c of report.matrix) cells.set(c.product, [...(cells.get(c.product) ?? []), c]);
  const findings = new Map<string, VerifyFinding[]>();
  for (const f of report.findings) {
    const key = f.product ?? `stack:${f.stack}`;
    findings.set(key, [...(findings.get(key) ?? []), f]);
  }
  const order = new Map(report.findings.map((f, i) => [f, i]));
  return (ref) => productAccessOf(ref, assembly, products, principals, cells, findings, order);
}

function productAccessOf(
  ref: string,
  assembly: string,
  products: Set<string>,
  principals: Map<string, VerifyReport['principals'][number]>,
  cells: Map<string, VerifyReport['matrix']>,
  findings: Map<string, VerifyFinding[]>,
  order: Map<VerifyFinding, number>,
): ProductAccess {
  if (!products.has(ref)) {
    return {
      status: 'not-synthesized',
      assembly,
      message: `The cloud assembly in ${assembly} has no stack for ${ref}: run \`mesh synth\` (the whole mesh) to see who can read it.`,
    };
  }
  const [domain, product] = ref.split('/');
  const stack = `mesh-${domain}-${product}`;
  const own = new Set([...(findings.get(ref) ?? []), ...(findings.get(`stack:${stack}`) ?? [])]);
  return {
    status: 'available',
    assembly,
    principals: (cells.get(ref) ?? []).map((c) => ({
      principal: principals.get(c.principal) ?? { id: c.principal, kind: 'role', label: c.principal },
      read: c.read,
      via: c.via,
      write: c.write,
    })),
    findings: [...own].sort((a, b) => order.get(a)! - order.get(b)!),
  };
}

/**
 * What the access model depends on besides the catalog: the cloud assembly's manifest (path,
 * modification time and size), so a cached site is rebuilt after `mesh synth`. Cheap (one stat).
 */
export function assemblyStamp(backend: Pick<CatalogBackend, 'root'>, options: AccessOptions = {}): string {
  const rootOption = options.root ?? backend.root;
  if (!rootOption) return 'no-repository';
  const manifest = join(resolve(resolve(rootOption), options.assemblyDir ?? 'cdk.out'), 'manifest.json');
  try {
    const st = statSync(manifest);
    return `${manifest}@${st.mtimeMs}:${st.size}`;
  } catch {
    return `${manifest}@none`;
  }
}
