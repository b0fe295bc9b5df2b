import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import { publishDirty } from '../../src/publish/cycle.ts';
import { drainOutbox } from '../../src/publish/drain.ts';
import { objectKind } from '../../src/publish/targets/objects.ts';
import { S3Target } from '../../src/publish/targets/s3.ts';
import { collectStatus } from '../../src/ops/status.ts';
import { ConfigError } from '../../src/errors.ts';
import { localApp, silent, tmpDir } from '../helpers.ts';
import { startS3rver, type S3rverHandle } from '../support/s3rver.ts';
import { S3Proxy } from '../support/s3-proxy.ts';
import { getObject, ingestSamples, listBucket, readTree, s3Overrides, sampleAppWith } from '../support/s3-app.ts';

const BUCKETS = ['vp-samples', 'vp-gzip', 'vp-checksums', 'vp-deletes', 'vp-outage'];
let s3: S3rverHandle;
let proxy: S3Proxy;
/** The samples published to a local directory: the bytes every S3 object must have. */
let expected: Map<string, Buffer>;

before(async () => {
  s3 = await startS3rver(BUCKETS);
  proxy = await new S3Proxy({ upstream: s3.url }).start();
  const local = localApp(sampleAppWith(tmpDir('vp-s3-local'), {}));
  await ingestSamples(local);
  expected = readTree(local.target.root);
  local.close();
  assert.ok(expected.size > 300, `the samples publish 300+ objects, got ${expected.size}`);
});

after(async () => {
  await proxy?.close();
  await s3?.close();
});

test('the samples publish to S3: every object reads back with its bytes, type, cache lifetime, sha256 and ETag; a republish sends nothing', async () => {
  const app = sampleAppWith(tmpDir('vp-s3'), s3Overrides(proxy.url, 'vp-samples'));
  await app.target.check();
  proxy.resetCounts();
  for (const r of await ingestSamples(app)) assert.equal(r.outcome, 'ingested', r.errors.map((e) => e.message).join('\n'));
  assert.equal(app.store.outboxDepth(), 0);
  assert.equal(proxy.counts.LIST, 0, 'publishing never lists');
  assert.equal(proxy.counts.GET + proxy.counts.HEAD, 0, 'publishing never reads');

  const listed = await listBucket(s3.client, 'vp-samples', 'tenant-a/v1/');
  assert.deepEqual([...listed.keys()].sort(), [...expected.keys()].sort(), 'the bucket holds exactly the local tree');
  const etags = new Map(app.store.db.prepare<[], { key: string; etag: string }>('SELECT key, etag FROM manifest').all().map((r) => [r.key, r.etag]));
  let lists = 0;
  let documents = 0;
  const limit = pLimit(16);
  const objects = new Map(await Promise.all([...expected.keys()].map((key) => limit(async () => [key, await getObject(s3.client, 'vp-samples', `tenant-a/v1/${key}`)] as const))));
  for (const [key, bytes] of expected) {
    const o = objects.get(key)!;
    assert.ok(o.bytes.equals(bytes), `${key}: bytes`);
    assert.equal(o.ContentType, key.endsWith('.pdf') ? 'application/pdf' : 'application/json; charset=utf-8', key);
    const kind = objectKind(key);
    assert.equal(o.CacheControl, kind === 'list' ? 'max-age=60' : 'max-age=300', key);
    if (kind === 'list') lists++;
    else documents++;
    assert.equal(o.Metadata?.sha256, createHash('sha256').update(bytes).digest('hex'), `${key}: sha256 metadata`);
    assert.equal(o.ContentEncoding, undefined, key);
    assert.equal(o.ETag, `"${createHash('md5').update(bytes).digest('hex')}"`, `${key}: ETag`);
    assert.equal(etags.get(key), o.ETag, `${key}: the manifest keeps the confirmed ETag`);
  }
  assert.ok(lists > 20 && documents > 200, `both kinds occur (lists ${lists}, documents ${documents})`);

  // Unchanged input, published again (every file re-applied, every customer re-rendered): not one request.
  proxy.resetCounts();
  await ingestSamples(app);
  const again = await publishDirty(app.publishContext(), app.store.allCustomers());
  assert.equal(again.written + again.deleted, 0);
  assert.deepEqual(proxy.counts, { PUT: 0, GET: 0, HEAD: 0, LIST: 0, DELETE: 0, OTHER: 0 });
  app.close();
});

