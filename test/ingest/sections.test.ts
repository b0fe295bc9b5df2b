import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { processFile } from '../../src/ingest/process.ts';
import { appIn, tmpDir, writeBytes } from '../helpers.ts';

/** Several record kinds in one file (issue 13, item 2): one XML export, one CSV with a type column. */
const CONFIG = `
feeds:
  - name: erp-xml
    pattern: "export_*.xml"
    format: xml
    numberFormat: dot
    sections:
      - kind: orders
        recordPath: Export/Orders/Order
        linePath: Lines/Line
        map: { id: "@no", customer_no: "@customer", date: Date, line.model: "@item", line.quantity: "@qty", line.price: "@price", line.vat_rate: "@vat" }
      - kind: invoices
        recordPath: Export/Invoices/Invoice
        linePath: Lines/Line
        credit: { column: "@type", values: [credit] }
        map: { id: "@no", customer_no: "@customer", date: Date, order_no: OrderRef/@No, credited_invoice: Credits, line.model: "@item", line.quantity: "@qty", line.price: "@price", line.vat_rate: "@vat" }
      - kind: deletions
        recordPath: Export/Deletions/Deletion
        deletes:
          - { when: { "@type": order }, delete: order }
          - { when: { "@type": invoice }, delete: invoice }
        map: { id: "@no" }
  - name: mixed-csv
    pattern: "mixed_*.csv"
    format: csv
    numberFormat: comma
    sections:
      - kind: orders
        when: { Typ: H }
        map: { id: Nr, customer_no: Kund, date: Datum }
      - kind: order_lines
        when: { Typ: R }
        map: { id: Nr, line.model: Artikel, line.quantity: Antal, line.price: Pris, line.vat_rate: Moms }
`;

const XML = `<?xml version="1.0" encoding="UTF-8"?>
<Export>
  <Orders>
    <Order no="O1" customer="C1"><Date>2025-02-01</Date><Lines><Line item="A" qty="2" price="10" vat="25"/></Lines></Order>
    <Order no="O2" customer="C1"><Date>2025-02-02</Date><Lines><Line item="B" qty="1" price="5" vat="25"/></Lines></Order>
  </Orders>
  <Invoices>
    <Invoice no="F1" type="debit" customer="C1"><Date>2025-02-03</Date><OrderRef No="O1"/><OrderRef No="O2"/><Lines><Line item="A" qty="2" price="10" vat="25"/></Lines></Invoice>
    <Invoice no="K1" type="credit" customer="C1"><Date>2025-02-04</Date><Credits>F1</Credits><Lines><Line item="A" qty="-1" price="10" vat="25"/></Lines></Invoice>
  </Invoices>
  <Deletions>
    <Deletion type="order" no="O9"/>
  </Deletions>
</Export>`;

function setup() {
  const dir = tmpDir('vp-sections');
  const app = appIn(dir, CONFIG);
  const drop = (name: string, content: string) => writeBytes(path.join(dir, 'in'), name, content);
  const ingest = (name: string, content: string) => processFile(app, drop(name, content), { move: false, publish: true });
  const read = (key: string) => JSON.parse(readFileSync(app.target.pathOf(key), 'utf8')) as Record<string, any>;
  const has = (key: string) => existsSync(app.target.pathOf(key));
  return { app, ingest, read, has };
}

