import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  canonicalJson,
  consumedViewName,
  copyMesh,
  displayPath,
  domainManifestFile,
  formatProductRef,
  gitHead,
  gitShowFile,
  isMeshError,
  isMeshName,
  loadContract,
  majorOf,
  nameProblem,
  openProduct,
  parseProductRef,
  productDir,
  productManifestFile,
  productRunDir,
  PRODUCT_REF_PATTERN,
  repositoryProducts,
  runGit,
  writeFileAtomic,
} from '../src/index.js';

const EXAMPLES = fileURLToPath(new URL('./fixtures/odcs-examples/', import.meta.url));
const ORDERS = fileURLToPath(new URL('../../../domains/sales/products/orders/contract.odcs.yaml', import.meta.url));
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'meshkit-repo-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('names: lowercase kebab-case of 2–40 characters; the problem named in the order a person gets it wrong', () => {
  for (const ok of ['sales', 'order-events', 'a1', 'x'.repeat(40)]) assert.equal(isMeshName(ok), true, ok);
  for (const bad of ['a', 'x'.repeat(41), 'Sales', 'order--events', '-sales', 'sales-', '1sales', 'sa_les', 7])
    assert.equal(isMeshName(bad), false, String(bad));
  assert.equal(nameProblem('sales'), undefined);
  assert.equal(nameProblem('sales/orders'), 'must not contain slashes');
  assert.equal(nameProblem('sales.orders'), 'must not contain dots');
  assert.equal(nameProblem('s'), 'must be 2–40 characters (it has 1)');
  assert.equal(nameProblem('infra', ['infra', 'test']), 'is reserved (reserved: infra, test)');
  assert.match(nameProblem('Sales') ?? '', /^must be lowercase kebab-case/);
});

test('product references: <domain>/<product> parsed and formatted', () => {
  assert.deepEqual(parseProductRef('sales/order-events'), { domain: 'sales', product: 'order-events' });
  for (const bad of ['sales', 'sales/', 'Sales/orders', 'sales/orders/x', 'sales//orders'])
    assert.equal(parseProductRef(bad), undefined, bad);
  assert.equal(formatProductRef({ domain: 'sales', product: 'orders' }), 'sales/orders');
  assert.deepEqual(PRODUCT_REF_PATTERN.exec('a1/b2')?.slice(1), ['a1', 'b2']);
  assert.equal(consumedViewName('sales/order-events'), 'sales_order_events');
  assert.equal(consumedViewName({ domain: 'order-mgmt', product: 'orders' }), 'order_mgmt_orders');
});

test('paths: the layout domains/<d>/products/<p>, built in one place', () => {
  const root = join(sep, 'repo');
  assert.equal(domainManifestFile(root, 'sales'), join(root, 'domains', 'sales', 'domain.yaml'));
  assert.equal(productDir(root, 'sales', 'orders'), join(root, 'domains', 'sales', 'products', 'orders'));
  assert.equal(
    productManifestFile(root, 'sales', 'orders'),
    join(root, 'domains', 'sales', 'products', 'orders', 'product.yaml'),
  );
  assert.equal(productRunDir(root, 'sales', 'orders'), join(root, '.mesh', 'runs', 'sales', 'orders'));
});

test('majorOf: strict MAJOR.MINOR.PATCH by default, semver.coerce when loose', () => {
  assert.equal(majorOf('1.4.2'), 1);
  assert.equal(majorOf(' v12.0.0-rc.1 '), 12);
  assert.equal(majorOf('2.0.0+build'), 2);
  assert.equal(majorOf('1.2'), undefined);
  assert.equal(majorOf(undefined), undefined);
  assert.equal(majorOf('1.2', { loose: true }), 1);
  assert.equal(majorOf(3, { loose: true }), 3);
  assert.equal(majorOf('v4', { loose: true }), 4);
  assert.equal(majorOf('x', { loose: true }), undefined);
  assert.equal(majorOf({}, { loose: true }), undefined);
});

