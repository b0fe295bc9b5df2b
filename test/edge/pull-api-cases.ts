/**
 * ONE table of Pull API semantics, run against `serve` over HTTP and against the CDN path (the
 * emitted function in node:vm, S3 on s3rver, the compute origin's handler): each case must get the
 * same body from both, and that body must hold exactly the ids and totals computed here from the
 * published whole-history list pages (`expectedList`), never typed by hand.
 */
import { strictDate } from '../../src/edge/compute/params.ts';

export type ListName = 'orders' | 'invoices' | 'credit-invoices';

export interface ApiCase {
  name: string;
  path: string;
  query: string;
  /**
   * list: a list answer (its ids, totals and paging checked against the full list); static: a
   * published page, the whole history or year `year` (page n); status: an error or a document.
   */
  kind: { list: ListName; customer: string; static?: { year?: number } } | { status: 400 | 404 } | { document: string };
}

/** The published whole-history list of one customer: items newest first. */
export type FullLists = Map<string, Record<ListName, Array<Record<string, unknown>>>>;

export interface Expected {
  ids: string[];
  total: number;
  total_pages: number;
  page: number;
  per_page: number;
  date_from: string | null;
  date_to: string | null;
}

/** What a list call must answer, from the full list: inclusive date filter, then the page. */
export function expectedList(full: FullLists, list: ListName, customer: string, query: string, pageSize: number): Expected {
  const p = new URLSearchParams(query);
  const from = p.get('from') === null ? undefined : strictDate(p.get('from')!);
  const to = p.get('to') === null ? undefined : strictDate(p.get('to')!);
  const items = (full.get(customer)?.[list] ?? []).filter((i) => (from === undefined || (i.date as string) >= from) && (to === undefined || (i.date as string) <= to));
  const perPage = Number(p.get('count') ?? p.get('limit') ?? pageSize);
  const offset = p.has('offset') ? Number(p.get('offset')) : (Number(p.get('page') ?? 1) - 1) * perPage;
  return {
    ids: items.slice(offset, offset + perPage).map((i) => i.id as string),
    total: items.length,
    total_pages: Math.max(1, Math.ceil(items.length / perPage)),
    page: Math.floor(offset / perPage) + 1,
    per_page: perPage,
    date_from: items.length ? (items[items.length - 1]!.date as string) : null,
    date_to: items.length ? (items[0]!.date as string) : null,
  };
}

const LISTS: ListName[] = ['orders', 'invoices', 'credit-invoices'];

/**
 * The cases for the bundled samples. `C` has orders and invoices in 2024 and 2025 and two credit
 * invoices in 2025; `other` is a customer without credit invoices; `creditId` one of C's credits.
 */
