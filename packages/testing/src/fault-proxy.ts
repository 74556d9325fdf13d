/**
 * A fault-injection HTTP proxy for Kinesis (kinesalite or any JSON-1.1 Kinesis endpoint) on
 * 127.0.0.1. It passes every call through and, for PutRecords, at seeded random rates:
 *
 * - turns the response into a PARTIAL FAILURE: some records get `ErrorCode`
 *   ProvisionedThroughputExceededException (or InternalFailure) and `FailedRecordCount` is set.
 *   Per call it either does not forward those records (the usual case) or forwards them and still
 *   reports them failed (a lost acknowledgement: the retry makes a duplicate) — both happen on AWS;
 * - answers a THROTTLING error without forwarding: HTTP 400
 *   `{"__type":"ProvisionedThroughputExceededException"}` or `LimitExceededException`;
 * - DROPS the connection (destroys the socket), either before forwarding or after the upstream
 *   wrote the records (the client never sees the acknowledgement);
 * - STALLS (holds requests unanswered) while `stall` is on — to test backpressure and deadlines.
 *
 * Deterministic for a given seed and call order.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { requestBuffered, type BufferedResponse } from './http-request.js';
import { seededRandom } from './seeded-random.js';

/** Fault rates (probabilities in [0, 1]) and switches. */
export interface FaultRates {
  /** Probability that a PutRecords call comes back as a partial failure. @default 0 */
  partialFailureRate?: number;
  /** Within a partial failure, probability that each record fails (at least one always fails). @default 0.3 */
  recordFailureRate?: number;
  /** Probability that the failed records of a partial failure were forwarded anyway (ack lost). @default 0.5 */
  forwardFailedRate?: number;
  /** Probability that a failed record's ErrorCode is InternalFailure instead of ProvisionedThroughputExceededException. @default 0.2 */
  internalFailureRate?: number;
  /** Probability that a PutRecords call is answered with a throttling error (not forwarded). @default 0 */
  throttleRate?: number;
  /** Probability that a PutRecords call's connection is destroyed. @default 0 */
  dropRate?: number;
  /** Probability that a dropped call was forwarded first (records written, response lost). @default 0.5 */
  dropAfterForwardRate?: number;
  /** Hold every request (all operations) unanswered until switched off. @default false */
  stall?: boolean;
}

/** Options of {@link startFaultProxy}. */
export interface FaultProxyOptions extends FaultRates {
  /** Upstream endpoint, e.g. `http://127.0.0.1:4567`. */
  target: string;
  /** Seed of the fault decisions. @default 1 */
  seed?: number;
  /** Port to listen on (127.0.0.1). @default 0 (a free port) */
  port?: number;
}

/** What the proxy did. */
export interface FaultStats {
  /** PutRecords calls received. */
  putRecordsCalls: number;
  /** Records in those calls. */
  recordsReceived: number;
  /** Records forwarded upstream (written unless upstream failed). */
  recordsForwarded: number;
  /** Calls turned into partial failures. */
  partialFailures: number;
  /** Records reported failed in partial failures. */
  recordsFailed: number;
  /** Of those, records forwarded anyway (will be duplicated by a retry). */
  recordsFailedButWritten: number;
  /** Calls answered with a throttling error. */
  throttled: number;
  /** Connections destroyed before forwarding. */
  droppedBeforeForward: number;
  /** Connections destroyed after the records were written upstream. */
  droppedAfterForward: number;
  /** Records written upstream whose acknowledgement was lost by a drop. */
  recordsWrittenButDropped: number;
  /** Requests held while stalled (all operations). */
  stalledRequests: number;
}

/** A running fault proxy. */
export interface FaultProxy {
  /** `http://127.0.0.1:<port>` — the endpoint to give the Kinesis client. */
  url: string;
  port: number;
  /** Live counters. */
  stats: FaultStats;
  /** Changes rates at run time (e.g. `{ stall: false }` releases held requests). */
  setFaults(rates: FaultRates): void;
  /** Stops listening and destroys open connections (held requests included). */
  close(): Promise<void>;
}

interface PutRecordsBody {
  StreamName?: string;
  StreamARN?: string;
  Records: unknown[];
}
interface PutRecordsResult {
  FailedRecordCount?: number;
  Records?: Array<Record<string, unknown>>;
  EncryptionType?: string;
}

const DEFAULT_RATES: Required<FaultRates> = {
  partialFailureRate: 0,
  recordFailureRate: 0.3,
  forwardFailedRate: 0.5,
  internalFailureRate: 0.2,
  throttleRate: 0,
  dropRate: 0,
  dropAfterForwardRate: 0.5,
  stall: false,
};

/** What happens to one PutRecords call (drawn up front, in a fixed order of random draws). */
type CallFault = 'throttle' | 'drop-before' | 'drop-after' | 'partial' | 'none';

