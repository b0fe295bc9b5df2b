import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { processFile } from '../../src/ingest/process.ts';
import { appIn, tmpDir, writeBytes } from '../helpers.ts';

/** Export shapes real ERPs write (issue 13): Business Central-style tables, a kolli file, an XML export. */
const CONFIG = `
shippingVatRate: "25"
feeds:
  - name: bc-orders
    pattern: "SalesHeader_*.csv"
    kind: orders
    format: csv
    delimiter: ","
    numberFormat: dot
    currency: SEK
    map: { id: No., customer_no: Sell-to Customer No., date: Order Date, status: Status, delivery.company: Ship-to Name, delivery.address: Ship-to Address }
  - name: bc-order-lines
    pattern: "SalesLine_*.csv"
    kind: order_lines
    format: csv
    delimiter: ","
    numberFormat: dot
    charges:
      - when: { Type: "Charge (Item)" }
      - when: { Type: G/L Account, No.: "3520" }
    map: { id: Document No., line.model: No., line.name: Description, line.quantity: Quantity, line.price: Unit Price, line.row_total: Line Amount, line.vat_rate: VAT %, line.remaining: Outstanding Quantity }
  - name: bc-shipments
    pattern: "SalesShipmentHeader_*.csv"
    kind: packages
    format: csv
    delimiter: ","
    map: { id: No., order_no: Order No., tracking_id: Package Tracking No., carrier: Shipping Agent Code }
  - name: kolli-full
    pattern: "kolli_FULL_*.csv"
    kind: packages
    format: csv
    mode: full
    maxDeleteShare: 1
    map: { id: Kollinr, order_no: Ordernr, tracking_id: Kollinr, carrier: Transportör }
  - name: bc-invoices
    pattern: "SalesInvoiceHeader_*.csv"
    kind: invoices
    format: csv
    delimiter: ","
    numberFormat: dot
    currency: SEK
    map: { id: No., customer_no: Sell-to Customer No., date: Posting Date, order_no: Order No. }
  - name: bc-invoice-lines
    pattern: "SalesInvoiceLine_*.csv"
    kind: invoice_lines
    format: csv
    delimiter: ","
    numberFormat: dot
    map: { id: Document No., line.model: No., line.quantity: Quantity, line.price: Unit Price, line.vat_rate: VAT %, line.order_no: Order No. }
  - name: bc-credit-memos
    pattern: "SalesCrMemoHeader_*.csv"
    kind: credit_invoices
    format: csv
    delimiter: ","
    numberFormat: dot
    currency: SEK
    creditSign: positive
    map: { id: No., customer_no: Sell-to Customer No., date: Posting Date, credited_invoice: Applies-to Doc. No., line.quantity: Quantity, line.price: Unit Price, line.vat_rate: VAT % }
  - name: flat-invoices
    pattern: "fakturor_*.csv"
    kind: invoices
    format: csv
    numberFormat: comma
    dateFormat: YYYYMMDD
    map: { id: Fakturanr, customer_no: Kundnr, date: Datum, order_no: Ordernr, line.model: Artikel, line.quantity: Antal, line.price: Pris, line.vat_rate: Moms }
  - name: bc-deletions
    pattern: "Deletions_*.csv"
    kind: deletions
    format: csv
    delimiter: ","
    deletes:
      - { when: { Table: Sales Header, Document Type: Order }, delete: order }
      - { when: { Table: Sales Header }, delete: ignore }
      - { when: { Table: Sales Invoice Header }, delete: invoice }
      - { when: { Table: Sales Cr.Memo Header }, delete: credit }
      - { when: { Table: Sales Shipment Header }, delete: package }
    map: { id: No. }
  - name: xml-orders
    pattern: "orders_*.xml"
    kind: orders
    format: xml
    recordPath: Export/Order
    linePath: Lines/Line
    numberFormat: dot
    map: { id: "@no", customer_no: Customer/@No, date: Date, tracking_id: Packages/Package/@id, carrier: Packages/Package/@carrier, line.model: "@item", line.quantity: "@qty", line.price: "@price", line.vat_rate: "@vat" }
  - name: xml-invoices
    pattern: "invoices_*.xml"
    kind: invoices
    format: xml
    recordPath: Export/Invoice
    numberFormat: dot
    map: { id: "@no", customer_no: Customer/@No, date: Date, order_no: OrderRef/@No, total: Total }
`;

