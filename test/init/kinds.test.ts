import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import picomatch from 'picomatch';
import { parse } from 'yaml';
import { inspectSample, type InitResult } from '../../src/cli/init.ts';
import { patternFor } from '../../src/init/propose.ts';
import { candidates } from '../../src/init/vocabulary.ts';
import { detectXmlStructure, singular } from '../../src/init/xml.ts';
import { tmpDir } from '../helpers.ts';
import { ingestAll, published } from '../support/init-ingest.ts';

/**
 * `init` on each kind of file an ERP writes, from fixtures written here in the shapes real exports
 * have (not the bundled samples): a Visma-style flat order file, Business Central's header, line,
 * shipment and deletion tables named as one run's FULL and DELTA files, a Swedish kolli file, and a
 * multi-record XML export whose customer and order numbers are attributes. Each proposal is then
 * used unedited as the config's feed and the fixture ingested and published with it.
 */

type Feed = { name: string; pattern: string; kind?: string; mode?: string; map?: Record<string, string>; deletes?: unknown[]; sections?: Array<{ kind: string; recordPath: string; map: Record<string, string>; credit?: unknown; deletes?: unknown[] }> };

function feedOf(r: InitResult): Feed {
  assert.deepEqual(r.check.errors, [], r.yaml);
  const doc = parse(r.yaml) as { feeds: Feed[] };
  assert.equal(doc.feeds.length, 1);
  return doc.feeds[0]!;
}

function write(dir: string, name: string, text: string, encoding: 'utf-8' | 'windows-1252' = 'utf-8', bom = false): string {
  const file = path.join(dir, name);
  writeFileSync(file, encoding === 'utf-8' ? (bom ? `\uFEFF${text}` : text) : iconv.encode(text, encoding));
  return file;
}

const crlf = (rows: string[]) => `${rows.join('\r\n')}\r\n`;

// Visma-style order export: one row per order line, the header columns repeated on every row,
// Windows-1252, ";" and decimal commas. "Belopp" is the line amount (it differs between the rows of
// an order); no column holds the order total.
const VISMA_HEADER = 'Ordernr;Orderdatum;Kundnr;Kundnamn;Er referens;Valuta;Radnr;Artikelnr;Benämning;Antal;Pris;Belopp;Moms %';
const VISMA_ROWS = [
  '20451;2025-12-01;1007;Konditori Älven AB;Åsa Berg;SEK;1;KAF-500;Kaffe mellanrost 500 g;2;100,00;200,00;12',
  '20451;2025-12-01;1007;Konditori Älven AB;Åsa Berg;SEK;2;SOC-1;Strösocker 1 kg;1;50,00;50,00;12',
  '20452;2025-12-02;1012;Café Norrsken;Per Ek;SEK;1;TE-GRN;Grönt te 100 g;3;45,00;135,00;12',
  '20452;2025-12-02;1012;Café Norrsken;Per Ek;SEK;2;MUG-01;Mugg stengods;4;89,00;356,00;25',
  '20453;2025-12-03;1007;Konditori Älven AB;Åsa Berg;SEK;1;KAF-500;Kaffe mellanrost 500 g;1;100,00;100,00;12',
];

