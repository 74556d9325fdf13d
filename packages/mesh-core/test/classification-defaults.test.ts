// Classification drives the defaults: a restricted product replicates when it does not set its
// criticality (and the platform has a replica region), its retention and lifecycle follow the
// classification unless product.yaml sets retentionDays, and the trail records its data events.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import type { Stack } from 'aws-cdk-lib';
import { buildMeshApp, loadMesh, replicaStackName } from '../src/index.js';
import { demoMeshCopy, editFile } from './demo-mesh.js';

const ORDERS = 'domains/sales/products/orders/product.yaml';

function mesh(change: (root: string) => void) {
  const root = demoMeshCopy('mesh-classification-', (r) => {
    edit(r, 'mesh.config.yaml', (s) => s.replace('platform:\n', 'platform:\n  replicaRegion: eu-central-1\n'));
    change(r);
  });
  const { app, stacks } = buildMeshApp({
    mesh: loadMesh(root),
    outdir: mkdtempSync(join(tmpdir(), 'mesh-classification-out-')),
    policies: 'report',
  });
  app.synth();
  return { stacks, template: (name: string) => Template.fromStack(app.node.findChild(name) as Stack) };
}
let unedited: ReturnType<typeof mesh> | undefined;
/** The demo mesh with only the replica region added, synthesized once for the tests that read it. */
const uneditedMesh = () => (unedited ??= mesh(() => {}));
function edit(root: string, p: string, f: (s: string) => string): void {
  editFile(join(root, p), f);
}
const replicated = (t: Template) =>
  Object.values(t.findResources('AWS::S3::Bucket')).some(
    (b) =>
      (b as { Properties?: { ReplicationConfiguration?: unknown } }).Properties?.ReplicationConfiguration !== undefined,
  );
const expirations = (t: Template) =>
  Object.values(t.findResources('AWS::S3::Bucket'))
    .flatMap((b) =>
      (
        (b as { Properties?: { LifecycleConfiguration?: { Rules: Array<{ ExpirationInDays?: number }> } } }).Properties
          ?.LifecycleConfiguration?.Rules ?? []
      ).map((r) => r.ExpirationInDays),
    )
    .filter((d): d is number => d !== undefined)
    .sort();

describe('classification drives the defaults', () => {
  test('a restricted product without criticality replicates; with an explicit criticality it follows that', () => {
    const implicit = mesh((r) => edit(r, ORDERS, (s) => s.replace(/criticality: \w+\n/, '')));
    assert.ok(implicit.stacks.some((s) => s.stackName === replicaStackName('eu-central-1')));
    assert.equal(replicated(implicit.template('mesh-sales-orders')), true);
    const explicit = uneditedMesh();
    assert.equal(replicated(explicit.template('mesh-sales-orders')), false, 'criticality: high, set explicitly');
    const internal = mesh((r) =>
      edit(r, ORDERS, (s) =>
        s.replace(/criticality: \w+\n/, '').replace('classification: restricted', 'classification: internal'),
      ),
    );
    assert.equal(replicated(internal.template('mesh-sales-orders')), false);
  });

  test('retention follows the classification unless retentionDays is set', () => {
    const restricted = mesh((r) => edit(r, ORDERS, (s) => s.replace(/retentionDays: \d+\n/, '')));
    assert.deepEqual([...new Set(expirations(restricted.template('mesh-sales-orders')))], [2555]);
    const set = mesh((r) => edit(r, ORDERS, (s) => s.replace(/retentionDays: \d+\n/, '') + 'retentionDays: 400\n'));
    assert.deepEqual([...new Set(expirations(set.template('mesh-sales-orders')))], [400]);
  });

  test("the trail records the restricted product's data events", () => {
    const { template } = uneditedMesh();
    const trail = JSON.stringify(template('mesh-platform').findResources('AWS::CloudTrail::Trail'));
    assert.match(trail, /sales-orders/);
  });
});
