import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readXml, XML_MAX_RECORD_SIZE } from '../../src/readers/xml.ts';
import { readRecords } from '../../src/readers/index.ts';
import type { RawRecord, ReaderLimits, ReaderOptions } from '../../src/readers/types.ts';
import { DataError, ErrorCodes } from '../../src/errors.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vp-xml-'));
let n = 0;
function write(bytes: Buffer | string): string {
  const file = path.join(dir, `f${++n}.xml`);
  fs.writeFileSync(file, bytes);
  return file;
}

const base: ReaderOptions = { format: 'xml', encoding: 'utf-8', delimiter: ';', quote: '"', header: true, recordPath: 'Orders/Order' };

async function read(file: string, opts: Partial<ReaderOptions> = {}, limits?: ReaderLimits): Promise<RawRecord[]> {
  const out: RawRecord[] = [];
  for await (const r of readXml(file, { ...base, ...opts }, limits)) out.push(r);
  return out;
}

async function rejectsWith(p: Promise<unknown>, code: string, rule: string, line?: number): Promise<DataError> {
  let caught: unknown;
  try {
    await p;
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof DataError, `expected a DataError, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  assert.equal(caught.context.rule, rule, caught.message);
  if (line !== undefined) assert.equal(caught.context.line, line, caught.message);
  return caught;
}

const ORDERS = `<?xml version="1.0" encoding="UTF-8"?>
<Orders exported="2025-11-30">
  <Order no="006">
    <CustomerNo>0042</CustomerNo>
    <Customer type="company" vat="SE1">
      <Name>Byggvaruhuset AB</Name>
      <City>Luleå</City>
    </Customer>
    <Total currency="SEK">1234.50</Total>
    <Empty/>
    <Lines>
      <Line no="1">
        <Sku>MP-4420</Sku>
        <Qty>005</Qty>
      </Line>
      <Line no="2"><Sku>DM-1010</Sku><Qty>2</Qty></Line>
    </Lines>
  </Order>
  <Order no="007">
    <CustomerNo>0043</CustomerNo>
    <Lines>
      <Line no="1"><Sku>X</Sku></Line>
    </Lines>
  </Order>
</Orders>
`;

test('records at recordPath, flattened: child paths, attributes, text+attributes, empty elements, lines with their lines', async () => {
  const records = await read(write(ORDERS), { linePath: 'Lines/Line' });
  assert.equal(records.length, 2);
  assert.deepEqual(records[0], {
    line: 3,
    record: 1,
    fields: {
      '@no': '006',
      CustomerNo: '0042',
      'Customer/@type': 'company',
      'Customer/@vat': 'SE1',
      'Customer/Name': 'Byggvaruhuset AB',
      'Customer/City': 'Luleå',
      Total: '1234.50',
      'Total/@currency': 'SEK',
      Empty: '',
    },
    lines: [
      { line: 12, fields: { '@no': '1', Sku: 'MP-4420', Qty: '005' } },
      { line: 16, fields: { '@no': '2', Sku: 'DM-1010', Qty: '2' } },
    ],
  });
});

test('a single line element still gives a one-element list', async () => {
  const [, second] = await read(write(ORDERS), { linePath: 'Lines/Line' });
  assert.deepEqual(second, { line: 19, record: 2, fields: { '@no': '007', CustomerNo: '0043' }, lines: [{ line: 22, fields: { '@no': '1', Sku: 'X' } }] });
});

test('a record without line elements gets an empty list when linePath is set', async () => {
  const file = write('<Orders><Order no="1"><A>x</A></Order></Orders>');
  assert.deepEqual(await read(file, { linePath: 'Lines/Line' }), [{ line: 1, record: 1, fields: { '@no': '1', A: 'x' }, lines: [] }]);
});

test('line elements directly under the record (one-segment linePath), across repeated containers', async () => {
  const xml = `<Orders>
<Order>
<Line><Q>1</Q></Line>
<Note>n</Note>
<Line><Q>2</Q></Line>
</Order>
<Order><Lines><Line><Q>a</Q></Line></Lines><Lines><Line><Q>b</Q></Line></Lines></Order>
</Orders>`;
  const [first] = await read(write(xml), { linePath: 'Line' });
  assert.deepEqual(first?.lines, [
    { line: 3, fields: { Q: '1' } },
    { line: 5, fields: { Q: '2' } },
  ]);
  assert.deepEqual(first?.fields, { Note: 'n' });
  const [, second] = await read(write(xml), { linePath: 'Lines/Line' });
  assert.deepEqual(second?.lines?.map((l) => l.fields.Q), ['a', 'b']);
});

test('only elements at linePath are lines: same-named elements elsewhere in the record are fields', async () => {
  const xml = `<Orders><Order>
<Line>top</Line>
<Extra><Line>x</Line></Extra>
<Lines><Line><Q>1</Q><Line>nested</Line></Line></Lines>
</Order></Orders>`;
  const [r] = await read(write(xml), { linePath: 'Lines/Line' });
  assert.deepEqual(r?.fields, { Line: 'top', 'Extra/Line': 'x' });
  assert.deepEqual(r?.lines, [{ line: 4, fields: { Q: '1', Line: 'nested' } }]);
});

test('without linePath nothing is a line: repeated elements, first wins', async () => {
  const file = write(`<Orders><Order>
  <Note>first</Note><Note>second</Note>
  <Addr><City>A</City></Addr><Addr><City>B</City><Zip>2</Zip></Addr>
</Order></Orders>`);
  const [r] = await read(file);
  assert.equal(r?.lines, undefined);
  // The first <Addr> wins as a whole: no Zip borrowed from the second one.
  assert.deepEqual(r?.fields, { Note: 'first', 'Addr/City': 'A' });
});

test('leading zeros and number-like text are kept as text', async () => {
  const [r] = await read(write('<Orders><Order id="006"><No>006</No><Amt>1.50</Amt><E>1e3</E><B>true</B></Order></Orders>'));
  assert.deepEqual(r?.fields, { '@id': '006', No: '006', Amt: '1.50', E: '1e3', B: 'true' });
});

test('CDATA is plain text; CDATA and comments containing the record tag do not cut records', async () => {
  const xml = `<Orders>
<!-- <Order id="fake"> in a comment -->
<Order id="1">
  <Text><![CDATA[x </Order><Order id="2"> & <b>&amp;</b>]]></Text>
  <!-- </Order> -->
  <Q>1</Q>
</Order>
<Order id="3"/>
</Orders>`;
  const records = await read(write(xml));
  assert.deepEqual(
    records.map((r) => [r.line, r.fields]),
    [
      [3, { '@id': '1', Text: 'x </Order><Order id="2"> & <b>&amp;</b>', Q: '1' }],
      [8, { '@id': '3' }],
    ],
  );
});

test('a ">" inside an attribute value does not end the tag', async () => {
  const [r] = await read(write('<Orders><Order note="a > b" id=\'x"y\'><A>1</A></Order></Orders>'));
  assert.deepEqual(r?.fields, { '@note': 'a > b', '@id': 'x"y', A: '1' });
});

test('predefined entities and numeric references decode, once', async () => {
  const [r] = await read(write('<Orders><Order a="&lt;&#229;&amp;lt;"><T>Sm&amp;ith &lt;&gt;&quot;&apos; &#229;&#xE5;&#xC5; &#x1F600; &amp;lt; &#38;#229;</T></Order></Orders>'));
  assert.deepEqual(r?.fields, { '@a': '<å&lt;', T: 'Sm&ith <>"\' ååÅ 😀 &lt; &#229;' });
});

test('an undefined entity (&lol9;) in a record is an error with its line, never expanded or kept', async () => {
  const err = await rejectsWith(read(write('<Orders>\n<Order>\n<T>a &lol9; b</T>\n</Order>\n</Orders>')), ErrorCodes.XML, 'xml-entity', 3);
  assert.match(err.message, /&lol9;/);
});

test('HTML entities (&nbsp;), a bare & and a reference to a non-character are errors', async () => {
  await rejectsWith(read(write('<Orders><Order><T>a&nbsp;b</T></Order></Orders>')), ErrorCodes.XML, 'xml-entity', 1);
  await rejectsWith(read(write('<Orders>\n<Order>\n\n<T>Smith & Co</T></Order></Orders>')), ErrorCodes.XML, 'xml-entity', 4);
  await rejectsWith(read(write('<Orders><Order><T>&#0;</T></Order></Orders>')), ErrorCodes.XML, 'xml-entity', 1);
  await rejectsWith(read(write('<Orders><Order x="&foo;"/></Orders>')), ErrorCodes.XML, 'xml-entity', 1);
});

test('billion laughs is rejected before anything is expanded', async () => {
  const xml = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
]>
<Orders><Order><T>&lol2;</T></Order></Orders>`;
  const err = await rejectsWith(read(write(xml)), ErrorCodes.XML, 'xml-entity-declaration', 3);
  assert.match(err.context.hint ?? '', /disabled for safety/);
});

