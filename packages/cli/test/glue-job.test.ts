// Single source of a product's Glue job: every product runs the contract-independent glue/job.py
// shipped with @meshkit/core; the synthesized stack passes it the DQ ruleset (by name) and
// transform.sql; the ruleset, the local run's rules and the transform come from the same files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileQuality, toDqdl } from '@meshkit/contracts';
import { buildMeshApp, defaultScriptPath, loadMesh, productStackName } from '@meshkit/core';
import { runProduct } from '@meshkit/runtime';
import { copyExampleMesh, EXAMPLE_MESH } from '@meshkit/testing';

// In run order: campaign-performance consumes sales/orders.
const PRODUCTS = [
  ['sales', 'orders'],
  ['sales', 'clickstream'],
  ['marketing', 'campaign-performance'],
] as const;
const NOW: Record<string, string> = { clickstream: '2026-11-01T10:15:00Z' };

const demoRepo = () => copyExampleMesh({ prefix: 'meshkit-glue-demo-' });

/** The rule ids the job names the rules of `ruleset` by: its own `rule_names` function, run by python3. */
function jobRuleIds(script: string, ruleset: string): string[] {
  const fn = /^def rule_names\(ruleset\):\n(?: {4}.*\n|\n)+/m.exec(script)?.[0];
  assert.ok(fn, 'the job defines rule_names(ruleset)');
  const dir = mkdtempSync(join(tmpdir(), 'meshkit-rules-'));
  writeFileSync(
    join(dir, 'r.py'),
    `import json, re, sys\n${fn}\nprint(json.dumps([i for named in rule_names(sys.stdin.read()).values() for i, _ in named]))\n`,
  );
  const r = spawnSync('python3', [join(dir, 'r.py')], { input: ruleset, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as string[];
}

test('the product job shipped with @meshkit/core compiles (python3 -m py_compile); the demo products use it', () => {
  const out = mkdtempSync(join(tmpdir(), 'meshkit-pyc-'));
  const r = spawnSync(
    'python3',
    [
      '-c',
      'import py_compile, sys; py_compile.compile(sys.argv[1], cfile=sys.argv[2], doraise=True)',
      defaultScriptPath(),
      join(out, 'job.pyc'),
    ],
    { encoding: 'utf8' },
  );
  assert.equal(r.status, 0, r.stderr);
  for (const [d, p] of PRODUCTS)
    assert.ok(
      !existsSync(join(EXAMPLE_MESH, 'domains', d, 'products', p, 'glue', 'job.py')),
      `${d}/${p} overrides the job`,
    );
});

test("single source: the stack passes the job the contract's ruleset (by name) and the transform the local run executed", async () => {
  const root = demoRepo();
  const { app } = buildMeshApp({ mesh: loadMesh(root), platform: false, policies: 'off' });
  const assembly = app.synth();
  for (const [d, p] of PRODUCTS) {
    const productDir = join(root, 'domains', d, 'products', p);
    const product = loadMesh(root, { domain: d }).domains[0]!.products.find((x) => x.name === p)!;
    const template = assembly.getStackByName(productStackName(d, p)).template as {
      Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
    };
    const of = (type: string) => Object.values(template.Resources).filter((r) => r.Type === type);
    const [job] = of('AWS::Glue::Job');
    const args = job!.Properties.DefaultArguments as Record<string, string>;
    const script = readFileSync(defaultScriptPath(), 'utf8');

    // The job reads its ruleset by the name the stack gives it: the ruleset compiled from the contract.
    assert.match(script, /get_data_quality_ruleset\(Name=args\["dq-ruleset-name"\]\)/);
    const dqdl = toDqdl(compileQuality(product.contract));
    const rulesets = of('AWS::Glue::DataQualityRuleset').filter((r) => r.Properties.Name === args['--dq-ruleset-name']);
    assert.equal(rulesets.length, 1, `${d}/${p}: one ruleset named ${args['--dq-ruleset-name']}`);
    assert.equal(rulesets[0]!.Properties.Ruleset, dqdl);
    assert.equal(args['--dq-ruleset'], undefined, 'the ruleset text is not duplicated into the job');

    // The local run evaluates the rules the job names (by the `# <id>` comments of the DQDL).
    const report = await runProduct({ productDir, now: new Date(NOW[p] ?? '2026-11-02T00:00:00Z') });
    const local = report.rules
      .filter((r) => r.kind !== 'castable' && r.outcome !== 'skipped')
      .map((r) => r.id)
      .sort();
    assert.ok(local.length > 0);
    assert.deepEqual(jobRuleIds(script, dqdl).sort(), local, `${d}/${p}: same rule ids`);

    // The job runs the transform the stack passes: the transform.sql the local run executed.
    assert.match(script, /run_product\(spark, plans\["current"\], raw_df, args\.get\("transform-sql"\)/);
    const lineage = JSON.parse(readFileSync(report.paths.lineage, 'utf8')) as {
      job: { facets: { sql: { query: string } } };
    };
    assert.equal(args['--transform-sql'], lineage.job.facets.sql.query);
    assert.equal(args['--transform-sql'], readFileSync(join(productDir, 'transform.sql'), 'utf8'));

    // Consumed products are registered as views <domain>_<product> over the producer's output table.
    const consumes = product.manifest.consumes;
    if (consumes.length) assert.equal(args['--consumed-tables'], 'sales_orders=sales.orders_v1');
    else assert.equal(args['--consumed-tables'], undefined);
  }
});
