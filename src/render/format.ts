/**
 * Display formatting of amounts. The decimal STRING is handed to Intl.NumberFormat#format, which
 * (Intl.NumberFormat v3, Node 20) formats string decimals exactly, so 17+ significant digits
 * survive and no float is involved.
 *
 * Rounding to the currency's minor unit uses `halfExpand` (ties away from zero), the same rule as
 * money.round2(). Negative zero (e.g. `-0.001` rounded) prints without a sign (`signDisplay:
 * 'negative'`). sv-SE output uses U+00A0 as group separator and before the symbol, and U+2212 as
 * minus: `−1 234,50 kr`.
 */
import { ValueError } from '../mapping/parse-error.ts';

const DECIMAL_STRING = /^-?(?:\d+(?:\.\d*)?|\.\d+)$/;
const formatters = new Map<string, Intl.NumberFormat>();

function formatter(locale: string, currency: string): Intl.NumberFormat {
  const key = `${locale}\u0000${currency}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, { style: 'currency', currency, signDisplay: 'negative', roundingMode: 'halfExpand' });
    formatters.set(key, f);
  }
  return f;
}

/**
 * Formats a decimal string as money in `locale`, e.g. `formatMoney('1234.5', 'SEK', 'sv-SE')` →
 * `1 234,50 kr` (U+00A0 spaces).
 * @throws TypeError when `amount` is not a plain decimal string (a programming error upstream).
 * @throws ValueError rule `currency` when `currency` is not a three-letter ISO 4217 code.
 * @throws RangeError when `locale` is not a valid BCP 47 tag.
 */
export function formatMoney(amount: string, currency: string, locale: string): string {
  if (typeof amount !== 'string' || !DECIMAL_STRING.test(amount)) throw new TypeError(`not a decimal string: ${JSON.stringify(amount)}`);
  const code = currency.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(code)) throw new ValueError('currency', `not an ISO 4217 currency code: ${JSON.stringify(currency)}`, 'use a three-letter code such as "SEK", "EUR", "NOK", "DKK"');
  return formatter(locale, code).format(amount as Intl.StringNumericLiteral);
}
