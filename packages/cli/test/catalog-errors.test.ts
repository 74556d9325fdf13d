// What a user sees for an unwritable catalog or export location: one `mesh:` line, exit 2, no stack trace.
import assert from 'node:assert/strict';
import { appendFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { run } from '../src/program.js';
import { bufferIo } from '../src/io.js';
import { copyExampleMesh } from '@meshkit/testing';

const repo = () => {
  const dir = copyExampleMesh({ prefix: 'mesh-catalog-errors-' });
  return dir;
};
const oneLine = (err: string) => {
  assert.equal(err.trimEnd().split('\n').length, 1, err);
  assert.doesNotMatch(err, /\n\s+at /);
};

test('mesh publish into a catalog.path below a file, mesh catalog list of a catalog.path that is a file: exit 2, one actionable line', async () => {
  const root = repo();
  writeFileSync(join(root, 'blocker'), '');
  appendFileSync(join(root, 'mesh.config.yaml'), '\ncatalog:\n  path: blocker/catalog\n');
  const io = bufferIo(root);
  assert.equal(await run(['publish', 'sales/orders'], io), 2);
  oneLine(io.err);
  assert.match(io.err, /^mesh: sales\/orders: .*cannot write the catalog .*blocker\/catalog.*catalog\.path/);
  writeFileSync(
    join(root, 'mesh.config.yaml'),
    readFileSync(join(root, 'mesh.config.yaml'), 'utf8').replace('path: blocker/catalog', 'path: blocker'),
  );
  const list = bufferIo(root); // the catalog location itself is a file
  assert.equal(await run(['catalog', 'list'], list), 2);
  oneLine(list.err);
  assert.match(list.err, /^mesh: .*is not a directory/);
});

test('mesh catalog export --html below a file: exit 2, one line, nothing written', async () => {
  const root = repo();
  const io = bufferIo(root);
  assert.equal(await run(['publish', '--all'], io), 0, io.err);
  writeFileSync(join(root, 'afile'), '');
  const out = bufferIo(root);
  assert.equal(await run(['catalog', 'export', '--html', 'afile/site'], out), 2);
  oneLine(out.err);
  assert.match(out.err, /^mesh: cannot write the catalog site to .*afile\/site .*choose a writable --html directory/);
  assert.equal(out.out, '');
  assert.ok(!readdirSync(root).some((f) => f.includes('.tmp-')), 'no temp export left');
});
