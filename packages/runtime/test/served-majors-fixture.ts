// sales/orders of the example mesh moved to major 2 with major 1 served side by side (what
// `mesh major sales/orders` writes, then the breaking edit): `amount` (decimal) becomes
// `amount_cents` (integer cents); majors/v1/compat.sql rebuilds `amount` from it.
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const ORDERS = (root: string) => join(root, 'domains/sales/products/orders');

/** The compatibility SQL of the fixture (every v1 column from `current`). */
export const COMPAT_SQL = `-- major 1 of sales/orders from the current (v2) output
SELECT
  order_id,
  customer_email,
  amount_cents / 100.0 AS amount,
  status,
  order_date,
  channel
FROM current
`;

/** Moves sales/orders of the demo copy at `root` to 2.0.0, serving 1.1.0 beside it. */
export function moveOrdersToV2(root: string, compatSql = COMPAT_SQL): void {
  const dir = ORDERS(root);
  mkdirSync(join(dir, 'majors/v1'), { recursive: true });
  cpSync(join(dir, 'contract.odcs.yaml'), join(dir, 'majors/v1/contract.odcs.yaml'));
  writeFileSync(join(dir, 'majors/v1/compat.sql'), compatSql);
  writeFileSync(
    join(dir, 'product.yaml'),
    readFileSync(join(dir, 'product.yaml'), 'utf8') +
      'servedMajors:\n  - major: 1\n    contract: majors/v1/contract.odcs.yaml\n    compatibilitySql: majors/v1/compat.sql\n',
  );
  breakOrdersContract(root);
}

/** The breaking edit of major 2: version 2.0.0, `amount` → `amount_cents` (bigint cents), and its transform. */
export function breakOrdersContract(root: string, setVersion = true): void {
  const dir = ORDERS(root);
  const contractFile = join(dir, 'contract.odcs.yaml');
  let c = readFileSync(contractFile, 'utf8');
  if (setVersion) c = c.replace(/^version: .*$/m, 'version: 2.0.0');
  c = c
    .replace(
      `      - id: amount_prop
        name: amount
        logicalType: number
        physicalType: decimal(12,2)
        description: Order total in the order currency.`,
      `      - id: amount_cents_prop
        name: amount_cents
        logicalType: integer
        physicalType: bigint
        description: Order total in cents of the order currency.`,
    )
    .replace('examples: [129.5]', 'examples: [12950]');
  writeFileSync(contractFile, c);
  const t = join(dir, 'transform.sql');
  writeFileSync(
    t,
    readFileSync(t, 'utf8').replace(
      'total AS amount,',
      'CAST(round(TRY_CAST(total AS DECIMAL(12, 2)) * 100) AS BIGINT) AS amount_cents,',
    ),
  );
}
