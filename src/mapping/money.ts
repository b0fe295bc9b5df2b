/**
 * Exact decimal arithmetic on decimal strings (as produced by parseDecimal), so callers never
 * handle floats. Backed by a private decimal.js clone:
 *   - precision 40 significant digits for intermediate results (far beyond any amount we handle);
 *   - rounding ROUND_HALF_UP, i.e. ties round away from zero (2.345 → 2.35, -2.345 → -2.35), the
 *     "avrundning" commonly used on Swedish invoices (and the same rule as Intl.NumberFormat's
 *     default `halfExpand`, so formatted output agrees with round2()).
 * Every result is a plain decimal string: no exponent notation, never `-0`.
 */
import { Decimal } from 'decimal.js';

const D = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
type Dec = InstanceType<typeof D>;

const DECIMAL_STRING = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)$/;

function dec(value: string): Dec {
  if (typeof value !== 'string' || !DECIMAL_STRING.test(value)) {
    throw new TypeError(`not a decimal string: ${JSON.stringify(value)}`);
  }
  return new D(value);
}

function out(d: Dec, dp?: number): string {
  const s = dp === undefined ? d.toFixed() : d.toFixed(dp);
  // Normalise negative zero ("-0", "-0.00").
  return /^-[0.]+$/.test(s) ? s.slice(1) : s;
}

/** a + b */
export function add(a: string, b: string): string {
  return out(dec(a).plus(dec(b)));
}

/** a − b */
export function sub(a: string, b: string): string {
  return out(dec(a).minus(dec(b)));
}

/** a × b (not rounded to any number of decimals; use round2/fixed for that). */
export function mul(a: string, b: string): string {
  return out(dec(a).times(dec(b)));
}

/** Sum of any number of decimal strings; `'0'` for none. */
export function sum(values: readonly string[]): string {
  return out(values.reduce<Dec>((acc, v) => acc.plus(dec(v)), new D(0)));
}

/** Rounds to two decimals, half up (away from zero), always with exactly two decimals: `'1.2'` → `'1.20'`. */
export function round2(a: string): string {
  return fixed(a, 2);
}

/** Rounds to `dp` decimals (half up, away from zero) and always prints exactly `dp` decimals. */
export function fixed(a: string, dp: number): string {
  if (!Number.isInteger(dp) || dp < 0 || dp > 20) throw new RangeError(`decimal places must be an integer 0..20, got ${dp}`);
  return out(dec(a), dp);
}

/**
 * `rate` percent of `amount`, unrounded: `percentOf('200', '25')` → `'50'`. The rate is a
 * percentage (25 means 25 %), as VAT rates are written in ERP exports.
 */
export function percentOf(amount: string, rate: string): string {
  return out(dec(amount).times(dec(rate)).dividedBy(100));
}

export function isZero(a: string): boolean {
  return dec(a).isZero();
}

/** -1 if a < b, 0 if equal (numerically: `'1.0'` equals `'1'`), 1 if a > b. */
export function compare(a: string, b: string): -1 | 0 | 1 {
  return dec(a).comparedTo(dec(b)) as -1 | 0 | 1;
}
