// Shared setup of the producer tests: a Kinesis peer on 127.0.0.1 (random port) — kinesalite, or
// moto in server mode (a second, independent implementation, from the project's .venv) — the real
// AWS SDK client over HTTP/1.1, an inline contract.
import { parseContract, type LoadedContract } from '@meshkit/contracts';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { motoSkip, startMotoServer } from '@meshkit/testing';
import { startKinesalite, type LocalKinesis } from '../src/stream/local-kinesis.js';
import { createLocalStream, localKinesisClient, readAllRecords } from '../src/stream/local.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

export const ORDERS_CONTRACT = `apiVersion: v3.1.0
kind: DataContract
id: shop-orders
name: Orders
version: 1.0.0
status: active
schema:
  - name: orders
    physicalType: table
    properties:
      - name: order_id
        logicalType: string
        required: true
        primaryKey: true
      - name: customer
        logicalType: string
        required: true
      - name: amount
        logicalType: number
        required: true
        logicalTypeOptions:
          minimum: 0
      - name: status
        logicalType: string
        quality:
          - metric: invalidValues
            arguments:
              validValues: [new, paid, shipped]
            mustBe: 0
      - name: note
        logicalType: string
`;

export interface Order {
  order_id: string;
  customer: string;
  amount: number;
  status?: string;
  note?: string;
  seq?: number;
}

export function ordersContract(): LoadedContract {
  const loaded = parseContract('orders.odcs.yaml', ORDERS_CONTRACT);
  if (!loaded.contract) throw new Error(JSON.stringify(loaded.diagnostics));
  return loaded;
}

export function order(i: number, extra: Partial<Order> = {}): Order {
  return { order_id: `o-${i}`, customer: `c-${i % 37}`, amount: (i % 1000) / 10, status: 'new', ...extra };
}

/** A Kinesis implementation the producer suites run against. */
export interface KinesisPeer {
  name: 'kinesalite' | 'moto';
  /** `skip` option of the peer's suite (moto missing outside CI), or false. */
  skip: string | false;
  start(): Promise<LocalKinesis>;
}

/** Every peer: kinesalite (npm) and moto_server (PyPI, pinned; skipped with a message when missing outside CI, fails in CI). */
export const KINESIS_PEERS: readonly KinesisPeer[] = [
  { name: 'kinesalite', skip: false, start: () => startKinesalite() },
  {
    name: 'moto',
    skip: motoSkip(),
    async start() {
      // One request at a time: moto's Kinesis loses acknowledged records under concurrent PutRecords
      // (@meshkit/testing's startMotoServer); the producer still keeps several batches in flight.
      const moto = await startMotoServer({ serializeRequests: true });
      return { endpoint: moto.url, port: moto.port, close: () => moto.close() };
    },
  },
];

export interface Local {
  kinesis: LocalKinesis;
  /** A client straight to the peer. */
  client: KinesisClient;
  /** Creates a fresh stream with a unique name. */
  stream(shards?: number): Promise<string>;
  /** Every record of a stream, decoded from JSON. */
  readBack<T = Order>(streamName: string): Promise<Array<{ record: T; partitionKey: string; shardId: string }>>;
  close(): Promise<void>;
}

let counter = 0;

/** Starts a peer (kinesalite by default) and a client to it. */
export async function startLocal(peer: KinesisPeer = KINESIS_PEERS[0]!): Promise<Local> {
  const kinesis = await peer.start();
  const client = await localKinesisClient(kinesis.endpoint);
  return {
    kinesis,
    client,
    async stream(shards = 2) {
      const name = `test-${process.pid}-${++counter}`;
      await createLocalStream(client, name, shards);
      return name;
    },
    async readBack<T>(streamName: string) {
      const recs = await readAllRecords(client, streamName);
      return recs.map((r) => ({
        record: JSON.parse(Buffer.from(r.data).toString('utf8')) as T,
        partitionKey: r.partitionKey,
        shardId: r.shardId,
      }));
    },
    async close() {
      client.destroy();
      await kinesis.close();
    },
  };
}

/** Wraps `client.send` to record the PutRecords calls (records and bytes per call). */
export function spyPutRecords(client: KinesisClient): Array<{ records: number; bytes: number }> {
  const calls: Array<{ records: number; bytes: number }> = [];
  const orig = client.send.bind(client) as (c: unknown, o?: unknown) => Promise<unknown>;
  (client as unknown as { send: unknown }).send = (
    cmd: { constructor: { name: string }; input: { Records?: Array<{ Data: Uint8Array; PartitionKey: string }> } },
    opts?: unknown,
  ) => {
    if (cmd.constructor.name === 'PutRecordsCommand' && cmd.input.Records) {
      let bytes = 0;
      for (const r of cmd.input.Records) bytes += r.Data.length + Buffer.byteLength(r.PartitionKey);
      calls.push({ records: cmd.input.Records.length, bytes });
    }
    return orig(cmd, opts);
  };
  return calls;
}

/** Resolves once `cond()` holds, checking on every turn of the event loop (no timing assumptions). */
export async function until(cond: () => boolean, what: string, maxTurns = 200_000): Promise<void> {
  for (let i = 0; i < maxTurns; i++) {
    if (cond()) return;
    await new Promise((r) => setImmediate(r));
  }
  throw new Error(`condition never held: ${what}`);
}
