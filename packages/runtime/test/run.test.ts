import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMeshError, type MeshError } from '@meshkit/contracts';
import { runProduct, type RunReport } from '../src/index.js';
import { contract, readParquet, tempProduct } from './helpers.js';

const NOW = new Date('2026-11-02T00:00:00Z');

const RULES = contract(
  `    quality:
      - { id: row_count, metric: rowCount, mustBeGreaterThan: 4 }
      - { id: big_orders, type: sql, query: 'SELECT count(*) FROM \${object} WHERE qty > 50', mustBeLessOrEqualTo: 1 }
      - { id: code_dups, metric: duplicateValues, arguments: { properties: [code] }, mustBeLessOrEqualTo: 1, severity: warning }
    properties:
      - { name: id, logicalType: string, required: true, primaryKey: true, primaryKeyPosition: 1, logicalTypeOptions: { pattern: '^I-[0-9]+$' } }
      - { name: sku, logicalType: string, unique: true }
      - { name: qty, logicalType: integer, physicalType: int, logicalTypeOptions: { minimum: 1, maximum: 100 } }
      - { name: code, logicalType: string, logicalTypeOptions: { minLength: 2, maxLength: 3 } }
      - name: color
        logicalType: string
        quality: [{ metric: invalidValues, arguments: { validValues: [red, blue] }, mustBe: 0 }]
      - name: note
        logicalType: string
        quality: [{ metric: nullValues, mustBeLessThan: 50, unit: percent }]
      - { name: made_at, logicalType: timestamp }
      - { name: made_on, logicalType: date, partitioned: true, partitionKeyPosition: 1 }
`,
  `slaProperties:
  - { property: latency, value: 24, unit: h, element: items.made_at }
`,
);

const TRANSFORM = `SELECT id, sku, CAST(qty AS INT) AS qty, code, color, note, CAST(made_at AS TIMESTAMP) AS made_at, CAST(made_at AS DATE) AS made_on
FROM raw
`;

const GOOD = `id,sku,qty,code,color,note,made_at
I-1,A,1,ab,red,x,2026-11-01 12:00:00
I-2,B,5,abc,blue,,2026-11-01 13:00:00
I-3,C,60,abd,red,y,2026-11-01 14:00:00
I-4,D,7,ac,blue,z,2026-11-01 15:00:00
I-5,E,8,ae,red,w,2026-11-01 16:00:00
`;

const BAD = `id,sku,qty,code,color,note,made_at
X-1,A,0,a,green,,2026-10-30 00:00:00
,A,60,ab,red,,2026-11-01 00:00:00
I-3,C,70,ab,red,,2026-11-01 00:00:00
I-4,D,5,ab,blue,,2026-11-01 00:00:00
`;

async function runWith(
  csv: string,
  extra: Partial<Parameters<typeof runProduct>[0]> = {},
): Promise<{ report: RunReport; root: string; productDir: string }> {
  const { root, productDir } = tempProduct({ contract: RULES, transform: TRANSFORM, fixtures: { 'raw.csv': csv } });
  const report = await runProduct({ productDir, now: NOW, ...extra });
  return { report, root, productDir };
}

const outcomes = (r: RunReport) => Object.fromEntries(r.rules.map((x) => [x.id, x.outcome]));

