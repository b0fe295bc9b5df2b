import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import path from 'node:path';
import { ListMultipartUploadsCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { parseConfig } from '../../src/config/load.ts';
import { ConfigError } from '../../src/errors.ts';
import { processFile } from '../../src/ingest/process.ts';
import { drainOutbox } from '../../src/publish/drain.ts';
import { createS3Client, MIB, S3Target } from '../../src/publish/targets/s3.ts';
import { verifyTarget } from '../../src/publish/verify.ts';
import { FLAT_ORDERS_FEED, silent, tmpDir, writeBytes } from '../helpers.ts';
import { startS3rver, type S3rverHandle } from '../support/s3rver.ts';
import { S3Proxy, type SeenRequest } from '../support/s3-proxy.ts';
import { getObject, ingestSamples, listBucket, s3Overrides, sampleAppWith } from '../support/s3-app.ts';

const BUCKET = 'vp-multipart';
/** moto's server (VENDRE_PULL_TEST_S3=moto) implements what s3rver does not: AbortMultipartUpload, multipart ETags. */
const TRUTHFUL_S3 = process.env.VENDRE_PULL_TEST_S3 === 'moto';
const PDF_KEY = 'customers/C1/invoices/9.pdf';
let s3: S3rverHandle;
let proxy: S3Proxy;

before(async () => {
  s3 = await startS3rver([BUCKET]);
  proxy = await new S3Proxy({ upstream: s3.url }).start();
});

after(async () => {
  await proxy?.close();
  await s3?.close();
});

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const md5 = (b: Buffer, enc: 'hex' | 'base64') => createHash('md5').update(b).digest(enc);

/** A file that starts like a PDF, `size` bytes of random content (every part differs, so order and offsets matter). */
function pdfFile(size: number, name = 'big.pdf'): { file: string; bytes: Buffer } {
  const bytes = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(size - 9)]);
  return { file: writeBytes(tmpDir('vp-mp-pdf'), name, bytes), bytes };
}

/** A target through the counting proxy: threshold and part size 5 MiB, so 13 MiB is three parts. */
function targetOptions(checksums: 'default' | 'when-required', prefix: string): ConstructorParameters<typeof S3Target>[0] {
  return {
    client: createS3Client({ region: 'us-east-1', endpoint: proxy.url, forcePathStyle: true, checksums, maxAttempts: 2, connectTimeoutMs: 2000, requestTimeoutMs: 10000, maxSockets: 8 }),
    bucket: BUCKET,
    bucketPrefix: prefix,
    prefix: 'v1',
    region: 'us-east-1',
    gzip: true, // PDFs are never compressed, multipart or not
    cacheControl: { document: 'max-age=300', list: 'max-age=60' },
    concurrency: 4,
    log: silent(),
    multipartThreshold: 5 * MIB,
    partSize: 5 * MIB,
  };
}

const target = (checksums: 'default' | 'when-required', prefix: string) => new S3Target(targetOptions(checksums, prefix));

/** The S3 operation of a request as the proxy saw it. */
function op(r: SeenRequest): string {
  const q = new URL(r.url, 'http://x').searchParams;
  if (r.method === 'POST' && q.has('uploads')) return 'CreateMultipartUpload';
  if (r.method === 'PUT' && q.has('partNumber')) return `UploadPart ${q.get('partNumber')}`;
  if (r.method === 'POST' && q.has('uploadId')) return 'CompleteMultipartUpload';
  if (r.method === 'DELETE' && q.has('uploadId')) return 'AbortMultipartUpload';
  if (r.method === 'PUT') return 'PutObject';
  return `${r.method} ${r.kind}`;
}

const uploadIdOf = (r: SeenRequest) => new URL(r.url, 'http://x').searchParams.get('uploadId');

test('config: s3.multipartThresholdMiB defaults to 16 and s3.partSizeMiB to 8; a part below S3\'s 5 MiB minimum is refused naming the key', () => {
  const file = '/etc/vp/vendre-pull.yaml';
  const cfg = parseConfig(`feeds:${FLAT_ORDERS_FEED}`, file);
  assert.equal(cfg.s3.multipartThresholdMiB, 16);
  assert.equal(cfg.s3.partSizeMiB, 8);
  assert.throws(
    () => parseConfig(`s3: { partSizeMiB: 4 }\nfeeds:${FLAT_ORDERS_FEED}`, file),
    (err: Error) => err instanceof ConfigError && /vendre-pull\.yaml:1: `s3\.partSizeMiB` must be >= 5/.test(err.message),
  );
  const opts = targetOptions('default', 'x');
  assert.throws(() => new S3Target({ ...opts, partSize: 5 * MIB - 1 }), /s3\.partSizeMiB: a part must be at least 5 MiB/);
  opts.client.destroy();
});

