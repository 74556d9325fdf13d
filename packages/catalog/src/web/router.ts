import semver from 'semver';
import { isMeshError, NAME_PATTERN } from '@meshkit/contracts';
import type { CatalogBackend } from '../backend.js';
import { escapeHtml } from './escape.js';
import { CONTENT_SECURITY_POLICY_HEADER, LINEAGE_PAGE, renderNotFoundPage } from './html.js';
import type { AccessOptions } from './access.js';
import { CatalogSiteCache } from './site.js';
import { renderFleetPage, type FleetReport } from './fleet.js';

/** A response of the catalog site: status, headers and the whole body. */
export interface CatalogResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Options of {@link routeCatalog}; `root` and `assemblyDir` locate the cloud assembly of "who can read this product". */
export interface RouteOptions extends AccessOptions {
  backend: CatalogBackend;
  /** Instant of deprecation phases and of `generatedAt`. @default new Date() at each request */
  now?: () => Date;
  /** Called with an error the catalog raised while answering (a corrupted record); the response is a 500. */
  onError?: (error: unknown) => void;
  /**
   * The site kept per catalog state (a server passes one for all its requests). @default a new
   * one per request: the whole catalog read and the page rendered for this request only
   */
  site?: CatalogSiteCache;
  /** The fleet report (`mesh fleet`), served at `/fleet.html` and `/api/fleet`. @default none: those paths are 404 */
  fleet?: FleetReport;
}

const HTML = 'text/html; charset=utf-8';
const JSON_TYPE = 'application/json; charset=utf-8';

const SECURITY_HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY_HEADER,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

const json = (status: number, value: unknown, extra: Record<string, string> = {}): CatalogResponse => ({
  status,
  headers: { 'content-type': JSON_TYPE, ...SECURITY_HEADERS, ...extra },
  body: JSON.stringify(value, null, 2) + '\n',
});
const html = (status: number, body: string, extra: Record<string, string> = {}): CatalogResponse => ({
  status,
  headers: { 'content-type': HTML, ...SECURITY_HEADERS, ...extra },
  body,
});
const apiNotFound = (message: string) => json(404, { error: { code: 'NOT_FOUND', message } });

/**
 * Answers one request of the catalog site (pages and JSON API) from the backend. The catalog is
 * listed on every request, so versions published while a server runs show on the next request;
 * with `site`, pages and payloads are rendered once per catalog state (see `CatalogSiteCache`).
 *
 * - `GET|HEAD /`, `/index.html`, `/index-<n>.html`: the index pages; `/lineage.html`: the whole
 *   lineage graph; `/products/<d>/<p>.html` (or without `.html`): a product page; with `fleet`,
 *   `/fleet.html` (or `/fleet`): the fleet page; unknown products and paths: 404 HTML.
 * - `GET|HEAD /api/products`, `/api/products/<d>/<p>`, `/api/products/<d>/<p>/versions/<v>`,
 *   `/api/lineage`, `/api/fleet` (with `fleet`) (each also with `.json`): JSON; anything else
 *   under `/api`: 404 JSON.
 * - Any other method: 405 with `Allow: GET, HEAD`.
 * - A catalog that fails its checks (corrupted record): 500 naming the file, and `onError`.
 *
 * @param path the request target (path and query; the query is ignored).
 */
