import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyExampleMesh, startGlueEmulator, type GlueEmulator } from '@meshkit/testing';
import { meshPublish } from '../src/commands/publish.js';
import { catalogList, catalogShow } from '../src/commands/catalog.js';
import { bufferIo } from '../src/io.js';

const repo = () => {
  const dir = copyExampleMesh({ prefix: 'mesh-publish-glue-' });
  const git = (...a: string[]) => execFileSync('git', a, { cwd: dir, stdio: 'ignore' });
  git('init', '-q');
  git('add', '.');
  git('-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', 'commit', '-qm', 'init');
  return dir;
};
const ENV = [
  'MESH_GLUE_ENDPOINT',
  'MESH_GLUE_REGION',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
] as const;
const saved = Object.fromEntries(ENV.map((k) => [k, process.env[k]]));
let em: GlueEmulator | undefined;
after(async () => {
  for (const k of ENV)
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  await em?.close();
});

test('mesh publish --catalog glue names registry, schema and version, prints drift; a second run writes nothing', async () => {
  em = await startGlueEmulator();
  Object.assign(process.env, {
    MESH_GLUE_ENDPOINT: em.url,
    MESH_GLUE_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
  });
  const root = repo();
  const io = bufferIo(root);
  assert.equal(await meshPublish('sales/orders', { catalog: 'glue' }, io), 0, io.err);
  assert.match(
    io.out,
    /sales\/orders 1\.1\.0: published — registry example-corp-data-contracts, schema sales\.orders\.v1, version 1/,
  );
  assert.match(io.out, /table sales\.orders_v1: not deployed/);
  assert.match(io.out, /catalog: glue:eu-west-1\/example-corp-data-contracts/);
  em.resetCounts();
  const again = bufferIo(root);
  assert.equal(await meshPublish('sales/orders', { catalog: 'glue', format: 'json' }, again), 0, again.err);
  const json = JSON.parse(again.out);
  assert.equal(json.results[0].outcome, 'unchanged');
  assert.equal(json.results[0].registry.schemaName, 'sales.orders.v1');
  assert.equal(json.results[0].drift.deployed, false);
  assert.equal(em.writes, 0);

  // mesh catalog list|show read the registry too (the record is rebuilt from the commit it names).
  const list = bufferIo(root);
  assert.equal(await catalogList({ catalog: 'glue', format: 'json' }, list), 0, list.err);
  const listed = JSON.parse(list.out) as {
    catalog: string;
    products: Array<{ domain: string; product: string; latest: string; owner: string }>;
  };
  assert.match(listed.catalog, /^glue:eu-west-1\/example-corp-data-contracts/);
  assert.deepEqual(
    listed.products.map((p) => [`${p.domain}/${p.product}`, p.latest, p.owner]),
    [['sales/orders', '1.1.0', 'team-sales']],
  );
  const show = bufferIo(root);
  assert.equal(await catalogShow('sales/orders@1.1.0', { catalog: 'glue' }, show), 0, show.err);
  assert.match(show.out, /^sales\/orders 1\.1\.0 {2}\(contract /);
  assert.match(show.out, /owner {11}team-sales/);
  const missing = bufferIo(root);
  assert.equal(await catalogShow('sales/orders@9.0.0', { catalog: 'glue' }, missing), 1);
  assert.match(
    missing.err,
    /sales\/orders@9\.0\.0 is not in the catalog glue:eu-west-1\/example-corp-data-contracts.* \(published: 1\.1\.0\)/,
  );
  assert.equal(em.writes, 0, 'reading writes nothing');
});

test('mesh publish --catalog glue without a region is a usage error naming the settings', async () => {
  for (const k of ENV) delete process.env[k];
  const root = repo();
  await assert.rejects(
    meshPublish('sales/orders', { catalog: 'glue' }, bufferIo(root)),
    (e: Error & { exitCode?: number }) => {
      assert.equal(e.exitCode, 2);
      assert.match(e.message, /catalog\.glue\.region in mesh\.config\.yaml, or AWS_REGION/);
      return true;
    },
  );
});
