/**
 * A contract-validating Kinesis producer: validation before buffering, PutRecords batching within
 * the Kinesis limits, retries of partial failures and failed calls with exponential backoff and
 * full jitter up to a deadline, a bounded buffer (backpressure), an optional per-partition-key
 * ordered mode, and a close report that accounts for every accepted record.
 *
 * `@aws-sdk/client-kinesis` is an optional peer dependency: it is imported type-only here and
 * loaded lazily on the first PutRecords call, so importing `@meshkit/runtime` works without it.
 */
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { LoadedContract, OdcsContract } from '@meshkit/contracts';
import { ProducerError } from './errors.js';
import { compileRecordValidator, type RecordValidator } from './validator.js';

/** Kinesis hard limits (a default stream). */
export const KINESIS_LIMITS = {
  /** Max data blob + partition key per record. */
  maxRecordBytes: 1024 * 1024,
  /** Max records per PutRecords call. */
  maxBatchRecords: 500,
  /** Max bytes (data + partition keys) per PutRecords call. */
  maxBatchBytes: 5 * 1024 * 1024,
  /** Max partition key length (Unicode characters). */
  maxPartitionKeyLength: 256,
} as const;

/** Backoff and deadline of retries. */
export interface ProducerRetryOptions {
  /** First backoff ceiling; attempt n waits a random time in [0, min(maxMs, baseMs·2^(n-1))) (full jitter). @default 100 */
  baseMs?: number;
  /** Backoff ceiling. @default 5000 */
  maxMs?: number;
  /**
   * A record accepted at time t is delivered or reported undelivered by t + deadlineMs (plus at
   * most one in-flight request): the record TTL of the AWS KPL.
   * @default 30000
   */
  deadlineMs?: number;
}

/** Why a record was not accepted or not delivered (given to {@link ProducerOptions.deadLetter}). */
export interface DeadLetterReason {
  /** `invalid`: failed the contract; `too-large`: over `maxRecordBytes`; `undelivered`: accepted but not delivered by the deadline or failed permanently. */
  kind: 'invalid' | 'too-large' | 'undelivered';
  /** Human-readable reason (the validator's message, the size, or the last delivery error). */
  message: string;
  /** PutRecords attempts made (undelivered only). */
  attempts?: number;
}

/** Options of {@link createProducer}. Give `validator` or `contract` (+ `object`), or neither to skip validation. */
export interface ProducerOptions<T> {
  /** A precompiled validator (see {@link compileRecordValidator}). Takes precedence over `contract`. @default none (then `contract`, else no validation) */
  validator?: RecordValidator;
  /** The contract the records must satisfy; compiled once to a validator at creation. @default none (no validation unless `validator`) */
  contract?: OdcsContract | LoadedContract;
  /** Schema object of `contract` the records belong to. @default the contract's only object */
  object?: string;
  /** Target stream. */
  streamName: string;
  /** The caller's Kinesis client (against kinesalite it needs `requestHandler: new NodeHttpHandler()`); never destroyed by the producer. */
  client: KinesisClient;
  /** Partition key of a record: a string of 1–256 characters. */
  partitionKey: (record: T) => string;
  /** Max bytes of one record (UTF-8 JSON data + partition key); larger records are rejected. @default 1048576 (1 MiB) */
  maxRecordBytes?: number;
  /** Max records per PutRecords call (≤ 500). @default 500 */
  maxBatchRecords?: number;
  /** Max bytes per PutRecords call (≤ 5 MiB). @default 5242880 (5 MiB) */
  maxBatchBytes?: number;
  /** How long a non-full batch waits for more records before it is sent. @default 50 */
  lingerMs?: number;
  /** Max records accepted but not yet delivered/failed (buffered, in flight or awaiting retry); `send` waits beyond. @default 10000 */
  maxBufferedRecords?: number;
  /** Max bytes accepted but not yet delivered/failed; `send` waits beyond (one record larger than this is still admitted into an empty buffer). @default 16777216 (16 MiB) */
  maxBufferedBytes?: number;
  /** Concurrent PutRecords calls. @default 4 */
  maxInFlightBatches?: number;
  /** Timeout of one PutRecords call (capped by the records' remaining deadline, but not below 100 ms). @default 10000 */
  requestTimeoutMs?: number;
  /** Backoff and deadline. */
  retry?: ProducerRetryOptions;
  /**
   * Keep per-partition-key order across retries: at most one record per key is in flight (or
   * awaiting retry) at a time, so a later record of a key is never written before an earlier one
   * succeeded. Throughput per key is then one record per round trip (keys are batched together).
   * Duplicates (at-least-once) can still occur but never reorder first occurrences.
   * @default false
   */
  ordered?: boolean;
  /**
   * Sink for rejected and undelivered records. When given, invalid and too-large records are routed
   * here and `send` resolves instead of rejecting; undelivered records are ALSO listed in the close report.
   * @default none (`send` rejects; undelivered records are in the close report only)
   */
  deadLetter?: (record: T, reason: DeadLetterReason) => void;
  /** Called with a metrics snapshot after every PutRecords call (a throwing sink is ignored). @default none */
  onMetrics?: (metrics: ProducerMetrics) => void;
  /** Random source of the backoff jitter, in [0, 1). @default Math.random */
  random?: () => number;
}