const SH = 'No.,Sell-to Customer No.,Order Date,Status,Ship-to Name,Ship-to Address';
const SL = 'Document No.,Type,No.,Description,Quantity,Unit Price,Line Amount,VAT %,Outstanding Quantity';
const SHIP = 'No.,Order No.,Shipping Agent Code,Package Tracking No.';

function setup() {
  const dir = tmpDir('vp-shapes');
  const app = appIn(dir, CONFIG);
  const drop = (name: string, content: string) => writeBytes(path.join(dir, 'in'), name, content);
  const ingest = async (name: string, content: string) => {
    const r = await processFile(app, drop(name, content), { move: false, publish: true });
    assert.equal(r.outcome, 'ingested', r.errors.map((e) => e.message).join('\n'));
    assert.equal(r.plan?.invalid ?? 0, 0, 'every document passes its schema');
    return r;
  };
  const read = (key: string) => JSON.parse(readFileSync(app.target.pathOf(key), 'utf8')) as Record<string, any>;
  const has = (key: string) => existsSync(app.target.pathOf(key));
  return { app, dir, drop, ingest, read, has };
}

const tracking = (doc: Record<string, any>) => doc.packages.map((p: any) => [p.tracing_id, new URL(p.tracking_link).hostname]);

test('packages feed: a shipment before its order waits for it; a re-sent shipment replaces its row; empty tracking is no package; two shipments, two carriers', async () => {
  const t = setup();
  // The shipment file arrives first: nothing to publish yet (no order).
  await t.ingest('SalesShipmentHeader_1.csv', `${SHIP}\nSS-1,S-1,POSTNORD,\nSS-2,S-1,UPS,1Z999\n`);
  assert.ok(!t.has('customers/C1/orders/S-1.json'));
  await t.ingest('SalesHeader_1.csv', `${SH}\nS-1,C1,2025-03-01,Released,Kafé Centrum,Storgatan 1\n`);
  await t.ingest('SalesLine_1.csv', `${SL}\nS-1,Item,A,Kaffe,2,100,200,25,0\n`);
  // SS-1 has no tracking number yet: no package.
  assert.deepEqual(tracking(t.read('customers/C1/orders/S-1.json')), [['1Z999', 'www.ups.com']]);
  // SS-1 sent again, its tracking number filled in: it replaces the first row, it does not add one.
  await t.ingest('SalesShipmentHeader_2.csv', `${SHIP}\nSS-1,S-1,POSTNORD,00373500\n`);
  assert.deepEqual(tracking(t.read('customers/C1/orders/S-1.json')), [['00373500', 'tracking.postnord.com'], ['1Z999', 'www.ups.com']]);
  await t.ingest('SalesShipmentHeader_3.csv', `${SHIP}\nSS-1,S-1,POSTNORD,00373501\n`);
  assert.deepEqual(tracking(t.read('customers/C1/orders/S-1.json')), [['00373501', 'tracking.postnord.com'], ['1Z999', 'www.ups.com']]);
  t.app.close();
});

test('packages feed in full mode: a shipment absent from the next snapshot is removed; a shipment moved to another order leaves the first', async () => {
  const t = setup();
  await t.ingest('SalesHeader_1.csv', `${SH}\nS-1,C1,2025-03-01,,,\nS-2,C2,2025-03-02,,,\n`);
  await t.ingest('kolli_FULL_1.csv', 'Ordernr;Transportör;Kollinr\nS-1;PostNord;K1\nS-1;DHL;K2\n');
  assert.deepEqual(tracking(t.read('customers/C1/orders/S-1.json')), [['K1', 'tracking.postnord.com'], ['K2', 'www.dhl.com']]);
  await t.ingest('kolli_FULL_2.csv', 'Ordernr;Transportör;Kollinr\nS-2;DHL;K2\n');
  assert.deepEqual(tracking(t.read('customers/C1/orders/S-1.json')), []);
  assert.deepEqual(tracking(t.read('customers/C2/orders/S-2.json')), [['K2', 'www.dhl.com']]);
  t.app.close();
});

