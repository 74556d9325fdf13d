// Version-aware validation: each contract is judged by the official schema of its apiVersion,
// messages name that version, and alternatives (oneOf/anyOf) collapse into one message.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseContract } from '../src/contract/load-contract.js';

const head = (v: string) => `apiVersion: ${v}\nkind: DataContract\nid: c\nversion: 1.0.0\nstatus: active\n`;
const messages = (text: string) =>
  parseContract('c.yaml', text).diagnostics.map(
    (d) => `${d.location.line}:${d.location.column} ${d.severity} ${d.message}`,
  );

describe('each version is judged by its own schema', () => {
  test('a v3.0 team array is valid v3.0.2 and read as team.members', () => {
    const r = parseContract('c.yaml', head('v3.0.2') + 'team:\n  - username: a\n    role: owner\n');
    assert.deepEqual(r.diagnostics, []);
    assert.equal(r.schemaVersion, 'v3.0.2');
    assert.deepEqual(r.contract?.team, { members: [{ username: 'a', role: 'owner' }] });
  });

  test('a v3.0 contract that breaks v3.0 and v3.1 is rejected with v3.0 messages', () => {
    const m = messages(head('v3.0.1') + 'team:\n  - username: 5\n');
    assert.deepEqual(m, ["7:15 error 'username' must be string (ODCS v3.0.1 schema)"]);
  });

  test('a v3.0 contract using v3.1 constructs is read as v3.1.0 with one warning naming the construct', () => {
    const r = parseContract(
      'c.yaml',
      head('v3.0.0') + 'schema:\n  - name: t\n    properties:\n      - name: at\n        logicalType: timestamp\n',
    );
    assert.ok(r.contract);
    assert.equal(r.schemaVersion, 'v3.1.0');
    assert.equal(r.diagnostics.length, 1);
    assert.equal(r.diagnostics[0]!.rule, 'ODCS-API-VERSION');
    assert.match(
      r.diagnostics[0]!.message,
      /declares apiVersion v3\.0\.0 but uses ODCS v3\.1\.0 constructs \(10:22 'logicalType' must be one of .*\); it is read as v3\.1\.0: set apiVersion: v3\.1\.0/,
    );
  });

  test('a v3.0 library rule (`rule:`) is valid v3.0 and read as a v3.1 metric', () => {
    const r = parseContract(
      'c.yaml',
      head('v3.0.2') +
        `schema:
  - name: t
    quality:
      - rule: rowCount
        mustBeGreaterThan: 0
    properties:
      - name: id
        logicalType: string
        quality:
          - rule: nullCheck
          - rule: validValues
            validValues: [a, b]
          - rule: duplicateCount
            mustBeLessThan: 10
`,
    );
    assert.deepEqual(r.diagnostics, []);
    const o = r.contract!.schema![0]!;
    assert.deepEqual(o.quality, [{ metric: 'rowCount', mustBeGreaterThan: 0 }]);
    assert.deepEqual(o.properties![0]!.quality, [
      { metric: 'nullValues', mustBe: 0 },
      { metric: 'invalidValues', arguments: { validValues: ['a', 'b'] }, mustBe: 0 },
      { metric: 'duplicateValues', mustBeLessThan: 10 },
    ]);
  });

  test('v3.1 `rule:` names its v3.0 spelling', () => {
    const m = messages(
      head('v3.1.0') +
        'schema:\n  - name: t\n    quality:\n      - type: library\n        rule: rowCount\n        mustBeGreaterThan: 1\n',
    );
    assert.equal(m.length, 1, m.join('\n'));
    assert.match(
      m[0]!,
      /missing required property 'metric' in quality item 1 \('rule' is its ODCS v3\.0 spelling: run mesh contract upgrade\) \(ODCS v3\.1\.0 schema\)/,
    );
  });
});

describe('alternatives collapse into one message', () => {
  test('a quality rule without operator: one message listing the operators, not eight', () => {
    const m = messages(head('v3.1.0') + 'schema:\n  - name: t\n    quality:\n      - metric: rowCount\n');
    assert.deepEqual(m, [
      "9:9 error quality item 1 needs one of 'mustBe', 'mustNotBe', 'mustBeGreaterThan', 'mustBeGreaterOrEqualTo', 'mustBeLessThan', 'mustBeLessOrEqualTo', 'mustBeBetween', 'mustNotBeBetween' (ODCS v3.1.0 schema)",
    ]);
  });

  test('a malformed operator is reported once, naming the alternative it was read as', () => {
    const m = messages(
      head('v3.1.0') + 'schema:\n  - name: t\n    quality:\n      - metric: rowCount\n        mustBeBetween: [1]\n',
    );
    assert.deepEqual(m, [
      "10:24 error 'mustBeBetween' must NOT have fewer than 2 items (read as the form with 'mustBeBetween') (ODCS v3.1.0 schema)",
    ]);
  });

  test('a v3.1 team array with a bad member is read as the array form, not "must be object"', () => {
    const m = messages(head('v3.1.0') + 'team:\n  - username: a\n    colour: red\n');
    assert.deepEqual(m, [
      "8:5 error unknown property 'colour' in team item 1 (read as the array form) (ODCS v3.1.0 schema)",
    ]);
  });

  test('a wrong type for every alternative says what it must be', () => {
    const m = messages(head('v3.1.0') + 'team: 42\n');
    assert.deepEqual(m, ["6:7 error 'team' must be object or array (ODCS v3.1.0 schema)"]);
  });
});
