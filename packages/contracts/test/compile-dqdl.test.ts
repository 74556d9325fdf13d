import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { compileQuality, toDqdl, toSqlChecks, dqdlString, type QualityCheck } from '../src/compile/index.js';
import { loadContract } from '../src/contract/load-contract.js';
import { contractWith, ordersContract } from './compile-fixture.js';
import { EXAMPLES_DIR } from './helpers.js';

// ---- a small DQDL tokenizer + validator following the grammar summary (aws-facts.md) ----
type Tok = { t: 'str' | 'num' | 'word' | 'punct'; v: string };
function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const ch = src[i]!;
    if (/\s/.test(ch)) { i++; continue; }
    if (ch === '#') { while (i < src.length && src[i] !== '\n') i++; continue; }
    if (ch === '"') {
      let v = ''; i++;
      for (;;) {
        if (i >= src.length) throw new Error('unterminated string');
        const c = src[i]!;
        if (c === '\n') throw new Error('line break in string');
        if (c === '\\') { const n = src[i + 1]; if (n !== '\\' && n !== '"') throw new Error(`bad escape \\${n}`); v += n; i += 2; continue; }
        if (c === '"') { i++; break; }
        v += c; i++;
      }
      out.push({ t: 'str', v }); continue;
    }
    const num = /^-?\d+(\.\d+)?/.exec(src.slice(i));
    if (num) { out.push({ t: 'num', v: num[0] }); i += num[0].length; continue; }
    const op = /^(!=|>=|<=|=|>|<|\[|\]|\(|\)|,)/.exec(src.slice(i));
    if (op) { out.push({ t: 'punct', v: op[0] }); i += op[0].length; continue; }
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
    if (word) { out.push({ t: 'word', v: word[0] }); i += word[0].length; continue; }
    throw new Error(`unexpected character ${JSON.stringify(ch)} at ${i}`);
  }
  return out;
}
const PARAMS: Record<string, [min: number, max: number, condition: boolean]> = {
  IsComplete: [1, 1, false], Completeness: [1, 1, true], IsUnique: [1, 1, false], Uniqueness: [1, 9, true],
  IsPrimaryKey: [1, 9, false], ColumnValues: [1, 1, true], ColumnLength: [1, 1, true], RowCount: [0, 0, true],
  DataFreshness: [1, 1, true], CustomSql: [1, 1, true], ColumnExists: [1, 1, false],
};
/** Validates a ruleset; returns the number of top-level rules. */
export function parseDqdl(src: string): number {
  const toks = tokenize(src);
  let p = 0;
  const peek = () => toks[p];
  const next = () => { const t = toks[p++]; if (!t) throw new Error('unexpected end'); return t; };
  const expect = (v: string) => { const t = next(); if (t.v !== v || t.t === 'str') throw new Error(`expected ${v}, got ${t.v}`); };
  const value = () => { const t = next(); if (t.t !== 'num' && t.t !== 'str' && !(t.t === 'word' && t.v === 'NULL')) throw new Error(`bad value ${t.v}`); return t; };
  const condition = (rule: string) => {
    const t = next();
    if (['=', '!=', '>', '>=', '<', '<='].includes(t.v) && t.t === 'punct') {
      const v = value();
      if (rule === 'DataFreshness') { if (v.t !== 'num') throw new Error('duration'); const u = next(); if (!['hours', 'minutes', 'days'].includes(u.v)) throw new Error(`bad unit ${u.v}`); }
      return;
    }
    if (t.v === 'not') { expect('between'); value(); expect('and'); value(); return; }
    if (t.v === 'between') { value(); expect('and'); value(); return; }
    if (t.v === 'in') { expect('['); value(); while (peek()?.v === ',') { next(); value(); } expect(']'); return; }
    if (t.v === 'matches') { if (next().t !== 'str') throw new Error('matches needs a string'); return; }
    throw new Error(`bad condition ${t.v}`);
  };
  const atom = () => {
    const type = next();
    const spec = PARAMS[type.v];
    if (type.t !== 'word' || !spec) throw new Error(`unknown rule type ${type.v}`);
    let n = 0;
    while (peek()?.t === 'str') { next(); n++; }
    if (n < spec[0] || n > spec[1]) throw new Error(`${type.v}: ${n} parameters`);
    const c = peek();
    if (spec[2]) condition(type.v);
    else if (c && c.t === 'punct' && !['(', ')', ',', ']'].includes(c.v)) throw new Error(`${type.v} takes no condition`);
    if (peek()?.v === 'where') { next(); if (next().t !== 'str') throw new Error('where needs a string'); }
    if (peek()?.v === 'with') { next(); expect('threshold'); condition('threshold'); }
  };
  const rule = () => {
    if (peek()?.v === '(' && peek()?.t === 'punct') {
      next(); rule(); expect(')');
      while (peek()?.v === 'and' || peek()?.v === 'or') { next(); expect('('); rule(); expect(')'); }
      return;
    }
    atom();
  };
  expect('Rules'); expect('='); expect('[');
  let count = 0;
  if (peek()?.v !== ']') { rule(); count++; while (peek()?.v === ',') { next(); rule(); count++; } }
  expect(']');
  if (p !== toks.length) throw new Error('trailing tokens');
  return count;
}