test('charge lines: freight lines (Charge (Item), G/L Account 3520) are shipping_cost at their own VAT, not products, not backorders', async () => {
  const t = setup();
  await t.ingest('SalesHeader_1.csv', `${SH}\nS-1,C1,2025-03-01,Released,,\n`);
  await t.ingest(
    'SalesLine_1.csv',
    `${SL}\nS-1,Item,A,Kaffe,2,100,200,12,1\nS-1,Charge (Item),FRAKT,Frakt,1,150,150,25,1\nS-1,G/L Account,3520,Frakt,1,50,50,25,0\nS-1,G/L Account,3010,Emballage,1,10,10,25,0\n`,
  );
  const order = t.read('customers/C1/orders/S-1.json');
  assert.deepEqual(order.products.map((p: any) => p.model), ['A', '3010']);
  assert.equal(order.shipping_cost_amount, '200.00');
  assert.equal(order.net_total_amount, '210.00');
  assert.deepEqual(order.tax.map((x: any) => [x.rate, x.base_amount, x.vat_amount]), [['25', '210.00', '52.50'], ['12', '200.00', '24.00']]);
  assert.equal(order.total_amount, '486.50');
  // The charge line has an outstanding quantity too; only the goods are backordered.
  assert.deepEqual(t.read('customers/C1/backorders.json').items.map((i: any) => i.model), ['A']);
  t.app.close();
});

test('orders[] of a collective invoice: the distinct order numbers of its lines, in line order (split and flat layouts)', async () => {
  const t = setup();
  await t.ingest('SalesInvoiceHeader_1.csv', 'No.,Sell-to Customer No.,Posting Date,Order No.\nI-1,C1,2025-03-05,\n');
  await t.ingest('SalesInvoiceLine_1.csv', 'Document No.,No.,Quantity,Unit Price,VAT %,Order No.\nI-1,A,1,10,25,S-2\nI-1,B,1,10,25,S-1\nI-1,C,1,10,25,S-2\n');
  assert.deepEqual(t.read('customers/C1/invoices/I-1.json').orders, [{ order_no: 'S-2' }, { order_no: 'S-1' }]);
  await t.ingest('fakturor_1.csv', 'Fakturanr;Kundnr;Datum;Ordernr;Artikel;Antal;Pris;Moms\n9;C1;20250306;100;A;1;10;25\n9;C1;20250306;101;B;1;10;25\n9;C1;20250306;100;C;1;10;25\n');
  assert.deepEqual(t.read('customers/C1/invoices/9.json').orders, [{ order_no: '100' }, { order_no: '101' }]);
  t.app.close();
});

test('repeated XML elements are lists: several <Package carrier=…> per order, several <OrderRef No=…> per invoice', async () => {
  const t = setup();
  await t.ingest(
    'orders_1.xml',
    `<?xml version="1.0"?><Export>
  <Order no="X1"><Customer No="C7"/><Date>2025-01-02</Date>
    <Packages><Package id="P-1" carrier="PostNord"/><Package id="P-2" carrier="DHL Express"/><Package id="P-3"/></Packages>
    <Lines><Line item="A" qty="1" price="10" vat="25"/></Lines></Order>
  <Order no="X2"><Customer No="C7"/><Date>2025-01-03</Date>
    <Packages><Package id="P-9" carrier="UPS"/></Packages>
    <Lines><Line item="A" qty="1" price="10" vat="25"/></Lines></Order>
</Export>`,
  );
  const x1 = t.read('customers/C7/orders/X1.json');
  assert.deepEqual(x1.packages.map((p: any) => p.tracing_id), ['P-1', 'P-2', 'P-3']);
  assert.equal(new URL(x1.packages[0].tracking_link).hostname, 'tracking.postnord.com');
  assert.ok(x1.packages[1].tracking_link.includes('tracking-express'), 'DHL Express, not the first package\'s carrier');
  assert.equal(x1.packages[2].tracking_link, null, 'a package element without a carrier has no link (not its neighbour\'s carrier)');
  assert.deepEqual(tracking(t.read('customers/C7/orders/X2.json')), [['P-9', 'www.ups.com']]);
  await t.ingest('invoices_1.xml', `<Export><Invoice no="F1"><Customer No="C7"/><Date>2025-01-05</Date><OrderRef No="X1"/><OrderRef No="X2"/><OrderRef No="X1"/><Total>25.00</Total></Invoice></Export>`);
  assert.deepEqual(t.read('customers/C7/invoices/F1.json').orders, [{ order_no: 'X1' }, { order_no: 'X2' }]);
  t.app.close();
});