test('every rule kind passes on good data; the run passes and writes everything', async () => {
  const { report, root } = await runWith(GOOD);
  assert.equal(report.status, 'passed');
  assert.deepEqual(outcomes(report), {
    'id.required': 'passed',
    'id.pattern': 'passed',
    'qty.range': 'passed',
    'code.length': 'passed',
    'color.allowedValues': 'passed',
    'sku.unique': 'passed',
    'note.nullValues': 'passed',
    'id.primaryKey': 'passed',
    row_count: 'passed',
    big_orders: 'passed',
    code_dups: 'passed',
    'made_at.freshness': 'passed',
  });
  assert.deepEqual([report.rowsIn, report.rowsOut, report.rowsQuarantined], [5, 5, 0]);
  const dir = join(root, '.mesh/runs/shop/items');
  assert.equal(report.paths.dir, dir);
  for (const f of [
    'run-report.json',
    'openlineage.json',
    'quarantine/rows.parquet',
    'quarantine/rejected-input.parquet',
  ])
    assert.ok(existsSync(join(dir, f)), f);
  assert.deepEqual(readdirSync(join(dir, 'curated')), ['made_on=2026-11-01'], 'partitioned per the contract');
  const curated = await readParquet(join(dir, 'curated/**/*.parquet'), 'ORDER BY id');
  assert.deepEqual(
    curated.map((r) => r.id),
    ['I-1', 'I-2', 'I-3', 'I-4', 'I-5'],
  );
  assert.deepEqual(Object.keys(curated[0]!).sort(), [
    'code',
    'color',
    'id',
    'made_at',
    'made_on',
    'note',
    'qty',
    'sku',
  ]);
  const saved = JSON.parse(readFileSync(join(dir, 'run-report.json'), 'utf8')) as RunReport;
  assert.equal(saved.runId, report.runId);
  assert.equal(saved.contract.version, '1.0.0');
  assert.ok(saved.timings.total >= 0);
});

test('every rule kind fails on bad data: row rules quarantine, dataset rules warn or fail by severity', async () => {
  const { report, root } = await runWith(BAD);
  assert.deepEqual(outcomes(report), {
    'id.required': 'quarantined',
    'id.pattern': 'quarantined',
    'qty.range': 'quarantined',
    'code.length': 'quarantined',
    'color.allowedValues': 'quarantined',
    'sku.unique': 'failed',
    'note.nullValues': 'failed',
    'id.primaryKey': 'failed',
    row_count: 'failed',
    big_orders: 'failed',
    code_dups: 'warned',
    'made_at.freshness': 'failed',
  });
  const metric = Object.fromEntries(report.rules.map((x) => [x.id, x.metric]));
  assert.equal(metric['note.nullValues'], 100);
  assert.equal(metric.big_orders, 2);
  assert.equal(metric.code_dups, 2);
  assert.equal(metric['made_at.freshness'], 72);
  assert.equal(metric['qty.range'], 1);
  assert.equal(report.rules.find((x) => x.id === 'note.nullValues')?.threshold, '< 50 percent');
  assert.equal(report.status, 'failed');
  // A failed run is published beside the output, never over it.
  assert.equal(report.paths.dir, join(root, '.mesh/runs/shop/items.failed'));
  assert.ok(!existsSync(join(root, '.mesh/runs/shop/items')));
  assert.ok(existsSync(join(root, '.mesh/runs/shop/items.failed/run-report.json')));
});

test('quarantine holds the original columns, the failed rule ids and a reason per rule', async () => {
  const { report } = await runWith(BAD);
  const rows = await readParquet(report.paths.quarantine, 'ORDER BY qty');
  assert.equal(rows.length, 2);
  assert.deepEqual(Object.keys(rows[0]!), [
    'id',
    'sku',
    'qty',
    'code',
    'color',
    'note',
    'made_at',
    'made_on',
    'failed_rules',
    'reason',
  ]);
  assert.equal(rows[0]!.id, 'X-1');
  assert.deepEqual(rows[0]!.failed_rules, ['id.pattern', 'qty.range', 'code.length', 'color.allowedValues']);
  assert.equal(
    rows[0]!.reason,
    "id.pattern: id = 'X-1' does not match ^I-[0-9]+$; qty.range: qty = '0' is outside [1, 100]; code.length: code = 'a' has a length outside 2..3; color.allowedValues: color = 'green' is not one of red, blue",
  );
  assert.equal(rows[1]!.id, null);
  assert.deepEqual(rows[1]!.failed_rules, ['id.required']);
  assert.equal(rows[1]!.reason, 'id.required: id is null');
});

