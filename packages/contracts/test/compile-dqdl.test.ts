import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  compileQuality,
  dqdlLeafRules,
  dqdlNumber,
  dqdlProblems,
  dqdlString,
  DqdlSyntaxError,
  metricSql,
  parseDqdl,
  toDqdl,
  toSqlChecks,
  utcTimestampText,
  type DqdlRule,
  type QualityCheck,
} from '../src/compile/index.js';
import { loadContract } from '../src/contract/load-contract.js';
import { MeshError } from '../src/errors.js';
import { contractWith, ordersContract } from './compile-fixture.js';
import { EXAMPLES_DIR } from './helpers.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
type Leaf = Extract<DqdlRule, { kind: 'rule' }>;
const leaves = (dqdl: string): Leaf[] => dqdlLeafRules(parseDqdl(dqdl).rules);
const rejects = (dqdl: string, reason: RegExp) =>
  assert.throws(
    () => parseDqdl(dqdl),
    (e: unknown) => e instanceof DqdlSyntaxError && reason.test(e.message),
    dqdl,
  );

// ---- the strict parser -------------------------------------------------------------------------

test('strict parser: the forms of the AWS reference parse, with the values Glue sees', () => {
  const r = parseDqdl(
    [
      'Rules = [',
      '  # a comment',
      '  RowCount between 100 and 200,',
      '  IsComplete "order_id",',
      '  Completeness "email" >= 0.95,',
      '  Uniqueness "a" "b" > 0.99 where "a > 0",',
      '  ColumnValues "status" in ["NEW","PAID", NULL, EMPTY] with threshold > 0.99,',
      '  ColumnValues "amount" between -1.5 and 100000,',
      '  ColumnValues "d" >= (now() - 3 days),',
      '  ColumnValues "d" <= "2020-01-01",',
      '  ColumnValues "email" matches "[^@]+@\\\\d\\"x",',
      '  ColumnValues "v" in ["say \\"hi\\"", "back\\\\slash"],',
      '  DataFreshness "updated_at" <= 24 hours,',
      '  CustomSql "select count(*) from primary where amount < 0" = 0,',
      '  (IsComplete "id") and ((IsUnique "id") or (RowCount > 0)),',
      '  ColumnLength "name" between 1 and 200',
      ']',
      '',
    ].join('\n'),
  );
  assert.equal(r.rules.length, 14);
  const all = dqdlLeafRules(r.rules);
  const byType = (t: string) => all.filter((x) => x.type === t);
  assert.deepEqual(byType('Uniqueness')[0]!.parameters, ['a', 'b']);
  assert.equal(byType('Uniqueness')[0]!.where, 'a > 0');
  assert.equal(byType('ColumnValues')[0]!.threshold?.op, '>');
  // matches: verbatim (backslashes stay); in [...]: \" and \\ unescaped.
  const m = byType('ColumnValues').find((x) => x.condition?.op === 'matches')!;
  assert.deepEqual(m.condition!.operands, [{ kind: 'string', value: '[^@]+@\\\\d\\"x' }]);
  const list = byType('ColumnValues').find((x) => x.parameters[0] === 'v')!;
  assert.deepEqual(list.condition!.operands, [
    { kind: 'string', value: 'say "hi"' },
    { kind: 'string', value: 'back\\slash' },
  ]);
  assert.equal(
    byType('ColumnValues').find((x) => x.parameters[0] === 'd' && x.condition?.op === '<=')!.condition!.type,
    'date',
  );
  assert.deepEqual(byType('DataFreshness')[0]!.condition, {
    type: 'duration',
    op: '<=',
    operands: [{ kind: 'duration', amount: 24, unit: 'hours' }],
  });
  assert.equal(r.rules[12]!.kind, 'composite');
  parseDqdl(
    'Rules = [ (RowCount > 0) and (RowCount > 1) and (RowCount > 2) and (RowCount > 3) and (RowCount > 4) and (RowCount > 5) ]',
  );
  rejects(
    'Rules = [ (RowCount > 0) and (RowCount > 1) and (RowCount > 2) and (RowCount > 3) and (RowCount > 4) and (RowCount > 5) and (RowCount > 6) ]',
    /depth/,
  );
});

