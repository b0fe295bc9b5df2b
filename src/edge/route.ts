/**
 * Which object answers a request path (after auth). Two spellings reach the same objects:
 *
 * - static: `/{prefix}/customers/{c}/…` exactly as published (see src/layout/keys.ts);
 * - query-style, as Vendre's Pull API calls them:
 *     /{prefix}/{list}?customer_no=C[&page=N]            list page N (default 1): a published page
 *     /{prefix}/{list}?customer_no=C&from=Y-01-01&to=Y-12-31[&page=N]   year Y, page N: published too
 *     /{prefix}/{list}?customer_no=C&…                   any other from/to/page/offset/count/limit:
 *                                                        the compute path (src/edge/compute/)
 *     /{prefix}/{list}/{id}?customer_no=C                one document
 *     /{prefix}/backorders?customer_no=C                 backordered products
 *     /{prefix}/addresses?customer_no=C                  billing and delivery addresses
 *     /{prefix}/stock/{article}                          one article's stock
 *     /{prefix}/stock?articles=A1,A2,…                   many articles: the compute path
 *     /{prefix}/prices[/{article}]?customer_no=C&…       a customer's prices: the compute path
 *   with {list} = orders | invoices | credit-invoices.
 *
 * Customer numbers and ids go through the publisher's encoding, so no input reaches a key outside
 * `customers/{c}/`. ES5 syntax and built-ins only: this runs in the CloudFront Function too.
 */
import { addressesKey, backordersKey, documentKey, listPageKey, parseKey, stockKey, type ListKind } from '../layout/keys.ts';
import { percentDecode, percentEncode, type QueryPair } from './query.ts';

/** What the compute path answers: a list, or many articles' stock. */
export type ComputeKind = ListKind | 'stock' | 'prices';

export type Routed = { key: string } | { compute: ComputeKind; query: QueryPair[] } | { status: 400 | 404; error: string; message: string };

/** Longest path, id and customer number taken; longer is a 404 or 400. */
export const MAX_PATH_LENGTH = 1024;
export const MAX_ID_LENGTH = 200;
const MAX_PARAMS = 32;

/** The query-style lists (regular expressions, not objects: no `__proto__` or `constructor` to trip on). */
const LISTS = /^(orders|invoices|credit-invoices|backorders|addresses|stock|prices)$/;
const KNOWN = /^(customer_no|page|from|to|offset|count|limit|articles|quantity|date|currency)$/;
/** What stock and prices read (and lists do not). */
const OWN = /^(articles|quantity|date|currency)$/;

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
  const list = LISTS.test(segments[0]!) ? (segments[0] as Queried) : undefined;
  if (list === undefined || segments.length > 2 || (segments.length === 2 && (list === 'backorders' || list === 'addresses' || segments[1] === ''))) return notFound();
  return queryStyle(list, segments.length === 2 ? segments[1]! : undefined, query);
}

/** A published key, spelled canonically: each decoded segment is one key segment. */
function staticKey(segments: string[]): Routed {
  for (let i = 0; i < segments.length; i++) if (segments[i]!.indexOf('/') >= 0) return notFound();
  const key = segments.join('/');
  return parseKey(key) ? { key: key } : notFound();
}

/**
 * Query-style calls. The static fast path: a list with at most `page` (and `from`/`to` spanning
 * exactly one calendar year) is one published page. Any other list call goes to the compute path
 * (src/edge/compute/), which checks the rest of the parameters: only the known ones travel, each
 * re-encoded one way (percentEncode), so the cache key holds nothing else.
 */
type Queried = ListKind | 'backorders' | 'addresses' | 'stock' | 'prices';

function queryStyle(list: Queried, id: string | undefined, query: readonly QueryPair[]): Routed {
  if (query.length > MAX_PARAMS) return badRequest('too many query parameters');
  const p: Record<string, string> = {};
  const known: QueryPair[] = [];
  for (let i = 0; i < query.length; i++) {
    const name = percentDecode(query[i]!.name, true);
    const value = percentDecode(query[i]!.value, true);
    if (name === undefined || value === undefined) return badRequest('malformed query string');
    // Unknown parameters are ignored; a known one given twice is ambiguous.
    // customer_no for every call; OWN for stock and prices only; the rest for lists only.
    if (!KNOWN.test(name) || (name !== 'customer_no' && OWN.test(name) !== (list === 'stock' || list === 'prices'))) continue;
    if (p[name] !== undefined) return badRequest('`' + name + '` is given more than once');
    p[name] = value;
    known.push({ name: name, value: percentEncode(value) });
  }
  if (id !== undefined && id.length > MAX_ID_LENGTH) return badRequest('the id is too long');
  // Many articles: the compute path checks `articles` (the function stays small).
  if (list === 'stock') return id !== undefined ? { key: stockKey(id) } : { compute: list, query: known.sort(byName) };
  const c = p.customer_no;
  if (c === undefined || c === '') return badRequest('`customer_no` is required');
  if (c.length > MAX_ID_LENGTH) return badRequest('`customer_no` is too long');
  if (list === 'backorders') return { key: backordersKey(c) };
  if (list === 'addresses') return { key: addressesKey(c) };
  if (list === 'prices') {
    // One article's price: the compute path too (it resolves the customer's price list).
    if (id !== undefined) known.push({ name: 'article', value: percentEncode(id) });
    known.sort(byName);
    return { compute: list, query: known };
  }
  if (id !== undefined) return { key: documentKey(c, list, id) };
  const page = p.page === undefined ? '1' : p.page;
  const year = /^([0-9]{4})-01-01$/.exec(p.from || '');
  const fast = /^[1-9][0-9]{0,5}$/.test(page) && known.length === 1 + (p.page === undefined ? 0 : 1) + (year && p.to === year[1] + '-12-31' ? 2 : 0);
  if (fast) return { key: listPageKey(c, list, Number(page), year ? Number(year[1]) : undefined) };
  known.sort(byName);
  return { compute: list, query: known };
}

function byName(a: QueryPair, b: QueryPair): number {
  return a.name < b.name ? -1 : 1;
}
