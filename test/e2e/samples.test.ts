import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { App } from '../../src/app.ts';
import { processFile } from '../../src/ingest/process.ts';
import { isIndexKey, parseKey } from '../../src/layout/keys.ts';
import { createValidator } from '../../src/render/validate.ts';
import type { DocumentType } from '../../src/render/documents.ts';
import { startServeFor } from '../../src/serve/start.ts';
import { tmpDir } from '../helpers.ts';
import { sampleApp } from '../support/s3-app.ts';

const SAMPLES = path.resolve('samples/exports');
const TOKEN = 'demo-token-for-samples-only';


function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

async function ingestSamples(app: App) {
  const reports = [];
  for (const name of readdirSync(SAMPLES).sort()) {
    reports.push(await processFile(app, path.join(SAMPLES, name), { move: false, reapply: true, publish: true }));
  }
  return reports;
}

test('the bundled samples publish valid documents with the Pull API fields, and a second ingest writes nothing', async () => {
  const app = sampleApp(tmpDir('vp-samples'));
  const reports = await ingestSamples(app);
  for (const r of reports) {
    assert.equal(r.outcome, 'ingested', `${r.file}: ${r.errors.map((e) => e.message).join('\n')}`);
    assert.equal(r.plan?.invalid, 0, r.file);
  }
  const files = walk(app.target.root);
  const validate = createValidator();
  const seen = { order: 0, invoice: 0, credit: 0, 'order-list': 0, 'invoice-list': 0, 'credit-list': 0, backorders: 0, pdf: 0 };
  const customers = new Set<string>();
  const dialects = { se: new Set<string>(), bc: new Set<string>() };
  let invoiceYears = 0;
  let trackingLinks = 0;
  let backordered = 0;
  let indexes = 0;
  for (const f of files) {
    const key = path.relative(app.target.root, f).split(path.sep).join('/');
    // The compute path's index objects (src/render/indexes.ts): beside the layout, by design.
    if (isIndexKey(key)) {
      indexes++;
      continue;
    }
    const parsed = parseKey(key);
    assert.ok(parsed, `published key outside the layout: ${key}`);
    customers.add(parsed.customerNo);
    if (parsed.type === 'pdf') {
      assert.equal(readFileSync(f).subarray(0, 5).toString('latin1'), '%PDF-', key);
      seen.pdf++;
      continue;
    }
    const body = JSON.parse(readFileSync(f, 'utf8')) as Record<string, unknown>;
    if (parsed.type !== 'list') dialects[/^C2/.test(parsed.customerNo) ? 'bc' : 'se'].add(String(body.type));
    if (body.type === 'backorders') backordered += (body.items as unknown[]).length;
    if (Array.isArray(body.packages)) trackingLinks += (body.packages as Array<{ tracking_link: string | null }>).filter((p) => p.tracking_link?.startsWith('https://')).length;
    if (typeof body.pdf_link === 'string') assert.match(body.pdf_link, /^https:\/\/historik\.example\.se\/v1\/customers\/.+\.pdf$/, key);
    const type = body.type as DocumentType;
    seen[type]++;
    assert.equal(validate(type, body), undefined, key);
    if (parsed.type === 'list' && parsed.list === 'invoices' && parsed.year) invoiceYears++;
    if (type === 'order' || type === 'invoice') {
      for (const k of ['id', 'po_number', 'comment', 'total', 'shipping_cost', 'tax', 'customer', 'products', 'delivery', 'reference', 'packages', 'pdf_link']) assert.ok(k in body, `${key} lacks ${k}`);
      assert.ok((body.products as unknown[]).length > 0, `${key} has products`);
    }
  }
  assert.ok(customers.size >= 10, `10+ customers, got ${customers.size}`);
  assert.ok(indexes > customers.size, `an index.json per customer and year indexes: ${indexes}`);
  // Every dialect produces every document kind (issue 6); PDFs, tracking links and backorders occur.
  for (const [dialect, kinds] of Object.entries(dialects)) assert.deepEqual([...kinds].sort(), ['backorders', 'credit', 'invoice', 'order'], dialect);
  assert.ok(seen.credit >= 10 && seen['credit-list'] > 0 && seen.pdf >= 5, JSON.stringify(seen));
  assert.ok(trackingLinks > 100, `tracking links: ${trackingLinks}`);
  assert.ok(backordered >= 10, `backordered lines: ${backordered}`);
  assert.ok(seen.order > 100 && seen.invoice > 100, JSON.stringify(seen));
  assert.ok(invoiceYears >= 2, 'invoices span two years');
  // 10003 has more orders than a page holds.
  const p1 = JSON.parse(readFileSync(app.target.pathOf('customers/10003/orders/pages/1.json'), 'utf8')) as { total_pages: number; items: unknown[]; per_page: number };
  assert.ok(p1.total_pages >= 2 && p1.items.length === p1.per_page);
  // The cancelled order is not published; the multi-line quoted comment survived.
  assert.equal(walk(app.target.root).some((f) => f.endsWith('/100128.json')), false);
  const o77 = JSON.parse(readFileSync(app.target.pathOf('customers/' + (app.store.getDoc('order', '100077')!.customer_no) + '/orders/100077.json'), 'utf8')) as { comment: string };
  assert.match(o77.comment, /;/);
  assert.match(o77.comment, /\n/);
  // Two VAT rates occur.
  const rates = new Set(app.store.db.prepare("SELECT DISTINCT json_extract(l.value, '$.vat_rate') FROM line_sets, json_each(line_sets.lines) AS l").pluck().all());
  assert.ok(rates.size >= 2);

  const again = await ingestSamples(app);
  for (const r of again) assert.deepEqual({ written: r.publish!.written, deleted: r.publish!.deleted }, { written: 0, deleted: 0 }, r.file);
  app.close();
});

test('serve answers the published documents over HTTP with bearer auth', async () => {
  const app = sampleApp(tmpDir('vp-serve'), { serve: { host: '127.0.0.1', port: 0 } });
  await ingestSamples(app);
  const server = await startServeFor(app);
  try {
    const url = `${server.url}/v1/customers/10003/orders/pages/1.json`;
    assert.equal((await fetch(url)).status, 401);
    assert.equal((await fetch(url, { headers: { authorization: 'Bearer wrong-token' } })).status, 403);
    const ok = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(ok.status, 200);
    assert.match(ok.headers.get('content-type') ?? '', /^application\/json/);
    const body = Buffer.from(await ok.arrayBuffer());
    assert.ok(body.equals(readFileSync(app.target.pathOf('customers/10003/orders/pages/1.json'))));
    // A customer the ERP never exported has an empty list (README "The Pull API layout"), but no documents.
    const unknown = await fetch(`${server.url}/v1/customers/99999/orders/pages/1.json`, { headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(unknown.status, 200);
    assert.deepEqual(((await unknown.json()) as { items: unknown[] }).items, []);
    const missing = await fetch(`${server.url}/v1/customers/99999/orders/100077.json`, { headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(missing.status, 404);
    assert.deepEqual(await missing.json(), { error: 'not_found', message: 'no such document' });
    // Without Accept-Encoding (fetch sends gzip by default, and serve compresses when asked).
    const head = await fetch(url, { method: 'HEAD', headers: { authorization: `Bearer ${TOKEN}`, 'accept-encoding': 'identity' } });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('content-length'), String(body.length));
  } finally {
    await server.close();
    app.close();
  }
});
