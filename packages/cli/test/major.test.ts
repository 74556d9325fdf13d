// Side-by-side majors end to end on a copy of the example mesh: `mesh major sales/orders` starts
// major 2 (amount → amount_cents), `mesh run` writes and checks both majors, the ^1.1.0 consumer
// still runs on v1, synth has two output tables and passes the policy pack, publish lists both.
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { type MeshError, compileQuality, loadContract, toDqdl } from '@meshkit/contracts';
import { buildMeshApp, loadMesh } from '@meshkit/core';
import { openLocalCatalog, publishProduct } from '@meshkit/catalog';
import { run, bufferIo } from '../src/index.js';
import { meshMajor } from '../src/commands/major.js';
import { copyExampleMesh } from '@meshkit/testing';

const ORDERS = 'domains/sales/products/orders';

function demoCopy(): string {
  const dir = copyExampleMesh({ prefix: 'mesh-major-' });
  // A comment, to show that `mesh major` keeps them.
  const p = join(dir, ORDERS, 'product.yaml');
  writeFileSync(
    p,
    `# Manifest of sales/orders.\n${readFileSync(p, 'utf8').replace('criticality: high', 'criticality: high # pager duty')}`,
  );
  return dir;
}

async function mesh(args: string[], cwd: string) {
  const io = bufferIo(cwd);
  const code = await run(args, io);
  return { code, out: io.out, err: io.err };
}

/** The breaking change of major 2 (what the team edits after `mesh major`). */
function breakingEdit(root: string): void {
  const dir = join(root, ORDERS);
  const c = join(dir, 'contract.odcs.yaml');
  writeFileSync(
    c,
    readFileSync(c, 'utf8')
      .replace(
        `      - id: amount_prop
        name: amount
        logicalType: number
        physicalType: decimal(12,2)`,
        `      - id: amount_cents_prop
        name: amount_cents
        logicalType: integer
        physicalType: bigint`,
      )
      .replace('examples: [129.5]', 'examples: [12950]'),
  );
  const t = join(dir, 'transform.sql');
  writeFileSync(
    t,
    readFileSync(t, 'utf8').replace(
      'total AS amount,',
      'CAST(round(TRY_CAST(total AS DECIMAL(12, 2)) * 100) AS BIGINT) AS amount_cents,',
    ),
  );
  const s = join(dir, 'majors/v1/compat.sql');
  writeFileSync(s, readFileSync(s, 'utf8').replace('  amount,\n', '  amount_cents / 100.0 AS amount,\n'));
}

