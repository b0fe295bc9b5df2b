import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { processFile } from '../../src/ingest/process.ts';
import { appIn, FLAT_HEADER, FLAT_ORDERS_FEED, flatRow, tmpDir, writeBytes, type LocalApp } from '../helpers.ts';

const SPLIT_FEEDS = `
  - name: heads
    pattern: "heads*.csv"
    kind: orders
    format: csv
    delimiter: ";"
    dateFormat: YYYY-MM-DD
    numberFormat: dot
    mode: delta
    map: { id: No, customer_no: Cust, date: Date, reference: Ref, customer.company: Name, customer.country: Country }
  - name: rows
    pattern: "rows*.csv"
    kind: order_lines
    format: csv
    delimiter: ";"
    numberFormat: dot
    mode: delta
    map: { id: No, line.model: Art, line.name: Text, line.quantity: Qty, line.price: Price, line.vat_rate: Vat }
  - name: snapshot
    pattern: "snapshot*.csv"
    kind: orders
    format: csv
    delimiter: ";"
    dateFormat: YYYYMMDD
    numberFormat: comma
    mode: full
    map: { id: Ordernr, customer_no: Kundnr, date: Datum, reference: Ref, customer.company: Namn, customer.country: Land, line.model: Art, line.name: Text, line.quantity: Antal, line.price: Pris, line.discount: Rabatt, line.vat_rate: Moms }
`;

function setup(): { app: LocalApp; dir: string; drop: (name: string, text: string) => string; ingest: (name: string, text: string, force?: boolean) => ReturnType<typeof processFile>; read: (key: string) => unknown; has: (key: string) => boolean } {
  const dir = tmpDir('vp-ingest');
  const app = appIn(dir, `feeds:${FLAT_ORDERS_FEED}${SPLIT_FEEDS}`);
  const drop = (name: string, text: string) => writeBytes(path.join(dir, 'in'), name, text);
  return {
    app,
    dir,
    drop,
    ingest: (name, text, force) => processFile(app, drop(name, text), { move: false, reapply: true, publish: true, force }),
    read: (key) => JSON.parse(readFileSync(app.target.pathOf(key), 'utf8')),
    has: (key) => existsSync(app.target.pathOf(key)),
  };
}

const csv = (...rows: string[]) => `${[FLAT_HEADER, ...rows].join('\r\n')}\r\n`;

test('delta: upsert publishes documents and lists; the same file again writes nothing', async () => {
  const t = setup();
  const text = csv(flatRow({ id: '1', c: 'C1', date: '20250102' }), flatRow({ id: '1', c: 'C1', date: '20250102', art: 'B2', vat: '12' }), flatRow({ id: '2', c: 'C2', date: '20250103' }));
  const r1 = await t.ingest('orders1.csv', text);
  assert.equal(r1.outcome, 'ingested', r1.errors.map((e) => e.message).join('\n'));
  assert.equal(r1.plan!.invalid, 0);
  const order = t.read('customers/C1/orders/1.json') as { products: unknown[]; customer: { country_iso: string } };
  assert.equal(order.products.length, 2);
  assert.equal(order.customer.country_iso, 'SWE');
  assert.ok(t.has('customers/C2/orders/pages/1.json'));
  const r2 = await t.ingest('orders1-again.csv', text);
  assert.equal(r2.publish!.written, 0);
  assert.equal(r2.publish!.deleted, 0);
  t.app.close();
});

test('delta: the deletion marker removes the document and its list entry', async () => {
  const t = setup();
  await t.ingest('orders1.csv', csv(flatRow({ id: '1', c: 'C1', date: '20250102' }), flatRow({ id: '2', c: 'C1', date: '20250103' })));
  const r = await t.ingest('orders2.csv', csv(flatRow({ id: '1', c: 'C1', date: '20250102', status: 'Makulerad' })));
  assert.equal(r.result!.deleted, 1);
  assert.ok(!t.has('customers/C1/orders/1.json'));
  assert.deepEqual((t.read('customers/C1/orders/pages/1.json') as { items: Array<{ id: string }> }).items.map((i) => i.id), ['2']);
  t.app.close();
});