test('the test parser rejects malformed rulesets', () => {
  assert.equal(parseDqdl('Rules = []'), 0);
  assert.equal(parseDqdl('Rules = [ IsComplete "a", (RowCount > 0) and (IsUnique "b") ]'), 2);
  for (const bad of ['Rules = [ IsComplete "a" > 1 ]', 'Rules = [ Completeness "a" ]', 'Rules = [ IsComplete "a\\x" ]',
    'Rules = [ IsComplete "a" IsUnique "b" ]', 'Rules = [ Foo "a" ]', 'Rules = [ IsComplete "a", ]', 'Rules = [ DataFreshness "a" <= 3 weeks ]']) {
    assert.throws(() => parseDqdl(bad), Error, bad);
  }
});

test('orders ruleset: specific rules', () => {
  const dqdl = toDqdl(compileQuality(ordersContract()));
  const lines = dqdl.split('\n').map((l) => l.trim().replace(/,$/, ''));
  const has = (l: string) => assert.ok(lines.includes(l), `missing: ${l}\n${dqdl}`);
  has('IsComplete "order_id"');
  has('IsPrimaryKey "order_id" "line_no"');
  has('ColumnValues "status" in ["NEW","PAID","SHIPPED"] where "`status` is not null"');
  has('ColumnValues "order_id" matches "^ORD-[0-9]+$" where "`order_id` is not null"');
  has('ColumnValues "line_no" >= 1 where "`line_no` is not null"');
  has('(ColumnValues "amount" >= 0 where "`amount` is not null") and (ColumnValues "amount" <= 100000 where "`amount` is not null")');
  has('(ColumnLength "country_code" >= 2 where "`country_code` is not null") and (ColumnLength "country_code" <= 2 where "`country_code` is not null")');
  has('Completeness "email" > 0.9');
  has('(RowCount >= 1) and (RowCount <= 1000)');
  has('DataFreshness "updated_at" <= 96 hours');
  has('CustomSql "SELECT (SELECT count(*) FROM primary WHERE amount < 0) AS value" = 0');
  has('# email.nullValues (warning)');
  assert.ok(lines.some((l) => l.startsWith('# skipped customer.skipped: rules on nested property')));
  assert.ok(lines.some((l) => l.startsWith('# skipped table.skipped: text rules')));
  assert.equal(parseDqdl(dqdl), 17);
  assert.ok(!toDqdl(compileQuality(ordersContract()), { comment: false }).includes('#'));
});

test('escaping: quotes and backslashes in patterns and values', () => {
  assert.equal(dqdlString('a"b\\c'), '"a\\"b\\\\c"');
  const c = contractWith([{ name: 't', properties: [
    { name: 'code', logicalType: 'string', logicalTypeOptions: { pattern: '^\\d+"x"$' },
      quality: [{ metric: 'invalidValues', arguments: { validValues: ['say "hi"', 'back\\slash'] }, mustBe: 0 }] },
  ] }]);
  const dqdl = toDqdl(compileQuality(c));
  assert.ok(dqdl.includes('ColumnValues "code" matches "^\\\\d+\\"x\\"$"'), dqdl);
  assert.ok(dqdl.includes('in ["say \\"hi\\"","back\\\\slash"]'), dqdl);
  assert.equal(parseDqdl(dqdl), 2);
});