test('deletions feed (Table, Document Type, No.): deletes orders, invoices, credit invoices and shipments; no date column needed', async () => {
  const t = setup();
  await t.ingest('SalesHeader_1.csv', `${SH}\nS-1,C1,2025-03-01,,,\nS-2,C1,2025-03-02,,,\n`);
  await t.ingest('SalesShipmentHeader_1.csv', `${SHIP}\nSS-1,S-2,UPS,1Z1\n`);
  await t.ingest('SalesInvoiceHeader_1.csv', 'No.,Sell-to Customer No.,Posting Date,Order No.\nI-1,C1,2025-03-05,S-1\n');
  await t.ingest('SalesCrMemoHeader_1.csv', 'No.,Sell-to Customer No.,Posting Date,Applies-to Doc. No.,Quantity,Unit Price,VAT %\nCR-1,C1,2025-03-06,I-1,1,10,25\n');
  const r = await t.ingest(
    'Deletions_1.csv',
    'Table,Document Type,No.\nSales Header,Order,S-1\nSales Header,Quote,S-2\nSales Invoice Header,,I-1\nSales Cr.Memo Header,,CR-1\nSales Shipment Header,,SS-1\n',
  );
  assert.equal(r.result?.deleted, 4);
  assert.ok(!t.has('customers/C1/orders/S-1.json'));
  assert.ok(!t.has('customers/C1/invoices/I-1.json'));
  assert.ok(!t.has('customers/C1/credit-invoices/CR-1.json'));
  // A quote of the same number is not our order: S-2 stays, without its shipment.
  assert.deepEqual(t.read('customers/C1/orders/S-2.json').packages, []);
  // A record no rule names is a bad record, not silently dropped.
  const bad = await processFile(t.app, t.drop('Deletions_2.csv', 'Table,Document Type,No.\nSales Line,Order,S-2\n'), { move: false, publish: true });
  assert.equal(bad.outcome, 'rejected');
  assert.equal(bad.errors[0]!.context.rule, 'deletion-kind');
  assert.equal(bad.errors[0]!.context.line, 2);
  t.app.close();
});

test('fields real exports have: delivery.company, the document status, the invoice a credit credits', async () => {
  const t = setup();
  await t.ingest('SalesHeader_1.csv', `${SH}\nS-1,C1,2025-03-01,Released,Kafé Centrum,Storgatan 1\nS-2,C1,2025-03-02,,,Storgatan 2\n`);
  const s1 = t.read('customers/C1/orders/S-1.json');
  assert.equal(s1.delivery.company, 'Kafé Centrum');
  assert.equal(s1.status, 'Released');
  // Without them in the export, the document has neither key (its bytes stay what they were).
  const s2 = t.read('customers/C1/orders/S-2.json');
  assert.ok(!('company' in s2.delivery));
  assert.ok(!('status' in s2));
  await t.ingest('SalesCrMemoHeader_1.csv', 'No.,Sell-to Customer No.,Posting Date,Applies-to Doc. No.,Quantity,Unit Price,VAT %\nCR-1,C1,2025-03-06,PS-INV7,1,10,25\n');
  const cr = t.read('customers/C1/credit-invoices/CR-1.json');
  assert.equal(cr.credited_invoice, 'PS-INV7');
  assert.equal(cr.total_amount, '-12.50');
  t.app.close();
});

test('config: a packages feed needs order_no and tracking_id; a deletions feed needs deletes and delta mode; charges need line fields', () => {
  const dir = tmpDir('vp-shapes-cfg');
  const feed = (body: string) => `feeds:\n  - name: f\n    pattern: "x*.csv"\n    format: csv\n${body}`;
  assert.throws(() => appIn(dir, feed('    kind: packages\n    map: { id: No., tracking_id: T }\n')), /feeds\.0\.map` needs `order_no` for kind packages/);
  assert.throws(() => appIn(dir, feed('    kind: deletions\n    map: { id: No. }\n')), /feeds\.0\.deletes` is required for kind deletions/);
  assert.throws(() => appIn(dir, feed('    kind: deletions\n    mode: full\n    deletes: [{ when: {}, delete: order }]\n    map: { id: No. }\n')), /must be delta/);
  assert.throws(() => appIn(dir, feed('    kind: deletions\n    deletes: [{ when: {}, delete: everything }]\n    map: { id: No. }\n')), /must be one of "order", "invoice", "credit", "package", "ignore"/);
  assert.throws(() => appIn(dir, feed('    kind: orders\n    charges: [{ when: { Type: Charge } }]\n    map: { id: No., customer_no: C, date: D }\n')), /charges` applies to feeds with line fields/);
});
