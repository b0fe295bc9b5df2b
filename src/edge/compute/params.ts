/**
 * The parameters of a list call, read strictly: what the compute path (serve and the Lambda
 * function) filters and pages by. Pure. The viewer-request function only tells the static fast
 * path from the rest (src/edge/route.ts) and leaves every other check to this module, so the
 * function stays small.
 *
 *   customer_no   required, at most 200 characters
 *   from, to      YYYY-MM-DD, optionally with a time (THH:MM[:SS[.fff]]) and zone (Z, ±HH:MM,
 *                 ±HHMM); calendar-valid, times 00:00–23:59:59. Inclusive, on the document date:
 *                 the date part is what counts (documents carry dates, not times).
 *   page          1, 2, …: page N of `count` (default: the configured page size)
 *   offset        0, 1, …: the first item to answer, instead of page
 *   count, limit  items per answer, 1 to MAX_COUNT (one of the two)
 */
import { percentDecode, type QueryPair } from '../query.ts';
import { MAX_ID_LENGTH } from '../route.ts';

/** Most items one answer holds (`count` / `limit`); more is a 400. */
export const MAX_COUNT = 200;
/** Highest offset accepted (well beyond any customer's history). */
export const MAX_OFFSET = 999_999;
/** Highest page accepted, as on the static path. */
export const MAX_PAGE = 999_999;

export const LIST_PARAMS = ['customer_no', 'page', 'from', 'to', 'offset', 'count', 'limit'] as const;
/** What stock and prices read besides `customer_no` (stock.ts, prices.ts); `article` is the one in a price call's path. */
export const ARTICLE_PARAMS = ['articles', 'article', 'quantity', 'date', 'currency'] as const;

export interface ListParams {
  customerNo: string;
  /** YYYY-MM-DD, inclusive. */
  from?: string;
  to?: string;
  page?: number;
  offset?: number;
  count?: number;
}

export type ParamError = { status: 400; error: 'bad_request'; message: string };

const bad = (message: string): ParamError => ({ status: 400, error: 'bad_request', message });

const DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})(?:T([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.[0-9]{1,9})?)?(?:Z|[+-]([0-9]{2}):?([0-9]{2}))?)?$/;

/** YYYY-MM-DD of a strictly valid date or date-time, else undefined. */
export function strictDate(value: string): string | undefined {
  const m = DATE.exec(value);
  if (!m) return undefined;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return undefined;
  if (m[4] !== undefined && (Number(m[4]) > 23 || Number(m[5]) > 59 || (m[6] !== undefined && Number(m[6]) > 59))) return undefined;
  if (m[7] !== undefined && (Number(m[7]) > 14 || Number(m[8]) > 59)) return undefined;
  return `${m[1]}-${m[2]}-${m[3]}`;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

function whole(value: string, min: number, max: number): number | undefined {
  if (!/^(0|[1-9][0-9]{0,8})$/.test(value)) return undefined;
  const n = Number(value);
  return n >= min && n <= max ? n : undefined;
}

/** The list parameters of a query (still percent-encoded), or the 400 that answers it. Other parameters are ignored. */
export function parseListParams(query: readonly QueryPair[]): ListParams | ParamError {
  const p = new Map<string, string>();
  for (const pair of query) {
    const name = percentDecode(pair.name, true);
    const value = percentDecode(pair.value, true);
    if (name === undefined || value === undefined) return bad('malformed query string');
    if (!(LIST_PARAMS as readonly string[]).includes(name)) continue;
    if (p.has(name)) return bad(`\`${name}\` is given more than once`);
    p.set(name, value);
  }
  const customerNo = p.get('customer_no');
  if (customerNo === undefined || customerNo === '') return bad('`customer_no` is required');
  if (customerNo.length > MAX_ID_LENGTH) return bad('`customer_no` is too long');
  const out: ListParams = { customerNo };
  for (const bound of ['from', 'to'] as const) {
    const raw = p.get(bound);
    if (raw === undefined) continue;
    const date = strictDate(raw);
    if (date === undefined) return bad(`\`${bound}\` must be a calendar date, YYYY-MM-DD (a time, if any, 00:00 to 23:59)`);
    out[bound] = date;
  }
  if (out.from !== undefined && out.to !== undefined && out.from > out.to) return bad('`from` is after `to`');
  if (p.has('page') && p.has('offset')) return bad('give `page` or `offset`, not both');
  if (p.has('count') && p.has('limit')) return bad('give `count` or `limit`, not both');
  const page = p.get('page');
  if (page !== undefined) {
    out.page = whole(page, 1, MAX_PAGE);
    if (out.page === undefined) return bad('`page` must be a whole number from 1');
  }
  const offset = p.get('offset');
  if (offset !== undefined) {
    out.offset = whole(offset, 0, MAX_OFFSET);
    if (out.offset === undefined) return bad(`\`offset\` must be a whole number from 0 to ${MAX_OFFSET}`);
  }
  const countName = p.has('count') ? 'count' : 'limit';
  const count = p.get(countName);
  if (count !== undefined) {
    out.count = whole(count, 1, MAX_COUNT);
    if (out.count === undefined) return bad(`\`${countName}\` must be a whole number from 1 to ${MAX_COUNT}`);
  }
  return out;
}
