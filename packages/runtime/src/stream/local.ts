/**
 * Helpers for a local Kinesis endpoint (kinesalite, see `startKinesalite` in ./local-kinesis.ts):
 * an HTTP/1.1 client, stream creation, and reading every shard back. The AWS SDK is an optional
 * peer dependency: it is imported lazily.
 */
import type { KinesisClient } from '@aws-sdk/client-kinesis';

/** Options of {@link localKinesisClient}. */
export interface LocalClientOptions {
  /** SDK-level attempts per call (1 leaves every retry to the producer). @default 3 */
  maxAttempts?: number;
}

/**
 * A real `KinesisClient` for a local endpoint: HTTP/1.1 (`NodeHttpHandler`), dummy credentials,
 * region us-east-1.
 */
export async function localKinesisClient(endpoint: string, options: LocalClientOptions = {}): Promise<KinesisClient> {
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  const { KinesisClient } = await import('@aws-sdk/client-kinesis');
  const { NodeHttpHandler } = await import('@smithy/node-http-handler');
  return new KinesisClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    requestHandler: new NodeHttpHandler({ connectionTimeout: 2_000 }),
    maxAttempts: options.maxAttempts ?? 3,
  });
}

/** Creates a stream and waits until it is ACTIVE (at most `timeoutMs`, default 60 s). */
export async function createLocalStream(
  client: KinesisClient,
  streamName: string,
  shardCount = 1,
  timeoutMs = 60_000,
): Promise<void> {
  const { CreateStreamCommand, DescribeStreamSummaryCommand } = await import('@aws-sdk/client-kinesis');
  await client.send(new CreateStreamCommand({ StreamName: streamName, ShardCount: shardCount }));
  for (const end = Date.now() + timeoutMs; Date.now() < end;) {
    const d = await client.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
    if (d.StreamDescriptionSummary?.StreamStatus === 'ACTIVE') return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`stream ${streamName} did not become ACTIVE within ${timeoutMs / 1000} s`);
}

/** One record read back from a stream. */
export interface ReadRecord {
  shardId: string;
  sequenceNumber: string;
  partitionKey: string;
  data: Uint8Array;
}

/** Options of {@link readAllRecords}. */
export interface ReadAllOptions {
  /** Records per GetRecords call. @default 10000 */
  limit?: number;
  /** Called with each non-empty GetRecords response (a micro-batch), as it arrives. */
  onBatch?: (records: ReadRecord[]) => void;
}

/**
 * Reads every record of every shard from TRIM_HORIZON (GetShardIterator + GetRecords) until each
 * shard is caught up (an empty response with nothing behind the tip, or a closed shard). Records
 * are in shard order (sequence order per shard).
 */
export async function readAllRecords(
  client: KinesisClient,
  streamName: string,
  options: ReadAllOptions = {},
): Promise<ReadRecord[]> {
  const { ListShardsCommand, GetShardIteratorCommand, GetRecordsCommand } = await import('@aws-sdk/client-kinesis');
  const shards: string[] = [];
  let next: string | undefined;
  do {
    const page = await client.send(new ListShardsCommand(next ? { NextToken: next } : { StreamName: streamName }));
    for (const s of page.Shards ?? []) if (s.ShardId) shards.push(s.ShardId);
    next = page.NextToken;
  } while (next);
  const out: ReadRecord[] = [];
  for (const shardId of shards) {
    const it = await client.send(
      new GetShardIteratorCommand({ StreamName: streamName, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }),
    );
    let iterator = it.ShardIterator;
    while (iterator) {
      const page = await client.send(
        new GetRecordsCommand({ ShardIterator: iterator, Limit: options.limit ?? 10_000 }),
      );
      const batch = (page.Records ?? []).map((r) => ({
        shardId,
        sequenceNumber: r.SequenceNumber ?? '',
        partitionKey: r.PartitionKey ?? '',
        data: r.Data ?? new Uint8Array(),
      }));
      if (batch.length) {
        out.push(...batch);
        options.onBatch?.(batch);
      } else if (!page.MillisBehindLatest) {
        break; // caught up
      }
      iterator = page.NextShardIterator;
    }
  }
  return out;
}
