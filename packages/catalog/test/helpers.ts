import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

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
