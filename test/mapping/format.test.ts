import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatMoney } from '../../src/render/format.ts';
import { ValueError } from '../../src/mapping/parse-error.ts';

const NBSP = '\u00a0';
const MINUS = '\u2212';

const cases: Array<[string, string, string, string]> = [
  ['1234.50', 'SEK', 'sv-SE', `1${NBSP}234,50${NBSP}kr`],
  ['1234.5', 'SEK', 'sv-SE', `1${NBSP}234,50${NBSP}kr`],
  ['-1234.50', 'SEK', 'sv-SE', `${MINUS}1${NBSP}234,50${NBSP}kr`],
  ['0', 'SEK', 'sv-SE', `0,00${NBSP}kr`],
  ['-0', 'SEK', 'sv-SE', `0,00${NBSP}kr`],
  ['-0.001', 'SEK', 'sv-SE', `0,00${NBSP}kr`],
  ['0.005', 'SEK', 'sv-SE', `0,01${NBSP}kr`], // half up, as money.round2
  ['-0.005', 'SEK', 'sv-SE', `${MINUS}0,01${NBSP}kr`],
  ['2.345', 'SEK', 'sv-SE', `2,35${NBSP}kr`],
  ['999', 'SEK', 'sv-SE', `999,00${NBSP}kr`],
  ['1000000', 'SEK', 'sv-SE', `1${NBSP}000${NBSP}000,00${NBSP}kr`],
  ['12345678901234567.89', 'SEK', 'sv-SE', `12${NBSP}345${NBSP}678${NBSP}901${NBSP}234${NBSP}567,89${NBSP}kr`],
  ['1234.50', 'sek', 'sv-SE', `1${NBSP}234,50${NBSP}kr`],
  ['1234.50', 'EUR', 'sv-SE', `1${NBSP}234,50${NBSP}€`],
  ['-1234.50', 'EUR', 'sv-SE', `${MINUS}1${NBSP}234,50${NBSP}€`],
  ['1234.50', 'NOK', 'sv-SE', `1${NBSP}234,50${NBSP}Nkr`],
  ['1234.50', 'DKK', 'sv-SE', `1${NBSP}234,50${NBSP}Dkr`],
  ['1234.50', 'SEK', 'en-GB', `SEK${NBSP}1,234.50`],
  ['-1234.50', 'GBP', 'en-GB', '-£1,234.50'],
];
for (const [amount, currency, locale, expected] of cases) {
  test(`formatMoney(${amount}, ${currency}, ${locale})`, () => {
    const got = formatMoney(amount, currency, locale);
    assert.equal(got, expected, `${JSON.stringify(got)} (${[...got].map((c) => c.codePointAt(0)!.toString(16)).join(' ')})`);
  });
}

test('the string amount is formatted exactly (no float on the way)', () => {
  // As a number, 12345678901234567.89 would print as 12 345 678 901 234 568,00.
  assert.equal(formatMoney('12345678901234567.89', 'SEK', 'sv-SE').replace(/\D/g, ''), '1234567890123456789');
  assert.equal(formatMoney('0.285', 'SEK', 'sv-SE'), `0,29${NBSP}kr`); // float 0.285 is 0.28499…
});

test('rejects non-decimal amounts and bad currency codes', () => {
  for (const bad of ['', '1,5', '1 000', '1e3', 'abc', 'NaN', 'Infinity']) {
    assert.throws(() => formatMoney(bad, 'SEK', 'sv-SE'), TypeError, bad);
  }
  for (const bad of ['kr', 'SEKK', '', '€']) {
    assert.throws(() => formatMoney('1', bad, 'sv-SE'), (err: unknown) => err instanceof ValueError && err.rule === 'currency', bad);
  }
});
