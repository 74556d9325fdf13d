/**
 * Inside the monorepo a consumer's package reaches its producer's contract package through the
 * workspace: marketing/campaign-performance depends on @example/sales.orders ("*"), npm links
 * the workspace folder, and the consumer's own tsconfig type-checks a use of the record type from
 * the producer's built dist/.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { buildContractPackage } from '../src/index.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const PRODUCER = join(ROOT, 'domains/sales/products/orders');
const CONSUMER = join(ROOT, 'domains/marketing/products/campaign-performance');
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');
// Under the consumer's .mesh/ (ignored by git, skipped by mesh copies): module resolution walks up
// from here to the repository's node_modules, exactly as the consumer's own files do.
const WORK = join(CONSUMER, '.mesh', `typecheck-${process.pid}`);

before(async () => {
  await buildContractPackage(PRODUCER);
});
after(() => rmSync(WORK, { recursive: true, force: true }));

test('the consumer depends on the producer\'s package ("*": the contract range is in product.yaml) and npm links the workspace folder', () => {
  const pkg = JSON.parse(readFileSync(join(CONSUMER, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
  };
  assert.equal(pkg.devDependencies?.['@example/sales.orders'], '*');
  assert.equal(pkg.dependencies?.['@example/sales.orders'], undefined, "not shipped to the consumer's own consumers");
  const link = join(ROOT, 'node_modules/@example/sales.orders');
  assert.ok(lstatSync(link).isSymbolicLink(), 'a workspace link, not a registry copy');
  assert.equal(realpathSync(link), realpathSync(PRODUCER));
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { link?: boolean; resolved?: string }>;
  };
  assert.deepEqual(lock.packages['node_modules/@example/sales.orders'], {
    resolved: 'domains/sales/products/orders',
    link: true,
  });
});

test("the consumer's tsconfig type-checks a use of the producer's record type and validator", () => {
  mkdirSync(WORK, { recursive: true });
  writeFileSync(
    join(WORK, 'tsconfig.json'),
    JSON.stringify({ extends: '../../tsconfig.json', include: [], files: ['use.ts'] }),
  );
  writeFileSync(
    join(WORK, 'use.ts'),
    `
import { assertRecord, contractVersion, validate, type ContractRecord, type OrdersRecord, type RecordError } from '@example/sales.orders';
import * as v1 from '@example/sales.orders/v1';

const order: OrdersRecord = { order_id: 'o-1', customer_email: 'a@example.com', amount: 12.5, status: 'NEW', order_date: '2026-11-01' };
const result = validate(JSON.parse(JSON.stringify(order)) as unknown);
if (result.valid) {
  const typed: ContractRecord = result.record;
  typed.amount.toFixed(2);
} else {
  const errors: readonly RecordError[] = result.errors;
  errors[0]?.property?.toUpperCase();
}
const input: unknown = { ...order };
assertRecord(input);
const status: 'NEW' | 'PAID' | 'SHIPPED' = input.status;
const version: string = contractVersion;
const pinned: v1.OrdersRecord = order;
// @ts-expect-error status is one of NEW, PAID, SHIPPED
const lost: OrdersRecord = { ...order, status: 'LOST' };
// @ts-expect-error amount is a number
const text: OrdersRecord = { ...order, amount: '12.5' };
// @ts-expect-error order_date is required
const partial: OrdersRecord = { order_id: 'o-2', customer_email: 'a@example.com', amount: 1, status: 'NEW' };
export { status, version, pinned, lost, text, partial };
`,
  );
  try {
    execFileSync(process.execPath, [TSC, '-p', join(WORK, 'tsconfig.json')], {
      cwd: CONSUMER,
      encoding: 'utf8',
      stdio: 'pipe',
    });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    assert.fail(`tsc failed:\n${err.stdout ?? ''}${err.stderr ?? ''}`);
  }
});