test('canonicalJson: key order and undefined members do not matter; arrays keep their order', () => {
  assert.equal(canonicalJson({ b: 1, a: { d: [2, 1], c: undefined } }), '{"a":{"d":[2,1]},"b":1}');
  assert.equal(canonicalJson({ a: { c: undefined, d: [2, 1] }, b: 1 }), canonicalJson({ b: 1, a: { d: [2, 1] } }));
  assert.equal(canonicalJson([undefined, null, -0]), '[null,null,0]');
  assert.equal(canonicalJson(undefined), 'null');
  assert.equal(canonicalJson('é\u2028'), '"é\u2028"');
});

// The catalog's content hashes are sha256 of canonicalJson: a stored catalog verifies only if these
// bytes never change. The expected hashes were computed with the catalog's own canonicalJson before
// it moved here (commit e53b933, packages/catalog/src/record.ts).
test('canonicalJson: byte-identical to the catalog hashes of stored records', () => {
  const golden: Record<string, string> = {
    'all/full-example.odcs.yaml': '5eae81c47f091d8e4a006cfc57bf1243e49b18170287f5ae5ffb46d991605012',
    'data-types/all-data-types.odcs.yaml': 'cdedc65fc6cc74fdc0281dff655ece06cdcdbab873349397b6af2995acb19eca',
    'all/postgresql-adventureworks-contract.odcs.yaml':
      'df8fef3823e3bcf52d574120719f3c552c02d0a743de4fa668ad5b5ef27f2e39',
  };
  for (const [file, hash] of Object.entries(golden)) {
    const { contract } = loadContract(join(EXAMPLES, file));
    assert.ok(contract, file);
    assert.equal(sha256(canonicalJson(contract)), hash, file);
  }
});

function gitRepo(dir: string): void {
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'test@example.com');
  git('config', 'user.name', 'Test');
  git('config', 'commit.gpgsign', 'false');
  mkdirSync(join(dir, 'sub'));
  writeFileSync(join(dir, 'sub', 'a.txt'), 'one\n');
  git('add', '.');
  git('commit', '-q', '-m', 'first');
  writeFileSync(join(dir, 'sub', 'a.txt'), 'two\n');
}

test('git: HEAD, a file at a revision, failures as results (real repository)', (t) => {
  const dir = tempDir(t);
  assert.equal(gitHead(dir), null, 'outside a repository');
  assert.equal(gitShowFile(dir, 'HEAD', 'sub/a.txt'), undefined);
  const outside = runGit(['rev-parse', 'HEAD'], dir);
  assert.equal(outside.ok, false);
  assert.ok(!outside.ok && /not a git repository/i.test(outside.err) && !outside.missing);
  gitRepo(dir);
  assert.match(gitHead(dir) ?? '', /^[0-9a-f]{40}$/);
  assert.equal(gitShowFile(dir, 'HEAD', 'sub/a.txt'), 'one\n', 'the committed text, not the working copy');
  assert.equal(gitShowFile(join(dir, 'sub'), 'HEAD', 'a.txt'), 'one\n', 'relative to cwd');
  assert.equal(gitShowFile(dir, 'HEAD', 'sub\\a.txt'), 'one\n', 'any separator');
  assert.equal(gitShowFile(dir, 'HEAD', 'sub/none.txt'), undefined);
  assert.equal(gitShowFile(dir, 'no-such-ref', 'sub/a.txt'), undefined);
  const status = runGit(['status', '--porcelain'], dir);
  assert.ok(status.ok && status.out.includes('sub/a.txt'));
});

test('writeFileAtomic: the whole new content, no temporary file left, folders created', (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'a', 'b.txt');
  writeFileAtomic(file, 'first');
  writeFileAtomic(file, 'second');
  assert.equal(readFileSync(file, 'utf8'), 'second');
  assert.deepEqual(readdirSync(join(dir, 'a')), ['b.txt']);
});

function writeProduct(root: string, domain: string, product: string, manifest?: string): string {
  const dir = productDir(root, domain, product);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'product.yaml'),
    manifest ?? `domain: ${domain}\nname: ${product}\nowner: team-${domain}\ningestion:\n  mode: batch\n`,
  );
  copyFileSync(ORDERS, join(dir, 'contract.odcs.yaml'));
  return dir;
}

