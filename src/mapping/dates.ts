/**
 * Date parsing by a configured pattern, e.g. `YYYY-MM-DD`, `YYYYMMDD`, `DD.MM.YYYY`, `D.M.YYYY`,
 * `MM/DD/YYYY`. Output is always the calendar date `YYYY-MM-DD`; no Date objects, no time zones.
 *
 * Tokens: `YYYY` (4-digit year), `MM`/`DD` (exactly 2 digits), `M`/`D` (1 or 2 digits). Literal
 * separators: `-`, `.`, `/`, space. Each of year, month and day must appear exactly once, and two
 * 1–2-digit tokens may not touch (`YYYYMD` would be ambiguous).
 *
 * Time part: a time after the date is accepted and ignored, so ERP timestamps map to their date
 * as written. It must be separated by `T` or whitespace and look like `H:MM`, `HH:MM`, `HH:MM:SS`
 * or `HH:MM:SS.fff` (fraction `.` or `,`, 1–9 digits), optionally followed by ` AM`/`PM` and/or a
 * zone `Z`, `±HH`, `±HHMM`, `±HH:MM`. Examples: `2024-03-31 12:30`, `2024-03-31T12:30:00Z`,
 * `2024-03-31 00:00:00.000`, `2024-03-31T23:30:00+02:00`. The zone is NOT applied: the date is
 * taken as written (`2024-03-31T23:30:00-05:00` → `2024-03-31`).
 *
 * Errors (ValueError): `date-format` when the text does not match the pattern, `date-range` for a
 * year outside 1900–2999, `date-invalid` for a non-existent date (month 13, day 0, 2023-02-29).
 */
import { ValueError } from './parse-error.ts';

type Field = 'year' | 'month' | 'day';

interface Token {
  field: Field;
  pattern: string;
  /** Renders the example date 2024-03-31 for hints. */
  example: string;
  variable: boolean;
}

const TOKENS: Record<string, Token> = {
  YYYY: { field: 'year', pattern: '(\\d{4})', example: '2024', variable: false },
  MM: { field: 'month', pattern: '(\\d{2})', example: '03', variable: false },
  DD: { field: 'day', pattern: '(\\d{2})', example: '31', variable: false },
  M: { field: 'month', pattern: '(\\d{1,2})', example: '3', variable: true },
  D: { field: 'day', pattern: '(\\d{1,2})', example: '31', variable: true },
};
/** Longest first so `YYYY` wins over shorter reads. */
const TOKEN_NAMES = ['YYYY', 'MM', 'DD', 'M', 'D'] as const;
const LITERALS = new Set(['-', '.', '/', ' ']);

const TIME_PART = String.raw`(?:T|\s+)(?:[01]?\d|2[0-3]):[0-5]\d(?::(?:[0-5]\d|60)(?:[.,]\d{1,9})?)?(?:\s*[AaPp][Mm])?(?:Z|[+-](?:[01]\d|2[0-3])(?::?[0-5]\d)?)?`;

export type DateParser = (text: string) => string;

const MIN_YEAR = 1900;
const MAX_YEAR = 2999;

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, m: number): number {
  return m === 2 ? (isLeapYear(y) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;
}

const compiled = new Map<string, DateParser>();

/**
 * Compiles a date pattern into a parser returning `YYYY-MM-DD`. Throws a plain Error with a
 * message fit for a config error when the pattern itself is unusable.
 */
export function compileDateFormat(fmt: string): DateParser {
  const cached = compiled.get(fmt);
  if (cached) return cached;

  if (typeof fmt !== 'string' || fmt.length === 0) throw new Error('date format is empty; use tokens YYYY, MM, DD, M, D, e.g. "YYYY-MM-DD"');
  const order: Field[] = [];
  let regex = '';
  let example = '';
  let previousVariable = false;
  let previousToken = '';
  for (let i = 0; i < fmt.length; ) {
    const name = TOKEN_NAMES.find((t) => fmt.startsWith(t, i));
    if (name) {
      const token = TOKENS[name]!;
      if (order.includes(token.field)) throw new Error(`date format "${fmt}" has the ${token.field} twice`);
      if (token.variable && previousVariable) {
        throw new Error(`date format "${fmt}": "${previousToken}" and "${name}" need a separator between them (1-2 digit tokens are ambiguous side by side)`);
      }
      order.push(token.field);
      regex += token.pattern;
      example += token.example;
      previousVariable = token.variable;
      previousToken = name;
      i += name.length;
      continue;
    }
    const ch = fmt[i]!;
    if (LITERALS.has(ch)) {
      regex += ch === ' ' ? ' ' : `\\${ch}`;
      example += ch;
      previousVariable = false;
      previousToken = '';
      i += 1;
      continue;
    }
    if (/[A-Za-z]/.test(ch)) {
      const run = /^[A-Za-z]+/.exec(fmt.slice(i))![0];
      throw new Error(`date format "${fmt}": unknown token "${run}"; use YYYY, MM, DD, M, D (e.g. "YYYY-MM-DD", "DD.MM.YYYY")`);
    }
    throw new Error(`date format "${fmt}": unexpected character ${JSON.stringify(ch)}; separators may be "-", ".", "/" or space`);
  }
  for (const [field, tokens] of [['year', 'YYYY'], ['month', 'MM or M'], ['day', 'DD or D']] as const) {
    if (!order.includes(field)) throw new Error(`date format "${fmt}" has no ${field} (${tokens})`);
  }

  const re = new RegExp(`^${regex}(?:${TIME_PART})?$`);
  const hint = `expected date format ${fmt}, e.g. "${example}" (a trailing time like " 12:30" or "T12:30:00Z" is ignored)`;
  const yi = order.indexOf('year') + 1;
  const mi = order.indexOf('month') + 1;
  const di = order.indexOf('day') + 1;

  const parser: DateParser = (text: string): string => {
    const s = text.trim();
    const match = re.exec(s);
    if (!match) throw new ValueError('date-format', s === '' ? 'empty date' : `not a date in format ${fmt}`, hint);
    const ys = match[yi]!;
    const ms = match[mi]!;
    const ds = match[di]!;
    const y = Number(ys);
    const m = Number(ms);
    const d = Number(ds);
    if (y < MIN_YEAR || y > MAX_YEAR) throw new ValueError('date-range', `year ${ys} is outside ${MIN_YEAR}–${MAX_YEAR}`);
    if (m < 1 || m > 12) throw new ValueError('date-invalid', `month ${ms} does not exist`, hint);
    if (d < 1 || d > daysInMonth(y, m)) throw new ValueError('date-invalid', `not a calendar date: day ${ds} does not exist in ${ys}-${ms.padStart(2, '0')}`, hint);
    return `${ys}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  };
  compiled.set(fmt, parser);
  return parser;
}
