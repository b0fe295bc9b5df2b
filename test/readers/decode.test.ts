import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DecodeStream, LineCounter, firstInvalidUtf8, openDecoded } from '../../src/readers/decode.ts';
import { readCsv } from '../../src/readers/csv.ts';
import { DataError, ErrorCodes } from '../../src/errors.ts';
import type { Encoding } from '../../src/config/types.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vp-decode-'));
let n = 0;
function write(bytes: Buffer | string): string {
  const file = path.join(dir, `f${++n}.txt`);
  fs.writeFileSync(file, bytes);
  return file;
}

async function decode(file: string, encoding: Encoding): Promise<string> {
  let text = '';
  for await (const piece of openDecoded(file, encoding) as AsyncIterable<string>) text += piece;
  return text;
}

/** Asserts a DataError with the given code, rule and (optionally) line/column. */
async function rejectsWith(p: Promise<unknown>, code: string, rule: string, line?: number, column?: number): Promise<DataError> {
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
  if (column !== undefined) assert.equal(caught.context.column, column, caught.message);
  return caught;
}

test('UTF-8 with BOM: the BOM is stripped', async () => {
  const file = write(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Kundnamn;Ort\nÅke;Malmö\n')]));
  assert.equal(await decode(file, 'utf-8'), 'Kundnamn;Ort\nÅke;Malmö\n');
});

test('UTF-8 without BOM', async () => {
  const file = write(Buffer.from('Ort\nLuleå €\n'));
  assert.equal(await decode(file, 'utf-8'), 'Ort\nLuleå €\n');
});

test('Windows-1252: 0x80 is €, 0xE5 å, 0xF6 ö (iconv-lite, not latin1)', async () => {
  const file = write(Buffer.from([0x80, 0x20, 0xe5, 0xf6, 0xc5, 0xc4, 0xd6, 0x96]));
  assert.equal(await decode(file, 'windows-1252'), '€ åöÅÄÖ–');
});

test('ISO-8859-1: 0xE5 is å, 0x80 stays the C1 control U+0080', async () => {
  const file = write(Buffer.from([0xe5, 0xf6, 0x80]));
  assert.equal(await decode(file, 'iso-8859-1'), 'åö\u0080');
});

test('a UTF-8 character split across two read chunks decodes intact', async () => {
  // createReadStream reads 64 KiB pieces: put the two bytes of "å" on both sides of the boundary.
  const file = write(Buffer.concat([Buffer.alloc(65535, 0x61), Buffer.from('å\n', 'utf8')]));
  const text = await decode(file, 'utf-8');
  assert.equal(text.length, 65537);
  assert.equal(text.slice(-2), 'å\n');
});

test('invalid UTF-8 is an error naming line, column and byte offset (not a silent U+FFFD)', async () => {
  const file = write(Buffer.concat([Buffer.from('rad1\nrad2\nK'), Buffer.from([0xe5]), Buffer.from('ren\n')]));
  const err = await rejectsWith(decode(file, 'utf-8'), ErrorCodes.ENCODING, 'utf-8', 3, 2);
  assert.match(err.message, /byte offset 11/);
  assert.equal(err.context.value?.startsWith('0xE5'), true);
  assert.match(err.context.hint ?? '', /windows-1252/);
});

test('invalid UTF-8 in a later chunk reports the right line', async () => {
  // 10,000 lines of 9 bytes + newline = 100,000 bytes: the bad byte is in the second chunk.
  const lines = Buffer.from('abcdefghi\n'.repeat(10_000));
  const file = write(Buffer.concat([lines, Buffer.from([0x41, 0xff, 0x0a])]));
  const err = await rejectsWith(decode(file, 'utf-8'), ErrorCodes.ENCODING, 'utf-8', 10_001, 2);
  assert.match(err.message, /byte offset 100001/);
});

test('a file ending inside a UTF-8 character is an error', async () => {
  const file = write(Buffer.from([0x61, 0x62, 0x0a, 0x63, 0xc3]));
  const err = await rejectsWith(decode(file, 'utf-8'), ErrorCodes.ENCODING, 'utf-8', 2);
  assert.match(err.message, /byte offset 4/);
});

test('NUL bytes are refused in every encoding, with their line', async () => {
  for (const encoding of ['utf-8', 'windows-1252', 'iso-8859-1'] as const) {
    const file = write(Buffer.concat([Buffer.from('a;b\r\n1;2\r\n3;'), Buffer.from([0x00]), Buffer.from('4\r\n')]));
    const err = await rejectsWith(decode(file, encoding), ErrorCodes.ENCODING, 'no-nul', 3, 3);
    assert.match(err.message, /byte offset 12/);
  }
});

test('NUL before an invalid UTF-8 byte in the same chunk: the NUL is reported (it comes first)', async () => {
  const file = write(Buffer.from([0x61, 0x00, 0x0a, 0xff]));
  await rejectsWith(decode(file, 'utf-8'), ErrorCodes.ENCODING, 'no-nul', 1, 2);
});

test('Windows-1252 bytes that are undefined (0x81) are refused', async () => {
  const file = write(Buffer.from([0x61, 0x0a, 0x62, 0x81]));
  const err = await rejectsWith(decode(file, 'windows-1252'), ErrorCodes.ENCODING, 'windows-1252', 2, 2);
  assert.match(err.message, /0x81/);
});

test('a UTF-8 BOM in a file declared Windows-1252 is refused (wrong encoding setting)', async () => {
  const file = write(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('a;b\n')]));
  await rejectsWith(decode(file, 'windows-1252'), ErrorCodes.ENCODING, 'encoding-bom', 1);
});

