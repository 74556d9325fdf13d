/**
 * A contract-validating Kinesis producer: validation before buffering, PutRecords batching within
 * the Kinesis limits, retries of partial failures and failed calls with exponential backoff and
 * full jitter up to a deadline, a bounded buffer (backpressure), an optional per-partition-key
 * ordered mode, and a close report that accounts for every accepted record.
 *
 * The parts: the options and their checks (`producer-options.ts`), a ready queue per ordering mode
 * (`producer-queue.ts`), the sender of one PutRecords call (`producer-sender.ts`); this module
 * admits records, lingers, dispatches batches, schedules retries and accounts for every record.
 *
 * `@aws-sdk/client-kinesis` is an optional peer dependency: it is imported type-only here and
 * loaded lazily on the first PutRecords call, so importing `@meshkit/runtime` works without it.
 */
import { ProducerError } from './errors.js';
import {
  KINESIS_LIMITS,
  resolveProducerOptions,
  type CloseReport,
  type DeadLetterReason,
  type Producer,
  type ProducerMetrics,
  type ProducerOptions,
  type ProducerSettings,
  type UndeliveredRecord,
} from './producer-options.js';
import { createReadyQueue, type Entry, type ReadyQueue } from './producer-queue.js';
import { BatchSender } from './producer-sender.js';

interface SpaceWaiter {
  bytes: number;
  resolve: () => void;
}
interface FlushWaiter {
  seq: number;
  remaining: number;
  resolve: () => void;
}

/** A record serialised and keyed, ready to be admitted. */
interface Encoded {
  key: string;
  data: Uint8Array;
  bytes: number;
}

/**
 * Creates a Kinesis producer. See {@link ProducerOptions} for the knobs and {@link Producer} for
 * the semantics. Delivery is at-least-once: a record whose PutRecords result is lost (dropped
 * connection, timeout) is sent again, so consumers de-duplicate (e.g. on the contract's primary key).
 *
 * @throws ProducerError `INVALID_OPTIONS` on out-of-range options, `INVALID_CONTRACT` when the contract cannot be compiled.
 */
export function createProducer<T = unknown>(options: ProducerOptions<T>): Producer<T> {
  const producer = new KinesisProducer(resolveProducerOptions(options));
  return {
    send: (record) => producer.send(record),
    flush: () => producer.flush(),
    close: () => producer.close(),
    metrics: () => producer.metrics(),
  };
}

function zeroMetrics(): ProducerMetrics {
  return {
    accepted: 0,
    rejected: 0,
    deadLettered: 0,
    delivered: 0,
    failed: 0,
    retries: 0,
    batches: 0,
    failedCalls: 0,
    throttledCalls: 0,
    recordErrors: 0,
    bufferedRecords: 0,
    bufferedBytes: 0,
    peakBufferedRecords: 0,
    peakBufferedBytes: 0,
    inFlightBatches: 0,
    backpressureWaits: 0,
    bytesDelivered: 0,
  };
}

/** The producer's state machine: every accepted record ends in exactly one {@link KinesisProducer.finalize}. */
class KinesisProducer<T> {
  private readonly counters = zeroMetrics();
  private readonly undelivered: UndeliveredRecord<T>[] = [];
  private readonly queue: ReadyQueue<T>;
  private readonly sender: BatchSender<T>;
  private readonly spaceWaiters: SpaceWaiter[] = [];
  private flushWaiters: FlushWaiter[] = [];
  private seq = 0;
  private closing = false;
  private closePromise: Promise<CloseReport<T>> | undefined;
  private closeResolve: (() => void) | undefined;
  private lingerTimer: NodeJS.Timeout | undefined;
  private retryTimers = 0;

  constructor(private readonly settings: ProducerSettings<T>) {
    this.queue = createReadyQueue<T>(settings.ordered, settings);
    this.sender = new BatchSender<T>(settings.client, settings.streamName, settings.requestTimeoutMs, this.counters);
  }

  async send(record: T): Promise<void> {
    if (this.closing)
      throw new ProducerError('PRODUCER_CLOSED', `the producer for stream ${this.settings.streamName} is closed`);
    const encoded = this.encode(record);
    if (!encoded) return;
    // Synchronous when there is space: a send() not awaited is still counted by flush() and close().
    if (this.spaceWaiters.length > 0 || !this.hasSpace(encoded.bytes)) await this.waitForSpace(encoded.bytes);
    const now = Date.now();
    this.enqueue({
      seq: ++this.seq,
      record,
      ...encoded,
      readyAt: now,
      deadline: now + this.settings.retry.deadlineMs,
      attempts: 0,
      lastError: undefined,
    });
  }

