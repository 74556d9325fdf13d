/**
 * The public shape of the Kinesis producer — its options, counters and report — and the one place
 * its options are checked and given their defaults ({@link resolveProducerOptions}).
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

/** {@link ProducerOptions} checked, with every default applied. */
export interface ProducerSettings<T> {
  streamName: string;
  client: KinesisClient;
  partitionKey: (record: T) => string;
  /** `undefined`: records are not validated. */
  validate: RecordValidator | undefined;
  maxRecordBytes: number;
  maxBatchRecords: number;
  maxBatchBytes: number;
  lingerMs: number;
  maxBufferedRecords: number;
  maxBufferedBytes: number;
  maxInFlightBatches: number;
  requestTimeoutMs: number;
  retry: Required<ProducerRetryOptions>;
  ordered: boolean;
  random: () => number;
  deadLetter: ProducerOptions<T>['deadLetter'];
  onMetrics: ProducerOptions<T>['onMetrics'];
}

/**
 * Checks the options of {@link createProducer} and applies the defaults.
 *
 * @throws ProducerError `INVALID_OPTIONS` on a missing or out-of-range option, `INVALID_CONTRACT`
 * when the contract cannot be compiled.
 */
export function resolveProducerOptions<T>(options: ProducerOptions<T>): ProducerSettings<T> {
  checkTarget(options);
  const batch = parseBatchLimits(options);
  const buffer = parseBufferLimits(options);
  const retry = parseRetry(options.retry);
  return {
    streamName: options.streamName,
    client: options.client,
    partitionKey: options.partitionKey,
    ...batch,
    ...buffer,
    retry,
    ordered: options.ordered ?? false,
    random: options.random ?? Math.random,
    deadLetter: options.deadLetter,
    onMetrics: options.onMetrics,
    validate:
      options.validator ??
      (options.contract ? compileRecordValidator(options.contract, { object: options.object }) : undefined),
  };
}

/** The stream, the client and the partition key function are given. */
function checkTarget<T>(options: ProducerOptions<T>): void {
  if (!options.streamName) throw new ProducerError('INVALID_OPTIONS', 'streamName is required');
  if (!options.client || typeof options.client.send !== 'function')
    throw new ProducerError('INVALID_OPTIONS', 'client must be a KinesisClient');
  if (typeof options.partitionKey !== 'function')
    throw new ProducerError('INVALID_OPTIONS', 'partitionKey must be a function (record) => string');
}

/** Per-record and per-call limits, within the Kinesis limits. */
function parseBatchLimits<T>(
  options: ProducerOptions<T>,
): Pick<ProducerSettings<T>, 'maxRecordBytes' | 'maxBatchRecords' | 'maxBatchBytes' | 'lingerMs'> {
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
  return { maxRecordBytes, maxBatchRecords, maxBatchBytes, lingerMs };
}

/** Bounds of the buffer and of the calls in flight. */
function parseBufferLimits<T>(
  options: ProducerOptions<T>,
): Pick<ProducerSettings<T>, 'maxBufferedRecords' | 'maxBufferedBytes' | 'maxInFlightBatches' | 'requestTimeoutMs'> {
  return {
    maxBufferedRecords: positive('maxBufferedRecords', options.maxBufferedRecords, 10_000),
    maxBufferedBytes: positive('maxBufferedBytes', options.maxBufferedBytes, 16 * 1024 * 1024),
    maxInFlightBatches: positive('maxInFlightBatches', options.maxInFlightBatches, 4),
    requestTimeoutMs: positive('requestTimeoutMs', options.requestTimeoutMs, 10_000),
  };
}

/** Backoff and deadline. */
function parseRetry(retry: ProducerRetryOptions | undefined): Required<ProducerRetryOptions> {
  return {
    baseMs: positive('retry.baseMs', retry?.baseMs, 100, Number.MAX_SAFE_INTEGER, 0),
    maxMs: positive('retry.maxMs', retry?.maxMs, 5_000, Number.MAX_SAFE_INTEGER, 0),
    deadlineMs: positive('retry.deadlineMs', retry?.deadlineMs, 30_000),
  };
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
