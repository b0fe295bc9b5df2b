import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDecimal, type DecimalFormat } from '../../src/mapping/numbers.ts';
import { ValueError } from '../../src/mapping/parse-error.ts';

const NBSP = '\u00a0';
const NNBSP = '\u202f';
const MINUS = '\u2212';

const accepted: Array<[DecimalFormat, string, string]> = [
  ['comma', '1 234,50', '1234.50'],
  ['comma', '1234,50', '1234.50'],
  ['comma', '1.234,50', '1234.50'],
  ['comma', '1 234', '1234'],
  ['comma', '-12,5', '-12.5'],
  ['comma', '12,5-', '-12.5'],
  ['comma', `12,5${MINUS}`, '-12.5'],
  ['comma', `${MINUS}12,5`, '-12.5'],
  ['comma', '+12,5', '12.5'],
  ['comma', `1${NBSP}234,50`, '1234.50'],
  ['comma', `1${NNBSP}234${NNBSP}567,5`, '1234567.5'],
  ['comma', '1.234.567', '1234567'],
  ['comma', '  42  ', '42'],
  ['comma', `\t${NBSP}42,00${NBSP}`, '42.00'],
  ['comma', '007', '7'],
  ['comma', '0,50', '0.50'],
  ['comma', '00,50', '0.50'],
  ['comma', ',5', '0.5'],
  ['comma', '-0', '0'],
  ['comma', '-0,00', '0.00'],
  ['comma', '0-', '0'],
  ['comma', '-0,01', '-0.01'],
  ['comma', '100', '100'],
  ['comma', '12345678901234567890,123456789', '12345678901234567890.123456789'],
  ['comma', '999 999 999 999 999 999,99', '999999999999999999.99'],
  ['dot', '1,234.50', '1234.50'],
  ['dot', '1234.50', '1234.50'],
  ['dot', '1 234.50', '1234.50'],
  ['dot', `1${NBSP}234.50`, '1234.50'],
  ['dot', '-3', '-3'],
  ['dot', '3-', '-3'],
  ['dot', `${MINUS}3.25`, '-3.25'],
  ['dot', '1,234,567.000', '1234567.000'],
  ['dot', '0.1', '0.1'],
  ['dot', '.5', '0.5'],
  ['dot', '-0.0', '0.0'],
  ['dot', '0007.10', '7.10'],
];

for (const [format, input, expected] of accepted) {
  test(`parseDecimal(${JSON.stringify(input)}, ${format}) → ${expected}`, () => {
    assert.equal(parseDecimal(input, format), expected);
  });
}

const rejected: Array<[DecimalFormat, string]> = [
  ['comma', '12,3,4'],
  ['dot', '12,3,4'],
  ['comma', '1.23.4'],
  ['dot', '1.23.4'],
  ['comma', '1.23'], // dot-decimal number fed to a comma feed: grouping invalid
  ['comma', '1.2345'],
  ['comma', '1234.567'], // first group longer than 3
  ['comma', '1 23,5'],
  ['comma', '1 2345'],
  ['comma', '1 234.567'], // mixed group separators
  ['comma', '1,234.50'], // dot format in a comma feed
  ['dot', '1,23'],
  ['dot', '1 234,50'], // comma format in a dot feed
  ['dot', '1.234,50'],
  ['dot', '1234,5'],
  ['comma', '12,'],
  ['dot', '12.'],
  ['comma', ','],
  ['comma', '-'],
  ['comma', MINUS],
  ['comma', '+'],
  ['comma', '-12,5-'],
  ['comma', '+12,5-'],
  ['comma', '--12'],
  ['comma', '- 12'],
  ['comma', '12 -'],
  ['comma', '1e5'],
  ['dot', '1e5'],
  ['dot', '0x10'],
  ['dot', 'NaN'],
  ['dot', 'Infinity'],
  ['comma', 'abc'],
  ['comma', '12 kr'],
  ['comma', '12,5 %'],
  ['dot', '$12.50'],
  ['comma', "1'234,50"],
  ['comma', '1  234'], // double space
  ['comma', '1_234'],
  ['comma', `1 234${NBSP}567`], // mixed space kinds
  ['comma', '١٢٣'], // non-ASCII digits
];

for (const [format, input] of rejected) {
  test(`parseDecimal(${JSON.stringify(input)}, ${format}) is rejected (number-format)`, () => {
    assert.throws(
      () => parseDecimal(input, format),
      (err: unknown) => {
        assert.ok(err instanceof ValueError);
        assert.equal(err.rule, 'number-format');
        assert.ok(err.hint?.includes(`${format} format`), err.hint);
        assert.ok(err.hint?.includes(format === 'comma' ? '"1 234,50"' : '"1,234.50"'), err.hint);
        return true;
      },
    );
  });
}

for (const input of ['', '   ', `${NBSP}`, '\t']) {
  test(`parseDecimal(${JSON.stringify(input)}) is number-empty`, () => {
    for (const format of ['comma', 'dot'] as const) {
      assert.throws(() => parseDecimal(input, format), (err: unknown) => err instanceof ValueError && err.rule === 'number-empty');
    }
  });
}
