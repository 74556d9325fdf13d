// The product README's dependency advice is what the example consumer does and what the lint accepts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const at = (p: string) => fileURLToPath(new URL(`../../../${p}`, import.meta.url));

test('the product README advises the "*" range the example consumer uses (PRODUCT-WORKSPACE-DEPENDENCY), not ^<major>.0.0', () => {
  const readme = readFileSync(at('packages/domain-template/templates/product/README.md.hbs'), 'utf8');
  const advised = /`"\{\{packageName\}\}": "([^"]+)"` to its `package\.json` (\w+)/.exec(readme);
  assert.ok(advised, 'the README shows the dependency to add');
  assert.doesNotMatch(readme, /\^<major>/);
  const consumer = JSON.parse(readFileSync(at('domains/marketing/products/campaign-performance/package.json'), 'utf8'));
  assert.equal(consumer[advised[2]!]['@example/sales.orders'], advised[1]);
});
