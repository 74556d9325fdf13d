/**
 * Starts moto (https://github.com/getmoto/moto) in server mode, an implementation of the AWS APIs
 * nobody in this project wrote, as a second, independent peer of the project's own emulators.
 * Pinned in requirements.txt (`moto[server]`), installed into `<repo>/.venv` by
 * `bash scripts/setup-python.sh` (which .ci/run calls).
 *
 * Used by packages/catalog/test (Glue Schema Registry, Glue tables, Lake Formation) and
 * packages/runtime/test (Kinesis). Outside CI a missing moto skips those suites with a message;
 * with CI=true it fails them.
 */
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join, relative } from 'node:path';
import { ROOT } from './repo.js';

/** The project's Python virtual environment (`<repo>/.venv`). */
export const VENV = join(ROOT, '.venv');
/** How to install the pinned Python tools. */
export const SETUP = 'bash scripts/setup-python.sh';
/** True when CI is set (and not "false"/"0"), as in packages/mesh-core/test/validators.test.ts. */
export const IN_CI = !!process.env.CI && !['false', '0'].includes(process.env.CI.toLowerCase());

const executable = (file: string): boolean => {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

let command: { file: string; args: string[] } | null | undefined;
/**
 * The command that runs moto's server: `<repo>/.venv/bin/moto_server`, else
 * `<repo>/.venv/bin/python -m moto.server` when that Python can import it; undefined when neither.
 */
export function motoCommand(): { file: string; args: string[] } | undefined {
  if (command !== undefined) return command ?? undefined;
  const server = join(VENV, 'bin', 'moto_server');
  const python = join(VENV, 'bin', 'python');
  if (executable(server)) command = { file: server, args: [] };
  else if (executable(python) && spawnSync(python, ['-c', 'import moto.server'], { stdio: 'ignore' }).status === 0)
    command = { file: python, args: ['-m', 'moto.server'] };
  else command = null;
  return command ?? undefined;
}

/**
 * The `skip` option of a moto suite: false when moto is installed, or in CI (where the suite must
 * then fail: {@link startMotoServer} rejects with how to install it); otherwise the reason.
 */
export function motoSkip(): string | false {
  if (motoCommand() || IN_CI) return false;
  return `${relative(ROOT, join(VENV, 'bin', 'moto_server'))} is missing: install the pinned Python tools with \`${SETUP}\` (skipped outside CI; fails with CI=true)`;
}

/** A running moto server. */
export interface MotoServer {
  /** `http://127.0.0.1:<port>`: the endpoint of every SDK client (the serializing proxy's with `serializeRequests`). */
  readonly url: string;
  readonly port: number;
  readonly pid: number | undefined;
  /** Forgets every resource (`POST /moto-api/reset`). */
  reset(): Promise<void>;
  /** moto's in-memory state of every service (`GET /moto-api/data.json`). */
  state(): Promise<Record<string, Record<string, Array<Record<string, unknown>>>>>;
  /** Stops the server process (idempotent). */
  close(): Promise<void>;
}

/** Options of {@link startMotoServer}. */
export interface MotoServerOptions {
  /** How long to wait for the server to listen, in ms. @default 60000 */
  timeoutMs?: number;
  /**
   * Put a proxy in front that hands moto one request at a time (moto's Kinesis backend loses
   * records under concurrent PutRecords: see {@link startMotoServer}). @default false
   */
  serializeRequests?: boolean;
  /**
   * Python code run before moto's `main()` in `<repo>/.venv/bin/python`: documented corrections of
   * moto where it contradicts the AWS API reference. @default none
   */
  pythonPreamble?: string;
}

/**
 * Starts `moto_server -H 127.0.0.1 -p 0` (a free port, read from the server's start line) and
 * resolves once it listens. One server holds every service; `close()` stops the process.
 *
 * `serializeRequests`: `url` is then a small proxy that hands moto one request at a time. moto's
 * Kinesis backend is not thread-safe: concurrent PutRecords calls can draw the same sequence number
 * and overwrite each other's records — acknowledged records lost (21 of 10,000 with 20 concurrent
 * calls of 500), where AWS gives every acknowledged record its own sequence number. Serializing
 * keeps the producer's concurrency (several batches in flight) on the client side intact.
 *
 * `pythonPreamble`: Python code run in the server's interpreter before moto's `main()` — for
 * documented corrections of moto where it contradicts the AWS API reference (the callers say which
 * and why). Needs `<repo>/.venv/bin/python`.
 *
 * Rejects with how to install moto when it is missing.
 */
export async function startMotoServer(options: MotoServerOptions = {}): Promise<MotoServer> {
  const cmd = motoCommand();
  if (!cmd)
    throw new Error(
      `moto is not installed in ${relative(ROOT, VENV) || '.venv'}: run \`${SETUP}\` (it installs moto[server] pinned in requirements.txt)`,
    );
  const python = join(VENV, 'bin', 'python');
  const [file, args]: [string, string[]] = options.pythonPreamble
    ? [python, ['-c', `${options.pythonPreamble}\nimport sys\nfrom moto.server import main\nmain(sys.argv[1:])`]]
    : [cmd.file, cmd.args];
  const child = spawn(file, [...args, '-H', '127.0.0.1', '-p', '0'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1' },
  });
  const stopOnExit = () => child.kill('SIGKILL');
  process.once('exit', stopOnExit);
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `moto_server did not start within ${(options.timeoutMs ?? 60_000) / 1000} s:\n${output.slice(-2000)}`,
        ),
      );
    }, options.timeoutMs ?? 60_000);
    const onData = (chunk: Buffer): void => {
      output = (output + chunk.toString('utf8')).slice(-8000);
      const m = /Running on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    // Keep draining both pipes: moto logs every request, and a full pipe would block the server.
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`moto_server exited (${code ?? signal}) before listening:\n${output.slice(-2000)}`));
    });
  });
  const motoUrl = `http://127.0.0.1:${port}`;
  const front = options.serializeRequests ? await serializingProxy(port) : undefined;
  const url = front?.url ?? motoUrl;
  let closed: Promise<void> | undefined;
  return {
    url,
    port: front?.port ?? port,
    pid: child.pid,
    async reset() {
      const res = await fetch(`${motoUrl}/moto-api/reset`, { method: 'POST' });
      if (!res.ok) throw new Error(`moto reset failed: HTTP ${res.status}`);
    },
    async state() {
      const res = await fetch(`${motoUrl}/moto-api/data.json`);
      if (!res.ok) throw new Error(`moto state failed: HTTP ${res.status}`);
      return (await res.json()) as Record<string, Record<string, Array<Record<string, unknown>>>>;
    },
    close() {
      closed ??= new Promise<void>((resolve) => {
        process.removeListener('exit', stopOnExit);
        front?.close();
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
        child.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        child.kill('SIGTERM');
      });
      return closed;
    },
  };
}