test('conservation: rows in = rows written to curated + rows written to quarantine', async () => {
  const mixed = GOOD + BAD.split('\n').slice(1).join('\n');
  const { report } = await runWith(mixed, {
    out: join(tempProduct({ contract: RULES, transform: TRANSFORM }).root, 'out'),
  });
  const curated = await readParquet(join(report.paths.curated, '**/*.parquet'));
  const quarantined = await readParquet(report.paths.quarantine);
  assert.equal(report.rowsIn, 9);
  assert.equal(curated.length, report.rowsOut);
  assert.equal(quarantined.length, report.rowsQuarantined);
  assert.equal(report.rowsOut + report.rowsQuarantined, report.rowsIn);
  assert.deepEqual([report.rowsOut, report.rowsQuarantined], [7, 2]);
});

test('a transform that changes between reads (random) is computed once: conservation still holds', async () => {
  // qty is random in [0, 200): some rows pass the 1..100 range, some fail, and each row must be
  // checked and written exactly as computed.
  const rows = Array.from({ length: 200 }, (_, i) => `I-${i + 1},S${i},1,ab,red,x,2026-11-01 12:00:00`).join('\n');
  const { root, productDir } = tempProduct({
    contract: RULES,
    transform: TRANSFORM.replace('CAST(qty AS INT) AS qty', 'CAST(floor(random() * 200) AS INT) AS qty'),
    fixtures: { 'raw.csv': 'id,sku,qty,code,color,note,made_at\n' + rows + '\n' },
  });
  const report = await runProduct({ productDir, now: NOW, out: join(root, 'out') });
  const curated = await readParquet(join(report.paths.curated, '**/*.parquet'));
  const quarantined = await readParquet(report.paths.quarantine);
  assert.equal(report.rowsIn, 200);
  assert.equal(curated.length + quarantined.length, 200);
  assert.ok(
    curated.every((r) => Number(r.qty) >= 1 && Number(r.qty) <= 100),
    'curated rows satisfy the range rule',
  );
  assert.ok(
    quarantined.every((r) => !(Number(r.qty) >= 1 && Number(r.qty) <= 100)),
    'quarantined rows fail it',
  );
});

test("a malformed CSV row is quarantined with its line and DuckDB's reason, not a crash", async () => {
  const { report } = await runWith(GOOD + 'I-9,F,3,ab,red,v,2026-11-01 17:00:00,surplus\n');
  assert.equal(report.input.rowsRejected, 1);
  assert.equal(report.input.rowsRead, 6);
  assert.equal(report.rowsIn, 5);
  const rejected = await readParquet(report.paths.rejectedInput);
  assert.equal(rejected.length, 1);
  assert.equal(rejected[0]!.line, '7');
  assert.equal(rejected[0]!.raw_line, 'I-9,F,3,ab,red,v,2026-11-01 17:00:00,surplus');
  assert.deepEqual(rejected[0]!.failed_rules, ['input.malformed']);
  assert.match(String(rejected[0]!.reason), /^input\.malformed: line 7: TOO MANY COLUMNS/);
});

test('values that cannot be cast to the contract type are quarantined as <column>.castable', async () => {
  // A raw column named like the contract's is cast per the contract as it is read: the row goes to the input quarantine with its line.
  const bad = GOOD.replace('I-2,B,5,', 'I-2,B,five,');
  const { root, productDir } = tempProduct({
    contract: RULES,
    transform: TRANSFORM.replace('CAST(qty AS INT) AS qty', 'qty'),
    fixtures: { 'raw.csv': bad },
  });
  const report = await runProduct({ productDir, now: NOW, root });
  assert.deepEqual([report.input.rowsRead, report.input.rowsRejected, report.rowsIn], [5, 1, 4]);
  const rejected = await readParquet(report.paths.rejectedInput);
  assert.equal(rejected[0]!.line, '3');
  assert.deepEqual(rejected[0]!.failed_rules, ['qty.castable']);
  assert.match(String(rejected[0]!.reason), /^line 3: qty\.castable: qty = 'five' cannot be cast to INTEGER/);
  assert.equal(rejected[0]!.raw_line, 'I-2,B,five,abc,blue,,2026-11-01 13:00:00');
  // A raw column with another name stays text: the output's value that does not cast is quarantined by the contract check.
  const renamed = bad.replace('id,sku,qty,', 'id,sku,quantity,');
  const p2 = tempProduct({
    contract: RULES,
    transform: TRANSFORM.replace('CAST(qty AS INT) AS qty', 'quantity AS qty'),
    fixtures: { 'raw.csv': renamed },
  });
  const r2 = await runProduct({ productDir: p2.productDir, now: NOW, root: p2.root });
  assert.equal(r2.rules.find((r) => r.id === 'qty.castable')?.metric, 1);
  const rows = await readParquet(r2.paths.quarantine);
  assert.equal(rows[0]!.qty, 'five', 'the original value is kept');
  assert.match(String(rows[0]!.reason), /qty\.castable: qty = 'five' cannot be cast to INTEGER/);
});

