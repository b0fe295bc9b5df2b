import { test } from 'node:test';
import assert from 'node:assert/strict';
import { add, compare, fixed, isZero, mul, percentOf, round2, sub, sum } from '../../src/mapping/money.ts';

test('0.1 + 0.2 is exactly 0.3', () => {
  assert.equal(add('0.1', '0.2'), '0.3');
});

const binary: Array<[string, (a: string, b: string) => string, string, string, string]> = [
  ['add', add, '1234.50', '0.50', '1235'],
  ['add', add, '-5', '5', '0'],
  ['add', add, '-0.1', '0.1', '0'],
  ['add', add, '99999999999999999999.99', '0.01', '100000000000000000000'],
  ['add', add, '.5', '1.', '1.5'],
  ['sub', sub, '0.3', '0.1', '0.2'],
  ['sub', sub, '1.10', '1.1', '0'],
  ['sub', sub, '10', '12.5', '-2.5'],
  ['mul', mul, '1.1', '1.1', '1.21'],
  ['mul', mul, '-1', '0', '0'],
  ['mul', mul, '0.00000001', '0.00000001', '0.0000000000000001'],
  ['mul', mul, '123456789012345678', '1000', '123456789012345678000'],
  ['mul', mul, '3', '19.99', '59.97'],
];
for (const [name, fn, a, b, expected] of binary) {
  test(`${name}(${a}, ${b}) = ${expected}`, () => {
    assert.equal(fn(a, b), expected);
  });
}

const rounding: Array<[string, string]> = [
  ['2.345', '2.35'],
  ['-2.345', '-2.35'], // half up = ties away from zero
  ['2.344999', '2.34'],
  ['2.355', '2.36'],
  ['2.365', '2.37'], // not banker's rounding (would be 2.36)
  ['1.005', '1.01'], // float would give 1.00
  ['1.2', '1.20'],
  ['7', '7.00'],
  ['-0.001', '0.00'], // no "-0.00"
  ['-0.005', '-0.01'],
  ['0.005', '0.01'],
  ['12345678901234567.895', '12345678901234567.90'],
];
for (const [input, expected] of rounding) {
  test(`round2(${input}) = ${expected}`, () => {
    assert.equal(round2(input), expected);
  });
}

test('fixed rounds half up to the given places and pads', () => {
  assert.equal(fixed('2.5', 0), '3');
  assert.equal(fixed('-2.5', 0), '-3');
  assert.equal(fixed('1.23456', 4), '1.2346');
  assert.equal(fixed('1', 3), '1.000');
  assert.equal(fixed('-0.4', 0), '0');
  assert.throws(() => fixed('1', -1), RangeError);
  assert.throws(() => fixed('1', 1.5), RangeError);
});

const percents: Array<[string, string, string]> = [
  ['200', '25', '50'],
  ['199.90', '25', '49.975'],
  ['100', '12', '12'],
  ['80', '6', '4.8'],
  ['-100', '25', '-25'],
  ['0', '25', '0'],
  ['1234.56', '0', '0'],
];
for (const [amount, rate, expected] of percents) {
  test(`percentOf(${amount}, ${rate}) = ${expected}`, () => {
    assert.equal(percentOf(amount, rate), expected);
  });
}

test('isZero', () => {
  for (const z of ['0', '0.00', '-0', '-0.000', '+0']) assert.equal(isZero(z), true, z);
  for (const nz of ['0.01', '-0.0001', '1', '100']) assert.equal(isZero(nz), false, nz);
});

test('compare', () => {
  const rows: Array<[string, string, -1 | 0 | 1]> = [
    ['1', '2', -1],
    ['2', '1', 1],
    ['1.0', '1', 0],
    ['-0', '0', 0],
    ['-1', '-0.5', -1],
    ['0.30', '0.3', 0],
    ['10', '9.999999999999999999999', 1],
  ];
  for (const [a, b, expected] of rows) assert.equal(compare(a, b), expected, `${a} vs ${b}`);
});

test('sum', () => {
  assert.equal(sum([]), '0');
  assert.equal(sum(['0.1', '0.2', '0.3']), '0.6');
  assert.equal(sum(['19.99', '19.99', '19.99', '-59.97']), '0');
});

test('results never use exponent notation', () => {
  assert.equal(mul('1000000000000000000000', '1000000000000000000000'), '1000000000000000000000000000000000000000000');
  assert.equal(mul('0.0000001', '0.0000001'), '0.00000000000001');
  assert.equal(sub('0.0000001', '0'), '0.0000001');
});

test('non-decimal strings are a programming error (TypeError)', () => {
  for (const bad of ['', 'abc', '1e5', '0x10', 'NaN', 'Infinity', '1,5', '1 000', '-']) {
    assert.throws(() => add(bad, '1'), TypeError, bad);
  }
  assert.throws(() => add(1 as unknown as string, '1'), TypeError);
});
