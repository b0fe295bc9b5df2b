import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { processFile } from '../../src/ingest/process.ts';
import { renderAddresses, renderStock, withCustomerRecord } from '../../src/render/extended.ts';
import { createValidator } from '../../src/render/validate.ts';
import type { EntityRow } from '../../src/store/db.ts';
import { configIn, appIn, tmpDir, writeBytes } from '../helpers.ts';

/** Issue 17: customer registers, delivery addresses and stock, in the shapes Business Central and Swedish ERPs export. */
const CONFIG = `
feeds:
  - name: bc-orders
    pattern: "SalesHeader_*.csv"
    kind: orders
    format: csv
    delimiter: ","
    numberFormat: dot
    currency: SEK
    map: { id: No., customer_no: Sell-to Customer No., date: Order Date, line.model: Item, line.quantity: Quantity, line.price: Unit Price }
  - name: bc-customers
    pattern: "Customer_*.csv"
    kind: customers
    format: csv
    delimiter: ","
    mode: full
    map: { id: No., customer.company: Name, customer.address: Address, customer.address2: Address 2, customer.zipcode: Post Code, customer.ziparea: City, customer.country: Country/Region Code, customer.reference: Contact, default_delivery: Ship-to Code }
  - name: bc-ship-to
    pattern: "ShipTo_*.csv"
    kind: delivery_addresses
    format: csv
    delimiter: ","
    delete: { column: Blocked, values: ["Yes"] }
    map: { id: Code, customer_no: Customer No., delivery.company: Name, delivery.address: Address, delivery.zipcode: Post Code, delivery.ziparea: City, delivery.country: Country/Region Code, delivery.reference: Contact }
  - name: se-lager
    pattern: "lagersaldo_*.csv"
    kind: stock
    format: csv
    mode: full
    dateFormat: YYYYMMDD
    numberFormat: comma
    map: { id: Artikelnr, warehouse: Lager, stock.on_hand: Saldo, stock.available: Disponibelt, stock.incoming_date: Nästa inleverans, stock.incoming_quantity: Antal in }
  - name: bc-prices
    pattern: "SalesPrice_*.csv"
    kind: prices
    format: csv
    delimiter: ","
    mode: full
    numberFormat: dot
    currency: SEK
    map: { id: Item No., price.type: Sales Type, price.code: Sales Code, currency: Currency Code, price.amount: Unit Price, price.min_quantity: Minimum Quantity, price.valid_from: Starting Date, price.valid_to: Ending Date }
  - name: bc-customers-groups
    pattern: "CustomerGroup_*.csv"
    kind: customers
    format: csv
    delimiter: ","
    map: { id: No., customer.company: Name, price_group: Customer Price Group }
  - name: se-lager-skip
    pattern: "lagerskip_*.csv"
    kind: stock
    format: csv
    mode: full
    onError: skip-record
    numberFormat: comma
    map: { id: Artikelnr, warehouse: Lager, stock.on_hand: Saldo }
`;

const CUST = 'No.,Name,Address,Address 2,Post Code,City,Country/Region Code,Contact,Ship-to Code';
const SHIP = 'Customer No.,Code,Name,Address,Post Code,City,Country/Region Code,Contact,Blocked';
const STOCK = 'Artikelnr;Lager;Saldo;Disponibelt;Nästa inleverans;Antal in';

function setup() {
  const dir = tmpDir('vp-extended');
  const app = appIn(dir, CONFIG);
  const drop = (name: string, content: string) => writeBytes(path.join(dir, 'in'), name, content);
  const ingest = async (name: string, content: string) => {
    const r = await processFile(app, drop(name, content), { move: false, publish: true });
    assert.equal(r.outcome, 'ingested', r.errors.map((e) => e.message).join('\n'));
    assert.equal(r.plan?.invalid ?? 0, 0, 'every document passes its schema');
    return r;
  };
  const reject = async (name: string, content: string) => {
    const r = await processFile(app, drop(name, content), { move: false, publish: true });
    assert.equal(r.outcome, 'rejected', name);
    return r.errors;
  };
  const read = (key: string) => JSON.parse(readFileSync(app.target.pathOf(key), 'utf8')) as Record<string, any>;
  const has = (key: string) => existsSync(app.target.pathOf(key));
  return { app, dir, ingest, reject, read, has };
}

const summary = (doc: Record<string, any>) => doc.items.map((i: any) => [i.type, i.code, i.default, i.company, i.country, i.country_iso]);