test('RepositoryProduct: nothing read until used, then manifest, contract and consumes (real folder)', (t) => {
  const root = tempDir(t);
  const p = openProduct(root, 'sales', 'orders');
  assert.equal(p.ref, 'sales/orders');
  assert.equal(p.dir, productDir(root, 'sales', 'orders'));
  assert.equal(p.exists(), false);
  assert.throws(
    () => p.manifest,
    (e: unknown) =>
      isMeshError(e) &&
      e.code === 'USAGE' &&
      e.message ===
        `no product 'sales/orders': ${join('domains', 'sales', 'products', 'orders', 'product.yaml')} does not exist`,
  );
  writeProduct(root, 'sales', 'orders');
  const q = openProduct(root, 'sales', 'orders');
  assert.equal(q.manifest.owner, 'team-sales');
  assert.deepEqual(q.consumes, []);
  assert.equal(q.contractFile, join(q.dir, 'contract.odcs.yaml'));
  assert.equal(q.contract.id, loadContract(ORDERS).contract?.id);
  assert.equal(q.contract, q.contract, 'loaded once');
  assert.deepEqual(q.servedMajors(), []);
  writeFileSync(q.manifestFile, 'domain: sales\n');
  assert.equal(q.manifest.owner, 'team-sales', 'kept after the first load');
});

test('RepositoryProduct: an invalid contract is INVALID_CONTRACT at its first problem, relative to the root', (t) => {
  const root = tempDir(t);
  const dir = writeProduct(root, 'sales', 'orders');
  writeFileSync(join(dir, 'contract.odcs.yaml'), 'apiVersion: v3.1.0\nkind: DataContract\nid: x\n');
  const p = openProduct(root, 'sales', 'orders');
  assert.equal(p.loadedContract.contract, undefined);
  assert.throws(
    () => p.contract,
    (e: unknown) =>
      isMeshError(e) &&
      e.code === 'INVALID_CONTRACT' &&
      e.file === join('domains', 'sales', 'products', 'orders', 'contract.odcs.yaml') &&
      typeof e.line === 'number',
  );
});

test('repositoryProducts: every product folder with a product.yaml, sorted', (t) => {
  const root = tempDir(t);
  writeProduct(root, 'sales', 'orders');
  writeProduct(root, 'marketing', 'campaigns');
  mkdirSync(productDir(root, 'sales', 'empty'), { recursive: true });
  assert.deepEqual(
    repositoryProducts(root).map((p) => p.ref),
    ['marketing/campaigns', 'sales/orders'],
  );
});

test('copyMesh: the mesh without what runs and builds generate, nor a directory being replaced', (t) => {
  const root = tempDir(t);
  writeFileSync(join(root, 'mesh.config.yaml'), 'organisation: T\n');
  writeProduct(root, 'sales', 'orders');
  const orders = productDir(root, 'sales', 'orders');
  for (const d of ['dist', 'dist.old-7295-66f9650a', 'dist.tmp-7295-x1', 'cdk.out', '.mesh/runs', 'node_modules/x']) {
    mkdirSync(join(orders, d), { recursive: true });
    writeFileSync(join(orders, d, 'f.json'), '{}');
  }
  mkdirSync(join(orders, 'distribution'));
  writeFileSync(join(orders, 'distribution', 'kept.txt'), 'a folder named like one is kept');
  const to = tempDir(t);
  copyMesh(root, to);
  const copied = productDir(to, 'sales', 'orders');
  assert.deepEqual(readdirSync(copied).sort(), ['contract.odcs.yaml', 'distribution', 'product.yaml']);
});

test('displayPath: relative to the working directory inside it, absolute outside (a relative name taken from it)', () => {
  const cwd = join(sep, 'repo', 'domains');
  assert.equal(displayPath(join(cwd, 'sales', 'product.yaml'), cwd), join('sales', 'product.yaml'));
  assert.equal(displayPath(join(sep, 'repo', 'mesh.config.yaml'), cwd), join(sep, 'repo', 'mesh.config.yaml'));
  assert.equal(displayPath(join('.', 'sales', 'x.yaml'), cwd), join('sales', 'x.yaml'));
  assert.equal(displayPath(join('..', 'x.yaml'), cwd), join(sep, 'repo', 'x.yaml'));
  assert.equal(displayPath(cwd, cwd), cwd);
});
