import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { MeshError } from '@meshkit/contracts';
import type { CatalogBackend } from '../backend.js';
import type { AccessOptions } from './access.js';
import { routeCatalog } from './router.js';
import { CatalogSiteCache } from './site.js';
import type { FleetReport } from './fleet.js';

/** Port `mesh catalog serve` listens on unless told otherwise. */
export const DEFAULT_CATALOG_PORT = 7411;
/** Host the catalog server binds to unless told otherwise: the loopback interface only. */
export const DEFAULT_CATALOG_HOST = '127.0.0.1';

/**
 * Options of {@link startCatalogServer}; `root` (default: the backend's) and `assemblyDir`
 * (default `<root>/cdk.out`) locate the cloud assembly of "who can read this product".
 */
export interface CatalogServerOptions extends AccessOptions {
  /** The catalog to show; it is listed on every request, and read again when it changed (see `CatalogSiteCache`). */
  backend: CatalogBackend;
  /** TCP port; 0 picks a free one (see {@link CatalogServer.port}). @default 0 */
  port?: number;
  /** Interface to bind. @default '127.0.0.1' (reachable from this machine only) */
  host?: string;
  /** Instant of deprecation phases. @default new Date() at each request */
  now?: () => Date;
  /** Called when answering a request hit a catalog error (e.g. a corrupted record; the response is a 500). */
  onError?: (error: unknown) => void;
  /** The site cache to answer from (e.g. one already warmed by the caller). @default a new one over `backend` (with `fleet`) */
  site?: CatalogSiteCache;
  /** The fleet report (`mesh fleet`), served at `/fleet.html` and `/api/fleet`. @default none */
  fleet?: FleetReport;
}

/** A running catalog server. */
export interface CatalogServer {
  /** Base URL, e.g. `http://127.0.0.1:7411/`. */
  url: string;
  host: string;
  /** The port actually bound (the picked one when asked for 0). */
  port: number;
  /** Stops accepting connections, ends open ones and resolves when the server is closed. Idempotent. */
  close(): Promise<void>;
  /** Resolves when the server has closed (after {@link close}). */
  closed: Promise<void>;
  /** The underlying node:http server. */
  server: Server;
}

/** Names under which the loopback interface is reached. */
const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

/**
 * `Host` header values the server answers (lowercase): its own address and port, and — when
 * bound to the loopback interface — `localhost:<port>`, `127.0.0.1:<port>` and `[::1]:<port>`.
 * Anything else gets 421 (DNS rebinding: another site's name resolving to this machine).
 */
export function allowedHostHeaders(boundHost: string, port: number): ReadonlySet<string> {
  const host = boundHost.toLowerCase();
  const loopback = LOOPBACK_NAMES.includes(host) || /^127\./.test(host) || host === '[::ffff:127.0.0.1]';
  const names = loopback ? [host, ...LOOPBACK_NAMES] : host === '0.0.0.0' || host === '[::]' ? LOOPBACK_NAMES : [host];
  return new Set(names.map((n) => `${n}:${port}`));
}

/**
 * Starts the catalog site (pages and JSON API, see `routeCatalog`) on node:http.
 * @throws MeshError `USAGE` (exit 2) when the port is invalid, in use or not allowed.
 */
export async function startCatalogServer(options: CatalogServerOptions): Promise<CatalogServer> {
  const port = options.port ?? 0;
  const host = options.host ?? DEFAULT_CATALOG_HOST;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new MeshError('USAGE', `port ${String(port)} is not a TCP port (0-65535; 0 picks a free one)`, {
      exitCode: 2,
    });
  }
  const sockets = new Set<Socket>();
  // One site per server, kept per catalog state: pages render once until a version is published.
  const site =
    options.site ??
    new CatalogSiteCache(options.backend, {
      ...(options.now ? { now: options.now } : {}),
      ...(options.root ? { root: options.root } : {}),
      ...(options.assemblyDir ? { assemblyDir: options.assemblyDir } : {}),
      ...(options.fleet ? { fleet: options.fleet } : {}),
    });
  let allowedHosts: ReadonlySet<string> = new Set();
  const server = createServer((req, res) => answer(req, res, options, site, allowedHosts));
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await listen(server, port, host);
  const address = server.address() as AddressInfo;
  const closed = new Promise<void>((resolve) => server.once('close', () => resolve()));
  let closing: Promise<void> | undefined;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  allowedHosts = allowedHostHeaders(urlHost, address.port);
  return {
    url: `http://${urlHost}:${address.port}/`,
    host: address.address,
    port: address.port,
    server,
    closed,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
      return closing;
    },
  };
}

/** Answers one request: 421 for another Host, else what `routeCatalog` answers (500 when it fails). */
function answer(
  req: IncomingMessage,
  res: ServerResponse,
  options: CatalogServerOptions,
  site: CatalogSiteCache,
  allowedHosts: ReadonlySet<string>,
): void {
  const method = req.method ?? 'GET';
  // DNS rebinding: a page of another site whose name now resolves to 127.0.0.1 sends its own
  // name as Host. Only our own address and port are answered.
  const hostHeader = (req.headers.host ?? '').toLowerCase();
  if (!allowedHosts.has(hostHeader)) {
    const body =
      JSON.stringify({
        error: {
          code: 'MISDIRECTED',
          message: `this catalog server answers only Host ${[...allowedHosts].join(' or ')} (got ${JSON.stringify(req.headers.host ?? '')}): open ${[...allowedHosts][0] ? `http://${[...allowedHosts][0]}/` : 'its own URL'}`,
        },
      }) + '\n';
    res.writeHead(421, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(body)),
    });
    res.end(method === 'HEAD' ? undefined : body);
    return;
  }
  routeCatalog(method, req.url ?? '/', {
    backend: options.backend,
    site,
    ...(options.now ? { now: options.now } : {}),
    ...(options.onError ? { onError: options.onError } : {}),
    ...(options.root ? { root: options.root } : {}),
    ...(options.assemblyDir ? { assemblyDir: options.assemblyDir } : {}),
    ...(options.fleet ? { fleet: options.fleet } : {}),
  })
    .then((r) => {
      res.writeHead(r.status, { ...r.headers, 'content-length': String(Buffer.byteLength(r.body)) });
      res.end(method === 'HEAD' ? undefined : r.body);
    })
    .catch((e: unknown) => {
      options.onError?.(e);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ error: { code: 'INTERNAL', message: (e as Error)?.message ?? String(e) } }) + '\n');
    });
}

/**
 * Listens on `host:port`.
 * @throws MeshError `USAGE` (exit 2) when the port is in use or not allowed, or the host is not this machine's.
 */
function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const fail = (e: NodeJS.ErrnoException) => {
      const why =
        e.code === 'EADDRINUSE'
          ? `port ${port} on ${host} is in use: pass another --port (0 picks a free one)`
          : e.code === 'EACCES'
            ? `not allowed to listen on ${host}:${port}: pass a port above 1023`
            : e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND'
              ? `cannot bind to host ${host}: not an address of this machine`
              : `cannot listen on ${host}:${port}: ${e.message}`;
      reject(new MeshError('USAGE', why, { exitCode: 2, cause: e }));
    };
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      resolve();
    });
  });
}
