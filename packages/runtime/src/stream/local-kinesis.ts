import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { MeshError } from '@meshkit/contracts';

/** A kinesalite server listening on 127.0.0.1. */
export interface LocalKinesis {
  /** `http://127.0.0.1:<port>`: the endpoint to give the Kinesis client. */
  endpoint: string;
  port: number;
  /** Stops the server, closing open connections (idempotent). */
  close(): Promise<void>;
}

interface KinesaliteServer {
  listen(port: number, host: string, cb: (err?: Error) => void): void;
  address(): AddressInfo | string | null;
  close(cb: (err?: Error) => void): void;
  closeAllConnections?: () => void;
}

/**
 * Starts kinesalite (a real Kinesis implementation, in memory) on 127.0.0.1. Streams become
 * ACTIVE at once.
 *
 * @param port - @default 0 (a random free port)
 * @throws MeshError exit 2 when the `kinesalite` package is not installed.
 */
export async function startKinesalite(port = 0): Promise<LocalKinesis> {
  const require = createRequire(import.meta.url);
  let factory: (options: Record<string, unknown>) => KinesaliteServer;
  try {
    factory = require('kinesalite') as typeof factory;
  } catch (e) {
    throw new MeshError(
      'USAGE',
      'a local stream needs the kinesalite package: install it (npm install -D kinesalite@3.3.3) or give the endpoint of a Kinesis-compatible service with --endpoint',
      { exitCode: 2, cause: e },
    );
  }
  // memdown (kinesalite's default store) keeps everything in memory.
  const server = factory({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit: 500 });
  await new Promise<void>((res, rej) => server.listen(port, '127.0.0.1', (err) => (err ? rej(err) : res())));
  const addr = server.address();
  const actual = typeof addr === 'object' && addr ? addr.port : port;
  let closed = false;
  return {
    endpoint: `http://127.0.0.1:${actual}`,
    port: actual,
    close: () => {
      if (closed) return Promise.resolve();
      closed = true;
      server.closeAllConnections?.();
      return new Promise<void>((res) => server.close(() => res()));
    },
  };
}
