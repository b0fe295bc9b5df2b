/**
 * Exact parsing of decimal numbers as ERPs write them. No floating point anywhere: the text is
 * validated piece by piece and the canonical string is assembled from its digits.
 *
 * Canonical form: optional `-`, integer digits without leading zeros (at least one digit), then `.`
 * and the fraction digits exactly as given (no rounding, trailing zeros kept). `-0`, `-0,00` etc.
 * lose their sign. Examples: `1 234,50` → `1234.50`, `007` → `7`, `0,50` → `0.50`, `12,5-` → `-12.5`.
 */
import escapeStringRegexp from 'escape-string-regexp';
import { ValueError } from './parse-error.ts';

export type DecimalFormat = 'comma' | 'dot';

interface FormatSpec {
  /** The decimal separator. */
  decimal: string;
  /** Characters accepted as thousands separators (one kind per number). */
  groups: readonly string[];
  describe: string;
  examples: string;
}

const NBSP = '\u00a0';
const NNBSP = '\u202f';

const SPECS: Record<DecimalFormat, FormatSpec> = {
  comma: {
    decimal: ',',
    groups: [' ', NBSP, NNBSP, '.'],
    describe: 'decimal comma; space or "." between thousands',
    examples: '"1 234,50", "1234,50", "1.234,50", "-12,5"',
  },
  dot: {
    decimal: '.',
    groups: [' ', NBSP, NNBSP, ','],
    describe: 'decimal point; space or "," between thousands',
    examples: '"1,234.50", "1234.50", "1 234.50", "-12.5"',
  },
};

const MINUS_SIGNS = new Set(['-', '\u2212']);
const DIGITS = /^\d+$/;
const GROUPED: Record<string, RegExp> = {};

function groupedPattern(sep: string): RegExp {
  let re = GROUPED[sep];
  if (!re) {
    re = new RegExp(`^\\d{1,3}(?:${escapeStringRegexp(sep)}\\d{3})+$`);
    GROUPED[sep] = re;
  }
  return re;
}

function formatError(format: DecimalFormat, message: string): ValueError {
  const spec = SPECS[format];
  return new ValueError('number-format', message, `numbers are configured in ${format} format (${spec.describe}), e.g. ${spec.examples}`);
}

/**
 * Parses `text` in the configured format and returns the canonical exact decimal string.
 *
 * Accepted: surrounding whitespace; a leading `-`, `+` or `−` (U+2212) or a trailing `-`/`−`
 * (never both); thousands separators (space, NBSP U+00A0, narrow NBSP U+202F, and `.` in comma
 * format or `,` in dot format), one kind per number, with groups of exactly three digits after a
 * first group of one to three; an omitted integer part (`,5` → `0.5`).
 *
 * @throws ValueError rule `number-empty` for empty/blank text (callers decide whether the field is
 *   optional), rule `number-format` for anything else that is not a number in this format.
 */
export function parseDecimal(text: string, format: DecimalFormat): string {
  const spec = SPECS[format];
  let body = text.trim();
  if (body === '') throw new ValueError('number-empty', 'empty number');

  let negative = false;
  const first = body[0]!;
  if (MINUS_SIGNS.has(first)) {
    negative = true;
    body = body.slice(1);
  } else if (first === '+') {
    body = body.slice(1);
  }
  const last = body.at(-1);
  if (last !== undefined && MINUS_SIGNS.has(last)) {
    if (body.length !== text.trim().length) throw formatError(format, 'more than one sign');
    negative = true;
    body = body.slice(0, -1);
  }
  if (body === '') throw formatError(format, 'a sign without digits');

  const parts = body.split(spec.decimal);
  if (parts.length > 2) throw formatError(format, `more than one decimal separator "${spec.decimal}"`);
  let [intPart, fracPart] = parts as [string, string | undefined];

  if (fracPart !== undefined && !DIGITS.test(fracPart)) {
    throw formatError(format, fracPart === '' ? 'no digits after the decimal separator' : 'unexpected characters after the decimal separator');
  }
  if (intPart === '') {
    if (fracPart === undefined) throw formatError(format, 'no digits');
    intPart = '0';
  } else if (!DIGITS.test(intPart)) {
    const sep = /\D/.exec(intPart)![0];
    if (!spec.groups.includes(sep)) throw formatError(format, `not a number: unexpected character ${JSON.stringify(sep)}`);
    if (!groupedPattern(sep).test(intPart)) throw formatError(format, 'invalid digit grouping (thousands groups must have exactly 3 digits)');
    intPart = intPart.split(sep).join('');
  }

  intPart = intPart.replace(/^0+(?=\d)/, '');
  const isZero = intPart === '0' && (fracPart === undefined || /^0+$/.test(fracPart));
  return `${negative && !isZero ? '-' : ''}${intPart}${fracPart !== undefined ? `.${fracPart}` : ''}`;
}
