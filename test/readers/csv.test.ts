import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readCsv, CSV_MAX_COLUMNS, CSV_MAX_RECORD_SIZE } from '../../src/readers/csv.ts';
import { readRecords } from '../../src/readers/index.ts';
import type { RawRecord, ReaderOptions } from '../../src/readers/types.ts';
import { ConfigError, DataError, ErrorCodes } from '../../src/errors.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vp-csv-'));
let n = 0;
function write(bytes: Buffer | string): string {
  const file = path.join(dir, `f${++n}.csv`);
  fs.writeFileSync(file, bytes);
  return file;
}

const base: ReaderOptions = { format: 'csv', encoding: 'utf-8', delimiter: ';', quote: '"', header: true };

async function read(file: string, opts: Partial<ReaderOptions> = {}): Promise<RawRecord[]> {
  const out: RawRecord[] = [];
  for await (const r of readCsv(file, { ...base, ...opts })) {
    // A record the reader could step over carries its error; here, as in reject-file, it ends the read.
    if (r.error) throw r.error;
    out.push(r);
  }
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

test('UTF-8 with BOM: the first column name has no BOM; records carry line and number', async () => {
  const file = write(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Ordernr;Ort\n006;Luleå\n007;Malmö\n')]));
  assert.deepEqual(await read(file), [
    { line: 2, record: 1, fields: { Ordernr: '006', Ort: 'Luleå' } },
    { line: 3, record: 2, fields: { Ordernr: '007', Ort: 'Malmö' } },
  ]);
});

test('UTF-8 without BOM, leading zeros and spaces kept as written', async () => {
  const file = write('Ordernr;Belopp\n0060; 1 234,50 \n');
  assert.deepEqual((await read(file))[0]?.fields, { Ordernr: '0060', Belopp: ' 1 234,50 ' });
});

test('Windows-1252 CSV: € å ö in header and values', async () => {
  // "Benämning;Pris\nKöksrulle;10 €\n" in cp1252
  const bytes = Buffer.from([
    ...Buffer.from('Ben'), 0xe4, ...Buffer.from('mning;Pris\nK'), 0xf6, ...Buffer.from('ksrulle;10 '), 0x80, 0x0a,
  ]);
  const [r] = await read(write(bytes), { encoding: 'windows-1252' });
  assert.deepEqual(r?.fields, { Benämning: 'Köksrulle', Pris: '10 €' });
});

test('ISO-8859-1 CSV', async () => {
  const bytes = Buffer.from([...Buffer.from('Ort\nLule'), 0xe5, 0x0a]);
  const [r] = await read(write(bytes), { encoding: 'iso-8859-1' });
  assert.deepEqual(r?.fields, { Ort: 'Luleå' });
});

test('delimiters ; , tab and |', async () => {
  for (const d of [';', ',', '\t', '|']) {
    const file = write(`a${d}b${d}c\n1${d}"x${d}y"${d}3\n`);
    const records = await read(file, { delimiter: d });
    assert.deepEqual(records.map((r) => r.fields), [{ a: '1', b: `x${d}y`, c: '3' }], `delimiter ${JSON.stringify(d)}`);
  }
});

test('quoted field with delimiter and CRLF inside: value intact, NEXT record starts on the right line', async () => {
  // csv-parse's own line counter counts the CRLF inside quotes twice; ours must not.
  const file = write('id;text\r\n1;"a;b\r\nc\r\nd"\r\n2;plain\r\n3;"x\r\ny"\r\n4;end');
  const records = await read(file);
  assert.deepEqual(
    records.map((r) => [r.line, r.record, r.fields.id]),
    [
      [2, 1, '1'],
      [5, 2, '2'],
      [6, 3, '3'],
      [8, 4, '4'],
    ],
  );
  assert.equal(records[0]?.fields.text, 'a;b\r\nc\r\nd');
});

test('CRLF file with empty lines in between: empty lines skipped, line numbers still physical', async () => {
  const file = write('\r\nid;v\r\n1;a\r\n\r\n\r\n2;b\r\n\r\n');
  const records = await read(file);
  assert.deepEqual(
    records.map((r) => [r.line, r.fields]),
    [
      [3, { id: '1', v: 'a' }],
      [6, { id: '2', v: 'b' }],
    ],
  );
});

test('LF and CRLF rows mixed in one file', async () => {
  const file = write('id;v\n1;a\r\n2;b\n3;c\r\n');
  const records = await read(file);
  assert.deepEqual(
    records.map((r) => [r.line, r.fields.id, r.fields.v]),
    [
      [2, '1', 'a'],
      [3, '2', 'b'],
      [4, '3', 'c'],
    ],
  );
});

test('doubled quotes inside a quoted value; a custom quote character', async () => {
  const file = write('id;name\n1;"He said ""hi"""\n');
  assert.equal((await read(file))[0]?.fields.name, 'He said "hi"');
  const file2 = write("id;name\n1;'a;b'\n");
  assert.equal((await read(file2, { quote: "'" }))[0]?.fields.name, 'a;b');
});

test('header-less file with columns from the config', async () => {
  const file = write('006;Luleå\n007;Malmö\n');
  const records = await read(file, { header: false, columns: ['Ordernr', 'Ort'] });
  assert.deepEqual(
    records.map((r) => [r.line, r.record, r.fields]),
    [
      [1, 1, { Ordernr: '006', Ort: 'Luleå' }],
      [2, 2, { Ordernr: '007', Ort: 'Malmö' }],
    ],
  );
});

test('header-less file: a row with another column count than the config is an error on its line', async () => {
  const file = write('006;Luleå\n007;Malmö;extra\n');
  await rejectsWith(read(file, { header: false, columns: ['Ordernr', 'Ort'] }), ErrorCodes.CSV, 'column-count', 2);
  const first = write('006;Luleå;extra\n');
  await rejectsWith(read(first, { header: false, columns: ['Ordernr', 'Ort'] }), ErrorCodes.CSV, 'column-count', 1);
});

test('header row plus columns in the config: the config names win; a count mismatch is an error', async () => {
  const file = write('A;B\n1;2\n');
  assert.deepEqual((await read(file, { columns: ['x', 'y'] }))[0]?.fields, { x: '1', y: '2' });
  await rejectsWith(read(file, { columns: ['x'] }), ErrorCodes.CSV, 'column-count', 1);
});

test('no header and no columns is a config error', async () => {
  const file = write('1;2\n');
  await assert.rejects(read(file, { header: false }), ConfigError);
});

test('an invalid delimiter setting is a config error, not a data error', async () => {
  const file = write('a;b\n1;2\n');
  await assert.rejects(read(file, { delimiter: '' }), ConfigError);
});

test('header names are trimmed; a duplicate name is an error', async () => {
  const file = write(' Ordernr ;\tOrt \n1;x\n');
  assert.deepEqual((await read(file))[0]?.fields, { Ordernr: '1', Ort: 'x' });
  const dup = write('a;b;a \n1;2;3\n');
  const err = await rejectsWith(read(dup), ErrorCodes.CSV, 'header-duplicate', 1);
  assert.equal(err.context.field, 'a');
  assert.equal(err.context.column, 3);
});

test('a column named __proto__ is a plain field, not a prototype change', async () => {
  const file = write('__proto__;b\nx;y\n');
  const [r] = await read(file);
  assert.equal(Object.getPrototypeOf(r?.fields), Object.prototype);
  assert.equal(Object.hasOwn(r!.fields, '__proto__'), true);
  assert.equal(r?.fields.__proto__ as unknown, 'x');
});

test('wrong column count on line N is reported as line N (after a multi-line record)', async () => {
  const file = write('id;text\r\n1;"a\r\nb"\r\n2;ok\r\n\r\n3;too;many\r\n4;ok\r\n');
  const err = await rejectsWith(read(file), ErrorCodes.CSV, 'column-count', 6);
  assert.match(err.message, /expected 2 columns, got 3/);
  assert.equal(err.context.value, '3;too;many');
});

test('too few columns is an error too', async () => {
  const file = write('a;b;c\n1;2;3\n4;5\n');
  await rejectsWith(read(file), ErrorCodes.CSV, 'column-count', 3);
});

test('unclosed quote: error names the line where the record with the quote starts', async () => {
  const file = write('id;text\n1;ok\n2;"never closed\n3;x\n4;y\n');
  const err = await rejectsWith(read(file), ErrorCodes.CSV, 'csv-quote', 3);
  assert.match(err.message, /never closed/);
});

test('a quote in the middle of a value is an error with its line', async () => {
  await rejectsWith(read(write('id;text\n1;ok\n2;"ab"c\n')), ErrorCodes.CSV, 'csv-quote', 3);
  await rejectsWith(read(write('id;text\n1;ok\n2;ab"c\n')), ErrorCodes.CSV, 'csv-quote', 3);
});

test('a huge single line (2 MB) is a max-record-size error, not a memory problem', async () => {
  const file = write(`id;text\n1;ok\n2;${'x'.repeat(2 * 1024 * 1024)}\n`);
  assert.equal(CSV_MAX_RECORD_SIZE, 1024 * 1024);
  await rejectsWith(read(file), ErrorCodes.CSV, 'max-record-size', 3);
});

test('the record size limit can be set lower', async () => {
  const file = write(`id;text\n1;${'x'.repeat(200)}\n`);
  await assert.rejects(
    (async () => {
      for await (const _ of readCsv(file, base, { maxRecordSize: 100 })) void _;
    })(),
    (err: unknown) => err instanceof DataError && err.context.rule === 'max-record-size' && err.context.line === 2,
  );
});

test('a header of 10,000 columns is a max-columns error', async () => {
  const header = Array.from({ length: 10_000 }, (_, i) => `c${i}`).join(';');
  const file = write(`${header}\n${'1;'.repeat(9_999)}1\n`);
  assert.equal(CSV_MAX_COLUMNS, 1000);
  const err = await rejectsWith(read(file), ErrorCodes.CSV, 'max-columns', 1);
  assert.match(err.message, /10000 columns/);
});

test('a data row of 10,000 columns under a 3-column header is a column-count error', async () => {
  const file = write(`a;b;c\n1;2;3\n${'1;'.repeat(9_999)}1\n`);
  await rejectsWith(read(file), ErrorCodes.CSV, 'column-count', 3);
});

test('invalid UTF-8 inside a CSV surfaces as an ENCODING error with its line', async () => {
  const file = write(Buffer.concat([Buffer.from('id;ort\n1;Lule'), Buffer.from([0xe5]), Buffer.from('\n')]));
  await rejectsWith(read(file), ErrorCodes.ENCODING, 'utf-8', 2);
});

test('NUL byte inside a CSV surfaces as an ENCODING error with its line', async () => {
  const file = write(Buffer.concat([Buffer.from('id;ort\n1;a\n2;b'), Buffer.from([0]), Buffer.from('\n')]));
  await rejectsWith(read(file), ErrorCodes.ENCODING, 'no-nul', 3);
});

test('many records across read chunks keep correct line numbers', async () => {
  const rows = Array.from({ length: 20_000 }, (_, i) => (i % 1000 === 0 ? `${i};"multi\nline"` : `${i};v${i}`));
  const file = write(`id;v\n${rows.join('\n')}\n`);
  const records = await read(file);
  assert.equal(records.length, 20_000);
  // Row i starts on line 2 + i + (number of multi-line rows before it).
  for (const i of [0, 1, 999, 1000, 1001, 19_999]) {
    assert.equal(records[i]?.line, 2 + i + Math.ceil(i / 1000), `row ${i}`);
    assert.equal(records[i]?.record, i + 1);
  }
});

test('stopping early (break) ends the read without error', async () => {
  const file = write(`id\n${Array.from({ length: 50_000 }, (_, i) => i).join('\n')}\n`);
  let seen = 0;
  for await (const r of readCsv(file, base)) {
    seen = r.record;
    if (seen === 3) break;
  }
  assert.equal(seen, 3);
});

test('readRecords dispatches on format', async () => {
  const file = write('a\n1\n');
  const out: RawRecord[] = [];
  for await (const r of readRecords(file, base)) out.push(r);
  assert.deepEqual(out, [{ line: 2, record: 1, fields: { a: '1' } }]);
});

test('a row with the wrong column count is handed over with its error, and the rows after it are still read', async () => {
  const file = write('a;b\n1;2\n3;4;5\n6;7\n');
  const out: RawRecord[] = [];
  for await (const r of readCsv(file, base)) out.push(r);
  assert.equal(out.length, 3);
  assert.equal(out[1]?.error?.context.rule, 'column-count');
  assert.equal(out[1]?.error?.context.line, 3);
  assert.equal(out[1]?.line, 3);
  assert.deepEqual(out[2]?.fields, { a: '6', b: '7' });
});
