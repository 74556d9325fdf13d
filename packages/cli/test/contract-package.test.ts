import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMeshError } from '@meshkit/contracts';
import { contractPackage } from '../src/commands/contract-package.js';
import { bufferIo } from '../src/io.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SKIP = ['node_modules', 'dist', '.mesh', 'cdk.out', '.turbo'];

/** A repository with the example mesh's sales/orders product (its package.json, contract, infra…). */
function repo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mesh-contract-package-'));
  cpSync(join(ROOT, 'mesh.config.yaml'), join(dir, 'mesh.config.yaml'));
  const from = join(ROOT, 'domains/sales/products/orders');
  cpSync(from, join(dir, 'domains/sales/products/orders'), {
    recursive: true,
    filter: (s) => !SKIP.some((n) => s.slice(from.length).split(/[\\/]/).includes(n)),
  });
  return dir;
}

test('mesh contract package <domain>/<product> builds dist/ and lists the entry points', async () => {
  const root = repo();
  const io = bufferIo(root);
  assert.equal(await contractPackage('sales/orders', {}, io), 0, io.err);
  assert.equal(
    io.out,
    'built @example/sales.orders@1.1.0 into domains/sales/products/orders/dist/\n  @example/sales.orders  contract 1.1.0  (orders) → dist/\n',
  );
  assert.ok(existsSync(join(root, 'domains/sales/products/orders/dist/index.js')));
});

test('without a target it builds the product folder it runs in (the package scripts), also from below it', async () => {
  const root = repo();
  const product = join(root, 'domains/sales/products/orders');
  const io = bufferIo(join(product, 'infra'));
  assert.equal(await contractPackage(undefined, { format: 'json' }, io), 0, io.err);
  const json = JSON.parse(io.out) as {
    ok: boolean;
    name: string;
    version: string;
    outDir: string;
    entries: Array<{ subpath: string }>;
  };
  assert.equal(json.ok, true);
  assert.equal(json.version, '1.1.0');
  assert.equal(json.outDir, join(product, 'dist'));
  assert.deepEqual(
    json.entries.map((e) => e.subpath),
    ['.'],
  );
});

test('a package version that is not the contract version fails with exit 1 at package.json', async () => {
  const root = repo();
  const pkgFile = join(root, 'domains/sales/products/orders/package.json');
  writeFileSync(pkgFile, readFileSync(pkgFile, 'utf8').replace('"version": "1.1.0"', '"version": "1.2.0"'));
  await assert.rejects(contractPackage('sales/orders', {}, bufferIo(root)), (e: unknown) => {
    assert.ok(isMeshError(e));
    const m = e;
    assert.equal(m.exitCode, 1);
    assert.match(
      m.format(),
      /package\.json:3:\d+: package\.json version 1\.2\.0 differs from the contract version 1\.1\.0/,
    );
    return true;
  });
});

test('bad usage: a domain alone, an unknown product, or outside any product folder (exit 2)', async () => {
  const root = repo();
  for (const [target, cwd, message] of [
    ['sales', root, /names a domain: give <domain>\/<product>/],
    [
      'sales/refunds',
      root,
      /no product sales\/refunds: domains\/sales\/products\/refunds\/product\.yaml does not exist/,
    ],
    [undefined, join(root, 'domains'), /not inside a product folder/],
  ] as const) {
    await assert.rejects(contractPackage(target, {}, bufferIo(cwd)), (e: unknown) => {
      assert.ok(isMeshError(e));
      assert.equal(e.exitCode, 2);
      assert.match(e.message, message);
      return true;
    });
  }
});
