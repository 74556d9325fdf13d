import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileQuality, toDqdl } from '@meshkit/contracts';
import { glueJobInputs, loadRunTarget, renderGlueJob, runProduct } from '../src/index.js';
import { DEMO_MESH, demoRepo } from './helpers.js';

const PRODUCTS = [['sales', 'orders'], ['sales', 'clickstream'], ['marketing', 'campaign-performance']] as const;

/** The Python literal assigned to NAME in a job script, evaluated by python3. */
function pyValue(script: string, name: string): unknown {
  const dir = mkdtempSync(join(tmpdir(), 'meshkit-glue-'));
  const head = script.split('\nNAMES = ')[0]!.replace(/^(import|from) .*$/gm, '');
  writeFileSync(join(dir, 'v.py'), `${head}\nimport json\nprint(json.dumps(${name}))\n`);
  const r = spawnSync('python3', [join(dir, 'v.py')], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

test('the demo products\' glue/job.py are current and compile (python3 -m py_compile)', () => {
  for (const [d, p] of PRODUCTS) {
    const t = loadRunTarget(DEMO_MESH, d, p);
    const file = join(t.productDir, 'glue', 'job.py');
    const consumed = Object.fromEntries(t.manifest.consumes.map((c) => [c.product, loadRunTarget(DEMO_MESH, ...(c.product.split('/') as [string, string])).contract]));
    const expected = renderGlueJob(glueJobInputs({ manifest: t.manifest, contract: t.contract, transformSql: readFileSync(join(t.productDir, 'transform.sql'), 'utf8'), consumedContracts: consumed }));
    assert.equal(readFileSync(file, 'utf8'), expected, `${file} is stale: regenerate it with writeGlueJob`);
    const out = mkdtempSync(join(tmpdir(), 'meshkit-pyc-'));
    const r = spawnSync('python3', ['-c', 'import py_compile, sys; py_compile.compile(sys.argv[1], cfile=sys.argv[2], doraise=True)', file, join(out, 'job.pyc')], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  }
});

test('single source: the job\'s DQDL, the CDK ruleset text and the local run\'s rules come from one IR', async () => {
  const root = demoRepo();
  for (const [d, p] of PRODUCTS) {
    const t = loadRunTarget(root, d, p);
    const script = readFileSync(join(t.productDir, 'glue', 'job.py'), 'utf8');
    const ruleset = pyValue(script, 'RULESET');
    // DataProduct (@meshkit/core) sets its ruleset to exactly this expression.
    assert.equal(ruleset, toDqdl(compileQuality(t.contract)));
    const jobRules = pyValue(script, 'RULES') as Array<{ id: string; level: string }>;
    assert.equal(pyValue(script, 'TRANSFORM_SQL'), readFileSync(join(t.productDir, 'transform.sql'), 'utf8'));
    const now = new Date(p === 'clickstream' ? '2026-11-01T10:15:00Z' : '2026-11-02T00:00:00Z');
    const report = await runProduct({ productDir: t.productDir, now });
    const local = report.rules.filter((r) => r.kind !== 'castable' && r.outcome !== 'skipped');
    assert.deepEqual(jobRules.map((r) => r.id).sort(), local.map((r) => r.id).sort(), `${d}/${p}: same rule ids`);
    assert.deepEqual(Object.fromEntries(jobRules.map((r) => [r.id, r.level])), Object.fromEntries(local.map((r) => [r.id, r.level])), `${d}/${p}: same levels`);
    // Every rule of the ruleset is announced by its id.
    for (const r of jobRules) assert.ok(String(ruleset).includes(`# ${r.id}`), r.id);
  }
});
