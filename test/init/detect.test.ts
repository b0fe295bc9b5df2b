import { test } from 'node:test';
import assert from 'node:assert/strict';
import iconv from 'iconv-lite';
import { detectDelimiter, detectHeader, splitRows } from '../../src/init/csv.ts';
import { detectEncoding, UnsupportedEncoding, xmlDeclaredEncoding } from '../../src/init/encoding.ts';
import { feedNameFor, patternFor, propose, type Sample, type SchemaSupport } from '../../src/init/propose.ts';
import { booleanValues, cancelledValues, creditValues, detectDateFormat, detectNumberFormat } from '../../src/init/values.ts';
import { addressGroup, candidates, documentClass, normalizeName } from '../../src/init/vocabulary.ts';
import { detectXmlStructure, NoXmlRecords } from '../../src/init/xml.ts';
import { proposalYaml } from '../../src/init/yaml.ts';
import { inspectSample, schemaSupport } from '../../src/cli/init.ts';
import path from 'node:path';
import { parse } from 'yaml';

test('encoding: BOM, valid UTF-8, else Windows-1252 (ISO-8859-1 for bytes cp1252 leaves undefined); UTF-16 refused', () => {
  assert.deepEqual(detectEncoding(Buffer.from('\uFEFFNo.,Name\r\n1,Åsa\r\n')), { encoding: 'utf-8', bom: true, reason: 'UTF-8 byte-order mark' });
  const utf8 = detectEncoding(Buffer.from('Kundnr;Benämning\n1;Sopsäck\n'));
  assert.equal(utf8.encoding, 'utf-8');
  assert.match(utf8.reason, /valid UTF-8/);
  assert.match(detectEncoding(Buffer.from('a;b\n1;2\n')).reason, /ASCII only/);
  const cp = detectEncoding(iconv.encode('Kundnr;Benämning\n1;Sopsäck 5 €\n', 'windows-1252'));
  assert.equal(cp.encoding, 'windows-1252');
  assert.match(cp.reason, /not UTF-8 \(byte 0xE4 at offset 10\)/);
  assert.equal(detectEncoding(Buffer.from([0x41, 0x3b, 0xe5, 0x8d, 0x0a])).encoding, 'iso-8859-1');
  assert.equal(detectEncoding(Buffer.from([0x3c, 0x61, 0xe5, 0x3e]), 'ISO-8859-1').encoding, 'iso-8859-1');
  assert.throws(() => detectEncoding(Buffer.from([0xff, 0xfe, 0x41, 0x00])), UnsupportedEncoding);
  assert.throws(() => detectEncoding(Buffer.from([0x41, 0x00, 0x42, 0x00])), UnsupportedEncoding);
  // A sample cut inside a multi-byte character is still UTF-8.
  assert.equal(detectEncoding(Buffer.from('abc å').subarray(0, 5)).encoding, 'utf-8');
  assert.equal(xmlDeclaredEncoding('<?xml version="1.0" encoding="windows-1252"?><a/>'), 'windows-1252');
  assert.equal(xmlDeclaredEncoding('<a/>'), undefined);
});

test('csv: rows with quotes and line breaks; the delimiter that splits rows consistently; header or not', () => {
  const text = 'Ordernr;Kommentar;Belopp\r\n1;"a; b\r\nc";1 234,50\r\n2;"x ""y""";12,00\r\n3;;5\r\n';
  assert.deepEqual(splitRows(text, ';'), [
    ['Ordernr', 'Kommentar', 'Belopp'],
    ['1', 'a; b\r\nc', '1 234,50'],
    ['2', 'x "y"', '12,00'],
    ['3', '', '5'],
  ]);
  assert.equal(detectDelimiter(text).delimiter, ';');
  assert.equal(detectDelimiter('No.,Name,Amount\n1,"A, B","1,234.5"\n2,C,3\n').delimiter, ',');
  assert.equal(detectDelimiter('a\tb\tc\n1\t2\t3\n4\t5\t6\n').delimiter, '\t');
  assert.equal(detectDelimiter('a|b\n1|2\n').delimiter, '|');
  assert.equal(detectHeader(splitRows(text, ';')).header, true);
  assert.equal(detectHeader([['100001', '10008', '149,00'], ['100002', '10001', '295,00']]).header, false);
  assert.equal(detectHeader([['a', 'a'], ['1', '2']]).header, false);
});

