/**
 * Which object answers a request path (after auth). Two spellings reach the same objects:
 *
 * - static: `/{prefix}/customers/{c}/…` exactly as published (see src/layout/keys.ts);
 * - query-style, as Vendre's Pull API calls them:
 *     /{prefix}/{list}?customer_no=C[&page=N][&from=YYYY-MM-DD&to=YYYY-MM-DD]   list page N (default 1)
 *     /{prefix}/{list}/{id}?customer_no=C                                      one document
 *     /{prefix}/backorders?customer_no=C                                       backordered products
 *   with {list} = orders | invoices | credit-invoices. When from and to fall in one calendar year,
 *   the list answers from that year's pages; otherwise (or with only one of them) from all pages.
 *
 * Customer numbers and ids go through the publisher's encoding, so no input reaches a key outside
 * `customers/{c}/`. ES5 syntax and built-ins only: this runs in the CloudFront Function too.
 */
import { backordersKey, documentKey, listPageKey, parseKey, type ListKind } from '../layout/keys.ts';
import { percentDecode, type QueryPair } from './query.ts';

export type Routed = { key: string } | { status: 400 | 404; error: string; message: string };

/** Longest path, id and customer number taken; longer is a 404 or 400. */
export const MAX_PATH_LENGTH = 1024;
export const MAX_ID_LENGTH = 200;
const MAX_PARAMS = 32;

const LISTS: Record<string, ListKind | 'backorders'> = {
  orders: 'orders',
  invoices: 'invoices',
  'credit-invoices': 'credit-invoices',
  backorders: 'backorders',
};

function has(o: object, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, k);
}

const notFound = (): Routed => ({ status: 404, error: 'not_found', message: 'no such document' });
const badRequest = (message: string): Routed => ({ status: 400, error: 'bad_request', message: message });

export function route(rawPath: string, query: readonly QueryPair[], prefix: string): Routed {
  const base = '/' + prefix + '/';
  if (rawPath.length > MAX_PATH_LENGTH || rawPath.slice(0, base.length) !== base) return notFound();
  const raw = rawPath.slice(base.length).split('/');
  const segments: string[] = [];
  for (let i = 0; i < raw.length; i++) {
    const s = percentDecode(raw[i]!, false);
    if (s === undefined) return badRequest('malformed path');
    segments.push(s);
  }
  if (segments[0] === 'customers') return staticKey(segments);
  const list = has(LISTS, segments[0]!) ? LISTS[segments[0]!] : undefined;
  if (list === undefined || segments.length > 2 || (segments.length === 2 && (list === 'backorders' || segments[1] === ''))) return notFound();
  return queryStyle(list, segments.length === 2 ? segments[1]! : undefined, query);
}

/** A published key, spelled canonically: each decoded segment is one key segment. */
function staticKey(segments: string[]): Routed {
  for (let i = 0; i < segments.length; i++) if (segments[i]!.indexOf('/') >= 0) return notFound();
  const key = segments.join('/');
  return parseKey(key) ? { key: key } : notFound();
}

interface Params {
  customer_no?: string;
  page?: string;
  from?: string;
  to?: string;
}

const KNOWN: Record<string, boolean> = { customer_no: true, page: true, from: true, to: true };
const DATE = /^([0-9]{4})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])(?:T[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,9})?)?(?:Z|[+-][0-9]{2}:?[0-9]{2})?)?$/;

function queryStyle(list: ListKind | 'backorders', id: string | undefined, query: readonly QueryPair[]): Routed {
  if (query.length > MAX_PARAMS) return badRequest('too many query parameters');
  const p: Params = {};
  for (let i = 0; i < query.length; i++) {
    const name = percentDecode(query[i]!.name, true);
    const value = percentDecode(query[i]!.value, true);
    if (name === undefined || value === undefined) return badRequest('malformed query string');
    // Unknown parameters are ignored; a known one given twice is ambiguous.
    if (!has(KNOWN, name)) continue;
    if (has(p, name)) return badRequest('`' + name + '` is given more than once');
    (p as Record<string, string>)[name] = value;
  }
  const c = p.customer_no;
  if (c === undefined || c === '') return badRequest('`customer_no` is required');
  if (c.length > MAX_ID_LENGTH) return badRequest('`customer_no` is too long');
  if (list === 'backorders') return { key: backordersKey(c) };
  if (id !== undefined) return id.length > MAX_ID_LENGTH ? badRequest('the document id is too long') : { key: documentKey(c, list, id) };
  let page = 1;
  if (p.page !== undefined) {
    if (!/^[1-9][0-9]{0,5}$/.test(p.page)) return badRequest('`page` must be a whole number from 1');
    page = Number(p.page);
  }
  const from = p.from === undefined ? undefined : DATE.exec(p.from);
  const to = p.to === undefined ? undefined : DATE.exec(p.to);
  if (from === null || to === null) return badRequest('`from` and `to` are dates, YYYY-MM-DD');
  if (from && to && from[0].slice(0, 10) > to[0].slice(0, 10)) return badRequest('`from` is after `to`');
  const year = from && to && from[1] === to[1] ? Number(from[1]) : undefined;
  return { key: listPageKey(c, list, page, year) };
}