test('an external entity (file:///etc/passwd) is rejected', async () => {
  const xml = `<?xml version="1.0"?>\n<!DOCTYPE Orders [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>\n<Orders><Order><T>&xxe;</T></Order></Orders>`;
  await rejectsWith(read(write(xml)), ErrorCodes.XML, 'xml-entity-declaration', 2);
});

test('an entity declaration split across two read chunks is still found', async () => {
  const head = '<?xml version="1.0"?>\n<!-- ';
  const pad = 'x'.repeat(65536 - head.length - ' -->\n<!DOCTYPE Orders [<!ENT'.length);
  const xml = `${head}${pad} -->\n<!DOCTYPE Orders [<!ENTITY a "b">]>\n<Orders/>`;
  assert.equal(Buffer.byteLength(xml.slice(0, xml.indexOf('ITY'))), 65536); // the split falls inside "<!ENTITY"
  await rejectsWith(read(write(xml)), ErrorCodes.XML, 'xml-entity-declaration');
});

test('a DOCTYPE without entity declarations is skipped, never parsed', async () => {
  const xml = `<?xml version="1.0"?>\n<!DOCTYPE Orders SYSTEM "orders.dtd">\n<!DOCTYPE-ish comment? no: a PI follows --><?x y?>\n<Orders><Order><A>1</A></Order></Orders>`.replace(
    '<!DOCTYPE-ish comment? no: a PI follows -->',
    '',
  );
  assert.deepEqual((await read(write(xml))).map((r) => r.fields), [{ A: '1' }]);
});

