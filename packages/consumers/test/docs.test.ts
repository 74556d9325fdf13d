// docs/product-lint-rules.md is generated from the rule objects between two markers; this test
// fails when it is out of date. Regenerate with:
//   UPDATE_LINT_DOCS=1 node --conditions=development --import tsx --test test/docs.test.ts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { productLintRules, type ProductLintRule } from '../src/index.js';

const DOC = fileURLToPath(new URL('../docs/product-lint-rules.md', import.meta.url));
const README = fileURLToPath(new URL('../README.md', import.meta.url));
const START = '<!-- product-lint-rules:start (generated from src/rules by test/docs.test.ts) -->';
const END = '<!-- product-lint-rules:end -->';

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function render(rules: readonly ProductLintRule[]): string {
  const table = [
    '| Rule | Default | Rationale |',
    '| --- | --- | --- |',
    ...rules.map((r) => `| [\`${r.id}\`](#${r.id.toLowerCase()}) | ${r.defaultSeverity} | ${cell(r.rationale)} |`),
  ];
  const details = rules.map((r) =>
    [`### ${r.id}`, '', `Default severity: **${r.defaultSeverity}**. ${r.rationale}`, '', r.description].join('\n'),
  );
  return [START, '', ...table, '', ...details.flatMap((d) => [d, '']), END].join('\n');
}

test('docs/product-lint-rules.md lists every rule with its default severity and rationale, up to date', () => {
  const doc = readFileSync(DOC, 'utf8');
  const start = doc.indexOf(START);
  const end = doc.indexOf(END);
  assert.ok(start >= 0 && end > start, 'the generated section markers are missing');
  const expected = doc.slice(0, start) + render(productLintRules) + doc.slice(end + END.length);
  if (process.env.UPDATE_LINT_DOCS === '1') writeFileSync(DOC, expected);
  else
    assert.equal(doc, expected, 'docs/product-lint-rules.md is out of date: rerun this test with UPDATE_LINT_DOCS=1');
});

test('rule ids are unique, PRODUCT-…, and each is named in the README', () => {
  const ids = productLintRules.map((r) => r.id);
  assert.equal(new Set(ids).size, ids.length);
  const readme = readFileSync(README, 'utf8');
  for (const id of ids) {
    assert.match(id, /^PRODUCT-[A-Z-]+$/);
    assert.ok(readme.includes(id), `README.md does not mention ${id}`);
  }
});
