import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import {
  findRepoRoot,
  loadProductManifest,
  MeshError,
  writeFileAtomic,
  type ProductManifest,
  writeFileDurable,
  PRODUCT_MANIFEST_FILE,
} from '@meshkit/contracts';
import { findFixture, FIXTURE_INPUT, INPUT_EXTENSIONS } from '../product.js';
import type { RunReport } from '../report.js';
import { runError, runProductWith, type RunProductOptions } from '../run-product.js';
import { createLocalStream, readAllRecords } from './local.js';
import { startKinesalite, type LocalKinesis } from './local-kinesis.js';
import { formatOf, readReplay, toLine, type ReplayRecord } from './replay.js';

/** Options of {@link runProductStream}: those of `runProduct` plus the stream's. */
export interface RunStreamOptions extends Omit<RunProductOptions, 'beforePublish'> {
  /**
   * A Kinesis(-compatible) endpoint, e.g. `http://127.0.0.1:4567`.
   * @default a kinesalite started on 127.0.0.1 (random free port) for the run, stopped after it
   */
  endpoint?: string;
  /** AWS region given to the client. @default `us-east-1` */
  region?: string;
  /** Shards of the stream. @default product.yaml `ingestion.shards`, else 1 */
  shards?: number;
  /** Most records read per GetRecords call, i.e. per micro-batch. @default 10000 (the Kinesis maximum) */
  microBatchRecords?: number;
  /**
   * Fault injection for tests and demos: fixture records (0-based, in replay order) for which
   * this returns true are sent twice, as a producer retry after a lost acknowledgement would.
   * @default none
   */
  resend?: (index: number) => boolean;
  /** Keep the stream after the run (it is deleted by default). @default false */
  keepStream?: boolean;
}

/** What the stream path did. */
export interface StreamStats {
  /** The stream created for the run (`mesh-<domain>-<product>-<8 hex>`). */
  streamName: string;
  /** The endpoint used; `local` is true when kinesalite was started for the run. */
  endpoint: string;
  local: boolean;
  shards: number;
  /** Fixture records replayed (malformed lines included: they travel like any record). */
  fixtureRecords: number;
  /** Records put on the stream (fixture records plus re-sends). */
  recordsSent: number;
  /** Records read back from every shard. */
  recordsReceived: number;
  /** Records dropped as repeats of a record already received (at-least-once delivery). */
  duplicatesRemoved: number;
  /** Non-empty GetRecords responses consumed. */
  microBatches: number;
}

/** A stream run's report: the run report of the union of the micro-batches plus {@link StreamStats}. */
export interface StreamRunReport extends RunReport {
  stream: StreamStats;
}

/** The replay envelope: a Kinesis record's partition key is `<replay id>` (see {@link runProductStream}). */
const KEY_PREFIX = 'r';

/**
 * Runs a stream product end to end on a real Kinesis API (kinesalite on 127.0.0.1 unless
 * `endpoint` is given):
 *
 * 1. creates a fresh stream `mesh-<domain>-<product>-<8 hex>` with `ingestion.shards` shards and
 *    waits until it is ACTIVE;
 * 2. replays the product's raw fixture (the batch run's input) through {@link createProducer}:
 *    JSON lines travel as the JSON objects they hold; a line that is not a JSON object (malformed)
 *    travels as a JSON string of its text, so it reaches the pipeline and is quarantined exactly
 *    as in a batch run; CSV and Parquet rows are read with DuckDB and sent as JSON objects. The
 *    producer does not validate: fixture rows are the product's *input*, the contract describes
 *    its *output* (rows the contract rejects must reach the quarantine, as in batch);
 * 3. reads every shard from TRIM_HORIZON until caught up; each non-empty GetRecords response is a
 *    micro-batch, spooled as JSON lines;
 * 4. removes repeats (at-least-once delivery): a record is identified by its partition key (the
 *    replay assigns each fixture record its own) and payload, so retries of one record collapse
 *    while distinct fixture records — even ones sharing a primary key — stay, and the unique
 *    rule sees exactly what a batch run sees;
 * 5. runs the union of the micro-batches once through {@link runProduct}: the curated output and
 *    quarantine equal a batch run of the same fixture, and dataset rules are evaluated over the
 *    whole run, not per micro-batch.
 *
 * `run-report.json` gets the {@link StreamStats} as `stream` and the replayed fixture as input.
 *
 * @throws MeshError exit 2 when the endpoint cannot be reached or the fixture is missing; exit 1
 * when records could not be delivered; every error of {@link runProduct}.
 */