test('JSON lines (the declared ingestion.format) and Parquet inputs; a bad JSON line is rejected', async () => {
  const json = GOOD.trim()
    .split('\n')
    .slice(1)
    .map((l) => {
      const [id, sku, qty, code, color, note, made_at] = l.split(',');
      return JSON.stringify({ id, sku, qty: Number(qty), code, color, note: note || null, made_at });
    });
  const productYaml = 'domain: shop\nname: items\nowner: team-shop\ningestion:\n  mode: batch\n  format: jsonl\n';
  // A csv fixture beside it is not read: the default input is the one in the landing format.
  const { productDir, root } = tempProduct({
    productYaml,
    contract: RULES,
    transform: TRANSFORM,
    fixtures: { 'raw.csv': GOOD, 'raw.jsonl': [...json, '{"id": "I-6", oops', ''].join('\n') },
  });
  const r1 = await runProduct({ productDir, now: NOW });
  assert.equal(r1.input.format, 'jsonl');
  assert.deepEqual([r1.rowsIn, r1.input.rowsRejected], [5, 1]);
  const rejected = await readParquet(r1.paths.rejectedInput);
  assert.equal(rejected[0]!.line, '6');
  const r2 = await runProduct({ productDir, now: NOW, input: join(r1.paths.curated), out: join(root, 'again') });
  assert.equal(r2.input.format, 'parquet');
  assert.equal(r2.rowsOut, 5);
});

async function meshError(p: Promise<unknown>): Promise<MeshError> {
  try {
    await p;
  } catch (e) {
    if (isMeshError(e)) return e;
    throw e;
  }
  assert.fail('expected a MeshError');
}

test('a missing input file is exit 2 with the path', async () => {
  const { productDir } = tempProduct({ contract: RULES, transform: TRANSFORM });
  const e = await meshError(runProduct({ productDir, now: NOW }));
  assert.equal(e.exitCode, 2);
  assert.equal(e.code, 'INPUT_NOT_FOUND');
  assert.match(
    e.message,
    /input not found: .*fixtures\/raw\.csv \(looked for fixtures\/raw\{\.csv\}: ingestion\.format is csv in product\.yaml\)/,
  );
  const e2 = await meshError(runProduct({ productDir, now: NOW, input: '/nowhere/x.parquet' }));
  assert.equal(e2.file, '/nowhere/x.parquet');
  assert.equal(e2.exitCode, 2);
});

test("a SQL error in transform.sql is exit 1 with DuckDB's message and the line in transform.sql", async () => {
  const { productDir } = tempProduct({
    contract: RULES,
    transform: 'SELECT id, sku,\n  qty,\n  nope AS code\nFROM raw\n',
    fixtures: { 'raw.csv': GOOD },
  });
  const e = await meshError(runProduct({ productDir, now: NOW }));
  assert.equal(e.exitCode, 1);
  assert.equal(e.code, 'TRANSFORM_SQL');
  assert.match(e.message, /Binder Error: Referenced column "nope" not found/);
  assert.equal(e.file, 'domains/shop/products/items/transform.sql');
  assert.equal(e.line, 3);
  assert.equal(e.column, 3);
});

