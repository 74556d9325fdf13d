// startMajor's file work; `mesh major` end to end (run, synth, publish of both majors) is tested in @meshkit/cli.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type MeshError, isMeshError, loadContract } from '@meshkit/contracts';
import { addServedMajor, compatibilitySql, setPackageVersion, startMajor } from '../src/index.js';
import { copyExampleMesh } from '@meshkit/testing';
import { ORDERS } from './fixture.js';

describe('startMajor', () => {
  test('package.json that is not JSON: exit 2 before anything is written', async () => {
    const other = copyExampleMesh({ prefix: 'release-major-' });
    writeFileSync(join(other, ORDERS, 'package.json'), '{ "name": ');
    const contract = readFileSync(join(other, ORDERS, 'contract.odcs.yaml'), 'utf8');
    await assert.rejects(
      startMajor(other, 'sales', 'orders'),
      (e: MeshError) =>
        e.exitCode === 2 && e.code === 'INVALID_CONFIG' && /package\.json is not valid JSON/.test(e.message),
    );
    assert.equal(readFileSync(join(other, ORDERS, 'contract.odcs.yaml'), 'utf8'), contract);
    assert.ok(!existsSync(join(other, ORDERS, 'majors')));
  });

  test('refuses (exit 2) when majors/v<N> exists, writing nothing', async () => {
    const other = copyExampleMesh({ prefix: 'release-major-' });
    mkdirSync(join(other, ORDERS, 'majors/v1'), { recursive: true });
    const contract = readFileSync(join(other, ORDERS, 'contract.odcs.yaml'), 'utf8');
    await assert.rejects(
      startMajor(other, 'sales', 'orders'),
      (e: MeshError) => e.exitCode === 2 && e.code === 'USAGE' && /majors\/v1 already exists/.test(e.message),
    );
    assert.equal(readFileSync(join(other, ORDERS, 'contract.odcs.yaml'), 'utf8'), contract);
    assert.ok(!readFileSync(join(other, ORDERS, 'product.yaml'), 'utf8').includes('servedMajors'));
  });

  test('an unknown product is bad usage (exit 2)', async () => {
    const other = copyExampleMesh({ prefix: 'release-major-' });
    await assert.rejects(
      startMajor(other, 'sales', 'nope'),
      (e) => isMeshError(e) && e.exitCode === 2 && e.code === 'USAGE' && /no product 'sales\/nope'/.test(e.message),
    );
  });

  test('a never released product: the working copy is frozen, the contract and package.json move to 2.0.0', async () => {
    const root = copyExampleMesh({ prefix: 'release-major-' });
    const dir = join(root, ORDERS);
    const before = readFileSync(join(dir, 'contract.odcs.yaml'), 'utf8');
    const result = await startMajor(root, 'sales', 'orders');
    assert.deepEqual(
      [result.product, result.servedMajor, result.from, result.to, result.frozenFrom],
      ['sales/orders', 1, '1.1.0', '2.0.0', 'working-copy'],
    );
    assert.deepEqual(result.files, {
      contract: `${ORDERS}/contract.odcs.yaml`,
      compatibilitySql: `${ORDERS}/majors/v1/compat.sql`,
      productYaml: `${ORDERS}/product.yaml`,
      frozenContract: `${ORDERS}/majors/v1/contract.odcs.yaml`,
      packageJson: `${ORDERS}/package.json`,
    });
    assert.equal(readFileSync(join(dir, 'majors/v1/contract.odcs.yaml'), 'utf8'), before);
    assert.equal(
      readFileSync(join(dir, 'majors/v1/compat.sql'), 'utf8'),
      compatibilitySql(
        loadContract(join(dir, 'majors/v1/contract.odcs.yaml')).contract!,
        'sales/orders',
        1,
        'majors/v1/contract.odcs.yaml',
      ),
    );
    assert.equal(
      readFileSync(join(dir, 'contract.odcs.yaml'), 'utf8'),
      before.replace(/^version: 1\.1\.0$/m, 'version: 2.0.0'),
    );
    assert.equal(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version, '2.0.0');
    assert.match(
      readFileSync(join(dir, 'product.yaml'), 'utf8'),
      /servedMajors:\n {2}- major: 1\n {4}contract: majors\/v1\/contract\.odcs\.yaml\n {4}compatibilitySql: majors\/v1\/compat\.sql\n/,
    );
    assert.deepEqual(readdirStaging(dir), [], 'no staging folder left');
  });
});

/** Staging folders `mesh major` left in `majors/` (none, when it finished). */
const readdirStaging = (dir: string) => readdirSync(join(dir, 'majors')).filter((f) => f.includes('.tmp-'));

describe('product.yaml and package.json edits', () => {
  const entry = { major: 2, contract: 'majors/v2/contract.odcs.yaml', compatibilitySql: 'majors/v2/compat.sql' };

  test('addServedMajor appends to an existing list and keeps comments', () => {
    const text =
      '# head\nname: orders # the name\nservedMajors:\n  - major: 1\n    contract: majors/v1/contract.odcs.yaml\n    compatibilitySql: majors/v1/compat.sql\n';
    assert.equal(
      addServedMajor(text, entry, 'product.yaml'),
      `${text}  - major: 2\n    contract: majors/v2/contract.odcs.yaml\n    compatibilitySql: majors/v2/compat.sql\n`,
    );
  });

  test('addServedMajor creates the list, with its comment, when missing or empty; refuses anything else', () => {
    for (const text of ['name: orders\n', 'name: orders\nservedMajors:\n']) {
      const out = addServedMajor(text, entry, 'product.yaml');
      assert.match(
        out,
        /^name: orders\n\n# Older majors served side by side[^\n]*\n# contract and[^\n]*\nservedMajors:\n {2}- major: 2\n/,
      );
    }
    assert.throws(
      () => addServedMajor('name: orders\nservedMajors: 3\n', entry, 'p.yaml'),
      (e) => isMeshError(e) && e.code === 'INVALID_CONFIG' && e.file === 'p.yaml' && /not a list/.test(e.message),
    );
    assert.throws(
      () => addServedMajor('- a\n', entry, 'p.yaml'),
      (e) => isMeshError(e) && e.code === 'INVALID_CONFIG' && e.line === 1 && /not a mapping/.test(e.message),
    );
  });

  test('setPackageVersion changes only the version value; other layouts are re-serialized; non-objects are refused', () => {
    const text =
      '{\n  "name": "@example/sales.orders",\n  "version": "1.1.0",\n  "private": true,\n  "dependencies": { "x": { "version": "9" } }\n}\n';
    assert.equal(
      setPackageVersion(text, '2.0.0', 'package.json'),
      text.replace('"version": "1.1.0"', '"version": "2.0.0"'),
    );
    assert.equal(
      setPackageVersion('{"name":"a","dependencies":{"version":"1"}}', '2.0.0', 'p.json'),
      '{\n  "name": "a",\n  "dependencies": {\n    "version": "1"\n  },\n  "version": "2.0.0"\n}\n',
    );
    assert.throws(
      () => setPackageVersion('[1]', '2.0.0', 'p.json'),
      (e) => isMeshError(e) && e.code === 'INVALID_CONFIG' && e.exitCode === 2 && e.file === 'p.json',
    );
  });
});