test('a 13 MiB PDF goes up in three parts of known length (no aws-chunked) with Content-MD5 each, arrives byte-identical with its type, cache lifetime and sha256, and the ETag S3 completed with', async () => {
  const { file, bytes } = pdfFile(13 * MIB);
  for (const checksums of ['default', 'when-required'] as const) {
    const t = target(checksums, checksums);
    proxy.resetCounts();
    const res = await t.putFile(PDF_KEY, file, { contentType: 'application/pdf', sha256: sha256(bytes) });
    const ops = proxy.seen.map(op);
    assert.deepEqual([...ops].sort(), ['CompleteMultipartUpload', 'CreateMultipartUpload', 'UploadPart 1', 'UploadPart 2', 'UploadPart 3'], `${checksums}: ${ops.join(', ')}`);
    assert.equal(ops[0], 'CreateMultipartUpload');
    assert.equal(ops.at(-1), 'CompleteMultipartUpload');

    const create = proxy.seen[0]!;
    assert.equal(create.headers['content-type'], 'application/pdf');
    assert.equal(create.headers['cache-control'], 'max-age=300');
    assert.equal(create.headers['x-amz-meta-sha256'], sha256(bytes));
    assert.equal(create.headers['content-encoding'], undefined, 'a PDF is not gzipped');
    for (const r of proxy.seen.filter((x) => op(x).startsWith('UploadPart'))) {
      const n = Number(op(r).split(' ')[1]);
      const part = bytes.subarray((n - 1) * 5 * MIB, n * 5 * MIB);
      assert.equal(Number(r.headers['content-length']), part.length, `part ${n}: a known length`);
      assert.equal(r.headers['content-md5'], md5(part, 'base64'), `part ${n}: Content-MD5 of its bytes`);
      assert.ok(!String(r.headers['content-encoding'] ?? '').includes('aws-chunked'), `part ${n}: no aws-chunked upload`);
      assert.equal(r.headers['x-amz-decoded-content-length'], undefined);
      assert.equal(r.headers['transfer-encoding'], undefined);
      const crc = Object.keys(r.headers).some((h) => h.startsWith('x-amz-checksum-'));
      assert.equal(crc, checksums === 'default', `part ${n}: a CRC32 header only with checksums: default`);
    }

    const got = await getObject(s3.client, BUCKET, `${checksums}/v1/${PDF_KEY}`);
    assert.equal(sha256(got.bytes), sha256(bytes), 'byte-identical');
    assert.equal(got.ContentType, 'application/pdf');
    assert.equal(got.CacheControl, 'max-age=300');
    assert.equal(got.Metadata?.sha256, sha256(bytes));
    assert.equal(got.ContentEncoding, undefined);
    // s3rver completes with the MD5 of the whole object where S3 says "<md5 of part MD5s>-3"; either
    // way the manifest keeps what CompleteMultipartUpload answered, which is what listings show.
    assert.ok(res.etag, 'an ETag');
    assert.equal(res.etag, got.ETag);
    // A truthful S3 names the parts: "<md5 of the parts' MD5s>-3".
    if (TRUTHFUL_S3) assert.match(res.etag!, /^"[0-9a-f]{32}-3"$/);
    assert.equal((await listBucket(s3.client, BUCKET, `${checksums}/v1/`)).get(PDF_KEY), res.etag);
    t.destroy();
  }
});