test('output not matching the contract is exit 1 naming the columns', async () => {
  const { productDir } = tempProduct({
    contract: RULES,
    transform: 'SELECT id, sku, CAST(made_at AS TIMESTAMP) AS qty, code, color, note, made_at, 1 AS surplus FROM raw\n',
    fixtures: { 'raw.csv': GOOD },
  });
  const e = await meshError(runProduct({ productDir, now: NOW }));
  assert.equal(e.exitCode, 1);
  assert.equal(e.code, 'NONCONFORMING_OUTPUT');
  assert.match(
    e.message,
    /missing column\(s\) made_on; extra column\(s\) surplus; type\(s\) not castable qty \(TIMESTAMP → INTEGER\)/,
  );
});

test('transform.sql outside the portable subset is exit 1 at line:col, before anything runs', async () => {
  const { productDir } = tempProduct({
    contract: RULES,
    transform: 'SELECT id, sku,\n  qty::INT AS qty\nFROM raw\nQUALIFY 1 = 1\n',
    fixtures: { 'raw.csv': GOOD },
  });
  const e = await meshError(runProduct({ productDir, now: NOW }));
  assert.equal(e.code, 'UNPORTABLE_SQL');
  assert.equal(e.exitCode, 1);
  assert.deepEqual([e.line, e.column], [2, 6]);
  assert.deepEqual(
    e.details.map((d) => `${d.location.line}:${d.location.column} ${d.rule}`),
    ['2:6 SQL-CAST-OPERATOR', '4:1 SQL-DUCKDB-ONLY'],
  );
});

test('an interrupted run leaves the last good output in place', async () => {
  const { report: first, productDir, root } = await runWith(GOOD);
  writeFileSync(join(productDir, 'fixtures/raw.csv'), GOOD.replace('I-5,E', 'I-6,F'));
  await assert.rejects(
    runProduct({
      productDir,
      now: NOW,
      beforePublish: () => {
        throw new Error('killed');
      },
    }),
    /killed/,
  );
  const dir = join(root, '.mesh/runs/shop/items');
  assert.equal(JSON.parse(readFileSync(join(dir, 'run-report.json'), 'utf8')).runId, first.runId);
  assert.deepEqual(readdirSync(join(root, '.mesh/runs/shop')), ['items'], 'no temporary directory left behind');
  const ids = (await readParquet(join(dir, 'curated/**/*.parquet'), 'ORDER BY id')).map((r) => r.id);
  assert.deepEqual(ids, ['I-1', 'I-2', 'I-3', 'I-4', 'I-5']);
  const second = await runProduct({ productDir, now: NOW });
  assert.equal(
    JSON.parse(readFileSync(join(dir, 'run-report.json'), 'utf8')).runId,
    second.runId,
    'a good run replaces it',
  );
});

test('the OpenLineage event names inputs and outputs with schema and data-quality facets', async () => {
  const { report } = await runWith(GOOD);
  const ev = JSON.parse(readFileSync(report.paths.lineage, 'utf8'));
  assert.equal(ev.eventType, 'COMPLETE');
  assert.equal(ev.run.runId, report.runId);
  assert.equal(ev.job.name, 'shop.items');
  assert.match(ev.job.facets.sql.query, /FROM raw/);
  assert.equal(ev.inputs[0].inputFacets.dataQualityMetrics.rowCount, 5);
  assert.deepEqual(
    ev.outputs[0].facets.schema.fields.map((f: { name: string }) => f.name),
    ['id', 'sku', 'qty', 'code', 'color', 'note', 'made_at', 'made_on'],
  );
  assert.equal(ev.outputs[0].facets.dataQualityAssertions.assertions.length, 12);
  assert.equal(ev.outputs[0].outputFacets.outputStatistics.rowCount, 5);
});

