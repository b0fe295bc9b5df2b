import http from 'node:http';
import { listen } from './listen.ts';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Logger } from 'pino';
import { decide, type EdgeCredentials, type EdgeDecision, type EdgeSettings } from '../edge/decide.ts';
import { nodeEdgeCrypto } from '../edge/node-crypto.ts';
import { parseQueryString } from '../edge/query.ts';
import type { StoredObject, Target } from '../publish/target.ts';
import { negotiate } from './negotiate.ts';

export interface ServeOptions {
  host: string;
  port: number;
  edge: EdgeSettings;
  credentials: EdgeCredentials;
  target: Pick<Target, 'get'>;
  log: Logger;
  /** The clock for signed requests (tests); Date.now by default. */
  now?: () => number;
}

const NOT_FOUND = { error: 'not_found', message: 'no such document' };

/**
 * The local CDN: the edge decision (the same module the CloudFront Function runs) in front of the
 * configured target, read through `target.get()`. ETag/If-None-Match → 304, gzip when the client
 * accepts it, Cache-Control as published. One access-log line per request, without headers (where
 * credentials travel) and without the query string.
 */
export async function startServer(opts: ServeOptions): Promise<{ server: http.Server; url: string; close(): Promise<void> }> {
  const now = opts.now ?? Date.now;
  const server = http.createServer((req, res) => {
    const started = process.hrtime.bigint();
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const path = q < 0 ? rawUrl : rawUrl.slice(0, q);
    const headers: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v[0] : v;
    const decision = decide(
      { method: req.method ?? 'GET', path, query: parseQueryString(q < 0 ? '' : rawUrl.slice(q + 1)), headers, now: now() },
      opts.edge,
      opts.credentials,
      nodeEdgeCrypto,
    );
    const done = (status: number, bytes: number, key?: string) =>
      opts.log.info({ method: req.method, path: path.length > 200 ? `${path.slice(0, 200)}…` : path, status, bytes, ...(key ? { key } : {}), ms: Number(process.hrtime.bigint() - started) / 1e6 }, 'request');
    const send = (status: number, head: Record<string, string | number>, body: Buffer | undefined, key?: string) => {
      res.writeHead(status, head);
      res.end(req.method === 'HEAD' ? undefined : body);
      done(status, req.method === 'HEAD' || !body ? 0 : body.length, key);
    };
    const json = (status: number, body: unknown, extra: Record<string, string> = {}, key?: string) => {
      const bytes = Buffer.from(JSON.stringify(body));
      send(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': bytes.length, 'cache-control': 'no-store', ...extra }, bytes, key);
    };
    if (decision.action === 'respond') return json(decision.status, decision.body, decision.headers);
    opts.target.get(decision.key).then(
      (obj) => (obj ? sendObject(obj, decision, req, send) : json(404, NOT_FOUND, {}, decision.key)),
      (err: unknown) => {
        opts.log.error({ err, key: decision.key }, 'read failed while serving');
        json(502, { error: 'bad_gateway', message: 'could not read the document' }, {}, decision.key);
      },
    );
  });
  return { server, ...(await listen(server, opts.host, opts.port, 'serve.port')) };
}

type Send = (status: number, head: Record<string, string | number>, body: Buffer | undefined, key?: string) => void;

function sendObject(obj: StoredObject, decision: Extract<EdgeDecision, { action: 'serve' }>, req: http.IncomingMessage, send: Send): void {
  const stored = obj.contentEncoding === 'gzip' ? 'gzip' : 'identity';
  const accepts = negotiate(req.headers['accept-encoding']);
  // What goes out: stored gzip passes through to a client that takes it; JSON is compressed for one
  // that asks; otherwise the plain bytes.
  const gzip = accepts.gzip && (stored === 'gzip' || (obj.contentType.startsWith('application/json') && obj.size > 256));
  const body = gzip ? (stored === 'gzip' ? obj.body : gzipSync(obj.body)) : stored === 'gzip' ? gunzipSync(obj.body) : obj.body;
  // One representation, one tag: the compressed one gets its own (RFC 9110 8.8.3).
  const etag = gzip ? obj.etag.replace(/"$/, '-gzip"') : obj.etag;
  const head: Record<string, string | number> = {
    'content-type': obj.contentType,
    etag,
    vary: 'Accept-Encoding',
    ...(obj.cacheControl ? { 'cache-control': obj.cacheControl } : {}),
    ...(obj.lastModified ? { 'last-modified': obj.lastModified.toUTCString() } : {}),
  };
  if (matches(req.headers['if-none-match'], etag)) return send(304, head, undefined, decision.key);
  send(200, { ...head, 'content-length': body.length, ...(gzip ? { 'content-encoding': 'gzip' } : {}) }, body, decision.key);
}

/** If-None-Match: `*` or a list of tags, compared weakly (a `W/` prefix does not matter). */
function matches(header: string | undefined, etag: string): boolean {
  if (!header || !etag) return false;
  if (header.trim() === '*') return true;
  const strip = (t: string) => t.trim().replace(/^W\//, '');
  return header.split(',').some((t) => strip(t) === strip(etag));
}
