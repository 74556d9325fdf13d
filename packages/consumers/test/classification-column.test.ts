import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from '@meshkit/contracts';
import { lintProducts } from '../src/index.js';
import { edit, exampleMesh, file, pos } from './helpers.js';

const ORDERS = 'sales/orders';
const only = (ds: Diagnostic[], rule: string) => ds.filter((d) => d.rule === rule);

test('PRODUCT-CLASSIFICATION-COLUMN: a restricted column in an internal product is a warning at classification', async () => {
  const root = exampleMesh();
  // The example mesh's orders is restricted for its customer_email column: start from an internal
  // product without it.
  edit(root, ORDERS, 'product.yaml', (t) => t.replace('classification: restricted', 'classification: internal'));
  edit(root, ORDERS, 'contract.odcs.yaml', (t) =>
    t.replace(/ {6}- id: customer_email_prop[\s\S]*?(?= {6}- id: amount_prop)/, ''),
  );
  edit(root, ORDERS, 'contract.odcs.yaml', (t) =>
    t.replace(/(name: amount\n(?:.*\n)*? *classification: )internal/, '$1restricted'),
  );
  const [d, ...rest] = only(await lintProducts(root), 'PRODUCT-CLASSIFICATION-COLUMN');
  assert.equal(rest.length, 0);
  assert.equal(d?.severity, 'warning');
  assert.deepEqual(
    { file: d.location.file, line: d.location.line, column: d.location.column },
    { file: file(root, ORDERS, 'product.yaml'), ...pos(root, ORDERS, 'product.yaml', 'internal') },
  );
  assert.match(d.message, /classified internal but column amount is restricted: classify the product restricted/);
  // Classified restricted (or left to follow its columns): nothing to report.
  edit(root, ORDERS, 'product.yaml', (t) => t.replace('classification: internal', 'classification: restricted'));
  assert.deepEqual(only(await lintProducts(root), 'PRODUCT-CLASSIFICATION-COLUMN'), []);
  edit(root, ORDERS, 'product.yaml', (t) => t.replace('classification: restricted\n', ''));
  assert.deepEqual(only(await lintProducts(root), 'PRODUCT-CLASSIFICATION-COLUMN'), []);
});