/** Counters of a producer. */
export interface ProducerMetrics {
  /** Records accepted into the buffer. */
  accepted: number;
  /** Records rejected by `send` (invalid or too large), including dead-lettered ones. */
  rejected: number;
  /** Records routed to the dead-letter sink (rejected or undelivered). */
  deadLettered: number;
  /** Records Kinesis acknowledged. */
  delivered: number;
  /** Accepted records that could not be delivered (deadline or permanent error). */
  failed: number;
  /** Record re-sends (a record retried twice counts 2). */
  retries: number;
  /** PutRecords calls that returned a response. */
  batches: number;
  /** PutRecords calls that failed as a whole (network, throttling, 5xx, timeout). */
  failedCalls: number;
  /** Whole calls rejected by throttling (ProvisionedThroughputExceeded / LimitExceeded / Throttling). */
  throttledCalls: number;
  /** Records a partial failure returned with an ErrorCode. */
  recordErrors: number;
  /** Records accepted and not yet delivered or failed. */
  bufferedRecords: number;
  /** Bytes (data + key) of those records. */
  bufferedBytes: number;
  /** High-water mark of `bufferedRecords`. */
  peakBufferedRecords: number;
  /** High-water mark of `bufferedBytes`. */
  peakBufferedBytes: number;
  /** PutRecords calls in flight now. */
  inFlightBatches: number;
  /** `send` calls that had to wait for buffer space. */
  backpressureWaits: number;
  /** Bytes (data + key) delivered. */
  bytesDelivered: number;
}

/** An accepted record that was not delivered. */
export interface UndeliveredRecord<T> {
  record: T;
  partitionKey: string;
  /** The last error (e.g. `ProvisionedThroughputExceededException: Rate exceeded`) or why it was given up. */
  reason: string;
  /** PutRecords attempts made. */
  attempts: number;
}

/** What `close()` reports: the final counters and every record that could not be delivered. */
export interface CloseReport<T> extends ProducerMetrics {
  /** Accepted records not delivered (also given to `deadLetter`). `accepted = delivered + undelivered.length`. */
  undelivered: UndeliveredRecord<T>[];
}

/** A running producer. */
export interface Producer<T> {
  /**
   * Validates, serializes and buffers one record. Resolves when it is ACCEPTED into the buffer (not
   * when delivered); waits while the buffer is full (backpressure). Rejects with a
   * {@link ProducerError} (`RECORD_INVALID` with the validator's reason, `RECORD_TOO_LARGE`,
   * `INVALID_PARTITION_KEY`, `PRODUCER_CLOSED`) — invalid/too-large records go to `deadLetter`
   * instead when one is given.
   */
  send(record: T): Promise<void>;
  /** Sends everything buffered now (ignoring linger); resolves when every record accepted before the call is delivered or failed. */
  flush(): Promise<void>;
  /** Stops accepting, flushes, and reports. Idempotent. Does not destroy the client. */
  close(): Promise<CloseReport<T>>;
  /** A snapshot of the counters. */
  metrics(): ProducerMetrics;
}

