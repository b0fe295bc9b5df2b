import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import { Writable } from 'node:stream';
import { gunzipSync, gzipSync } from 'node:zlib';
import pino from 'pino';
import { LocalTarget } from '../../src/publish/targets/local.ts';
import { DEFAULT_CACHE_CONTROL } from '../../src/publish/targets/objects.ts';
import type { StoredObject, Target } from '../../src/publish/targets/target.ts';
import { Lru } from '../../src/serve/cache.ts';
import { SETTLE_MS } from '../../src/serve/reader.ts';
import { startServer, type ServeOptions } from '../../src/serve/server.ts';
import { negotiate } from '../../src/serve/negotiate.ts';
import { CREDENTIALS, NOW, SETTINGS, TOKENS, signed } from '../edge/cases.ts';
import { tmpDir } from '../helpers.ts';
import { rawRequest } from './http.ts';

const AUTH = { authorization: `Bearer ${TOKENS[1]}` };
const LIST = 'customers/10003/orders/pages/1.json';
const DOC = 'customers/10003/orders/100077.json';

async function withServer(target: ServeOptions['target'], fn: (url: string, logs: Array<Record<string, unknown>>) => Promise<void>, reader?: ServeOptions['reader']) {
  const logs: Array<Record<string, unknown>> = [];
  const sink = new Writable({ write: (chunk, _enc, cb) => (logs.push(JSON.parse(String(chunk))), cb()) });
  const server = await startServer({ host: '127.0.0.1', port: 0, edge: SETTINGS, credentials: CREDENTIALS, target, log: pino({ level: 'info' }, sink), now: () => NOW, ...(reader ? { reader } : {}) });
  try {
    await fn(server.url, logs);
  } finally {
    await server.close();
  }
}

async function localTarget() {
  const target = new LocalTarget(tmpDir('vp-serve'), 'v1', { cacheControl: DEFAULT_CACHE_CONTROL });
  await target.check();
  const list = Buffer.from(JSON.stringify({ type: 'order-list', items: Array.from({ length: 40 }, (_, i) => ({ id: String(100000 + i), sum: '1 234,50 kr' })) }));
  await target.put(LIST, list, { contentType: 'application/json; charset=utf-8', sha256: '' });
  await target.put(DOC, Buffer.from('{"id":"100077"}'), { contentType: 'application/json; charset=utf-8', sha256: '' });
  return { target, list };
}

test('Cache-Control as published: lists shorter than documents; ETag and If-None-Match → 304', async () => {
  const { target, list } = await localTarget();
  await withServer(target, async (url) => {
    const a = await rawRequest(url, 'GET', `/v1/${LIST}`, AUTH);
    assert.equal(a.status, 200);
    assert.ok(a.body.equals(list));
    assert.equal(a.headers['cache-control'], DEFAULT_CACHE_CONTROL.list);
    assert.match(a.headers.etag ?? '', /^"[0-9a-f]{64}"$/);
    assert.ok(a.headers['last-modified']);
    const d = await rawRequest(url, 'GET', '/v1/orders/100077?customer_no=10003', AUTH);
    assert.equal(d.headers['cache-control'], DEFAULT_CACHE_CONTROL.document);
    const again = await rawRequest(url, 'GET', `/v1/${LIST}`, { ...AUTH, 'if-none-match': a.headers.etag! });
    assert.equal(again.status, 304);
    assert.equal(again.body.length, 0);
    assert.equal(again.headers.etag, a.headers.etag);
    assert.equal(again.headers['cache-control'], DEFAULT_CACHE_CONTROL.list);
    assert.equal((await rawRequest(url, 'GET', `/v1/${LIST}`, { ...AUTH, 'if-none-match': `"nope", W/${a.headers.etag}` })).status, 304);
    assert.equal((await rawRequest(url, 'GET', `/v1/${LIST}`, { ...AUTH, 'if-none-match': '*' })).status, 304);
    assert.equal((await rawRequest(url, 'GET', `/v1/${LIST}`, { ...AUTH, 'if-none-match': '"other"' })).status, 200);
    // The 304 needs valid credentials too.
    assert.equal((await rawRequest(url, 'GET', `/v1/${LIST}`, { 'if-none-match': a.headers.etag! })).status, 401);
  });
});

