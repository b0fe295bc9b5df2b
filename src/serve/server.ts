import http from 'node:http';
import { pipeline } from 'node:stream';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Logger } from 'pino';
import { createHash } from 'node:crypto';
import { decide, headerValue, type EdgeCredentials, type EdgeSettings } from '../edge/decide.ts';
import { answerList, answerMissing, COMPUTED_CACHE_CONTROL, type ComputeAnswer, type ComputeSettings, type ReadJson } from '../edge/compute/answer.ts';
import { nodeEdgeCrypto } from '../layout/node-crypto.ts';
import { parseQueryString } from '../edge/query.ts';
import { isCompressible } from '../publish/targets/objects.ts';
import type { Target } from '../publish/targets/target.ts';
import { Lru } from './cache.ts';
import { listen } from './listen.ts';
import { negotiate } from './negotiate.ts';
import { DEFAULT_READER_OPTIONS, objectReader, type ReaderOptions, type Servable } from './reader.ts';
import { logCode } from '../errors.ts';

export interface ServeOptions {
  host: string;
  port: number;
  edge: EdgeSettings;
  credentials: EdgeCredentials;
  target: Pick<Target, 'get' | 'version' | 'open'>;
  log: Logger;
  /** The clock for signed requests (tests); Date.now by default. */
  now?: () => number;
  /** Cache and streaming limits (tests); DEFAULT_READER_OPTIONS otherwise. */
  reader?: Partial<ReaderOptions>;
  /** The compute path's settings (the configured page size); 50 by default. */
  compute?: ComputeSettings;
}

const NOT_FOUND = { error: 'not_found', message: 'no such document' };

/** JSON smaller than this goes out uncompressed: gzip's header and trailer would eat the gain. */
const GZIP_MIN_BYTES = 256;

/** Budget for compressed (and, for objects stored gzipped, uncompressed) variants kept between requests. */
const VARIANT_CACHE_BYTES = 32 * 1024 * 1024;

type Head = Record<string, string | number>;

/**
 * The local CDN: the edge decision (the same module the CloudFront Function runs) in front of the
 * configured target. ETag/If-None-Match → 304, gzip when the client accepts it, Cache-Control as
 * published. One access-log line per request, without headers (where credentials travel) and
 * without the query string.
 *
 * A local target is read through a cache that checks the file's version on every request (see
 * reader.ts), so a republished object is answered fresh; objects over 1 MiB are streamed. Other
 * targets are read with get() per request. Compressed variants are kept by content (sha256 + ETag).
 */