export async function runProductStream(options: RunStreamOptions): Promise<StreamRunReport> {
  const target = resolveStreamTarget(options);
  const { manifest, progress } = target;
  const records = await readReplay(target.fixture);

  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const session: StreamSession = {
    sdk: await loadSdk(),
    spool: mkdtempSync(join(tmpdir(), 'meshkit-stream-')),
    streamName: `mesh-${manifest.domain}-${manifest.name}-${randomUUID().slice(0, 8)}`.slice(0, 128),
    created: false,
  };
  try {
    const { client, endpoint } = await connect(session, options, progress);
    await createStream(session, client, endpoint, target.shards, progress);

    progress(`replaying ${records.length} record(s) of ${basename(target.fixture)}`);
    const sent = await replay(client, session.streamName, endpoint, records, options.resend);

    progress('consuming every shard');
    const consumed = await consumeAll(client, session.streamName, options.microBatchRecords ?? 10_000, session.spool);
    const { lines, duplicates } = removeRepeats(consumed.records);
    const input = join(session.spool, 'stream.jsonl');
    writeFileDurable(input, lines.length ? lines.join('\n') + '\n' : '');

    const stats: StreamStats = {
      streamName: session.streamName,
      endpoint,
      local: session.local !== undefined,
      shards: target.shards,
      fixtureRecords: records.length,
      recordsSent: sent,
      recordsReceived: consumed.records.length,
      duplicatesRemoved: duplicates,
      microBatches: consumed.microBatches,
    };
    return await runUnion(options, target, input, stats);
  } finally {
    await closeSession(session, options.keepStream ?? false);
  }
}

/** The product, its manifest and fixture, and the run's shards, checked. */
interface StreamTarget {
  productDir: string;
  root: string;
  manifest: ProductManifest;
  progress: (message: string) => void;
  shards: number;
  /** The fixture replayed (absolute). */
  fixture: string;
}

function resolveStreamTarget(options: RunStreamOptions): StreamTarget {
  const productDir = resolve(options.productDir);
  const root = resolve(options.root ?? findRepoRoot(productDir) ?? productDir);
  const manifest: ProductManifest =
    options.manifest ?? loadProductManifest(join(productDir, PRODUCT_MANIFEST_FILE)).value;
  const progress = options.onProgress ?? (() => undefined);
  const shards = options.shards ?? manifest.ingestion.shards ?? 1;
  if (!Number.isInteger(shards) || shards < 1)
    throw new MeshError('USAGE', `shards must be a positive integer (got ${shards})`);
  const fixture = resolve(
    options.input ?? findFixture(productDir, FIXTURE_INPUT) ?? join(productDir, 'fixtures', `${FIXTURE_INPUT}.jsonl`),
  );
  if (!existsSync(fixture)) {
    throw runError(
      'INPUT_NOT_FOUND',
      `input not found: ${fixture}${options.input === undefined ? ` (looked for fixtures/${FIXTURE_INPUT}{${INPUT_EXTENSIONS.join(',')}})` : ''}`,
      { file: fixture, exitCode: 2 },
    );
  }
  return { productDir, root, manifest, progress, shards, fixture };
}

/** What a stream run holds and must release: a kinesalite it started, the client, the stream, the spool. */
interface StreamSession {
  sdk: Sdk;
  spool: string;
  streamName: string;
  local?: LocalKinesis;
  client?: KinesisClient;
  /** The stream may exist (deleting one that was never created is ignored). */
  created: boolean;
}

