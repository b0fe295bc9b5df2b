import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * An HTTP proxy between the S3 client and s3rver, for tests and benchmarks: it counts requests by
 * kind and can inject faults. Headers and body pass unchanged (the SigV4 signature covers the Host
 * header, which s3rver checks), so the client never knows it is there.
 *
 * Which request gets a fault is decided from a hash of (seed, method, URL, how many times this
 * method+URL was seen): independent of timing and concurrency, so a seeded run injects the same
 * faults into the same requests every time.
 */
export type RequestKind = 'PUT' | 'GET' | 'HEAD' | 'LIST' | 'DELETE' | 'OTHER';

export interface FaultShares {
  /** 500 InternalError, answered without reaching the server. */
  error500?: number;
  /** 503 SlowDown, answered without reaching the server. */
  slowDown?: number;
  /** Connection reset before the request reaches the server. */
  resetBefore?: number;
  /** Connection reset after the server applied the request (the client never hears it worked). */
  resetAfter?: number;
  /** The answer is held back for `slowMs` (beyond the client's timeout, so it gives up and retries). */
  slow?: number;
}

export type FaultKind = keyof FaultShares;

export interface ProxyOptions {
  upstream: string;
  seed?: number;
  faults?: FaultShares;
  slowMs?: number;
  /** Only requests of these kinds get faults (default: all). */
  faultKinds?: RequestKind[];
}

export interface SeenRequest {
  kind: RequestKind;
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
}

export class S3Proxy {
  readonly counts: Record<RequestKind, number> = { PUT: 0, GET: 0, HEAD: 0, LIST: 0, DELETE: 0, OTHER: 0 };
  readonly injected: Record<FaultKind, number> = { error500: 0, slowDown: 0, resetBefore: 0, resetAfter: 0, slow: 0 };
  /** Every request, in arrival order (tests look at headers). */
  readonly seen: SeenRequest[] = [];
  faults: FaultShares;
  /** S3 keys for which a DeleteObjects answer reports a per-key error (after the server deleted them). */
  deleteErrors = new Set<string>();
  /** Picks the fault for one request before the seeded shares do, for a test aiming at one request (e.g. one part of a multipart upload). */
  faultFor?: (req: SeenRequest) => FaultKind | undefined;
  url = '';
  private readonly opts: ProxyOptions;
  private readonly server: http.Server;
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  private readonly attempts = new Map<string, number>();
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly upstream: URL;

  constructor(opts: ProxyOptions) {
    this.opts = opts;
    this.faults = opts.faults ?? {};
    this.upstream = new URL(opts.upstream);
    this.server = http.createServer((req, res) => void this.handle(req, res));
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  resetCounts(): void {
    for (const k of Object.keys(this.counts) as RequestKind[]) this.counts[k] = 0;
    for (const k of Object.keys(this.injected) as FaultKind[]) this.injected[k] = 0;
    this.seen.length = 0;
  }

  total(): number {
    return Object.values(this.counts).reduce((a, b) => a + b, 0);
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    for (const s of this.sockets) s.destroy();
    this.agent.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private pickFault(kind: RequestKind, method: string, url: string): FaultKind | undefined {
    if (this.opts.faultKinds && !this.opts.faultKinds.includes(kind)) return undefined;
    const id = `${method} ${url}`;
    const n = (this.attempts.get(id) ?? 0) + 1;
    this.attempts.set(id, n);
    const h = createHash('sha256').update(`${this.opts.seed ?? 1}\u0000${id}\u0000${n}`).digest();
    let r = h.readUInt32BE(0) / 2 ** 32;
    for (const [fault, share] of Object.entries(this.faults) as Array<[FaultKind, number]>) {
      if (r < share) return fault;
      r -= share;
    }
    return undefined;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const kind = classify(method, url);
    this.counts[kind]++;
    const seen: SeenRequest = { kind, method, url, headers: req.headers };
    this.seen.push(seen);
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const fault = this.faultFor?.(seen) ?? this.pickFault(kind, method, url);
    if (fault) this.injected[fault]++;
    if (fault === 'error500') return s3Error(res, 500, 'InternalError', 'We encountered an internal error. Please try again.');
    if (fault === 'slowDown') return s3Error(res, 503, 'SlowDown', 'Please reduce your request rate.');
    if (fault === 'resetBefore') return void req.socket.destroy();
    let upstream: { status: number; headers: http.IncomingHttpHeaders; body: Buffer };
    try {
      upstream = await this.forward(method, url, req.headers, body);
    } catch {
      return void req.socket.destroy();
    }
    if (fault === 'resetAfter') return void req.socket.destroy();
    if (kind === 'DELETE' && method === 'POST' && this.deleteErrors.size > 0) upstream = this.withDeleteErrors(body, upstream);
    const send = () => {
      if (res.destroyed) return;
      res.writeHead(upstream.status, upstream.headers);
      res.end(upstream.body);
    };
    if (fault === 'slow') {
      const t = setTimeout(() => {
        this.timers.delete(t);
        send();
      }, this.opts.slowMs ?? 2000);
      this.timers.add(t);
      return;
    }
    send();
  }

  private forward(method: string, url: string, headers: http.IncomingHttpHeaders, body: Buffer): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
    return new Promise((resolve, reject) => {
      const up = http.request(
        { host: this.upstream.hostname, port: this.upstream.port, method, path: url, headers, agent: this.agent },
        (r) => {
          const parts: Buffer[] = [];
          r.on('data', (c: Buffer) => parts.push(c));
          r.on('end', () => {
            const h = { ...r.headers };
            delete h['transfer-encoding'];
            delete h.connection;
            const b = Buffer.concat(parts);
            h['content-length'] = String(b.length);
            resolve({ status: r.statusCode ?? 502, headers: h, body: b });
          });
          r.on('error', reject);
        },
      );
      up.on('error', reject);
      up.end(body);
    });
  }

  /** Reports the flagged keys of a DeleteObjects request as failed (the server did delete them). */
  private withDeleteErrors(reqBody: Buffer, upstream: { status: number; headers: http.IncomingHttpHeaders; body: Buffer }) {
    if (upstream.status !== 200) return upstream;
    const keys = [...reqBody.toString('utf8').matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => unescapeXml(m[1]!));
    const failed = keys.filter((k) => this.deleteErrors.has(k));
    if (failed.length === 0) return upstream;
    const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<DeleteResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${failed
      .map((k) => `<Error><Key>${escapeXml(k)}</Key><Code>AccessDenied</Code><Message>Access Denied (injected)</Message></Error>`)
      .join('')}</DeleteResult>`;
    const body = Buffer.from(xml);
    return { status: 200, headers: { ...upstream.headers, 'content-type': 'application/xml', 'content-length': String(body.length) }, body };
  }
}

export function classify(method: string, url: string): RequestKind {
  const u = new URL(url, 'http://x');
  const segments = u.pathname.split('/').filter(Boolean);
  if (method === 'PUT') return 'PUT';
  if (method === 'HEAD') return 'HEAD';
  if (method === 'DELETE' || (method === 'POST' && u.searchParams.has('delete'))) return 'DELETE';
  if (method === 'GET' && (u.searchParams.has('list-type') || segments.length <= 1)) return 'LIST';
  if (method === 'GET') return 'GET';
  return 'OTHER';
}

function s3Error(res: http.ServerResponse, status: number, code: string, message: string): void {
  const body = Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>injected</RequestId></Error>`);
  res.writeHead(status, { 'content-type': 'application/xml', 'content-length': body.length });
  res.end(body);
}

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const unescapeXml = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
