// mesh contract upgrade: v3.0.x → v3.1.0, only the changed characters rewritten, no semantic change.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { diffContracts, MeshError, parseContract, upgradeContractText } from '../src/index.js';

const CORPUS = fileURLToPath(new URL('./fixtures/corpus/', import.meta.url));

function noChange(before: string, after: string): void {
  const a = parseContract('old.yaml', before);
  const b = parseContract('new.yaml', after);
  assert.ok(a.contract && b.contract);
  assert.deepEqual(b.diagnostics, []);
  assert.equal(b.schemaVersion, 'v3.1.0');
  const r = diffContracts([{ contract: a.contract, source: a.source }], { contract: b.contract, source: b.source });
  assert.deepEqual(
    r.changes.map((c) => c.message),
    [],
  );
  assert.equal(r.requiredBump, 'none');
}

describe('upgrade keeps everything it does not change', () => {
  test('comments, quotes, flow style, a flush team list, block validValues, flow rule items', () => {
    const before = `# header comment
apiVersion: "v3.0.1" # the standard
kind: DataContract
id: c
version: 1.0.0
status: active
team:
- username: a   # the owner
  role: owner
schema:
  - name: t
    properties:
      - name: s
        logicalType: string
        quality:
          - rule: validValues
            validValues:
              - x   # first
              - 'y'
          - { rule: nullCheck, severity: error }
      - name: at
        logicalType: "date"
        physicalType: TIMESTAMP(3) WITH TIME ZONE
        examples: ["2024-01-01T00:00:00Z"]
`;
    const r = upgradeContractText('c.yaml', before);
    assert.equal(r.outcome, 'upgraded');
    assert.equal(r.from, 'v3.0.1');
    assert.equal(
      r.text,
      `# header comment
apiVersion: "v3.1.0" # the standard
kind: DataContract
id: c
version: 1.0.0
status: active
team:
  members:
  - username: a   # the owner
    role: owner
schema:
  - name: t
    properties:
      - name: s
        logicalType: string
        quality:
          - metric: invalidValues
            arguments:
              validValues:
                - x   # first
                - 'y'
            mustBe: 0
          - { metric: nullValues, severity: error, mustBe: 0 }
      - name: at
        logicalType: "timestamp"
        physicalType: TIMESTAMP(3) WITH TIME ZONE
        examples: ["2024-01-01T00:00:00Z"]
`,
    );
    assert.deepEqual(r.edits, [
      '2:13 apiVersion: v3.0.1 → v3.1.0',
      '8:1 team array → team.members',
      '16:13 rule: validValues → metric: invalidValues (validValues → arguments.validValues) (+ mustBe: 0, what the v3.0 check meant)',
      '20:13 rule: nullCheck → metric: nullValues (+ mustBe: 0, what the v3.0 check meant)',
      '21:9 logicalType: date on a timestamp physical type → logicalType: timestamp',
    ]);
    noChange(before, r.text);
  });

  for (const f of readdirSync(CORPUS).filter((x) => /^v30/.test(x))) {
    test(`corpus ${f}: valid v3.1.0, no semantic change, only the v3.0 lines touched`, () => {
      const before = readFileSync(CORPUS + f, 'utf8');
      const r = upgradeContractText(f, before);
      assert.equal(r.outcome, 'upgraded');
      noChange(before, r.text);
      const kept = before
        .split('\n')
        .filter(
          (l) =>
            !/apiVersion|^ {2}- username|rule:|validValues|logicalType: date|exclusiveM|minimum: 0|^ {4}\w/.test(l),
        );
      const after = new Set(r.text.split('\n'));
      for (const line of kept) assert.ok(after.has(line) || after.has('  ' + line), `line lost: ${line}`);
    });
  }

  test('a v3.1.0 contract is current: nothing to do', () => {
    const text = readFileSync(CORPUS + 'v310-lakehouse-payments.odcs.yaml', 'utf8');
    assert.deepEqual(upgradeContractText('c.yaml', text), { text, outcome: 'current', from: 'v3.1.0', edits: [] });
  });
});

describe('upgrade refuses what it cannot do, writing nothing', () => {
  const head = 'apiVersion: v3.0.2\nkind: DataContract\nid: c\nversion: 1.0.0\nstatus: active\n';
  test('a v3.0 rule with no v3.1 equivalent', () => {
    const e = assert.throws(
      () => upgradeContractText('c.yaml', head + 'schema:\n  - name: t\n    quality:\n      - rule: countCheck\n'),
      (x: unknown) => {
        assert.ok(x instanceof MeshError);
        assert.equal(x.exitCode, 1);
        assert.match(x.message, /1 quality rule cannot be upgraded automatically: nothing was written/);
        assert.match(x.details[0]!.message, /'countCheck' has no ODCS v3\.1\.0 equivalent/);
        assert.deepEqual([x.details[0]!.location.line, x.details[0]!.location.column], [9, 15]);
        return true;
      },
    );
    void e;
  });
  test('an invalid v3.0 contract', () => {
    assert.throws(
      () => upgradeContractText('c.yaml', head + 'team:\n  - username: 5\n'),
      /not a valid ODCS v3\.0\.2 contract \(1 problem\): fix it first/,
    );
  });
  test('a v2 contract: one line, exit 2, upgrade does not cover v2', () => {
    assert.throws(
      () => upgradeContractText('c.yaml', head.replace('v3.0.2', 'v2.2.2')),
      (x: unknown) => {
        assert.ok(x instanceof MeshError);
        assert.equal(x.exitCode, 2);
        assert.match(x.message, /mesh contract upgrade only upgrades v3\.0\.x/);
        return true;
      },
    );
  });
});