test('customers and delivery addresses: billing first, deliveries in code order, the default by the customer\'s Ship-to Code, countries in the locale\'s language', async () => {
  const t = setup();
  await t.ingest('Customer_1.csv', `${CUST}\nC1,Kafé Centrum AB,Storgatan 1,,111 22,Stockholm,SE,Anna,NORR\nC2,"Berg, Hansen AS",Karl Johans gate 1,,0159,Oslo,NO,,\n`);
  // Delivery addresses arrive later, in another order than their codes.
  await t.ingest('ShipTo_1.csv', `${SHIP}\nC1,SYD,Kafé Syd,Södergatan 2,211 34,Malmö,SE,,No\nC1,NORR,Kafé Norr,Norrgatan 3,972 38,Luleå,Sverige,Lars,No\nC3,MAIN,Nykund AB,Vägen 1,123 45,Åby,DNK,,No\n`);
  const c1 = t.read('customers/C1/addresses.json');
  assert.deepEqual(summary(c1), [
    ['billing', null, false, 'Kafé Centrum AB', 'Sverige', 'SWE'],
    ['delivery', 'NORR', true, 'Kafé Norr', 'Sverige', 'SWE'],
    ['delivery', 'SYD', false, 'Kafé Syd', 'Sverige', 'SWE'],
  ]);
  assert.deepEqual(c1.items[1], { type: 'delivery', code: 'NORR', default: true, company: 'Kafé Norr', reference: 'Lars', address: 'Norrgatan 3', address2: null, zipcode: '972 38', ziparea: 'Luleå', country: 'Sverige', country_iso: 'SWE' });
  assert.equal(c1.total, 3);
  // No Ship-to Code: the billing address is the default. No customer record: the first delivery address is.
  assert.deepEqual(summary(t.read('customers/C2/addresses.json')), [['billing', null, true, 'Berg, Hansen AS', 'Norge', 'NOR']]);
  assert.deepEqual(summary(t.read('customers/C3/addresses.json')), [['delivery', 'MAIN', true, 'Nykund AB', 'Danmark', 'DNK']]);
  // A customer known by its addresses alone publishes nothing else.
  assert.equal(t.has('customers/C3/orders/pages/1.json'), false);
  const validate = createValidator();
  for (const c of ['C1', 'C2', 'C3']) assert.equal(validate('addresses', t.read(`customers/${c}/addresses.json`)), undefined, c);

  // A delta with the delete marker removes one address; the same register again changes nothing.
  const r = await t.ingest('ShipTo_2.csv', `${SHIP}\nC1,NORR,Kafé Norr,Norrgatan 3,972 38,Luleå,Sverige,Lars,Yes\n`);
  assert.equal(r.result?.deleted, 1);
  assert.deepEqual(summary(t.read('customers/C1/addresses.json')).map((s: any[]) => [s[1], s[2]]), [[null, true], ['SYD', false]], 'the default code is gone: the billing address is the default');
  // (Rows in another order, so these are other bytes than the first file's, not a duplicate.)
  const again = await t.ingest('Customer_2.csv', `${CUST}\nC2,"Berg, Hansen AS",Karl Johans gate 1,,0159,Oslo,NO,,\nC1,Kafé Centrum AB,Storgatan 1,,111 22,Stockholm,SE,Anna,NORR\n`);
  assert.deepEqual([again.result?.upserted, again.result?.deleted, again.publish?.written ?? 0], [0, 0, 0]);
  t.app.close();
});

test('delivery address codes are per customer; a full customer register deletes the absent customer, under the guard', async () => {
  const t = setup();
  await t.ingest('ShipTo_1.csv', `${SHIP}\nC1,A,Lager A,Gatan 1,111 11,Stad,SE,,No\nC1,B,Lager B,Gatan 2,111 11,Stad,SE,,No\n`);
  await t.ingest('ShipTo_2.csv', `${SHIP}\nC2,B,Lager B,Gatan 2,111 11,Stad,SE,,No\n`);
  // Codes are per customer: C2's B is its own, C1 keeps its B.
  assert.deepEqual(t.read('customers/C1/addresses.json').items.map((i: any) => i.code), ['A', 'B']);
  assert.deepEqual(t.read('customers/C2/addresses.json').items.map((i: any) => i.code), ['B']);

  const rows = Array.from({ length: 10 }, (_, i) => `K${i},Kund ${i},Gatan ${i},,111 11,Stad,SE,,`);
  await t.ingest('Customer_1.csv', `${CUST}\n${rows.join('\n')}\n`);
  assert.ok(t.has('customers/K9/addresses.json'));
  // One of ten left out (10 %): deleted. Three of nine (33 %): a suspected truncated export.
  await t.ingest('Customer_2.csv', `${CUST}\n${rows.slice(0, 9).join('\n')}\n`);
  assert.equal(t.has('customers/K9/addresses.json'), false);
  const errors = await t.reject('Customer_3.csv', `${CUST}\n${rows.slice(0, 6).join('\n')}\n`);
  assert.equal(errors[0]!.context.rule, 'max-delete-share');
  assert.match(errors[0]!.message, /would delete 3 of 9 customers/);
  assert.ok(t.has('customers/K8/addresses.json'), 'nothing of the rejected file is applied');
  t.app.close();
});