test('thresholds: exclusive DQDL between used only for exclusive bounds; percent nulls mirrored', () => {
  const c = contractWith([{ name: 't', quality: [{ metric: 'rowCount', mustNotBeBetween: [5, 10] }], properties: [
    { name: 'a', logicalType: 'number', logicalTypeOptions: { exclusiveMinimum: 0, exclusiveMaximum: 1 } },
    { name: 'b', logicalType: 'string', quality: [{ metric: 'nullValues', mustBeBetween: [1, 5], unit: 'percent' }] },
    { name: 'd', logicalType: 'date', logicalTypeOptions: { minimum: '2020-01-01' } },
    { name: 'e', logicalType: 'string', quality: [{ metric: 'nullValues', mustBeLessThan: 3 }] },
  ] }]);
  const dqdl = toDqdl(compileQuality(c));
  assert.ok(dqdl.includes('ColumnValues "a" between 0 and 1 where'), dqdl);
  assert.ok(dqdl.includes('(Completeness "b" >= 0.95) and (Completeness "b" <= 0.99)'), dqdl);
  assert.ok(dqdl.includes('ColumnValues "d" >= "2020-01-01" where'), dqdl);
  assert.ok(dqdl.includes('(RowCount < 5) or (RowCount > 10)'), dqdl);
  assert.ok(dqdl.includes('CustomSql "SELECT (SELECT coalesce(sum(CASE WHEN `e` IS NULL THEN 1 ELSE 0 END), 0) FROM primary) AS value" < 3'), dqdl);
  assert.equal(parseDqdl(dqdl), 5);
});

test('nested and list columns are skipped with a comment', () => {
  const c = contractWith([{ name: 't', properties: [{ name: 'tags', logicalType: 'array', required: true, items: { logicalType: 'string' } }] }]);
  const dqdl = toDqdl(compileQuality(c));
  assert.equal(dqdl, 'Rules = [\n  # skipped tags.required: DQDL does not support nested or list-typed columns\n]\n');
  assert.equal(parseDqdl(dqdl), 0);
});

/** Ids of the DQDL rules (from the `# id` comments that precede them). */
function dqdlIds(dqdl: string): string[] {
  const lines = dqdl.split('\n');
  return lines.flatMap((l, i) => {
    const m = /^\s*# (?!skipped )(\S+)/.exec(l);
    return m && lines[i + 1] && !/^\s*#/.test(lines[i + 1]!) ? [m[1]!] : [];
  });
}

test('DQDL and SQL are compiled from the same IR: same ids, same count', () => {
  const dir = EXAMPLES_DIR;
  const files = (d: string): string[] => readdirSync(d).flatMap((f) => statSync(join(d, f)).isDirectory() ? files(join(d, f)) : [join(d, f)]);
  const contracts = [ordersContract(), ...files(dir).map((f) => loadContract(f).contract!)];
  let compared = 0;
  for (const contract of contracts) {
    for (const object of contract.schema ?? []) {
      const checks: QualityCheck[] = compileQuality(contract, { object: object.name });
      const dqdl = toDqdl(checks);
      const count = parseDqdl(dqdl);
      const sql = toSqlChecks(checks, { table: 't' });
      const sqlIds = [...sql.rowPredicates, ...sql.datasetChecks].map((c) => c.id);
      const dqdlRuleIds = dqdlIds(dqdl);
      assert.equal(dqdlRuleIds.length, count);
      const nestedIds = checks.filter((c) => c.nested && c.kind !== 'skipped').map((c) => c.id);
      assert.deepEqual([...dqdlRuleIds, ...nestedIds].sort(), [...sqlIds].sort(), `${contract.id}/${object.name}`);
      assert.equal(new Set(checks.map((c) => c.id)).size, checks.length, 'ids are unique');
      compared += count;
    }
  }
  assert.ok(compared > 20, `compared ${compared} rules`);
});