export async function startServer(opts: ServeOptions): Promise<{ server: http.Server; url: string; close(): Promise<void> }> {
  const now = opts.now ?? Date.now;
  const read = objectReader(opts.target, { ...DEFAULT_READER_OPTIONS, ...opts.reader });
  const variants = new Lru<Buffer>(VARIANT_CACHE_BYTES, 10_000);
  // The access line's fields are fixed and none can hold a secret (no headers, no query), so it skips
  // the root logger's redaction, which walks every line for ~45 secret paths and cost several times
  // the rest of the line. Errors go through opts.log, redacted as ever.
  const access = opts.log.child({}, { redact: [] });

  // Per request: one Exchange and these functions of it (no closures made per request).
  const done = (x: Exchange, status: number, bytes: number, error?: string): void => {
    const line: Record<string, unknown> = { method: x.method, path: x.path.length > 200 ? `${x.path.slice(0, 200)}…` : x.path, status, bytes };
    if (x.key) line.key = x.key;
    if (error) line.error = error;
    line.ms = Math.round((performance.now() - x.started) * 1000) / 1000;
    access.info(line, 'request');
  };
  const send = (x: Exchange, status: number, head: Head, body: Buffer | undefined): void => {
    x.res.writeHead(status, head);
    x.res.end(x.method === 'HEAD' ? undefined : body);
    done(x, status, x.method === 'HEAD' || !body ? 0 : body.length);
  };
  const json = (x: Exchange, status: number, body: unknown, extra?: Record<string, string>): void => {
    const bytes = Buffer.from(JSON.stringify(body));
    send(x, status, { 'content-type': 'application/json; charset=utf-8', 'content-length': bytes.length, 'cache-control': 'no-store', ...extra }, bytes);
  };
  const failed = (x: Exchange, err: unknown): void => {
    opts.log.error({ ...logCode(x.key ? 'serve-read-failed' : 'unexpected'), err, key: x.key }, x.key ? 'read failed while serving' : 'request failed');
    if (!x.res.headersSent) return json(x, 502, { error: 'bad_gateway', message: 'could not read the document' });
    x.res.destroy();
    done(x, x.res.statusCode, 0, 'read failed after the headers');
  };

  /** The body converted once per content: keyed by sha256 and ETag together, so only bytes that are the same reuse it. */
  const variant = (obj: Servable, encoding: string, convert: (b: Buffer) => Buffer): Buffer => {
    if (!obj.sha256 || !obj.etag) return convert(obj.body!);
    const k = `${obj.sha256} ${obj.etag} ${encoding}`;
    let out = variants.get(k);
    if (!out) variants.set(k, (out = convert(obj.body!)), out.length + 200);
    return out;
  };

  const respondWith = (x: Exchange, obj: Servable): void => {
    const { req, res } = x;
    const stored = obj.contentEncoding === 'gzip' ? 'gzip' : 'identity';
    // What goes out: stored gzip passes through to a client that takes it; JSON is compressed for
    // one that asks; otherwise the plain bytes. A streamed (large) object goes out as stored.
    const gzip = obj.body !== undefined && negotiate(req.headers['accept-encoding']).gzip && (stored === 'gzip' || (isCompressible(obj.contentType) && obj.size > GZIP_MIN_BYTES));
    // One representation, one tag: the compressed one gets its own (RFC 9110 8.8.3).
    const etag = gzip ? obj.etag.replace(/"$/, '-gzip"') : obj.etag;
    const head: Head = { 'content-type': obj.contentType, etag, vary: 'Accept-Encoding' };
    if (obj.cacheControl) head['cache-control'] = obj.cacheControl;
    if (obj.lastModified) head['last-modified'] = obj.lastModified.toUTCString();
    if (matches(req.headers['if-none-match'], etag)) {
      void obj.release();
      return send(x, 304, head, undefined);
    }
    if (obj.body) {
      const body = gzip ? (stored === 'gzip' ? obj.body : variant(obj, 'gzip', gzipSync)) : stored === 'gzip' ? variant(obj, 'identity', gunzipSync) : obj.body;
      head['content-length'] = body.length;
      if (gzip) head['content-encoding'] = 'gzip';
      return send(x, 200, head, body);
    }
    head['content-length'] = obj.size;
    res.writeHead(200, head);
    if (x.method === 'HEAD') {
      res.end();
      void obj.release();
      return done(x, 200, 0);
    }
    const source = obj.stream!();
    let sent = 0;
    source.on('data', (chunk: Buffer) => void (sent += chunk.length));
    pipeline(source, res, (err) => {
      void obj.release();
      // A client that hangs up as soon as it has Content-Length bytes can close the socket before
      // end() is called: every byte was written all the same.
      if (!err || sent === obj.size) return done(x, 200, obj.size);
      // A client that goes away mid-PDF is no fault of ours; a file that fails to read is.
      const gone = (err as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE';
      if (!gone) opts.log.error({ ...logCode('serve-read-failed'), err, key: x.key }, 'read failed while streaming');
      done(x, 200, sent, gone ? 'client closed the connection' : 'read failed while streaming');
    });
  };

  const compute = opts.compute ?? { pageSize: 50 };
  /** An index object (or any small JSON) for the compute path, through the same reader. */
  const readJson: ReadJson = async (key) => {
    const o = await read(key);
    if (!o) return undefined;
    try {
      const body = o.body ?? Buffer.alloc(0);
      return JSON.parse((o.contentEncoding === 'gzip' ? gunzipSync(body) : body).toString('utf8')) as unknown;
    } finally {
      await o.release();
    }
  };
  /** A computed answer: generated JSON, or the object it names. */
  const answer = async (x: Exchange, a: ComputeAnswer): Promise<void> => {
    if ('key' in a) {
      x.key = a.key;
      const obj = await read(a.key);
      return obj ? respondWith(x, obj) : json(x, 404, NOT_FOUND);
    }
    if (a.status !== 200) return json(x, a.status, a.body);
    const bytes = Buffer.from(`${JSON.stringify(a.body)}\n`);
    const etag = `"${createHash('sha256').update(bytes).digest('hex')}"`;
    const head: Head = { 'content-type': 'application/json; charset=utf-8', 'cache-control': COMPUTED_CACHE_CONTROL, etag, 'content-length': bytes.length };
    if (matches(x.req.headers['if-none-match'], etag)) return send(x, 304, head, undefined);
    send(x, 200, head, bytes);
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const x: Exchange = { req, res, method: req.method ?? 'GET', path: q < 0 ? rawUrl : rawUrl.slice(0, q), key: undefined, started: performance.now() };
    const headers: Record<string, string | undefined> = {};
    // headersDistinct keeps every value (headers drops repeated Authorization): one rule for repeats, as in the function.
    const distinct = req.headersDistinct;
    for (const k in distinct) headers[k] = headerValue(distinct[k]!);
    let obj: Servable | undefined;
    try {
      const decision = decide({ method: x.method, path: x.path, query: parseQueryString(q < 0 ? '' : rawUrl.slice(q + 1)), headers, now: now() }, opts.edge, opts.credentials, nodeEdgeCrypto);
      if (decision.action === 'respond') return json(x, decision.status, decision.body, decision.headers);
      if (decision.action === 'compute') return await answer(x, await answerList(decision.list, decision.query, readJson, compute));
      x.key = decision.key;
      obj = await read(decision.key);
      // What CloudFront's failover to the compute origin does for a missing object.
      if (!obj) return await answer(x, await answerMissing(decision.key, readJson, compute));
      respondWith(x, obj);
    } catch (err) {
      void obj?.release();
      failed(x, err);
    }
  };

  const server = http.createServer((req, res) => void handle(req, res));
  return { server, ...(await listen(server, opts.host, opts.port, 'serve.port')) };
}

/** One request being answered. */
interface Exchange {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  method: string;
  /** Without the query (which is never logged). */
  path: string;
  /** The object key, once the decision names one. */
  key: string | undefined;
  /** performance.now() at arrival. */
  started: number;
}

/** If-None-Match: `*` or a list of tags, compared weakly (a `W/` prefix does not matter). */
function matches(header: string | undefined, etag: string): boolean {
  if (!header || !etag) return false;
  if (header.trim() === '*') return true;
  const strip = (t: string) => t.trim().replace(/^W\//, '');
  return header.split(',').some((t) => strip(t) === strip(etag));
}