  flush(): Promise<void> {
    if (this.counters.bufferedRecords === 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.flushWaiters.push({ seq: this.seq, remaining: this.counters.bufferedRecords, resolve });
      this.stopLinger();
      this.pump();
    });
  }

  close(): Promise<CloseReport<T>> {
    if (this.closePromise) return this.closePromise;
    this.closing = true;
    this.closePromise = new Promise<void>((resolve) => {
      this.closeResolve = resolve;
      this.stopLinger();
      this.pump();
      this.checkClosed();
    }).then(() => {
      this.stopLinger();
      return { ...this.metrics(), undelivered: this.undelivered };
    });
    return this.closePromise;
  }

  metrics(): ProducerMetrics {
    return { ...this.counters };
  }

  // --- admission ------------------------------------------------------------------------------

  /**
   * Serialises, validates and keys a record; `undefined` when it was rejected into the
   * dead-letter sink. Serialised once: what is validated is exactly what is sent (a toJSON, a
   * getter or a Date changes the bytes, not the object), so what is on the stream always matches
   * the contract.
   */
  private encode(record: T): Encoded | undefined {
    const json = serialize(record);
    if (typeof json !== 'string') return this.reject(record, 'invalid', 'RECORD_INVALID', json.error);
    if (this.settings.validate) {
      const reason = this.settings.validate(JSON.parse(json) as T);
      if (reason !== undefined)
        return this.reject(record, 'invalid', 'RECORD_INVALID', `record rejected by the contract: ${reason}`);
    }
    const key = this.settings.partitionKey(record);
    if (typeof key !== 'string' || key.length === 0 || key.length > KINESIS_LIMITS.maxPartitionKeyLength) {
      throw new ProducerError(
        'INVALID_PARTITION_KEY',
        `partitionKey(record) must return a string of 1 to 256 characters, got ${typeof key === 'string' ? `${key.length} characters` : typeof key}`,
      );
    }
    const data = Buffer.from(json, 'utf8');
    const bytes = data.length + Buffer.byteLength(key, 'utf8');
    if (bytes > this.settings.maxRecordBytes) {
      return this.reject(
        record,
        'too-large',
        'RECORD_TOO_LARGE',
        `record is ${bytes} bytes (UTF-8 JSON data + partition key), over the ${this.settings.maxRecordBytes}-byte limit per record`,
      );
    }
    return { key, data, bytes };
  }

  /** A record not accepted: to the dead-letter sink when there is one, else thrown. */
  private reject(
    record: T,
    kind: 'invalid' | 'too-large',
    code: 'RECORD_INVALID' | 'RECORD_TOO_LARGE',
    message: string,
  ): undefined {
    this.counters.rejected++;
    if (!this.settings.deadLetter) throw new ProducerError(code, message);
    this.counters.deadLettered++;
    this.settings.deadLetter(record, { kind, message });
    return undefined;
  }

  private hasSpace(bytes: number): boolean {
    if (this.counters.bufferedRecords === 0) return true;
    return (
      this.counters.bufferedRecords + 1 <= this.settings.maxBufferedRecords &&
      this.counters.bufferedBytes + bytes <= this.settings.maxBufferedBytes
    );
  }

  /** Backpressure: resolves when the buffer has room for `bytes` (first come, first served). */
  private waitForSpace(bytes: number): Promise<void> {
    this.counters.backpressureWaits++;
    return new Promise<void>((resolve) => {
      this.spaceWaiters.push({ bytes, resolve });
      this.pump();
    });
  }

  private admitWaiters(): void {
    while (this.spaceWaiters.length > 0) {
      const w = this.spaceWaiters[0]!;
      if (!this.hasSpace(w.bytes)) break;
      this.spaceWaiters.shift();
      w.resolve();
    }
  }

  private enqueue(e: Entry<T>): void {
    const c = this.counters;
    c.accepted++;
    c.bufferedRecords++;
    c.bufferedBytes += e.bytes;
    if (c.bufferedRecords > c.peakBufferedRecords) c.peakBufferedRecords = c.bufferedRecords;
    if (c.bufferedBytes > c.peakBufferedBytes) c.peakBufferedBytes = c.bufferedBytes;
    this.queue.push(e);
    this.pump();
  }

  // --- sending --------------------------------------------------------------------------------

  /** Starts PutRecords calls while there is room in flight and a batch is due (full, forced or lingered enough). */
  private pump(): void {
    while (this.counters.inFlightBatches < this.settings.maxInFlightBatches) {
      if (this.queue.size === 0) return;
      const now = Date.now();
      const forced = this.closing || this.flushWaiters.length > 0 || this.spaceWaiters.length > 0;
      if (!this.queue.full() && !forced && this.lingering(now)) return;
      const batch = this.queue.take(now, (e) => this.expire(e));
      if (batch.length > 0) void this.dispatch(batch);
    }
  }

  /** True while the oldest ready record may still wait for company; arms the timer that ends the wait. */
  private lingering(now: number): boolean {
    const due = this.queue.oldestReadyAt() + this.settings.lingerMs;
    if (due <= now) return false;
    this.lingerTimer ??= setTimeout(() => {
      this.lingerTimer = undefined;
      this.pump();
    }, due - now);
    return true;
  }

  private stopLinger(): void {
    if (this.lingerTimer) {
      clearTimeout(this.lingerTimer);
      this.lingerTimer = undefined;
    }
  }

  private async dispatch(batch: Entry<T>[]): Promise<void> {
    this.counters.inFlightBatches++;
    let outcome;
    try {
      outcome = await this.sender.send(batch, (e) => {
        this.queue.settle(e);
        this.finalize(e, true);
      });
    } finally {
      this.counters.inFlightBatches--;
    }
    if (outcome.retry.length > 0) this.scheduleRetry(outcome.retry, outcome.permanent);
    this.reportMetrics();
    this.pump();
    this.checkClosed();
  }

  /** Retries `entries` after a backoff, or gives them up (permanent error, or the deadline falls before the retry). */
  private scheduleRetry(entries: Entry<T>[], permanent: string | undefined): void {
    if (permanent !== undefined) {
      for (const e of entries) {
        this.queue.settle(e);
        this.finalize(e, false, `${permanent} (not retryable)`);
      }
      return;
    }
    const delay = this.backoffMs(entries);
    const at = Date.now() + delay;
    const keep: Entry<T>[] = [];
    for (const e of entries) {
      if (at >= e.deadline) {
        this.queue.settle(e);
        this.expire(e);
      } else {
        keep.push(e);
      }
    }
    if (keep.length === 0) return;
    this.counters.retries += keep.length;
    this.retryTimers++;
    setTimeout(() => {
      this.retryTimers--;
      this.queue.requeue(keep);
      this.pump();
      this.checkClosed();
    }, delay);
  }

  /** Full jitter: a random time in [0, min(maxMs, baseMs·2^(attempts-1))). */
  private backoffMs(entries: Entry<T>[]): number {
    let attempts = 1;
    for (const e of entries) if (e.attempts > attempts) attempts = e.attempts;
    const { baseMs, maxMs } = this.settings.retry;
    const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempts - 1, 30));
    return Math.floor(this.settings.random() * ceiling);
  }

  private reportMetrics(): void {
    if (!this.settings.onMetrics) return;
    try {
      this.settings.onMetrics(this.metrics());
    } catch {
      /* a failing metrics sink must not lose records */
    }
  }

  // --- accounting -----------------------------------------------------------------------------

  private expire(e: Entry<T>): void {
    this.finalize(
      e,
      false,
      `not delivered within the ${this.settings.retry.deadlineMs} ms deadline after ${e.attempts} attempt(s)${e.lastError ? `; last error: ${e.lastError}` : ''}`,
    );
  }

  /** The end of an accepted record: delivered, or undelivered (reported and dead-lettered). */
  private finalize(e: Entry<T>, delivered: boolean, reason?: string): void {
    this.counters.bufferedRecords--;
    this.counters.bufferedBytes -= e.bytes;
    if (delivered) {
      this.counters.delivered++;
      this.counters.bytesDelivered += e.bytes;
    } else {
      this.giveUp(e, reason ?? e.lastError ?? 'not delivered');
    }
    this.settleFlushWaiters(e);
    this.admitWaiters();
    this.checkClosed();
  }

  private giveUp(e: Entry<T>, why: string): void {
    this.counters.failed++;
    this.undelivered.push({ record: e.record, partitionKey: e.key, reason: why, attempts: e.attempts });
    if (!this.settings.deadLetter) return;
    this.counters.deadLettered++;
    const reason: DeadLetterReason = { kind: 'undelivered', message: why, attempts: e.attempts };
    try {
      this.settings.deadLetter(e.record, reason);
    } catch {
      /* the record is in the close report regardless */
    }
  }

  /** Resolves the `flush` calls whose records are all done. */
  private settleFlushWaiters(e: Entry<T>): void {
    if (this.flushWaiters.length === 0) return;
    let done = false;
    for (const w of this.flushWaiters) {
      if (e.seq <= w.seq && --w.remaining === 0) {
        w.resolve();
        done = true;
      }
    }
    if (done) this.flushWaiters = this.flushWaiters.filter((w) => w.remaining > 0);
  }

  private checkClosed(): void {
    if (
      this.closeResolve &&
      this.counters.bufferedRecords === 0 &&
      this.spaceWaiters.length === 0 &&
      this.counters.inFlightBatches === 0 &&
      this.retryTimers === 0
    ) {
      const resolve = this.closeResolve;
      this.closeResolve = undefined;
      resolve();
    }
  }
}

/** The JSON text of a record, or why it has none. */
function serialize(record: unknown): string | { error: string } {
  try {
    const json: string | undefined = JSON.stringify(record);
    return json ?? { error: 'record cannot be serialized as JSON' };
  } catch (err) {
    return { error: `record cannot be serialized as JSON: ${(err as Error).message}` };
  }
}
