import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { LocalTarget } from '../../src/publish/targets/local.ts';
import { tmpDir } from '../helpers.ts';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

test('LocalTarget.get returns bytes, type, ETag, cache lifetime, size and mtime, or undefined for a missing key; list walks the prefix with sha256', async () => {
  const t = new LocalTarget(tmpDir('vp-local'), 'v1', { cacheControl: { document: 'max-age=300', list: 'max-age=60' } });
  await t.check();
  const doc = Buffer.from('{"id":"1"}\n');
  const page = Buffer.from('{"page":1}\n');
  const pdf = Buffer.from('%PDF-1.4\n');
  await t.put('customers/C1/orders/1.json', doc, { contentType: 'application/json; charset=utf-8', sha256: sha(doc) });
  await t.put('customers/C1/orders/pages/1.json', page, { contentType: 'application/json; charset=utf-8', sha256: sha(page) });
  await t.put('customers/C1/invoices/9.pdf', pdf, { contentType: 'application/pdf', sha256: sha(pdf) });

  const got = await t.get('customers/C1/orders/1.json');
  assert.ok(got);
  assert.ok(got.body.equals(doc));
  assert.equal(got.contentType, 'application/json; charset=utf-8');
  assert.equal(got.etag, `"${sha(doc)}"`);
  assert.equal(got.sha256, sha(doc));
  assert.equal(got.cacheControl, 'max-age=300');
  assert.equal(got.size, doc.length);
  assert.equal(got.contentEncoding, undefined);
  assert.ok(got.lastModified instanceof Date);
  assert.equal((await t.get('customers/C1/orders/pages/1.json'))?.cacheControl, 'max-age=60');
  assert.equal((await t.get('customers/C1/invoices/9.pdf'))?.contentType, 'application/pdf');
  assert.equal(await t.get('customers/C1/orders/2.json'), undefined);
  assert.equal(await t.get('customers/C9/orders/1.json'), undefined);
  assert.equal(await t.get('customers/C1/orders'), undefined, 'a folder is not an object');

  const listed = [];
  for await (const o of t.list()) listed.push(o);
  listed.sort((a, b) => a.key.localeCompare(b.key));
  assert.deepEqual(listed.map((o) => [o.key, o.size, o.sha256]), [
    ['customers/C1/invoices/9.pdf', pdf.length, sha(pdf)],
    ['customers/C1/orders/1.json', doc.length, sha(doc)],
    ['customers/C1/orders/pages/1.json', page.length, sha(page)],
  ]);
  await t.delete(['customers/C1/orders/1.json']);
  assert.equal(await t.get('customers/C1/orders/1.json'), undefined);
  const empty = new LocalTarget(tmpDir('vp-local'), 'v1');
  for await (const o of empty.list()) assert.fail(`nothing to list, got ${o.key}`);
});

test('LocalTarget.put: concurrent writes into new nested folders all land; a folder removed behind the writer is made again', async () => {
  const root = tmpDir('vp-local-dirs');
  const t = new LocalTarget(root, 'v1', { cacheControl: { document: 'max-age=300', list: 'max-age=60' } });
  await t.check();
  const keys = Array.from({ length: 300 }, (_, i) => `customers/C${i % 7}/orders/years/${2020 + (i % 3)}/pages/${i}.json`);
  await Promise.all(keys.map((k) => t.put(k, Buffer.from(k), { contentType: 'application/json; charset=utf-8', sha256: sha(Buffer.from(k)) })));
  for (const k of keys) assert.equal((await t.get(k))?.body.toString(), k);

  rmSync(path.join(root, 'v1', 'customers', 'C1'), { recursive: true });
  const again = 'customers/C1/orders/years/2020/pages/1.json';
  await t.put(again, Buffer.from('x'), { contentType: 'application/json; charset=utf-8', sha256: sha(Buffer.from('x')) });
  assert.equal((await t.get(again))?.body.toString(), 'x');
  assert.deepEqual(readdirSync(path.join(root, '.tmp')), [], 'no temporary file left behind');
});