test('mismatched end tag is reported with its line', async () => {
  const xml = '<Orders>\n<Order>\n<A>1</A>\n<B>2</C>\n</Order>\n</Orders>';
  const err = await rejectsWith(read(write(xml)), ErrorCodes.XML, 'xml-syntax', 4);
  assert.match(err.message, /expected <\/B>, found <\/C>/);
});

test('other malformed XML in a record (unquoted attribute) is reported with the absolute line', async () => {
  const xml = '<Orders>\n<Order>\n<A>1</A>\n</Order>\n<Order>\n<A>1</A>\n<B x=1>2</B>\n</Order>\n</Orders>';
  const err = await rejectsWith(read(write(xml)), ErrorCodes.XML, 'xml-syntax', 7);
  assert.equal(err.context.record, 2);
});

test('a truncated file is an error', async () => {
  await rejectsWith(read(write('<Orders>\n<Order><A>1</A></Order>\n')), ErrorCodes.XML, 'xml-syntax', 3);
  await rejectsWith(read(write('<Orders>\n<Order>\n<A>1</A>')), ErrorCodes.XML, 'xml-syntax', 2);
  await rejectsWith(read(write('<Orders>\n<Order>\n<A x="1')), ErrorCodes.XML, 'xml-syntax', 3);
});

test('an empty file is an error (no root element); an empty root is zero records', async () => {
  await rejectsWith(read(write('')), ErrorCodes.XML, 'xml-syntax');
  assert.deepEqual(await read(write('<?xml version="1.0"?>\n<Orders/>\n')), []);
});

test('recordPath is from the root: same-named elements elsewhere are not records', async () => {
  const xml = '<Orders><Order id="1"/><Archive><Order id="2"/></Archive><Order id="3"></Order></Orders>';
  assert.deepEqual((await read(write(xml))).map((r) => r.fields['@id']), ['1', '3']);
});

test('no record at recordPath but record-named elements elsewhere: a clear error', async () => {
  const err = await rejectsWith(read(write('<Export><Order id="1"/></Export>')), ErrorCodes.XML, 'xml-record-path');
  assert.match(err.message, /Export\/Order/);
});

test('Windows-1252 XML: € and å decoded', async () => {
  const bytes = Buffer.concat([
    Buffer.from('<?xml version="1.0" encoding="windows-1252"?>\n<Orders><Order><Ort>Lule'),
    Buffer.from([0xe5]),
    Buffer.from('</Ort><P>10 '),
    Buffer.from([0x80]),
    Buffer.from('</P></Order></Orders>'),
  ]);
  const [r] = await read(write(bytes), { encoding: 'windows-1252' });
  assert.deepEqual(r?.fields, { Ort: 'Luleå', P: '10 €' });
});