test('strict parser: what Glue refuses is refused, at its position', () => {
  rejects('Rules = []\n', /No rules or analyzers provided/);
  rejects('Rules = [ RowCount > 1e21 ]', /number/);
  rejects('Rules = [ RowCount > 1e-7 ]', /number/);
  rejects('Rules = [ RowCount > .5 ]', /token recognition|number/);
  rejects('Rules = [ ColumnValues "ts" >= "2020-01-01 00:00:00" ]', /expected/);
  rejects('Rules = [ ColumnValues "ts" >= "2020-01-01T00:00:00Z" ]', /expected/);
  rejects('Rules = [ ColumnValues "ts" >= "2020-1-1" ]', /expected/);
  rejects('Rules = [ ColumnValues "s" in ["N/A", "2020-01-01"] ]', /expected/);
  rejects('Rules = [ ColumnValues "s" matches "12:30" ]', /expected/);
  rejects('Rules = [ DataFreshness "t" <= 0.5 hours ]', /expected/);
  rejects('Rules = [ DataFreshness "t" <= 3 weeks ]', /expected/);
  rejects('Rules = [ IsComplete "a" > 1 ]', /boolean/);
  rejects('Rules = [ Completeness "a" ]', /needs a condition/);
  rejects('Rules = [ Completeness "a" "b" > 0.5 ]', /not valid/);
  rejects('Rules = [ Foo "a" ]', /not valid/);
  rejects('Rules = [ IsComplete "a", ]', /rule type/);
  rejects('Rules = [ IsComplete "a" IsUnique "b" ]', /not valid/);
  rejects('Rules = [ CustomSql "select 1" = 1 where "x > 0" ]', /Where clause is not supported/);
  rejects('Rules = [ IsComplete "a" where "" ]', /Empty where/);
  rejects('Rules = [ RowCount > 0 with threshold > 0.5 ]', /Threshold condition not supported/);
  rejects('Rules = [ IsComplete "a\\" ]', /expected|token/);
  rejects('Rules = [ IsComplete "a" ] # no line break at the end', /line break/);
  rejects('Rules = [ IsComplete "a" ]\r\n', /token recognition/);
  rejects(
    'Rules = [ (((((((RowCount > 0) and (RowCount > 1)) and (RowCount > 2)) and (RowCount > 3)) and (RowCount > 4)) and (RowCount > 5)) and (RowCount > 6)) ]',
    /depth/,
  );
  assert.throws(
    () => parseDqdl('Rules = [\n  IsComplete "a",\n  Completeness "b"\n]'),
    (e: unknown) => e instanceof DqdlSyntaxError && e.line === 3 && e.column === 3,
  );
});

// ---- what the compiler emits -------------------------------------------------------------------

test('orders ruleset: specific rules, parsed strictly', () => {
  const dqdl = toDqdl(compileQuality(ordersContract()));
  const lines = dqdl.split('\n').map((l) => l.trim().replace(/,$/, ''));
  const has = (l: string) => assert.ok(lines.includes(l), `missing: ${l}\n${dqdl}`);
  has('IsComplete "order_id"');
  has('IsPrimaryKey "order_id" "line_no"');
  has('ColumnValues "status" in ["NEW","PAID","SHIPPED"] where "`status` is not null"');
  has('ColumnValues "order_id" matches "[\\s\\S]*(?:^ORD-[0-9]+$)[\\s\\S]*" where "`order_id` is not null"');
  has('ColumnValues "line_no" >= 1 where "`line_no` is not null"');
  has(
    '(ColumnValues "amount" >= 0 where "`amount` is not null") and (ColumnValues "amount" <= 100000 where "`amount` is not null")',
  );
  has(
    '(ColumnLength "country_code" >= 2 where "`country_code` is not null") and (ColumnLength "country_code" <= 2 where "`country_code` is not null")',
  );
  has('Completeness "email" > 0.9');
  has('(RowCount >= 1) and (RowCount <= 1000)');
  has('DataFreshness "updated_at" <= 4 days where "`updated_at` is not null"');
  has('CustomSql "SELECT (SELECT count(*) FROM primary WHERE amount < 0) AS value" = 0');
  has('# email.nullValues (warning)');
  assert.ok(lines.some((l) => l.startsWith('# skipped customer.skipped: rules on nested property')));
  assert.equal(parseDqdl(dqdl).rules.length, 17);
  assert.ok(!toDqdl(compileQuality(ordersContract()), { comment: false }).includes('#'));
});

