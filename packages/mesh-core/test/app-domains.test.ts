// buildMeshApp({ domains, products }): a part of the mesh (what one `mesh synth` worker builds), its
// consumes still resolved against the whole mesh: the same templates as the whole app's.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildMeshApp, loadMesh } from '../src/index.js';
import { DEMO_MESH } from './demo-mesh.js';

describe('buildMeshApp with domains', () => {
  const mesh = loadMesh(DEMO_MESH);
  const whole = mkdtempSync(join(tmpdir(), 'mesh-app-whole-'));
  buildMeshApp({ mesh, outdir: whole, policies: 'off' }).app.synth();

  test("only the named domains (and the platform when asked); the consumer stack equals the whole app's", () => {
    const part = mkdtempSync(join(tmpdir(), 'mesh-app-part-'));
    const { app, stacks } = buildMeshApp({
      mesh,
      outdir: part,
      policies: 'off',
      platform: false,
      domains: ['marketing'],
    });
    app.synth();
    assert.deepEqual(
      stacks.map((s) => s.stackName),
      ['mesh-marketing-foundation', 'mesh-marketing-campaign-performance'],
    );
    // campaign-performance consumes sales/orders, a domain this app does not build: resolved all the same.
    for (const name of ['mesh-marketing-foundation', 'mesh-marketing-campaign-performance']) {
      assert.equal(
        readFileSync(join(part, `${name}.template.json`), 'utf8'),
        readFileSync(join(whole, `${name}.template.json`), 'utf8'),
        name,
      );
    }
  });

  test("products: only the named product stacks, each the whole app's template; the foundation then exports only what they import", () => {
    const part = mkdtempSync(join(tmpdir(), 'mesh-app-product-'));
    const { app, stacks } = buildMeshApp({
      mesh,
      outdir: part,
      policies: 'off',
      platform: false,
      domains: ['sales'],
      products: ['sales/orders'],
    });
    app.synth();
    assert.deepEqual(
      stacks.map((s) => s.stackName),
      ['mesh-sales-foundation', 'mesh-sales-orders'],
    );
    assert.equal(
      readFileSync(join(part, 'mesh-sales-orders.template.json'), 'utf8'),
      readFileSync(join(whole, 'mesh-sales-orders.template.json'), 'utf8'),
    );
    const outputs = (dir: string) =>
      Object.keys(
        (JSON.parse(readFileSync(join(dir, 'mesh-sales-foundation.template.json'), 'utf8')) as { Outputs?: object })
          .Outputs ?? {},
      );
    assert.ok(outputs(part).length > 0 && outputs(part).every((o) => outputs(whole).includes(o)));
    const none = mkdtempSync(join(tmpdir(), 'mesh-app-no-product-'));
    buildMeshApp({
      mesh,
      outdir: none,
      policies: 'off',
      platform: false,
      domains: ['sales'],
      products: [],
    }).app.synth();
    assert.deepEqual(outputs(none), [], 'no product stack: nothing imports from the foundation');
  });

  test('no domain: the platform stacks alone', () => {
    const { stacks } = buildMeshApp({
      mesh,
      outdir: mkdtempSync(join(tmpdir(), 'mesh-app-platform-')),
      policies: 'off',
      domains: [],
    });
    assert.deepEqual(
      stacks.map((s) => s.stackName),
      ['mesh-platform'],
    );
  });
});
