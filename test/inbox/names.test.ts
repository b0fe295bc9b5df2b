import { test } from 'node:test';
import assert from 'node:assert/strict';
import { feedFor, globToRegExp, pdfFor } from '../../src/inbox/names.ts';
import type { FeedConfig, PdfConfig } from '../../src/config/types.ts';

test('a feed pattern knows * and ? only: every other character is itself', () => {
  const cases: Array<[pattern: string, matches: string[], misses: string[]]> = [
    ['ordrar_*.csv', ['ordrar_.csv', 'ordrar_2025.01.csv', 'ORDRAR_1.CSV'], ['ordrar_1.csvx', 'xordrar_1.csv']],
    ['fakt?.xml', ['fakt1.xml', 'FAKTA.XML'], ['fakt.xml', 'fakt12.xml']],
    ['*.csv', ['.csv', 'a.b.csv'], ['a.csv.tmp']],
    ['ordrar (1).csv', ['ordrar (1).csv'], ['ordrar 1.csv']],
    ['a(b|c).csv', ['a(b|c).csv'], ['ab.csv', 'ac.csv']],
    ['[ab].csv', ['[ab].csv'], ['a.csv', 'b.csv']],
    ['{a,b}.csv', ['{a,b}.csv'], ['a.csv', 'b.csv']],
    ['!a.csv', ['!a.csv'], ['b.csv']],
    ['+(a).csv', ['+(a).csv'], ['a.csv', 'aa.csv']],
    ['"a".csv', ['"a".csv'], ['a.csv']],
    ['a\\b.csv', ['a\\b.csv'], ['ab.csv']],
    ['a**b', ['ab', 'a.x.b'], ['a.x.c']],
    ['$1^.csv', ['$1^.csv'], ['1.csv']],
  ];
  for (const [pattern, matches, misses] of cases) {
    const re = globToRegExp(pattern);
    for (const name of matches) assert.ok(re.test(name), `${pattern} should match ${name}`);
    for (const name of misses) assert.ok(!re.test(name), `${pattern} should not match ${name}`);
  }
});

test('the first feed whose pattern matches takes the file', () => {
  const feeds = [{ pattern: 'ordrar_*.csv' }, { pattern: 'ordrar_*' }, { pattern: '*.xml' }] as FeedConfig[];
  assert.equal(feedFor('ordrar_1.csv', feeds), feeds[0]);
  assert.equal(feedFor('ordrar_1.txt', feeds), feeds[1]);
  assert.equal(feedFor('FAKTUROR.XML', feeds), feeds[2]);
  assert.equal(feedFor('kunder.csv', feeds), undefined);
});

test('a PDF pattern is literal around {id}; the id is the shortest non-blank part between', () => {
  const pdfs = [
    { pattern: 'faktura_{id}.pdf', kind: 'invoice' },
    { pattern: 'Sales Order {id}.pdf', kind: 'order' },
    { pattern: 'k*{id}(1).pdf', kind: 'credit' },
  ] as PdfConfig[];
  assert.deepEqual(pdfFor('FAKTURA_500001.PDF', pdfs), { kind: 'invoice', id: '500001' });
  assert.deepEqual(pdfFor('Sales Order  SO-1 .pdf', pdfs), { kind: 'order', id: 'SO-1' });
  assert.equal(pdfFor('Sales Order  .pdf', pdfs), undefined, 'a blank id is no id');
  assert.deepEqual(pdfFor('k*7(1).pdf', pdfs), { kind: 'credit', id: '7' });
  assert.equal(pdfFor('kx7(1).pdf', pdfs), undefined, '* is literal in a PDF pattern');
  assert.equal(pdfFor('k*71.pdf', pdfs), undefined, '( ) are literal in a PDF pattern');
  assert.equal(pdfFor('faktura_1.pdf.tmp', pdfs), undefined);
});
