import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { isMeshError, type Diagnostic } from '@meshkit/contracts';
import { lintProducts, loadMeshModel, resolveConsumes } from '../src/index.js';
import { addConsumer, edit, exampleMesh, file, newMajorServingV1, pos, publish, write } from './helpers.js';

const CP = 'marketing/campaign-performance';
const only = (ds: Diagnostic[], rule: string) => ds.filter((d) => d.rule === rule);
const at = (d: Diagnostic | undefined) =>
  d && { file: d.location.file, line: d.location.line, column: d.location.column };

test('the example mesh has no product lint findings', async () => {
  const root = exampleMesh();
  assert.deepEqual(await lintProducts(root), []);
});

test('PRODUCT-CONSUMES-RANGE: a malformed range is an error at the version value', async () => {
  const root = exampleMesh();
  edit(root, CP, 'product.yaml', (t) => t.replace('version: ^1.0.0', 'version: "one point oh"'));
  const [d, ...rest] = await lintProducts(root);
  assert.equal(rest.length, 0);
  assert.equal(d?.rule, 'PRODUCT-CONSUMES-RANGE');
  assert.equal(d?.severity, 'error');
  assert.deepEqual(at(d), { file: file(root, CP, 'product.yaml'), ...pos(root, CP, 'product.yaml', '"one point oh"') });
  assert.match(d.message, /'one point oh' is not a semver range/);
});

test('PRODUCT-CONSUMES-UNKNOWN names the closest product', async () => {
  const root = exampleMesh();
  edit(root, CP, 'product.yaml', (t) => t.replace('product: sales/orders', 'product: sales/ordres'));
  const [d] = only(await lintProducts(root), 'PRODUCT-CONSUMES-UNKNOWN');
  assert.deepEqual(at(d), { file: file(root, CP, 'product.yaml'), ...pos(root, CP, 'product.yaml', 'sales/ordres') });
  assert.match(d!.message, /no product 'sales\/ordres' in this mesh \(did you mean sales\/orders\?\)/);
});

test('PRODUCT-CONSUMES-SELF: a product consuming itself', async () => {
  const root = exampleMesh();
  edit(root, CP, 'product.yaml', (t) => t + `  - product: ${CP}\n    version: ^1.0.0\n`);
  const ds = await lintProducts(root);
  const [d] = only(ds, 'PRODUCT-CONSUMES-SELF');
  assert.deepEqual(at(d), {
    file: file(root, CP, 'product.yaml'),
    ...pos(root, CP, 'product.yaml', `${CP}\n    version`),
  });
  assert.match(d!.message, /consumes itself/);
  assert.equal(only(ds, 'PRODUCT-CONSUMES-CYCLE').length, 0, 'a self edge is not reported as a cycle');
});

test('PRODUCT-CONSUMES-CYCLE: every product of a cycle, with the cycle a → b → a', async () => {
  const root = exampleMesh();
  edit(root, 'sales/orders', 'product.yaml', (t) => t + `consumes:\n  - product: ${CP}\n    version: ^1.0.0\n`);
  const ds = only(await lintProducts(root), 'PRODUCT-CONSUMES-CYCLE');
  assert.equal(ds.length, 2);
  const orders = ds.find((d) => d.location.file === file(root, 'sales/orders', 'product.yaml'));
  const cp = ds.find((d) => d.location.file === file(root, CP, 'product.yaml'));
  assert.match(
    orders!.message,
    /consumes forms a cycle: sales\/orders → marketing\/campaign-performance → sales\/orders/,
  );
  assert.match(cp!.message, /marketing\/campaign-performance → sales\/orders → marketing\/campaign-performance/);
  assert.deepEqual(at(orders), {
    file: file(root, 'sales/orders', 'product.yaml'),
    ...pos(root, 'sales/orders', 'product.yaml', CP),
  });
  // (the first 'sales/orders' of the file is in its description)
  assert.deepEqual(at(cp), {
    file: file(root, CP, 'product.yaml'),
    ...pos(root, CP, 'product.yaml', 'sales/orders', 2),
  });
});

