/**
 * The producer's sender: one PutRecords call for a batch, with a timeout, and what became of each
 * record — delivered (handed back at once), to be retried, or failed for good (a permanent error).
 *
 * `@aws-sdk/client-kinesis` is an optional peer dependency: it is loaded lazily on the first call.
 */
import type { KinesisClient, PutRecordsResultEntry } from '@aws-sdk/client-kinesis';
import { ProducerError } from './errors.js';
import type { ProducerMetrics } from './producer-options.js';
import type { Entry } from './producer-queue.js';

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
interface CallFailure {
  retryable: boolean;
  throttled: boolean;
  reason: string;
}

/** Classifies a failed PutRecords call. */
function classify(err: unknown, timedOut: boolean, timeoutMs: number): CallFailure {
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

/** What a PutRecords call left to do. */
export interface SendOutcome<T> {
  /** Records not delivered by this call (each with its `lastError`). */
  retry: Entry<T>[];
  /** Set when the call failed with an error a retry cannot fix: `retry` is then given up. */
  permanent: string | undefined;
}

/** Sends batches to one stream and counts the calls (`batches`, `failedCalls`, `throttledCalls`, `recordErrors`). */
export class BatchSender<T> {
  constructor(
    private readonly client: KinesisClient,
    private readonly streamName: string,
    private readonly requestTimeoutMs: number,
    private readonly metrics: ProducerMetrics,
  ) {}

  /**
   * Makes one PutRecords attempt of `batch`: each record Kinesis acknowledged goes to `delivered`
   * as the response is read; the others come back in the outcome. Never rejects.
   */
  async send(batch: Entry<T>[], delivered: (entry: Entry<T>) => void): Promise<SendOutcome<T>> {
    const timeoutMs = this.startAttempt(batch);
    const ac = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      ac.abort();
    }, timeoutMs);
    try {
      const results = await this.putRecords(batch, ac.signal);
      this.metrics.batches++;
      return this.sortResults(batch, results, delivered);
    } catch (err) {
      return this.callFailed(batch, classify(err, timedOut, timeoutMs), timedOut && timeoutMs < this.requestTimeoutMs);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Counts the attempt on each record; the call's timeout. */
  private startAttempt(batch: Entry<T>[]): number {
    const now = Date.now();
    let latest = 0;
    for (const e of batch) {
      e.attempts++;
      if (e.deadline > latest) latest = e.deadline;
    }
    // Capped by the records' remaining deadline, but never below 100 ms (a hopeless attempt).
    return Math.min(this.requestTimeoutMs, Math.max(100, latest - now));
  }

  private async putRecords(batch: Entry<T>[], abortSignal: AbortSignal): Promise<PutRecordsResultEntry[]> {
    const { PutRecordsCommand } = await loadSdk();
    const out = await this.client.send(
      new PutRecordsCommand({
        StreamName: this.streamName,
        Records: batch.map((e) => ({ Data: e.data, PartitionKey: e.key })),
      }),
      { abortSignal },
    );
    return out.Records ?? [];
  }

  /** A response: the records with an `ErrorCode` are retried, the others delivered. */
  private sortResults(
    batch: Entry<T>[],
    results: PutRecordsResultEntry[],
    delivered: (entry: Entry<T>) => void,
  ): SendOutcome<T> {
    const retry: Entry<T>[] = [];
    if (results.length !== batch.length) {
      for (const e of batch) {
        e.lastError = `PutRecords returned ${results.length} results for ${batch.length} records`;
        retry.push(e);
      }
      return { retry, permanent: undefined };
    }
    for (let i = 0; i < batch.length; i++) {
      const e = batch[i]!;
      const r = results[i]!;
      if (r.ErrorCode) {
        this.metrics.recordErrors++;
        e.lastError = `${r.ErrorCode}${r.ErrorMessage ? `: ${r.ErrorMessage}` : ''}`;
        retry.push(e);
      } else {
        delivered(e);
      }
    }
    return { retry, permanent: undefined };
  }

  /** The whole call failed: every record is retried, unless the error is permanent. */
  private callFailed(batch: Entry<T>[], failure: CallFailure, capped: boolean): SendOutcome<T> {
    this.metrics.failedCalls++;
    if (failure.throttled) this.metrics.throttledCalls++;
    // A timeout forced by the deadline cap says less than the error before it: keep that one.
    for (const e of batch) if (!capped || e.lastError === undefined) e.lastError = failure.reason;
    return { retry: [...batch], permanent: failure.retryable ? undefined : failure.reason };
  }
}
