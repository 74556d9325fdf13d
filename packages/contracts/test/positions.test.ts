// The fast position index (js-yaml events) must agree with the `yaml` library's node ranges for
// every node of real contracts: values, keys, sequence items, flow collections, block scalars.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, isMap, isSeq, isScalar, type Node } from 'yaml';
import { parseSource } from '../src/index.js';
import { officialExamples } from './helpers.js';

type P = Array<string | number>;

/** Every path of the document with the expected value and key start positions (from `yaml`). */
function expected(text: string): Array<{ path: P; value: [number, number]; key?: [number, number] }> {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc });
  const out: Array<{ path: P; value: [number, number]; key?: [number, number] }> = [];
  const pos = (n: Node) => {
    const p = lc.linePos(n.range![0]);
    return [p.line, p.col] as [number, number];
  };
  const walk = (node: unknown, path: P, key?: Node) => {
    if (!node || !(isMap(node) || isSeq(node) || isScalar(node))) return;
    out.push({ path, value: pos(node), ...(key ? { key: pos(key) } : {}) });
    if (isMap(node))
      for (const pair of node.items) {
        if (isScalar(pair.key)) walk(pair.value, [...path, String(pair.key.value)], pair.key);
      }
    if (isSeq(node)) node.items.forEach((item, i) => walk(item, [...path, i]));
  };
  walk(doc.contents, []);
  return out;
}

const samples: Array<[string, string]> = [
  ...officialExamples().map((f) => [f, readFileSync(f, 'utf8')] as [string, string]),
  [
    'flow and scalars',
    'a: 1\nb:\n  - x\n  - {k: v, q: [1, 2]}\n  -   name: "n"\n      # comment\n      val: |\n        text\n      empty:\n      after: 2\nc: \'z\'\nd: [ ]\n',
  ],
  ['compact nested sequences', 'list:\n- - 1\n  - 2\n- - 3\nmap:\n  ? complex\n  : value\n'],
];

for (const [name, text] of samples) {
  test(`fast positions match the yaml library: ${name.split('/').slice(-2).join('/')}`, () => {
    const source = parseSource('x.yaml', text);
    for (const { path, value, key } of expected(text)) {
      const got = source.locate(path);
      assert.deepEqual([got.line, got.column], value, `value at ${JSON.stringify(path)}`);
      if (key) {
        const k = source.locate(path, { key: true });
        assert.deepEqual([k.line, k.column], key, `key at ${JSON.stringify(path)}`);
      }
    }
  });
}

test('a missing path is located at its deepest existing ancestor', () => {
  const s = parseSource('x.yaml', 'a:\n  b: 1\n');
  const l = s.locate(['a', 'c', 'd']);
  assert.deepEqual([l.line, l.column], [2, 3]);
  const k = s.locate(['a', 'c'], { key: true });
  assert.deepEqual([k.line, k.column], [1, 1]);
});