test('PRODUCT-CONSUMES-CYCLE through three products', async () => {
  const root = exampleMesh();
  addConsumer(root, 'marketing/roi', CP);
  edit(root, 'sales/orders', 'product.yaml', (t) => t + 'consumes:\n  - product: marketing/roi\n    version: ^1.0.0\n');
  const ds = only(await lintProducts(root), 'PRODUCT-CONSUMES-CYCLE');
  assert.equal(ds.length, 3);
  assert.ok(
    ds.some((d) => d.message.includes('sales/orders → marketing/roi → marketing/campaign-performance → sales/orders')),
    ds.map((d) => d.message).join('\n'),
  );
});

test('PRODUCT-CONSUMES-UNSATISFIED lists what is served', async () => {
  const root = exampleMesh();
  edit(root, CP, 'product.yaml', (t) => t.replace('version: ^1.0.0', 'version: ^2.0.0'));
  const [d, ...rest] = await lintProducts(root);
  assert.equal(rest.length, 0);
  assert.equal(d?.rule, 'PRODUCT-CONSUMES-UNSATISFIED');
  assert.deepEqual(at(d), { file: file(root, CP, 'product.yaml'), ...pos(root, CP, 'product.yaml', '^2.0.0') });
  assert.equal(d.message, 'no version of sales/orders served satisfies ^2.0.0: served 1.0.0 (workspace)');
});

test('PRODUCT-CONSUMES-COLUMN names the close match, or lists the columns', async () => {
  const root = exampleMesh();
  edit(root, CP, 'product.yaml', (t) =>
    t.replace('[order_id, amount, order_date]', '[order_id, amout, zzz_unrelated]'),
  );
  const ds = only(await lintProducts(root), 'PRODUCT-CONSUMES-COLUMN');
  assert.equal(ds.length, 2);
  assert.deepEqual(at(ds[0]), { file: file(root, CP, 'product.yaml'), ...pos(root, CP, 'product.yaml', 'amout') });
  assert.equal(ds[0]!.message, "column 'amout' is not in sales/orders@1.0.0 (did you mean 'amount'?)");
  assert.match(
    ds[1]!.message,
    /column 'zzz_unrelated' is not in sales\/orders@1\.0\.0; its columns: order_id, customer_email, amount, status, order_date, channel/,
  );
});

test('PRODUCT-CONSUMES-DEPRECATED warns before end of life and fails after it (--now)', async () => {
  const root = exampleMesh();
  edit(root, 'sales/orders', 'contract.odcs.yaml', (t) =>
    t
      .replace('status: active', 'status: deprecated')
      .replace(
        '    value: FULL\n',
        '    value: FULL\n  - property: meshkit.endOfSupport\n    value: "2027-01-31"\n  - property: meshkit.endOfLife\n    value: "2027-06-30"\n',
      ),
  );
  const lintAt = async (now: string) =>
    only(await lintProducts(root, { now: new Date(now) }), 'PRODUCT-CONSUMES-DEPRECATED');
  const [dep] = await lintAt('2027-01-01T00:00:00Z');
  assert.equal(dep?.severity, 'warning');
  assert.equal(
    dep?.message,
    'sales/orders@1.0.0 is deprecated (end of support 2027-01-31, end of life 2027-06-30): move to a newer major',
  );
  assert.deepEqual(at(dep), { file: file(root, CP, 'product.yaml'), ...pos(root, CP, 'product.yaml', '^1.0.0') });
  const [unsupported] = await lintAt('2027-02-01T00:00:00Z');
  assert.equal(unsupported?.severity, 'warning');
  assert.match(unsupported.message, /past its end of support/);
  const [onLastDay] = await lintAt('2027-06-30T23:00:00Z');
  assert.equal(onLastDay?.severity, 'warning');
  const [eol] = await lintAt('2027-07-01T00:00:00Z');
  assert.equal(eol?.severity, 'error');
  assert.match(eol.message, /past its end of life \(end of support 2027-01-31, end of life 2027-06-30\)/);
  assert.deepEqual(
    await lintProducts(root, { now: new Date('2027-07-01'), rules: { 'PRODUCT-CONSUMES-DEPRECATED': 'off' } }),
    [],
  );
});

test('PRODUCT-PACKAGE-VERSION: package.json version differs from the contract version', async () => {
  const root = exampleMesh();
  edit(root, 'sales/orders', 'package.json', (t) => t.replace('"version": "1.0.0"', '"version": "1.0.1"'));
  const [d, ...rest] = await lintProducts(root);
  assert.equal(rest.length, 0);
  assert.equal(d?.rule, 'PRODUCT-PACKAGE-VERSION');
  assert.deepEqual(at(d), {
    file: file(root, 'sales/orders', 'package.json'),
    ...pos(root, 'sales/orders', 'package.json', '"1.0.1"'),
  });
  assert.match(d.message, /package\.json version "1\.0\.1" differs from the contract version 1\.0\.0/);
});