test('invalid UTF-8 in an XML file is an ENCODING error', async () => {
  const bytes = Buffer.concat([Buffer.from('<Orders>\n<Order><Ort>Lule'), Buffer.from([0xe5]), Buffer.from('</Ort></Order></Orders>')]);
  await rejectsWith(read(write(bytes)), ErrorCodes.ENCODING, 'utf-8', 2);
});

test('CRLF files: record and line element lines are physical lines', async () => {
  const xml = '<Orders>\r\n<Order>\r\n<Lines>\r\n<Line/>\r\n\r\n<Line>t</Line>\r\n</Lines>\r\n</Order>\r\n<Order/>\r\n</Orders>\r\n';
  const records = await read(write(xml), { linePath: 'Lines/Line' });
  assert.deepEqual(
    records.map((r) => [r.line, r.lines]),
    [
      [
        2,
        [
          { line: 4, fields: {} },
          { line: 6, fields: { '.': 't' } },
        ],
      ],
      [9, []],
    ],
  );
});

test('thousands of records spanning read chunks: all found, with right lines', async () => {
  const parts = ['<?xml version="1.0"?>', '<Orders>'];
  for (let i = 0; i < 3000; i++) parts.push(`  <Order no="${i}">`, `    <Name>Kund ${i} åäö</Name>`, '  </Order>');
  parts.push('</Orders>', '');
  const records = await read(write(parts.join('\n')));
  assert.equal(records.length, 3000);
  for (const i of [0, 1, 1500, 2999]) {
    assert.deepEqual([records[i]?.line, records[i]?.record, records[i]?.fields['@no']], [3 + 3 * i, i + 1, String(i)]);
  }
});

test('a single-line file of many read chunks: records found, and an error deep in the line has its exact column', async () => {
  const record = (i: number) => `<Order no="${i}"><Name>Kund ${i} åäö</Name><Lines><Line><Q>${i}</Q></Line></Lines></Order>`;
  const head = '<?xml version="1.0"?><Orders>';
  const body = Array.from({ length: 4000 }, (_, i) => record(i)).join('');
  const records = await read(write(`${head}${body}</Orders>`), { linePath: 'Lines/Line' });
  assert.equal(records.length, 4000);
  assert.deepEqual([records[3999]?.line, records[3999]?.lines?.[0]?.line, records[3999]?.fields['@no']], [1, 1, '3999']);
  // A bare & after ~300,000 characters of one line: column counted across all the pieces.
  const bad = `${head}${body}<Order><Name>A & B</Name></Order></Orders>`;
  const err = await rejectsWith(read(write(bad)), ErrorCodes.XML, 'xml-entity', 1);
  assert.equal(err.context.column, bad.indexOf(' & B') + 2);
});

test('LF file with a lone CR far after a record: lines of records and line elements stay physical', async () => {
  const parts = ['<Orders>'];
  for (let i = 0; i < 2000; i++) parts.push(`<Order no="${i}">`, '<Lines>', `<Line><Q>${i}</Q></Line>`, '</Lines>', '</Order>');
  const xml = `${parts.join('\n')}\n<Order no="last">\r<Lines><Line/></Lines></Order>\n</Orders>\n`;
  const records = await read(write(xml), { linePath: 'Lines/Line' });
  assert.equal(records.length, 2001);
  assert.deepEqual([records[1999]?.line, records[1999]?.lines?.[0]?.line], [2 + 5 * 1999, 4 + 5 * 1999]);
  assert.deepEqual([records[2000]?.line, records[2000]?.lines?.[0]?.line], [10002, 10003]);
});

test('a record larger than the limit is a max-record-size error at the record start', async () => {
  assert.equal(XML_MAX_RECORD_SIZE, 16 * 1024 * 1024);
  const xml = `<Orders>\n<Order><A>1</A></Order>\n<Order>\n<T>${'x'.repeat(200_000)}</T></Order></Orders>`;
  await rejectsWith(read(write(xml), {}, { maxRecordSize: 64 * 1024 }), ErrorCodes.XML, 'max-record-size', 3);
});

test('an element named __proto__ is refused by the parser; the error is a DataError with the record line', async () => {
  await rejectsWith(read(write('<Orders>\n<Order>\n<__proto__>x</__proto__></Order></Orders>')), ErrorCodes.XML, 'xml-syntax', 2);
});

test('readRecords dispatches XML feeds', async () => {
  const out: RawRecord[] = [];
  for await (const r of readRecords(write('<Orders><Order><A>1</A></Order></Orders>'), base)) out.push(r);
  assert.deepEqual(out, [{ line: 1, record: 1, fields: { A: '1' } }]);
});
