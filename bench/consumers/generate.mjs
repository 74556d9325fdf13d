/**
 * The generated mesh of the consumer benchmarks (bench/consumers/impact.mjs) and of bench/scale:
 * `domains` × `perDomain` products `d<NN>/p<NN>`, each with a 30-column contract (the repository's
 * sales/orders contract plus 26 extra columns) and a seeded random consumes DAG of 1–3 edges per
 * product to earlier products (half of them read d00/p00, the most consumed product). The pending
 * change: d00/p00 drops the column `amount`; its previous contract is written next to the mesh.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Writes the mesh under `dir` (mesh.config.yaml, domains/<d>/domain.yaml, domains/<d>/products/<p>/{product.yaml,contract.odcs.yaml}).
 * @returns the product whose contract changed (`target`), its baseline contract file (`against`) and the number of consumes edges.
 */
export function generateConsumersMesh(dir, domains, perDomain) {
  writeFileSync(join(dir, 'mesh.config.yaml'), 'organisation: Bench\nnpmScope: "@bench"\n');
  const template = readFileSync(join(ROOT, 'domains/sales/products/orders/contract.odcs.yaml'), 'utf8');
  const extra = Array.from({ length: 26 }, (_, i) =>
    [
      `      - id: extra_${i}_prop`,
      `        name: extra_${i}`,
      `        logicalType: ${i % 2 ? 'string' : 'integer'}`,
      `        description: Extra column ${i}.`,
      '        classification: internal',
    ].join('\n'),
  ).join('\n');
  const contractOf = (d, p) =>
    template
      .replace(/^id: .*$/m, `id: ${d}-${p}`)
      .replace(/^domain: .*$/m, `domain: ${d}`)
      .replace(/^dataProduct: .*$/m, `dataProduct: ${p}`)
      .replace('slaProperties:', `${extra}\nslaProperties:`);
  let seed = 42;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const refs = [];
  let edges = 0;
  for (let di = 0; di < domains; di++) {
    for (let pi = 0; pi < perDomain; pi++) {
      const d = `d${String(di).padStart(2, '0')}`;
      const p = `p${String(pi).padStart(2, '0')}`;
      const pdir = join(dir, 'domains', d, 'products', p);
      mkdirSync(pdir, { recursive: true });
      if (pi === 0)
        writeFileSync(join(dir, 'domains', d, 'domain.yaml'), `name: ${d}\nowner: team-bench\ncostCenter: cc-${di}\n`);
      writeFileSync(join(pdir, 'contract.odcs.yaml'), contractOf(d, p));
      const consumes = new Set();
      if (refs.length) {
        // Half of the products read d00/p00 directly; the rest of the edges go to random earlier products.
        if (rand() < 0.5) consumes.add(refs[0]);
        const k = 1 + Math.floor(rand() * 2);
        for (let i = 0; i < k; i++) consumes.add(refs[Math.floor(rand() * refs.length)]);
      }
      edges += consumes.size;
      writeFileSync(
        join(pdir, 'product.yaml'),
        [
          `domain: ${d}`,
          `name: ${p}`,
          'owner: team-bench',
          'ingestion:',
          '  mode: batch',
          ...(consumes.size
            ? [
                'consumes:',
                ...[...consumes].flatMap((ref) => [
                  `  - product: ${ref}`,
                  '    version: ^1.0.0',
                  `    columns: [record_id, ${rand() < 0.7 ? 'amount, ' : ''}record_date]`,
                ]),
              ]
            : []),
          '',
        ].join('\n'),
      );
      refs.push(`${d}/${p}`);
    }
  }
  const target = refs[0];
  const file = join(dir, 'domains/d00/products/p00/contract.odcs.yaml');
  const against = join(dir, 'p00.v1.0.0.odcs.yaml');
  const text = readFileSync(file, 'utf8');
  writeFileSync(against, text);
  writeFileSync(file, text.replace(/ {6}- id: amount_prop[\s\S]*?(?= {6}- id: status_prop)/, ''));
  return { target, against, edges };
}