test('a document that moves to another customer disappears from the old customer', async () => {
  const t = setup();
  await t.ingest('orders1.csv', csv(flatRow({ id: '1', c: 'C1', date: '20250102' }), flatRow({ id: '2', c: 'C1', date: '20250103' })));
  await t.ingest('orders2.csv', csv(flatRow({ id: '1', c: 'C9', date: '20250102' })));
  assert.ok(!t.has('customers/C1/orders/1.json'));
  assert.ok(t.has('customers/C9/orders/1.json'));
  assert.deepEqual((t.read('customers/C1/orders/pages/1.json') as { items: Array<{ id: string }> }).items.map((i) => i.id), ['2']);
  t.app.close();
});

test('a bad row rejects the whole file with file:line, and nothing of it is stored or published', async () => {
  const t = setup();
  const r = await t.ingest('orders-bad.csv', csv(flatRow({ id: '1', c: 'C1', date: '20250102' }), flatRow({ id: '2', c: 'C1', date: '20240230' }), flatRow({ id: '3', c: 'C1', date: '20250102', price: '12,3,4' })));
  assert.equal(r.outcome, 'rejected');
  assert.equal(r.errors.length, 2, 'every bad row is reported, not only the first');
  assert.match(r.errors[0]!.message, /^orders-bad\.csv:3 field `Datum → date` value "20240230": .*\(rule date-invalid\)/);
  assert.match(r.errors[1]!.message, /^orders-bad\.csv:4 field `Pris → line\.price` value "12,3,4"/);
  assert.equal(t.app.store.db.prepare('SELECT count(*) FROM docs').pluck().get(), 0);
  assert.ok(!existsSync(t.app.target.root) || readdirSync(t.app.target.root).length === 0);
  t.app.close();
});

test('the same order id under two customers in one file is rejected', async () => {
  const t = setup();
  const r = await t.ingest('orders1.csv', csv(flatRow({ id: '1', c: 'C1', date: '20250102' }), flatRow({ id: '1', c: 'C2', date: '20250102' })));
  assert.equal(r.outcome, 'rejected');
  assert.match(r.errors[0]!.message, /orders1\.csv:3 .*appears under customer C1 and C2.*id-customer-conflict/);
  t.app.close();
});

test('header file and line file join on the order number in either arrival order, same bytes as each other', async () => {
  const heads = 'No;Cust;Date;Ref;Name;Country\n7;C1;2025-05-06;R7;Kund AB;SE\n8;C1;2025-05-07;R8;Kund AB;SWE\n';
  const rows = 'No;Art;Text;Qty;Price;Vat\n7;A;Alfa;1;10.00;25\n7;B;Beta;2;5.50;12\n8;C;Gamma;3;1.00;25\n';
  const a = setup();
  await a.ingest('heads1.csv', heads);
  await a.ingest('rows1.csv', rows);
  const b = setup();
  const early = await b.ingest('rows1.csv', rows);
  assert.equal(early.publish!.written, 0, 'lines without their header publish nothing yet');
  await b.ingest('heads1.csv', heads);
  for (const key of ['customers/C1/orders/7.json', 'customers/C1/orders/8.json', 'customers/C1/orders/pages/1.json']) {
    assert.deepEqual(a.read(key), b.read(key), key);
  }
  const o7 = a.read('customers/C1/orders/7.json') as { products: Array<{ model: string }>; tax: Array<{ rate: string }> };
  assert.deepEqual(o7.products.map((p) => p.model), ['A', 'B']);
  assert.deepEqual(o7.tax.map((x) => x.rate), ['25', '12']);
  a.app.close();
  b.app.close();
});

