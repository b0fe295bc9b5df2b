import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { parse } from 'yaml';
import { inspectSample, type InitResult } from '../../src/cli/init.ts';
import { entityKind } from '../../src/init/entities.ts';
import { processFile } from '../../src/ingest/process.ts';
import { tmpDir } from '../helpers.ts';
import { ingestAll, published } from '../support/init-ingest.ts';

/**
 * `init` on the register kinds of issue 17 (customers, delivery addresses, stock, price lists),
 * from fixtures written here in the shapes the ERPs export them (Business Central's Customer,
 * Ship-to Address, Item and Price List Line tables with their many other columns; a Fortnox-style
 * kundregister that carries a delivery address too; a Swedish stock file whose name says nothing),
 * not copies of the bundled samples. Each proposal is used unedited and the fixture published with it.
 */

type Feed = { name: string; pattern: string; kind: string; dateFormat?: string; numberFormat?: string; map: Record<string, string> };

function feedOf(r: InitResult): Feed {
  assert.deepEqual(r.check.errors, [], r.yaml);
  const doc = parse(r.yaml) as { feeds: Feed[] };
  assert.equal(doc.feeds.length, 1);
  return doc.feeds[0]!;
}

function write(dir: string, name: string, rows: string[], encoding: 'utf-8' | 'windows-1252' = 'utf-8', bom = false): string {
  const file = path.join(dir, name);
  const text = `${rows.join('\r\n')}\r\n`;
  writeFileSync(file, encoding === 'utf-8' ? (bom ? `\uFEFF${text}` : text) : iconv.encode(text, encoding));
  return file;
}

test('init on Business Central Customer and Ship-to Address tables with all their columns: customers and delivery_addresses, published as the customer\'s addresses', async () => {
  const dir = tmpDir('vp-init-bc-reg');
  const customers = write(dir, 'Customer_R0107.csv', [
    'No.,Name,Name 2,Search Name,Address,Address 2,City,Post Code,Country/Region Code,Contact,Phone No.,E-Mail,Customer Posting Group,Customer Price Group,Customer Disc. Group,Payment Terms Code,Currency Code,Ship-to Code,Blocked,VAT Registration No.',
    'K-1001,Rostad Böna AB,,ROSTAD BÖNA AB,Hamngatan 3,,Helsingborg,252 21,SE,Nora Lind,042-123 45,order@rostad.se,DOMESTIC,GROSS,,30D,,LAGER,,SE556677889901',
    'K-1002,"Fjord & Fjell AS",,FJORD & FJELL AS,Strandgata 9,Postboks 12,Bergen,5013,NO,Ola Vik,+47 55 00 00 00,,FOREIGN,,,14D,NOK,,Ship,NO987654321MVA',
  ], 'utf-8', true);
  const shipTo = write(dir, 'Ship-to Address_R0107.csv', [
    'Customer No.,Code,Name,Name 2,Address,Address 2,City,Post Code,Country/Region Code,Contact,Phone No.,Shipment Method Code,Shipping Agent Code,Location Code',
    'K-1001,LAGER,Rostad Böna Lager,,Industrigatan 14,Port 2,Helsingborg,254 64,SE,Godsmottagningen,,CPT,POSTNORD,MAIN',
    'K-1001,CAFE,Rostad Böna Café,,Stortorget 1,,Helsingborg,252 23,SE,,,,,',
  ], 'utf-8', true);

  const c = feedOf(await inspectSample(customers));
  assert.equal(c.kind, 'customers');
  assert.deepEqual(c.map, {
    id: 'No.', default_delivery: 'Ship-to Code', price_group: 'Customer Price Group',
    'customer.company': 'Name', 'customer.reference': 'Contact', 'customer.address': 'Address', 'customer.address2': 'Address 2',
    'customer.zipcode': 'Post Code', 'customer.ziparea': 'City', 'customer.country': 'Country/Region Code',
  }, 'Name 2, Search Name, Currency Code and the posting groups are not address parts');
  const d = feedOf(await inspectSample(shipTo));
  assert.equal(d.kind, 'delivery_addresses');
  assert.equal(d.map.id, 'Code');
  assert.equal(d.map.customer_no, 'Customer No.');
  assert.equal(d.map['delivery.company'], 'Name');
  assert.equal(d.map['delivery.zipcode'], 'Post Code');
  assert.equal(Object.values(d.map).includes('Shipping Agent Code'), false, '"Shipping" is a delivery prefix, but "Agent Code" is no address part');

  const app = await ingestAll([c, d], [customers, shipTo]);
  try {
    const out = published(app);
    const addresses = out.get('customers/K-1001/addresses.json') as { items: Array<Record<string, unknown>> };
    assert.ok(addresses, [...out.keys()].join(', '));
    assert.deepEqual(addresses.items.map((i) => [i.type, i.code, i.default]), [['billing', null, false], ['delivery', 'CAFE', false], ['delivery', 'LAGER', true]], 'Ship-to Code LAGER is the default');
    assert.equal(addresses.items[2]!.address2, 'Port 2');
    assert.equal(addresses.items[0]!.company, 'Rostad Böna AB');
    assert.equal((out.get('customers/K-1001/pricing.json') as { price_group: string }).price_group, 'GROSS');
    const fjord = out.get('customers/K-1002/addresses.json') as { items: Array<Record<string, unknown>> };
    assert.equal(fjord.items[0]!.address2, 'Postboks 12');
    assert.equal(fjord.items[0]!.country_iso, 'NOR');
  } finally {
    app.close();
  }
});

