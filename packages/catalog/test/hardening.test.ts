// Error paths a user hits with bad locations and unreachable endpoints: each must be a MeshError
// with an exit code and an actionable message, never a raw Node/SDK error, and never hang.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { copyExampleMesh } from '@meshkit/testing';
import { isMeshError } from '@meshkit/contracts';
import { GlueSchemaRegistryCatalog } from '../src/aws/index.js';
import { exportCatalogSite, LocalCatalog, publishProduct } from '../src/index.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const meshError = (code: string, exitCode: number, message: RegExp) => (e: unknown) => {
  assert.ok(isMeshError(e), `expected a MeshError, got ${String(e)}`);
  assert.equal(e.code, code, e.message);
  assert.equal(e.exitCode, exitCode);
  assert.match(e.message, message);
  return true;
};

describe('local catalog in a location that cannot be written or read', () => {
  it('publish into a catalog below a file is USAGE (exit 2), nothing written', async () => {
    const root = copyExampleMesh({ prefix: 'meshkit-catalog-' });
    writeFileSync(join(root, 'blocker'), 'a file, not a directory\n');
    const catalog = new LocalCatalog(join(root, 'blocker', 'catalog'));
    await assert.rejects(
      publishProduct({ root, product: 'sales/orders', catalog, gitCommit: null }),
      meshError(
        'USAGE',
        2,
        /cannot write the catalog .*blocker\/catalog \(ENOTDIR.*nothing was published.*catalog\.path/,
      ),
    );
  });

  it('publish where the version directory cannot hold files is USAGE, no temp file left', async () => {
    const root = copyExampleMesh({ prefix: 'meshkit-catalog-' });
    const dir = join(root, 'cat');
    // The major directory exists as a file: mkdir succeeds on its parent, then fails on it.
    mkdirSync(join(dir, 'sales', 'orders'), { recursive: true });
    writeFileSync(join(dir, 'sales', 'orders', 'v1'), '');
    await assert.rejects(
      publishProduct({ root, product: 'sales/orders', catalog: new LocalCatalog(dir), gitCommit: null }),
      meshError('USAGE', 2, /nothing was published/),
    );
    assert.deepEqual(readdirSync(join(dir, 'sales', 'orders')), ['v1']);
  });

  it('a record path that cannot be read is INPUT_UNREADABLE (exit 2), not reported as bad JSON', async () => {
    const root = copyExampleMesh({ prefix: 'meshkit-catalog-' });
    const dir = join(root, 'cat');
    mkdirSync(join(dir, 'sales', 'orders', 'v1', '1.0.0.json'), { recursive: true }); // a directory where the record should be
    await assert.rejects(
      new LocalCatalog(dir).get('sales', 'orders', '1.0.0'),
      meshError('INPUT_UNREADABLE', 2, /cannot read the catalog record \(EISDIR/),
    );
  });

  it('reading a catalog whose location is a file is INPUT_UNREADABLE (exit 2), not an ENOTDIR crash', async () => {
    const root = copyExampleMesh({ prefix: 'meshkit-catalog-' });
    const file = join(root, 'catalog-file');
    writeFileSync(file, '');
    await assert.rejects(
      new LocalCatalog(file).list(),
      meshError('INPUT_UNREADABLE', 2, /is not a directory.*catalog\.path/),
    );
  });
});

describe('catalog export into a path that cannot be written', () => {
  it('a parent that is a file is USAGE (exit 2) naming the directory, nothing left behind', async () => {
    const root = copyExampleMesh({ prefix: 'meshkit-catalog-' });
    const out = join(root, 'out');
    mkdirSync(out);
    writeFileSync(join(out, 'afile'), '');
    await assert.rejects(
      exportCatalogSite(new LocalCatalog(join(root, '.mesh/catalog')), join(out, 'afile', 'site')),
      meshError('USAGE', 2, /cannot write the catalog site to .*afile\/site \((EEXIST|ENOTDIR).*nothing was exported/),
    );
    assert.deepEqual(readdirSync(out), ['afile']);
  });
});

describe('Glue backend against an endpoint that never answers', () => {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  after(() => {
    for (const s of sockets) s.destroy();
    server?.close();
  });

  it(
    'times out per attempt, retries within maxAttempts, then fails with CATALOG_AWS "cannot reach" (exit 2), nothing recorded',
    { timeout: 30_000 },
    async () => {
      // Accepts TCP connections and never writes a byte: without a request timeout the SDK waits forever.
      let connections = 0;
      server = createServer((s) => {
        connections++;
        sockets.add(s);
      });
      await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      const root = copyExampleMesh({ prefix: 'meshkit-catalog-' });
      const catalog = new GlueSchemaRegistryCatalog({
        root,
        settings: { region: 'eu-west-1', endpoint: `http://127.0.0.1:${port}`, requestTimeoutMs: 200, maxAttempts: 2 },
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      });
      await assert.rejects(
        publishProduct({ root, product: 'sales/orders', catalog, gitCommit: null }),
        meshError(
          'CATALOG_AWS',
          2,
          /cannot reach AWS Glue \(check catalog\.glue\.endpoint.*after 2 attempt\(s\).*TimeoutError/,
        ),
      );
      assert.equal(connections, 2, 'one connection per attempt');
      assert.deepEqual(catalog.published, []);
    },
  );

  it('a refused connection is "cannot reach", not "refused the call"', { timeout: 30_000 }, async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve())); // now nothing listens there
    const root = copyExampleMesh({ prefix: 'meshkit-catalog-' });
    const catalog = new GlueSchemaRegistryCatalog({
      root,
      settings: { region: 'eu-west-1', endpoint: `http://127.0.0.1:${port}`, maxAttempts: 1 },
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    await assert.rejects(catalog.list(), meshError('CATALOG_AWS', 2, /cannot reach AWS Glue.*ECONNREFUSED/));
    assert.ok(!existsSync(join(root, '.mesh')));
  });

  it(
    'an endpoint that answers with something other than an AWS response (an HTML error page) is one clear line',
    { timeout: 30_000 },
    async () => {
      // What moto_server answers for an operation it does not implement (ListSchemas).
      const html = createHttpServer((_req, res) =>
        res
          .writeHead(500, { 'content-type': 'text/html' })
          .end('<!doctype html><title>500 Internal Server Error</title>'),
      );
      await new Promise<void>((resolve) => html.listen(0, '127.0.0.1', resolve));
      try {
        const { port } = html.address() as AddressInfo;
        const catalog = new GlueSchemaRegistryCatalog({
          root: copyExampleMesh({ prefix: 'meshkit-catalog-' }),
          settings: { region: 'eu-west-1', endpoint: `http://127.0.0.1:${port}`, maxAttempts: 1 },
          credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
        });
        await assert.rejects(catalog.list(), (e: unknown) => {
          meshError(
            'CATALOG_AWS',
            2,
            /answered HTTP 500 after 1 attempt\(s\) with a body that is not an AWS Glue response: is catalog\.glue\.endpoint/,
          )(e);
          assert.doesNotMatch((e as Error).message, /\n/, 'one line');
          return true;
        });
      } finally {
        html.closeAllConnections();
        html.close();
      }
    },
  );
});

describe('local catalog: symlinked folders out of the catalog are refused', () => {
  it('a domain folder linking out of the catalog: list, versions, get and publish fail with exit 2, nothing is written there', async () => {
    const { symlinkSync, mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const root = copyExampleMesh({ prefix: 'meshkit-catalog-' });
    const dir = join(root, 'catalog');
    mkdirSync(dir, { recursive: true });
    const outside = mkdtempSync(join(tmpdir(), 'meshkit-outside-'));
    mkdirSync(join(outside, 'orders', 'v1'), { recursive: true });
    symlinkSync(outside, join(dir, 'sales'));
    const catalog = new LocalCatalog(dir);
    const refused = meshError(
      'INPUT_UNREADABLE',
      2,
      /sales is a symlink to .*outside the catalog .*must be a real folder inside it/,
    );
    await assert.rejects(catalog.list(), refused);
    await assert.rejects(catalog.versions('sales', 'orders'), refused);
    await assert.rejects(catalog.get('sales', 'orders', '1.0.0'), refused);
    await assert.rejects(publishProduct({ root, product: 'sales/orders', catalog, gitCommit: null }), refused);
    assert.deepEqual(readdirSync(join(outside, 'orders', 'v1')), []);
  });

  it('a product folder linking out of the catalog is refused; a link inside the catalog is followed', async () => {
    const { symlinkSync, mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const root = copyExampleMesh({ prefix: 'meshkit-catalog-' });
    const dir = join(root, 'catalog');
    mkdirSync(join(dir, 'sales'), { recursive: true });
    const outside = mkdtempSync(join(tmpdir(), 'meshkit-outside-'));
    symlinkSync(outside, join(dir, 'sales', 'orders'));
    const catalog = new LocalCatalog(dir);
    await assert.rejects(
      publishProduct({ root, product: 'sales/orders', catalog, gitCommit: null }),
      meshError('INPUT_UNREADABLE', 2, /orders is a symlink to .*outside the catalog/),
    );
    assert.deepEqual(readdirSync(outside), []);

    const { unlinkSync } = await import('node:fs');
    unlinkSync(join(dir, 'sales', 'orders'));
    mkdirSync(join(dir, 'shared', 'orders'), { recursive: true });
    symlinkSync(join(dir, 'shared', 'orders'), join(dir, 'sales', 'orders'));
    await publishProduct({ root, product: 'sales/orders', catalog, gitCommit: null });
    assert.ok((await catalog.versions('sales', 'orders')).length > 0);
  });
});