test('gzip when the client asks for it, with its own ETag; HEAD sends the headers only', async () => {
  const { target, list } = await localTarget();
  await withServer(target, async (url) => {
    const plain = await rawRequest(url, 'GET', `/v1/${LIST}`, AUTH);
    const z = await rawRequest(url, 'GET', `/v1/${LIST}`, { ...AUTH, 'accept-encoding': 'gzip, deflate, br' });
    assert.equal(z.headers['content-encoding'], 'gzip');
    assert.equal(z.headers.vary, 'Accept-Encoding');
    assert.ok(gunzipSync(z.body).equals(list));
    assert.notEqual(z.headers.etag, plain.headers.etag);
    assert.equal((await rawRequest(url, 'GET', `/v1/${LIST}`, { ...AUTH, 'accept-encoding': 'gzip', 'if-none-match': z.headers.etag! })).status, 304);
    const refused = await rawRequest(url, 'GET', `/v1/${LIST}`, { ...AUTH, 'accept-encoding': 'gzip;q=0, identity' });
    assert.equal(refused.headers['content-encoding'], undefined);
    // Tiny documents are not worth compressing.
    assert.equal((await rawRequest(url, 'GET', `/v1/${DOC}`, { ...AUTH, 'accept-encoding': 'gzip' })).headers['content-encoding'], undefined);
    const head = await rawRequest(url, 'HEAD', `/v1/${LIST}`, AUTH);
    assert.equal(head.status, 200);
    assert.equal(head.body.length, 0);
    assert.equal(head.headers['content-length'], String(list.length));
    const headZ = await rawRequest(url, 'HEAD', `/v1/${LIST}`, { ...AUTH, 'accept-encoding': 'gzip' });
    assert.equal(headZ.headers['content-length'], String(z.body.length));
  });
});

test('an object stored gzipped (S3 with gzip on) passes through to gzip clients and is unpacked for others', async () => {
  const content = Buffer.from(JSON.stringify({ items: 'x'.repeat(500) }));
  const stored: StoredObject = { body: gzipSync(content), contentType: 'application/json; charset=utf-8', contentEncoding: 'gzip', etag: '"abc"', size: 0, cacheControl: 'max-age=60' };
  await withServer({ get: async (k) => (k === LIST ? stored : undefined) }, async (url) => {
    const z = await rawRequest(url, 'GET', `/v1/${LIST}`, { ...AUTH, 'accept-encoding': 'gzip' });
    assert.equal(z.headers['content-encoding'], 'gzip');
    assert.ok(z.body.equals(stored.body));
    const plain = await rawRequest(url, 'GET', `/v1/${LIST}`, AUTH);
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.ok(plain.body.equals(content));
  });
});

test('a missing object is a JSON 404; a failing target a 502; the access log names no secret', async () => {
  let fail = false;
  const target = { get: async (k: string): Promise<StoredObject | undefined> => {
    if (fail) throw new Error('connection reset');
    return k === LIST ? { body: Buffer.from('{}'), contentType: 'application/json; charset=utf-8', etag: '"1"', size: 2 } : undefined;
  } };
  await withServer(target, async (url, logs) => {
    // A missing document (a missing list page of an unknown customer is an empty list: see pull-api.test.ts).
    const missing = await rawRequest(url, 'GET', '/v1/customers/99999/orders/1.json', AUTH);
    assert.equal(missing.status, 404);
    assert.deepEqual(JSON.parse(missing.body.toString()), { error: 'not_found', message: 'no such document' });
    const sig = signed('GET', '/v1/orders', 'customer_no=10003');
    assert.equal((await rawRequest(url, 'GET', '/v1/orders?customer_no=10003', sig)).status, 200);
    fail = true;
    assert.equal((await rawRequest(url, 'GET', `/v1/${LIST}`, AUTH)).status, 502);
    const access = logs.filter((l) => l.msg === 'request');
    assert.equal(access.length, 3);
    assert.deepEqual(access.map((l) => l.status), [404, 200, 502]);
    assert.equal(access[1]!.key, 'customers/10003/orders/pages/1.json');
    const text = JSON.stringify(logs);
    for (const secret of [TOKENS[1], sig['x-signature']!, 'customer_no=']) assert.ok(!text.includes(secret), `log lines hold ${secret}`);
  });
});