test('PRODUCT-WORKSPACE-DEPENDENCY: a mesh package range the workspace version does not satisfy', async () => {
  const root = exampleMesh();
  assert.deepEqual(only(await lintProducts(root), 'PRODUCT-WORKSPACE-DEPENDENCY'), [], '"*" links the workspace');
  edit(root, 'marketing/campaign-performance', 'package.json', (t) =>
    t.replace('"@example/sales.orders": "*"', '"@example/sales.orders": "^2.0.0"'),
  );
  const [d, ...rest] = only(await lintProducts(root), 'PRODUCT-WORKSPACE-DEPENDENCY');
  assert.equal(rest.length, 0);
  assert.deepEqual(at(d), {
    file: file(root, 'marketing/campaign-performance', 'package.json'),
    ...pos(root, 'marketing/campaign-performance', 'package.json', '"@example/sales.orders"'),
  });
  assert.match(
    d!.message,
    /"\^2\.0\.0" is not satisfied by the workspace version 1\.0\.0, so npm would fetch it from a registry: use "\*"/,
  );
  edit(root, 'marketing/campaign-performance', 'package.json', (t) => t.replace('"^2.0.0"', '"^1.0.0"'));
  assert.deepEqual(only(await lintProducts(root), 'PRODUCT-WORKSPACE-DEPENDENCY'), [], 'a satisfied range is fine too');
});

test('PRODUCT-SERVED-MAJOR: a major not older than the current one, a wrong contract major, missing files', async () => {
  const root = exampleMesh();
  write(root, 'sales/orders', 'majors/v1/contract.odcs.yaml', '');
  newMajorServingV1(root);
  let ds = await lintProducts(root);
  assert.deepEqual(
    ds.map((d) => d.rule),
    [],
    'a correct side-by-side major lints clean',
  );
  edit(root, 'sales/orders', 'product.yaml', (t) => t.replace('  - major: 1 # frozen', '  - major: 2 # frozen'));
  ds = only(await lintProducts(root), 'PRODUCT-SERVED-MAJOR');
  assert.deepEqual(
    ds.map((d) => d.message),
    [
      'served major 2 is not older than the current major 2: servedMajors lists older majors only',
      'majors/v1/contract.odcs.yaml has version 1.0.0, not of major 2',
    ],
  );
  assert.deepEqual(at(ds[0]), {
    file: file(root, 'sales/orders', 'product.yaml'),
    ...pos(root, 'sales/orders', 'product.yaml', '2 # frozen'),
  });
  assert.deepEqual(at(ds[1]), {
    file: file(root, 'sales/orders', 'product.yaml'),
    ...pos(root, 'sales/orders', 'product.yaml', 'majors/v1/contract.odcs.yaml'),
  });
  edit(root, 'sales/orders', 'product.yaml', (t) => t.replace('  - major: 2 # frozen', '  - major: 1 # frozen'));
  rmSync(file(root, 'sales/orders', 'majors/v1'), { recursive: true });
  ds = only(await lintProducts(root), 'PRODUCT-SERVED-MAJOR');
  assert.deepEqual(
    ds.map((d) => [d.message, d.location.line]),
    [
      [
        'majors/v1/contract.odcs.yaml does not exist: the frozen contract of major 1',
        pos(root, 'sales/orders', 'product.yaml', 'contract: majors').line,
      ],
      [
        'majors/v1/compat.sql does not exist: the SELECT deriving major 1 from the current output',
        pos(root, 'sales/orders', 'product.yaml', 'compatibilitySql').line,
      ],
    ],
  );
});

