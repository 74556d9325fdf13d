import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMeshError } from '@meshkit/contracts';
import { defaultScriptPath } from '@meshkit/core';
import { meshRun } from '../src/commands/run.js';
import { synthMesh } from '../src/commands/synth.js';
import { bufferIo } from '../src/io.js';
import { copyExampleMesh } from '@meshkit/testing';

const repo = () => {
  const dir = copyExampleMesh({ prefix: 'mesh-run-cli-' });
  return dir;
};
const NOW = '2026-11-02T00:00:00Z';

test('mesh run: orders then campaign-performance reading its output, one-screen summaries, exit 0', async () => {
  const root = repo();
  const io = bufferIo(root);
  assert.equal(await meshRun('sales/orders', { now: NOW, format: 'text' }, io), 0);
  assert.match(io.out, /^sales\/orders \(contract sales-orders 1\.1\.0\): PASSED/);
  assert.match(io.out, /rows {6}34 in = 30 out \+ 4 quarantined/);
  assert.match(io.out, /36 row\(s\) read, 1 malformed → quarantine/);
  assert.ok(io.out.split('\n').length < 25, 'one screen');
  const io2 = bufferIo(root);
  assert.equal(await meshRun('marketing/campaign-performance', { now: NOW, format: 'json' }, io2), 0);
  const report = JSON.parse(io2.out);
  assert.equal(report.consumed[0].source, 'run');
  assert.equal(report.consumed[0].path, join(root, '.mesh/runs/sales/orders/curated'));
  assert.equal(report.rowsIn, report.rowsOut + report.rowsQuarantined);
});

test('mesh run: a failed dataset rule is exit 1; bad usage and missing input are exit 2', async () => {
  const root = repo();
  // Without --now the demo's fixtures are older than the orders' 24 h freshness SLA.
  const io = bufferIo(root);
  assert.equal(await meshRun('sales/orders', { now: '2026-11-20T00:00:00Z', format: 'text' }, io), 1);
  assert.match(io.out, /FAIL order_date\.freshness/);
  assert.match(io.err, /last good output was kept/);
  const fail = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (e) {
      if (isMeshError(e)) return e;
      throw e;
    }
    return assert.fail('expected a MeshError');
  };
  const e1 = await fail(meshRun('sales/orders', { input: 'nope.csv', format: 'text' }, bufferIo(root)));
  assert.equal(e1.exitCode, 2);
  assert.match(e1.message, /input not found: .*nope\.csv/);
  assert.equal((await fail(meshRun('sales', { format: 'text' }, bufferIo(root)))).exitCode, 2);
  assert.equal((await fail(meshRun('sales/orders', { now: 'yesterday', format: 'text' }, bufferIo(root)))).exitCode, 2);
  assert.equal((await fail(meshRun('sales/nothing', { format: 'text' }, bufferIo(root)))).exitCode, 2);
});

test("single source: the synthesized job reads the stack's ruleset by name and runs the product's transform.sql", async () => {
  const root = repo();
  const out = mkdtempSync(join(tmpdir(), 'mesh-run-synth-'));
  await synthMesh(root, 'marketing/campaign-performance', out);
  const template = JSON.parse(readFileSync(join(out, 'mesh-marketing-campaign-performance.template.json'), 'utf8'));
  const of = (type: string) =>
    Object.values(template.Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>).filter(
      (r) => r.Type === type,
    );
  const rulesets = of('AWS::Glue::DataQualityRuleset');
  assert.equal(rulesets.length, 1);
  const args = of('AWS::Glue::Job')[0]!.Properties.DefaultArguments as Record<string, string>;
  assert.equal(args['--dq-ruleset-name'], rulesets[0]!.Properties.Name);
  const dir = join(root, 'domains/marketing/products/campaign-performance');
  assert.equal(args['--transform-sql'], readFileSync(join(dir, 'transform.sql'), 'utf8'));
  assert.match(readFileSync(defaultScriptPath(), 'utf8'), /get_data_quality_ruleset\(Name=args\["dq-ruleset-name"\]\)/);
});