/** The failed records of a partial failure. */
interface PartialFailure {
  /** ErrorCode per record (`undefined`: not failed). */
  codes: Array<string | undefined>;
  /** The failed records were forwarded anyway (lost acknowledgements). */
  forwardFailed: boolean;
}

/** Starts a fault proxy in front of `options.target`. */
export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const proxy = new FaultProxyServer(new URL(options.target), seededRandom(options.seed ?? 1));
  proxy.setFaults(options);
  const port = await proxy.listen(options.port ?? 0);
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    stats: proxy.stats,
    setFaults: (rates) => proxy.setFaults(rates),
    close: () => proxy.close(),
  };
}

/** The proxy: an HTTP server on 127.0.0.1 that forwards to the target, injecting faults into PutRecords. */
class FaultProxyServer {
  readonly stats: FaultStats = {
    putRecordsCalls: 0,
    recordsReceived: 0,
    recordsForwarded: 0,
    partialFailures: 0,
    recordsFailed: 0,
    recordsFailedButWritten: 0,
    throttled: 0,
    droppedBeforeForward: 0,
    droppedAfterForward: 0,
    recordsWrittenButDropped: 0,
    stalledRequests: 0,
  };
  private readonly rates: Required<FaultRates> = { ...DEFAULT_RATES };
  /** Requests held while stalled. */
  private readonly stalled: Array<() => void> = [];
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  private readonly sockets = new Set<Socket>();
  private readonly server: http.Server;

  constructor(
    private readonly target: URL,
    private readonly rnd: () => number,
  ) {
    this.server = http.createServer((req, res) => this.receive(req, res));
    this.server.keepAliveTimeout = 60_000;
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
  }