export function apiCases(C: string, other: string, creditId: string, someDate: string): ApiCase[] {
  const out: ApiCase[] = [];
  const list = (name: string, l: ListName, query: string, customer = C) => out.push({ name: `${l}: ${name}`, path: `/v1/${l}`, query: `customer_no=${encodeURIComponent(customer)}${query ? `&${query}` : ''}`, kind: { list: l, customer } });
  const fast = (name: string, l: ListName, query: string, year?: number, customer = C) =>
    out.push({ name: `${l}: static ${name}`, path: `/v1/${l}`, query: `customer_no=${customer}${query ? `&${query}` : ''}`, kind: { list: l, customer, static: year === undefined ? {} : { year } } });
  const bad = (name: string, l: ListName, query: string) => out.push({ name: `${l}: 400 ${name}`, path: `/v1/${l}`, query: `customer_no=${C}&${query}`, kind: { status: 400 } });

  for (const l of LISTS) {
    // The static fast path: whole history and year pages; past the end they fall over to the compute path.
    fast('page 1', l, '');
    fast('page 2', l, 'page=2');
    fast('page 3 (past the end)', l, 'page=3');
    fast('page 999999 (past the end)', l, 'page=999999');
    fast('2025, page 1', l, 'from=2025-01-01&to=2025-12-31', 2025);
    fast('2024, page 1', l, 'page=1&from=2024-01-01&to=2024-12-31', 2024);
    fast('2024, page 2 (past the end)', l, 'page=2&from=2024-01-01&to=2024-12-31', 2024);
    fast('2023, a year without documents', l, 'from=2023-01-01&to=2023-12-31', 2023);
    fast('2026, a year after the last', l, 'from=2026-01-01&to=2026-12-31', 2026);
    // Ranges: across years, inside a month, one day, year edges, leap days.
    list('across years', l, 'from=2024-06-01&to=2025-05-31');
    list('across years, page 2', l, 'from=2024-06-01&to=2025-05-31&page=2');
    list('inside a month', l, 'from=2025-03-01&to=2025-03-31');
    list('inside a month, with times and zones', l, 'from=2025-03-01T00:00:00Z&to=2025-03-31T23:59:59%2B02:00');
    list('one day with a document', l, `from=${someDate}&to=${someDate}`);
    list('one day without', l, 'from=2025-12-25&to=2025-12-25');
    list('new year across', l, 'from=2024-12-31&to=2025-01-01');
    list('the last days of 2024', l, 'from=2024-12-01&to=2024-12-31');
    list('leap day', l, 'from=2024-02-29&to=2024-02-29');
    list('around the leap day', l, 'from=2024-02-28&to=2024-03-01');
    list('February 2024', l, 'from=2024-02-01&to=2024-02-29');
    list('a year minus a day', l, 'from=2025-01-01&to=2025-12-30');
    list('a year plus a day', l, 'from=2024-12-31&to=2025-12-31');
    list('from only', l, 'from=2025-06-01');
    list('from only, a date-time', l, 'from=2025-06-01T12:30');
    list('to only', l, 'to=2024-06-30');
    list('to only, page 2', l, 'to=2025-06-30&page=2');
    list('from the first document on', l, 'from=2024-01-18');
    list('up to the first document', l, 'to=2024-01-18');
    list('before any document', l, 'from=2020-01-01&to=2023-12-31');
    list('after the last document', l, 'from=2025-11-27');
    list('far ahead', l, 'from=2030-01-01&to=2031-12-31');
    // Paging: offset + count/limit, past the end, the maximum.
    list('offset 0, count 10', l, 'offset=0&count=10');
    list('offset 45, count 10', l, 'offset=45&count=10');
    list('offset 69, count 5', l, 'offset=69&count=5');
    list('offset past the end', l, 'offset=1000&count=5');
    list('limit 7', l, 'limit=7');
    list('count 200 (the maximum)', l, 'count=200');
    list('page 2 of 20', l, 'page=2&count=20');
    list('page 4 of 20', l, 'page=4&count=20');
    list('page past the end of a range', l, 'from=2025-03-01&to=2025-03-31&page=2');
    list('offset within a range', l, 'from=2024-06-01&to=2025-05-31&offset=3&count=4');
    list('unknown parameters beside a range', l, 'sort=date&from=2025-01-15&lang=sv&to=2025-04-15');
    // Another customer, and one the ERP never exported (an empty list, see the README).
    list('another customer, everything', l, 'offset=0&count=200', other);
    list('another customer, 2025 from March', l, 'from=2025-03-01', other);
    fast('another customer, page 1', l, '', undefined, other);
    list('unknown customer, a range', l, 'from=2024-01-01&to=2025-12-31', '99999');
    fast('unknown customer, page 1', l, '', undefined, '99999');
    list('unknown customer with odd characters', l, 'count=5', 'Ö 1/2');
    // Malformed: 400.
    bad('30 February', l, 'from=2025-02-30');
    bad('31 April', l, 'to=2025-04-31');
    bad('29 February 2023', l, 'from=2023-02-29&to=2023-03-01');
    bad('hour 25', l, 'from=2025-01-01T25:00');
    bad('minute 61', l, 'to=2025-01-01T10:61');
    bad('second 60', l, 'to=2025-01-01T10:00:60');
    bad('month 00', l, 'from=2025-00-10');
    bad('one-digit month', l, 'from=2025-1-10');
    bad('year 0000', l, 'from=0000-01-01');
    bad('from after to', l, 'from=2025-03-02&to=2025-03-01');
    bad('count 201 (over the maximum)', l, 'count=201');
    bad('count 0', l, 'count=0');
    bad('limit over the maximum', l, 'limit=1000');
    bad('count and limit', l, 'count=5&limit=5');
    bad('page and offset', l, 'page=2&offset=10');
    bad('negative offset', l, 'offset=-1');
    bad('offset with a fraction', l, 'offset=1.5&count=2');
    bad('page 0', l, 'page=0');
  }
  // Documents: a credit listed in the invoice list opens at /invoices/{id}; an unknown one is a 404.
  out.push({ name: 'credit invoice at the invoice list\'s link', path: `/v1/invoices/${encodeURIComponent(creditId)}`, query: `customer_no=${C}`, kind: { document: `customers/${C}/credit-invoices/${creditId}.json` } });
  out.push({ name: 'credit invoice at the static invoice key', path: `/v1/customers/${C}/invoices/${creditId}.json`, query: '', kind: { document: `customers/${C}/credit-invoices/${creditId}.json` } });
  out.push({ name: 'credit invoice at its own link', path: `/v1/credit-invoices/${encodeURIComponent(creditId)}`, query: `customer_no=${C}`, kind: { document: `customers/${C}/credit-invoices/${creditId}.json` } });
  out.push({ name: 'no such invoice', path: '/v1/invoices/NO-SUCH-1', query: `customer_no=${C}`, kind: { status: 404 } });
  out.push({ name: 'no such order', path: '/v1/orders/999999999', query: `customer_no=${C}`, kind: { status: 404 } });
  out.push({ name: 'unknown customer, one order', path: '/v1/orders/100077', query: 'customer_no=99999', kind: { status: 404 } });
  out.push({ name: 'unknown customer, a PDF', path: '/v1/customers/99999/orders/100077.pdf', query: '', kind: { status: 404 } });
  return out;
}
