/** docs/policy-rules.md is generated from the rule objects and must be up to date. */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MESH_POLICY_RULES, renderPolicyRulesMarkdown } from '../src/index.js';

const file = fileURLToPath(new URL('../docs/policy-rules.md', import.meta.url));

it('docs/policy-rules.md is generated from the rules (UPDATE_DOCS=1 regenerates it)', () => {
  const expected = renderPolicyRulesMarkdown();
  if (process.env.UPDATE_DOCS === '1') writeFileSync(file, expected);
  assert.equal(
    readFileSync(file, 'utf8'),
    expected,
    'docs/policy-rules.md is stale: run UPDATE_DOCS=1 node --conditions=development --import tsx --test test/policy-docs.test.ts',
  );
});

it('every rule id is documented, well-formed and unique; every rule has rationale, fix and since', () => {
  const doc = readFileSync(file, 'utf8');
  const ids = MESH_POLICY_RULES.map((r) => r.id);
  assert.equal(new Set(ids).size, ids.length);
  for (const r of MESH_POLICY_RULES) {
    assert.match(r.id, new RegExp(`^MESH-${r.area}-[A-Z0-9-]+$`));
    assert.ok(doc.includes(`## ${r.id}`), `${r.id} missing from docs`);
    assert.ok(r.rationale.length > 20 && r.fix.length > 20 && /^\d+\.\d+\.\d+$/.test(r.since), r.id);
  }
  for (const area of ['ENC', 'TAG', 'DQ', 'IAM', 'NET', 'LF', 'LOG', 'DR', 'RES', 'CFN'])
    assert.ok(
      MESH_POLICY_RULES.some((r) => r.area === area),
      area,
    );
});
