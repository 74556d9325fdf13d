// mesh run --stream [--endpoint <url>] on the example mesh's sales/clickstream.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMeshError } from '@meshkit/contracts';
import { startKinesalite, type LocalKinesis } from '@meshkit/runtime';
import { meshRun } from '../src/commands/run.js';
import { bufferIo } from '../src/io.js';
import { copyExampleMesh } from '@meshkit/testing';

// Minutes after the fixtures' last event: the 15 min latency SLA (occurred_at freshness) holds.
const NOW = '2026-11-01T10:12:00Z';
let root: string;
let kinesis: LocalKinesis;
before(async () => {
  root = copyExampleMesh({ prefix: 'mesh-run-stream-cli-' });
  kinesis = await startKinesalite();
});
after(async () => {
  await kinesis.close();
  rmSync(root, { recursive: true, force: true });
});

const fail = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    if (isMeshError(e)) return e;
    throw e;
  }
  return assert.fail('expected a MeshError');
};

test('mesh run --stream: the batch summary plus the stream line, exit 0; the same rows as the batch run', async () => {
  const batch = bufferIo(root);
  assert.equal(await meshRun('sales/clickstream', { now: NOW, format: 'json', out: join(root, 'batch') }, batch), 0);
  const io = bufferIo(root);
  assert.equal(await meshRun('sales/clickstream', { now: NOW, format: 'text', stream: true }, io), 0);
  assert.match(io.out, /^sales\/clickstream \(contract sales-clickstream 1\.0\.0\): /);
  const b = JSON.parse(batch.out);
  assert.match(io.out, new RegExp(`rows {6}${b.rowsIn} in = ${b.rowsOut} out \\+ ${b.rowsQuarantined} quarantined`));
  assert.match(
    io.out,
    /stream {4}mesh-sales-clickstream-[0-9a-f]{8} on kinesalite http:\/\/127\.0\.0\.1:\d+, 2 shard\(s\): 27 record\(s\) sent, 27 received in \d+ micro-batch\(es\), 0 duplicate\(s\) removed/,
  );
  assert.ok(io.out.split('\n').length < 25, 'one screen');
});

test('mesh run --stream --endpoint <url> --format json: the report has the stream stats of that endpoint', async () => {
  const io = bufferIo(root);
  assert.equal(
    await meshRun(
      'sales/clickstream',
      { now: NOW, format: 'json', stream: true, endpoint: kinesis.endpoint, out: 'out-ext' },
      io,
    ),
    0,
  );
  const r = JSON.parse(io.out);
  assert.equal(r.stream.endpoint, kinesis.endpoint);
  assert.equal(r.stream.local, false);
  assert.equal(r.stream.recordsReceived, 27);
  assert.equal(r.paths.dir, join(root, 'out-ext'));
});

test('mesh run --stream: exit 2 for --endpoint without --stream, a bad URL, an unreachable endpoint; exit 1 for a failed dataset rule', async () => {
  assert.equal(
    (await fail(meshRun('sales/clickstream', { format: 'text', endpoint: kinesis.endpoint }, bufferIo(root)))).exitCode,
    2,
  );
  const bad = await fail(
    meshRun('sales/clickstream', { format: 'text', stream: true, endpoint: 'localhost:4567' }, bufferIo(root)),
  );
  assert.equal(bad.exitCode, 2);
  assert.match(bad.message, /not an http\(s\) URL/);
  const down = await fail(
    meshRun('sales/clickstream', { format: 'text', stream: true, endpoint: 'http://127.0.0.1:1' }, bufferIo(root)),
  );
  assert.equal(down.exitCode, 2);
  assert.match(down.message, /cannot use the Kinesis endpoint http:\/\/127\.0\.0\.1:1/);
  // A value that does not cast (ts 'yesterday') is quarantined with its reason on the stream path too, not a SQL error.
  writeFileSync(join(root, 'bad-ts.jsonl'), '{"id": "x", "session": "s", "type": "click", "ts": "yesterday"}\n');
  const quarantined = bufferIo(root);
  assert.equal(
    await meshRun(
      'sales/clickstream',
      { format: 'json', stream: true, endpoint: kinesis.endpoint, input: 'bad-ts.jsonl', now: NOW, out: 'bad-ts' },
      quarantined,
    ),
    0,
    quarantined.err,
  );
  const report = JSON.parse(quarantined.out);
  assert.deepEqual([report.rowsIn, report.rowsOut, report.rowsQuarantined], [1, 0, 1]);
  assert.equal(report.rules.find((r: { id: string }) => r.id === 'occurred_at.castable')?.metric, 1);
  // A day later the freshness rule (error severity) fails over the whole run: exit 1, published to <out>.failed.
  const late = bufferIo(root);
  assert.equal(
    await meshRun(
      'sales/clickstream',
      { format: 'text', stream: true, endpoint: kinesis.endpoint, now: '2026-11-02T00:00:00Z', out: 'late' },
      late,
    ),
    1,
  );
  assert.match(late.out, /FAIL occurred_at\.freshness/);
  assert.match(late.err, /last good output was kept/);
});
