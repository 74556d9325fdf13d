import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DEMO = fileURLToPath(new URL('../../cli/demo/mesh', import.meta.url));

/** A temp copy of the demo mesh. */
export function demoMesh(): string {
  const root = mkdtempSync(join(tmpdir(), 'meshkit-catalog-'));
  cpSync(DEMO, root, { recursive: true, filter: (s) => !s.includes('/.mesh') && !s.includes('cdk.out') }); // not the demo's own runs and catalog
  return root;
}

export const ordersContract = (root: string) => join(root, 'domains/sales/products/orders/contract.odcs.yaml');

/** Edits the orders contract: sets its version, optionally drops the customer_email column. */
export function editOrders(root: string, edit: { version?: string; dropEmail?: boolean; purpose?: string }): void {
  const file = ordersContract(root);
  let text = readFileSync(file, 'utf8');
  if (edit.version) text = text.replace(/^version: .*$/m, `version: ${edit.version}`);
  if (edit.dropEmail) text = text.replace(/ {6}- id: customer_email_prop[\s\S]*?(?= {6}- id: amount_prop)/, '');
  if (edit.purpose) text = text.replace(/purpose: .*$/m, `purpose: ${edit.purpose}`);
  writeFileSync(file, text);
}