test('xml: the repeated element under a single container is the record; the element repeated inside records is the line', () => {
  const xml = `<?xml version="1.0"?><!-- export --><Export date="x"><Orders>
    <Order no="1"><Customer><Name>A &amp; B</Name></Customer><Lines><Line><Qty>1</Qty></Line><Line><Qty>2</Qty></Line></Lines></Order>
    <Order no="2"><Customer><Name>C</Name></Customer><Lines><Line><Qty>3</Qty></Line></Lines></Order>
    <Order no="3"><Customer><Name><![CDATA[<D>]]></Name></Customer><Lines><Line><Qty>4</Qty></Line><Line/></Lines></Order></Orders></Export>`;
  const g = detectXmlStructure(xml);
  assert.equal(g.recordPath, 'Export/Orders/Order');
  assert.equal(g.records, 3);
  assert.equal(g.linePath, 'Lines/Line');
  // Cut in the middle of a record: still detected from what is there.
  assert.equal(detectXmlStructure(xml.slice(0, xml.indexOf('<Order no="3">') + 30)).recordPath, 'Export/Orders/Order');
  // One line per record everywhere: found by its name.
  const single = '<Fakturor><Faktura><Rader><Rad><A>1</A></Rad></Rader></Faktura><Faktura><Rader><Rad><A>2</A></Rad></Rader></Faktura></Fakturor>';
  assert.equal(detectXmlStructure(single).linePath, 'Rader/Rad');
  assert.throws(() => detectXmlStructure('<a>text</a>'), NoXmlRecords);
});

test('values: date and number formats that parse every value; cancel, credit and yes/no markers', () => {
  assert.equal(detectDateFormat(['20240103', '20251130']).value, 'YYYYMMDD');
  assert.equal(detectDateFormat(['2024-01-03', '2025-11-30 12:30']).value, 'YYYY-MM-DD');
  assert.equal(detectDateFormat(['31.01.2024', '01.02.2024']).value, 'DD.MM.YYYY');
  assert.equal(detectDateFormat(['1.2.2024', '31.12.2024']).value, 'D.M.YYYY');
  assert.equal(detectDateFormat(['12/31/2024', '01/15/2024']).value, 'MM/DD/YYYY');
  const ambiguous = detectDateFormat(['01/02/2024', '03/04/2024']);
  assert.equal(ambiguous.value, 'DD/MM/YYYY');
  assert.match(ambiguous.reason, /cannot be told/);
  assert.match(detectDateFormat(['2024-01-03', 'soon']).reason, /parses 1 of 2/);

  assert.equal(detectNumberFormat(['1 077,30', '189,00', '6']).value, 'comma');
  assert.equal(detectNumberFormat(['1,937.19', '216', '1,707']).value, 'dot');
  assert.equal(detectNumberFormat(['12,5', '3']).value, 'comma');
  assert.equal(detectNumberFormat(['12.5', '3']).value, 'dot');
  const whole = detectNumberFormat(['1', '25'], 'dot');
  assert.equal(whole.value, 'dot');
  assert.match(whole.reason, /whole numbers/);

  assert.deepEqual(cancelledValues(['Levererad', 'Makulerad', 'Aktiv', 'Makulerad']), ['Makulerad']);
  assert.deepEqual(cancelledValues(['Open', 'Released']), []);
  assert.deepEqual(creditValues(['Faktura', 'Kredit']), ['Kredit']);
  assert.deepEqual(booleanValues(['Yes', 'No', 'Yes']), { yes: 'Yes', no: 'No' });
  assert.equal(booleanValues(['Betald', 'Obetald']), undefined);
});