interface Entry<T> {
  seq: number;
  record: T;
  key: string;
  data: Uint8Array;
  bytes: number;
  readyAt: number;
  deadline: number;
  attempts: number;
  lastError: string | undefined;
}

interface SpaceWaiter {
  bytes: number;
  resolve: () => void;
  reject: (err: unknown) => void;
}
interface FlushWaiter {
  seq: number;
  remaining: number;
  resolve: () => void;
}

type KinesisModule = typeof import('@aws-sdk/client-kinesis');
let sdkPromise: Promise<KinesisModule> | undefined;
function loadSdk(): Promise<KinesisModule> {
  sdkPromise ??= import('@aws-sdk/client-kinesis').catch((err: unknown) => {
    sdkPromise = undefined;
    throw new ProducerError(
      'INVALID_OPTIONS',
      'the producer needs the optional peer dependency @aws-sdk/client-kinesis: npm install @aws-sdk/client-kinesis',
      { cause: err },
    );
  });
  return sdkPromise;
}

const THROTTLE = new Set([
  'ProvisionedThroughputExceededException',
  'LimitExceededException',
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'KMSThrottlingException',
  'RequestLimitExceeded',
]);
const RETRYABLE = new Set([
  'InternalFailure',
  'InternalFailureException',
  'InternalServerError',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'AbortError',
  'NetworkingError',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ECONNABORTED',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/** How a failed PutRecords call is handled. */
function classify(
  err: unknown,
  timedOut: boolean,
  timeoutMs: number,
): { retryable: boolean; throttled: boolean; reason: string } {
  const e = (err ?? {}) as {
    name?: string;
    code?: string;
    message?: string;
    $metadata?: { httpStatusCode?: number };
    $fault?: string;
  };
  const name = e.name ?? 'Error';
  const message = e.message ?? String(err);
  if (timedOut) return { retryable: true, throttled: false, reason: `PutRecords timed out after ${timeoutMs} ms` };
  const reason = `${name}${e.code && e.code !== name ? ` (${e.code})` : ''}: ${message}`;
  if (THROTTLE.has(name)) return { retryable: true, throttled: true, reason };
  if (err instanceof ProducerError) return { retryable: false, throttled: false, reason: message };
  if (RETRYABLE.has(name) || (e.code !== undefined && RETRYABLE.has(e.code)))
    return { retryable: true, throttled: false, reason };
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined && status >= 500) return { retryable: true, throttled: false, reason };
  if (e.$fault === 'server') return { retryable: true, throttled: false, reason };
  if (status !== undefined && status >= 400) return { retryable: false, throttled: false, reason };
  // No HTTP status: the request never got a response (socket hang up, reset, DNS…).
  return { retryable: true, throttled: false, reason };
}

function positive(
  name: string,
  value: number | undefined,
  fallback: number,
  max = Number.MAX_SAFE_INTEGER,
  min = 1,
): number {
  const v = value ?? fallback;
  if (!Number.isFinite(v) || v < min || v > max) {
    throw new ProducerError(
      'INVALID_OPTIONS',
      `${name} must be a number between ${min} and ${max}, got ${String(value)}`,
    );
  }
  return v;
}

/**
 * Creates a Kinesis producer. See {@link ProducerOptions} for the knobs and {@link Producer} for
 * the semantics. Delivery is at-least-once: a record whose PutRecords result is lost (dropped
 * connection, timeout) is sent again, so consumers de-duplicate (e.g. on the contract's primary key).
 *
 * @throws ProducerError `INVALID_OPTIONS` on out-of-range options, `INVALID_CONTRACT` when the contract cannot be compiled.
 */
export function createProducer<T = unknown>(options: ProducerOptions<T>): Producer<T> {
  if (!options.streamName) throw new ProducerError('INVALID_OPTIONS', 'streamName is required');
  if (!options.client || typeof options.client.send !== 'function')
    throw new ProducerError('INVALID_OPTIONS', 'client must be a KinesisClient');
  if (typeof options.partitionKey !== 'function')
    throw new ProducerError('INVALID_OPTIONS', 'partitionKey must be a function (record) => string');
  const maxRecordBytes = positive('maxRecordBytes', options.maxRecordBytes, KINESIS_LIMITS.maxRecordBytes);
  const maxBatchRecords = positive(
    'maxBatchRecords',
    options.maxBatchRecords,
    KINESIS_LIMITS.maxBatchRecords,
    KINESIS_LIMITS.maxBatchRecords,
  );
  const maxBatchBytes = positive(
    'maxBatchBytes',
    options.maxBatchBytes,
    KINESIS_LIMITS.maxBatchBytes,
    KINESIS_LIMITS.maxBatchBytes,
  );
  if (maxRecordBytes > maxBatchBytes)
    throw new ProducerError(
      'INVALID_OPTIONS',
      `maxRecordBytes (${maxRecordBytes}) must not exceed maxBatchBytes (${maxBatchBytes})`,
    );
  const lingerMs = positive('lingerMs', options.lingerMs, 50, Number.MAX_SAFE_INTEGER, 0);
  const maxBufferedRecords = positive('maxBufferedRecords', options.maxBufferedRecords, 10_000);
  const maxBufferedBytes = positive('maxBufferedBytes', options.maxBufferedBytes, 16 * 1024 * 1024);
  const maxInFlight = positive('maxInFlightBatches', options.maxInFlightBatches, 4);
  const requestTimeoutMs = positive('requestTimeoutMs', options.requestTimeoutMs, 10_000);
  const baseMs = positive('retry.baseMs', options.retry?.baseMs, 100, Number.MAX_SAFE_INTEGER, 0);
  const maxMs = positive('retry.maxMs', options.retry?.maxMs, 5_000, Number.MAX_SAFE_INTEGER, 0);
  const deadlineMs = positive('retry.deadlineMs', options.retry?.deadlineMs, 30_000);
  const ordered = options.ordered ?? false;
  const random = options.random ?? Math.random;
  const { client, streamName, partitionKey, deadLetter, onMetrics } = options;
  const validate: RecordValidator | undefined =
    options.validator ??
    (options.contract ? compileRecordValidator(options.contract, { object: options.object }) : undefined);

  const m: ProducerMetrics = {
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
  const undelivered: UndeliveredRecord<T>[] = [];
  let seq = 0;
  let closing = false;
  let closePromise: Promise<CloseReport<T>> | undefined;
  let closeResolve: (() => void) | undefined;
  const spaceWaiters: SpaceWaiter[] = [];
  let flushWaiters: FlushWaiter[] = [];
  let lingerTimer: NodeJS.Timeout | undefined;
  let retryTimers = 0;

  // Unordered queue: fresh records in `ready` (array + head index), retries drained first.
  let ready: Entry<T>[] = [];
  let rh = 0;
  let retryReady: Entry<T>[] = [];
  let readyBytes = 0;
  // Ordered mode: per-key FIFO, keys with a record in flight/awaiting retry are busy.
  const keyQueues = new Map<string, Entry<T>[]>();
  const busy = new Set<string>();
  let readyKeys: string[] = [];
  let rkh = 0;

  const readyCount = (): number => (ordered ? readyKeys.length - rkh : ready.length - rh + retryReady.length);
  const oldestReadyAt = (): number => {
    if (ordered) {
      const k = readyKeys[rkh];
      return k === undefined ? Infinity : (keyQueues.get(k)?.[0]?.readyAt ?? Infinity);
    }
    if (retryReady.length > 0) return 0;
    return ready[rh]?.readyAt ?? Infinity;
  };

  function rejectRecord(
    record: T,
    kind: 'invalid' | 'too-large',
    code: 'RECORD_INVALID' | 'RECORD_TOO_LARGE',
    message: string,
  ): void {
    m.rejected++;
    if (deadLetter) {
      m.deadLettered++;
      deadLetter(record, { kind, message });
      return;
    }
    throw new ProducerError(code, message);
  }

  function enqueue(e: Entry<T>): void {
    m.accepted++;
    m.bufferedRecords++;
    m.bufferedBytes += e.bytes;
    if (m.bufferedRecords > m.peakBufferedRecords) m.peakBufferedRecords = m.bufferedRecords;
    if (m.bufferedBytes > m.peakBufferedBytes) m.peakBufferedBytes = m.bufferedBytes;
    if (ordered) {
      let q = keyQueues.get(e.key);
      if (!q) {
        q = [];
        keyQueues.set(e.key, q);
      }
      q.push(e);
      if (q.length === 1 && !busy.has(e.key)) readyKeys.push(e.key);
    } else {
      ready.push(e);
      readyBytes += e.bytes;
    }
    pump();
  }

  function hasSpace(bytes: number): boolean {
    if (m.bufferedRecords === 0) return true;
    return m.bufferedRecords + 1 <= maxBufferedRecords && m.bufferedBytes + bytes <= maxBufferedBytes;
  }

  function admitWaiters(): void {
    while (spaceWaiters.length > 0) {
      const w = spaceWaiters[0]!;
      if (!hasSpace(w.bytes)) break;
      spaceWaiters.shift();
      w.resolve();
    }
  }

  function finalize(e: Entry<T>, delivered: boolean, reason?: string): void {
    m.bufferedRecords--;
    m.bufferedBytes -= e.bytes;
    if (delivered) {
      m.delivered++;
      m.bytesDelivered += e.bytes;
    } else {
      m.failed++;
      const why = reason ?? e.lastError ?? 'not delivered';
      undelivered.push({ record: e.record, partitionKey: e.key, reason: why, attempts: e.attempts });
      if (deadLetter) {
        m.deadLettered++;
        try {
          deadLetter(e.record, { kind: 'undelivered', message: why, attempts: e.attempts });
        } catch {
          /* the record is in the close report regardless */
        }
      }
    }
    if (flushWaiters.length > 0) {
      let done = false;
      for (const w of flushWaiters) {
        if (e.seq <= w.seq && --w.remaining === 0) {
          w.resolve();
          done = true;
        }
      }
      if (done) flushWaiters = flushWaiters.filter((w) => w.remaining > 0);
    }
    admitWaiters();
    checkClosed();
  }

  function checkClosed(): void {
    if (
      closeResolve &&
      m.bufferedRecords === 0 &&
      spaceWaiters.length === 0 &&
      m.inFlightBatches === 0 &&
      retryTimers === 0
    ) {
      const r = closeResolve;
      closeResolve = undefined;
      r();
    }
  }

  function expire(e: Entry<T>): void {
    finalize(
      e,
      false,
      `not delivered within the ${deadlineMs} ms deadline after ${e.attempts} attempt(s)${e.lastError ? `; last error: ${e.lastError}` : ''}`,
    );
  }

  function takeBatch(now: number): Entry<T>[] {
    const batch: Entry<T>[] = [];
    let bytes = 0;
    if (ordered) {
      while (batch.length < maxBatchRecords && rkh < readyKeys.length) {
        const key = readyKeys[rkh]!;
        const q = keyQueues.get(key)!;
        const e = q[0]!;
        if (e.deadline <= now) {
          // Expired: report it and move on to the key's next record.
          q.shift();
          if (q.length === 0) {
            keyQueues.delete(key);
            rkh++;
          }
          expire(e);
          continue;
        }
        if (batch.length > 0 && bytes + e.bytes > maxBatchBytes) break;
        rkh++;
        q.shift();
        if (q.length === 0) keyQueues.delete(key);
        busy.add(key);
        batch.push(e);
        bytes += e.bytes;
      }
      if (rkh > 1024 && rkh * 2 > readyKeys.length) {
        readyKeys = readyKeys.slice(rkh);
        rkh = 0;
      }
      return batch;
    }
    while (batch.length < maxBatchRecords) {
      let e: Entry<T> | undefined;
      const fromRetry = retryReady.length > 0;
      if (fromRetry) e = retryReady[0];
      else if (rh < ready.length) e = ready[rh];
      if (!e) break;
      if (e.deadline > now && batch.length > 0 && bytes + e.bytes > maxBatchBytes) break;
      if (fromRetry) retryReady.shift();
      else {
        ready[rh] = undefined as unknown as Entry<T>;
        rh++;
      }
      readyBytes -= e.bytes;
      if (e.deadline <= now) {
        expire(e);
        continue;
      }
      batch.push(e);
      bytes += e.bytes;
    }
    if (rh > 4096 && rh * 2 > ready.length) {
      ready = ready.slice(rh);
      rh = 0;
    }
    return batch;
  }

  function pump(): void {
    while (m.inFlightBatches < maxInFlight) {
      const n = readyCount();
      if (n === 0) return;
      const now = Date.now();
      const full = n >= maxBatchRecords || (!ordered && readyBytes >= maxBatchBytes);
      const forced = closing || flushWaiters.length > 0 || spaceWaiters.length > 0;
      const due = oldestReadyAt() + lingerMs;
      if (!full && !forced && due > now) {
        if (!lingerTimer) {
          lingerTimer = setTimeout(() => {
            lingerTimer = undefined;
            pump();
          }, due - now);
        }
        return;
      }
      const batch = takeBatch(now);
      if (batch.length === 0) continue;
      void sendBatch(batch);
    }
  }

  async function sendBatch(batch: Entry<T>[]): Promise<void> {
    m.inFlightBatches++;
    const now = Date.now();
    let latest = 0;
    for (const e of batch) {
      e.attempts++;
      if (e.deadline > latest) latest = e.deadline;
    }
    // Capped by the records' remaining deadline, but never below 100 ms (a hopeless attempt).
    const timeoutMs = Math.min(requestTimeoutMs, Math.max(100, latest - now));
    const ac = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      ac.abort();
    }, timeoutMs);
    const retry: Entry<T>[] = [];
    let permanent: string | undefined;
    try {
      const { PutRecordsCommand } = await loadSdk();
      const out = await client.send(
        new PutRecordsCommand({
          StreamName: streamName,
          Records: batch.map((e) => ({ Data: e.data, PartitionKey: e.key })),
        }),
        { abortSignal: ac.signal },
      );
      m.batches++;
      const results = out.Records ?? [];
      if (results.length !== batch.length) {
        for (const e of batch) {
          e.lastError = `PutRecords returned ${results.length} results for ${batch.length} records`;
          retry.push(e);
        }
      } else {
        for (let i = 0; i < batch.length; i++) {
          const e = batch[i]!;
          const r = results[i]!;
          if (r.ErrorCode) {
            m.recordErrors++;
            e.lastError = `${r.ErrorCode}${r.ErrorMessage ? `: ${r.ErrorMessage}` : ''}`;
            retry.push(e);
          } else {
            if (ordered) releaseKey(e.key);
            finalize(e, true);
          }
        }
      }
    } catch (err) {
      m.failedCalls++;
      const c = classify(err, timedOut, timeoutMs);
      if (c.throttled) m.throttledCalls++;
      // A timeout forced by the deadline cap says less than the error before it: keep that one.
      const capped = timedOut && timeoutMs < requestTimeoutMs;
      for (const e of batch) {
        if (!capped || e.lastError === undefined) e.lastError = c.reason;
        retry.push(e);
      }
      if (!c.retryable) permanent = c.reason;
    } finally {
      clearTimeout(timer);
      m.inFlightBatches--;
    }
    if (retry.length > 0) scheduleRetry(retry, permanent);
    if (onMetrics) {
      try {
        onMetrics(snapshot());
      } catch {
        /* a failing metrics sink must not lose records */
      }
    }
    pump();
    checkClosed();
  }

  function releaseKey(key: string): void {
    busy.delete(key);
    const q = keyQueues.get(key);
    if (q && q.length > 0) readyKeys.push(key);
  }

  function scheduleRetry(entries: Entry<T>[], permanent: string | undefined): void {
    if (permanent !== undefined) {
      for (const e of entries) {
        if (ordered) releaseKey(e.key);
        finalize(e, false, `${permanent} (not retryable)`);
      }
      return;
    }
    let attempts = 1;
    for (const e of entries) if (e.attempts > attempts) attempts = e.attempts;
    const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempts - 1, 30));
    const delay = Math.floor(random() * ceiling);
    const at = Date.now() + delay;
    const keep: Entry<T>[] = [];
    for (const e of entries) {
      if (at >= e.deadline) {
        if (ordered) releaseKey(e.key);
        expire(e);
      } else {
        keep.push(e);
      }
    }
    if (keep.length === 0) return;
    m.retries += keep.length;
    retryTimers++;
    setTimeout(() => {
      retryTimers--;
      requeue(keep);
      pump();
      checkClosed();
    }, delay);
  }

  function requeue(entries: Entry<T>[]): void {
    if (ordered) {
      const front: string[] = [];
      for (const e of entries) {
        busy.delete(e.key);
        let q = keyQueues.get(e.key);
        if (!q) {
          q = [];
          keyQueues.set(e.key, q);
        } else if (q.length > 0) {
          // The key's later records are waiting behind this one: it is no longer in readyKeys (it was busy).
        }
        q.unshift(e);
        front.push(e.key);
      }
      readyKeys = front.concat(readyKeys.slice(rkh));
      rkh = 0;
      return;
    }
    for (const e of entries) readyBytes += e.bytes;
    retryReady = retryReady.length === 0 ? entries : retryReady.concat(entries);
  }

  function snapshot(): ProducerMetrics {
    return { ...m };
  }

  async function send(record: T): Promise<void> {
    if (closing) throw new ProducerError('PRODUCER_CLOSED', `the producer for stream ${streamName} is closed`);
    // Serialised once: what is validated is exactly what is sent (a toJSON, a getter or a Date
    // changes the bytes, not the object), so what is on the stream always matches the contract.
    let json: string | undefined;
    try {
      json = JSON.stringify(record);
    } catch (err) {
      return rejectRecord(
        record,
        'invalid',
        'RECORD_INVALID',
        `record cannot be serialized as JSON: ${(err as Error).message}`,
      );
    }
    if (json === undefined)
      return rejectRecord(record, 'invalid', 'RECORD_INVALID', 'record cannot be serialized as JSON');
    if (validate) {
      const reason = validate(JSON.parse(json) as T);
      if (reason !== undefined)
        return rejectRecord(record, 'invalid', 'RECORD_INVALID', `record rejected by the contract: ${reason}`);
    }
    const key = partitionKey(record);
    if (typeof key !== 'string' || key.length === 0 || key.length > KINESIS_LIMITS.maxPartitionKeyLength) {
      throw new ProducerError(
        'INVALID_PARTITION_KEY',
        `partitionKey(record) must return a string of 1 to 256 characters, got ${typeof key === 'string' ? `${key.length} characters` : typeof key}`,
      );
    }
    const data = Buffer.from(json, 'utf8');
    const bytes = data.length + Buffer.byteLength(key, 'utf8');
    if (bytes > maxRecordBytes) {
      return rejectRecord(
        record,
        'too-large',
        'RECORD_TOO_LARGE',
        `record is ${bytes} bytes (UTF-8 JSON data + partition key), over the ${maxRecordBytes}-byte limit per record`,
      );
    }
    if (spaceWaiters.length > 0 || !hasSpace(bytes)) {
      m.backpressureWaits++;
      await new Promise<void>((resolve, reject) => {
        spaceWaiters.push({ bytes, resolve, reject });
        pump();
      });
    }
    const now = Date.now();
    enqueue({
      seq: ++seq,
      record,
      key,
      data,
      bytes,
      readyAt: now,
      deadline: now + deadlineMs,
      attempts: 0,
      lastError: undefined,
    });
  }

  function flush(): Promise<void> {
    if (m.bufferedRecords === 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      flushWaiters.push({ seq, remaining: m.bufferedRecords, resolve });
      if (lingerTimer) {
        clearTimeout(lingerTimer);
        lingerTimer = undefined;
      }
      pump();
    });
  }

  function close(): Promise<CloseReport<T>> {
    if (closePromise) return closePromise;
    closing = true;
    closePromise = new Promise<void>((resolve) => {
      closeResolve = resolve;
      if (lingerTimer) {
        clearTimeout(lingerTimer);
        lingerTimer = undefined;
      }
      pump();
      checkClosed();
    }).then(() => {
      if (lingerTimer) {
        clearTimeout(lingerTimer);
        lingerTimer = undefined;
      }
      return { ...snapshot(), undelivered };
    });
    return closePromise;
  }

  return { send, flush, close, metrics: snapshot };
}