describe('mesh major', () => {
  let root: string;
  let before1: { contract: string; product: string };
  before(async () => {
    root = demoCopy();
    before1 = {
      contract: readFileSync(join(root, ORDERS, 'contract.odcs.yaml'), 'utf8'),
      product: readFileSync(join(root, ORDERS, 'product.yaml'), 'utf8'),
    };
  });

  test('freezes the contract under majors/v1, writes compat.sql, adds servedMajors (comments kept), bumps only the version line', async () => {
    const io = bufferIo(join(root, ORDERS));
    assert.equal(await meshMajor('sales/orders', {}, io), 0);
    assert.match(io.out, /sales\/orders: major 2 started \(1\.1\.0 → 2\.0\.0\); major 1 stays served/);
    assert.match(io.out, /Next steps:[\s\S]*mesh run sales\/orders/);
    const dir = join(root, ORDERS);
    assert.equal(readFileSync(join(dir, 'majors/v1/contract.odcs.yaml'), 'utf8'), before1.contract);
    const sql = readFileSync(join(dir, 'majors/v1/compat.sql'), 'utf8');
    assert.match(sql, /^-- Compatibility SQL of sales\/orders major 1/);
    assert.match(
      sql,
      /\nSELECT\n {2}order_id,\n {2}customer_email,\n {2}amount,\n {2}status,\n {2}channel,\n {2}order_date\nFROM current\n$/,
    );
    const product = readFileSync(join(dir, 'product.yaml'), 'utf8');
    assert.ok(product.startsWith('# Manifest of sales/orders.\n'));
    assert.match(product, /criticality: high # pager duty/);
    assert.match(
      product,
      /servedMajors:\n {2}- major: 1\n {4}contract: majors\/v1\/contract\.odcs\.yaml\n {4}compatibilitySql: majors\/v1\/compat\.sql\n/,
    );
    const now = readFileSync(join(dir, 'contract.odcs.yaml'), 'utf8').split('\n');
    const was = before1.contract.split('\n');
    assert.deepEqual(
      now.map((l, i) => [l, was[i]]).filter(([a, b]) => a !== b),
      [['version: 2.0.0', 'version: 1.1.0']],
    );
  });

  test('sets package.json to the new major too (only its version value), so PRODUCT-PACKAGE-VERSION holds after it', async () => {
    const other = demoCopy();
    const pkgFile = join(other, ORDERS, 'package.json');
    const pkgText =
      '{\n  "name": "@example/sales.orders",\n  "version": "1.1.0",\n  "private": true,\n  "dependencies": { "x": { "version": "9" } }\n}\n';
    writeFileSync(pkgFile, pkgText);
    const r = await mesh(['major', 'sales/orders'], other);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /updated domains\/sales\/products\/orders\/package\.json \(version 2\.0\.0\)/);
    assert.equal(readFileSync(pkgFile, 'utf8'), pkgText.replace('"version": "1.1.0"', '"version": "2.0.0"'));
    const lint = await mesh(['lint', 'sales/orders'], other);
    assert.doesNotMatch(lint.out + lint.err, /PRODUCT-PACKAGE-VERSION/);
  });

  test('mesh run writes both majors, each conforming; a broken compat.sql fails naming it', async () => {
    breakingEdit(root);
    const r = await mesh(['run', 'sales/orders', '--now', '2026-11-02T00:00:00Z', '--format', 'json'], root);
    assert.equal(r.code, 0, r.err);
    const report = JSON.parse(r.out);
    assert.equal(report.contract.version, '2.0.0');
    assert.equal(report.servedMajors[0].major, 1);
    assert.equal(report.servedMajors[0].status, 'passed');
    assert.equal(report.servedMajors[0].rowsOut, report.rowsOut);
    assert.ok(existsSync(join(root, '.mesh/runs/sales/orders/v1/curated')));

    const sqlFile = join(root, ORDERS, 'majors/v1/compat.sql');
    const good = readFileSync(sqlFile, 'utf8');
    writeFileSync(sqlFile, good.replace('  amount_cents / 100.0 AS amount,\n', ''));
    const bad = await mesh(['run', 'sales/orders'], root);
    assert.equal(bad.code, 1);
    assert.match(bad.err, /domains\/sales\/products\/orders\/majors\/v1\/compat\.sql: .*missing column\(s\) amount/);
    writeFileSync(sqlFile, good);
  });

  test('the ^1.1.0 consumer still runs, reading the v1 output', async () => {
    const r = await mesh(
      ['run', 'marketing/campaign-performance', '--now', '2026-11-02T00:00:00Z', '--format', 'json'],
      root,
    );
    assert.equal(r.code, 0, r.err);
    const report = JSON.parse(r.out);
    assert.equal(report.consumed[0].servedMajor, 1);
    assert.equal(report.consumed[0].contractVersion, '1.1.0');
    assert.equal(report.consumed[0].path, join(root, '.mesh/runs/sales/orders/v1/curated'));
  });

  test('synth: orders_v2 and orders_v1 tables, two DQ rulesets, the job deriving v1; the policy pack passes', async () => {
    const s = await mesh(['synth', 'sales/orders', '--out', join(root, 'cdk.out'), '--format', 'json'], root);
    assert.equal(s.code, 0, s.out + s.err);
    const mesh1 = loadMesh(root, { domain: 'sales', product: 'orders' });
    const { app, stacks } = buildMeshApp({
      mesh: mesh1,
      platform: false,
      policies: 'off',
      outdir: mkdtempSync(join(tmpdir(), 'mesh-major-out-')),
    });
    const stack = app.node.findChild(stacks.find((x) => x.kind === 'product')!.stackName) as Stack;
    const t = Template.fromStack(stack);
    const tables = Object.values(t.findResources('AWS::Glue::Table')).map((r) => r.Properties.TableInput);
    const cols = (name: string) =>
      tables.find((x) => x.Name === name)?.StorageDescriptor.Columns.map((c: { Name: string }) => c.Name);
    assert.deepEqual(cols('orders_v2'), ['order_id', 'customer_email', 'amount_cents', 'status', 'channel']);
    assert.deepEqual(cols('orders_v1'), ['order_id', 'customer_email', 'amount', 'status', 'channel']);
    const v1 = loadContract(join(root, ORDERS, 'majors/v1/contract.odcs.yaml')).contract!;
    t.resourceCountIs('AWS::Glue::DataQualityRuleset', 2);
    t.hasResourceProperties('AWS::Glue::DataQualityRuleset', {
      Name: 'sales-orders-v1-dq',
      Ruleset: toDqdl(compileQuality(v1)),
      TargetTable: { DatabaseName: 'sales', TableName: 'orders_v1' },
    });
    t.hasResourceProperties('AWS::Glue::DataQualityRuleset', {
      Name: 'sales-orders-v2-dq',
      TargetTable: { DatabaseName: 'sales', TableName: 'orders_v2' },
    });
    const job = Object.values(t.findResources('AWS::Glue::Job'))[0]!;
    const arg = JSON.stringify(job.Properties.DefaultArguments['--served-majors']);
    assert.match(arg, /\\"table\\":\\"orders_v1\\",\\"ruleset\\":\\"sales-orders-v1-dq\\"/);
    assert.ok(
      arg.includes(
        JSON.stringify(JSON.stringify(readFileSync(join(root, ORDERS, 'majors/v1/compat.sql'), 'utf8'))).slice(3, -3),
      ),
      'the compat SQL is passed',
    );
  });

  test('publish lists majors 1 and 2; a frozen contract of another major is refused at its product.yaml line', async () => {
    const r = await mesh(['publish', 'sales/orders'], root);
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /sales\/orders 2\.0\.0: published\n {2}served older major 1\.1\.0: published\n/);
    assert.deepEqual(await openLocalCatalog(root).versions('sales', 'orders'), ['1.1.0', '2.0.0']);
    const again = await publishProduct({ root, product: 'sales/orders', catalog: openLocalCatalog(root) });
    assert.deepEqual(
      [again.outcome, again.servedMajors?.map((m) => [m.version, m.outcome])],
      ['unchanged', [['1.1.0', 'unchanged']]],
    );

    const p = join(root, ORDERS, 'product.yaml');
    const text = readFileSync(p, 'utf8');
    writeFileSync(p, text.replace('  - major: 1\n', '  - major: 0\n'));
    await assert.rejects(
      publishProduct({ root, product: 'sales/orders', catalog: openLocalCatalog(root) }),
      (e: MeshError) =>
        e.code === 'INVALID_CONFIG' &&
        e.line === text.split('\n').indexOf('  - major: 1') + 1 &&
        /majors\/v1\/contract\.odcs\.yaml is version 1\.1\.0, not a 0\.x version/.test(e.message),
    );
    writeFileSync(p, text);
  });
});