  /** Listens on 127.0.0.1; the port. */
  async listen(port: number): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => resolve());
    });
    return (this.server.address() as AddressInfo).port;
  }

  setFaults(rates: FaultRates): void {
    for (const [k, v] of Object.entries(rates)) if (v !== undefined) (this.rates as Record<string, unknown>)[k] = v;
    if (!this.rates.stall) {
      const held = this.stalled.splice(0);
      for (const h of held) h();
    }
  }

  close(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.stalled.length = 0;
      for (const s of this.sockets) s.destroy();
      this.agent.destroy();
      this.server.close(() => resolve());
    });
  }

  /** Reads a request, then handles it now or holds it while stalled. */
  private receive(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const go = (): void => {
        this.handle(req, res, Buffer.concat(chunks)).catch((err: unknown) => {
          if (!res.headersSent)
            this.jsonReply(res, 500, { __type: 'InternalFailure', message: `fault proxy: ${(err as Error).message}` });
          else res.destroy();
        });
      };
      if (this.rates.stall) {
        this.stats.stalledRequests++;
        this.stalled.push(go);
      } else go();
    });
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer): Promise<void> {
    const op = String(req.headers['x-amz-target'] ?? '');
    if (!op.endsWith('.PutRecords')) {
      const up = await this.forward(req, body);
      reply(res, up.status, up.headers, up.body);
      return;
    }
    const parsed = JSON.parse(body.toString('utf8')) as PutRecordsBody;
    const n = Array.isArray(parsed.Records) ? parsed.Records.length : 0;
    this.stats.putRecordsCalls++;
    this.stats.recordsReceived += n;
    switch (this.drawCallFault(n)) {
      case 'throttle':
        return this.throttle(res, parsed);
      case 'drop-before':
        this.stats.droppedBeforeForward++;
        req.socket.destroy();
        return;
      case 'drop-after':
        await this.forward(req, body);
        this.stats.droppedAfterForward++;
        this.stats.recordsForwarded += n;
        this.stats.recordsWrittenButDropped += n;
        req.socket.destroy();
        return;
      case 'partial':
        return this.partialFailure(req, res, parsed, this.drawPartialFailure(n));
      case 'none': {
        const up = await this.forward(req, body);
        if (up.status === 200) this.stats.recordsForwarded += n;
        reply(res, up.status, up.headers, up.body);
        return;
      }
    }
  }

  /** Decides the call's fault up front (the order of random draws is part of the seed's meaning). */
  private drawCallFault(n: number): CallFault {
    const { rnd, rates } = this;
    const throttle = rnd() < rates.throttleRate;
    const drop = !throttle && rnd() < rates.dropRate;
    const dropAfter = drop && rnd() < rates.dropAfterForwardRate;
    const partial = !throttle && !drop && n > 0 && rnd() < rates.partialFailureRate;
    if (throttle) return 'throttle';
    if (drop) return dropAfter ? 'drop-after' : 'drop-before';
    return partial ? 'partial' : 'none';
  }

  /** Answers a throttling error without forwarding. */
  private throttle(res: http.ServerResponse, parsed: PutRecordsBody): void {
    this.stats.throttled++;
    const type = this.rnd() < 0.5 ? 'ProvisionedThroughputExceededException' : 'LimitExceededException';
    this.jsonReply(
      res,
      400,
      {
        __type: type,
        message:
          type === 'LimitExceededException'
            ? 'Rate exceeded for stream.'
            : `Rate exceeded for shard in stream ${parsed.StreamName ?? ''}.`,
      },
      { 'x-amzn-errortype': `${type}:` },
    );
  }

  /** Which records of a partial failure fail (at least one), whether they are forwarded anyway, and their codes. */
  private drawPartialFailure(n: number): PartialFailure {
    const { rnd, rates } = this;
    const failed: boolean[] = [];
    let failedCount = 0;
    for (let i = 0; i < n; i++) {
      const f = rnd() < rates.recordFailureRate;
      failed.push(f);
      if (f) failedCount++;
    }
    if (failedCount === 0) failed[Math.floor(rnd() * n)] = true; // at least one record fails
    const forwardFailed = rnd() < rates.forwardFailedRate;
    const codes = failed.map((f) =>
      f
        ? rnd() < rates.internalFailureRate
          ? 'InternalFailure'
          : 'ProvisionedThroughputExceededException'
        : undefined,
    );
    return { codes, forwardFailed };
  }

  /**
   * Forwards the records that do not fail (all of them when `forwardFailed`) and answers with the
   * upstream results of those merged with the injected errors, in the call's record order.
   */
  private async partialFailure(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    parsed: PutRecordsBody,
    { codes, forwardFailed }: PartialFailure,
  ): Promise<void> {
    this.stats.partialFailures++;
    const sendIdx: number[] = [];
    codes.forEach((code, i) => {
      if (forwardFailed || code === undefined) sendIdx.push(i);
    });
    const bySource = new Map<number, Record<string, unknown>>();
    if (sendIdx.length > 0) {
      const sub = Buffer.from(JSON.stringify({ ...parsed, Records: sendIdx.map((i) => parsed.Records[i]) }));
      const upstream = await this.forward(req, sub);
      if (upstream.status !== 200) {
        reply(res, upstream.status, upstream.headers, upstream.body);
        return;
      }
      const upResults = (JSON.parse(upstream.body.toString('utf8')) as PutRecordsResult).Records ?? [];
      this.stats.recordsForwarded += sendIdx.length;
      sendIdx.forEach((src, j) => {
        const r = upResults[j];
        if (r) bySource.set(src, r);
      });
    }
    let reportedFailed = 0;
    const records = codes.map((code, i) => {
      if (code !== undefined) {
        reportedFailed++;
        this.stats.recordsFailed++;
        if (forwardFailed) this.stats.recordsFailedButWritten++;
        return { ErrorCode: code, ErrorMessage: ERROR_MESSAGES[code] };
      }
      const r = bySource.get(i);
      if (r?.['ErrorCode']) reportedFailed++;
      return r ?? { ErrorCode: 'InternalFailure', ErrorMessage: 'missing upstream result' };
    });
    this.jsonReply(res, 200, { FailedRecordCount: reportedFailed, Records: records });
  }

  /** Sends the call (or `body` in its place) to the target. */
  private forward(req: http.IncomingMessage, body: Buffer): Promise<BufferedResponse> {
    const { target, agent } = this;
    const headers = { ...req.headers, host: target.host };
    return requestBuffered(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers, agent },
      body,
    );
  }

  /** Answers with a Kinesis JSON body of the proxy's own. */
  private jsonReply(
    res: http.ServerResponse,
    status: number,
    value: unknown,
    extra: http.OutgoingHttpHeaders = {},
  ): void {
    const body = Buffer.from(JSON.stringify(value));
    res.writeHead(status, {
      'content-type': 'application/x-amz-json-1.1',
      'content-length': body.length,
      'x-amzn-requestid': `fault-${this.stats.putRecordsCalls}`,
      ...extra,
    });
    res.end(body);
  }
}

/** The ErrorMessage Kinesis gives with each injected ErrorCode. */
const ERROR_MESSAGES: Record<string, string> = {
  InternalFailure: 'Internal service failure.',
  ProvisionedThroughputExceededException: 'Rate exceeded for shard shardId-000000000000 in stream.',
};

/** Relays an upstream answer (its length recomputed, hop-by-hop headers and the CRC dropped). */
function reply(res: http.ServerResponse, status: number, headers: http.IncomingHttpHeaders, body: Buffer): void {
  const out: http.OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(headers)) {
    if (
      v === undefined ||
      k === 'content-length' ||
      k === 'transfer-encoding' ||
      k === 'connection' ||
      k === 'x-amz-crc32'
    )
      continue;
    out[k] = v;
  }
  out['content-length'] = body.length;
  res.writeHead(status, out);
  res.end(body);
}
