/**
 * The daemon's admin port: `/healthz`, `/metrics` (Prometheus) and read-only admin pages (feeds and
 * their files, the quarantine with each file's errors, the outbox, and a customer lookup that shows
 * a customer's documents as a Vendre shop would list them, with links to each JSON).
 *
 * Separate from the Pull API (`serve`), loopback by default. Bound to any other address, every path
 * but /healthz needs a valid token: `Authorization: Bearer <token>`, or Basic auth with the token as
 * the password (what a browser can send). Only GET and HEAD; nothing here changes state.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { listen } from '../serve/listen.ts';
import { gunzipSync } from 'node:zlib';
import type { Logger } from 'pino';
import type { App } from '../app.ts';
import { collectStatus } from '../ops/status.ts';
import { ConfigError, logCode } from '../errors.ts';
import type { Metrics } from '../ops/metrics.ts';
import { serialize } from '../publish/plan.ts';
import { documentKey, parseKey, type ListKind } from '../layout/keys.ts';
import { customerPrices, customerView, feedOverview, fileHistory, findCustomers, outbox, quarantine, stockList, stockView } from './data.ts';
import { customerHref, customerPage, customersPage, documentPage, errorPage, filesPage, listFromUrl, notFoundPage, outboxPage, overviewPage, quarantineFilePage, quarantinePage, STOCK_ROWS_PER_PAGE, stockListPage, stockPage } from './views.ts';
import { strictDate } from '../edge/compute/params.ts';
import { todayIn } from '../edge/compute/answer.ts';

export interface Health {
  ready: boolean;
  store: 'ok' | string;
  target: 'ok' | string;
  /** Whether the outbox is draining: writes that failed and wait for a retry make the daemon unhealthy. */
  publish: 'ok' | string;
  stopping: boolean;
  problems: string[];
}

export interface AdminOptions {
  app: App;
  host: string;
  port: number;
  /** sha256 hashes of the tokens that open the admin port when it is not on loopback. */
  tokenHashes: readonly string[];
  metrics?: Metrics;
  log: Logger;
  /** The daemon is shutting down: /healthz answers 503. */
  stopping?: () => boolean;
  /** How long a target health check result is reused (ms); default 10 s. */
  targetCheckTtlMs?: number;
  /** Ask for a token even on loopback (default: only when not on loopback). */
  requireToken?: boolean;
}

export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || h === '::ffff:127.0.0.1';
}

const VERSION = (() => {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string }).version ?? '?';
  } catch {
    return '?';
  }
})();

const HTML_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  // No script at all; styles are inline in the page.
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
};