test('init on a Fortnox-style kundregister that carries a delivery address too: the billing address is the customer\'s, the Lev./Leverans columns are left unmapped', async () => {
  const dir = tmpDir('vp-init-fortnox');
  const file = write(dir, 'Kunder_2025-12-03.csv', [
    'Kundnummer;Namn;Organisationsnummer;Adress 1;Adress 2;Postnummer;Ort;Land;Telefon;E-post;Kontaktperson;Prislista;Leveransnamn;Leveransadress 1;Leveranspostnummer;Leveransort',
    '2001;Södra Skafferiet AB;556123-4567;Box 45;;721 03;Västerås;Sverige;021-10 20 30;info@skafferiet.se;Åsa Nilsson;B;Södra Skafferiet Lager;Verkstadsgatan 2;721 30;Västerås',
    '2002;Öl & Bröd HB;969876-5432;Kyrkogatan 7;Uppg. B;753 10;Uppsala;SE;;;Per Öst;;;;;',
  ], 'windows-1252');
  const r = await inspectSample(file);
  const feed = feedOf(r);
  assert.equal(feed.kind, 'customers');
  assert.equal(feed.map.id, 'Kundnummer');
  assert.equal(feed.map['customer.company'], 'Namn');
  assert.equal(feed.map['customer.address'], 'Adress 1');
  assert.equal(feed.map['customer.zipcode'], 'Postnummer');
  assert.equal(feed.map['customer.reference'], 'Kontaktperson');
  assert.equal(feed.map.price_group, 'Prislista');
  for (const col of ['Leveransnamn', 'Leveransadress 1', 'Leveranspostnummer', 'Leveransort']) {
    assert.equal(Object.values(feed.map).includes(col), false, `${col} is not the billing address:\n${r.yaml}`);
    assert.match(r.yaml, new RegExp(`#   ${col}\\n`), `${col} listed as not mapped`);
  }
  // Delivery columns first (a Pyramid-style register): the prefix still keeps them off the billing address.
  const pyramid = feedOf(await inspectSample(write(dir, 'kundregister_20251203.csv', ['Kundnr;Namn;Lev.adress;Lev.postnr;Lev.ort;Fakt.adress;Fakt.postnr;Fakt.ort', '3001;Berg Bygg AB;Lagervägen 1;123 45;Farsta;Box 9;123 21;Farsta'], 'windows-1252')));
  assert.deepEqual([pyramid.map['customer.address'], pyramid.map['customer.zipcode'], pyramid.map['customer.ziparea']], ['Fakt.adress', 'Fakt.postnr', 'Fakt.ort']);
  const app = await ingestAll([feed], [file]);
  try {
    const a = published(app).get('customers/2001/addresses.json') as { items: Array<Record<string, unknown>> };
    assert.deepEqual([a.items[0]!.address, a.items[0]!.zipcode, a.items[0]!.ziparea, a.items[0]!.country_iso], ['Box 45', '721 03', 'Västerås', 'SWE']);
  } finally {
    app.close();
  }
});