test('a UTF-16 file is refused with a clear rule', async () => {
  const file = write(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a;b\n', 'utf16le')]));
  await rejectsWith(decode(file, 'windows-1252'), ErrorCodes.ENCODING, 'utf-16', 1);
});

test('DecodeStream works when fed directly, in tiny chunks', async () => {
  const stream = new DecodeStream('x.txt', 'utf-8');
  const out: string[] = [];
  stream.on('data', (s: string) => out.push(s));
  const done = new Promise((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  const bytes = Buffer.from('€å\r\n😀');
  for (const b of bytes) stream.write(Buffer.from([b]));
  stream.end();
  await done;
  assert.equal(out.join(''), '€å\r\n😀');
});

test('LineCounter: CRLF split across pieces counts once; lone CR and LF count; column follows', () => {
  const c = new LineCounter();
  c.feed('ab\r');
  assert.deepEqual([c.line, c.column], [2, 1]);
  c.feed('\ncd');
  assert.deepEqual([c.line, c.column], [2, 3]);
  c.feed('x\ry\nz', 1, 5); // "\ry\nz" only
  assert.deepEqual([c.line, c.column], [4, 2]);
});

test('firstInvalidUtf8 finds overlongs, surrogates and stray bytes; a truncated tail is not (yet) an error', () => {
  assert.equal(firstInvalidUtf8(Buffer.from('aå😀')), -1);
  assert.equal(firstInvalidUtf8(Buffer.from([0x61, 0xc0, 0x80])), 1); // overlong "\0"
  assert.equal(firstInvalidUtf8(Buffer.from([0x61, 0x62, 0xed, 0xa0, 0x80])), 2); // surrogate
  assert.equal(firstInvalidUtf8(Buffer.from([0x80])), 0); // continuation without lead
  assert.equal(firstInvalidUtf8(Buffer.from([0x61, 0xf0, 0x9f])), -1); // incomplete at the end
});

test('a missing file is a READ error naming the file', async () => {
  const missing = path.join(dir, 'does-not-exist.csv');
  const err = await rejectsWith(
    (async () => {
      for await (const _ of readCsv(missing, { format: 'csv', encoding: 'utf-8', delimiter: ';', quote: '"', header: true })) void _;
    })(),
    ErrorCodes.READ,
    'read',
  );
  assert.equal(err.context.file, missing);
});
