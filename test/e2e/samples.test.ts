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

test('the bundled samples publish valid documents with the Pull API fields, and a second ingest writes only what a later delta changes again', async () => {
  const app = sampleApp(tmpDir('vp-samples'));
  const reports = await ingestSamples(app);
  for (const r of reports) {
    assert.equal(r.outcome, 'ingested', `${r.file}: ${r.errors.map((e) => e.message).join('\n')}`);
    assert.equal(r.plan?.invalid, 0, r.file);
  }
  const files = walk(app.target.root);
  const validate = createValidator();
  const seen = { order: 0, invoice: 0, credit: 0, 'order-list': 0, 'invoice-list': 0, 'credit-list': 0, backorders: 0, addresses: 0, stock: 0, prices: 0, pricing: 0, pdf: 0 };
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
    if (parsed.type === 'stock') {
      const body = JSON.parse(readFileSync(f, 'utf8')) as Record<string, unknown>;
      assert.equal(validate('stock', body), undefined, key);
      assert.equal(body.article, parsed.article);
      seen.stock++;
      continue;
    }
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
  for (const [dialect, kinds] of Object.entries(dialects)) assert.deepEqual([...kinds].sort(), ['addresses', 'backorders', 'credit', 'invoice', 'order'], dialect);
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

  // Issue 13's shapes, from the samples.
  const doc = (key: string) => JSON.parse(readFileSync(app.target.pathOf(key), 'utf8')) as Record<string, any>;
  const hosts = (d: Record<string, any>) => d.packages.map((p: any) => [p.tracing_id, new URL(p.tracking_link).hostname]);
  // Two shipments of two carriers; the PostNord one re-sent with its tracking number replaced its empty row.
  assert.deepEqual(hosts(doc('customers/C20002/orders/S-ORD101039.json')), [['373500990583217764', 'www.dhl.com'], ['00373500998512034561', 'tracking.postnord.com']]);
  // Freight as a charge line (item charge on the order, G/L account 3520 on the invoice): shipping, not a product.
  const o41 = doc('customers/C20005/orders/S-ORD101041.json');
  assert.deepEqual(o41.products.map((p: any) => p.model), ['KB-ESP1']);
  assert.equal(o41.shipping_cost_amount, '19.50');
  assert.equal(o41.total_amount, '111.10');
  assert.equal(o41.delivery.company, 'Kahvila Aurora Keskustori');
  const o01 = doc('customers/C20005/orders/S-ORD101001.json');
  assert.ok(!o01.products.some((p: any) => p.model === '3520'), 'G/L freight is not a product');
  assert.equal(o01.shipping_cost_amount, '17.11');
  // A collective invoice of two orders.
  const inv36 = doc('customers/C20005/invoices/PS-INV103036.json');
  assert.deepEqual(inv36.orders, [{ order_no: 'S-ORD101038' }, { order_no: 'S-ORD101041' }]);
  assert.equal(inv36.shipping_cost_amount, '19.50');
  assert.equal(doc('customers/C20004/credit-invoices/PS-CR104001.json').credited_invoice, 'PS-INV103010');
  // The deletions file removed S-ORD101037 and its shipment; the quote of the same file was ignored.
  assert.equal(app.store.getDoc('order', 'S-ORD101037'), undefined);
  assert.ok(!walk(app.target.root).some((f) => f.endsWith('/S-ORD101037.json')));
  // The multi-record XML export: orders with a package per <Package> (each its own carrier), an
  // invoice of two orders, a credit that names the invoice it credits, and a deletion.
  const x1 = doc('customers/30001/orders/700101.json');
  assert.deepEqual(hosts(x1), [['00373500471234567890', 'tracking.postnord.com'], ['373500998877665544', 'www.dhl.com']]);
  assert.equal(x1.status, 'Delivered');
  assert.equal(x1.delivery.company, 'Bageriet Kanelen, Haga');
  assert.deepEqual(doc('customers/30001/invoices/800201.json').orders, [{ order_no: '700101' }, { order_no: '700102' }]);
  const k1 = doc('customers/30001/credit-invoices/890001.json');
  assert.equal(k1.credited_invoice, '800201');
  assert.equal(k1.total_amount, '-166.88');
  assert.equal(app.store.getDoc('order', '700103'), undefined);
  assert.ok(!walk(app.target.root).some((f) => f.includes('/customers/30002/')), 'the customer of the deleted order has nothing left');

  // A second ingest of the same files ends with the same objects. Files that a later delta of the
  // run changes again (a deleted order, a re-sent shipment) write while replaying; no other file does.
  const tree = (root: string) => walk(root).map((f) => `${path.relative(root, f)} ${readFileSync(f).toString('base64').length}:${readFileSync(f).toString('latin1').length}`).sort();
  const before = tree(app.target.root);
  const again = await ingestSamples(app);
  const replayed = new Set(['SalesHeader_20251130.csv', 'SalesLine_20251130.csv', 'SalesShipmentHeader_20251130.csv', 'SalesShipmentHeader_20251201.csv', 'TableDeletions_20251201.csv', 'erp_export_20251130.xml', 'erp_export_20251201.xml']);
  for (const r of again) if (!replayed.has(r.file)) assert.deepEqual({ written: r.publish!.written, deleted: r.publish!.deleted }, { written: 0, deleted: 0 }, r.file);
  assert.deepEqual(tree(app.target.root), before);
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
