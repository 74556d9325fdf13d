// Tiny harness for lint rule tests (like cdk-nag's test/rules/utils.ts): build a contract from a
// few lines of YAML, run one rule, look at what it found.
import assert from 'node:assert/strict';
import { parseContract, lintContract, type Diagnostic, type LintRule } from '../src/index.js';

/** The header every test contract starts with (valid ODCS v3.1.0, owner and semver version set). */
export const HEADER = `apiVersion: v3.1.0
kind: DataContract
id: c1
version: 1.0.0
status: active
team:
  name: team-a
`;

/** Parses `HEADER + body` (dedented) and asserts it passes the ODCS schema. */
export function contract(body: string, header = HEADER) {
  const loaded = parseContract('contract.odcs.yaml', header + dedent(body));
  assert.deepEqual(loaded.diagnostics, [], 'test contract must be schema-valid');
  return loaded;
}

/** Runs only `rule` (at its default severity) over `HEADER + body`. */
export function runRule(rule: LintRule, body: string, header = HEADER): Diagnostic[] {
  return lintContract(contract(body, header), { ruleSet: [rule] });
}

/** Asserts the rule finds nothing. */
export function assertCompliant(rule: LintRule, body: string, header = HEADER): void {
  const found = runRule(rule, body, header);
  assert.deepEqual(
    found.map((d) => d.message),
    [],
    `${rule.id} should accept the contract`,
  );
}

/** Asserts the rule finds exactly `count` problems (default 1), all with this rule id, and returns them. */
export function assertNonCompliant(rule: LintRule, body: string, count = 1, header = HEADER): Diagnostic[] {
  const found = runRule(rule, body, header);
  assert.equal(found.length, count, `${rule.id} findings: ${JSON.stringify(found.map((d) => d.message))}`);
  for (const d of found) assert.equal(d.rule, rule.id);
  return found;
}

/** Removes the common leading indentation of a template literal. */
export function dedent(s: string): string {
  const lines = s.replace(/^\n/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length));
  return lines.map((l) => l.slice(Number.isFinite(indent) ? indent : 0)).join('\n');
}
