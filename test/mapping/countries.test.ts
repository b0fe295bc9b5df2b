import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveCountry } from '../../src/mapping/countries.ts';
import { ValueError } from '../../src/mapping/parse-error.ts';

// [input, iso3, name in sv-SE, name in en-GB]
const accepted: Array<[string, string, string, string]> = [
  ['SE', 'SWE', 'Sverige', 'Sweden'],
  ['se', 'SWE', 'Sverige', 'Sweden'],
  [' SE ', 'SWE', 'Sverige', 'Sweden'],
  ['SWE', 'SWE', 'Sverige', 'Sweden'],
  ['swe', 'SWE', 'Sverige', 'Sweden'],
  ['752', 'SWE', 'Sverige', 'Sweden'],
  ['Sverige', 'SWE', 'Sverige', 'Sweden'],
  ['sverige', 'SWE', 'Sverige', 'Sweden'],
  ['SVERIGE', 'SWE', 'Sverige', 'Sweden'],
  ['  Sweden\t', 'SWE', 'Sverige', 'Sweden'],
  ['Norge', 'NOR', 'Norge', 'Norway'],
  ['Norway', 'NOR', 'Norge', 'Norway'],
  ['NO', 'NOR', 'Norge', 'Norway'],
  ['578', 'NOR', 'Norge', 'Norway'],
  ['Danmark', 'DNK', 'Danmark', 'Denmark'],
  ['Denmark', 'DNK', 'Danmark', 'Denmark'],
  ['Tyskland', 'DEU', 'Tyskland', 'Germany'],
  ['Deutschland', 'DEU', 'Tyskland', 'Germany'],
  ['Germany', 'DEU', 'Tyskland', 'Germany'],
  ['Finland', 'FIN', 'Finland', 'Finland'],
  ['Suomi', 'FIN', 'Finland', 'Finland'],
  ['Ruotsi', 'SWE', 'Sverige', 'Sweden'],
  ['Storbritannien', 'GBR', 'Storbritannien', 'United Kingdom'],
  ['United Kingdom', 'GBR', 'Storbritannien', 'United Kingdom'],
  ['united  kingdom', 'GBR', 'Storbritannien', 'United Kingdom'],
  ['UK', 'GBR', 'Storbritannien', 'United Kingdom'],
  ['GB', 'GBR', 'Storbritannien', 'United Kingdom'],
  ['Österrike', 'AUT', 'Österrike', 'Austria'],
  ['Osterrike', 'AUT', 'Österrike', 'Austria'],
  ['Island', 'ISL', 'Island', 'Iceland'],
  ['USA', 'USA', 'USA', 'United States'],
  ['040', 'AUT', 'Österrike', 'Austria'],
  ['40', 'AUT', 'Österrike', 'Austria'],
];
for (const [input, iso3, sv, en] of accepted) {
  test(`resolveCountry(${JSON.stringify(input)})`, () => {
    assert.deepEqual(resolveCountry(input, 'sv-SE'), { name: sv, iso3 });
    assert.deepEqual(resolveCountry(input, 'en-GB'), { name: en, iso3 });
  });
}

const rejected: Array<[string, RegExp]> = [
  ['', /empty/],
  ['   ', /empty/],
  ['Narnia', /unknown/],
  ['XX', /unknown/],
  ['XYZ', /unknown/],
  ['999', /unknown/],
  ['1234', /unknown/],
  ['Sverige AB', /unknown/],
  ['Congo', /ambiguous/],
];
for (const [input, message] of rejected) {
  test(`resolveCountry(${JSON.stringify(input)}) is rejected (country)`, () => {
    assert.throws(
      () => resolveCountry(input, 'sv-SE'),
      (err: unknown) => {
        assert.ok(err instanceof ValueError);
        assert.equal(err.rule, 'country');
        assert.match(err.message, message);
        assert.ok(err.hint);
        return true;
      },
    );
  });
}

test('lookups are cached (same object for the same input and locale)', () => {
  assert.equal(resolveCountry('Sverige', 'sv-SE'), resolveCountry('Sverige', 'sv-SE'));
});

test('an invalid locale is a RangeError (configuration problem)', () => {
  assert.throws(() => resolveCountry('SE', 'not a locale!'), RangeError);
});