/** An HTTP proxy on 127.0.0.1 that forwards one request at a time to 127.0.0.1:`port` (see `serializeRequests`). */
async function serializingProxy(port: number): Promise<{ url: string; port: number; close(): void }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const sockets = new Set<Socket>();
  let queue: Promise<void> = Promise.resolve();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      queue = queue.then(
        () =>
          new Promise<void>((done) => {
            const up = http.request(
              {
                host: '127.0.0.1',
                port,
                method: req.method,
                path: req.url,
                headers: { ...req.headers, 'content-length': String(body.length) },
                agent,
              },
              (upRes) => {
                const out: Buffer[] = [];
                upRes.on('data', (c) => out.push(c));
                upRes.on('end', () => {
                  // The client may have gone (a fault proxy drops connections on purpose): the request still happened.
                  if (!res.destroyed) {
                    const headers = { ...upRes.headers };
                    delete headers['transfer-encoding'];
                    delete headers.connection;
                    const data = Buffer.concat(out);
                    headers['content-length'] = String(data.length);
                    res.writeHead(upRes.statusCode ?? 502, headers).end(data);
                  }
                  done();
                });
                upRes.on('error', () => {
                  res.destroy();
                  done();
                });
              },
            );
            up.on('error', (e) => {
              if (!res.destroyed)
                res.writeHead(502, { 'content-type': 'text/plain' }).end(`moto unreachable: ${e.message}`);
              done();
            });
            up.end(body);
          }),
      );
    });
  });
  server.keepAliveTimeout = 60_000;
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const frontPort = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${frontPort}`,
    port: frontPort,
    close() {
      for (const s of sockets) s.destroy();
      agent.destroy();
      server.close();
    },
  };
}