test('bad records of the new kinds are rejected with file, line, field, value and rule', async () => {
  const t = setup();
  const bad = async (name: string, content: string, rule: string, line: number, field: RegExp) => {
    const errors = await t.reject(name, content);
    const e = errors[0]!;
    assert.deepEqual([e.context.rule, e.context.line], [rule, line], `${name}: ${e.message}`);
    assert.match(String(e.context.field), field, name);
    assert.equal(e.context.file, name);
  };
  await bad('Customer_1.csv', `${CUST}\nC 1,X,,,,,SE,,\n`, 'customer-no', 2, /No\. → id/);
  await bad('ShipTo_1.csv', `${SHIP}\nC1,,Lager,Gatan 1,111 11,Stad,SE,,No\n`, 'required', 2, /Code → id/);
  await bad('ShipTo_2.csv', `${SHIP}\nC1,A,Lager,Gatan 1,111 11,Stad,Atlantis,,No\n`, 'country', 2, /Country\/Region Code → delivery\.country/);
  await bad('lagersaldo_1.csv', `${STOCK}\nA1;HUVUD;tolv;;;\n`, 'number-format', 2, /Saldo → stock\.on_hand/);
  await bad('lagersaldo_2.csv', `${STOCK}\nA1;HUVUD;12;;20251332;5\n`, 'date-invalid', 2, /Nästa inleverans → stock\.incoming_date/);
  await bad('lagersaldo_3.csv', `${STOCK}\nA\u202e1;HUVUD;12;;;\n`, 'id-chars', 2, /Artikelnr → id/);
  t.app.close();
});

test('stock: one document per article summed over its warehouses, the earliest incoming delivery; a full snapshot removes an absent article', async () => {
  const t = setup();
  await t.ingest('lagersaldo_1.csv', `${STOCK}\nA1;NORR;12;4;20251210;20\nA1;HUVUD;1 250,5;1 180;20251210;60\nA1;SYD;3;3;20251201;5\nB 2/3;HUVUD;0;-2;;\nC3;HUVUD;7;;;\nD4;HUVUD;1;1;;\n`);
  const a1 = t.read('stock/A1.json');
  assert.deepEqual(a1, {
    schema_version: 1, type: 'stock', article: 'A1', on_hand: '1265.5', available: '1187', in_stock: true, incoming_date: '2025-12-01', incoming_quantity: '5',
    warehouses: [
      { warehouse: 'HUVUD', on_hand: '1250.5', available: '1180', incoming_date: '2025-12-10', incoming_quantity: '60' },
      { warehouse: 'NORR', on_hand: '12', available: '4', incoming_date: '2025-12-10', incoming_quantity: '20' },
      { warehouse: 'SYD', on_hand: '3', available: '3', incoming_date: '2025-12-01', incoming_quantity: '5' },
    ],
  });
  // Any article number stays inside stock/ (the layout's encoding); available defaults to on hand.
  assert.deepEqual([t.read('stock/B~202~2F3.json').in_stock, t.read('stock/C3.json').available], [false, '7']);
  const validate = createValidator();
  for (const k of ['stock/A1.json', 'stock/B~202~2F3.json', 'stock/C3.json']) assert.equal(validate('stock', t.read(k)), undefined, k);
  assert.equal(t.app.store.countStockArticles(), 4);

  // A snapshot without A1's SYD row and without D4: 2 of 6 stock rows (33 %), a suspected truncated export.
  const r = await t.reject('lagersaldo_2.csv', `${STOCK}\nA1;NORR;12;4;20251210;20\nA1;HUVUD;1 250,5;1 180;20251210;60\nB 2/3;HUVUD;0;-2;;\nC3;HUVUD;7;;;\n`);
  assert.equal(r[0]!.context.rule, 'max-delete-share');
  // Without the SYD row only (1 of 6): deleted, and A1's next delivery is now the 10th.
  const r2 = await t.ingest('lagersaldo_3.csv', `${STOCK}\nA1;NORR;12;4;20251210;20\nA1;HUVUD;1 250,5;1 180;20251210;60\nB 2/3;HUVUD;0;-2;;\nC3;HUVUD;7;;;\nD4;HUVUD;1;1;;\n`);
  assert.equal(r2.result?.deleted, 1);
  assert.equal(t.read('stock/A1.json').incoming_date, '2025-12-10');
  assert.equal(t.read('stock/A1.json').incoming_quantity, '80', 'two warehouses due the same day');
  assert.deepEqual(r2.publish ? [r2.publish.written] : [], [1], 'only the changed article is written');
  t.app.close();
});