test('vocabulary: Swedish and English ERP names, address groups by prefix or parent element', () => {
  assert.equal(normalizeName('Sell-to Customer No.'), 'sell to customer no');
  assert.equal(normalizeName('À-pris'), 'a pris');
  assert.equal(normalizeName('Moms %'), 'moms pct');
  assert.equal(normalizeName('Helsingør'), 'helsingor');
  const best = (name: string, cls: 'order' | 'invoice' | 'credit' = 'order', opts: Parameters<typeof candidates>[3] = { flat: true }) => candidates(name, cls, 'header', opts)[0]?.field;
  assert.equal(best('Ordernr'), 'id');
  assert.equal(best('OrderNo'), 'id');
  assert.equal(best('Ordernr', 'invoice'), 'order_no');
  assert.equal(best('Kundnr'), 'customer_no');
  assert.equal(best('Sell-to Customer No.'), 'customer_no');
  assert.equal(best('No.'), 'id');
  assert.equal(best('Belopp', 'invoice', {}), 'total');
  assert.equal(best('Amount Including VAT', 'invoice', {}), 'total');
  assert.equal(best('Förfallodatum', 'invoice'), 'due_date');
  assert.equal(best('Fakt.land'), 'customer.country');
  assert.equal(best('Lev.postnr'), 'delivery.zipcode');
  assert.equal(best('Ship-to Country/Region Code'), 'delivery.country');
  assert.equal(best('Sell-to Contact'), 'customer.reference');
  assert.equal(best('Ship-to Name'), 'delivery.company', 'the delivery name (published as delivery.company)');
  assert.equal(best('Applies-to Doc. No.', 'credit'), 'credited_invoice');
  assert.equal(best('Kund/Namn', 'invoice', { xml: true }), 'customer.company');
  assert.equal(best('Sell-to Country/Region Code', 'invoice', {}), 'customer.country', 'in CSV a "/" is part of the name, not a path');
  assert.equal(best('Antal'), 'line.quantity');
  assert.equal(best('À-pris'), 'line.price');
  assert.equal(best('Rabatt %'), 'line.discount');
  assert.equal(candidates('No.', 'order', 'line', { lineFeed: true })[0]?.field, 'line.model');
  assert.equal(candidates('Document No.', 'invoice', 'line', { lineFeed: true })[0]?.field, 'id');
  assert.equal(candidates('@nr', 'invoice', 'line', { xml: true })[0]?.field, 'line.no');
  assert.deepEqual(addressGroup('Fakt.adress2'), { group: 'customer', rest: 'adress2' });
  assert.equal(addressGroup('Kundnr'), undefined);
  assert.equal(documentClass('SalesCrMemoHeader_20251130.csv', undefined, []).cls, 'credit');
  assert.equal(documentClass('fakturor.xml', undefined, []).cls, 'invoice');
  assert.equal(documentClass('export.xml', 'Invoice', []).cls, 'invoice');
  assert.equal(documentClass('export.csv', undefined, ['No.', 'Due Date']).cls, 'invoice');
  assert.equal(documentClass('export.csv', undefined, ['No.']).cls, 'order');
  assert.equal(patternFor('ordrar_20251130.csv'), 'ordrar_*.csv');
  assert.equal(patternFor('export-2025-11-30.csv'), 'export-*.csv');
  assert.equal(patternFor('orders_20251130_1415.csv'), 'orders_*.csv');
  assert.equal(patternFor('orders.csv'), 'orders.csv');
  assert.equal(feedNameFor('SalesHeader_20251130.csv'), 'salesheader');
  assert.equal(feedNameFor('Åkesson Ordrar 20251130.csv'), 'akesson-ordrar');
});

const SUPPORT: SchemaSupport = schemaSupport();

function csvSample(fileName: string, header: string[], rows: string[][]): Sample {
  return {
    fileName,
    format: 'csv',
    encoding: { encoding: 'utf-8', bom: false, reason: 'test' },
    csv: { delimiter: { delimiter: ';', columns: header.length, reason: 'test' }, header: { header: true, reason: 'test' } },
    fields: header,
    lineFields: [],
    records: rows.map((r) => ({ fields: Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])) })),
  };
}

