import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bufferIo, run } from '../src/index.js';
import { copyExampleMesh } from '@meshkit/testing';

test('mesh publish --all --concurrency 3: every product published, the lines in product order; a rerun is unchanged', async () => {
  const root = copyExampleMesh({ prefix: 'mesh-publish-concurrency-' });
  const io = bufferIo(root);
  assert.equal(await run(['publish', '--all', '--concurrency', '3'], io), 0, io.err);
  const lines = io.out.split('\n').filter((l) => /^\S+\/\S+ \S+: /.test(l));
  assert.deepEqual(
    lines.map((l) => l.split(' ')[0]),
    ['marketing/campaign-performance', 'sales/clickstream', 'sales/orders'],
  );
  assert.ok(
    lines.every((l) => l.includes(': published')),
    io.out,
  );
  assert.equal(io.err, '', 'no progress line: not a terminal');
  const again = bufferIo(root);
  assert.equal(await run(['publish', '--all', '--concurrency', '3', '--format', 'json'], again), 0);
  assert.deepEqual(
    (JSON.parse(again.out) as { results: Array<{ outcome: string }> }).results.map((r) => r.outcome),
    ['unchanged', 'unchanged', 'unchanged'],
  );
});

test('mesh publish --concurrency outside 1-64 is bad usage (exit 2, one line)', async () => {
  const root = copyExampleMesh({ prefix: 'mesh-publish-concurrency-' });
  for (const bad of ['0', '65', 'many']) {
    const io = bufferIo(root);
    assert.equal(await run(['publish', '--all', '--concurrency', bad], io), 2, bad);
    assert.equal(io.err, `mesh: --concurrency ${bad} is not a number of products from 1 to 64\n`);
  }
});