test('stock under skip-record: a bad row is skipped and its article kept in a full snapshot', async () => {
  const t = setup();
  const STOCK2 = 'Artikelnr;Lager;Saldo';
  await t.ingest('lagerskip_1.csv', `${STOCK2}\nA1;H;1\nA2;H;2\nA3;H;3\nA4;H;4\n`);
  const r = await t.ingest('lagerskip_2.csv', `${STOCK2}\nA1;H;10\nA2;H;två\nA3;H;3\nA4;H;4\n`);
  assert.equal(r.result?.skipped.length, 1);
  assert.deepEqual([t.read('stock/A1.json').on_hand, t.read('stock/A2.json').on_hand], ['10', '2'], 'A2 keeps its stored stock');
  t.app.close();
});

test('render is pure: the same entities give the same bytes, whatever order they come in', () => {
  const src = { file: 'x.csv', line: 2 };
  const rows: EntityRow[] = [
    { id: '["A1","N"]', body: { warehouse: 'N', on_hand: '1', available: '1', incoming_date: '2025-12-02', incoming_quantity: '2' }, source: src },
    { id: '["A1","H"]', body: { warehouse: 'H', on_hand: '2.5', available: '2' }, source: src },
  ];
  const a = JSON.stringify(renderStock('A1', rows)!.body);
  assert.equal(JSON.stringify(renderStock('A1', [...rows].reverse())!.body), a);
  assert.equal(renderStock('A1', []), undefined);
  const cust = { id: 'C1', body: { no: 'C1', company: 'X', default_delivery: 'B' }, source: src };
  const dels = [{ id: '["C1","A"]', body: { code: 'A' }, source: src }, { id: '["C1","B"]', body: { code: 'B' }, source: src }];
  const doc = renderAddresses('C1', cust, dels)!;
  assert.equal(doc.key, 'customers/C1/addresses.json');
  assert.deepEqual((doc.body.items as any[]).map((i) => i.default), [false, false, true]);
  assert.equal(JSON.stringify(renderAddresses('C1', cust, dels)!.body), JSON.stringify(doc.body));
  assert.equal(renderAddresses('C1', undefined, []), undefined);
});

test('config: the new kinds name their own fields only', () => {
  const dir = tmpDir('vp-extended-config');
  const feed = (kind: string, map: string) => `feeds:\n  - { name: f, pattern: "f*.csv", kind: ${kind}, format: csv, map: ${map} }\n`;
  assert.throws(() => configIn(dir, feed('stock', '{ id: A }')), /needs `stock\.on_hand` for kind stock/);
  assert.throws(() => configIn(dir, feed('delivery_addresses', '{ id: A }')), /needs `customer_no` for kind delivery_addresses/);
  assert.throws(() => configIn(dir, feed('customers', '{ id: A, date: B }')), /is not a field of kind customers/);
  assert.throws(() => configIn(dir, feed('stock', '{ id: A, stock.on_hand: B, line.quantity: C }')), /line fields/);
  assert.throws(() => configIn(dir, feed('orders', '{ id: A, customer_no: B, date: C, warehouse: D }')), /applies to kinds customers, delivery_addresses, stock and prices only/);
  assert.doesNotThrow(() => configIn(dir, feed('customers', '{ id: A, customer.company: B, default_delivery: C }')));
});

