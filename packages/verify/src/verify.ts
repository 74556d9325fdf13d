import { MeshError } from '@meshkit/contracts';
import { loadCloudAssembly, type CloudAssembly } from './assembly/load.js';
import { analyseAccess, type AccessCell, type PrincipalInfo } from './checks/access.js';
import { checkFlow } from './checks/flow.js';
import { checkReferences } from './checks/references.js';
import type { VerifyFinding } from './finding.js';
import { buildModel } from './model.js';
import { staleStacks } from './stale.js';

/** Options of {@link verifyMesh}. */
export interface VerifyOptions {
  /** The cloud assembly directory (`mesh synth`'s output). */
  assemblyDir: string;
  /** Repository root: the assembly is refused when stale against it. @default no staleness check */
  root?: string;
  /** Report only on a domain or one product (the whole assembly is still analysed). @default everything */
  select?: { domain?: string; product?: string };
  /** Directory paths in messages are made relative to. @default process.cwd() */
  cwd?: string;
}

/** What `mesh verify` proved. */
export interface VerifyReport {
  /** Stacks read. */
  stacks: string[];
  /** Products (`<domain>/<product>`) of the assembly, in the selection. */
  products: string[];
  principals: Array<Pick<PrincipalInfo, 'id' | 'kind' | 'label'>>;
  /** The access matrix: one cell per principal and product it can read or write. */
  matrix: AccessCell[];
  findings: VerifyFinding[];
}

/**
 * Reads the cloud assembly, refuses it when stale, and proves access (who can read and write
 * each product) and flow (triggers, formats, paths, references) over all its stacks.
 * @throws MeshError (exit 2) for a missing, unreadable or stale assembly
 */
export function verifyMesh(options: VerifyOptions): VerifyReport {
  const assembly = loadCloudAssembly(options.assemblyDir, options.cwd);
  if (!assembly.stacks.length)
    throw new MeshError(
      'ASSEMBLY_MISSING',
      `the cloud assembly in ${options.assemblyDir} holds no stack: run \`mesh synth\``,
      { exitCode: 2 },
    );
  if (options.root) {
    const stale = staleStacks(assembly, options.root);
    if (stale.length) {
      throw new MeshError(
        'ASSEMBLY_STALE',
        `the cloud assembly is stale: ${stale.join('; ')}: run \`mesh synth\` again before \`mesh verify\``,
        { exitCode: 2 },
      );
    }
  }
  return verifyAssembly(assembly, options.select);
}

/** {@link verifyMesh} over an assembly already read. */
export function verifyAssembly(assembly: CloudAssembly, select: VerifyOptions['select'] = {}): VerifyReport {
  const model = buildModel(assembly);
  const access = analyseAccess(model);
  const findings = [...checkReferences(model.assembly), ...checkFlow(model), ...access.findings];
  const inScope = (ref: string | undefined) => {
    if (!select.domain) return true;
    if (ref === undefined) return false;
    const [d, p] = ref.split('/');
    return d === select.domain && (!select.product || p === select.product);
  };
  const products = model.products
    .map((p) => `${p.intent.domain}/${p.intent.product}`)
    .filter(inScope)
    .sort();
  const stackProduct = new Map(model.products.map((p) => [p.stack.name, `${p.intent.domain}/${p.intent.product}`]));
  const principalOf = new Map(access.principals.map((p) => [p.id, p]));
  const matrix = access.cells
    .filter((c) => inScope(c.product) || inScope(principalOf.get(c.principal)?.jobOf))
    .sort(
      (a, b) =>
        a.product.localeCompare(b.product) ||
        label(principalOf, a.principal).localeCompare(label(principalOf, b.principal)),
    );
  const used = new Set(matrix.map((c) => c.principal));
  const kept = findings.filter((f) => inScope(f.product ?? stackProduct.get(f.stack)) || !select.domain);
  kept.sort(
    (a, b) =>
      a.id.localeCompare(b.id) ||
      a.stack.localeCompare(b.stack) ||
      a.logicalId.localeCompare(b.logicalId) ||
      a.message.localeCompare(b.message),
  );
  return {
    stacks: model.assembly.stacks.map((s) => s.name),
    products,
    principals: access.principals
      .filter((p) => used.has(p.id))
      .map(({ id, kind, label: l }) => ({ id, kind, label: l }))
      .sort((a, b) => a.label.localeCompare(b.label) || a.id.localeCompare(b.id)),
    matrix,
    findings: dedupe(kept),
  };
}

const label = (m: Map<string, PrincipalInfo>, id: string) => m.get(id)?.label ?? id;

function dedupe(fs: VerifyFinding[]): VerifyFinding[] {
  const seen = new Set<string>();
  return fs.filter((f) => {
    const k = `${f.id}|${f.stack}|${f.logicalId}|${f.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** The report as text: the access matrix, then one line per finding `VERIFY-… <stack>/<logical id>: message`. */
export function formatVerifyText(r: VerifyReport): string {
  const labels = new Map(r.principals.map((p) => [p.id, p.label]));
  const rows = r.matrix.map((c) => [
    c.product,
    labels.get(c.principal) ?? c.principal,
    Object.entries(c.read)
      .map(([t, cols]) => `${t}${cols.includes('*') ? '' : `(${cols.join(',')})`}`)
      .join(' ') || '-',
    c.write.join(',') || '-',
    c.via.join('+') || '-',
  ]);
  const header = ['product', 'principal', 'read', 'write', 'via'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const out = [
    `access matrix (${r.products.length} product(s), ${r.principals.length} principal(s), ${r.stacks.length} stack(s))`,
    line(header),
    ...rows.map(line),
    '',
  ];
  for (const f of r.findings) out.push(`${f.id} ${f.stack}/${f.logicalId}: ${f.message}`);
  out.push(`${r.findings.length} finding(s)`);
  return out.join('\n') + '\n';
}