test('an XML export with <Orders>, <Invoices> (debit and credit by an attribute) and <Deletions> is read whole', async () => {
  const t = setup();
  const r = await t.ingest('export_1.xml', XML.replace('<Deletion type="order" no="O9"/>', ''));
  assert.equal(r.outcome, 'ingested', r.errors.map((e) => e.message).join('\n'));
  assert.equal(t.read('customers/C1/orders/O1.json').total_amount, '25.00');
  assert.deepEqual(t.read('customers/C1/invoices/F1.json').orders, [{ order_no: 'O1' }, { order_no: 'O2' }]);
  const credit = t.read('customers/C1/credit-invoices/K1.json');
  assert.equal(credit.total_amount, '-12.50');
  assert.equal(credit.credited_invoice, 'F1');
  assert.deepEqual(t.read('customers/C1/invoices/pages/1.json').items.map((i: any) => [i.id, i.type]), [['K1', 'credit'], ['F1', 'invoice']]);
  // The next export deletes O2 and F1 in its <Deletions>.
  const r2 = await t.ingest('export_2.xml', XML.replace('<Deletion type="order" no="O9"/>', '<Deletion type="order" no="O2"/><Deletion type="invoice" no="F1"/>'));
  assert.equal(r2.outcome, 'ingested', r2.errors.map((e) => e.message).join('\n'));
  // O2 and F1 are in this file's <Orders>/<Invoices> too: sections apply in order, so the deletions come last.
  assert.ok(!t.has('customers/C1/orders/O2.json'));
  assert.ok(!t.has('customers/C1/invoices/F1.json'));
  assert.ok(t.has('customers/C1/orders/O1.json'));
  t.app.close();
});

test('one transaction across sections: a bad invoice rejects the file, its orders included', async () => {
  const t = setup();
  const r = await t.ingest('export_3.xml', XML.replace('<Invoice no="F1" type="debit" customer="C1"><Date>2025-02-03</Date>', '<Invoice no="F1" type="debit" customer="C1"><Date>2025-13-03</Date>'));
  assert.equal(r.outcome, 'rejected');
  assert.equal(r.errors[0]!.context.rule, 'date-invalid');
  assert.ok(!t.has('customers/C1/orders/O1.json'), 'nothing of the file is published');
  assert.deepEqual(t.app.store.customerDocs('C1'), []);
  t.app.close();
});

test('a CSV that mixes kinds by a type column: headers and lines by `when`; a record of no section is a bad record', async () => {
  const t = setup();
  const head = 'Typ;Nr;Kund;Datum;Artikel;Antal;Pris;Moms';
  const r = await t.ingest('mixed_1.csv', `${head}\nH;7;C2;2025-03-01;;;;\nR;7;;;A;2;10,00;25\nR;7;;;B;1;5,00;12\n`);
  assert.equal(r.outcome, 'ingested', r.errors.map((e) => e.message).join('\n'));
  const order = t.read('customers/C2/orders/7.json');
  assert.deepEqual(order.products.map((p: any) => p.model), ['A', 'B']);
  assert.equal(order.total_amount, '30.60');
  const bad = await t.ingest('mixed_2.csv', `${head}\nH;8;C2;2025-03-02;;;;\nX;8;;;A;1;1,00;25\n`);
  assert.equal(bad.outcome, 'rejected');
  assert.equal(bad.errors[0]!.context.rule, 'section-none');
  assert.equal(bad.errors[0]!.context.line, 3);
  assert.ok(!t.has('customers/C2/orders/8.json'));
  t.app.close();
});

test('config: sections replace kind and map; XML sections sharing a record path need `when`', () => {
  const dir = tmpDir('vp-sections-cfg');
  assert.throws(() => appIn(dir, 'feeds:\n  - { name: f, pattern: "x*", format: csv, kind: orders, map: { id: A }, sections: [{ kind: orders, map: { id: A, customer_no: B, date: C } }] }\n'), /sections` replace the feed's `kind` and `map`/);
  assert.throws(() => appIn(dir, 'feeds:\n  - { name: f, pattern: "x*", format: csv }\n'), /feeds\.0\.kind` is required/);
  assert.throws(() => appIn(dir, 'feeds:\n  - { name: f, pattern: "x*", format: csv, sections: [{ kind: orders, map: { id: A, date: C } }] }\n'), /feeds\.0\.sections\.0\.map` needs `customer_no`/);
  assert.throws(
    () => appIn(dir, 'feeds:\n  - { name: f, pattern: "x*", format: xml, sections: [{ kind: orders, recordPath: A/B, map: { id: A, customer_no: B, date: C } }, { kind: deletions, recordPath: A/B, deletes: [{ when: {}, delete: order }], map: { id: A } }] }\n'),
    /need a recordPath each/,
  );
});
