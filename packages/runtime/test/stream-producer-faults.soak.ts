// THE FAULT TEST: records sent through a fault-injecting proxy (partial failures, throttling,
// dropped connections before and after the write) to each Kinesis peer — kinesalite, and moto in
// server mode (skipped with a message when missing outside CI, fails in CI); every accepted record
// must be read back at least once from all shards; duplicates are counted and reported.
//
// Record count: MESH_PRODUCER_FAULT_RECORDS, default 100,000 (the figure), per peer.
// A soak test (about a minute per peer): not part of `npm test`; run it with `npm run test:soak`.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startFaultProxy, type FaultProxy } from '@meshkit/testing';
import { createProducer, localKinesisClient } from '../src/index.js';
import { KINESIS_PEERS, order, ordersContract, startLocal, type Local, type Order } from './stream-producer-helpers.js';

const N = Number(process.env.MESH_PRODUCER_FAULT_RECORDS ?? 100_000);

for (const peer of KINESIS_PEERS)
  describe(`fault test on ${peer.name}`, { skip: peer.skip }, () => {
    let local: Local;
    let proxy: FaultProxy;
    before(async () => {
      local = await startLocal(peer);
    });
    after(async () => {
      await proxy?.close();
      await local.close();
    });

    test(`${N} records through partial failures, throttling and dropped connections: every accepted record read back`, async (t) => {
      const stream = await local.stream(4);
      proxy = await startFaultProxy({
        target: local.kinesis.endpoint,
        seed: 8,
        partialFailureRate: 0.3,
        recordFailureRate: 0.2,
        forwardFailedRate: 0.5,
        throttleRate: 0.1,
        dropRate: 0.08,
        dropAfterForwardRate: 0.5,
      });
      // SDK-level retries on (2 attempts), as a user would have them: they add duplicates too; what
      // they do not absorb reaches the producer's own retries.
      const client = await localKinesisClient(proxy.url, { maxAttempts: 2 });
      const maxBufferedRecords = 5_000;
      const producer = createProducer<Order>({
        contract: ordersContract(),
        streamName: stream,
        client,
        partitionKey: (r) => r.order_id,
        maxBufferedRecords,
        retry: { baseMs: 5, maxMs: 200, deadlineMs: 120_000 },
      });
      let invalid = 0;
      for (let i = 0; i < N; i++) {
        // Every 1000th record breaks the contract: rejected, never sent.
        if (i % 1000 === 999) {
          await assert.rejects(producer.send(order(i, { amount: -1 })), /amount must be >= 0/);
          invalid++;
          continue;
        }
        await producer.send(order(i));
      }
      const report = await producer.close();
      client.destroy();

      assert.equal(report.rejected, invalid);
      assert.equal(report.accepted, N - invalid);
      assert.deepEqual(report.undelivered, []);
      assert.equal(report.delivered, N - invalid);
      assert.ok(report.peakBufferedRecords <= maxBufferedRecords, `buffer bounded: peak ${report.peakBufferedRecords}`);
      const s = proxy.stats;
      if (N >= 50_000) {
        // Every kind of fault actually happened (≥ 200 PutRecords calls make each one near certain).
        assert.ok(s.partialFailures > 0 && s.recordsFailed > 0 && s.recordsFailedButWritten > 0, 'partial failures');
        assert.ok(s.throttled > 0, 'throttling');
        assert.ok(s.droppedBeforeForward > 0 && s.droppedAfterForward > 0, 'dropped connections');
        assert.ok(
          report.retries > 0 && report.recordErrors > 0 && report.failedCalls > 0,
          JSON.stringify({ ...report, undelivered: undefined }),
        );
      }

      const back = await local.readBack<Order>(stream);
      const seen = new Map<string, number>();
      for (const { record } of back) seen.set(record.order_id, (seen.get(record.order_id) ?? 0) + 1);
      const missing: string[] = [];
      for (let i = 0; i < N; i++) {
        const id = `o-${i}`;
        if (i % 1000 === 999) assert.equal(seen.has(id), false, `invalid record ${id} must not be on the stream`);
        else if (!seen.has(id)) missing.push(id);
      }
      assert.deepEqual(missing.slice(0, 10), [], `${missing.length} accepted records missing from the stream`);
      const duplicates = back.length - seen.size;
      // Duplicates come from acknowledgements the proxy lost (records written, reported failed or dropped).
      if (s.recordsFailedButWritten > 0)
        assert.ok(duplicates > 0, 'lost acknowledgements must show up as duplicates (at-least-once)');
      assert.ok(
        duplicates <= s.recordsFailedButWritten + s.recordsWrittenButDropped,
        `duplicates ${duplicates} only from lost acks`,
      );
      t.diagnostic(
        `records=${N} accepted=${report.accepted} rejected=${report.rejected} read back=${back.length} distinct=${seen.size} duplicates=${duplicates}`,
      );
      t.diagnostic(
        `PutRecords calls=${s.putRecordsCalls} partial failures=${s.partialFailures} (records failed ${s.recordsFailed}, of them written ${s.recordsFailedButWritten}) throttled=${s.throttled} dropped before=${s.droppedBeforeForward} after=${s.droppedAfterForward}`,
      );
      t.diagnostic(
        `producer retries=${report.retries} record errors=${report.recordErrors} failed calls=${report.failedCalls} peak buffer=${report.peakBufferedRecords}`,
      );
    });
  });