test('gzip: JSON is stored compressed with Content-Encoding gzip; it decompresses to the same bytes and keeps the uncompressed sha256', async () => {
  const app = sampleAppWith(tmpDir('vp-s3-gzip'), s3Overrides(proxy.url, 'vp-gzip', { gzip: true }));
  await ingestSamples(app);
  const listed = await listBucket(s3.client, 'vp-gzip', 'tenant-a/v1/');
  assert.equal(listed.size, expected.size);
  let compressed = 0;
  for (const [key, bytes] of [...expected].slice(0, 60)) {
    const o = await getObject(s3.client, 'vp-gzip', `tenant-a/v1/${key}`);
    if (key.endsWith('.pdf')) {
      assert.equal(o.ContentEncoding, undefined, `${key}: PDFs are not compressed again`);
      continue;
    }
    assert.equal(o.ContentEncoding, 'gzip', key);
    assert.ok(gunzipSync(o.bytes).equals(bytes), `${key}: decompresses to the document`);
    assert.ok(o.bytes.length < bytes.length || bytes.length < 200, `${key}: smaller`);
    assert.equal(o.Metadata?.sha256, createHash('sha256').update(bytes).digest('hex'));
    const stored = app.store.db.prepare<[string], { sha256: string; etag: string }>('SELECT sha256, etag FROM manifest WHERE key = ?').get(key)!;
    assert.equal(stored.etag, `"${createHash('md5').update(o.bytes).digest('hex')}"`, 'the ETag is the MD5 of the stored (compressed) bytes');
    compressed++;
  }
  assert.ok(compressed > 30);
  // get() hands the stored bytes and their encoding to a reader such as serve.
  const key = [...expected.keys()].find((k) => k.endsWith('/orders/pages/1.json'))!;
  const got = await app.target.get(key);
  assert.equal(got?.contentEncoding, 'gzip');
  assert.ok(gunzipSync(got!.body).equals(expected.get(key)!));
  app.close();
});

test('checksums: `default` lets the SDK add CRC32 checksums, `when-required` sends none; neither uses aws-chunked uploads, both send Content-MD5', async () => {
  for (const checksums of ['default', 'when-required'] as const) {
    const app = sampleAppWith(tmpDir('vp-s3-ck'), s3Overrides(proxy.url, 'vp-checksums', { checksums }, checksums));
    proxy.resetCounts();
    await ingestSamples(app);
    const puts = proxy.seen.filter((r) => r.kind === 'PUT');
    assert.ok(puts.length > 300);
    const withCrc = puts.filter((r) => Object.keys(r.headers).some((h) => h.startsWith('x-amz-checksum-'))).length;
    if (checksums === 'default') assert.equal(withCrc, puts.length, 'default: every PUT carries a checksum header');
    else assert.equal(withCrc, 0, 'when-required: no PUT carries a checksum header');
    for (const r of puts) {
      assert.ok(r.headers['content-md5'], 'Content-MD5 on every PUT');
      assert.ok(!String(r.headers['content-encoding'] ?? '').includes('aws-chunked'), 'no aws-chunked upload');
      assert.equal(r.headers['x-amz-decoded-content-length'], undefined);
      assert.ok(Number(r.headers['content-length']) > 0, 'a known length');
    }
    const listed = await listBucket(s3.client, 'vp-checksums', `${checksums}/v1/`);
    assert.equal(listed.size, expected.size);
    app.close();
  }
});

test('deletes go out in DeleteObjects batches of at most 1000 keys; a key S3 reports as failed stays queued and is retried', async () => {
  const target = new S3Target({
    client: (await import('../../src/publish/targets/s3.ts')).createS3Client({ region: 'us-east-1', endpoint: proxy.url, forcePathStyle: true, checksums: 'default', maxAttempts: 2, connectTimeoutMs: 2000, requestTimeoutMs: 5000, maxSockets: 16 }),
    bucket: 'vp-deletes',
    bucketPrefix: '',
    prefix: 'v1',
    region: 'us-east-1',
    gzip: false,
    cacheControl: { document: 'max-age=300', list: 'max-age=60' },
    concurrency: 16,
    log: silent(),
  });
  const keys = Array.from({ length: 2500 }, (_, i) => `customers/C${i % 50}/orders/${i}.json`);
  proxy.resetCounts();
  const failures = await target.delete(keys);
  assert.deepEqual(failures, []);
  const batches = proxy.seen.filter((r) => r.kind === 'DELETE');
  assert.equal(batches.length, 3, '2500 keys → 3 DeleteObjects requests');

  // Through the drain: publish two documents, delete them, and have S3 refuse one key.
  const app = sampleAppWith(tmpDir('vp-s3-del'), s3Overrides(proxy.url, 'vp-deletes'));
  await ingestSamples(app);
  const victims = app.store.db.prepare<[], string>("SELECT key FROM manifest WHERE key LIKE '%/orders/%.json' AND key NOT LIKE '%pages%' ORDER BY key LIMIT 2").pluck().all();
  app.store.transaction(() => victims.forEach((k) => app.store.queueDelete(k, app.store.db.prepare<[string], string>('SELECT customer_no FROM manifest WHERE key = ?').pluck().get(k)!)));
  proxy.deleteErrors = new Set([`tenant-a/v1/${victims[0]}`]);
  const first = await drainOutbox(app.store, app.target, silent());
  assert.equal(first.deleted, 1);
  assert.equal(first.failed, 1);
  const row = app.store.db.prepare<[string], { attempts: number; last_error: string }>('SELECT attempts, last_error FROM outbox WHERE key = ?').get(victims[0]!)!;
  assert.equal(row.attempts, 1);
  assert.match(row.last_error, /AccessDenied/);
  assert.equal(app.store.db.prepare('SELECT count(*) FROM manifest WHERE key = ?').pluck().get(victims[0]!), 1, 'not confirmed: still in the manifest');
  assert.equal(app.store.db.prepare('SELECT count(*) FROM manifest WHERE key = ?').pluck().get(victims[1]!), 0);
  proxy.deleteErrors = new Set();
  const second = await drainOutbox(app.store, app.target, silent());
  assert.equal(second.deleted, 1);
  assert.equal(app.store.outboxDepth(), 0);
  target.destroy();
  app.close();
});