test('below the threshold a PDF still goes up as one PUT with Content-MD5; above it, a file that fits in one part is one PUT too', async () => {
  const small = pdfFile(5 * MIB - 1, 'small.pdf');
  const t = target('when-required', 'small');
  proxy.resetCounts();
  const res = await t.putFile(PDF_KEY, small.file, { contentType: 'application/pdf', sha256: sha256(small.bytes) });
  assert.deepEqual(proxy.seen.map(op), ['PutObject']);
  assert.equal(proxy.seen[0]!.headers['content-md5'], md5(small.bytes, 'base64'));
  assert.equal(Number(proxy.seen[0]!.headers['content-length']), small.bytes.length);
  assert.equal(res.etag, `"${md5(small.bytes, 'hex')}"`);
  assert.ok((await getObject(s3.client, BUCKET, `small/v1/${PDF_KEY}`)).bytes.equals(small.bytes));
  t.destroy();

  // Threshold 5 MiB, parts of 8 MiB: lib-storage sends a 6 MiB file as one PutObject, which gets the same headers.
  const one = pdfFile(6 * MIB, 'one-part.pdf');
  const wide = new S3Target({ ...targetOptions('when-required', 'one-part'), partSize: 8 * MIB });
  proxy.resetCounts();
  const res1 = await wide.putFile(PDF_KEY, one.file, { contentType: 'application/pdf', sha256: sha256(one.bytes) });
  assert.deepEqual(proxy.seen.map(op), ['PutObject']);
  const put = proxy.seen[0]!;
  assert.equal(put.headers['content-md5'], md5(one.bytes, 'base64'));
  assert.equal(Number(put.headers['content-length']), one.bytes.length);
  assert.deepEqual([put.headers['content-type'], put.headers['cache-control'], put.headers['x-amz-meta-sha256']], ['application/pdf', 'max-age=300', sha256(one.bytes)]);
  assert.equal(res1.etag, `"${md5(one.bytes, 'hex')}"`);
  wide.destroy();
});

test('a part that keeps failing: the error names the key and the failing step, AbortMultipartUpload is sent for that upload, nothing is stored, and the retry succeeds', async () => {
  const { file, bytes } = pdfFile(13 * MIB);
  const t = target('default', 'failing');
  proxy.resetCounts();
  proxy.faultFor = (r) => (op(r) === 'UploadPart 2' ? 'error500' : undefined);
  try {
    await assert.rejects(t.putFile(PDF_KEY, file, { contentType: 'application/pdf', sha256: sha256(bytes) }), (err: Error) => {
      assert.match(err.message, /^PUT failing\/v1\/customers\/C1\/invoices\/9\.pdf \(multipart upload, 3 parts\): UploadPart 2 failed: InternalError \(HTTP 500, 2 attempts\): We encountered an internal error/);
      // s3rver 3.7.1 does not implement AbortMultipartUpload (405); S3 (and moto) answer 204 and the message ends "the upload was aborted".
      if (TRUTHFUL_S3) assert.match(err.message, /; the upload was aborted$/);
      else assert.match(err.message, /; AbortMultipartUpload failed too \(MethodNotAllowed \(HTTP 405\).*\): the parts already sent stay in the bucket \(billed, not listed\) until an AbortIncompleteMultipartUpload lifecycle rule removes them$/);
      assert.doesNotMatch(err.message, /S3RVER/, 'no credentials');
      return true;
    });
  } finally {
    proxy.faultFor = undefined;
  }
  const ops = proxy.seen.map(op);
  assert.equal(ops.filter((o) => o === 'UploadPart 2').length, 2, 'part 2 was tried maxAttempts times');
  assert.ok(!ops.includes('CompleteMultipartUpload'), 'never completed');
  const ids = new Set(proxy.seen.filter((r) => op(r).startsWith('UploadPart')).map(uploadIdOf));
  assert.equal(ids.size, 1);
  const aborts = proxy.seen.filter((r) => op(r) === 'AbortMultipartUpload');
  assert.deepEqual(aborts.map(uploadIdOf), [...ids], 'one AbortMultipartUpload, for the upload that failed');
  if (TRUTHFUL_S3) {
    const open = await s3.client.send(new ListMultipartUploadsCommand({ Bucket: BUCKET }));
    assert.deepEqual((open.Uploads ?? []).map((u) => u.Key), [], 'the aborted upload is gone from the bucket');
  }
  await assert.rejects(s3.client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: `failing/v1/${PDF_KEY}` })), (err: { $metadata?: { httpStatusCode?: number } }) => err.$metadata?.httpStatusCode === 404);

  // The same call again, as the drain's next cycle makes it: a new upload, complete and intact.
  proxy.resetCounts();
  const res = await t.putFile(PDF_KEY, file, { contentType: 'application/pdf', sha256: sha256(bytes) });
  const got = await getObject(s3.client, BUCKET, `failing/v1/${PDF_KEY}`);
  assert.equal(sha256(got.bytes), sha256(bytes));
  assert.equal(res.etag, got.ETag);
  assert.ok(!new Set(proxy.seen.map(uploadIdOf)).has([...ids][0]!), 'a new upload id');
  t.destroy();
});