test('severities come from contracts.lint.rules; CONTRACT-… ids are left to the contract lint; unknown PRODUCT- ids fail', async () => {
  const root = exampleMesh();
  edit(root, CP, 'product.yaml', (t) => t.replace('amount, order_date', 'amout, order_date'));
  const warn = await lintProducts(root, { rules: { 'PRODUCT-CONSUMES-COLUMN': 'warn', 'CONTRACT-OWNER': 'off' } });
  assert.deepEqual(
    warn.map((d) => [d.rule, d.severity]),
    [['PRODUCT-CONSUMES-COLUMN', 'warning']],
  );
  assert.deepEqual(await lintProducts(root, { rules: { 'PRODUCT-CONSUMES-COLUMN': 'off' } }), []);
  await assert.rejects(
    lintProducts(root, { rules: { 'PRODUCT-CONSUMES-COLUM': 'warn' } }),
    (e) => isMeshError(e) && e.code === 'INVALID_CONFIG' && /did you mean PRODUCT-CONSUMES-COLUMN/.test(e.message),
  );
});

test('resolution: published majors count while served; unpublished workspace versions count; which source answered', async () => {
  const root = exampleMesh();
  await publish(root, 'sales/orders');
  let model = loadMeshModel(root);
  let [r] = await resolveConsumes(model, model.products.get(CP)!);
  assert.deepEqual([r!.status, r!.resolved?.version, r!.resolved?.source], ['resolved', '1.0.0', 'catalog']);
  // 2.0.0 without serving major 1: the published 1.0.0 is no longer served.
  newMajorServingV1(root, { serve: false });
  model = loadMeshModel(root);
  [r] = await resolveConsumes(model, model.products.get(CP)!);
  assert.equal(r!.status, 'unsatisfied');
  const [d] = only(await lintProducts(root), 'PRODUCT-CONSUMES-UNSATISFIED');
  assert.equal(d!.message, 'no version of sales/orders served satisfies ^1.0.0: served 2.0.0 (workspace)');
});

test('resolution: the highest served version satisfying the range, over catalog and side-by-side majors', async () => {
  const root = exampleMesh();
  await publish(root, 'sales/orders');
  edit(root, 'sales/orders', 'contract.odcs.yaml', (t) => t.replace(/^version: .*$/m, 'version: 1.1.0'));
  newMajorServingV1(root);
  const model = loadMeshModel(root);
  const [r] = await resolveConsumes(model, model.products.get(CP)!);
  // majors/v1 holds 1.1.0 (unpublished), the catalog 1.0.0, the working copy 2.0.0.
  assert.deepEqual([r!.resolved?.version, r!.resolved?.source], ['1.1.0', 'workspace']);
  assert.deepEqual(
    r!.served?.versions.map((v) => `${v.version}:${v.source}`),
    ['1.0.0:catalog', '1.1.0:workspace', '2.0.0:workspace'],
  );
});

test('PRODUCT-INGESTION-FORMAT: a fixture in another format than ingestion.format, at the format (or at ingestion for the default)', async () => {
  const root = exampleMesh();
  write(root, 'sales/orders', 'fixtures/raw.csv', 'id\n1\n');
  assert.deepEqual(only(await lintProducts(root), 'PRODUCT-INGESTION-FORMAT'), [], 'csv fixture, format csv');
  edit(root, 'sales/orders', 'product.yaml', (s) => s.replace('format: csv', 'format: parquet'));
  const [d, ...rest] = only(await lintProducts(root), 'PRODUCT-INGESTION-FORMAT');
  assert.equal(rest.length, 0);
  assert.equal(d!.severity, 'error');
  assert.match(
    d!.message,
    /fixtures\/raw\.csv is csv, but ingestion\.format is parquet.*set ingestion\.format: csv, or provide fixtures\/raw\.parquet/,
  );
  const value = pos(root, 'sales/orders', 'product.yaml', 'format: parquet');
  assert.deepEqual(
    { line: d!.location.line, column: d!.location.column },
    { line: value.line, column: value.column + 'format: '.length },
  );
  // A stream product's default (jsonl) against a csv fixture: reported at `ingestion`.
  write(root, 'sales/clickstream', 'fixtures/raw.csv', 'a\n1\n');
  edit(root, 'sales/clickstream', 'product.yaml', (s) => s.replace(/\n\s+format: jsonl/, ''));
  const stream = only(await lintProducts(root), 'PRODUCT-INGESTION-FORMAT').find((x) =>
    x.location.file.includes('clickstream'),
  );
  assert.match(stream!.message, /is csv, but ingestion\.format is jsonl \(the default\)/);
  assert.deepEqual(
    { line: stream!.location.line, column: stream!.location.column },
    pos(root, 'sales/clickstream', 'product.yaml', 'ingestion:'),
  );
});