test('propose: a flat Swedish order export becomes an orders feed with line fields, a delete marker and the formats of its values', () => {
  const p = propose(
    csvSample('ordrar_20250101.csv', ['Ordernr', 'Kundnr', 'Orderdatum', 'Status', 'Fakt.ort', 'Lev.ort', 'Artikelnr', 'Antal', 'À-pris', 'Oklar'], [
      ['1', 'K1', '20250101', 'Aktiv', 'Luleå', 'Piteå', 'A-1', '2', '1 234,50', 'x'],
      ['2', 'K2', '20250102', 'Makulerad', 'Umeå', 'Umeå', 'A-2', '1', '12,00', 'y'],
    ]),
    SUPPORT,
  );
  const s = Object.fromEntries(p.settings.map(([k, v]) => [k, v.value]));
  assert.equal(s.kind, 'orders');
  assert.equal(s.pattern, 'ordrar_*.csv');
  assert.equal(s.dateFormat, 'YYYYMMDD');
  assert.equal(s.numberFormat, 'comma');
  assert.deepEqual(s.delete, { column: 'Status', values: ['Makulerad'] });
  assert.deepEqual(Object.fromEntries(p.map.map(([f, v]) => [f, v.value])), {
    id: 'Ordernr',
    customer_no: 'Kundnr',
    date: 'Orderdatum',
    status: 'Status',
    'customer.ziparea': 'Fakt.ort',
    'delivery.ziparea': 'Lev.ort',
    'line.model': 'Artikelnr',
    'line.quantity': 'Antal',
    'line.price': 'À-pris',
  });
  assert.deepEqual(p.unmapped.map((u) => u.name), ['Oklar']);
  assert.ok(p.notes.some((n) => /no currency column/.test(n)));
  // Printed: valid YAML, every inferred value marked as a guess.
  const yaml = proposalYaml(p, { file: 'ordrar_20250101.csv', records: 2 });
  const parsed = parse(yaml) as { feeds: Array<Record<string, unknown>> };
  assert.equal(parsed.feeds[0]!.kind, 'orders');
  assert.equal((parsed.feeds[0]!.map as Record<string, string>)['line.price'], 'À-pris');
  for (const line of yaml.split('\n').filter((l) => /^\s+(-\s)?[a-z_.]+: /.test(l) && !/^\s+map:/.test(l))) assert.match(line, /# (guess|detected): /, line);
});

test('propose: a lines file without a customer column is a *_lines feed joined on the document number', () => {
  const p = propose(
    csvSample('SalesInvoiceLine_20250101.csv', ['Document No.', 'Line No.', 'No.', 'Description', 'Quantity', 'Unit Price', 'Line Amount', 'VAT %'], [
      ['INV1', '10000', 'ITEM-1', 'Thing', '2', '1,234.5', '2,469', '25'],
    ]),
    SUPPORT,
  );
  const s = Object.fromEntries(p.settings.map(([k, v]) => [k, v.value]));
  assert.equal(s.kind, 'invoice_lines');
  assert.equal(s.numberFormat, 'dot');
  const map = Object.fromEntries(p.map.map(([f, v]) => [f, v.value]));
  assert.equal(map.id, 'Document No.');
  assert.equal(map['line.model'], 'No.');
  assert.equal(map['line.row_total'], 'Line Amount');
  assert.ok(!p.notes.some((n) => /currency/.test(n)), 'line feeds carry no currency');
});

test('init on Business Central line tables proposes charge-line rules (G/L freight, item charges) and line.order_no on invoice lines', async () => {
  const lines = await inspectSample(path.resolve('samples/exports/SalesLine_20251201.csv'));
  assert.match(lines.yaml, /charges: \[ \{ when: \{ Type: Charge \(Item\) \} \} \]/);
  const invoiceLines = await inspectSample(path.resolve('samples/exports/SalesInvoiceLine_20251201.csv'));
  assert.match(invoiceLines.yaml, /charges: \[ \{ when: \{ Type: G\/L Account, No\.: "3520" \} \}, \{ when: \{ Type: Charge \(Item\) \} \} \]/);
  assert.match(invoiceLines.yaml, /line\.order_no: Order No\./);
  assert.deepEqual(invoiceLines.check.errors, []);
  // A Swedish flat order file has no line type column: no charges.
  const flat = await inspectSample(path.resolve('samples/exports/ordrar_20251130.csv'));
  assert.doesNotMatch(flat.yaml, /charges/);
});