test('Accept-Encoding negotiation', () => {
  assert.equal(negotiate(undefined).gzip, false);
  assert.equal(negotiate('gzip').gzip, true);
  assert.equal(negotiate('br, GZIP;q=0.5').gzip, true);
  assert.equal(negotiate('gzip;q=0').gzip, false);
  assert.equal(negotiate('*').gzip, true);
  assert.equal(negotiate('*;q=0').gzip, false);
  assert.equal(negotiate('identity').gzip, false);
  assert.equal(negotiate('gzip;q=0, *').gzip, false);
});

// ---------------------------------------------------------------------------------------------
// The local target's cache (src/serve/reader.ts) and streaming of large objects

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const JSON_TYPE = { contentType: 'application/json; charset=utf-8', sha256: '' };
/** Every version counts as settled (older than SETTLE_MS): what the cache keeps is then in play. */
const SETTLED = { now: () => Date.now() + 60_000 };

/** The target with its calls counted: versions asked, files opened, read whole, closed. */
function counted(target: LocalTarget) {
  const n = { versions: 0, opens: 0, reads: 0, closes: 0 };
  const spy: Pick<Target, 'get' | 'version' | 'open'> = {
    get: (key) => target.get(key),
    version: (key) => (n.versions++, target.version(key)),
    open: async (key) => {
      const o = await target.open(key);
      if (!o) return o;
      n.opens++;
      return { ...o, read: () => (n.reads++, o.read()), close: () => (n.closes++, o.close()) };
    },
  };
  return { spy, n };
}

test('a local object is answered from memory while its file is unchanged; republished, it is served fresh with its new ETag (same size too); deleted, a 404', async () => {
  const { target, list } = await localTarget();
  const { spy, n } = counted(target);
  await withServer(
    spy,
    async (url) => {
      const first = await rawRequest(url, 'GET', `/v1/${DOC}`, AUTH);
      assert.equal(first.status, 200);
      assert.equal(first.body.toString(), '{"id":"100077"}');
      const again = await rawRequest(url, 'GET', `/v1/${DOC}`, AUTH);
      assert.ok(again.body.equals(first.body));
      assert.equal(again.headers.etag, first.headers.etag);
      assert.equal(n.opens, 1, 'the second request is answered from memory');
      assert.equal(n.versions, 2, 'every request checks the file');

      // Republished with as many bytes: a new file renamed over the old one.
      const next = Buffer.from('{"id":"100078"}');
      await target.put(DOC, next, JSON_TYPE);
      const fresh = await rawRequest(url, 'GET', `/v1/${DOC}`, AUTH);
      assert.equal(fresh.body.toString(), next.toString());
      assert.equal(fresh.headers.etag, `"${sha(next)}"`);
      assert.equal(fresh.headers['content-length'], String(next.length));
      assert.equal((await rawRequest(url, 'GET', `/v1/${DOC}`, { ...AUTH, 'if-none-match': first.headers.etag! })).status, 200, 'the old ETag no longer matches');
      assert.equal((await rawRequest(url, 'GET', `/v1/${DOC}`, { ...AUTH, 'if-none-match': fresh.headers.etag! })).status, 304);

      // The gzip variant is kept by content: a changed list is compressed anew, never the old bytes.
      const z1 = await rawRequest(url, 'GET', `/v1/${LIST}`, { ...AUTH, 'accept-encoding': 'gzip' });
      assert.ok(gunzipSync(z1.body).equals(list));
      assert.ok((await rawRequest(url, 'GET', `/v1/${LIST}`, { ...AUTH, 'accept-encoding': 'gzip' })).body.equals(z1.body));
      const list2 = Buffer.from(list.toString().replace('100000', '200000'));
      await target.put(LIST, list2, JSON_TYPE);
      const z2 = await rawRequest(url, 'GET', `/v1/${LIST}`, { ...AUTH, 'accept-encoding': 'gzip' });
      assert.ok(gunzipSync(z2.body).equals(list2));
      assert.equal(z2.headers.etag, `"${sha(list2)}-gzip"`);
      assert.ok((await rawRequest(url, 'GET', `/v1/${LIST}`, AUTH)).body.equals(list2));

      await target.delete([DOC]);
      assert.equal((await rawRequest(url, 'GET', `/v1/${DOC}`, AUTH)).status, 404);
      await target.put(DOC, first.body, JSON_TYPE);
      assert.equal((await rawRequest(url, 'GET', `/v1/${DOC}`, AUTH)).body.toString(), '{"id":"100077"}');
    },
    SETTLED,
  );
});