type KinesisClient = InstanceType<Sdk['KinesisClient']>;

/** The client of the endpoint given, else of a kinesalite started for the run. */
async function connect(
  session: StreamSession,
  options: RunStreamOptions,
  progress: (message: string) => void,
): Promise<{ client: KinesisClient; endpoint: string }> {
  if (options.endpoint === undefined) {
    progress('starting kinesalite on 127.0.0.1');
    session.local = await startKinesalite();
  }
  const endpoint = options.endpoint ?? session.local!.endpoint;
  session.client = new session.sdk.KinesisClient({
    endpoint,
    region: options.region ?? 'us-east-1',
    requestHandler: new session.sdk.NodeHttpHandler(),
    // kinesalite (any loopback endpoint) accepts any credentials when none are configured;
    // other endpoints use the SDK's default chain.
    ...(session.local || (isLoopback(endpoint) && !process.env.AWS_ACCESS_KEY_ID && !process.env.AWS_PROFILE)
      ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
    maxAttempts: 3,
  });
  return { client: session.client, endpoint };
}

/** Creates the run's stream and waits until it is ACTIVE; a failure to reach the endpoint is a usage error. */
async function createStream(
  session: StreamSession,
  client: KinesisClient,
  endpoint: string,
  shards: number,
  progress: (message: string) => void,
): Promise<void> {
  progress(`creating stream ${session.streamName} (${shards} shard(s))`);
  try {
    session.created = true; // deleting a stream that was never created is ignored on close
    await createLocalStream(client, session.streamName, shards);
  } catch (e) {
    if (e instanceof MeshError) throw e;
    throw new MeshError(
      'INPUT_UNREADABLE',
      `cannot use the Kinesis endpoint ${endpoint}: ${e instanceof Error ? e.message : String(e)}`,
      { exitCode: 2, cause: e },
    );
  }
}

/**
 * Puts the fixture records on the stream through the producer, each under its own partition key
 * (`r<index>`), twice for those `resend` picks; the number of records sent.
 *
 * @throws MeshError exit 1 when records could not be delivered.
 */
async function replay(
  client: KinesisClient,
  streamName: string,
  endpoint: string,
  records: ReplayRecord[],
  resend: RunStreamOptions['resend'],
): Promise<number> {
  const { createProducer } = await import('./producer.js');
  const keys = new WeakMap<object, string>();
  const producer = createProducer<object>({
    streamName,
    client,
    partitionKey: (record) => keys.get(record) ?? 'unkeyed',
  });
  let sent = 0;
  for (let i = 0; i < records.length; i++) {
    const times = resend?.(i) ? 2 : 1;
    for (let k = 0; k < times; k++) {
      // A fresh envelope per send: the key identifies the fixture record, not the send.
      const r = records[i]!;
      const env: object = typeof r === 'string' ? new String(r) : { ...r };
      keys.set(env, `${KEY_PREFIX}${i}`);
      await producer.send(env);
      sent++;
    }
  }
  const closed = await producer.close();
  const undelivered = closed.undelivered.length;
  if (undelivered > 0) {
    throw runError(
      'INPUT_UNREADABLE',
      `${undelivered} of ${sent} record(s) could not be put on stream ${streamName} at ${endpoint}: the stream run would miss them (see the endpoint's health and retry)`,
      { exitCode: 1 },
    );
  }
  return sent;
}

/**
 * Drops repeats (at-least-once delivery): a record is its partition key and payload, so retries of
 * one record collapse while distinct fixture records stay. The JSON lines of the rest, in order.
 */
function removeRepeats(records: Received[]): { lines: string[]; duplicates: number } {
  const seen = new Set<string>();
  const lines: string[] = [];
  let duplicates = 0;
  for (const rec of records) {
    const id = createHash('sha256').update(rec.key).update('\0').update(rec.data).digest('base64');
    if (seen.has(id)) {
      duplicates++;
      continue;
    }
    seen.add(id);
    lines.push(toLine(rec.data));
  }
  return { lines, duplicates };
}

/** Runs the union of the micro-batches once, and publishes the report with the stream stats. */
async function runUnion(
  options: RunStreamOptions,
  target: StreamTarget,
  input: string,
  stats: StreamStats,
): Promise<StreamRunReport> {
  const {
    endpoint: _e,
    region: _r,
    shards: _s,
    microBatchRecords: _m,
    resend: _x,
    keepStream: _k,
    ...runOptions
  } = options;
  const { root, productDir, manifest } = target;
  // A replay of the product's own fixture keeps the fixtures' pinned clock (fixtures.now).
  const report = await runProductWith(
    { ...runOptions, root, productDir, manifest, input },
    { fixtureRun: options.input === undefined },
  );
  const extended: StreamRunReport = {
    ...report,
    input: { ...report.input, path: target.fixture, format: formatOf(target.fixture) },
    stream: stats,
  };
  // The published run-report.json gets the stream stats (atomically replaced).
  writeFileAtomic(report.paths.report, JSON.stringify(extended, null, 2) + '\n');
  return extended;
}

/** Deletes the stream (unless kept), releases the client, stops kinesalite, removes the spool. */
async function closeSession(session: StreamSession, keepStream: boolean): Promise<void> {
  const { client, sdk } = session;
  if (client && session.created && !keepStream) {
    await client.send(new sdk.DeleteStreamCommand({ StreamName: session.streamName })).catch(() => undefined);
  }
  client?.destroy();
  await session.local?.close();
  rmSync(session.spool, { recursive: true, force: true });
}

/** A consumed record: partition key and payload. */
interface Received {
  key: string;
  data: Uint8Array;
}

type Sdk = Awaited<ReturnType<typeof loadSdk>>;

async function loadSdk() {
  try {
    const [k, h] = await Promise.all([import('@aws-sdk/client-kinesis'), import('@smithy/node-http-handler')]);
    return {
      KinesisClient: k.KinesisClient,
      DeleteStreamCommand: k.DeleteStreamCommand,
      NodeHttpHandler: h.NodeHttpHandler,
    };
  } catch (e) {
    throw new MeshError(
      'USAGE',
      'the stream path needs @aws-sdk/client-kinesis and @smithy/node-http-handler: install them next to @meshkit/runtime',
      { exitCode: 2, cause: e },
    );
  }
}

/**
 * Reads every shard from TRIM_HORIZON until caught up (an empty response with nothing behind
 * the tip, or a closed shard). Each non-empty response is a micro-batch, spooled to
 * `<spool>/batch-<n>.jsonl` as it arrives.
 */
async function consumeAll(
  client: KinesisClient,
  streamName: string,
  limit: number,
  spool: string,
): Promise<{ records: Received[]; microBatches: number }> {
  let microBatches = 0;
  const all = await readAllRecords(client, streamName, {
    limit,
    onBatch: (batch) => {
      microBatches++;
      writeFileDurable(
        join(spool, `batch-${String(microBatches).padStart(5, '0')}.jsonl`),
        batch.map((b) => toLine(b.data)).join('\n') + '\n',
      );
    },
  });
  return { records: all.map((r) => ({ key: r.partitionKey, data: r.data })), microBatches };
}

function isLoopback(endpoint: string): boolean {
  try {
    const h = new URL(endpoint).hostname;
    return h === 'localhost' || h === '[::1]' || h === '::1' || /^127\./.test(h);
  } catch {
    return false;
  }
}

/** The stream lines of a stream run's one-screen summary (after the run summary). */
export function formatStreamSummary(s: StreamStats): string {
  return `  stream    ${s.streamName} on ${s.local ? 'kinesalite ' : ''}${s.endpoint}, ${s.shards} shard(s): ${s.recordsSent} record(s) sent, ${s.recordsReceived} received in ${s.microBatches} micro-batch(es), ${s.duplicatesRemoved} duplicate(s) removed\n`;
}
