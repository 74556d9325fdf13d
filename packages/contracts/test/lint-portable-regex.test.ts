// The portable regular-expression subset: accepted patterns, rejected ones with their column,
// and a cross-check of accepted patterns against a real RE2 (DuckDB's regexp functions).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DuckDBInstance } from '@duckdb/node-api';
import { checkPortableRegex, isPortableRegex } from '../src/index.js';

const ACCEPTED = [
  'ACC[0-9]{8}',
  '^[A-Z]{2}-[0-9]{4}$',
  '^(?:foo|bar)+$',
  '(a|b)*c?',
  'a{2,}',
  'a{1,1000}',
  'x*?y+?z??w{2,3}?',
  '^\\d+\\.\\d{2}$',
  '[\\w.-]+@[\\w-]+\\.[a-z]{2,}',
  '\\bword\\B',
  '[^\\s,]+',
  '\\x41\\t\\n\\r\\f',
  '[-a-z]',
  '[a-z-]',
  '\\(\\)\\[\\]\\{\\}\\|\\^\\$\\*\\+\\?\\.\\\\\\/',
  '[\\-\\]\\[]',
  '',
  'é+',
  '^$',
  '(?:)',
  'a|',
  '[.*+?]',
];

const REJECTED: Array<[pattern: string, column: number, message: RegExp]> = [
  ['a(?=b)', 2, /look-ahead '\(\?='/],
  ['a(?!b)', 2, /look-ahead '\(\?!'/],
  ['(?<=a)b', 1, /look-behind '\(\?<='/],
  ['x(?<!a)b', 2, /look-behind '\(\?<!'/],
  ['(a)\\1', 4, /back-reference '\\1'/],
  ['(?<n>a)\\k<n>', 1, /named group \(\?<name>…\)/],
  ['ab\\k<n>', 3, /named back-reference '\\k<…>'/],
  ['(?P<n>a)', 1, /named group \(\?P<name>…\)/],
  ["(?'n'a)", 1, /named group \(\?'name'…\)/],
  ['(?P=n)', 1, /named back-reference '\(\?P='/],
  ['(?>ab)', 1, /atomic group/],
  ['a++', 2, /possessive quantifier 'a?\+\+'|possessive quantifier '\+\+'/],
  ['a{2}+', 2, /possessive quantifier '\{2\}\+'/],
  ['(?i)abc', 1, /inline flags '\(\?i\)'/],
  ['a(?i:b)', 2, /inline flags '\(\?i:'/],
  ['(?#note)a', 1, /comment group/],
  ['\\Aabc', 1, /anchor '\\A'.*use '\^'/],
  ['abc\\z', 4, /anchor '\\z'.*use '\$'/],
  ['abc\\Z', 4, /anchor '\\Z'/],
  ['\\p{L}+', 1, /Unicode property escape/],
  ['x\\P{Lu}', 2, /Unicode property escape/],
  ['\\u00e9', 1, /'\\u' escapes/],
  ['\\cA', 1, /control escape/],
  ['\\v', 1, /vertical/],
  ['\\0', 1, /NUL/],
  ['\\Qa.b\\E', 1, /quoting/],
  ['\\h', 1, /engine-specific or unknown/],
  ['a\\-b', 2, /needless escape '\\-'/],
  ['\\#', 1, /needless escape/],
  ['[a[b]]', 3, /'\[' inside a class/],
  ['[a&&b]', 3, /'&&' inside a class/],
  ['[]a]', 1, /empty class/],
  ['[^]', 1, /empty class/],
  ['[z-a]', 2, /range 'z-a' is out of order/],
  ['[\\d-z]', 4, /class escape as an end point/],
  ['[a-c-e]', 5, /'-' right after a range/],
  ['[\\b]', 2, /backspace/],
  ['*a', 1, /nothing to repeat/],
  ['^*', 2, /after the assertion '\^'/],
  ['\\b+', 3, /after the assertion '\\b'/],
  ['a**', 3, /nested quantifier/],
  ['a{2}{3}', 5, /nested quantifier/],
  ['a{1001}', 2, /above 1000/],
  ['a{3,2}', 2, /out of order/],
  ['a{,3}', 2, /unescaped '\{'/],
  ['{', 1, /unescaped '\{'/],
  ['a}', 2, /unescaped '\}'/],
  ['a]', 2, /unescaped '\]'/],
  ['(ab', 1, /unclosed group/],
  ['ab)', 3, /unmatched '\)'/],
  ['[ab', 1, /unclosed character class/],
  ['ab\\', 3, /trailing backslash/],
  ['\\x4', 1, /two hex digits/],
  ['éé(?=x)', 3, /look-ahead/],
];

describe('checkPortableRegex', () => {
  for (const p of ACCEPTED) {
    test(`accepts ${JSON.stringify(p)}`, () => {
      assert.equal(checkPortableRegex(p), undefined);
      assert.ok(isPortableRegex(p));
    });
  }
  for (const [p, column, message] of REJECTED) {
    test(`rejects ${JSON.stringify(p)} at column ${column}`, () => {
      const problem = checkPortableRegex(p);
      assert.ok(problem, 'expected a problem');
      assert.match(problem.message, message);
      assert.equal(problem.column, column, problem.message);
      assert.ok(problem.length >= 1);
      assert.equal(isPortableRegex(p), false);
    });
  }
  test('the column counts characters, not UTF-16 units', () => {
    assert.equal(checkPortableRegex('😀(?=a)')?.column, 2);
  });
  test('the span covers the construct', () => {
    assert.equal(checkPortableRegex('x(?<=a)')?.length, 4);
    assert.equal(checkPortableRegex('\\p{Script=Greek}')?.length, 16);
  });
  test('every accepted pattern compiles in ECMAScript (u and non-u mode)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-c()[\]{}|*+?.^$\\0-9,-]{0,12}$/), (p) => {
        if (!isPortableRegex(p)) return;
        assert.doesNotThrow(() => new RegExp(p, 'u'), p);
        assert.doesNotThrow(() => new RegExp(p), p);
      }),
      { numRuns: 3000 },
    );
  });
  test('never throws, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (p) => {
        checkPortableRegex(p);
      }),
      { numRuns: 2000 },
    );
  });
  test('deeply nested groups are reported, not a stack overflow', () => {
    assert.match(checkPortableRegex('('.repeat(5000) + ')'.repeat(5000))?.message ?? '', /nested more than/);
  });
});

describe('portable patterns in RE2 (DuckDB)', () => {
  test('every accepted pattern compiles and matches like ECMAScript in RE2; look-around does not compile', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    try {
      const samples = ['ACC12345678', 'AB-1234', 'foobar', 'aac', 'a@b.io', 'word', '', 'x.y', 'é'];
      for (const p of ACCEPTED) {
        for (const s of samples) {
          const reader = await conn.runAndReadAll(`select regexp_matches($s, $p) as m`, { s, p });
          const got = reader.getRowObjects()[0]!.m;
          assert.equal(got, new RegExp(p, 'u').test(s), `${JSON.stringify(p)} on ${JSON.stringify(s)}`);
        }
      }
      await assert.rejects(conn.run(`select regexp_matches('ab', 'a(?=b)')`));
      await assert.rejects(conn.run(`select regexp_matches('aa', '(a)\\1')`));
    } finally {
      conn.closeSync?.();
    }
  });
});