test('a version younger than SETTLE_MS is read from its file on every request (file times tick coarsely)', async () => {
  let bytes = Buffer.from('{"v":1}');
  let changedMs = Date.now();
  const opened = { n: 0 };
  const target: Pick<Target, 'get' | 'version' | 'open'> = {
    get: async () => assert.fail('a target with version/open is not read with get'),
    // The same version string throughout: only the settle rule tells the two contents apart.
    version: async () => ({ version: 'v', size: bytes.length, lastModified: new Date(0), changedMs }),
    open: async () => {
      opened.n++;
      const body = bytes;
      const etag = `"${sha(body)}"`;
      return {
        version: 'v', size: body.length, lastModified: new Date(0), changedMs, contentType: 'application/json; charset=utf-8',
        read: async () => ({ body, contentType: 'application/json; charset=utf-8', etag, size: body.length, sha256: sha(body) }),
        digest: async () => ({ etag, sha256: sha(body) }),
        stream: () => assert.fail('small objects are read whole'),
        close: async () => {},
      };
    },
  };
  await withServer(target, async (url) => {
    assert.equal((await rawRequest(url, 'GET', `/v1/${DOC}`, AUTH)).body.toString(), '{"v":1}');
    bytes = Buffer.from('{"v":2}');
    assert.equal((await rawRequest(url, 'GET', `/v1/${DOC}`, AUTH)).body.toString(), '{"v":2}');
    assert.equal(opened.n, 2);
    // Settled: the bytes read under this version are kept, and the next request opens nothing.
    changedMs = Date.now() - SETTLE_MS - 1;
    assert.equal((await rawRequest(url, 'GET', `/v1/${DOC}`, AUTH)).body.toString(), '{"v":2}');
    assert.equal((await rawRequest(url, 'GET', `/v1/${DOC}`, AUTH)).body.toString(), '{"v":2}');
    assert.equal(opened.n, 3);
  });
});

test('an object over maxObjectBytes is streamed, never read whole: ETag from a streamed digest, HEAD, 304, republish; its file is closed after every response, a client that goes away included', async () => {
  const { target } = await localTarget();
  const PDF = 'customers/10003/orders/100077.pdf';
  const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(300 * 1024)]);
  await target.put(PDF, pdf, { contentType: 'application/pdf', sha256: '' });
  const { spy, n } = counted(target);
  await withServer(
    spy,
    async (url, logs) => {
      const got = await rawRequest(url, 'GET', `/v1/${PDF}`, { ...AUTH, 'accept-encoding': 'gzip' });
      assert.equal(got.status, 200);
      assert.ok(got.body.equals(pdf));
      assert.equal(got.headers['content-type'], 'application/pdf');
      assert.equal(got.headers['content-length'], String(pdf.length));
      assert.equal(got.headers['content-encoding'], undefined);
      assert.equal(got.headers.etag, `"${sha(pdf)}"`);
      assert.equal(got.headers['cache-control'], DEFAULT_CACHE_CONTROL.document);
      const head = await rawRequest(url, 'HEAD', `/v1/${PDF}`, AUTH);
      assert.equal(head.status, 200);
      assert.equal(head.body.length, 0);
      assert.equal(head.headers['content-length'], String(pdf.length));
      assert.equal((await rawRequest(url, 'GET', `/v1/${PDF}`, { ...AUTH, 'if-none-match': got.headers.etag! })).status, 304);

      const next = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(2 * 1024 * 1024)]); // big enough that a client hanging up after one chunk leaves most unsent
      await target.put(PDF, next, { contentType: 'application/pdf', sha256: '' });
      const fresh = await rawRequest(url, 'GET', `/v1/${PDF}`, AUTH);
      assert.ok(fresh.body.equals(next));
      assert.equal(fresh.headers.etag, `"${sha(next)}"`);

      // A client that reads the first chunk and hangs up.
      await new Promise<void>((resolve, reject) => {
        const u = new URL(url);
        const req = http.get({ host: u.hostname, port: u.port, path: `/v1/${PDF}`, headers: AUTH, agent: false }, (res) => {
          res.once('data', () => {
            req.destroy();
            resolve();
          });
        });
        req.on('error', (err) => ((err as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(err)));
      });
      for (let i = 0; i < 100 && n.closes < n.opens; i++) await new Promise((r) => setTimeout(r, 20));
      assert.equal(n.reads, 0, 'never read whole');
      assert.equal(n.closes, n.opens, 'every opened file is closed');
      for (let i = 0; i < 100 && logs.filter((l) => l.msg === 'request').length < 5; i++) await new Promise((r) => setTimeout(r, 20));
      const access = logs.filter((l) => l.msg === 'request');
      assert.deepEqual(access.map((l) => l.status), [200, 200, 304, 200, 200]);
      assert.deepEqual(access.slice(0, 4).map((l) => l.bytes), [pdf.length, 0, 0, next.length]);
      assert.equal(access[4]!.error, 'client closed the connection');
      assert.ok((access[4]!.bytes as number) < next.length);
    },
    { ...SETTLED, maxObjectBytes: 64 * 1024 },
  );
});