test('full mode deletes what is absent, unless more than 20 % would go (suspected truncation); --force overrides', async () => {
  const t = setup();
  const rows = Array.from({ length: 10 }, (_, i) => flatRow({ id: String(i + 1), c: i < 5 ? 'C1' : 'C2', date: `2025010${(i % 9) + 1}` }));
  assert.equal((await t.ingest('snapshot1.csv', csv(...rows))).outcome, 'ingested');
  // 2 of 10 absent: exactly 20 %, allowed.
  const r2 = await t.ingest('snapshot2.csv', csv(...rows.slice(2)));
  assert.equal(r2.outcome, 'ingested');
  assert.equal(r2.result!.deleted, 2);
  assert.ok(!t.has('customers/C1/orders/1.json'));
  // Header only: would delete everything.
  const r3 = await t.ingest('snapshot3.csv', csv());
  assert.equal(r3.outcome, 'rejected');
  assert.match(r3.errors[0]!.message, /would delete 8 of 8 orders .*suspected truncated export.*max-delete-share/);
  assert.ok(t.has('customers/C2/orders/10.json'), 'nothing was deleted');
  // 3 of 8 absent (37 %): rejected, then accepted with force.
  const short = csv(...rows.slice(5));
  assert.equal((await t.ingest('snapshot4.csv', short)).outcome, 'rejected');
  const forced = await t.ingest('snapshot4.csv', short, true);
  assert.equal(forced.outcome, 'ingested');
  assert.ok(!t.has('customers/C1/orders/3.json'));
  assert.ok(!t.has('customers/C1/orders/pages/1.json'), 'C1 has no documents left: the customer is unknown again (404)');
  t.app.close();
});

test('skip-record skips a document whole: a bad line of a stored order leaves the stored order as it was', async () => {
  const dir = tmpDir('vp-skip');
  const app = appIn(dir, `feeds:${FLAT_ORDERS_FEED.replace('mode: delta', 'mode: delta\n    onError: skip-record')}`);
  const drop = (name: string, text: string) => writeBytes(path.join(dir, 'in'), name, text);
  const read = (key: string) => JSON.parse(readFileSync(app.target.pathOf(key), 'utf8')) as { products: Array<{ quantity: string }> };
  await processFile(app, drop('orders1.csv', csv(flatRow({ id: '1', c: 'C1', date: '20250102', qty: '1' }), flatRow({ id: '1', c: 'C1', date: '20250102', qty: '2' }))), { move: false, publish: true });
  // Order 1 comes again with a good first line and a bad second one; order 2 is fine.
  const r = await processFile(
    app,
    drop('orders2.csv', csv(flatRow({ id: '1', c: 'C1', date: '20250102', qty: '7' }), flatRow({ id: '1', c: 'C1', date: '20250102', qty: 'x' }), flatRow({ id: '2', c: 'C1', date: '20250103' }))),
    { move: false, publish: true },
  );
  assert.equal(r.outcome, 'ingested');
  assert.equal(r.result!.skipped.length, 1);
  assert.equal(r.result!.skipped[0]!.context.line, 3);
  assert.deepEqual(read('customers/C1/orders/1.json').products.map((p) => p.quantity), ['1', '2'], 'not half-updated');
  assert.ok(existsSync(app.target.pathOf('customers/C1/orders/2.json')));
  app.close();
});

test('a file that repeats unchanged documents and lines leaves their customers clean; a changed line marks only its customer', async () => {
  const t = setup();
  const rows = [flatRow({ id: '1', c: 'C1', date: '20250102' }), flatRow({ id: '1', c: 'C1', date: '20250102', art: 'B' }), flatRow({ id: '2', c: 'C2', date: '20250103' })];
  await t.ingest('orders1.csv', csv(...rows));
  const again = await t.ingest('orders2.csv', csv(...rows));
  assert.equal(again.result!.dirty, 0, 'nothing to re-render');
  assert.equal(again.plan!.customers, 0);
  const changed = await t.ingest('orders3.csv', csv(rows[0]!, flatRow({ id: '1', c: 'C1', date: '20250102', art: 'B', qty: '5' }), rows[2]!));
  assert.equal(changed.result!.dirty, 1);
  assert.deepEqual((t.read('customers/C1/orders/1.json') as { products: Array<{ quantity: string }> }).products.map((p) => p.quantity), ['2', '5']);
  t.app.close();
});

test('a header without a mapped column rejects the file (a renamed column must not publish empty fields)', async () => {
  const t = setup();
  const r = await t.ingest('orders1.csv', `${FLAT_HEADER.replace('Moms', 'VAT')}\n${flatRow({ id: '1', c: 'C1', date: '20250102' })}\n`);
  assert.equal(r.outcome, 'rejected');
  assert.equal(r.errors[0]!.context.rule, 'column-missing');
  assert.match(r.errors[0]!.message, /^orders1\.csv:1 field `Moms → line\.vat_rate`: the header has no column `Moms`/);
  t.app.close();
});
