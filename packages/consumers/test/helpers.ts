import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openLocalCatalog, publishProduct } from '@meshkit/catalog';
import { copyExampleMesh, ROOT } from '@meshkit/testing';

/** The repository root: mesh.config.yaml and the example mesh under domains/. */
export const REPO = ROOT;

/** Left out of the copy: what is generated, and also the products' infra/, test/ and fixtures/ (as these suites always did). */
const SKIP = /\/(node_modules|\.mesh|cdk\.out|dist|infra|test|fixtures)(\/|$)/;

/**
 * A temp copy of the example mesh (mesh.config.yaml, domains/ without .mesh/, cdk.out/, node_modules/, infra/, test/, fixtures/),
 * as these suites start from it: sales/orders at 1.0.0, never released (the example mesh's is at
 * 1.1.0), and marketing/campaign-performance consuming three of its columns at ^1.0.0 (the
 * example mesh's reads the whole table at ^1.1.0).
 */
export function exampleMesh(): string {
  const root = copyExampleMesh({ prefix: 'meshkit-consumers-', skip: SKIP });
  edit(root, 'sales/orders', 'contract.odcs.yaml', (t) => t.replace(/^version: 1\.1\.0$/m, 'version: 1.0.0'));
  edit(root, 'sales/orders', 'package.json', (t) => t.replace('"version": "1.1.0"', '"version": "1.0.0"'));
  edit(root, 'marketing/campaign-performance', 'product.yaml', (t) =>
    t.replace('    version: ^1.1.0\n', '    version: ^1.0.0\n    columns: [order_id, amount, order_date]\n'),
  );
  return root;
}

export const productDir = (root: string, ref: string) =>
  join(root, 'domains', ref.split('/')[0]!, 'products', ref.split('/')[1]!);
export const file = (root: string, ref: string, name: string) => join(productDir(root, ref), name);

/** Rewrites a file of a product with `edit`. */
export function edit(root: string, ref: string, name: string, fn: (text: string) => string): void {
  const f = file(root, ref, name);
  const before = readFileSync(f, 'utf8');
  const after = fn(before);
  if (after === before) throw new Error(`edit of ${ref}/${name} changed nothing`);
  writeFileSync(f, after);
}

/** Writes a file under a product folder (creating folders). */
export function write(root: string, ref: string, name: string, text: string): void {
  const f = file(root, ref, name);
  mkdirSync(join(f, '..'), { recursive: true });
  writeFileSync(f, text);
}

/** 1-based line and column of the `nth` occurrence of `needle` in a product file. */
export function pos(
  root: string,
  ref: string,
  name: string,
  needle: string,
  nth = 1,
): { line: number; column: number } {
  const text = readFileSync(file(root, ref, name), 'utf8');
  let at = -1;
  for (let i = 0; i < nth; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`'${needle}' not found in ${ref}/${name}`);
  }
  const before = text.slice(0, at);
  return { line: before.split('\n').length, column: at - before.lastIndexOf('\n') };
}

/** Publishes the working copy of a product to the temp mesh's local catalog. */
export async function publish(root: string, ref: string): Promise<void> {
  const r = await publishProduct({ root, product: ref, catalog: openLocalCatalog(root), gitCommit: null });
  if (r.outcome === 'blocked')
    throw new Error(`publish ${ref} blocked: ${r.diagnostics.map((d) => d.message).join('; ')}`);
}

/** Removes the `amount` column from the orders contract. */
export const dropAmount = (t: string) => t.replace(/ {6}- id: amount_prop[\s\S]*?(?= {6}- id: status_prop)/, '');

/** Adds a product consuming `producer` (a copy of campaign-performance's contract under a new name). */
export function addConsumer(root: string, ref: string, producer: string, range = '^1.0.0', columns?: string[]): void {
  const [domain, name] = ref.split('/') as [string, string];
  const contract = readFileSync(file(root, 'marketing/campaign-performance', 'contract.odcs.yaml'), 'utf8')
    .replace(/^id: .*$/m, `id: ${domain}-${name}`)
    .replace(/^domain: .*$/m, `domain: ${domain}`)
    .replace(/^dataProduct: .*$/m, `dataProduct: ${name}`);
  write(root, ref, 'contract.odcs.yaml', contract);
  write(
    root,
    ref,
    'product.yaml',
    [
      `domain: ${domain}`,
      `name: ${name}`,
      'owner: team-x',
      'ingestion:',
      '  mode: batch',
      'consumes:',
      `  - product: ${producer}`,
      `    version: "${range}"`,
      ...(columns ? [`    columns: [${columns.join(', ')}]`] : []),
      '',
    ].join('\n'),
  );
}

/** Makes orders 2.0.0 and serves major 1 side by side from majors/v1 (the current contract frozen). */
export function newMajorServingV1(root: string, opts: { serve: boolean } = { serve: true }): void {
  const v1 = readFileSync(file(root, 'sales/orders', 'contract.odcs.yaml'), 'utf8');
  if (opts.serve) {
    write(root, 'sales/orders', 'majors/v1/contract.odcs.yaml', v1);
    write(
      root,
      'sales/orders',
      'majors/v1/compat.sql',
      'SELECT order_id, customer_email, amount, status, order_date, channel FROM current\n',
    );
    edit(
      root,
      'sales/orders',
      'product.yaml',
      (t) =>
        t +
        [
          '# Major 1 stays served until its consumers move (mesh retire sales/orders@1).',
          'servedMajors:',
          '  - major: 1 # frozen at 1.0.0',
          '    contract: majors/v1/contract.odcs.yaml',
          '    compatibilitySql: majors/v1/compat.sql',
          '',
        ].join('\n'),
    );
  }
  edit(root, 'sales/orders', 'contract.odcs.yaml', (t) => dropAmount(t).replace(/^version: .*$/m, 'version: 2.0.0'));
  edit(root, 'sales/orders', 'package.json', (t) => t.replace('"version": "1.0.0"', '"version": "2.0.0"'));
}
