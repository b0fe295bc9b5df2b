import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { processFile } from '../../src/ingest/process.ts';
import { collectStatus } from '../../src/ops/status.ts';
import { appIn, tmpDir, writeBytes } from '../helpers.ts';

const CONFIG = `
publicBaseUrl: https://historik.example.se
pdfs:
  - { pattern: "faktura_{id}.pdf", kind: invoice }
feeds:
  - name: invoices
    pattern: "inv*.csv"
    kind: invoices
    format: csv
    numberFormat: dot
    credit: { column: Typ, values: [Kredit] }
    values: { payment_status: { "J": "Betald", "N": "Obetald" } }
    map: { id: No, customer_no: Cust, date: Date, due_date: Due, payment_status: Paid, order_no: Order, tracking_id: Track, carrier: Via, line.model: Art, line.quantity: Qty, line.price: Price, line.vat_rate: Vat }
  - name: memos
    pattern: "memo*.csv"
    kind: credit_invoices
    format: csv
    numberFormat: dot
    creditSign: positive
    map: { id: No, customer_no: Cust, date: Date, line.model: Art, line.quantity: Qty, line.price: Price, line.vat_rate: Vat }
`;

const HEAD = 'No;Cust;Date;Due;Paid;Order;Track;Via;Art;Qty;Price;Vat;Typ';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

function setup() {
  const dir = tmpDir('vp-kinds');
  const app = appIn(dir, CONFIG);
  const drop = (name: string, content: string | Buffer) => writeBytes(path.join(dir, 'in'), name, content);
  const ingest = (name: string, content: string | Buffer) => processFile(app, drop(name, content), { move: false, publish: true });
  const read = (key: string) => JSON.parse(readFileSync(app.target.pathOf(key), 'utf8')) as Record<string, any>;
  return { app, dir, ingest, read, has: (key: string) => existsSync(app.target.pathOf(key)) };
}

test('an invoice feed with a credit marker writes invoices and credit invoices; values are mapped; tracking links come out', async () => {
  const t = setup();
  const r = await t.ingest(
    'inv1.csv',
    `${HEAD}\n500;C1;2025-01-02;2025-02-01;J;100;1Z1;UPS;A;2;10.00;25;Faktura\n501;C1;2025-01-09;2025-02-08;N;100;;;A;-1;10.00;25;Kredit\n`,
  );
  assert.equal(r.outcome, 'ingested', r.errors.map((e) => e.message).join('\n'));
  const inv = t.read('customers/C1/invoices/500.json');
  assert.equal(inv.payment_status, 'Betald');
  assert.deepEqual(inv.packages, [{ tracing_id: '1Z1', tracking_link: 'https://www.ups.com/track?tracknum=1Z1' }]);
  const credit = t.read('customers/C1/credit-invoices/501.json');
  assert.equal(credit.payment_status, 'Obetald');
  assert.equal(credit.total_amount, '-12.50');
  assert.deepEqual(t.read('customers/C1/invoices/pages/1.json').items.map((i: any) => i.type), ['credit', 'invoice']);
  t.app.close();
});

test('credit memos written with positive amounts (creditSign: positive) are published negative', async () => {
  const t = setup();
  await t.ingest('memo1.csv', 'No;Cust;Date;Art;Qty;Price;Vat\nCM1;C2;2025-03-04;A;3;100.00;25\n');
  const credit = t.read('customers/C2/credit-invoices/CM1.json');
  assert.equal(credit.total_amount, '-375.00');
  assert.equal(credit.products[0].quantity, '-3');
  assert.equal(credit.products[0].price_amount, '100.00', 'the unit price stays as it is');
  t.app.close();
});

test('a PDF that arrives before its invoice waits (status lists it) and is published with the invoice; one that arrives after is published at once', async () => {
  const t = setup();
  const early = await t.ingest('faktura_600.pdf', PDF);
  assert.equal(early.outcome, 'ingested');
  assert.deepEqual((await collectStatus(t.app)).pdfs_waiting.map((p) => [p.kind, p.id, p.file]), [['invoice', '600', 'faktura_600.pdf']]);
  assert.ok(!t.has('customers/C1/invoices/600.pdf'));
  await t.ingest('inv2.csv', `${HEAD}\n600;C1;2025-04-01;;;;;;A;1;10;25;Faktura\n601;C1;2025-04-02;;;;;;A;1;10;25;Faktura\n`);
  assert.ok(readFileSync(t.app.target.pathOf('customers/C1/invoices/600.pdf')).equals(PDF));
  assert.equal(t.read('customers/C1/invoices/600.json').pdf_link, 'https://historik.example.se/v1/customers/C1/invoices/600.pdf');
  assert.equal(t.read('customers/C1/invoices/601.json').pdf_link, null);
  assert.deepEqual((await collectStatus(t.app)).pdfs_waiting, []);
  // After: the invoice exists, the PDF goes out with the next cycle.
  await t.ingest('faktura_601.pdf', PDF);
  assert.ok(t.has('customers/C1/invoices/601.pdf'));
  assert.equal(t.read('customers/C1/invoices/601.json').pdf_link, 'https://historik.example.se/v1/customers/C1/invoices/601.pdf');
  // A file that only pretends to be a PDF is rejected.
  const fake = await t.ingest('faktura_602.pdf', 'hello');
  assert.equal(fake.outcome, 'rejected');
  assert.equal(fake.errors[0]!.context.rule, 'pdf');
  t.app.close();
});

test('a document that moves to another customer takes its PDF along', async () => {
  const t = setup();
  await t.ingest('inv1.csv', `${HEAD}\n700;C1;2025-04-01;;;;;;A;1;10;25;Faktura\n`);
  await t.ingest('faktura_700.pdf', PDF);
  assert.ok(t.has('customers/C1/invoices/700.pdf'));
  await t.ingest('inv2.csv', `${HEAD}\n700;C2;2025-04-01;;;;;;A;1;10;25;Faktura\n`);
  assert.ok(!t.has('customers/C1/invoices/700.pdf'));
  assert.ok(t.has('customers/C2/invoices/700.pdf'));
  t.app.close();
});