test("value lists are compared as values of the column's type; an entry of another type stops the run at the rule, exit 1, nothing written", async () => {
  const product = (quality: string) =>
    tempProduct({
      contract: contract(`    properties:
      - { name: id, logicalType: integer, required: true }
      - name: code
        logicalType: string
        quality: [{ metric: invalidValues, arguments: { validValues: [1, 2] }, mustBe: 0 }]
      - name: n
        logicalType: integer
        quality: [${quality}]
`),
      transform: 'SELECT id, code, n FROM raw\n',
      fixtures: { 'raw.csv': 'id,code,n\n1,1,5\n2,x,6\n3,2,7\n' },
    });
  // YAML's [1, 2] are the texts '1' and '2' for the text column `code` (DuckDB would otherwise cast
  // `code` to a number and stop at 'x'); '5' is the number 5 for the integer column `n`.
  const ok = product("{ metric: invalidValues, arguments: { validValues: ['5', 6, 7] }, mustBe: 0 }");
  const r = await runProduct({ productDir: ok.productDir, root: ok.root, now: NOW });
  assert.deepEqual([r.status, r.rowsOut, r.rowsQuarantined], ['passed', 2, 1]);
  const [q] = await readParquet(r.paths.quarantine);
  assert.deepEqual([q!.code, q!.failed_rules], ['x', ['code.allowedValues']]);

  // 'n/a' is no integer: the rule cannot mean the same on DuckDB, Spark and Glue.
  const bad = product('{ metric: missingValues, arguments: { missingValues: [null, n/a] }, mustBeLessThan: 2 }');
  const out = join(bad.root, 'out');
  const e = await runProduct({ productDir: bad.productDir, root: bad.root, now: NOW, out }).then(
    () => assert.fail('expected a MeshError'),
    (x: MeshError) => x,
  );
  assert.ok(isMeshError(e));
  assert.equal(e.code, 'DQDL_UNEXPRESSIBLE');
  assert.equal(e.exitCode, 1);
  assert.deepEqual([e.file, e.line], ['domains/shop/products/items/contract.odcs.yaml', 17]);
  assert.match(
    e.message,
    /^quality rule n\.missingValues of domains\/shop\/products\/items\/contract\.odcs\.yaml cannot be checked as written: the list holds "n\/a", which is not an integer \(the column's type\)$/,
  );
  assert.ok(!existsSync(out) && !readdirSync(bad.root).some((n) => n.startsWith('out.')), 'nothing written');
});

test('a rule written wrong (a pattern on a number column, a regex that does not compile, missing arguments) stops the run at the rule, exit 1, instead of being skipped or failing as SQL', async () => {
  const refused = async (property: string, line: number, message: RegExp) => {
    const { root, productDir } = tempProduct({
      contract: contract(`    properties:
      - { name: id, logicalType: integer, required: true }
${property}`),
      transform: 'SELECT id, n FROM raw\n',
      fixtures: { 'raw.csv': 'id,n\n1,12\n' },
    });
    const e = await runProduct({ productDir, root, now: NOW }).then(
      () => assert.fail('expected a MeshError'),
      (x: MeshError) => x,
    );
    assert.ok(isMeshError(e));
    assert.deepEqual([e.code, e.exitCode, e.line], ['DQDL_UNEXPRESSIBLE', 1, line]);
    assert.match(e.message, message);
  };
  await refused(
    `      - name: n\n        logicalType: integer\n        quality: [{ metric: invalidValues, arguments: { pattern: '^[0-9]{2}$' }, mustBe: 0 }]\n`,
    14,
    /cannot be checked as written: arguments\.pattern checks text, and the column is integer$/,
  );
  await refused(
    `      - { name: n, logicalType: string, logicalTypeOptions: { pattern: '([a-z' } }\n`,
    12,
    /quality rule n\.pattern .* cannot be checked as written: pattern "\(\[a-z": /,
  );
  await refused(
    `      - name: n\n        logicalType: string\n        quality: [{ metric: invalidValues, mustBe: 0 }]\n`,
    14,
    /invalidValues needs arguments\.validValues or arguments\.pattern$/,
  );
});
