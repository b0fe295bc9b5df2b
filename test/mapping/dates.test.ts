import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileDateFormat } from '../../src/mapping/dates.ts';
import { ValueError } from '../../src/mapping/parse-error.ts';

const accepted: Array<[string, string, string]> = [
  ['YYYY-MM-DD', '2024-03-31', '2024-03-31'],
  ['YYYY-MM-DD', '  2024-03-31  ', '2024-03-31'],
  ['YYYYMMDD', '20240331', '2024-03-31'],
  ['DD.MM.YYYY', '31.03.2024', '2024-03-31'],
  ['D.M.YYYY', '1.2.2024', '2024-02-01'],
  ['D.M.YYYY', '01.02.2024', '2024-02-01'],
  ['D.M.YYYY', '31.12.2024', '2024-12-31'],
  ['MM/DD/YYYY', '03/31/2024', '2024-03-31'],
  ['DD/MM/YYYY', '31/03/2024', '2024-03-31'],
  ['M/D/YYYY', '3/9/2024', '2024-03-09'],
  ['YYYY MM DD', '2024 03 31', '2024-03-31'],
  ['YYYY-M-D', '2024-3-9', '2024-03-09'],
  ['MYYYYDD', '3202431', '2024-03-31'],
  // leap years
  ['YYYY-MM-DD', '2024-02-29', '2024-02-29'],
  ['YYYY-MM-DD', '2000-02-29', '2000-02-29'],
  ['YYYY-MM-DD', '2400-02-29', '2400-02-29'],
  ['YYYY-MM-DD', '1904-02-29', '1904-02-29'],
  // range bounds
  ['YYYY-MM-DD', '1900-01-01', '1900-01-01'],
  ['YYYY-MM-DD', '2999-12-31', '2999-12-31'],
  // ignored time parts
  ['YYYY-MM-DD', '2024-03-31 12:30', '2024-03-31'],
  ['YYYY-MM-DD', '2024-03-31 9:05', '2024-03-31'],
  ['YYYY-MM-DD', '2024-03-31T12:30:00', '2024-03-31'],
  ['YYYY-MM-DD', '2024-03-31T12:30:00Z', '2024-03-31'],
  ['YYYY-MM-DD', '2024-03-31 00:00:00.000', '2024-03-31'],
  ['YYYY-MM-DD', '2024-03-31T23:59:59.123456789', '2024-03-31'],
  ['YYYY-MM-DD', '2024-03-31T23:30:00-05:00', '2024-03-31'], // date as written, no zone conversion
  ['YYYY-MM-DD', '2024-03-31T01:30:00+0200', '2024-03-31'],
  ['YYYY-MM-DD', '2024-03-31T01:30+02', '2024-03-31'],
  ['YYYY-MM-DD', '2024-03-31  12:30:00,5', '2024-03-31'],
  ['MM/DD/YYYY', '03/31/2024 12:30:00 PM', '2024-03-31'],
  ['MM/DD/YYYY', '03/31/2024 1:05 am', '2024-03-31'],
  ['YYYYMMDD', '20240331 12:30', '2024-03-31'],
  ['DD.MM.YYYY', '31.03.2024 00:00', '2024-03-31'],
];
for (const [fmt, input, expected] of accepted) {
  test(`${fmt}: ${JSON.stringify(input)} → ${expected}`, () => {
    assert.equal(compileDateFormat(fmt)(input), expected);
  });
}

function rejects(fmt: string, input: string, rule: string): void {
  assert.throws(
    () => compileDateFormat(fmt)(input),
    (err: unknown) => {
      assert.ok(err instanceof ValueError, String(err));
      assert.equal(err.rule, rule, err.message);
      return true;
    },
  );
}

const invalid: Array<[string, string]> = [
  ['YYYY-MM-DD', '2024-02-30'],
  ['YYYY-MM-DD', '2023-02-29'],
  ['YYYY-MM-DD', '1900-02-29'], // 1900 is not a leap year
  ['YYYY-MM-DD', '2100-02-29'],
  ['YYYY-MM-DD', '2024-13-01'],
  ['YYYY-MM-DD', '2024-00-10'],
  ['YYYY-MM-DD', '2024-01-00'],
  ['YYYY-MM-DD', '2024-01-32'],
  ['YYYY-MM-DD', '2024-04-31'],
  ['YYYY-MM-DD', '2024-06-31'],
  ['YYYY-MM-DD', '2024-09-31'],
  ['YYYY-MM-DD', '2024-11-31'],
  ['D.M.YYYY', '0.1.2024'],
  ['D.M.YYYY', '1.13.2024'],
  ['MM/DD/YYYY', '31/03/2024'], // day/month swapped
  ['YYYYMMDD', '20241301'],
  ['YYYY-MM-DD', '2024-02-30 12:00'],
];
for (const [fmt, input] of invalid) {
  test(`${fmt}: ${JSON.stringify(input)} is date-invalid`, () => rejects(fmt, input, 'date-invalid'));
}

