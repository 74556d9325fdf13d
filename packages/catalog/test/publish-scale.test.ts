// Publishing many products (issue 19): per-run work once, bounded concurrency against the Glue
// emulator with latency and a request-rate limit (throttled calls retried, nothing recorded
// twice), and an interrupted run that a rerun finishes.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { LocalCatalog, publishProducts } from '../src/index.js';
import { GlueSchemaRegistryCatalog, glueClients } from '../src/aws/index.js';
import { PAUSE_AT_LINK_ENV, PAUSED_AT_LINK, startGlueEmulator } from '@meshkit/testing';
import { commitAll } from './aws-helpers.js';
import { writeGeneratedRepo } from './scale-helpers.js';

const roots: string[] = [];
const repo = (count: number) => {
  const root = mkdtempSync(join(tmpdir(), 'meshkit-publish-scale-'));
  roots.push(root);
  return { root, products: writeGeneratedRepo(root, count) };
};
after(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

describe('publishProducts against the Glue emulator', () => {
  it('publishes 24 products 8 at a time through throttling: each recorded once, a rerun writes nothing', async () => {
    const { root, products } = repo(24);
    commitAll(root, 'products');
    // Latency per call and a rate limit of 4 calls in flight: 8 products at once get throttled.
    const em = await startGlueEmulator({ latencyMs: 10, maxInFlight: 4 });
    try {
      const clients = glueClients(
        { registryName: 'bench-corp-data-contracts', region: 'us-east-1', endpoint: em.url, maxAttempts: 10 },
        { accessKeyId: 'test', secretAccessKey: 'test' },
      );
      const catalog = new GlueSchemaRegistryCatalog({ root, clients, pollIntervalMs: 1 });
      const settled: string[] = [];
      const first = await publishProducts({
        root,
        products,
        catalog,
        concurrency: 8,
        onSettled: (s) => settled.push(s.product),
      });
      assert.deepEqual(first.map((s) => s.error?.format()).filter(Boolean), []);
      assert.deepEqual(
        first.map((s) => s.result?.outcome),
        products.map(() => 'published'),
      );
      assert.deepEqual(
        first.map((s) => s.product),
        products,
        'results in product order',
      );
      assert.equal(new Set(settled).size, 24);
      assert.ok(em.throttled > 0, 'the rate limit was hit (and the calls retried)');
      assert.ok(em.peakInFlight <= 4);
      for (const p of products) {
        const versions = em.inspect('bench-corp-data-contracts', `bench.${p.split('/')[1]}.v1`)!;
        assert.equal(versions.length, 1, `${p}: one schema version`);
        assert.deepEqual(
          Object.values(versions[0]!.metadata).map((v) => v.length),
          [1, 1],
          `${p}: each metadata key recorded once`,
        );
      }
      em.resetCounts();
      const again = await publishProducts({
        root,
        products,
        catalog: new GlueSchemaRegistryCatalog({ root, clients, pollIntervalMs: 1 }),
        concurrency: 8,
      });
      assert.deepEqual(
        again.map((s) => s.result?.outcome),
        products.map(() => 'unchanged'),
      );
      assert.equal(em.writes, 0);
    } finally {
      await em.close();
    }
  });
});

describe('an interrupted publish', () => {
  it('leaves every product published or not; a rerun publishes the rest and keeps the others', async () => {
    const { root, products } = repo(12);
    const dir = join(root, '.mesh/catalog');
    // A child publishing every product, held just before linking each temp file; killed at the 5th.
    const src = pathToFileURL(fileURLToPath(new URL('../src/index.ts', import.meta.url))).href;
    const script = `const { publishProducts, LocalCatalog } = await import(${JSON.stringify(src)});
await publishProducts({ root: ${JSON.stringify(root)}, products: ${JSON.stringify(products)}, catalog: new LocalCatalog(${JSON.stringify(dir)}, ${JSON.stringify(root)}) });`;
    const preload = import.meta.resolve('@meshkit/testing/pause-at-link'); // blocks just before each link(2) of a temp file
    const child = spawn(
      process.execPath,
      ['--conditions=development', '--import', 'tsx', '--import', preload, '--input-type=module', '-e', script],
      {
        env: { ...process.env, [PAUSE_AT_LINK_ENV]: '150' },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    await new Promise<void>((resolve, reject) => {
      let seen = 0;
      child.stderr.on('data', (d: Buffer) => {
        seen += d.toString().split(PAUSED_AT_LINK).length - 1;
        if (seen >= 5) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.once('exit', () => reject(new Error('the child finished before it was interrupted')));
    });
    await new Promise((r) => child.once('close', r));
    const catalog = new LocalCatalog(dir, root);
    const listed = await catalog.list();
    assert.ok(listed.length >= 4 && listed.length < 12, `some products published before the kill: ${listed.length}`);
    for (const p of listed) assert.ok(await catalog.get(p.domain, p.product, '1.0.0'), `${p.product}: a whole record`);
    const rerun = await publishProducts({ root, products, catalog });
    const outcomes = rerun.map((s) => s.result?.outcome);
    assert.equal(outcomes.filter((o) => o === 'unchanged').length, listed.length);
    assert.equal(outcomes.filter((o) => o === 'published').length, 12 - listed.length);
    assert.equal((await catalog.list()).length, 12);
  });
});