test('LocalTarget.version and open: what serve relies on', async () => {
  const { target } = await localTarget();
  const v1 = await target.version(DOC);
  assert.ok(v1);
  assert.equal(v1.size, '{"id":"100077"}'.length);
  assert.ok(v1.lastModified instanceof Date);
  assert.equal(typeof v1.changedMs, 'number');
  assert.equal((await target.version(DOC))?.version, v1.version, 'stable while the file is');
  await target.put(DOC, Buffer.from('{"id":"100077"}'), JSON_TYPE);
  assert.notEqual((await target.version(DOC))?.version, v1.version, 'every write is a new version, even of the same bytes');
  assert.equal(await target.version('customers/10003/orders/1.json'), undefined);
  assert.equal(await target.version('customers/10003/orders'), undefined, 'a folder is not an object');
  assert.equal(await target.open('customers/10003/orders'), undefined);
  assert.equal(await target.open('customers/99999/orders/1.json'), undefined);

  const o = await target.open(LIST);
  assert.ok(o);
  try {
    const whole = await o.read();
    const viaGet = await target.get(LIST);
    assert.deepEqual({ ...whole, lastModified: undefined }, { ...viaGet, lastModified: undefined });
    assert.equal(o.version, (await target.version(LIST))?.version);
    assert.equal(o.contentType, 'application/json; charset=utf-8');
    assert.equal(o.cacheControl, DEFAULT_CACHE_CONTROL.list);
    assert.deepEqual(await o.digest(), { etag: whole.etag, sha256: whole.sha256 });
    // The open file keeps its bytes whatever is renamed over its name meanwhile.
    await target.put(LIST, Buffer.from('{}'), JSON_TYPE);
    const chunks: Buffer[] = [];
    for await (const c of o.stream()) chunks.push(c as Buffer);
    assert.ok(Buffer.concat(chunks).equals(whole.body));
    assert.notEqual((await target.version(LIST))?.version, o.version);
  } finally {
    await o.close();
  }
});

test('Lru keeps within its byte and entry budgets, oldest use first out', () => {
  const lru = new Lru<string>(100, 3);
  lru.set('a', 'A', 40);
  lru.set('b', 'B', 40);
  assert.equal(lru.get('a'), 'A'); // a is now the most recently used
  lru.set('c', 'C', 40); // 120 > 100: b goes
  assert.equal(lru.get('b'), undefined);
  assert.deepEqual([lru.get('a'), lru.get('c'), lru.bytes, lru.size], ['A', 'C', 80, 2]);
  lru.set('d', 'D', 1);
  lru.set('e', 'E', 1); // 4 entries > 3: a goes
  assert.equal(lru.get('a'), undefined);
  assert.equal(lru.size, 3);
  lru.set('huge', 'H', 101);
  assert.equal(lru.get('huge'), undefined, 'over the whole budget: not kept');
  lru.set('c', 'C2', 10);
  assert.deepEqual([lru.get('c'), lru.bytes], ['C2', 12]);
  lru.delete('c');
  assert.equal(lru.bytes, 2);
});