test('a file that cannot be read fails naming the key and the file', async () => {
  const t = target('default', 'missing');
  const gone = path.join(tmpDir('vp-mp-gone'), 'gone.pdf');
  await assert.rejects(t.putFile(PDF_KEY, gone, { contentType: 'application/pdf', sha256: 'x' }), (err: Error) => {
    assert.equal(err.message, `PUT missing/v1/${PDF_KEY}: cannot read ${gone}: ENOENT: no such file or directory, stat '${gone}'`);
    return true;
  });
  t.destroy();
});

test('the real path: a large PDF dropped beside the samples is published by the drain as a multipart upload, kept queued while a part fails, and verify agrees with the bucket', async () => {
  const dir = tmpDir('vp-mp-app');
  // PDFs on an s3:// target need pdfLinks (signed pdf_link); a test-only secret from the environment.
  process.env.VP_TEST_MULTIPART_PDF_LINK = 'multipart-test-pdf-link-secret';
  const pdfLinks = { secrets: [{ env: 'VP_TEST_MULTIPART_PDF_LINK' }] };
  const app = sampleAppWith(dir, { ...s3Overrides(proxy.url, BUCKET, { multipartThresholdMiB: 5, partSizeMiB: 5, maxAttempts: 2 }, 'app'), pdfLinks });
  try {
    await ingestSamples(app);
    assert.equal(app.store.outboxDepth(), 0);
    const key = app.store.db.prepare<[], string>("SELECT key FROM manifest WHERE key LIKE '%/invoices/500001.pdf'").pluck().get();
    assert.ok(key, 'the sample invoice 500001 has a PDF');

    // A new, larger scan of invoice 500001 replaces the sample's PDF.
    const { file, bytes } = pdfFile(13 * MIB, 'faktura_500001.pdf');
    proxy.resetCounts();
    proxy.faultFor = (r) => (op(r) === 'UploadPart 3' ? 'slowDown' : undefined);
    let report;
    try {
      report = await processFile(app, file, { move: false, publish: true });
    } finally {
      proxy.faultFor = undefined;
    }
    assert.equal(report.outcome, 'ingested', report.errors.map((e) => e.message).join('\n'));
    assert.equal(report.pending, true, 'not done while its PDF is not published');
    const row = app.store.db.prepare<[string], { attempts: number; last_error: string }>('SELECT attempts, last_error FROM outbox WHERE key = ?').get(key)!;
    assert.equal(row.attempts, 1);
    assert.match(row.last_error, new RegExp(`^PUT app/v1/${key.replace(/[.]/g, '\\.')} \\(multipart upload, 3 parts\\): UploadPart 3 failed: SlowDown \\(HTTP 503, 2 attempts\\)`));
    assert.notEqual(app.store.db.prepare<[string], string>('SELECT sha256 FROM manifest WHERE key = ?').pluck().get(key), sha256(bytes), 'the manifest still has the old PDF');

    // The next cycle.
    proxy.resetCounts();
    const drained = await drainOutbox(app.store, app.target, silent());
    assert.equal(drained.failed, 0);
    assert.equal(app.store.outboxDepth(), 0);
    assert.deepEqual(
      proxy.seen.filter((r) => r.url.includes(encodeURI(`/app/v1/${key}`))).map(op).filter((o) => o.startsWith('Create') || o.startsWith('Complete')),
      ['CreateMultipartUpload', 'CompleteMultipartUpload'],
    );
    const got = await getObject(s3.client, BUCKET, `app/v1/${key}`);
    assert.equal(sha256(got.bytes), sha256(bytes));
    assert.equal(got.ContentType, 'application/pdf');
    const manifest = app.store.db.prepare<[string], { sha256: string; size: number; etag: string }>('SELECT sha256, size, etag FROM manifest WHERE key = ?').get(key)!;
    assert.deepEqual(manifest, { sha256: sha256(bytes), size: bytes.length, etag: got.ETag });

    const report2 = await verifyTarget(app.store, app.target, silent());
    assert.deepEqual([report2.missing, report2.extra, report2.different, report2.fetched], [[], [], [], 0], 'verify compares the recorded ETag with the listing');
  } finally {
    proxy.faultFor = undefined;
    app.close();
  }
});