test('an outage keeps everything waiting (failed writes in the outbox with the S3 error, the rest as dirty customers); nothing is marked published; the next cycle converges', async () => {
  const outage = await new S3Proxy({ upstream: s3.url, faults: { slowDown: 1 } }).start();
  try {
    // One attempt per request: retries are the fault test's subject; here every request fails anyway.
    const app = sampleAppWith(tmpDir('vp-s3-outage'), s3Overrides(outage.url, 'vp-outage', { maxAttempts: 1 }));
    const reports = await ingestSamples(app);
    const exports = reports.filter((r) => /\.(csv|xml)$/.test(r.file));
    assert.ok(exports.length >= 2 && exports.every((r) => r.pending), 'files are not done while their objects are not published');
    assert.equal(app.store.db.prepare('SELECT count(*) FROM manifest').pluck().get(), 0, 'nothing marked published that S3 did not confirm');
    const status = await collectStatus(app);
    // The first batch failed and went to the outbox; the customers not sent stay dirty.
    assert.ok(status.outbox.depth >= 1);
    assert.ok(status.outbox.failing >= 1);
    assert.ok(status.outbox.depth + status.dirty_customers > 30, `${status.outbox.depth} queued, ${status.dirty_customers} dirty`);
    assert.match(status.outbox.last_error ?? '', /^PUT tenant-a\/v1\/customers\/.+: SlowDown \(HTTP 503\): Please reduce your request rate\.$/);
    outage.faults = {};
    const next = await publishDirty(app.publishContext());
    assert.equal(next.remaining, 0);
    assert.equal((await listBucket(s3.client, 'vp-outage', 'tenant-a/v1/')).size, expected.size);
    assert.equal((await collectStatus(app)).outbox.failing, 0);
    app.close();
  } finally {
    await outage.close();
  }
});

test('the health check names bucket and endpoint, never the credentials', async () => {
  const missing = sampleAppWith(tmpDir('vp-s3-hc'), s3Overrides(s3.url, 'no-such-bucket', { maxAttempts: 1 }));
  await assert.rejects(missing.target.check(), (err: Error) => {
    assert.ok(err instanceof ConfigError);
    assert.match(err.message, /s3:\/\/no-such-bucket\/tenant-a\/v1\/ \(endpoint http:\/\/127\.0\.0\.1:\d+, region us-east-1\): bucket "no-such-bucket" does not exist/);
    assert.doesNotMatch(err.message, /S3RVER/);
    return true;
  });
  missing.close();
  // Nothing listens on the proxy's port once it is closed.
  const gone = await new S3Proxy({ upstream: s3.url }).start();
  const url = gone.url;
  await gone.close();
  const unreachable = sampleAppWith(tmpDir('vp-s3-hc'), s3Overrides(url, 'vp-samples', { maxAttempts: 1 }));
  await assert.rejects(unreachable.target.check(), /cannot reach the bucket: .*ECONNREFUSED/);
  unreachable.close();
});

test('objects changed behind the publisher are overwritten only when the store changes them (the manifest decides, S3 is not read)', async () => {
  const app = sampleAppWith(tmpDir('vp-s3-manifest'), s3Overrides(proxy.url, 'vp-samples', {}, 'manifest'));
  await ingestSamples(app);
  const key = [...expected.keys()].find((k) => k.endsWith('/orders/pages/1.json'))!;
  await s3.client.send(new PutObjectCommand({ Bucket: 'vp-samples', Key: `manifest/v1/${key}`, Body: Buffer.from('tampered') }));
  proxy.resetCounts();
  await publishDirty(app.publishContext(), app.store.allCustomers());
  assert.equal(proxy.total(), 0, 'no request: drift is what `verify` is for');
  assert.equal((await getObject(s3.client, 'vp-samples', `manifest/v1/${key}`)).bytes.toString(), 'tampered');
  app.close();
});
