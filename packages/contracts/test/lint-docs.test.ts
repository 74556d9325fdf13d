// docs/lint-rules.md is generated from the rule objects between two markers; this test fails
// when it is out of date. Regenerate with: UPDATE_LINT_DOCS=1 node --conditions=development --import tsx --test test/lint-docs.test.ts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { lintRules, type LintRule } from '../src/index.js';

const DOC = fileURLToPath(new URL('../docs/lint-rules.md', import.meta.url));
const START = '<!-- lint-rules:start (generated from src/lint/rules by test/lint-docs.test.ts) -->';
const END = '<!-- lint-rules:end -->';

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The generated part of the document. */
function renderRulesSection(rules: readonly LintRule[]): string {
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

test('docs/lint-rules.md lists every rule with its default severity and rationale, up to date', () => {
  const doc = readFileSync(DOC, 'utf8');
  const start = doc.indexOf(START);
  const end = doc.indexOf(END);
  assert.ok(start >= 0 && end > start, 'the generated section markers are missing');
  const expected = doc.slice(0, start) + renderRulesSection(lintRules) + doc.slice(end + END.length);
  if (process.env.UPDATE_LINT_DOCS === '1') writeFileSync(DOC, expected);
  else assert.equal(doc, expected, 'docs/lint-rules.md is out of date: rerun this test with UPDATE_LINT_DOCS=1');
  for (const r of lintRules) {
    assert.ok(expected.includes(`| [\`${r.id}\`](#${r.id.toLowerCase()}) | ${r.defaultSeverity} |`), r.id);
  }
});
