// The fleet the fleet tests look at: a copy of the example mesh with an organisation pack (warn
// now, enforce later), a suppression, a published version, a product rendered from the template
// (provenance) and one lagging behind it.
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run, bufferIo } from '../src/index.js';
import { GENERATED_DIRS } from '@meshkit/contracts';
import { copyExampleMesh } from '@meshkit/testing';

async function mesh(args: string[], cwd: string) {
  const io = bufferIo(cwd);
  const code = await run(args, io);
  return { code, out: io.out, err: io.err };
}

const PACK = `
import type { PolicyRule } from '@meshkit/core';
export const rules: PolicyRule[] = [{
  id: 'ACME-ENC-KMS-ROTATION-180', area: 'ENC', title: 'KMS keys rotate at least every 180 days',
  rationale: 'Key-management standard.', fix: 'Set rotationPeriod.', since: '2.0.0', enforceFrom: '2030-06-01',
  resourceTypes: ['AWS::KMS::Key'],
  check: (r) => (typeof r.properties.RotationPeriodInDays === 'number' && r.properties.RotationPeriodInDays <= 180 ? 'compliant' : { violation: 'rotation period above 180 days' }),
}];
`;

/** The example mesh, made into the fleet the tests look at. */
export async function fleetMesh(): Promise<string> {
  // The domains without their provenance: a foundation the fleet shows as not rendered by the template.
  const dir = copyExampleMesh({
    prefix: 'mesh-fleet-',
    skip: new RegExp(`${GENERATED_DIRS.source}|^[/\\\\]domains[/\\\\][^/\\\\]+[/\\\\]\\.meshkit([/\\\\]|$)`),
  });
  const modules = fileURLToPath(new URL('../../../node_modules', import.meta.url));
  mkdirSync(join(dir, 'node_modules', '@example'), { recursive: true });
  for (const name of readdirSync(modules))
    if (name !== '@example') symlinkSync(join(modules, name), join(dir, 'node_modules', name));
  const pack = join(dir, 'platform', 'policies');
  mkdirSync(join(pack, 'src'), { recursive: true });
  writeFileSync(
    join(pack, 'package.json'),
    JSON.stringify({ name: '@example/policies', version: '2.1.0', type: 'module', exports: { '.': './src/index.ts' } }),
  );
  writeFileSync(join(pack, 'src', 'index.ts'), PACK);
  symlinkSync(pack, join(dir, 'node_modules', '@example', 'policies'));
  appendFileSync(join(dir, 'mesh.config.yaml'), 'policy:\n  packs: ["@example/policies"]\n');
  // A suppression in sales/orders' own additions.
  mkdirSync(join(dir, 'domains/sales/products/orders/infra'), { recursive: true });
  writeFileSync(
    join(dir, 'domains/sales/products/orders/infra/stack.ts'),
    [
      "import { aws_sns as sns, type Stack } from 'aws-cdk-lib';",
      "import { suppress } from '@meshkit/core';",
      'export function customize(stack: Stack): void {',
      "  const topic = new sns.CfnTopic(stack, 'Notices', { topicName: 'orders-notices' });",
      "  suppress(topic, 'MESH-ENC-SNS', { reason: 'public notices only, no data in messages', expires: '2030-05-20' });",
      '}',
    ].join('\n'),
  );
  // Rendered from the template (provenance), then one lagging behind it.
  const created = await mesh(['new', 'product', 'sales/refunds', '--yes'], dir);
  assert.equal(created.code, 0, created.err);
  const prov = join(dir, 'domains/sales/products/refunds/.meshkit/provenance.json');
  writeFileSync(prov, readFileSync(prov, 'utf8').replace(/"version": "[^"]+"/, '"version": "0.0.9"'));
  const published = await mesh(['publish', 'sales/orders'], dir);
  assert.equal(published.code, 0, published.out + published.err);
  return dir;
}