const outOfRange: Array<[string, string]> = [
  ['YYYY-MM-DD', '1899-12-31'],
  ['YYYY-MM-DD', '0000-01-01'],
  ['YYYY-MM-DD', '3000-01-01'],
  ['YYYYMMDD', '99991231'],
];
for (const [fmt, input] of outOfRange) {
  test(`${fmt}: ${JSON.stringify(input)} is date-range`, () => rejects(fmt, input, 'date-range'));
}

const wrongFormat: Array<[string, string]> = [
  ['YYYY-MM-DD', ''],
  ['YYYY-MM-DD', '   '],
  ['YYYY-MM-DD', '2024/03/31'],
  ['YYYY-MM-DD', '2024-3-31'], // MM needs two digits
  ['YYYY-MM-DD', '24-03-31'],
  ['YYYY-MM-DD', '31.03.2024'],
  ['YYYY-MM-DD', '20240331'],
  ['YYYY-MM-DD', '2024-03-31x'],
  ['YYYY-MM-DD', '2024-03-31T'],
  ['YYYY-MM-DD', '2024-03-31 12'],
  ['YYYY-MM-DD', '2024-03-31 25:00'],
  ['YYYY-MM-DD', '2024-03-31 12:60'],
  ['YYYY-MM-DD', '2024-03-31T12:30:00 garbage'],
  ['YYYY-MM-DD', '2024-03-31T12:30:00+25:00'],
  ['YYYY-MM-DD', 'x2024-03-31'],
  ['YYYY-MM-DD', '２０２４-03-31'], // full-width digits
  ['YYYYMMDD', '2024-03-31'],
  ['YYYYMMDD', '202403311'],
  ['DD.MM.YYYY', '31-03-2024'],
  ['D.M.YYYY', '123.1.2024'],
  ['D.M.YYYY', '1..2024'],
  ['MM/DD/YYYY', '3/31/2024'],
  ['DD/MM/YYYY', '31/03/24'],
];
for (const [fmt, input] of wrongFormat) {
  test(`${fmt}: ${JSON.stringify(input)} is date-format`, () => rejects(fmt, input, 'date-format'));
}

test('date-format errors carry a hint with the pattern and an example', () => {
  const cases: Array<[string, string]> = [
    ['YYYY-MM-DD', '"2024-03-31"'],
    ['YYYYMMDD', '"20240331"'],
    ['DD.MM.YYYY', '"31.03.2024"'],
    ['D.M.YYYY', '"31.3.2024"'],
    ['MM/DD/YYYY', '"03/31/2024"'],
  ];
  for (const [fmt, example] of cases) {
    assert.throws(
      () => compileDateFormat(fmt)('nope'),
      (err: unknown) => {
        assert.ok(err instanceof ValueError);
        assert.equal(err.rule, 'date-format');
        assert.ok(err.hint?.includes(fmt), err.hint);
        assert.ok(err.hint?.includes(example), err.hint);
        return true;
      },
    );
  }
});

const badFormats: Array<[string, RegExp]> = [
  ['', /empty/],
  ['YYYY-MM', /no day/],
  ['MM-DD', /no year/],
  ['YYYY-DD', /no month/],
  ['YY-MM-DD', /unknown token "YY"/],
  ['YYYY-MM-DDThh', /unknown token "Thh"/],
  ['yyyy-mm-dd', /unknown token "yyyy"/],
  ['YYYY-MMM-DD', /month twice/],
  ['YYYY-MM-DD-DD', /day twice/],
  ['YYYY_MM_DD', /unexpected character "_"/],
  ['YYYY,MM,DD', /unexpected character ","/],
  ['YYYYMD', /separator/],
  ['DMYYYY', /separator/],
];
for (const [fmt, message] of badFormats) {
  test(`compileDateFormat(${JSON.stringify(fmt)}) throws a config-style Error`, () => {
    assert.throws(() => compileDateFormat(fmt), (err: unknown) => {
      assert.ok(err instanceof Error);
      assert.ok(!(err instanceof ValueError));
      assert.match(err.message, message);
      return true;
    });
  });
}

test('compiled parsers are reused', () => {
  assert.equal(compileDateFormat('YYYY-MM-DD'), compileDateFormat('YYYY-MM-DD'));
});
