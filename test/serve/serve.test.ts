import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { gunzipSync, gzipSync } from 'node:zlib';
import pino from 'pino';
import { LocalTarget } from '../../src/publish/local.ts';
import { DEFAULT_CACHE_CONTROL } from '../../src/publish/objects.ts';
import type { StoredObject } from '../../src/publish/target.ts';
import { startServer } from '../../src/serve/server.ts';
import { negotiate } from '../../src/serve/negotiate.ts';
import { CREDENTIALS, NOW, SETTINGS, TOKENS, signed } from '../edge/cases.ts';
import { tmpDir } from '../helpers.ts';
import { rawRequest } from './http.ts';

const AUTH = { authorization: `Bearer ${TOKENS[1]}` };
const LIST = 'customers/10003/orders/pages/1.json';
const DOC = 'customers/10003/orders/100077.json';

async function withServer(target: { get(key: string): Promise<StoredObject | undefined> }, fn: (url: string, logs: Array<Record<string, unknown>>) => Promise<void>) {
  const logs: Array<Record<string, unknown>> = [];
  const sink = new Writable({ write: (chunk, _enc, cb) => (logs.push(JSON.parse(String(chunk))), cb()) });
  const server = await startServer({ host: '127.0.0.1', port: 0, edge: SETTINGS, credentials: CREDENTIALS, target, log: pino({ level: 'info' }, sink), now: () => NOW });
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
    const missing = await rawRequest(url, 'GET', '/v1/customers/99999/orders/pages/1.json', AUTH);
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
