// createProducer against each Kinesis peer — kinesalite and moto_server (127.0.0.1, random port) — with the real AWS SDK client.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startFaultProxy, type FaultProxy } from '@meshkit/testing';
import {
  compileRecordValidator,
  createProducer,
  localKinesisClient,
  ProducerError,
  type DeadLetterReason,
} from '../src/index.js';
import {
  KINESIS_PEERS,
  order,
  ordersContract,
  spyPutRecords,
  startLocal,
  until,
  type Local,
  type Order,
} from './stream-producer-helpers.js';

for (const peer of KINESIS_PEERS)
  describe(`producer on ${peer.name}`, { skip: peer.skip }, () => {
    let local: Local;
    const proxies: FaultProxy[] = [];
    before(async () => {
      local = await startLocal(peer);
    });
    after(async () => {
      for (const p of proxies) await p.close();
      await local.close();
    });

    async function proxy(options: Parameters<typeof startFaultProxy>[0]): Promise<FaultProxy> {
      const p = await startFaultProxy(options);
      proxies.push(p);
      return p;
    }

    describe('validation', () => {
      test("an invalid record is rejected with the validator's reason and never sent", async () => {
        const stream = await local.stream(1);
        const p = createProducer<Order>({
          contract: ordersContract(),
          streamName: stream,
          client: local.client,
          partitionKey: (r) => r.order_id,
        });
        await p.send(order(1));
        await assert.rejects(p.send(order(2, { amount: -5 })), (e: unknown) => {
          assert.ok(e instanceof ProducerError);
          assert.equal(e.code, 'RECORD_INVALID');
          assert.match(e.message, /\/amount must be >= 0/);
          return true;
        });
        await assert.rejects(p.send({ order_id: 'o-3', amount: 1 } as Order), /must have required property 'customer'/);
        await assert.rejects(
          p.send(order(4, { status: 'lost' })),
          /\/status must be equal to one of the allowed values/,
        );
        await assert.rejects(p.send(order(5, { amount: 'ten' as unknown as number })), /\/amount must be number/);
        const report = await p.close();
        assert.equal(report.accepted, 1);
        assert.equal(report.rejected, 4);
        assert.equal(report.delivered, 1);
        assert.deepEqual(
          (await local.readBack(stream)).map((r) => r.record.order_id),
          ['o-1'],
        );
      });

      test('with a dead-letter sink, invalid and too-large records go there and send resolves', async () => {
        const stream = await local.stream(1);
        const dead: Array<{ id: string; reason: DeadLetterReason }> = [];
        const p = createProducer<Order>({
          contract: ordersContract(),
          streamName: stream,
          client: local.client,
          partitionKey: (r) => r.order_id,
          maxRecordBytes: 2_000,
          deadLetter: (r, reason) => dead.push({ id: r.order_id, reason }),
        });
        await p.send(order(1, { amount: -1 }));
        await p.send(order(2, { note: 'x'.repeat(3_000) }));
        await p.send(order(3));
        const report = await p.close();
        assert.deepEqual(
          dead.map((d) => [d.id, d.reason.kind]),
          [
            ['o-1', 'invalid'],
            ['o-2', 'too-large'],
          ],
        );
        assert.match(dead[0]!.reason.message, /\/amount must be >= 0/);
        assert.equal(report.deadLettered, 2);
        assert.equal(report.rejected, 2);
        assert.equal(report.delivered, 1);
      });

      test('a standalone validator function is used as given; a record that is not JSON is rejected', async () => {
        const stream = await local.stream(1);
        const seen: unknown[] = [];
        const p = createProducer<Record<string, unknown>>({
          validator: (r) => {
            seen.push(r);
            return (r as { ok?: boolean }).ok ? undefined : 'ok must be true';
          },
          streamName: stream,
          client: local.client,
          partitionKey: () => 'k',
        });
        await assert.rejects(p.send({ ok: false }), /record rejected by the contract: ok must be true/);
        const cyclic: Record<string, unknown> = { ok: true };
        cyclic['self'] = cyclic;
        await assert.rejects(
          p.send(cyclic),
          (e: unknown) =>
            e instanceof ProducerError && e.code === 'RECORD_INVALID' && /serialized as JSON/.test(e.message),
        );
        await p.send({ ok: true });
        assert.equal((await p.close()).delivered, 1);
        assert.equal(seen.length, 2, 'the cyclic record is refused before validation: it has no bytes to validate');
      });

      test('the bytes sent are the bytes validated: a toJSON that breaks the contract is rejected, one that fixes it is sent as serialised', async () => {
        const stream = await local.stream(1);
        class Sneaky {
          constructor(readonly o: Order) {}
          get order_id(): string {
            return this.o.order_id;
          }
          toJSON(): unknown {
            return { ...this.o, amount: -1 };
          }
        }
        class Tidy {
          constructor(readonly o: Order) {}
          get order_id(): string {
            return this.o.order_id;
          }
          toJSON(): unknown {
            return this.o;
          }
        }
        const p = createProducer<Sneaky | Tidy>({
          contract: ordersContract(),
          streamName: stream,
          client: local.client,
          partitionKey: (r) => r.order_id,
        });
        await assert.rejects(p.send(new Sneaky(order(1))), /\/amount must be >= 0/);
        await p.send(new Tidy(order(2)));
        const report = await p.close();
        assert.deepEqual([report.rejected, report.delivered], [1, 1]);
        const back = await local.readBack(stream);
        assert.deepEqual(
          back.map((r) => r.record),
          [JSON.parse(JSON.stringify(order(2)))],
        );
      });

      test('compileRecordValidator: valid → undefined, invalid → the reason; formats are checked', () => {
        const v = compileRecordValidator(ordersContract());
        assert.equal(v(order(1)), undefined);
        assert.equal(
          v(order(1, { customer: undefined as unknown as string })),
          "record must have required property 'customer'",
        );
        assert.equal(v(order(1, { note: null as unknown as string })), undefined, 'optional properties accept null');
      });

      test('a bad partition key is a clear error', async () => {
        const p = createProducer<Order>({ streamName: 's', client: local.client, partitionKey: () => '' });
        await assert.rejects(
          p.send(order(1)),
          (e: unknown) => e instanceof ProducerError && e.code === 'INVALID_PARTITION_KEY',
        );
        await p.close();
      });

      test('options out of range are rejected at creation', () => {
        assert.throws(
          () =>
            createProducer({ streamName: 's', client: local.client, partitionKey: () => 'k', maxBatchRecords: 501 }),
          /maxBatchRecords must be a number between 1 and 500/,
        );
        assert.throws(
          () =>
            createProducer({
              streamName: 's',
              client: local.client,
              partitionKey: () => 'k',
              maxBatchBytes: 6 * 1024 * 1024,
            }),
          /maxBatchBytes/,
        );
      });
    });

    describe('batching', () => {
      test('≤ 500 records per PutRecords call; everything delivered', async () => {
        const stream = await local.stream(2);
        const client = await localKinesisClient(local.kinesis.endpoint);
        const calls = spyPutRecords(client);
        const p = createProducer<Order>({
          streamName: stream,
          client,
          partitionKey: (r) => r.order_id,
          lingerMs: 1_000,
        });
        for (let i = 0; i < 1_750; i++) await p.send(order(i));
        await p.flush();
        assert.equal(p.metrics().delivered, 1_750, 'flush resolves once everything sent before it is delivered');
        const report = await p.close();
        client.destroy();
        assert.ok(
          calls.every((c) => c.records <= 500),
          JSON.stringify(calls),
        );
        assert.equal(
          calls.reduce((n, c) => n + c.records, 0),
          1_750,
        );
        assert.ok(
          calls.filter((c) => c.records === 500).length >= 3,
          'full batches are sent without waiting for linger',
        );
        assert.equal(report.batches, calls.length);
        assert.equal((await local.readBack(stream)).length, 1_750);
      });

      test('≤ 5 MiB per call (data + partition keys); a record over the per-record limit is rejected', async () => {
        const stream = await local.stream(1);
        const client = await localKinesisClient(local.kinesis.endpoint);
        const calls = spyPutRecords(client);
        const p = createProducer<Order>({ streamName: stream, client, partitionKey: (r) => r.order_id });
        const big = 'x'.repeat(300 * 1024);
        for (let i = 0; i < 40; i++) await p.send(order(i, { note: big }));
        await assert.rejects(p.send(order(99, { note: 'y'.repeat(1024 * 1024) })), (e: unknown) => {
          assert.ok(e instanceof ProducerError);
          assert.equal(e.code, 'RECORD_TOO_LARGE');
          assert.match(
            e.message,
            /record is 10\d{5} bytes \(UTF-8 JSON data \+ partition key\), over the 1048576-byte limit per record/,
          );
          return true;
        });
        const report = await p.close();
        client.destroy();
        assert.ok(
          calls.every((c) => c.bytes <= 5 * 1024 * 1024),
          JSON.stringify(calls),
        );
        assert.ok(calls.length >= 3);
        assert.equal(report.delivered, 40);
        assert.equal((await local.readBack(stream)).length, 40);
      });

      test('UTF-8 bytes are counted, not characters', async () => {
        const stream = await local.stream(1);
        const p = createProducer<Order>({
          streamName: stream,
          client: local.client,
          partitionKey: (r) => r.order_id,
          maxRecordBytes: 600,
        });
        // ~370 characters either way; "é" is 2 bytes in UTF-8, so only the second is over 600 bytes.
        await p.send(order(1, { note: 'e'.repeat(300) }));
        await assert.rejects(p.send(order(2, { note: 'é'.repeat(300) })), /over the 600-byte limit/);
        assert.equal((await p.close()).delivered, 1);
      });
    });

    describe('retries', () => {
      test('records a partial failure returns are retried until delivered', async () => {
        const stream = await local.stream(2);
        const faults = await proxy({
          target: local.kinesis.endpoint,
          seed: 3,
          partialFailureRate: 0.8,
          recordFailureRate: 0.5,
          forwardFailedRate: 0,
        });
        const client = await localKinesisClient(faults.url, { maxAttempts: 1 });
        const p = createProducer<Order>({
          streamName: stream,
          client,
          partitionKey: (r) => r.order_id,
          retry: { baseMs: 1, maxMs: 20 },
        });
        for (let i = 0; i < 2_000; i++) await p.send(order(i));
        const report = await p.close();
        client.destroy();
        assert.ok(faults.stats.recordsFailed > 0);
        assert.equal(report.recordErrors, faults.stats.recordsFailed);
        assert.ok(report.retries >= report.recordErrors);
        assert.deepEqual(report.undelivered, []);
        const back = await local.readBack(stream);
        // Failed records were not forwarded: exactly once.
        assert.deepEqual(
          back.map((r) => r.record.order_id).sort(),
          Array.from({ length: 2_000 }, (_, i) => `o-${i}`).sort(),
        );
      });

      test('throttled calls and dropped connections are retried (at-least-once)', async () => {
        const stream = await local.stream(1);
        const faults = await proxy({ target: local.kinesis.endpoint, seed: 4, throttleRate: 0.3, dropRate: 0.2 });
        const client = await localKinesisClient(faults.url, { maxAttempts: 1 });
        const p = createProducer<Order>({
          streamName: stream,
          client,
          partitionKey: (r) => r.order_id,
          maxBatchRecords: 50,
          retry: { baseMs: 1, maxMs: 20 },
        });
        for (let i = 0; i < 2_000; i++) await p.send(order(i));
        const report = await p.close();
        client.destroy();
        assert.ok(
          faults.stats.throttled > 0 && faults.stats.droppedBeforeForward + faults.stats.droppedAfterForward > 0,
        );
        assert.ok(report.throttledCalls > 0 && report.failedCalls >= report.throttledCalls);
        assert.deepEqual(report.undelivered, []);
        const ids = new Set((await local.readBack(stream)).map((r) => r.record.order_id));
        assert.equal(ids.size, 2_000);
      });

      test('deadline: with throttling on every call, close() reports every record undelivered with the last error', async () => {
        const stream = await local.stream(1);
        const faults = await proxy({ target: local.kinesis.endpoint, seed: 5, throttleRate: 1 });
        const client = await localKinesisClient(faults.url, { maxAttempts: 1 });
        const dead: string[] = [];
        const p = createProducer<Order>({
          streamName: stream,
          client,
          partitionKey: (r) => r.order_id,
          lingerMs: 0,
          retry: { baseMs: 5, maxMs: 20, deadlineMs: 300 },
          deadLetter: (r, why) => {
            assert.equal(why.kind, 'undelivered');
            dead.push(r.order_id);
          },
        });
        for (let i = 0; i < 25; i++) await p.send(order(i));
        const report = await p.close();
        client.destroy();
        assert.equal(report.accepted, 25);
        assert.equal(report.delivered, 0);
        assert.equal(report.failed, 25);
        assert.equal(report.undelivered.length, 25);
        assert.deepEqual(report.undelivered.map((u) => u.record.order_id).sort(), dead.sort());
        for (const u of report.undelivered) {
          assert.match(u.reason, /deadline/);
          assert.match(u.reason, /ProvisionedThroughputExceededException|LimitExceededException/);
          assert.ok(u.attempts >= 1);
        }
        assert.equal(
          report.accepted,
          report.delivered + report.undelivered.length,
          'every accepted record accounted for',
        );
      });

      test('deadline with a stalled endpoint: the call times out and the records are reported', async () => {
        const stream = await local.stream(1);
        const faults = await proxy({ target: local.kinesis.endpoint, stall: true });
        const client = await localKinesisClient(faults.url, { maxAttempts: 1 });
        const p = createProducer<Order>({
          streamName: stream,
          client,
          partitionKey: (r) => r.order_id,
          retry: { deadlineMs: 400 },
        });
        for (let i = 0; i < 5; i++) await p.send(order(i));
        const report = await p.close();
        client.destroy();
        assert.equal(report.undelivered.length, 5);
        assert.match(report.undelivered[0]!.reason, /timed out|deadline/);
      });

      test('a permanent error (no such stream) fails the records at once with the reason', async () => {
        const p = createProducer<Order>({
          streamName: 'no-such-stream',
          client: local.client,
          partitionKey: (r) => r.order_id,
          retry: { deadlineMs: 60_000 },
        });
        await p.send(order(1));
        const report = await p.close();
        assert.equal(report.failed, 1);
        assert.match(report.undelivered[0]!.reason, /ResourceNotFoundException.*not retryable/);
      });
    });

    describe('backpressure', () => {
      test('with a stalled endpoint and a small buffer, send waits and the buffer stays bounded', async () => {
        const stream = await local.stream(1);
        const faults = await proxy({ target: local.kinesis.endpoint, stall: true });
        const client = await localKinesisClient(faults.url, { maxAttempts: 1 });
        const p = createProducer<Order>({
          streamName: stream,
          client,
          partitionKey: (r) => r.order_id,
          maxBufferedRecords: 50,
          maxBatchRecords: 20,
          maxInFlightBatches: 2,
        });
        let resolved = 0;
        const producing = (async () => {
          for (let i = 0; i < 300; i++) {
            await p.send(order(i));
            resolved++;
          }
        })();
        await until(
          () => p.metrics().backpressureWaits > 0 && faults.stats.stalledRequests >= 2,
          'producer blocked on a full buffer',
        );
        // Let the event loop spin: nothing more is accepted while the endpoint stalls.
        for (let i = 0; i < 1_000; i++) await new Promise((r) => setImmediate(r));
        assert.equal(resolved, 50);
        assert.equal(p.metrics().bufferedRecords, 50);
        assert.equal(p.metrics().inFlightBatches, 2);
        faults.setFaults({ stall: false });
        await producing;
        const report = await p.close();
        client.destroy();
        assert.equal(report.delivered, 300);
        assert.equal(report.peakBufferedRecords, 50);
        assert.equal(new Set((await local.readBack(stream)).map((r) => r.record.order_id)).size, 300);
      });

      test('the byte bound holds too', async () => {
        const stream = await local.stream(1);
        const faults = await proxy({ target: local.kinesis.endpoint, stall: true });
        const client = await localKinesisClient(faults.url, { maxAttempts: 1 });
        const p = createProducer<Order>({
          streamName: stream,
          client,
          partitionKey: (r) => r.order_id,
          maxBufferedBytes: 100_000,
        });
        const note = 'n'.repeat(10_000);
        const producing = (async () => {
          for (let i = 0; i < 40; i++) await p.send(order(i, { note }));
        })();
        await until(() => p.metrics().backpressureWaits > 0, 'blocked');
        assert.ok(p.metrics().bufferedBytes <= 100_000);
        assert.equal(p.metrics().bufferedRecords, 9);
        faults.setFaults({ stall: false });
        await producing;
        const report = await p.close();
        client.destroy();
        assert.equal(report.delivered, 40);
        assert.ok(report.peakBufferedBytes <= 100_000);
      });
    });

    describe('ordered mode', () => {
      test('keeps per-partition-key order across partial failures, throttling and drops', async () => {
        const stream = await local.stream(3);
        const faults = await proxy({
          target: local.kinesis.endpoint,
          seed: 11,
          partialFailureRate: 0.5,
          recordFailureRate: 0.4,
          forwardFailedRate: 0.5,
          throttleRate: 0.2,
          dropRate: 0.1,
        });
        const client = await localKinesisClient(faults.url, { maxAttempts: 1 });
        const keys = 40;
        const perKey = 60;
        const p = createProducer<Order>({
          streamName: stream,
          client,
          partitionKey: (r) => r.customer,
          ordered: true,
          lingerMs: 2,
          retry: { baseMs: 1, maxMs: 10 },
        });
        for (let s = 0; s < perKey; s++)
          for (let k = 0; k < keys; k++) await p.send({ order_id: `${k}-${s}`, customer: `c-${k}`, amount: 1, seq: s });
        const report = await p.close();
        client.destroy();
        assert.deepEqual(report.undelivered, []);
        assert.ok(faults.stats.recordsFailed > 0 && faults.stats.throttled > 0);
        const byKey = new Map<string, number[]>();
        for (const { record } of await local.readBack(stream)) {
          const list = byKey.get(record.customer) ?? [];
          list.push(record.seq!);
          byKey.set(record.customer, list);
        }
        assert.equal(byKey.size, keys);
        for (const [key, seqs] of byKey) {
          // First occurrences, in stream order, must be 0, 1, 2, …; a duplicate may only repeat the record just before.
          const firsts: number[] = [];
          const seen = new Set<number>();
          for (const s of seqs)
            if (!seen.has(s)) {
              seen.add(s);
              firsts.push(s);
            }
          assert.deepEqual(
            firsts,
            Array.from({ length: perKey }, (_, i) => i),
            `order of key ${key}`,
          );
          for (let i = 1; i < seqs.length; i++)
            assert.ok(seqs[i]! >= seqs[i - 1]!, `key ${key}: ${seqs[i]} after ${seqs[i - 1]}`);
        }
      });
    });

    describe('lifecycle', () => {
      test('send after close rejects; close is idempotent; flush with nothing buffered resolves', async () => {
        const stream = await local.stream(1);
        const metrics: number[] = [];
        const p = createProducer<Order>({
          streamName: stream,
          client: local.client,
          partitionKey: (r) => r.order_id,
          onMetrics: (m) => metrics.push(m.delivered),
        });
        await p.flush();
        await p.send(order(1));
        const [a, b] = await Promise.all([p.close(), p.close()]);
        assert.equal(a, b);
        await assert.rejects(
          p.send(order(2)),
          (e: unknown) => e instanceof ProducerError && e.code === 'PRODUCER_CLOSED',
        );
        assert.deepEqual(metrics, [1]);
      });
    });
  });

describe('optional peer dependencies', () => {
  test('@meshkit/runtime imports without @aws-sdk/*; the producer then reports how to install it', async () => {
    const { execFileSync } = await import('node:child_process');
    const { fileURLToPath } = await import('node:url');
    const dir = fileURLToPath(new URL('./fixtures/no-aws-sdk/', import.meta.url));
    const out = execFileSync(
      process.execPath,
      ['--conditions=development', '--import', 'tsx', '--import', `${dir}register.mjs`, `${dir}main.ts`],
      { encoding: 'utf8' },
    );
    const result = JSON.parse(out.trim().split('\n').at(-1)!) as { failed: number; reason: string };
    assert.equal(result.failed, 1);
    assert.match(
      result.reason,
      /optional peer dependency @aws-sdk\/client-kinesis: npm install @aws-sdk\/client-kinesis/,
    );
  });
});
