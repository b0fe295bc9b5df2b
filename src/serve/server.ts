import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { decide, type EdgeConfig } from '../edge/decide.ts';
import type { LocalTarget } from '../publish/local.ts';
import { ConfigError } from '../errors.ts';

export interface ServeOptions {
  host: string;
  port: number;
  edge: EdgeConfig;
  target: LocalTarget;
  log: Logger;
}

/**
 * The local CDN: the edge decision in front of the local target's files. Used by `npm start`, by
 * tests, and by merchants who want to try the Pull API before deploying the CloudFront side.
 */
export async function startServer(opts: ServeOptions): Promise<{ server: http.Server; url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const started = process.hrtime.bigint();
    const url = new URL(req.url ?? '/', 'http://localhost');
    const headers: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v[0] : v;
    const decision = decide({ method: req.method ?? 'GET', path: url.pathname, headers }, opts.edge);
    const done = (status: number) =>
      opts.log.debug({ method: req.method, path: url.pathname, status, ms: Number(process.hrtime.bigint() - started) / 1e6 }, 'request');
    const json = (status: number, body: unknown, extra: Record<string, string> = {}) => {
      const bytes = Buffer.from(JSON.stringify(body));
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': bytes.length, 'cache-control': 'no-store', ...extra });
      res.end(req.method === 'HEAD' ? undefined : bytes);
      done(status);
    };
    if (decision.action === 'respond') return json(decision.status, decision.body, decision.headers);
    const file = opts.target.pathOf(decision.key);
    stat(file).then(
      (st) => {
        if (!st.isFile()) return json(404, { error: 'not_found', message: 'no such document' });
        res.writeHead(200, {
          'content-type': decision.key.endsWith('.pdf') ? 'application/pdf' : 'application/json; charset=utf-8',
          'content-length': st.size,
          'cache-control': 'private, max-age=60',
          'last-modified': st.mtime.toUTCString(),
        });
        if (req.method === 'HEAD') {
          res.end();
          done(200);
          return;
        }
        createReadStream(file)
          .on('error', (err) => {
            opts.log.error({ err, key: decision.key }, 'read failed while serving');
            res.destroy(err);
          })
          .pipe(res)
          .on('finish', () => done(200));
      },
      (err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return json(404, { error: 'not_found', message: 'no such document' });
        opts.log.error({ err, key: decision.key }, 'stat failed while serving');
        return json(500, { error: 'internal', message: 'could not read the document' });
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' || err.code === 'EACCES'
        ? new ConfigError(`serve: cannot listen on ${opts.host}:${opts.port} (${err.code}); set serve.port or stop the other process`, 'serve.port')
        : err));
    server.listen(opts.port, opts.host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    server,
    url: `http://${host}:${addr.port}`,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