test('init on a Visma-style flat order file: the per-row amount is a line amount, never the order total; orders publish totals computed from their lines', async () => {
  const dir = tmpDir('vp-init-visma');
  const file = write(dir, 'Orderrader_20251203.csv', crlf([VISMA_HEADER, ...VISMA_ROWS]), 'windows-1252');
  const r = await inspectSample(file);
  const feed = feedOf(r);
  assert.equal(feed.kind, 'orders');
  assert.equal(feed.map!.total, undefined, `"Belopp" is not the total:\n${r.yaml}`);
  assert.equal(feed.map!['line.row_total'], 'Belopp');
  assert.equal(feed.map!['line.price'], 'Pris');
  assert.match(r.yaml, /# NOTE: "Belopp" differs between the rows of 2 of 2 documents with several rows: a line amount/);

  const app = await ingestAll([feed], [file]);
  try {
    const order = published(app).get('customers/1007/orders/20451.json')!;
    // 200 + 50 at 12 % VAT: 280,00, not the first line's 200,00.
    assert.equal(order.total_amount, '280.00');
    assert.equal((order.products as unknown[]).length, 2);
  } finally {
    app.close();
  }
});

test('init on a flat file tells the header total from the line amount by their values, whatever their names', async () => {
  const dir = tmpDir('vp-init-visma2');
  // "Summa" (a common name for a total) is the line sum here; "Orderbelopp" repeats on every row.
  const rows = [
    'Ordernr;Datum;Kundnr;Artikelnr;Antal;À-pris;Summa;Orderbelopp',
    '7001;20251201;K1;A-1;2;10,00;20,00;37,50',
    '7001;20251201;K1;A-2;1;10,00;10,00;37,50',
    '7002;20251202;K2;A-1;1;10,00;10,00;12,50',
    '7002;20251202;K2;A-3;0;5,00;0,00;12,50',
  ];
  const r = await inspectSample(write(dir, 'ordrar_20251202.csv', crlf(rows), 'windows-1252'));
  const feed = feedOf(r);
  assert.equal(feed.map!.total, 'Orderbelopp');
  assert.equal(feed.map!['line.row_total'], 'Summa');
});

// Business Central tables of one run, named {table}_{runid}_{FULL|DELTA}.csv: UTF-8 with a BOM, ",".
const BC_HEADER = [
  'Document Type,No.,Sell-to Customer No.,Sell-to Customer Name,Ship-to Name,Ship-to City,Order Date,Currency Code,Status,Amount,Amount Including VAT',
  'Order,S-ORD200001,C10001,Lunds Bageri AB,Lunds Bageri Centrum,Lund,2025-12-01,,Released,"1,000",1250',
  'Order,S-ORD200002,C10002,Malmö Kafé HB,Malmö Kafé HB,Malmö,2025-12-01,,Open,200,250',
  'Order,S-ORD200003,C10001,Lunds Bageri AB,Lunds Bageri AB,Lund,2025-12-02,,Open,100,125',
];
const BC_LINES = [
  'Document Type,Document No.,Line No.,Type,No.,Description,Quantity,Unit Price,Line Discount %,Line Amount,VAT %,Quantity Shipped,Outstanding Quantity',
  'Order,S-ORD200001,10000,Item,MJL-25,Vetemjöl 25 kg,4,250,0,"1,000",25,4,0',
  'Order,S-ORD200002,10000,Item,KAF-1,Kaffe 1 kg,2,100,0,200,25,0,2',
  'Order,S-ORD200003,10000,Item,TE-1,Te 1 kg,1,100,0,100,25,1,0',
];
const BC_SHIPMENTS = [
  'No.,Order No.,Sell-to Customer No.,Posting Date,Shipping Agent Code,Package Tracking No.',
  'S-SHPT300001,S-ORD200001,C10001,2025-12-02,POSTNORD,00373500990000000017',
  'S-SHPT300002,S-ORD200001,C10001,2025-12-02,DHL,',
];
const BC_DELETIONS = ['Table,Document Type,No.', 'Sales Header,Quote,S-QUO000017', 'Sales Header,Order,S-ORD200003'];

test('init on Business Central FULL/DELTA tables: header, lines, shipments (packages) and deletions, one pattern per table; unedited, they publish', async () => {
  const dir = tmpDir('vp-init-bc');
  const header = write(dir, 'SalesHeader_R0042_FULL.csv', crlf(BC_HEADER), 'utf-8', true);
  const headerDelta = write(dir, 'SalesHeader_R0043_DELTA.csv', crlf([BC_HEADER[0]!, BC_HEADER[3]!]), 'utf-8', true);
  const lines = write(dir, 'SalesLine_R0042_FULL.csv', crlf(BC_LINES), 'utf-8', true);
  const shipments = write(dir, 'SalesShipmentHeader_R0043_DELTA.csv', crlf(BC_SHIPMENTS), 'utf-8', true);
  const deletions = write(dir, 'TableDeletions_R0043_DELTA.csv', crlf(BC_DELETIONS), 'utf-8', true);

  const h = feedOf(await inspectSample([header, headerDelta]));
  assert.equal(h.kind, 'orders');
  assert.equal(h.pattern, 'SalesHeader_*.csv');
  for (const name of ['SalesHeader_R0042_FULL.csv', 'SalesHeader_R0043_DELTA.csv', 'SalesHeader_20251201_FULL.csv']) assert.ok(picomatch(h.pattern)(name), name);
  assert.ok(!picomatch(h.pattern)('SalesLine_R0042_FULL.csv'));
  assert.equal(h.mode, 'delta');
  assert.equal(h.map!.total, 'Amount Including VAT');
  assert.equal(h.map!.customer_no, 'Sell-to Customer No.');
  assert.equal(h.map!['delivery.company'], 'Ship-to Name');
  assert.equal(h.map!.status, 'Status');

  const l = feedOf(await inspectSample(lines));
  assert.equal(l.kind, 'order_lines');
  assert.equal(l.pattern, 'SalesLine_*.csv');

  const sr = await inspectSample(shipments);
  const s = feedOf(sr);
  assert.equal(s.kind, 'packages');
  assert.equal(s.pattern, 'SalesShipmentHeader_*.csv');
  assert.deepEqual(s.map, { id: 'No.', order_no: 'Order No.', tracking_id: 'Package Tracking No.', carrier: 'Shipping Agent Code' });
  assert.match(sr.yaml, /mode: delta {2}# guess: the file name says DELTA/);

  const d = feedOf(await inspectSample(deletions));
  assert.equal(d.kind, 'deletions');
  assert.deepEqual(d.map, { id: 'No.' });
  assert.deepEqual(d.deletes![0], { when: { Table: 'Sales Header', 'Document Type': 'Order' }, delete: 'order' });
  assert.deepEqual(d.deletes![1], { when: { Table: 'Sales Header' }, delete: 'ignore' });
  assert.ok(d.deletes!.some((x) => JSON.stringify(x) === JSON.stringify({ when: { Table: 'Sales Shipment Header' }, delete: 'package' })));

  const app = await ingestAll([h, l, s, d], [header, lines, shipments, deletions]);
  try {
    const out = published(app);
    const order = out.get('customers/C10001/orders/S-ORD200001.json')!;
    assert.deepEqual((order.packages as Array<{ tracing_id: string }>).map((p) => p.tracing_id), ['00373500990000000017'], 'the shipment with a tracking number is a package; the empty one is none yet');
    assert.equal(order.total_amount, '1250.00');
    assert.equal(out.has('customers/C10001/orders/S-ORD200003.json'), false, 'the deleted order is gone');
    assert.ok(out.has('customers/C10002/orders/S-ORD200002.json'));
  } finally {
    app.close();
  }
});

test('init on a Swedish kolli file: a packages feed; without a shipment number each kolli is its own shipment', async () => {
  const dir = tmpDir('vp-init-kolli');
  const file = write(dir, 'kolli_20251203.csv', crlf(['Ordernr;Kollinr;Transportör;Vikt', '20451;00373500471234000011;PostNord;12,5', '20451;00373500471234000028;PostNord;3,0', '20452;373500998877000011;DHL Freight;8,0']), 'windows-1252');
  const r = await inspectSample(file);
  const feed = feedOf(r);
  assert.match(r.yaml, /# NOTE: "Kollinr" is the shipment's id too/);
  assert.equal(feed.kind, 'packages');
  assert.deepEqual(feed.map, { id: 'Kollinr', order_no: 'Ordernr', tracking_id: 'Kollinr', carrier: 'Transportör' });
});

test('init on a Swedish leverans file with one row per kolli: the kolli number is the id, not the repeated delivery number', async () => {
  const dir = tmpDir('vp-init-lev');
  const file = write(dir, 'leveranser_20251203.csv', crlf(['Leveransnr;Ordernr;Kollinr;Transportör;Leveransdatum', 'L-881;20451;00373500471234000011;PostNord;2025-12-03', 'L-881;20451;00373500471234000028;PostNord;2025-12-03', 'L-882;20452;373500998877000011;DHL Freight;2025-12-03']), 'windows-1252');
  const r = await inspectSample(file);
  const feed = feedOf(r);
  assert.equal(feed.kind, 'packages');
  assert.deepEqual(feed.map, { id: 'Kollinr', order_no: 'Ordernr', tracking_id: 'Kollinr', carrier: 'Transportör' });
  assert.match(r.yaml, /# NOTE: "Leveransnr" repeats with different "Kollinr" values/);
  // One shipment per delivery: its number is the id.
  const single = feedOf(await inspectSample(write(dir, 'leveranser_20251204.csv', crlf(['Leveransnr;Ordernr;Kollinr;Transportör', 'L-883;20453;00373500471234000035;PostNord', 'L-884;20454;;Bring']), 'windows-1252')));
  assert.equal(single.map!.id, 'Leveransnr');
});

test('init on an XML shipment export: packages by their element, numbers in attributes', async () => {
  const dir = tmpDir('vp-init-shipxml');
  const file = write(dir, 'shipments_20251203.xml', '<?xml version="1.0"?><Shipments><Shipment No="SH-1" OrderNo="5001"><Package id="00373500471234000011" carrier="PostNord"/></Shipment><Shipment No="SH-2" OrderNo="5002"><Package id="373500998877000011" carrier="DHL Freight"/></Shipment></Shipments>');
  const feed = feedOf(await inspectSample(file));
  assert.equal(feed.kind, 'packages');
  assert.deepEqual(feed.map, { id: '@No', order_no: '@OrderNo', tracking_id: 'Package/@id', carrier: 'Package/@carrier' });
});

test('init on a deletions file without a table column: rules from its type column', async () => {
  const dir = tmpDir('vp-init-del');
  const file = write(dir, 'borttagna_20251203.csv', crlf(['Typ;Nummer;Borttagen', 'Order;20451;2025-12-03', 'Faktura;500017;2025-12-03', 'Offert;9001;2025-12-03']), 'windows-1252');
  const feed = feedOf(await inspectSample(file));
  assert.equal(feed.kind, 'deletions');
  assert.deepEqual(feed.map, { id: 'Nummer' });
  assert.deepEqual(feed.deletes, [
    { when: { Typ: 'Order' }, delete: 'order' },
    { when: { Typ: 'Faktura' }, delete: 'invoice' },
    { when: { Typ: 'Offert' }, delete: 'ignore' },
    // The sample has no credit: guessed by its Swedish name, like the others.
    { when: { Typ: 'Kredit' }, delete: 'credit' },
  ]);
});

// An XML ERP export (Monitor/Jeeves style): orders, invoices and deletions in one file, numbers in
// attributes (<Order Nr=…>, <Kund Nr=…>, <Order Nr=…> inside an invoice), Swedish element names.
const XML_EXPORT = `<?xml version="1.0" encoding="UTF-8"?>
<Export skapad="2025-12-03T22:00:00">
  <Ordrar>
    <Order Nr="5001">
      <Kund Nr="K100"><Namn>Kafé Ankan</Namn><Adress>Storgatan 1</Adress><Postnr>903 26</Postnr><Ort>Umeå</Ort><Land>SE</Land></Kund>
      <Orderdatum>2025-12-01</Orderdatum>
      <Valuta>SEK</Valuta>
      <Rader>
        <Rad Nr="1"><Artikelnr>A1</Artikelnr><Benamning>Kaffe</Benamning><Antal>2</Antal><Pris>10.00</Pris><Moms>25</Moms></Rad>
        <Rad Nr="2"><Artikelnr>A2</Artikelnr><Benamning>Te</Benamning><Antal>1</Antal><Pris>20.00</Pris><Moms>25</Moms></Rad>
      </Rader>
    </Order>
    <Order Nr="5002">
      <Kund Nr="K200"><Namn>Bistro Björk</Namn><Ort>Luleå</Ort><Land>SE</Land></Kund>
      <Orderdatum>2025-12-02</Orderdatum>
      <Valuta>SEK</Valuta>
      <Rader><Rad Nr="1"><Artikelnr>A1</Artikelnr><Benamning>Kaffe</Benamning><Antal>5</Antal><Pris>10.00</Pris><Moms>25</Moms></Rad></Rader>
    </Order>
  </Ordrar>
  <Fakturor>
    <Faktura Nr="9001" Typ="Faktura">
      <Kund Nr="K100"><Namn>Kafé Ankan</Namn><Ort>Umeå</Ort><Land>SE</Land></Kund>
      <Fakturadatum>2025-12-03</Fakturadatum>
      <Forfallodatum>2026-01-02</Forfallodatum>
      <Valuta>SEK</Valuta>
      <Order Nr="5001"/>
      <Rader><Rad Nr="1"><Artikelnr>A1</Artikelnr><Benamning>Kaffe</Benamning><Antal>2</Antal><Pris>10.00</Pris><Moms>25</Moms></Rad></Rader>
    </Faktura>
  </Fakturor>
  <Borttagna>
    <Borttagen Typ="Order" Nr="5002"/>
  </Borttagna>
</Export>
`;

test('init on a multi-record XML export: one section per record kind, customer and order numbers from attributes; unedited, it publishes', async () => {
  const dir = tmpDir('vp-init-xml');
  const file = write(dir, 'export_20251203.xml', XML_EXPORT);
  const r = await inspectSample(file);
  const feed = feedOf(r);
  assert.equal(feed.pattern, 'export_*.xml');
  assert.equal(feed.kind, undefined, 'sections replace the feed kind');
  const sections = feed.sections!;
  assert.deepEqual(sections.map((s) => [s.kind, s.recordPath]), [
    ['orders', 'Export/Ordrar/Order'],
    ['invoices', 'Export/Fakturor/Faktura'],
    ['deletions', 'Export/Borttagna/Borttagen'],
  ]);
  assert.equal(sections[0]!.map.id, '@Nr');
  assert.equal(sections[0]!.map.customer_no, 'Kund/@Nr');
  assert.equal(sections[1]!.map.customer_no, 'Kund/@Nr');
  assert.equal(sections[1]!.map.order_no, 'Order/@Nr');
  assert.deepEqual(sections[1]!.credit, { column: '@Typ', values: ['Kredit'] }, 'only debits in the sample: credits guessed as Kredit');
  assert.equal(sections[2]!.map.id, '@Nr');
  assert.deepEqual(sections[2]!.deletes![0], { when: { '@Typ': 'Order' }, delete: 'order' });

  const app = await ingestAll([feed], [file]);
  try {
    const out = published(app);
    const order = out.get('customers/K100/orders/5001.json')!;
    assert.equal(order.customer_no, 'K100');
    assert.equal((order.products as unknown[]).length, 2);
    const invoice = out.get('customers/K100/invoices/9001.json')!;
    assert.deepEqual(invoice.orders, [{ order_no: '5001' }]);
    assert.equal(out.has('customers/K200/orders/5002.json'), false, 'deleted in the same file: the deletions section is applied last');
  } finally {
    app.close();
  }
});

test('init on an XML export with an empty <Deletions/>: the section is guessed; a second file of the feed fills in what the first lacks', async () => {
  const dir = tmpDir('vp-init-xml2');
  const a = write(dir, 'erp_20251201.xml', '<Export><Orders><Order No="1"><Customer No="C1"><Name>A</Name></Customer><OrderDate>2025-12-01</OrderDate><Lines><Line No="1"><Item>X</Item><Qty>1</Qty><Price>5.00</Price></Line></Lines></Order></Orders><Invoices><Invoice No="10" type="debit"><Customer No="C1"/><InvoiceDate>2025-12-01</InvoiceDate><PaymentStatus>Unpaid</PaymentStatus></Invoice></Invoices><Deletions/></Export>');
  const b = write(dir, 'erp_20251202.xml', '<Export><Orders/><Invoices><Invoice No="11" type="credit"><Customer No="C1"/><InvoiceDate>2025-12-02</InvoiceDate><PaymentStatus>Settled</PaymentStatus><CreditedInvoice No="10"/></Invoice></Invoices><Deletions><Deletion type="order" No="1"/></Deletions></Export>');
  const one = feedOf(await inspectSample(a));
  assert.deepEqual(one.sections!.map((s) => s.kind), ['orders', 'invoices', 'deletions']);
  assert.equal(one.sections![2]!.recordPath, 'Export/Deletions/Deletion');
  assert.equal(one.sections![2]!.map.id, '@No');
  assert.deepEqual(one.sections![1]!.credit, { column: '@type', values: ['credit'] });
  const both = feedOf(await inspectSample([a, b]));
  assert.equal(both.sections![1]!.map.credited_invoice, 'CreditedInvoice/@No');
});

test('vocabulary: numbers in attributes of child elements, and FULL/DELTA file names', () => {
  const best = (name: string, cls: 'order' | 'invoice' = 'order') => candidates(name, cls, 'header', { xml: true })[0]?.field;
  assert.equal(best('Customer/@No'), 'customer_no');
  assert.equal(best('Kund/@Nr'), 'customer_no');
  assert.equal(best('Customer/@CustomerNo'), 'customer_no');
  assert.equal(best('Buyer/@Id'), 'customer_no');
  assert.equal(best('Delivery/@No'), undefined, 'a delivery address number is not the customer');
  assert.equal(best('OrderRef/@No', 'invoice'), 'order_no');
  assert.equal(best('Packages/Package/@id'), 'tracking_id');
  assert.equal(best('Packages/Package/@carrier'), 'carrier');
  assert.equal(patternFor('SalesHeader_20251130_FULL.csv'), 'SalesHeader_*.csv');
  assert.equal(patternFor('SalesHeader_20251201_DELTA.csv'), 'SalesHeader_*.csv');
  assert.equal(patternFor('SalesLine_run42_DELTA.csv'), 'SalesLine_*.csv');
  assert.equal(patternFor('Kunder_FULL.csv'), 'Kunder_*.csv');
  assert.equal(patternFor('ordrar_20251130.csv'), 'ordrar_*.csv');
});

test('init on a CSV whose type column mixes header and line rows: sections taken by `when`; unedited, it publishes', async () => {
  const dir = tmpDir('vp-init-mixed');
  // Header rows (H) fill the order's columns, line rows (R) the article's: one file, two kinds of rows.
  const file = write(dir, 'ordrar_20251203.csv', crlf([
    'Posttyp;Ordernr;Kundnr;Orderdatum;Kundnamn;Valuta;Artikelnr;Benämning;Antal;À-pris;Moms %',
    'H;30001;K1;20251201;Kafé Ankan;SEK;;;;;',
    'R;30001;;;;;KAF-500;Kaffe 500 g;2;100,00;12',
    'R;30001;;;;;TE-100;Te 100 g;1;45,00;12',
    'H;30002;K2;20251202;Bistro Björk;SEK;;;;;',
    'R;30002;;;;;KAF-500;Kaffe 500 g;5;100,00;12',
  ]), 'windows-1252');
  const r = await inspectSample(file);
  const feed = feedOf(r);
  const sections = feed.sections as unknown as Array<{ kind: string; when: Record<string, string>; map: Record<string, string> }>;
  assert.deepEqual(sections.map((s) => [s.kind, s.when]), [['orders', { Posttyp: 'H' }], ['order_lines', { Posttyp: 'R' }]]);
  assert.equal(sections[0]!.map.customer_no, 'Kundnr');
  assert.equal(sections[0]!.map['line.quantity'], undefined, 'header rows carry no lines');
  assert.equal(sections[1]!.map.id, 'Ordernr');
  assert.equal(sections[1]!.map['line.quantity'], 'Antal');

  const app = await ingestAll([feed], [file]);
  try {
    const order = published(app).get('customers/K1/orders/30001.json')!;
    assert.equal((order.products as unknown[]).length, 2);
    // 245,00 at 12 %.
    assert.equal(order.total_amount, '274.40');
  } finally {
    app.close();
  }
});

test('xml: containers of one record kind each are sections; nested repeated elements, a lone metadata element and unknown empty elements are not', () => {
  const g = detectXmlStructure(
    '<Export><Meta><Info created="2025-12-03"/></Meta><Orders><Order No="1"><Packages><Package id="a"/></Packages><Lines><Line><Qty>1</Qty></Line></Lines></Order><Order No="2"><Lines><Line><Qty>2</Qty></Line></Lines></Order></Orders>' +
      '<Invoices><Invoice No="9"><Lines><Line><Qty>1</Qty></Line></Lines></Invoice></Invoices><Deletions/><Comments/></Export>',
  );
  assert.deepEqual(g.sections?.map((s) => [s.recordPath, s.records, s.empty ?? false]), [
    ['Export/Orders/Order', 2, false],
    ['Export/Invoices/Invoice', 1, false],
    ['Export/Deletions/Deletion', 0, true],
  ]);
  assert.equal(g.sections![1]!.linePath, 'Lines/Line');
  // One record kind: no sections.
  assert.equal(detectXmlStructure('<Fakturor><Faktura nr="1"><A>1</A></Faktura><Faktura nr="2"><A>2</A></Faktura></Fakturor>').sections, undefined);
  assert.deepEqual(['Orders', 'Ordrar', 'Fakturor', 'Leveranser', 'Kollin', 'Deletions', 'Invoices'].map(singular), ['Order', 'Order', 'Faktura', 'Leverans', 'Kolli', 'Deletion', 'Invoice']);
});