test('init on a Business Central Item table (no stock in its name) and a Swedish stock file named export_*: stock, by their columns', async () => {
  const dir = tmpDir('vp-init-stock');
  const item = write(dir, 'Item_20251203.csv', [
    'No.,Description,Base Unit of Measure,Inventory,Qty. on Purch. Order,Qty. on Sales Order,Unit Price,Unit Cost,Vendor No.,Blocked',
    'KAF-1000,Kaffe mörkrost 1 kg,PCS,"1,250",400,120,189.00,96.50,V-10,No',
    'KAF-0500,Kaffe mellanrost 500 g,PCS,36.5,0,4,99.00,51.20,V-10,No',
  ], 'utf-8', true);
  const swedish = write(dir, 'export_20251203.csv', [
    'Artikelnummer;Benämning;Lagerställe;I lager;Tillgängligt;Beräknad inleverans;Inleveransantal',
    'MP-4410;Målarpensel 40 mm;HUVUD;58;40;2025-12-15;100',
    'MP-4410;Målarpensel 40 mm;NORR;12,5;12,5;;',
    'SK-200;Skruv 4x40 200 st;HUVUD;0;0;2026-01-07;500',
  ], 'windows-1252');

  const a = feedOf(await inspectSample(item));
  assert.equal(a.kind, 'stock');
  assert.deepEqual(a.map, { id: 'No.', 'stock.on_hand': 'Inventory', 'stock.incoming_quantity': 'Qty. on Purch. Order' }, 'Unit Price is no price list without a type, quantity break or validity');
  assert.equal(a.numberFormat, 'dot');
  const b = feedOf(await inspectSample(swedish));
  assert.equal(b.kind, 'stock');
  assert.deepEqual(b.map, { id: 'Artikelnummer', warehouse: 'Lagerställe', 'stock.on_hand': 'I lager', 'stock.available': 'Tillgängligt', 'stock.incoming_date': 'Beräknad inleverans', 'stock.incoming_quantity': 'Inleveransantal' });
  assert.equal(b.numberFormat, 'comma');
  assert.equal(b.dateFormat, 'YYYY-MM-DD');

  const app = await ingestAll([a, b], [item, swedish]);
  try {
    const out = published(app);
    const kaffe = out.get('stock/KAF-1000.json')!;
    assert.deepEqual([kaffe.on_hand, kaffe.available, kaffe.incoming_quantity], ['1250', '1250', null], 'available is on hand without a column of its own; no date, so no incoming delivery');
    const pensel = out.get('stock/MP-4410.json')!;
    assert.deepEqual([pensel.on_hand, pensel.available, pensel.incoming_date, pensel.incoming_quantity], ['70.5', '52.5', '2025-12-15', '100']);
    assert.equal(out.get('stock/SK-200.json')!.in_stock, false);
  } finally {
    app.close();
  }
});

test('init on a Business Central Price List Line table: prices, with Source Type/Source No. as whom the price is for', async () => {
  const dir = tmpDir('vp-init-plines');
  const file = write(dir, 'PriceListLine_20251203.csv', [
    'Price List Code,Line No.,Source Type,Source No.,Asset Type,Product No.,Variant Code,Unit of Measure Code,Currency Code,Starting Date,Ending Date,Minimum Quantity,Unit Price,Status',
    'S00001,10000,All Customers,,Item,KAF-1000,,PCS,,,,0,189.00,Active',
    'S00002,10000,Customer Price Group,GROSS,Item,KAF-1000,,PCS,,2025-12-01,2026-03-31,12,169.00,Active',
    'S00003,10000,Customer,K-1001,Item,KAF-1000,,PCS,EUR,2025-12-01,,0,15.90,Active',
  ], 'utf-8', true);
  const feed = feedOf(await inspectSample(file));
  assert.equal(feed.kind, 'prices');
  assert.deepEqual(feed.map, {
    id: 'Product No.', 'price.type': 'Source Type', 'price.code': 'Source No.', currency: 'Currency Code',
    'price.min_quantity': 'Minimum Quantity', 'price.amount': 'Unit Price', 'price.valid_from': 'Starting Date', 'price.valid_to': 'Ending Date',
  });
  const app = await ingestAll([feed], [file]);
  try {
    const prices = published(app).get('prices/KAF-1000.json') as { rows: Array<Record<string, unknown>> };
    const byType = new Map(prices.rows.map((r) => [r.type, r]));
    assert.deepEqual(byType.get('group'), { type: 'group', code: 'GROSS', currency: 'SEK', min_quantity: '12', price: '169.00', valid_from: '2025-12-01', valid_to: '2026-03-31' });
    assert.equal(byType.get('customer')!.currency, 'EUR');
    assert.equal(byType.get('all')!.code, null);
  } finally {
    app.close();
  }
});

