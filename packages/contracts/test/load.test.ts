import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  loadContract,
  parseContract,
  parseSource,
  loadSource,
  MeshError,
  decodeUtf8,
  MAX_FILE_BYTES,
} from '../src/index.js';
import { officialExamples, tempDir, tempFile } from './helpers.js';

const VALID = `apiVersion: v3.1.0
kind: DataContract
id: orders-contract
version: 1.0.0
status: active
schema:
  - name: orders
    properties:
      - name: order_id
        logicalType: string
        required: true
`;

function meshError(fn: () => unknown): MeshError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof MeshError, `expected a MeshError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected a MeshError');
}

describe('loading contracts', () => {
  test('all official ODCS examples are valid', () => {
    const files = officialExamples();
    assert.equal(files.length, 18);
    // Three official examples declare v3.0.2 but use v3.1.0 constructs: read as v3.1.0, with a warning.
    const misdeclared = ['all-data-types', 'basic-four-dpo', 'column-completeness'];
    for (const f of files) {
      const r = loadContract(f);
      assert.ok(r.contract, f);
      if (misdeclared.some((m) => f.includes(m))) {
        assert.deepEqual(
          r.diagnostics.map((d) => [d.rule, d.severity]),
          [['ODCS-API-VERSION', 'warning']],
          f,
        );
        assert.equal(r.schemaVersion, 'v3.1.0');
      } else {
        assert.deepEqual(r.diagnostics, [], f);
      }
    }
  });

  test('v3.0.x contracts are accepted', () => {
    const r = parseContract('c.yaml', VALID.replace('v3.1.0', 'v3.0.2'));
    assert.ok(r.contract);
  });

  test('JSON contracts load too', () => {
    const json = JSON.stringify(
      { apiVersion: 'v3.1.0', kind: 'DataContract', id: 'x', version: '1.0.0', status: 'draft' },
      null,
      2,
    );
    const r = loadContract(tempFile('c.odcs.json', json));
    assert.ok(r.contract);
  });

  test('a wrong type is reported at the value with line:col', () => {
    const r = parseContract('c.yaml', VALID.replace('required: true', 'required: yes please'));
    assert.equal(r.contract, undefined);
    assert.equal(r.diagnostics.length, 1);
    const d = r.diagnostics[0]!;
    assert.equal(d.rule, 'ODCS-SCHEMA');
    assert.match(d.message, /'required' must be boolean/);
    assert.deepEqual([d.location.line, d.location.column], [11, 19]);
  });

  test('an unknown key is reported at the key, naming the element', () => {
    const r = parseContract('c.yaml', VALID + '        colour: red\n');
    const d = r.diagnostics.find((x) => /colour/.test(x.message));
    assert.ok(d, JSON.stringify(r.diagnostics));
    assert.match(d.message, /unknown property 'colour' in properties item 'order_id'/);
    assert.deepEqual([d.location.line, d.location.column], [12, 9]);
  });

  test('a missing required key is reported once, at its parent', () => {
    const r = parseContract('c.yaml', VALID.replace('status: active\n', ''));
    assert.deepEqual(
      r.diagnostics.map((d) => d.message),
      ["missing required property 'status' (ODCS v3.1.0 schema)"],
    );
  });

  test('an unknown apiVersion is one clear error (exit 2) naming the supported versions', () => {
    const e = meshError(() => parseContract('c.yaml', VALID.replace('v3.1.0', 'v3.2.0')));
    assert.equal(e.code, 'UNSUPPORTED_API_VERSION');
    assert.equal(e.exitCode, 2);
    assert.equal(
      e.format(),
      'c.yaml:1:13: unsupported apiVersion "v3.2.0": Meshkit reads ODCS v3.1.0, v3.0.2, v3.0.1, v3.0.0',
    );
    const v2 = meshError(() => parseContract('c.yaml', VALID.replace('v3.1.0', 'v2.2.2')));
    assert.match(
      v2.message,
      /unsupported apiVersion "v2.2.2": Meshkit reads ODCS v3.1.0, v3.0.2, v3.0.1, v3.0.0; .*mesh contract upgrade only upgrades v3.0.x/,
    );
    assert.doesNotMatch(v2.message, /\n/);
  });

  test('an empty file is an invalid contract, not a crash', () => {
    const r = parseContract('c.yaml', '# nothing here\n');
    assert.match(r.diagnostics[0]!.message, /empty/);
  });
});

describe('unreadable input (exit 2, with a position where one exists)', () => {
  test('malformed YAML', () => {
    const e = meshError(() => parseSource('c.yaml', 'a: [1, 2\nb: 3\n'));
    assert.equal(e.code, 'YAML_SYNTAX');
    assert.equal(e.exitCode, 2);
    assert.ok(e.line && e.column);
  });

  test('duplicate keys name the key and its position', () => {
    const e = meshError(() => parseSource('c.yaml', 'id: a\nname: x\nid: b\n'));
    assert.equal(e.code, 'YAML_DUPLICATE_KEY');
    assert.match(e.message, /duplicate key 'id'/);
    assert.deepEqual([e.line, e.column], [3, 1]);
  });

  test('duplicate keys are caught on the alias path too', () => {
    const e = meshError(() => parseSource('c.yaml', 'a: &x 1\nb: *x\na: 2\n'));
    assert.equal(e.code, 'YAML_DUPLICATE_KEY');
    assert.equal(e.line, 3);
  });

  test('alias bombs are refused quickly', () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 10; i++) {
      const prev = String.fromCharCode(96 + i);
      const cur = String.fromCharCode(97 + i);
      levels.push(
        `${cur}: &${cur} [${Array(9)
          .fill('*' + prev)
          .join(',')}]`,
      );
    }
    const e = meshError(() => parseSource('bomb.yaml', levels.join('\n') + '\n'));
    assert.equal(e.code, 'YAML_ALIAS_LIMIT');
  });

  test('a few aliases are fine', () => {
    const s = parseSource('c.yaml', 'a: &a [1, 2]\nb: *a\n');
    assert.deepEqual(s.data, { a: [1, 2], b: [1, 2] });
  });

  test('deep nesting is refused, not a stack overflow', () => {
    for (const text of [
      '['.repeat(100_000),
      'a:\n' + Array.from({ length: 200 }, (_, i) => ' '.repeat(i + 1) + 'a:').join('\n') + ' 1\n',
      '- '.repeat(5000) + '1\n',
    ]) {
      const e = meshError(() => parseSource('deep.yaml', text));
      assert.ok(['YAML_TOO_DEEP', 'YAML_SYNTAX'].includes(e.code), e.code);
    }
    const e = meshError(() => parseSource('deep.yaml', '['.repeat(80) + ']'.repeat(80)));
    assert.equal(e.code, 'YAML_TOO_DEEP');
  });

  test('several documents in one file', () => {
    const e = meshError(() => parseSource('c.yaml', 'a: 1\n---\nb: 2\n'));
    assert.equal(e.code, 'YAML_SYNTAX');
  });

  test('non-UTF-8 bytes give the line and column of the first bad byte', () => {
    const bytes = Buffer.concat([Buffer.from('id: ok\nname: caf'), Buffer.from([0xe9]), Buffer.from('\n')]);
    const e = meshError(() => loadSource(tempFile('latin1.yaml', bytes)));
    assert.equal(e.code, 'NOT_UTF8');
    assert.deepEqual([e.line, e.column], [2, 10]);
    assert.match(e.message, /0xe9/);
  });

  test('valid multi-byte UTF-8 and a BOM decode', () => {
    assert.equal(decodeUtf8(Buffer.from('\uFEFFnamé: 日本 🎉', 'utf8')), 'namé: 日本 🎉');
    const e = meshError(() => decodeUtf8(Buffer.from([0x61, 0xed, 0xa0, 0x80])));
    assert.equal(e.column, 2);
  });

  test('UTF-16 is named', () => {
    const e = meshError(() => decodeUtf8(Buffer.from([0xff, 0xfe, 0x61, 0x00])));
    assert.match(e.message, /UTF-16/);
  });

  test('a missing file, a directory and an oversized file', () => {
    assert.equal(meshError(() => loadContract('/nonexistent/contract.yaml')).code, 'FILE_NOT_FOUND');
    const dir = tempDir();
    const e = meshError(() => loadContract(dir));
    assert.equal(e.code, 'NOT_A_FILE');
    assert.match(e.message, /directory/);
    const big = tempFile('big.yaml', 'a: "' + 'x'.repeat(MAX_FILE_BYTES) + '"\n');
    const b = meshError(() => loadContract(big));
    assert.equal(b.code, 'FILE_TOO_LARGE');
    assert.match(b.format(), /big\.yaml: file is 5\.0 MiB, over the 5\.0 MiB limit/);
  });
});

test('the committed precompiled validators match the schemas', async () => {
  const script = fileURLToPath(new URL('../scripts/generate-validators.mjs', import.meta.url));
  const { generate } = (await import(script)) as { generate: () => string };
  const committed = readFileSync(fileURLToPath(new URL('../src/generated/validators.js', import.meta.url)), 'utf8');
  assert.ok(
    generate() === committed,
    'src/generated/validators.js is stale: run `npm run generate -w @meshkit/contracts`',
  );
});