test('the customer register fills customer{} of documents whose export has no customer address, and only those', async () => {
  const t = setup();
  await t.ingest('SalesHeader_1.csv', 'No.,Sell-to Customer No.,Order Date,Item,Quantity,Unit Price\nS-1,C1,2025-03-01,A,1,10\n');
  assert.deepEqual(t.read('customers/C1/orders/S-1.json').customer, { company: null, no: 'C1', reference: null, address: null, address2: null, zipcode: null, ziparea: null, country: null, country_iso: null });
  const r = await t.ingest('Customer_1.csv', `${CUST}\nC1,Kafé Centrum AB,Storgatan 1,,111 22,Stockholm,SE,Anna,\n`);
  assert.ok((r.publish?.written ?? 0) >= 2, 'the order and the addresses are written');
  assert.deepEqual(t.read('customers/C1/orders/S-1.json').customer, { company: 'Kafé Centrum AB', no: 'C1', reference: 'Anna', address: 'Storgatan 1', address2: null, zipcode: '111 22', ziparea: 'Stockholm', country: 'Sverige', country_iso: 'SWE' });
  // The list pages do not carry customer{}: they are unchanged.
  assert.deepEqual(t.read('customers/C1/orders/pages/1.json').items.map((i: any) => i.id), ['S-1']);
  t.app.close();

  // A document with an address of its own keeps it (pure).
  const src = { file: 'x.csv', line: 2, record: 1 };
  const doc = { kind: 'order' as const, id: 'S-2', customer_no: 'C1', header: { id: 'S-2', customer_no: 'C1', date: '2025-01-01', currency: 'SEK', customer: { no: 'C1', ziparea: 'Lund' }, delivery: {} }, lines: [], source: src };
  const reg = { id: 'C1', body: { no: 'C1', company: 'Kafé Centrum AB', ziparea: 'Stockholm' }, source: src };
  assert.equal(withCustomerRecord([doc], reg)[0], doc);
  assert.equal(withCustomerRecord([doc], undefined)[0], doc);
});

const PRICE = 'Item No.,Sales Type,Sales Code,Currency Code,Starting Date,Unit Price,Minimum Quantity,Ending Date';

test('price lists: one object per article with every list\'s rows, a pricing object per customer with a price group; coded errors', async () => {
  const t = setup();
  const r = await t.ingest('SalesPrice_1.csv', `${PRICE}\nA1,All Customers,,,,10.00,0,\nA1,Customer Price Group,CAFE,,2025-01-01,9.00,10,\nA1,Customer,C1,EUR,,0.80,0,2025-12-31\nB 2,All Customers,,,,5,1,\n`);
  assert.equal(r.result?.upserted, 4);
  assert.deepEqual(t.read('prices/A1.json'), {
    schema_version: 1, type: 'prices', article: 'A1',
    rows: [
      { type: 'all', code: null, currency: 'SEK', min_quantity: '0', price: '10.00', valid_from: null, valid_to: null },
      { type: 'customer', code: 'C1', currency: 'EUR', min_quantity: '0', price: '0.80', valid_from: null, valid_to: '2025-12-31' },
      { type: 'group', code: 'CAFE', currency: 'SEK', min_quantity: '10', price: '9.00', valid_from: '2025-01-01', valid_to: null },
    ],
  });
  assert.ok(t.has('prices/B~202.json'));
  const validate = createValidator();
  assert.equal(validate('prices', t.read('prices/A1.json')), undefined);
  // Prices are not customers × articles: no customer has an object of its own for them.
  assert.equal(t.has('customers/C1/prices.json') || t.has('customers/C1/pricing.json'), false);
  await t.ingest('CustomerGroup_1.csv', 'No.,Name,Customer Price Group\nC1,Kafé,CAFE\nC2,Bar,\n');
  assert.deepEqual(t.read('customers/C1/pricing.json'), { schema_version: 1, type: 'pricing', customer_no: 'C1', price_group: 'CAFE' });
  assert.equal(validate('pricing', t.read('customers/C1/pricing.json')), undefined);
  assert.equal(t.has('customers/C2/pricing.json'), false, 'no group, no pricing object');
  // The price group is not an address: addresses.json has none of it.
  assert.equal(JSON.stringify(t.read('customers/C1/addresses.json')).includes('CAFE'), false);

  const bad = async (content: string, rule: string, field: RegExp) => {
    const errors = await t.reject(`SalesPrice_bad${rule}.csv`, `${PRICE}\n${content}\n`);
    assert.equal(errors[0]!.context.rule, rule, errors[0]!.message);
    assert.match(String(errors[0]!.context.field), field);
  };
  await bad('A1,Campaign,,,,10,0,', 'price-type', /Sales Type → price\.type/);
  await bad('A1,All Customers,,,2025-12-01,10,0,2025-11-30', 'price-dates', /Ending Date → price\.valid_to/);
  await bad('A1,Customer,C 1,,,10,0,', 'customer-no', /Sales Code → price\.code/);
  await bad('A1,All Customers,,KRONA,,10,0,', 'currency', /Currency Code → currency/);
  await bad('A1,All Customers,,,,,0,', 'required', /Unit Price → price\.amount/);
  assert.ok(t.has('prices/A1.json'), 'rejected files change nothing');
  t.app.close();
});
