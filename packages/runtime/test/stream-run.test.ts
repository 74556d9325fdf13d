// mesh run --stream: the stream path (kinesalite; an external endpoint: kinesalite and moto_server; the real AWS SDK client) against the batch run
// of the same fixtures, on the example mesh's sales/clickstream (JSON lines with failing and
// malformed rows).
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { MeshError } from '@meshkit/contracts';
import { runProduct, type LocalKinesis, type RunReport } from '../src/index.js';
import { runProductStream, type StreamRunReport } from '../src/stream/run-stream.js';
import { copyExampleMesh } from '@meshkit/testing';
import { readParquet } from './helpers.js';
import { KINESIS_PEERS } from './stream-producer-helpers.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const now = new Date('2026-11-02T00:00:00Z');

const sortRows = (rows: Record<string, unknown>[]) => rows.map((r) => JSON.stringify(r)).sort();
const withoutTimes = (r: RunReport) => ({
  status: r.status,
  rowsIn: r.rowsIn,
  rowsOut: r.rowsOut,
  rowsQuarantined: r.rowsQuarantined,
  rowsRead: r.input.rowsRead,
  rowsRejected: r.input.rowsRejected,
  rules: r.rules,
});

describe('runProductStream on sales/clickstream', () => {
  let root: string;
  let productDir: string;
  let batch: RunReport;
  let stream: StreamRunReport;
  const resent = new Set([0, 3, 7, 24, 26]); // 26: the malformed line, re-sent too

  before(async () => {
    root = copyExampleMesh({ prefix: 'meshkit-run-demo-' });
    productDir = join(root, 'domains/sales/products/clickstream');
    batch = await runProduct({ root, productDir, now, out: join(root, 'batch'), threads: 1 });
    stream = await runProductStream({
      root,
      productDir,
      now,
      out: join(root, 'stream'),
      threads: 1,
      microBatchRecords: 4,
      resend: (i) => resent.has(i),
    });
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  test('curated output equals the batch run (same rows, order-insensitive)', async () => {
    const b = await readParquet(join(batch.paths.curated, '**', '*.parquet'));
    const s = await readParquet(join(stream.paths.curated, '**', '*.parquet'));
    assert.ok(b.length > 20);
    assert.deepEqual(sortRows(s), sortRows(b));
  });

  test('quarantine is equivalent: the same failing rows with the same rules and reasons, the same malformed input', async () => {
    assert.deepEqual(
      sortRows(await readParquet(stream.paths.quarantine)),
      sortRows(await readParquet(batch.paths.quarantine)),
    );
    const rejected = async (p: string) =>
      (await readParquet(p)).map((r) => ({ raw: r.raw_line, rules: r.failed_rules }));
    const sr = await rejected(stream.paths.rejectedInput);
    assert.equal(sr.length, 1);
    assert.deepEqual(sr, await rejected(batch.paths.rejectedInput));
  });

  test('the same counts and rule outcomes; dataset rules evaluated once over the whole run', () => {
    assert.deepEqual(withoutTimes(stream), withoutTimes(batch));
    assert.ok(stream.stream.microBatches > 2, `several micro-batches (${stream.stream.microBatches})`);
    const dataset = stream.rules.filter((r) => r.level === 'dataset' && r.kind !== 'skipped');
    assert.ok(dataset.length >= 1);
    assert.equal(
      new Set(dataset.map((r) => r.id)).size,
      dataset.length,
      'one outcome per dataset rule, not one per micro-batch',
    );
    const rowCount = stream.rules.find((r) => r.id.startsWith('events_not_empty'));
    assert.equal(rowCount?.metric, batch.rowsIn, 'rowCount is measured over the union of the micro-batches');
  });

  test('stream stats: records sent, received, duplicates removed, shards', () => {
    const s = stream.stream;
    assert.equal(s.shards, 2, 'ingestion.shards of product.yaml');
    assert.equal(s.local, true);
    assert.match(s.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(s.fixtureRecords, 27);
    assert.equal(s.recordsSent, 27 + resent.size);
    assert.equal(s.recordsReceived, s.recordsSent);
    assert.equal(s.duplicatesRemoved, resent.size);
  });

  test('run-report.json carries the stream stats and names the replayed fixture', () => {
    const written = JSON.parse(readFileSync(stream.paths.report, 'utf8')) as StreamRunReport;
    assert.deepEqual(written.stream, stream.stream);
    assert.equal(written.input.path, join(productDir, 'fixtures/raw.jsonl'));
  });
});

for (const peer of KINESIS_PEERS)
  describe(`runProductStream against an external endpoint (${peer.name})`, { skip: peer.skip }, () => {
    let kinesis: LocalKinesis;
    let root: string;
    before(async () => {
      kinesis = await peer.start();
      root = copyExampleMesh({ prefix: 'meshkit-run-demo-' });
    });
    after(async () => {
      await kinesis.close();
      rmSync(root, { recursive: true, force: true });
    });

    test('uses the endpoint given; one shard when shards is overridden; the stream is deleted after the run', async () => {
      const productDir = join(root, 'domains/sales/products/clickstream');
      const r = await runProductStream({ root, productDir, now, endpoint: kinesis.endpoint, shards: 1, threads: 1 });
      assert.equal(r.stream.local, false);
      assert.equal(r.stream.endpoint, kinesis.endpoint);
      assert.equal(r.stream.shards, 1);
      assert.equal(r.stream.duplicatesRemoved, 0);
      assert.equal(r.rowsOut + r.rowsQuarantined, r.rowsIn);
      const { KinesisClient, ListStreamsCommand } = await import('@aws-sdk/client-kinesis');
      const { NodeHttpHandler } = await import('@smithy/node-http-handler');
      const c = new KinesisClient({
        endpoint: kinesis.endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
        requestHandler: new NodeHttpHandler(),
      });
      const names = (await c.send(new ListStreamsCommand({}))).StreamNames ?? [];
      c.destroy();
      assert.ok(!names.includes(r.stream.streamName), `${r.stream.streamName} deleted (left: ${names.join(', ')})`);
    });

    test('an unreachable endpoint is a MeshError (exit 2) naming it', async () => {
      const productDir = join(root, 'domains/sales/products/clickstream');
      await assert.rejects(
        runProductStream({ root, productDir, now, endpoint: 'http://127.0.0.1:1', threads: 1 }),
        (e: unknown) => e instanceof MeshError && e.exitCode === 2 && e.message.includes('http://127.0.0.1:1'),
      );
    });

    test('a missing fixture is INPUT_NOT_FOUND (exit 2) before any stream is created', async () => {
      const productDir = join(root, 'domains/sales/products/clickstream');
      await assert.rejects(
        runProductStream({ root, productDir, now, endpoint: kinesis.endpoint, input: join(root, 'nope.jsonl') }),
        (e: unknown) => e instanceof MeshError && e.code === 'INPUT_NOT_FOUND' && e.exitCode === 2,
      );
    });

    test('CSV fixtures are replayed as rows read by DuckDB', async () => {
      const productDir = join(root, 'domains/sales/products/clickstream');
      const csv = join(root, 'events.csv');
      writeFileSync(
        csv,
        'id,session,type,ts\nev-1,s-1,click,2026-11-01T10:00:00Z\nev-2,s-2,page_view,2026-11-01T11:00:00Z\nev-3,,click,2026-11-01T12:00:00Z\n',
      );
      const b = await runProduct({ root, productDir, now, input: csv, out: join(root, 'csv-batch'), threads: 1 });
      const s = await runProductStream({
        root,
        productDir,
        now,
        input: csv,
        endpoint: kinesis.endpoint,
        out: join(root, 'csv-stream'),
        threads: 1,
      });
      assert.equal(s.stream.fixtureRecords, 3);
      assert.deepEqual(
        sortRows(await readParquet(join(s.paths.curated, '**', '*.parquet'))),
        sortRows(await readParquet(join(b.paths.curated, '**', '*.parquet'))),
      );
      assert.equal(s.rowsQuarantined, b.rowsQuarantined);
    });
  });
