import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DeleteObjectsCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import Database from 'better-sqlite3';
import { openStore } from '../../src/store/db.ts';
import { MIGRATIONS } from '../../src/store/open.ts';
import { repairTarget, verifyTarget } from '../../src/publish/verify.ts';
import { localApp, silent, tmpDir } from '../helpers.ts';
import { startS3rver, type S3rverHandle } from '../support/s3rver.ts';
import { S3Proxy } from '../support/s3-proxy.ts';
import { ingestSamples, listBucket, readTree, s3Overrides, sampleAppWith, sampleConfigFile } from '../support/s3-app.ts';

let s3: S3rverHandle;
let proxy: S3Proxy;
let expected: Map<string, Buffer>;

before(async () => {
  s3 = await startS3rver(['vp-verify', 'vp-legacy']);
  proxy = await new S3Proxy({ upstream: s3.url }).start();
  const local = localApp(sampleAppWith(tmpDir('vp-verify-local'), {}));
  await ingestSamples(local);
  expected = readTree(local.target.root);
  local.close();
});

after(async () => {
  await proxy?.close();
  await s3?.close();
});

/** The CLI as a child process (async: the proxy lives in this process). */
function cli(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.resolve('src/cli.ts'), ...args], { env: { ...process.env, VENDRE_PULL_LOG_LEVEL: 'warn' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

test('verify finds objects deleted, added and altered behind its back with one listing; `verify --repair` converges the bucket and exits 0', async () => {
  const dir = tmpDir('vp-verify');
  const overrides = s3Overrides(proxy.url, 'vp-verify');
  const app = sampleAppWith(dir, overrides);
  await ingestSamples(app);
  app.close();
  const root = 'tenant-a/v1/';
  const keys = [...expected.keys()].sort();
  const doc = keys.find((k) => /\/orders\/[^/]+\.json$/.test(k))!;
  const page = keys.find((k) => k.endsWith('/invoices/pages/1.json'))!;
  const altered = keys.find((k) => /\/invoices\/[^/]+\.json$/.test(k))!;
  const extra = 'customers/10001/orders/ghost.json';
  await s3.client.send(new DeleteObjectsCommand({ Bucket: 'vp-verify', Delete: { Objects: [{ Key: root + doc }, { Key: root + page }] } }));
  await s3.client.send(new PutObjectCommand({ Bucket: 'vp-verify', Key: root + extra, Body: Buffer.from('{"not":"ours"}\n') }));
  await s3.client.send(new PutObjectCommand({ Bucket: 'vp-verify', Key: root + altered, Body: Buffer.from('{"tampered":true}\n') }));

  const cfg = sampleConfigFile(dir, overrides);
  proxy.resetCounts();
  const found = await cli(['--config', cfg, 'verify', '--json']);
  assert.equal(found.status, 1, found.stderr);
  const report = JSON.parse(found.stdout);
  assert.deepEqual(report.missing, [doc, page].sort());
  assert.deepEqual(report.extra, [extra]);
  assert.deepEqual(report.different, [altered]);
  assert.equal(report.fetched, 0, 'the ETags in the manifest were enough');
  assert.deepEqual({ LIST: proxy.counts.LIST, GET: proxy.counts.GET, PUT: proxy.counts.PUT, DELETE: proxy.counts.DELETE }, { LIST: 1, GET: 0, PUT: 0, DELETE: 0 }, 'one listing page, no reads');

  const repaired = await cli(['--config', cfg, 'verify', '--repair']);
  assert.equal(repaired.status, 0, repaired.stdout + repaired.stderr);
  assert.match(repaired.stdout, /missing +2: /);
  assert.ok(repaired.stdout.includes(`different  1: ${altered}`), repaired.stdout);
  assert.match(repaired.stdout, /repaired +3 objects written again, 1 extra objects deleted/);
  const clean = await cli(['--config', cfg, 'verify']);
  assert.equal(clean.status, 0, clean.stdout);

  const listed = await listBucket(s3.client, 'vp-verify', root);
  assert.deepEqual([...listed.keys()].sort(), keys, 'exactly the published keys again');
  const { createHash } = await import('node:crypto');
  for (const key of [doc, page, altered]) assert.equal(listed.get(key), `"${createHash('md5').update(expected.get(key)!).digest('hex')}"`, `${key} has its bytes back`);
});

test('verify and repair on the local target compare each file\'s sha256', async () => {
  const app = localApp(sampleAppWith(tmpDir('vp-verify-dir'), {}));
  await ingestSamples(app);
  const keys = [...expected.keys()].sort();
  const [gone, changed] = [keys.find((k) => k.endsWith('/orders/pages/1.json'))!, keys.find((k) => /\/invoices\/[^/]+\.json$/.test(k))!];
  rmSync(app.target.pathOf(gone));
  appendFileSync(app.target.pathOf(changed), ' ');
  mkdirSync(path.dirname(app.target.pathOf('customers/ZZ/orders/1.json')), { recursive: true });
  writeFileSync(app.target.pathOf('customers/ZZ/orders/1.json'), '{}');
  const report = await verifyTarget(app.store, app.target, silent());
  assert.deepEqual({ missing: report.missing, extra: report.extra, different: report.different }, { missing: [gone], extra: ['customers/ZZ/orders/1.json'], different: [changed] });
  const result = await repairTarget(app.publishContext(), silent());
  assert.deepEqual({ missing: result.after.missing, extra: result.after.extra, different: result.after.different }, { missing: [], extra: [], different: [] });
  assert.deepEqual(readTree(app.target.root), expected);
  app.close();
});

test('rows published before the ETag column are checked by reading the object once; the ETag is recorded for next time', async () => {
  const app = sampleAppWith(tmpDir('vp-verify-legacy'), s3Overrides(proxy.url, 'vp-legacy'));
  await ingestSamples(app);
  const n = app.store.db.prepare('SELECT count(*) FROM manifest').pluck().get() as number;
  app.store.db.exec('UPDATE manifest SET etag = NULL');
  const key = [...expected.keys()].find((k) => k.endsWith('/orders/pages/1.json'))!;
  await s3.client.send(new PutObjectCommand({ Bucket: 'vp-legacy', Key: `tenant-a/v1/${key}`, Body: Buffer.from('x') }));
  proxy.resetCounts();
  const first = await verifyTarget(app.store, app.target, silent());
  assert.equal(first.fetched, n);
  assert.equal(proxy.counts.GET, n);
  assert.deepEqual(first.different, [key]);
  assert.equal(app.store.db.prepare('SELECT count(*) FROM manifest WHERE etag IS NULL').pluck().get(), 1, 'all but the different one learned their ETag');
  proxy.resetCounts();
  const second = await verifyTarget(app.store, app.target, silent());
  assert.equal(second.fetched, 1);
  assert.deepEqual(second.different, [key]);
  app.close();
});

test('a state file from before schema 3 gains the manifest ETag column, keeping its rows', () => {
  const file = path.join(tmpDir('vp-migrate'), 'state.db');
  // A file as vendre-pull left it at schema 2, with one published object.
  const db = new Database(file);
  for (const m of MIGRATIONS.slice(0, 2)) m(db);
  db.pragma('user_version = 2');
  db.exec("INSERT INTO manifest (key, customer_no, sha256, size) VALUES ('customers/C1/orders/1.json', 'C1', 'abc', 3)");
  db.close();
  const store = openStore(file);
  assert.deepEqual([...store.manifestEntries()], [{ key: 'customers/C1/orders/1.json', customer_no: 'C1', sha256: 'abc', size: 3, etag: null }]);
  assert.equal(store.db.pragma('user_version', { simple: true }), MIGRATIONS.length);
  store.close();
});