export async function routeCatalog(method: string, path: string, options: RouteOptions): Promise<CatalogResponse> {
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(path, 'http://catalog.invalid').pathname);
  } catch {
    return json(400, { error: { code: 'BAD_REQUEST', message: `malformed path ${JSON.stringify(path)}` } });
  }
  const isApi = pathname === '/api' || pathname.startsWith('/api/');
  if (method !== 'GET' && method !== 'HEAD') {
    const message = `method ${method} is not allowed: the catalog is read-only (GET, HEAD)`;
    return isApi
      ? json(405, { error: { code: 'METHOD_NOT_ALLOWED', message } }, { allow: 'GET, HEAD' })
      : {
          status: 405,
          headers: { 'content-type': 'text/plain; charset=utf-8', allow: 'GET, HEAD', ...SECURITY_HEADERS },
          body: message + '\n',
        };
  }
  const now = options.now ?? (() => new Date());
  const access: AccessOptions = {
    ...(options.root ? { root: options.root } : {}),
    ...(options.assemblyDir ? { assemblyDir: options.assemblyDir } : {}),
  };
  const sites =
    options.site ??
    new CatalogSiteCache(options.backend, { now, ...access, ...(options.fleet ? { fleet: options.fleet } : {}) });
  const fleet = options.fleet;
  try {
    if (pathname === '/api/fleet' || pathname === '/api/fleet.json')
      return fleet ? json(200, fleet) : apiNotFound('no fleet report: start the site with mesh catalog serve --fleet');
    if (isApi) return await api(pathname.replace(/\.json$/, ''), sites, now);
    if (pathname === '/favicon.ico') return { status: 204, headers: { ...SECURITY_HEADERS }, body: '' };
    const site = await sites.current();
    if (pathname === '/' || pathname === '/index.html') return html(200, site.indexPage(1)!);
    const index = /^\/index-([1-9][0-9]{0,5})\.html$/.exec(pathname);
    const indexPage = index ? site.indexPage(Number(index[1])) : undefined;
    if (indexPage) return html(200, indexPage);
    if (pathname === `/${LINEAGE_PAGE}`) return html(200, site.lineagePage());
    if ((pathname === '/fleet' || pathname === '/fleet.html') && fleet)
      return html(200, site.fleetPage() ?? renderFleetPage(site.model, fleet));
    const m = /^\/products\/([^/]+)\/([^/]+?)(?:\.html)?$/.exec(pathname);
    if (m) {
      const ref = `${m[1]}/${m[2]}`;
      const page = site.productPage(ref);
      return page
        ? html(200, page)
        : html(404, renderNotFoundPage(site.model, `No product ${ref} in this catalog.`, '/'));
    }
    return html(404, renderNotFoundPage(site.model, `Nothing at ${pathname}.`, '/'));
  } catch (e) {
    if (!isMeshError(e)) throw e;
    options.onError?.(e);
    const error = { code: e.code, message: e.message, ...(e.file ? { file: e.file } : {}) };
    if (isApi) return json(500, { error });
    return html(
      500,
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Catalog error</title></head><body><main><h1>The catalog cannot be read</h1><p>${escapeHtml(e.format())}</p></main></body></html>\n`,
    );
  }
}

async function api(pathname: string, sites: CatalogSiteCache, now: () => Date): Promise<CatalogResponse> {
  const site = await sites.current();
  if (pathname === '/api/products') return json(200, site.productsPayload());
  if (pathname === '/api/lineage') return json(200, site.lineagePayload());
  let m = /^\/api\/products\/([^/]+)\/([^/]+)$/.exec(pathname);
  if (m) {
    const ref = `${m[1]}/${m[2]}`;
    const payload = NAME_PATTERN.test(m[1]!) && NAME_PATTERN.test(m[2]!) ? site.productPayload(ref) : undefined;
    return payload ? json(200, payload) : apiNotFound(`no product ${ref} in the catalog`);
  }
  m = /^\/api\/products\/([^/]+)\/([^/]+)\/versions\/([^/]+)$/.exec(pathname);
  if (m) {
    const [d, p, v] = [m[1]!, m[2]!, m[3]!];
    const ok = NAME_PATTERN.test(d) && NAME_PATTERN.test(p) && semver.valid(v) === v;
    const payload = ok ? site.versionPayload(`${d}/${p}`, v, now()) : undefined;
    return payload ? json(200, payload) : apiNotFound(`no version ${v} of ${d}/${p} in the catalog`);
  }
  return apiNotFound(
    `no API at ${pathname}; try /api/products, /api/products/<domain>/<product>, /api/products/<domain>/<product>/versions/<version> or /api/lineage`,
  );
}
