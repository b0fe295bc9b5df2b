import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { readCsv } from '../../src/readers/csv.ts';
import type { ReaderOptions } from '../../src/readers/types.ts';
import { DataError } from '../../src/errors.ts';
import { tmpDir } from '../helpers.ts';

const dir = tmpDir('vp-mismatch');
let n = 0;
const write = (bytes: Buffer | string) => {
  const file = path.join(dir, `f${++n}.csv`);
  fs.writeFileSync(file, bytes);
  return file;
};
const base: ReaderOptions & { name: string } = { name: 'orders', format: 'csv', encoding: 'windows-1252', delimiter: ';', quote: '"', header: true };

async function failure(file: string, opts: Partial<ReaderOptions> = {}): Promise<DataError | undefined> {
  try {
    for await (const r of readCsv(file, { ...base, ...opts })) if (r.error) return r.error;
  } catch (err) {
    assert.ok(err instanceof DataError, String(err));
    return err;
  }
  return undefined;
}

test('a header that another delimiter splits far better: the error names the likely delimiter and the feed', async () => {
  const err = await failure(write('Ordernr,Kundnr,Orderdatum,Kundnamn\r\n100,10003,20251130,Kund AB\r\n'));
  assert.ok(err);
  assert.equal(err.context.rule, 'delimiter-mismatch');
  assert.equal(err.context.line, 1);
  assert.match(err.message, /the file looks `,`-separated \(its header splits into 4 columns\) but feed `orders` says `;` \(1 column\)/);
  assert.match(err.context.hint ?? '', /delimiter: ","/);
  // Tabs are named as such.
  const tab = await failure(write('Ordernr\tKundnr\tOrderdatum\r\n1\t2\t3\r\n'));
  assert.match(tab?.message ?? '', /looks tab-separated/);
});

test('the delimiter check leaves right files alone, also ones whose header has a few commas in names', async () => {
  assert.equal(await failure(write('Ordernr;Kundnr;Belopp, SEK;Moms %\r\n1;2;3,50;25\r\n')), undefined);
  assert.equal(await failure(write('A,B;C;D\r\n1;2;3\r\n')), undefined);
  assert.equal(await failure(write('Ordernr\r\n1\r\n')), undefined);
});

test('UTF-8 bytes on a windows-1252 feed: refused with what the text would have become', async () => {
  const err = await failure(write(Buffer.from('Ordernr;Benämning\r\n1;Godsmärke\r\n', 'utf8')));
  assert.ok(err);
  assert.equal(err.context.rule, 'encoding-mismatch');
  assert.equal(err.context.line, 1);
  assert.match(err.message, /the file looks UTF-8 but the feed says windows-1252: bytes 0xC3 0xA4 at byte offset 11 are "ä" in UTF-8 and would be published as "Ã¤"/);
  assert.match(err.context.hint ?? '', /encoding: utf-8/);
  // ISO-8859-1 too, and further down the file than the first line.
  const later = await failure(write(Buffer.from(`Ordernr;Text\r\n${'1;abc\r\n'.repeat(50)}2;Öl\r\n`, 'utf8')), { encoding: 'iso-8859-1' });
  assert.equal(later?.context.rule, 'encoding-mismatch');
  assert.equal(later?.context.line, 52);
});

test('real windows-1252 text (lone high bytes) reads as before', async () => {
  const file = write(Buffer.from('Ordernr;Benämning\r\n1;Godsmärke Ã¤\r\n', 'latin1'));
  const out = [];
  for await (const r of readCsv(file, base)) out.push(r);
  assert.equal(out[0]?.fields['Benämning'], 'Godsmärke Ã¤');
  // And a UTF-8 feed is not touched by the check at all.
  const utf8 = write(Buffer.from('Ordernr;Benämning\r\n1;Godsmärke\r\n', 'utf8'));
  const rows = [];
  for await (const r of readCsv(utf8, { ...base, encoding: 'utf-8' })) rows.push(r);
  assert.equal(rows[0]?.fields['Benämning'], 'Godsmärke');
});
