// The whole demo mesh, as `mesh synth` builds it: zero policy violations, and cdk-nag's
// AwsSolutions pack passes over every stack with only reasoned acknowledgements.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { MeshError } from '@meshkit/contracts';
import { buildMeshApp, loadMesh, validateAssembly } from '../src/index.js';
import { DEMO_MESH } from './demo-mesh.js';

describe('buildMeshApp over the demo mesh', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'mesh-app-'));
  const { app, stacks } = buildMeshApp({ mesh: loadMesh(DEMO_MESH), outdir, policies: 'report' });
  app.synth();

  test('one platform stack, one foundation per domain, one stack per product', () => {
    assert.deepEqual(
      stacks.map((s) => `${s.kind}:${s.stackName}`),
      [
        'platform:mesh-platform',
        'domain:mesh-marketing-foundation',
        'product:mesh-marketing-campaign-performance',
        'domain:mesh-sales-foundation',
        'product:mesh-sales-clickstream',
        'product:mesh-sales-orders',
      ],
    );
  });

  test('the policy pack finds nothing', () => {
    const report = validateAssembly(outdir);
    assert.equal(report.ok, true);
    assert.equal(
      report.summary.errors + report.summary.warnings,
      0,
      JSON.stringify(
        report.stacks.flatMap((s) => s.findings),
        null,
        1,
      ),
    );
  });

  test('cdk-nag AwsSolutions passes; every acknowledgement has a reason', () => {
    const report = new AwsSolutionsChecks().validateScope(app);
    const errors = report.violations.filter((v) => v.severity === 'error');
    assert.deepEqual(
      errors.map((v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`),
      [],
    );
    const reasons = app.node
      .findAll()
      .flatMap((c) =>
        c.node.metadata
          .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
          .flatMap((m) => Object.values(m.data as Record<string, string>)),
      );
    assert.ok(reasons.length > 0);
    for (const r of reasons) assert.ok(r.trim().length >= 10, `acknowledgement without a real reason: ${r}`);
  });
});

test('selecting an unknown product is bad usage', () => {
  assert.throws(
    () => loadMesh(DEMO_MESH, { domain: 'sales', product: 'nope' }),
    (e: unknown) => e instanceof MeshError && e.exitCode === 2 && /no product 'sales\/nope'/.test(e.message),
  );
});
