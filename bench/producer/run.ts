/**
 * Producer benchmark: N records (default 100,000) to kinesalite through `createProducer`, once
 * WITH contract validation (toJsonSchema + Ajv, precompiled at creation) and once WITHOUT, the same
 * batching (500 records / 5 MiB, linger 50 ms, 4 calls in flight, 10,000-record buffer), in the
 * same run, alternating which goes first. kinesalite (in memory) runs in a child process so it
 * does not share the producer's event loop. Medians of R rounds; prints records/s and the
 * validation overhead (goal ≤ 10 %), plus the cost of validation alone (µs/record).
 *
 *   npm run bench:producer               # 100,000 records, 3 rounds
 *   npm run bench:producer -- 20000 5    # records, rounds
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseContract } from '@meshkit/contracts';
import {
  compileRecordValidator,
  createLocalStream,
  createProducer,
  localKinesisClient,
  type RecordValidator,
} from '@meshkit/runtime';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const N = Number(process.argv[2] ?? 100_000);
const rounds = Number(process.argv[3] ?? 3);

const CONTRACT = `apiVersion: v3.1.0
kind: DataContract
id: bench-clicks
name: Clicks
version: 1.0.0
status: active
schema:
  - name: clicks
    physicalType: table
    properties:
      - { name: event_id, logicalType: string, required: true, primaryKey: true, logicalTypeOptions: { pattern: '^ev-[0-9]+$' } }
      - { name: session_id, logicalType: string, required: true, logicalTypeOptions: { minLength: 8, maxLength: 64 } }
      - name: event_type
        logicalType: string
        required: true
        quality: [{ metric: invalidValues, arguments: { validValues: [page_view, click, add_to_cart, purchase] }, mustBe: 0 }]
      - { name: occurred_at, logicalType: timestamp, required: true }
      - { name: event_date, logicalType: date, required: true }
      - { name: user_id, logicalType: integer, logicalTypeOptions: { minimum: 1 } }
      - { name: price, logicalType: number, logicalTypeOptions: { minimum: 0, maximum: 100000 } }
      - { name: quantity, logicalType: integer, logicalTypeOptions: { minimum: 0, maximum: 1000 } }
      - { name: country, logicalType: string, logicalTypeOptions: { minLength: 2, maxLength: 2 } }
      - { name: url, logicalType: string, logicalTypeOptions: { maxLength: 2048 } }
      - { name: referrer, logicalType: string }
      - { name: user_agent, logicalType: string }
      - { name: consent, logicalType: boolean }
      - { name: tags, logicalType: array, items: { logicalType: string } }
`;

const types = ['page_view', 'click', 'add_to_cart', 'purchase'];
const records = Array.from({ length: N }, (_, i) => ({
  event_id: `ev-${i}`,
  session_id: `session-${(i * 7919) % 50_000}`,
  event_type: types[i % 4],
  occurred_at: new Date(Date.UTC(2026, 10, 1) + i * 1000).toISOString(),
  event_date: '2026-11-01',
  user_id: 1 + (i % 9_999),
  price: (i % 10_000) / 100,
  quantity: i % 5,
  country: ['DE', 'FR', 'US', 'GB'][i % 4],
  url: `https://shop.example.com/p/${i % 5_000}?ref=home`,
  referrer: 'https://www.example.org/',
  user_agent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
  consent: i % 3 === 0,
  tags: ['a', 'b'],
}));

function startKinesaliteChild(): Promise<{ child: ChildProcess; endpoint: string }> {
  const cwd = fileURLToPath(new URL('../../packages/runtime', import.meta.url));
  const child = spawn(
    process.execPath,
    [
      '-e',
      `
    const k = require('kinesalite')({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit: 1000 });
    k.listen(0, '127.0.0.1', () => console.log(k.address().port));`,
    ],
    { cwd, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    createInterface({ input: child.stdout! }).once('line', (port) =>
      resolve({ child, endpoint: `http://127.0.0.1:${port.trim()}` }),
    );
  });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

const { child, endpoint } = await startKinesaliteChild();
try {
  const client = await localKinesisClient(endpoint);
  const loaded = parseContract('clicks.odcs.yaml', CONTRACT);
  if (!loaded.contract) throw new Error('bench contract invalid');
  // Validation alone, for reference.
  const validator: RecordValidator = compileRecordValidator(loaded);
  for (const r of records) if (validator(r) !== undefined) throw new Error(`bench record invalid: ${validator(r)}`);
  const v0 = performance.now();
  for (const r of records) validator(r);
  const validateOnlyMs = performance.now() - v0;

  let streamNo = 0;
  async function once(validate: boolean): Promise<number> {
    const stream = `bench-${process.pid}-${++streamNo}`;
    await createLocalStream(client, stream, 4);
    const t0 = performance.now();
    const producer = createProducer<(typeof records)[number]>({
      ...(validate ? { contract: loaded } : {}),
      streamName: stream,
      client,
      partitionKey: (r) => r.session_id,
    });
    for (const r of records) await producer.send(r);
    const report = await producer.close();
    const ms = performance.now() - t0;
    if (report.delivered !== N)
      throw new Error(`delivered ${report.delivered} of ${N}: ${JSON.stringify(report.undelivered.slice(0, 3))}`);
    return ms;
  }

  await once(true); // warm-up (JIT, sockets), not counted
  const withV: number[] = [];
  const withoutV: number[] = [];
  for (let r = 0; r < rounds; r++) {
    if (r % 2 === 0) {
      withV.push(await once(true));
      withoutV.push(await once(false));
    } else {
      withoutV.push(await once(false));
      withV.push(await once(true));
    }
  }
  client.destroy();
  const mv = median(withV);
  const mn = median(withoutV);
  const rate = (ms: number) => Math.round(N / (ms / 1000)).toLocaleString('en-US');
  console.log(
    `producer → kinesalite (child process, 4 shards), ${N.toLocaleString('en-US')} records × ${rounds} rounds, medians`,
  );
  console.log(
    `  with validation:    ${mv.toFixed(0).padStart(7)} ms  ${rate(mv).padStart(9)} records/s   rounds: ${withV.map((x) => x.toFixed(0)).join(', ')}`,
  );
  console.log(
    `  without validation: ${mn.toFixed(0).padStart(7)} ms  ${rate(mn).padStart(9)} records/s   rounds: ${withoutV.map((x) => x.toFixed(0)).join(', ')}`,
  );
  console.log(
    `  validation alone:   ${validateOnlyMs.toFixed(0).padStart(7)} ms  (${((validateOnlyMs * 1000) / N).toFixed(2)} µs/record)`,
  );
  const overhead = (mv / mn - 1) * 100;
  console.log(
    `  validation overhead: ${overhead.toFixed(1)} % (ratio ${(mv / mn).toFixed(3)}; goal ≤ 10 %) ${overhead <= 10 ? 'OK' : 'OVER GOAL'}`,
  );
} finally {
  child.kill();
}