/** Health: the store answers a query and the target's own check passes (cached for a few seconds). */
export function healthChecker(app: App, opts: { stopping?: () => boolean; ttlMs?: number; timeoutMs?: number } = {}): () => Promise<Health> {
  let cached: { at: number; result: string } | undefined;
  const ttl = opts.ttlMs ?? 10_000;
  const timeout = opts.timeoutMs ?? 5_000;
  const targetState = async (): Promise<string> => {
    if (cached && Date.now() - cached.at < ttl) return cached.result;
    let timer: NodeJS.Timeout | undefined;
    let result: string;
    try {
      await Promise.race([
        app.target.check(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${timeout} ms`)), timeout);
        }),
      ]);
      result = 'ok';
    } catch (err) {
      result = `${app.target.description}: ${(err as Error)?.message ?? String(err)}`;
    } finally {
      clearTimeout(timer);
    }
    cached = { at: Date.now(), result };
    return result;
  };
  return async () => {
    let store = 'ok';
    try {
      app.store.ping();
    } catch (err) {
      store = `state file ${app.cfg.state}: ${(err as Error).message}`;
    }
    const target = store === 'ok' ? await targetState() : 'not checked';
    let publish = 'ok';
    if (store === 'ok') {
      const f = app.store.outboxFailures();
      if (f.failing > 0) publish = `${f.failing} outbox entries failing, retried with backoff; last error: ${f.lastError ?? 'unknown'}`;
    }
    const stopping = opts.stopping?.() ?? false;
    const problems = [store === 'ok' ? '' : `store: ${store}`, target === 'ok' ? '' : `target: ${target}`, publish === 'ok' ? '' : `publish: ${publish}`, stopping ? 'stopping' : ''].filter(Boolean);
    return { ready: problems.length === 0, store, target, publish, stopping, problems };
  };
}

export async function startAdmin(opts: AdminOptions): Promise<{ server: http.Server; url: string; close(): Promise<void> }> {
  const { app, log } = opts;
  const needsAuth = opts.requireToken ?? !isLoopback(opts.host);
  if (needsAuth && opts.tokenHashes.length === 0) {
    throw new ConfigError(`admin: bound to ${opts.host}, which is not loopback, but no token is configured (admin.tokens or auth.tokens); refusing to serve it unprotected`, 'admin.host', undefined, 'config-unprotected');
  }
  const health = healthChecker(app, { stopping: opts.stopping, ttlMs: opts.targetCheckTtlMs });
  const hashes = opts.tokenHashes.map((h) => Buffer.from(h, 'hex'));

  const authorised = (req: http.IncomingMessage): boolean => {
    if (!needsAuth) return true;
    const header = req.headers.authorization;
    if (!header) return false;
    const basic = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
    if (basic) {
      const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
      return tokenMatches(decoded.slice(decoded.indexOf(':') + 1), hashes);
    }
    const bearer = /^Bearer[ \t]+(\S+)\s*$/i.exec(header);
    return bearer ? tokenMatches(bearer[1]!, hashes) : false;
  };

  const server = http.createServer((req, res) => {
    const started = process.hrtime.bigint();
    let status = 200;
    const send = (code: number, headers: Record<string, string | number>, body: string | Buffer) => {
      status = code;
      const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
      res.writeHead(code, { ...headers, 'content-length': bytes.length });
      res.end(req.method === 'HEAD' ? undefined : bytes);
    };
    const htmlPage = (code: number, body: string) => send(code, HTML_HEADERS, body);
    const json = (code: number, body: unknown) => send(code, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }, `${JSON.stringify(body, null, 2)}\n`);
    const redirect = (location: string) => send(303, { location, 'cache-control': 'no-store' }, '');

    const handle = async (): Promise<void> => {
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }, 'method not allowed\n');
      const url = new URL(req.url ?? '/', 'http://admin.local');
      let segments: string[];
      try {
        segments = url.pathname.split('/').filter((s) => s !== '').map((s) => decodeURIComponent(s));
      } catch {
        return send(400, { 'content-type': 'text/plain' }, 'bad path\n');
      }
      const [first, ...rest] = segments;

      if (first === 'healthz' && rest.length === 0) {
        const h = await health();
        // Unauthenticated callers learn ready or not, nothing about paths or errors.
        const detail = authorised(req) ? { status: h.ready ? 'ok' : 'unavailable', store: h.store, target: h.target, publish: h.publish, stopping: h.stopping } : { status: h.ready ? 'ok' : 'unavailable' };
        return json(h.ready ? 200 : 503, detail);
      }
      if (!authorised(req)) {
        return send(401, { 'www-authenticate': 'Basic realm="vendre-pull admin", charset="UTF-8"', 'content-type': 'text/plain', 'cache-control': 'no-store' }, 'a token is required: Authorization: Bearer <token>, or Basic with the token as password\n');
      }
      if (first === 'metrics' && rest.length === 0) {
        if (!opts.metrics) return send(404, { 'content-type': 'text/plain' }, 'metrics are not collected in this process\n');
        const m = await opts.metrics.render();
        return send(200, { 'content-type': m.contentType, 'cache-control': 'no-store' }, m.body);
      }
      if (first === undefined) {
        const [st, h, q] = await Promise.all([collectStatus(app), health(), quarantine(app)]);
        return htmlPage(200, overviewPage({ status: st, feeds: feedOverview(app), quarantine: q, health: h, version: VERSION, now: new Date(), timeZone: app.cfg.admin.timeZone }));
      }
      if (first === 'files' && rest.length === 0) {
        const perPage = 100;
        const pageNo = positive(url.searchParams.get('page')) ?? 1;
        const feed = url.searchParams.get('feed') ?? undefined;
        const { rows, total } = fileHistory(app, { feed, limit: perPage, offset: (pageNo - 1) * perPage });
        return htmlPage(200, filesPage({ rows, total, feed, feeds: app.cfg.feeds.map((f) => f.name), page: pageNo, perPage, timeZone: app.cfg.admin.timeZone }));
      }
      if (first === 'quarantine') {
        const files = await quarantine(app);
        if (rest.length === 0) return htmlPage(200, quarantinePage(files, app.cfg.folders.quarantine, app.cfg.admin.timeZone));
        // Only names that are in the folder listing: a URL cannot point anywhere else.
        const q = rest.length === 1 ? files.find((f) => f.name === rest[0]) : undefined;
        if (!q) return htmlPage(404, notFoundPage('No such file in quarantine.'));
        return htmlPage(200, quarantineFilePage(q, app.cfg.folders.quarantine, app.cfg.admin.timeZone));
      }
      if (first === 'outbox' && rest.length === 0) return htmlPage(200, outboxPage(outbox(app)));
      if (first === 'customers') {
        if (rest.length === 0) {
          const q = (url.searchParams.get('q') ?? '').trim().slice(0, 100);
          if (q && app.store.hasCustomer(q)) return redirect(customerHref(q));
          const { rows, total } = findCustomers(app, q);
          return htmlPage(200, customersPage(q, rows, total));
        }
        const customer = rest[0]!;
        const view = customerView(app, customer);
        if (!view) return htmlPage(404, notFoundPage(`No documents for customer ${customer}.`));
        if (rest.length === 1) {
          const pages: Partial<Record<ListKind, number>> = {};
          for (const l of ['orders', 'invoices', 'credit-invoices'] as const) {
            const n = positive(url.searchParams.get(l));
            if (n) pages[l] = n;
          }
          // Prices as the compute path resolves them today (in the shop's `timeZone`, as it does), or on `?date=`.
          const dateParam = url.searchParams.get('date') ?? undefined;
          if (dateParam !== undefined && (!/^\d{4}-\d{2}-\d{2}$/.test(dateParam) || strictDate(dateParam) === undefined)) return htmlPage(400, errorPage('Bad date', '`date` is not a calendar date YYYY-MM-DD.'));
          const prices = await customerPrices(app, customer, { date: dateParam ?? todayIn(app.cfg.timeZone, new Date()), page: positive(url.searchParams.get('prices')) ?? 1, perPage: CUSTOMER_PRICES_PER_PAGE });
          return htmlPage(200, customerPage(view, { pages, date: dateParam }, prices));
        }
        const list = listFromUrl(rest[1]!);
        if (rest.length === 3 && list) {
          let key: string;
          try {
            key = documentKey(customer, list, rest[2]!);
          } catch {
            return htmlPage(404, notFoundPage('No such document.'));
          }
          const doc = view.documents.find((d) => d.key === key);
          if (doc) return htmlPage(200, documentPage(view, doc));
        }
        return htmlPage(404, notFoundPage('No such document.'));
      }
      if (first === 'stock') {
        if (rest.length === 0) {
          const q = (url.searchParams.get('q') ?? '').trim().slice(0, 100);
          const pageNo = positive(url.searchParams.get('page')) ?? 1;
          const { rows, total } = stockList(app, { q, limit: STOCK_ROWS_PER_PAGE, offset: (pageNo - 1) * STOCK_ROWS_PER_PAGE });
          return htmlPage(200, stockListPage({ q, rows, total, page: pageNo, perPage: STOCK_ROWS_PER_PAGE }));
        }
        const v = rest.length === 1 ? stockView(app, rest[0]!) : undefined;
        if (!v) return htmlPage(404, notFoundPage('No stock for this article.'));
        return htmlPage(200, stockPage(v));
      }
      if (first === 'objects' && rest.length > 0) {
        const key = rest.join('/');
        const parsed = parseKey(key);
        if (!parsed) return send(404, { 'content-type': 'text/plain' }, 'not a key of the Pull API layout\n');
        const stored = await app.target.get(key);
        if (stored) {
          const body = stored.contentEncoding === 'gzip' ? gunzipSync(stored.body) : stored.body;
          return send(200, { 'content-type': stored.contentType, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', 'x-vendre-pull-source': 'target' }, body);
        }
        // Not on the target (yet): what the store renders now, marked as such.
        const doc = parsed.type === 'stock' ? stockView(app, parsed.article)?.doc : customerView(app, parsed.customerNo)?.documents.find((d) => d.key === key);
        if (!doc) return send(404, { 'content-type': 'application/json; charset=utf-8' }, '{"error":"not_found","message":"no such document"}\n');
        return send(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', 'x-vendre-pull-source': 'rendered' }, serialize(doc.body));
      }
      return htmlPage(404, notFoundPage('No such page.'));
    };

    handle()
      .catch((err) => {
        log.error({ ...logCode('admin-request-failed'), err, path: req.url?.split('?')[0] }, 'admin request failed');
        if (!res.headersSent) htmlPage(500, notFoundPage('Something went wrong; see the daemon log.'));
        else res.destroy();
      })
      .finally(() => log.debug({ method: req.method, path: req.url?.split('?')[0], status, ms: Number(process.hrtime.bigint() - started) / 1e6 }, 'admin request'));
  });

  return { server, ...(await listen(server, opts.host, opts.port, 'admin.port')) };
}

/** Constant time over the sha256 of the token, against every hash (no early exit). */
export function tokenMatches(token: string, hashes: readonly Buffer[]): boolean {
  if (!token) return false;
  const presented = createHash('sha256').update(token, 'utf8').digest();
  let ok = false;
  for (const h of hashes) if (h.length === presented.length && timingSafeEqual(presented, h)) ok = true;
  return ok;
}

/** Articles per page of a customer's prices. */
const CUSTOMER_PRICES_PER_PAGE = 50;

function positive(v: string | null): number | undefined {
  if (!v || !/^\d{1,6}$/.test(v)) return undefined;
  const n = Number(v);
  return n >= 1 ? n : undefined;
}