test('init on a prislista whose price types the mapper does not know says so, and its check fails on those rows', async () => {
  const dir = tmpDir('vp-init-ptype');
  const file = write(dir, 'prislista_20251203.csv', ['Artikelnr;Pristyp;Kod;Valuta;Pris', 'HN-1;Baspris;;SEK;10,00', 'HN-1;Kund;1001;SEK;9,00'], 'windows-1252');
  const r = await inspectSample(file);
  assert.match(r.yaml, /kind: prices/);
  assert.match(r.yaml, /# NOTE: "Pristyp" holds "Baspris": not a price type the mapper knows/);
  assert.equal(r.check.errors.length, 1, r.yaml);
  assert.equal(r.check.ok, 1);
});

test('init tells registers from documents: order and invoice files that name customers and addresses stay documents; ledger-style stock rows get a note', async () => {
  const orderCols = ['Ordernr', 'Orderdatum', 'Kundnr', 'Namn', 'Adress', 'Postnr', 'Ort'];
  assert.equal(entityKind('export_1.csv', undefined, orderCols), undefined, 'a date of its own: a document');
  assert.equal(entityKind('kundorder_1.csv', undefined, ['Kundnr', 'Namn', 'Adress', 'Postnr', 'Ort']), undefined, 'the file name says order');
  assert.equal(entityKind('Customer_Invoices_1.csv', undefined, ['No.', 'Customer No.', 'Name', 'Address', 'City']), undefined, 'the file name says invoice');
  assert.equal(entityKind('SalesLine_1.csv', undefined, ['Document No.', 'Line No.', 'No.', 'Quantity', 'Unit Price']), undefined);
  assert.equal(entityKind('export_1.csv', undefined, ['Kundnr', 'Namn', 'Adress', 'Postnr', 'Ort'])?.kind, 'customers', 'no date, no amounts: a register by its columns');
  assert.equal(entityKind('export_1.csv', undefined, ['Kundnr', 'Leveransadresskod', 'Adress', 'Postnr', 'Ort'])?.kind, 'delivery_addresses');
  assert.equal(entityKind('x.xml', 'Kund', ['@nr', 'Namn', 'Adress'], true)?.kind, 'customers', 'an XML record element names the kind');

  const dir = tmpDir('vp-init-ledger');
  const file = write(dir, 'ItemLedgerEntry_20251203.csv', ['Entry No.,Item No.,Location Code,Entry Type,Quantity,Remaining Quantity', '1,KAF-1000,MAIN,Purchase,100,60', '2,KAF-1000,MAIN,Purchase,50,50'], 'utf-8', true);
  // The file name does not say stock and "Quantity" is weak evidence: only a name that says it makes it stock.
  const ledger = await inspectSample(file);
  assert.doesNotMatch(ledger.yaml, /kind: stock/);
  const named = write(dir, 'StockEntries_20251203.csv', ['Entry No.,Item No.,Location Code,Entry Type,Quantity', '1,KAF-1000,MAIN,Purchase,100', '2,KAF-1000,MAIN,Purchase,50'], 'utf-8', true);
  const r = await inspectSample(named);
  assert.match(r.yaml, /kind: stock/);
  assert.match(r.yaml, /stock\.on_hand: Quantity/);
  assert.match(r.yaml, /# NOTE: the same article and warehouse appears on several rows/);
});

test('init on XML registers: a kunder file whose records hold a delivery address element, and a stock file keyed by attributes', async () => {
  const dir = tmpDir('vp-init-xmlreg');
  const kunder = path.join(dir, 'kunder_20251203.xml');
  writeFileSync(kunder, [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<Kunder>',
    '  <Kund nr="1001"><Namn>Berg Bygg AB</Namn><Adress>Storgatan 1</Adress><Postnr>123 45</Postnr><Ort>Farsta</Ort><Land>SE</Land><Prisgrupp>BYGG</Prisgrupp>',
    '    <Leveransadress kod="LAGER"><Adress>Lagervägen 2</Adress><Postnr>123 46</Postnr><Ort>Farsta</Ort></Leveransadress></Kund>',
    '  <Kund nr="1002"><Namn>Café Ek</Namn><Adress>Torget 3</Adress><Postnr>222 23</Postnr><Ort>Lund</Ort><Land>Sverige</Land></Kund>',
    '</Kunder>',
  ].join('\n'));
  const stock = path.join(dir, 'Lager_20251203.xml');
  writeFileSync(stock, '<?xml version="1.0"?>\n<Lager><Artikel nr="KAF-1" lager="HUVUD"><Saldo>12,5</Saldo><Disponibelt>10</Disponibelt></Artikel><Artikel nr="KAF-1" lager="NORR"><Saldo>3</Saldo><Disponibelt>3</Disponibelt></Artikel></Lager>\n');

  const k = feedOf(await inspectSample(kunder));
  assert.equal(k.kind, 'customers');
  assert.equal(k.map.id, '@nr', "the record's own number, not its delivery address element's code");
  assert.equal(k.map['customer.address'], 'Adress', 'not Leveransadress/Adress');
  const s = feedOf(await inspectSample(stock));
  assert.equal(s.kind, 'stock');
  assert.deepEqual(s.map, { id: '@nr', warehouse: '@lager', 'stock.on_hand': 'Saldo', 'stock.available': 'Disponibelt' });
  const app = await ingestAll([k, s], [kunder, stock]);
  try {
    const out = published(app);
    const a = out.get('customers/1001/addresses.json') as { items: Array<Record<string, unknown>> };
    assert.deepEqual([a.items[0]!.company, a.items[0]!.address], ['Berg Bygg AB', 'Storgatan 1']);
    assert.deepEqual([out.get('stock/KAF-1.json')!.on_hand, out.get('stock/KAF-1.json')!.available], ['15.5', '13']);
  } finally {
    app.close();
  }
});

test('init on leveransadresser with a Status column: Makulerad becomes the feed\'s delete, and a later file removes that address', async () => {
  const dir = tmpDir('vp-init-levdel');
  const head = 'Kundnr;Adresskod;Mottagare;Gatuadress;Postnummer;Postort;Landskod;Status';
  const first = write(dir, 'leveransadresser_20251202.csv', [head, '4001;A1;Ek & Co Lager;Hamnvägen 1;211 20;Malmö;SE;Aktiv', '4001;A2;Ek & Co Butik;Södergatan 5;211 34;Malmö;SE;Aktiv'], 'windows-1252');
  const second = write(dir, 'leveransadresser_20251203.csv', [head, '4001;A2;Ek & Co Butik;Södergatan 5;211 34;Malmö;SE;Makulerad'], 'windows-1252');
  const r = await inspectSample([first, second]);
  const feed = feedOf(r) as Feed & { delete?: { column: string; values: string[] } };
  assert.equal(feed.kind, 'delivery_addresses');
  assert.deepEqual(feed.delete, { column: 'Status', values: ['Makulerad'] }, r.yaml);
  assert.match(r.yaml, /#   Status \(used as a marker above\)/);
  assert.deepEqual([feed.map.id, feed.map.customer_no, feed.map['delivery.company'], feed.map['delivery.address'], feed.map['delivery.country']], ['Adresskod', 'Kundnr', 'Mottagare', 'Gatuadress', 'Landskod']);
  const app = await ingestAll([feed], [first]);
  try {
    const before = published(app).get('customers/4001/addresses.json') as { items: Array<{ code: string }> };
    assert.deepEqual(before.items.map((i) => i.code), ['A1', 'A2']);
    const p = await processFile(app, second, { move: false, reapply: true, publish: true });
    assert.equal(p.outcome, 'ingested', p.errors.map((e) => e.message).join('\n'));
    const after = published(app).get('customers/4001/addresses.json') as { items: Array<{ code: string }> };
    assert.deepEqual(after.items.map((i) => i.code), ['A1']);
  } finally {
    app.close();
  }
});