test('dqdlString: verbatim (backslashes never doubled), bare quotes escaped, one line', () => {
  assert.equal(dqdlString('a"b\\c'), '"a\\"b\\c"');
  assert.equal(dqdlString('a\\"b'), '"a\\"b"', 'an escaped quote stays as it is');
  assert.equal(dqdlString('a\\\\"b'), '"a\\\\\\"b"');
  for (const s of ['a"b\\c', 'a\\"b', 'a\\\\"b', '\\\\', 'x"']) {
    const [rule] = leaves(`Rules = [ ColumnValues "c" matches ${dqdlString(s)} ]`);
    const seen = (rule!.condition!.operands[0] as { value: string }).value;
    // What Glue passes on reads, for Java/Spark, as the original: \" is ".
    assert.equal(seen.replace(/(?<!\\)((?:\\\\)*)\\"/g, '$1"'), s.replace(/(?<!\\)((?:\\\\)*)\\"/g, '$1"'), s);
  }
  assert.throws(() => dqdlString('a\nb'));
  assert.throws(() => dqdlString('a\\'));
});

test('dqdlNumber: plain decimals, exact', () => {
  assert.equal(dqdlNumber(1e21), '1000000000000000000000');
  assert.equal(dqdlNumber(1e-7), '0.0000001');
  assert.equal(dqdlNumber(-1.5e-10), '-0.00000000015');
  assert.equal(dqdlNumber(0.1234567890123456), '0.1234567890123456');
  assert.equal(dqdlNumber(-0), '0');
  assert.equal(dqdlNumber(1.25e22), '12500000000000000000000');
  for (const n of [1e21, 1e-7, 123.456, 5e-324, 1.7976931348623157e308]) assert.equal(Number(dqdlNumber(n)), n);
});

/** A corpus of contracts using every rule kind with edge values. */
function corpus() {
  return contractWith([
    {
      name: 'edge',
      quality: [
        { metric: 'rowCount', mustNotBeBetween: [5, 1e21] },
        { metric: 'duplicateValues', arguments: { properties: ['s', 'n'] }, mustBe: 0 },
        { metric: 'duplicateValues', arguments: { properties: ['s'] }, mustBeLessThan: 1e-7, unit: 'percent' },
        {
          id: 'multi_line_sql',
          type: 'sql',
          query:
            "SELECT count(*) -- rows with a 'bad' amount\nFROM ${object}\nWHERE n < 0 -- negative\n  AND s <> 'it''s' AND \"s\" <> 'a\\b'",
          mustBe: 0,
        },
      ],
      properties: [
        {
          name: 's',
          logicalType: 'string',
          required: true,
          unique: true,
          logicalTypeOptions: { pattern: 'ACC[0-9]{8}', minLength: 0, maxLength: 64 },
          quality: [
            { metric: 'invalidValues', arguments: { validValues: ['N/A', '2020-01-01'] }, mustBe: 0 },
            { id: 'time_like', metric: 'invalidValues', arguments: { validValues: ['12:30', '1:30 PM'] }, mustBe: 0 },
            { id: 'quotes', metric: 'invalidValues', arguments: { validValues: ['say "hi"', 'plain'] }, mustBe: 0 },
            {
              id: 'apostrophe',
              metric: 'invalidValues',
              arguments: { validValues: ["it's", 'back\\slash', 'two\nlines'] },
              mustBe: 0,
            },
            { id: 'quoted_pattern', metric: 'invalidValues', arguments: { pattern: '^"\\d+"$' }, mustBe: 0 },
            { id: 'empty_ok', metric: 'invalidValues', arguments: { pattern: '^[a-z]*$' }, mustBe: 0 },
            {
              id: 'tolerant',
              metric: 'invalidValues',
              arguments: { pattern: '\\d', validValues: ['x'] },
              mustBeLessThan: 5,
              unit: 'percent',
            },
            { metric: 'nullValues', mustBeBetween: [0.1, 99.95], unit: 'percent' },
            { id: 'null_rows', metric: 'nullValues', mustBeLessThan: 3 },
            { metric: 'missingValues', mustBeLessOrEqualTo: 2 },
          ],
        },
        {
          name: 'n',
          logicalType: 'number',
          logicalTypeOptions: { minimum: 1e-7, maximum: 1e21 },
          quality: [{ metric: 'invalidValues', arguments: { validValues: [1e21, 1e-7, -2.5] }, mustBe: 0 }],
        },
        { name: 'x', logicalType: 'integer', logicalTypeOptions: { exclusiveMinimum: 0, exclusiveMaximum: 10 } },
        {
          name: 'd',
          logicalType: 'date',
          logicalTypeOptions: { minimum: '2020-01-01', exclusiveMaximum: '2030-12-31' },
        },
        {
          name: 'ts',
          logicalType: 'timestamp',
          logicalTypeOptions: { minimum: '2020-01-01 00:00:00', maximum: '2030-01-01T12:30:00Z' },
        },
        { name: 'ts2', logicalType: 'timestamp', logicalTypeOptions: { minimum: '2020-01-01' } },
        { name: 'pct', logicalType: 'string', quality: [{ metric: 'nullValues', mustBe: 0, unit: 'percent' }] },
        { name: 'f30', logicalType: 'timestamp' },
      ],
    },
    {
      name: 'fresh',
      properties: [
        { name: 'a', logicalType: 'timestamp' },
        { name: 'b', logicalType: 'date' },
        { name: 'c', logicalType: 'timestamp' },
      ],
    },
  ]);
}

test('corpus: every rule kind with edge values compiles to DQDL that parses strictly and means the same', () => {
  const contract = {
    ...corpus(),
    slaProperties: [
      { property: 'latency', value: 30, unit: 'm', element: 'edge.f30' },
      { property: 'latency', value: 48, unit: 'h', element: 'fresh.a' },
      { property: 'freshness', value: 5, unit: 'h', element: 'fresh.b' },
      { property: 'latency', value: 0.1, unit: 'h', element: 'fresh.c' },
    ],
  } as ReturnType<typeof corpus>;
  const checks = compileQuality(contract, { object: 'edge' });
  const kinds = new Set(checks.map((c) => c.kind));
  for (const k of [
    'required',
    'nullValues',
    'missingValues',
    'allowedValues',
    'invalidValues',
    'pattern',
    'range',
    'length',
    'unique',
    'duplicateValues',
    'primaryKey',
    'rowCount',
    'freshness',
    'sql',
  ]) {
    if (k !== 'primaryKey') assert.ok(kinds.has(k as QualityCheck['kind']), `corpus lacks ${k}`);
  }
  const dqdl = toDqdl(checks);
  const rules = leaves(dqdl);
  const text = (id: string) => {
    const lines = dqdl.split('\n');
    const i = lines.findIndex((l) => l.trim().startsWith('#') && l.trim().slice(2).split(', ').includes(id));
    assert.ok(i >= 0, `no rule for ${id}\n${dqdl}`);
    return lines[i + 1]!.trim().replace(/,$/, '');
  };
  const parsed = (id: string) => leaves(`Rules = [ ${text(id)} ]`);
  // Plain decimals, never exponents.
  assert.ok(!/\d[eE][+-]?\d/.test(dqdl.replace(/"(?:\\.|[^"\\])*"/g, '""')), dqdl);
  assert.equal(text('table.rowCount'), '(RowCount < 5) or (RowCount > 1000000000000000000000)');
  assert.equal(
    text('n.range'),
    '(ColumnValues "n" >= 0.0000001 where "`n` is not null") and (ColumnValues "n" <= 1000000000000000000000 where "`n` is not null")',
  );
  assert.deepEqual(
    parsed('n.allowedValues')[0]!.condition!.operands.map((o) => (o as { text: string }).text),
    ['1000000000000000000000', '0.0000001', '-2.5'],
  );
  assert.equal(text('x.range'), 'ColumnValues "x" between 0 and 10 where "`x` is not null"');
  assert.equal(text('s.nullValues'), '(Completeness "s" >= 0.0005) and (Completeness "s" <= 0.999)');
  assert.equal(text('pct.required'), 'Completeness "pct" = 1.0');
  // Strings stay strings: date/time look-alikes, quotes, backslashes, line breaks go through CustomSql.
  const sIn = parsed('quotes')[0]!;
  assert.deepEqual(sIn.condition, {
    type: 'string',
    op: 'in',
    operands: [
      { kind: 'string', value: 'say "hi"' },
      { kind: 'string', value: 'plain' },
    ],
  });
  for (const id of ['s.allowedValues', 'time_like', 'apostrophe']) assert.equal(parsed(id)[0]!.type, 'CustomSql', id);
  const apostrophe = parsed('apostrophe')[0]!.parameters[0]!;
  assert.ok(
    apostrophe.includes("'it\\'s'") && apostrophe.includes("'back\\\\slash'") && apostrophe.includes("'two\\nlines'"),
    apostrophe,
  );
  // matches: a partial match kept under Glue's anchoring (deequ runs ^p$).
  const glueMatches = (id: string, value: string) => {
    const rule = parsed(id)[0]!;
    const pattern = (rule.condition!.operands[0] as { value: string }).value.replace(/(?<!\\)((?:\\\\)*)\\"/g, '$1"');
    return value !== '' && new RegExp(`^${pattern}$`).test(value);
  };
  const where = (id: string) => parsed(id)[0]!.where;
  for (const v of ['ACC12345678', 'XACC12345678Y', 'ACC1234567', '', 'a\nACC12345678']) {
    assert.equal(glueMatches('s.pattern', v), /ACC[0-9]{8}/.test(v), `ACC[0-9]{8} on ${JSON.stringify(v)}`);
  }
  for (const v of ['"12"', 'x"12"', '"1"2"']) assert.equal(glueMatches('quoted_pattern', v), /^"\d+"$/.test(v), v);
  assert.equal(where('s.pattern'), '`s` is not null');
  assert.equal(
    where('empty_ok'),
    "`s` is not null and `s` <> ''",
    'an empty string matching the pattern is left out (deequ fails it)',
  );
  // Timestamp bounds: DQDL has no timestamp literal, so a CustomSql over primary.
  const ts = parsed('ts.range')[0]!;
  assert.equal(ts.type, 'CustomSql');
  assert.match(
    ts.parameters[0]!,
    /CAST\('2020-01-01 00:00:00' AS TIMESTAMP\).*CAST\('2030-01-01 12:30:00' AS TIMESTAMP\)/,
  );
  // A zone is applied at compile time (DuckDB's CAST drops it, Spark converts): both engines compare UTC.
  assert.equal(utcTimestampText('2030-01-01 12:30:00+02:00'), '2030-01-01 10:30:00');
  assert.equal(utcTimestampText('2030-01-01T00:30:00.5-0130'), '2030-01-01 02:00:00.5');
  assert.equal(utcTimestampText('2030-01-01T12:30'), '2030-01-01T12:30');
  const local = toSqlChecks([checks.find((k) => k.id === 'ts.range')!], { table: 't' }).rowPredicates[0]!.sql;
  assert.match(local, /CAST\('2030-01-01 12:30:00' AS TIMESTAMP\)/);
  assert.equal(
    text('d.range'),
    '(ColumnValues "d" >= "2020-01-01" where "`d` is not null") and (ColumnValues "d" < "2030-12-31" where "`d` is not null")',
  );
  // Multi-line SQL: one line, comments dropped, strings and identifiers re-quoted for Spark, passed verbatim.
  const sql = parsed('multi_line_sql')[0]!.parameters[0]!;
  assert.equal(sql, "SELECT (SELECT count(*) FROM primary WHERE n < 0 AND s <> 'it\\'s' AND `s` <> 'a\\\\b') AS value");
  // Freshness: whole hours or days, never minutes; sub-hour SLAs as a CustomSql on the age in hours.
  const f30 = parsed('f30.freshness')[0]!;
  assert.equal(f30.type, 'CustomSql');
  assert.deepEqual(f30.condition, { type: 'number', op: '<=', operands: [{ kind: 'number', text: '0.5' }] });
  const fresh = toDqdl(compileQuality(contract, { object: 'fresh' }));
  assert.ok(fresh.includes('DataFreshness "a" <= 2 days where "`a` is not null"'), fresh);
  assert.ok(fresh.includes('DataFreshness "b" <= 5 hours where "`b` is not null"'), fresh);
  assert.ok(fresh.includes('<= 0.1') && !/minutes/.test(fresh), fresh);
  leaves(fresh);
  // CustomSql rules carry the Spark metric SQL unchanged (no second escaping).
  const tolerant = checks.find((c) => c.id === 'tolerant')!;
  assert.equal(parsed('tolerant')[0]!.parameters[0], metricSql(tolerant, 'primary', 'spark'));
  assert.ok(rules.length >= 20);
});

test('no duplicate rules: checks compiling to the same rule give one rule naming both', () => {
  const orders = loadContract(join(REPO, 'domains/sales/products/orders/contract.odcs.yaml')).contract!;
  const dqdl = toDqdl(compileQuality(orders));
  const texts = leaves(dqdl).map((r) => JSON.stringify(r));
  assert.equal(new Set(texts).size, texts.length, dqdl);
  assert.ok(dqdl.includes('# order_id.unique, orders_unique_ids\n'), dqdl);
});

test('a schema object without executable checks gets the minimal rule, in SQL and DQDL alike', () => {
  const c = contractWith([
    {
      name: 't',
      quality: [{ type: 'text', description: 'by hand' }],
      properties: [{ name: 'tags', logicalType: 'array', required: true, items: { logicalType: 'string' } }],
    },
  ]);
  const checks = compileQuality(c);
  const minimal = checks.find((k) => k.id === 'table.rowCount')!;
  assert.deepEqual([minimal.kind, minimal.threshold], ['rowCount', { op: '>=', value: 0 }]);
  const dqdl = toDqdl(checks);
  assert.deepEqual(
    leaves(dqdl).map((r) => r.type),
    ['RowCount'],
  );
  assert.ok(toSqlChecks(checks, { table: 't' }).datasetChecks.some((d) => d.id === 'table.rowCount'));
  assert.throws(
    () => toDqdl([]),
    (e: unknown) => e instanceof MeshError && e.code === 'DQDL_UNEXPRESSIBLE',
  );
});

test('a check with no DQDL rule of the same meaning is a problem at its source, never a different rule', () => {
  const c = contractWith([
    {
      name: 't',
      quality: [
        { id: 'two', type: 'sql', query: 'SELECT 1; SELECT 2', mustBe: 1 },
        { id: 'ddl', type: 'sql', query: "COPY (SELECT 1) TO '/tmp/x'", mustBe: 0 },
        { id: 'dollar', type: 'sql', query: 'SELECT count(*) FROM ${object} WHERE s = $$x$$', mustBe: 0 },
      ],
      properties: [
        { name: 's', logicalType: 'string', required: true },
        { name: 'd', logicalType: 'date', logicalTypeOptions: { minimum: '2020-02-30' } },
        { name: 'ts', logicalType: 'timestamp', logicalTypeOptions: { maximum: 'tomorrow' } },
      ],
    },
  ]);
  const checks = compileQuality(c);
  const problems = dqdlProblems(checks);
  assert.deepEqual(
    problems.map((p) => [p.id, p.source.join('.')]),
    [
      ['d.range', 'schema.0.properties.1.logicalTypeOptions'],
      ['ts.range', 'schema.0.properties.2.logicalTypeOptions'],
      ['two', 'schema.0.quality.0'],
      ['ddl', 'schema.0.quality.1'],
      ['dollar', 'schema.0.quality.2'],
    ],
  );
  assert.match(problems[2]!.message, /exactly one statement/);
  assert.match(problems[3]!.message, /one query.*not COPY/);
  assert.throws(
    () => toDqdl(checks),
    (e: unknown) => e instanceof MeshError && e.code === 'DQDL_UNEXPRESSIBLE' && /d\.range/.test(e.message),
  );
});

/** Ids of the DQDL rules (from the `# id, id` comments that precede them). */
function dqdlIds(dqdl: string): string[] {
  const lines = dqdl.split('\n');
  return lines.flatMap((l, i) => {
    const m = /^\s*# (?!skipped )(.+?)(?: \(warning\))?$/.exec(l);
    return m && lines[i + 1] && !/^\s*#/.test(lines[i + 1]!) ? m[1]!.split(', ') : [];
  });
}

const contractFiles = (d: string): string[] =>
  readdirSync(d).flatMap((f) => {
    if (f === 'node_modules' || f === 'dist') return [];
    const p = join(d, f);
    return statSync(p).isDirectory() ? contractFiles(p) : f.endsWith('.odcs.yaml') ? [p] : [];
  });

test('every DQDL the project emits parses strictly: official examples, the example mesh; same ids as the SQL checks', () => {
  const files = [...contractFiles(EXAMPLES_DIR), ...contractFiles(join(REPO, 'domains'))];
  assert.ok(files.length >= 18 + 3, `found ${files.length} contracts`);
  const contracts = [ordersContract(), ...files.map((f) => loadContract(f).contract!)];
  let compared = 0;
  for (const contract of contracts) {
    for (const object of contract.schema ?? []) {
      const checks: QualityCheck[] = compileQuality(contract, { object: object.name });
      const dqdl = toDqdl(checks);
      const count = leaves(dqdl).length;
      assert.ok(count > 0);
      const sql = toSqlChecks(checks, { table: 't' });
      const sqlIds = [...sql.rowPredicates, ...sql.datasetChecks].map((c) => c.id);
      const nestedIds = checks.filter((c) => c.nested && c.kind !== 'skipped').map((c) => c.id);
      assert.deepEqual([...dqdlIds(dqdl), ...nestedIds].sort(), [...sqlIds].sort(), `${contract.id}/${object.name}`);
      assert.equal(new Set(checks.map((c) => c.id)).size, checks.length, 'ids are unique');
      compared += count;
    }
  }
  assert.ok(compared > 40, `compared ${compared} rules`);
});
