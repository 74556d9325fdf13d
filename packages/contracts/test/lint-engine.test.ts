// The lint engine: severities and overrides, configuration errors, schema-invalid input,
// positions and order, and the official ODCS examples.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { lintContract, lintRules, loadContract, MeshError, parseContract, resolveLintSettings } from '../src/index.js';
import { officialExamples } from './helpers.js';

const TEXT = `apiVersion: v3.1.0
kind: DataContract
id: orders
version: 1.0.0
status: active
schema:
  - name: orders
    properties:
      - name: order_id
        logicalType: string
        primaryKey: true
        description: Order id.
        classification: internal
      - name: email
        logicalType: string
        description: Buyer email.
        tags: [pii]
        classification: public
  - name: audit
    properties:
      - { name: at, logicalType: timestamp, description: When., classification: internal }
`;

const lint = (rules?: Record<string, 'off' | 'warn' | 'error'>) =>
  lintContract(parseContract('orders.odcs.yaml', TEXT), rules ? { rules } : {});

describe('lintContract', () => {
  test('reports every finding with its default severity, position, path and rationale, sorted by line', () => {
    const found = lint();
    assert.deepEqual(
      found.map((d) => [d.rule, d.severity, d.location.line, d.location.column]),
      [
        ['CONTRACT-OWNER', 'warning', 1, 1],
        ['CONTRACT-PRIMARY-KEY-REQUIRED', 'warning', 11, 9],
        ['CONTRACT-PII-CLASSIFICATION', 'error', 18, 25],
        ['CONTRACT-SCHEMA-QUALITY', 'warning', 19, 5],
      ],
    );
    const pii = found[2]!;
    assert.equal(pii.path, 'schema[0].properties[1].classification');
    assert.equal(pii.location.file, 'orders.odcs.yaml');
    assert.deepEqual([pii.location.endLine, pii.location.endColumn], [18, 31]);
    assert.equal(pii.rationale, lintRules.find((r) => r.id === 'CONTRACT-PII-CLASSIFICATION')!.rationale);
  });
  test('points at the key when a rule asks for it (primaryKey)', () => {
    const pk = lint().find((d) => d.rule === 'CONTRACT-PRIMARY-KEY-REQUIRED')!;
    assert.deepEqual([pk.location.line, pk.location.column, pk.location.endColumn], [11, 9, 19]);
  });
  test("'off' disables a rule, 'error' and 'warn' override its default", () => {
    const found = lint({
      'CONTRACT-OWNER': 'off',
      'CONTRACT-SCHEMA-QUALITY': 'error',
      'CONTRACT-PII-CLASSIFICATION': 'warn',
    });
    assert.deepEqual(
      found.map((d) => [d.rule, d.severity]),
      [
        ['CONTRACT-PRIMARY-KEY-REQUIRED', 'warning'],
        ['CONTRACT-PII-CLASSIFICATION', 'warning'],
        ['CONTRACT-SCHEMA-QUALITY', 'error'],
      ],
    );
  });
  test('an unknown rule id is a configuration error naming it and close matches', () => {
    assert.throws(
      () => lint({ 'CONTRACT-OWNR': 'off' }),
      (e: unknown) => {
        assert.ok(e instanceof MeshError);
        assert.equal(e.code, 'INVALID_CONFIG');
        assert.equal(e.exitCode, 2);
        assert.match(e.message, /unknown lint rule 'CONTRACT-OWNR'/);
        assert.match(e.message, /did you mean CONTRACT-OWNER\?/);
        assert.match(e.message, /known rules: .*CONTRACT-PORTABLE-REGEX/);
        return true;
      },
    );
  });
  test("rule ids of another family (the product lint's PRODUCT-…) are left to that lint", () => {
    assert.doesNotThrow(() => lint({ 'PRODUCT-CONSUMES-RANGE': 'warn' }));
    assert.throws(() => lint({ 'CONTRACT-NOPE': 'warn' }), /unknown lint rule 'CONTRACT-NOPE'/);
  });
  test('close matches are found by edit distance and by substring', () => {
    assert.throws(
      () => resolveLintSettings({ 'pii-classification': 'off' }),
      /did you mean CONTRACT-PII-CLASSIFICATION/,
    );
    assert.throws(
      () => resolveLintSettings({ 'CONTRACT-VERSION-SEMVR': 'off' }),
      /did you mean CONTRACT-VERSION-SEMVER\?/,
    );
    assert.throws(
      () => resolveLintSettings({ zzz: 'off' }),
      (e: unknown) => e instanceof MeshError && !/did you mean/.test(e.message),
    );
  });
  test('an invalid setting is a configuration error', () => {
    assert.throws(
      () => lint({ 'CONTRACT-OWNER': 'warning' as never }),
      (e: unknown) =>
        e instanceof MeshError &&
        e.code === 'INVALID_CONFIG' &&
        /'CONTRACT-OWNER' has setting "warning": use off, warn or error/.test(e.message),
    );
  });
  test('options are checked even for a schema-invalid contract', () => {
    assert.throws(
      () => lintContract(parseContract('x.yaml', 'kind: DataContract\n'), { rules: { NOPE: 'off' } }),
      MeshError,
    );
  });
  test('a schema-invalid contract gets only its schema diagnostics', () => {
    const loaded = parseContract(
      'bad.yaml',
      'apiVersion: v3.1.0\nkind: DataContract\nid: x\nversion: nope\nstatus: active\nschema: 5\n',
    );
    const found = lintContract(loaded);
    assert.ok(found.length >= 1);
    assert.ok(
      found.every((d) => d.rule === 'ODCS-SCHEMA'),
      JSON.stringify(found),
    );
  });
  test('a clean contract has no findings and never computes positions', () => {
    const text = `apiVersion: v3.1.0
kind: DataContract
id: c
version: 2.0.0
status: active
team: { name: sales }
schema:
  - name: t
    properties:
      - { name: k, logicalType: integer, description: Key., classification: internal, primaryKey: true, required: true }
`;
    const loaded = parseContract('clean.yaml', text);
    let located = 0;
    const locate = loaded.source.locate.bind(loaded.source);
    loaded.source.locate = (...args) => {
      located++;
      return locate(...args);
    };
    assert.deepEqual(lintContract(loaded), []);
    assert.equal(located, 0);
  });
  test('rule ids are unique, documented and follow CONTRACT-UPPER-KEBAB', () => {
    const ids = lintRules.map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const r of lintRules) {
      assert.match(r.id, /^CONTRACT-[A-Z0-9]+(?:-[A-Z0-9]+)*$/);
      assert.ok(r.rationale.length > 10 && !r.rationale.includes('\n'), r.id);
      assert.ok(r.description.length > r.rationale.length / 2, r.id);
      assert.ok(r.defaultSeverity === 'error' || r.defaultSeverity === 'warn');
    }
  });
});

describe('official ODCS examples', () => {
  const files = officialExamples();
  test('there are 18', () => assert.equal(files.length, 18));
  for (const file of files) {
    test(`${file.split('odcs-examples/')[1]} lints without errors under default severities`, () => {
      const loaded = loadContract(file);
      assert.ok(loaded.contract, 'schema-valid');
      const errors = lintContract(loaded).filter((d) => d.severity === 'error');
      assert.deepEqual(
        errors.map((d) => `${d.location.line}:${d.location.column} ${d.rule} ${d.message}`),
        [],
      );
    });
  }
  test('every rule set to error does fire on some example (the defaults are doing the work)', () => {
    const all = Object.fromEntries(lintRules.map((r) => [r.id, 'error' as const]));
    const fired = new Set(files.flatMap((f) => lintContract(loadContract(f), { rules: all }).map((d) => d.rule)));
    for (const id of [
      'CONTRACT-OWNER',
      'CONTRACT-PROPERTY-CLASSIFICATION',
      'CONTRACT-PRIMARY-KEY-REQUIRED',
      'CONTRACT-SCHEMA-QUALITY',
      'CONTRACT-PROPERTY-DESCRIPTION',
    ]) {
      assert.ok(fired.has(id), id);
    }
  });
});
