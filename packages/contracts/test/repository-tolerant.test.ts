// The tolerant side of the repository model's RepositoryProduct (what a linter reads): contracts
// and package.json read without throwing, served-major entries unchecked, file naming. Real temp
// folders throughout.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  errorDiagnostic,
  isMeshError,
  MeshError,
  openProduct,
  productDir,
  repositoryProducts,
  type ContractRead,
} from '../src/index.js';

const ORDERS = fileURLToPath(new URL('../../../domains/sales/products/orders/contract.odcs.yaml', import.meta.url));
const SERVED = [
  'servedMajors:',
  '  - major: 0',
  '    contract: majors/v0/contract.odcs.yaml',
  '    compatibilitySql: majors/v0/compat.sql',
  '  - major: 0',
  '    contract: majors/v9/missing.yaml',
  '    compatibilitySql: majors/v9/compat.sql',
  '',
].join('\n');

/** A repository with the product sales/orders (its contract: the example mesh's), `extra` appended to product.yaml. */
function repository(t: { after(fn: () => void): void }, extra = ''): { root: string; dir: string } {
  const root = mkdtempSync(join(tmpdir(), 'meshkit-tolerant-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const dir = productDir(root, 'sales', 'orders');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'product.yaml'),
    `domain: sales\nname: orders\nowner: team-sales\ningestion:\n  mode: batch\n${extra}`,
  );
  copyFileSync(ORDERS, join(dir, 'contract.odcs.yaml'));
  return { root, dir };
}

const errorOf = (r: ContractRead) => ('error' in r ? r.error : assert.fail('expected an unreadable contract'));
const loadedOf = (r: ContractRead) => ('loaded' in r ? r.loaded : assert.fail(`unreadable: ${r.error.message}`));

test('readContract: the current contract read once, shared with loadedContract and contract', (t) => {
  const { root } = repository(t);
  const p = openProduct(root, 'sales', 'orders');
  const read = p.readContract();
  assert.equal(p.readContract(), read, 'read once');
  assert.equal(loadedOf(read), p.loadedContract);
  assert.equal(p.contract, loadedOf(read).contract);
  assert.equal(loadedOf(read).source.file, join('domains', 'sales', 'products', 'orders', 'contract.odcs.yaml'));
});

test('readContract: an invalid contract is loaded with its diagnostics, an unreadable one is its error (kept)', (t) => {
  const { root, dir } = repository(t);
  writeFileSync(join(dir, 'contract.odcs.yaml'), 'apiVersion: v3.1.0\nkind: DataContract\nid: x\n');
  const invalid = openProduct(root, 'sales', 'orders').readContract();
  assert.equal(loadedOf(invalid).contract, undefined);
  assert.ok(loadedOf(invalid).diagnostics.length > 0);

  writeFileSync(join(dir, 'contract.odcs.yaml'), 'apiVersion: v3.1.0\nkind: [\n');
  const p = openProduct(root, 'sales', 'orders');
  const e = errorOf(p.readContract());
  assert.equal(e.code, 'YAML_SYNTAX');
  assert.equal(e.file, join('domains', 'sales', 'products', 'orders', 'contract.odcs.yaml'));
  assert.throws(
    () => p.loadedContract,
    (x: unknown) => x === e,
    'loadedContract throws the kept error',
  );
  copyFileSync(ORDERS, join(dir, 'contract.odcs.yaml'));
  assert.equal(errorOf(p.readContract()), e, 'not read again');
});

test('servedMajorEntries: every entry as written, files resolved, nothing checked; contractFiles lists them after the current one', (t) => {
  const { root, dir } = repository(t, SERVED);
  mkdirSync(join(dir, 'majors', 'v0'), { recursive: true });
  writeFileSync(join(dir, 'majors', 'v0', 'contract.odcs.yaml'), 'a: [unclosed\n');
  const p = openProduct(root, 'sales', 'orders');
  const entries = p.servedMajorEntries;
  assert.deepEqual(
    entries.map(({ index, major, contractFile, compatibilitySqlFile }) => ({
      index,
      major,
      contractFile,
      compatibilitySqlFile,
    })),
    [
      {
        index: 0,
        major: 0,
        contractFile: join(dir, 'majors', 'v0', 'contract.odcs.yaml'),
        compatibilitySqlFile: join(dir, 'majors', 'v0', 'compat.sql'),
      },
      {
        index: 1,
        major: 0,
        contractFile: join(dir, 'majors', 'v9', 'missing.yaml'),
        compatibilitySqlFile: join(dir, 'majors', 'v9', 'compat.sql'),
      },
    ],
  );
  assert.equal(p.servedMajorEntries, entries, 'built once');
  assert.equal(errorOf(entries[0]!.readContract()).code, 'YAML_SYNTAX');
  assert.equal(errorOf(entries[1]!.readContract()).code, 'FILE_NOT_FOUND');
  assert.deepEqual(p.contractFiles, [p, ...entries]);
  // The checked view refuses the same entries.
  assert.throws(
    () => p.servedMajors(),
    (e: unknown) => isMeshError(e) && e.code === 'YAML_SYNTAX',
  );
});

test("fileNames 'absolute': contract diagnostics and errors name files by their absolute path", (t) => {
  const { root, dir } = repository(t, SERVED);
  const [p] = repositoryProducts(root, { fileNames: 'absolute' });
  assert.equal(loadedOf(p!.readContract()).source.file, join(dir, 'contract.odcs.yaml'));
  assert.equal(errorOf(p!.servedMajorEntries[1]!.readContract()).file, join(dir, 'majors', 'v9', 'missing.yaml'));
  const missing = openProduct(root, 'sales', 'nope', { fileNames: 'absolute' });
  assert.throws(
    () => missing.manifest,
    (e: unknown) =>
      isMeshError(e) && e.message.endsWith(`${join(productDir(root, 'sales', 'nope'), 'product.yaml')} does not exist`),
  );
});

test('readPackageJson: none, a version, or the error that made it unreadable (read once)', (t) => {
  const { root, dir } = repository(t);
  assert.equal(openProduct(root, 'sales', 'orders').readPackageJson(), undefined);

  const file = join(dir, 'package.json');
  writeFileSync(file, '{ "name": "@example/sales-orders", "version": "1.2.3" }\n');
  const p = openProduct(root, 'sales', 'orders');
  const pkg = p.readPackageJson();
  assert.ok(pkg && 'source' in pkg);
  assert.equal(pkg.file, file);
  assert.equal(pkg.version, '1.2.3');
  assert.equal(pkg.data.name, '@example/sales-orders');
  assert.equal(pkg.source.file, file);
  writeFileSync(file, '{ "name": ');
  assert.equal(p.readPackageJson(), pkg, 'read once');

  const bad = openProduct(root, 'sales', 'orders').readPackageJson();
  assert.ok(bad && 'error' in bad);
  assert.equal(bad.file, file);
  assert.equal(bad.error.code, 'YAML_SYNTAX');

  writeFileSync(file, '[1, 2]\n');
  const list = openProduct(root, 'sales', 'orders').readPackageJson();
  assert.ok(list && 'data' in list);
  assert.deepEqual([list.data, list.version], [{}, undefined]);
});

test('errorDiagnostic: an unreadable read as an error diagnostic at its position, else line 1 of the file given', (t) => {
  const { root, dir } = repository(t);
  writeFileSync(join(dir, 'contract.odcs.yaml'), 'apiVersion: v3.1.0\nkind: [\n');
  const e = errorOf(openProduct(root, 'sales', 'orders').readContract());
  assert.deepEqual(errorDiagnostic('fallback.yaml', e), {
    rule: 'YAML_SYNTAX',
    severity: 'error',
    message: e.message,
    location: { file: join('domains', 'sales', 'products', 'orders', 'contract.odcs.yaml'), line: 3, column: 1 },
  });
  assert.deepEqual(errorDiagnostic('package.json', new MeshError('FILE_NOT_FOUND', 'no such file')).location, {
    file: 'package.json',
    line: 1,
    column: 1,
  });
});

test('load: product.yaml and the current contract read and checked now (the contract can be left for later)', (t) => {
  const { root, dir } = repository(t);
  const p = openProduct(root, 'sales', 'orders');
  assert.equal(p.load(), p);
  writeFileSync(join(dir, 'product.yaml'), 'domain: sales\n');
  writeFileSync(join(dir, 'contract.odcs.yaml'), 'apiVersion: v3.1.0\nkind: [\n');
  assert.equal(p.load().manifest.owner, 'team-sales', 'kept from the first load');

  const bad = openProduct(root, 'sales', 'orders');
  assert.throws(
    () => bad.load(),
    (e: unknown) => isMeshError(e) && e.code === 'INVALID_CONFIG',
  );
  writeFileSync(
    join(dir, 'product.yaml'),
    'domain: sales\nname: orders\nowner: team-sales\ningestion:\n  mode: batch\n',
  );
  const lazy = openProduct(root, 'sales', 'orders');
  assert.equal(lazy.load({ contract: false }), lazy, 'an unreadable contract is not read');
  assert.throws(
    () => lazy.load(),
    (e: unknown) => isMeshError(e) && e.code === 'YAML_SYNTAX',
  );
});
