/**
 * ONE table of edge cases, used by the decision module's tests, the emitted CloudFront Function's
 * tests (node:vm) and `serve` over HTTP: each must reach the same decision for every case.
 *
 * `path` and `query` are spelled as on the wire (percent-encoded); header names are lower-case and
 * values are what an HTTP server sees (latin1 of the bytes sent), so the three runners get equal input.
 */
import { stringToSign } from '../../src/edge/canonical.ts';
import type { EdgeCredentials, EdgeSettings } from '../../src/edge/decide.ts';
import { pdfLinkSignature } from '../../src/layout/pdf-link.ts';
import { hmacSha256Hex, nodeEdgeCrypto, sha256Hex } from '../../src/layout/node-crypto.ts';
import { parseQueryString } from '../../src/edge/query.ts';

export const SETTINGS: EdgeSettings = { prefix: 'v1', header: 'authorization', bearer: true, signed: true, windowSeconds: 300 };
/** Two valid tokens and two valid secrets: a rotation in progress. */
export const TOKENS = ['old-token-123', 'new-token-456'] as const;
export const SECRETS = ['hmac-secret-for-tests-0001', 'hmac-secret-for-tests-0002'] as const;
/** PDF-link secrets, newest (signing) first: a rotation in progress too. */
export const PDF_SECRETS = ['pdf-link-secret-for-tests-0001', 'pdf-link-secret-for-tests-0000'] as const;
export const CREDENTIALS: EdgeCredentials = { tokenHashes: TOKENS.map((t) => sha256Hex(t)), hmacSecrets: [...SECRETS], pdfSecrets: [...PDF_SECRETS] };
/** The config that yields SETTINGS and CREDENTIALS (for `edge`'s KVS entries), with AUTH_ENV as the environment. */
export const AUTH_CONFIG = {
  auth: { header: 'authorization', modes: ['bearer', 'signed'] as Array<'bearer' | 'signed'>, tokens: TOKENS.map((value) => ({ value })), secrets: SECRETS.map((value) => ({ value })), windowSeconds: 300 },
  pdfLinks: { secrets: [{ env: 'VP_TEST_PDF_LINK_NEW' }, { env: 'VP_TEST_PDF_LINK_OLD' }] },
};
export const AUTH_ENV: NodeJS.ProcessEnv = { VP_TEST_PDF_LINK_NEW: PDF_SECRETS[0], VP_TEST_PDF_LINK_OLD: PDF_SECRETS[1] };

/** A PDF link's query for a path (`/v1/customers/…pdf`), signed the way the renderer does. */
export function pdfSig(path: string, secret: string = PDF_SECRETS[0]): string {
  return `sig=${pdfLinkSignature(secret, path, nodeEdgeCrypto)}`;
}
/** 2025-11-24T16:00:00Z, in ms: the edge's clock for every case. */
export const NOW = 1_764_000_000_000;
const NOW_S = NOW / 1000;

/**
 * key: the object served; status: the edge answers itself; compute: the edge sends the call to the
 * compute path as `list?known parameters, sorted, re-encoded`, and that answers with `status`.
 */
export type Expect = { key: string } | { status: 400 | 401 | 403 | 404 | 405 } | { compute: string; status: 200 | 400 };

export interface EdgeCase {
  name: string;
  method: string;
  path: string;
  query: string;
  headers: Record<string, string>;
  now: number;
  expect: Expect;
}

const bearer = (token: string = TOKENS[1]) => ({ authorization: `Bearer ${token}` });

/** Signature headers for a request, computed the way a client does (see `vendre-pull sign`). */
export function signed(method: string, path: string, query: string, o: { ts?: number; secret?: string } = {}): Record<string, string> {
  const ts = String(o.ts ?? NOW_S);
  const text = stringToSign(method, path, parseQueryString(query), ts);
  if (text === undefined) throw new Error(`cannot sign ${path}?${query}`);
  return { 'x-timestamp': ts, 'x-signature': hmacSha256Hex(o.secret ?? SECRETS[0], text) };
}

/** latin1 spelling of UTF-8 bytes: what a server sees for a non-ASCII header value. */
const wire = (s: string) => Buffer.from(s, 'utf8').toString('latin1');

function c(name: string, method: string, path: string, query: string, headers: Record<string, string>, expect: Expect): EdgeCase {
  return { name, method, path, query, headers, now: NOW, expect };
}

// ---------------------------------------------------------------------------------------------
// Valid requests: exactly the right key.

const C = '10003';
export const VALID: EdgeCase[] = [];
const valid = (name: string, path: string, query: string, key: string, method = 'GET') => {
  VALID.push(c(`${name} (bearer, new token)`, method, path, query, bearer(), { key }));
  VALID.push(c(`${name} (signed)`, method, path, query, signed(method, path, query), { key }));
};
valid('static order list page', `/v1/customers/${C}/orders/pages/1.json`, '', `customers/${C}/orders/pages/1.json`);
valid('static order list, year page', `/v1/customers/${C}/orders/years/2025/pages/2.json`, '', `customers/${C}/orders/years/2025/pages/2.json`);
valid('static one order', `/v1/customers/${C}/orders/100077.json`, '', `customers/${C}/orders/100077.json`);
valid('static one order, encoded id', `/v1/customers/${C}/orders/A~201~2F2.json`, '', `customers/${C}/orders/A~201~2F2.json`);
valid('static invoice list page', `/v1/customers/${C}/invoices/pages/3.json`, '', `customers/${C}/invoices/pages/3.json`);
valid('static invoice year page', `/v1/customers/${C}/invoices/years/2024/pages/1.json`, '', `customers/${C}/invoices/years/2024/pages/1.json`);
valid('static one invoice', `/v1/customers/${C}/invoices/F-2025-1.json`, '', `customers/${C}/invoices/F-2025-1.json`);
valid('static credit invoice page', `/v1/customers/${C}/credit-invoices/pages/1.json`, '', `customers/${C}/credit-invoices/pages/1.json`);
valid('static backorders', `/v1/customers/${C}/backorders.json`, '', `customers/${C}/backorders.json`);
valid('static order PDF', `/v1/customers/${C}/orders/100077.pdf`, '', `customers/${C}/orders/100077.pdf`);
valid('static invoice PDF', `/v1/customers/${C}/invoices/F-2025-1.pdf`, '', `customers/${C}/invoices/F-2025-1.pdf`);
valid('static key with ~ sent as %7E', `/v1/customers/${C}/orders/A%7E201%7E2F2.json`, '', `customers/${C}/orders/A~201~2F2.json`);
valid('static list, HEAD', `/v1/customers/${C}/orders/pages/1.json`, '', `customers/${C}/orders/pages/1.json`, 'HEAD');
valid('static list, query ignored', `/v1/customers/${C}/orders/pages/1.json`, 'cb=123', `customers/${C}/orders/pages/1.json`);
valid('query orders, default page', '/v1/orders', `customer_no=${C}`, `customers/${C}/orders/pages/1.json`);
valid('query orders, page 2', '/v1/orders', `customer_no=${C}&page=2`, `customers/${C}/orders/pages/2.json`);
valid('query orders within one year', '/v1/orders', `customer_no=${C}&page=1&from=2025-01-01&to=2025-12-31`, `customers/${C}/orders/years/2025/pages/1.json`);
// Every other list call: the compute path, with the known parameters only.
export const COMPUTED: EdgeCase[] = [];
const computed = (name: string, path: string, query: string, compute: string, status: 200 | 400 = 200) => {
  COMPUTED.push(c(`${name} (bearer, new token)`, 'GET', path, query, bearer(), { compute, status }));
  COMPUTED.push(c(`${name} (signed)`, 'GET', path, query, signed('GET', path, query), { compute, status }));
};
computed('query orders, date-times within one year', '/v1/orders', `customer_no=${C}&from=2024-03-01T00:00:00Z&to=2024-06-30T23:59:59%2B02:00`, `orders?customer_no=${C}&from=2024-03-01T00%3A00%3A00Z&to=2024-06-30T23%3A59%3A59%2B02%3A00`);
computed('query orders across years', '/v1/orders', `customer_no=${C}&page=3&from=2024-06-01&to=2025-05-31`, `orders?customer_no=${C}&from=2024-06-01&page=3&to=2025-05-31`);
computed('query orders, from only', '/v1/orders', `customer_no=${C}&from=2025-01-01`, `orders?customer_no=${C}&from=2025-01-01`);
computed('query orders, to only', '/v1/orders', `to=2025-01-01&customer_no=${C}`, `orders?customer_no=${C}&to=2025-01-01`);
computed('query orders, a year without to', '/v1/orders', `customer_no=${C}&from=2025-01-01&page=2`, `orders?customer_no=${C}&from=2025-01-01&page=2`);
computed('query orders, offset and count', '/v1/orders', `customer_no=${C}&offset=10&count=5&utm=x`, `orders?count=5&customer_no=${C}&offset=10`);
computed('query invoices, limit', '/v1/invoices', `customer_no=${C}&limit=3`, `invoices?customer_no=${C}&limit=3`);
computed('query credit invoices, percent-encoded values normalized', '/v1/credit-invoices', `customer_no=%31%30%30%30%33&from=2025%2D03%2D01`, `credit-invoices?customer_no=${C}&from=2025-03-01`);
computed('query orders, page 0 (the compute path refuses it)', '/v1/orders', `customer_no=${C}&page=0`, `orders?customer_no=${C}&page=0`, 400);
computed('query orders, 30 February (the compute path refuses it)', '/v1/orders', `customer_no=${C}&from=2025-02-30`, `orders?customer_no=${C}&from=2025-02-30`, 400);
computed('query orders with count, a __proto__ parameter is ignored', '/v1/orders', `__proto__=x&customer_no=${C}&count=2`, `orders?count=2&customer_no=${C}`);
valid('query orders, unknown parameters ignored', '/v1/orders', `per_page=50&customer_no=${C}&sort=date&lang=sv`, `customers/${C}/orders/pages/1.json`);
valid('query one order', '/v1/orders/100077', `customer_no=${C}`, `customers/${C}/orders/100077.json`);
valid('query one order, id with space and slash', '/v1/orders/A%201%2F2', `customer_no=${C}`, `customers/${C}/orders/A~201~2F2.json`);
valid('query one order, id with å', '/v1/orders/%C3%85-7', `customer_no=${C}`, `customers/${C}/orders/~C3~85-7.json`);
valid('query invoices in one year', '/v1/invoices', `customer_no=${C}&from=2024-01-01&to=2024-12-31&page=2`, `customers/${C}/invoices/years/2024/pages/2.json`);
valid('query one invoice', '/v1/invoices/F-2025-1', `customer_no=${C}`, `customers/${C}/invoices/F-2025-1.json`);
valid('query credit invoices in one year', '/v1/credit-invoices', `customer_no=${C}&from=2025-01-01&to=2025-12-31`, `customers/${C}/credit-invoices/years/2025/pages/1.json`);
computed('query credit invoices across years', '/v1/credit-invoices', `customer_no=${C}&from=2024-01-01&to=2025-12-31`, `credit-invoices?customer_no=${C}&from=2024-01-01&to=2025-12-31`);
valid('query orders, a __proto__ parameter is ignored', '/v1/orders', `customer_no=${C}&__proto__=1&page=2`, `customers/${C}/orders/pages/2.json`);
valid('query orders, __proto__ twice', '/v1/orders', `__proto__=1&customer_no=${C}&__proto__=2`, `customers/${C}/orders/pages/1.json`);
valid('query one credit invoice', '/v1/credit-invoices/K-9', `customer_no=${C}`, `customers/${C}/credit-invoices/K-9.json`);
valid('query backorders', '/v1/backorders', `customer_no=${C}`, `customers/${C}/backorders.json`);
// Issue 17's extended calls: a customer's addresses, one article's stock (static), many articles (computed).
valid('static addresses', `/v1/customers/${C}/addresses.json`, '', `customers/${C}/addresses.json`);
valid('query addresses', '/v1/addresses', `customer_no=${C}&lang=sv`, `customers/${C}/addresses.json`);
valid('query stock of one article', '/v1/stock/HAV-6', '', 'stock/HAV-6.json');
valid('query stock of one article, customer_no ignored', '/v1/stock/RM-5000', `customer_no=${C}`, 'stock/RM-5000.json');
valid('query stock of an article with space, slash and å', '/v1/stock/%C3%85%201%2F2', '', 'stock/~C3~85~201~2F2.json');
computed('query stock of many articles', '/v1/stock', `customer_no=${C}&articles=HAV-6,RM-5000&page=2`, `stock?articles=HAV-6%2CRM-5000&customer_no=${C}`);
computed('query prices of many articles', '/v1/prices', `quantity=2&customer_no=${C}&articles=HAV-6,RM-5000&page=2&from=2025-01-01&lang=sv`, `prices?articles=HAV-6%2CRM-5000&customer_no=${C}&quantity=2`);
computed('query the price of one article', '/v1/prices/HAV-6', `customer_no=${C}&date=2025-12-04&currency=SEK`, `prices?article=HAV-6&currency=SEK&customer_no=${C}&date=2025-12-04`);
computed('query prices, quantity 0 (the compute path refuses it)', '/v1/prices', `customer_no=${C}&articles=A&quantity=0`, `prices?articles=A&customer_no=${C}&quantity=0`, 400);
computed('query stock, an empty entry (the compute path refuses it)', '/v1/stock', 'articles=A,,B', 'stock?articles=A%2C%2CB', 400);
computed('query stock without articles (the compute path refuses it)', '/v1/stock', `customer_no=${C}`, `stock?customer_no=${C}`, 400);
computed('query stock with an empty articles (the compute path refuses it)', '/v1/stock', 'articles=', 'stock?articles=', 400);
valid('query customer number with a space (+)', '/v1/orders', 'customer_no=AB+12', 'customers/AB~2012/orders/pages/1.json');
valid('query customer number percent-encoded', '/v1/orders', 'customer_no=%31%30%30%30%33', `customers/${C}/orders/pages/1.json`);
VALID.push(c('old token during rotation', 'GET', `/v1/customers/${C}/orders/pages/1.json`, '', bearer(TOKENS[0]), { key: `customers/${C}/orders/pages/1.json` }));
VALID.push(c('lower-case bearer scheme', 'GET', `/v1/customers/${C}/orders/pages/1.json`, '', { authorization: `bearer ${TOKENS[0]}` }, { key: `customers/${C}/orders/pages/1.json` }));
VALID.push(c('second HMAC secret during rotation', 'GET', '/v1/orders', `customer_no=${C}`, signed('GET', '/v1/orders', `customer_no=${C}`, { secret: SECRETS[1] }), { key: `customers/${C}/orders/pages/1.json` }));
VALID.push(c('signature in upper-case hex', 'GET', '/v1/orders', `customer_no=${C}`, upper(signed('GET', '/v1/orders', `customer_no=${C}`)), { key: `customers/${C}/orders/pages/1.json` }));
VALID.push(c('signature 299 s old', 'GET', '/v1/orders', `customer_no=${C}`, signed('GET', '/v1/orders', `customer_no=${C}`, { ts: NOW_S - 299 }), { key: `customers/${C}/orders/pages/1.json` }));
VALID.push(c('signature 300 s ahead', 'GET', '/v1/orders', `customer_no=${C}`, signed('GET', '/v1/orders', `customer_no=${C}`, { ts: NOW_S + 300 }), { key: `customers/${C}/orders/pages/1.json` }));
VALID.push(c('signed with query parameters in another order', 'GET', '/v1/orders', `page=2&customer_no=${C}`, signed('GET', '/v1/orders', `customer_no=${C}&page=2`), { key: `customers/${C}/orders/pages/2.json` }));
VALID.push(c('signed with the path spelled differently (%7E)', 'GET', `/v1/customers/${C}/orders/A%7E201%7E2F2.json`, '', signed('GET', `/v1/customers/${C}/orders/A~201~2F2.json`, ''), { key: `customers/${C}/orders/A~201~2F2.json` }));
VALID.push(c('bearer and signature, both valid', 'GET', '/v1/orders', `customer_no=${C}`, { ...bearer(), ...signed('GET', '/v1/orders', `customer_no=${C}`) }, { key: `customers/${C}/orders/pages/1.json` }));

// PDF links: a shopper's browser, no header at all, only the `sig` of exactly that PDF.
const PDF_INV = `/v1/customers/${C}/invoices/F-2025-1.pdf`;
const PDF_ORD = `/v1/customers/${C}/orders/100077.pdf`;
const pdfLink = (name: string, method: string, path: string, query: string, headers: Record<string, string>, key: string) => VALID.push(c(`PDF link: ${name}`, method, path, query, headers, { key }));
pdfLink('invoice', 'GET', PDF_INV, pdfSig(PDF_INV), {}, `customers/${C}/invoices/F-2025-1.pdf`);
pdfLink('order', 'GET', PDF_ORD, pdfSig(PDF_ORD), {}, `customers/${C}/orders/100077.pdf`);
pdfLink('credit invoice', 'GET', `/v1/customers/${C}/credit-invoices/K-9.pdf`, pdfSig(`/v1/customers/${C}/credit-invoices/K-9.pdf`), {}, `customers/${C}/credit-invoices/K-9.pdf`);
pdfLink('HEAD', 'HEAD', PDF_INV, pdfSig(PDF_INV), {}, `customers/${C}/invoices/F-2025-1.pdf`);
pdfLink('signed by the older secret (rotation)', 'GET', PDF_INV, pdfSig(PDF_INV, PDF_SECRETS[1]), {}, `customers/${C}/invoices/F-2025-1.pdf`);
pdfLink('encoded id', 'GET', `/v1/customers/${C}/orders/A~201~2F2.pdf`, pdfSig(`/v1/customers/${C}/orders/A~201~2F2.pdf`), {}, `customers/${C}/orders/A~201~2F2.pdf`);
pdfLink('path spelled with %7E', 'GET', `/v1/customers/${C}/orders/A%7E201%7E2F2.pdf`, pdfSig(`/v1/customers/${C}/orders/A~201~2F2.pdf`), {}, `customers/${C}/orders/A~201~2F2.pdf`);
pdfLink('another query parameter beside sig', 'GET', PDF_INV, `utm_source=mail&${pdfSig(PDF_INV)}`, {}, `customers/${C}/invoices/F-2025-1.pdf`);
pdfLink('with a valid bearer token too', 'GET', PDF_INV, pdfSig(PDF_INV), bearer(), `customers/${C}/invoices/F-2025-1.pdf`);
pdfLink('a valid bearer token decides, a stale sig beside it does not matter', 'GET', PDF_INV, pdfSig(PDF_ORD), bearer(), `customers/${C}/invoices/F-2025-1.pdf`);
pdfLink('with a valid signature too', 'GET', PDF_INV, pdfSig(PDF_INV), signed('GET', PDF_INV, pdfSig(PDF_INV)), `customers/${C}/invoices/F-2025-1.pdf`);
// Bearer and HMAC auth still open PDFs.
pdfLink('none, bearer only', 'GET', PDF_INV, '', bearer(), `customers/${C}/invoices/F-2025-1.pdf`);

function upper(h: Record<string, string>): Record<string, string> {
  return { ...h, 'x-signature': h['x-signature']!.toUpperCase() };
}

/**
 * Odd ids on the query-style route are legal ids (the README allows `/` and any printable text): they
 * are served, but only as a key inside the named customer's prefix, spelled by the publisher's
 * encoding, which a missing object answers with 404.
 */
export const CONTAINED: EdgeCase[] = [
  c('id ../../10002', 'GET', '/v1/orders/..%2F..%2F10002', `customer_no=${C}`, bearer(), { key: `customers/${C}/orders/~2E.~2F..~2F10002.json` }),
  c('id %2e%2e', 'GET', '/v1/orders/%2e%2e', `customer_no=${C}`, bearer(), { key: `customers/${C}/orders/~2E..json` }),
  c('id with a backslash path', 'GET', '/v1/invoices/..%5C..%5Cetc%5Cpasswd', `customer_no=${C}`, bearer(), { key: `customers/${C}/invoices/~2E.~5C..~5Cetc~5Cpasswd.json` }),
  c('id double-encoded %252e', 'GET', '/v1/orders/%252e%252e', `customer_no=${C}`, bearer(), { key: `customers/${C}/orders/~252e~252e.json` }),
  c('customer ../10002', 'GET', '/v1/orders', 'customer_no=..%2F10002', bearer(), { key: 'customers/~2E.~2F10002/orders/pages/1.json' }),
  c('customer with NUL', 'GET', '/v1/orders', 'customer_no=10003%00', bearer(), { key: 'customers/10003~00/orders/pages/1.json' }),
];

// ---------------------------------------------------------------------------------------------
// Hostile requests: none is served.

export const HOSTILE: EdgeCase[] = [];
const hostile = (name: string, method: string, path: string, query: string, headers: Record<string, string>, status: 400 | 401 | 403 | 404 | 405) =>
  HOSTILE.push(c(name, method, path, query, headers, { status }));

/** Paths an attacker would try, valid or not: with bad credentials all must look the same. */
const PROBES: Array<[string, string]> = [
  [`/v1/customers/${C}/orders/pages/1.json`, ''],
  ['/v1/customers/10001/invoices/pages/1.json', ''],
  ['/v1/customers/99999/orders/pages/1.json', ''],
  ['/v1/orders', `customer_no=${C}`],
  ['/v1/orders/100077', 'customer_no=10001'],
  ['/v1/backorders', 'customer_no=99999'],
  ['/v1/nothing/here', ''],
  ['/v1/customers/10001/../10002/orders/pages/1.json', ''],
  ['/v2/customers/10001/orders/pages/1.json', ''],
  ['/v1/orders', 'customer_no=%ZZ'],
];

const BAD_BEARER: Array<[string, Record<string, string>, 401 | 403]> = [
  ['no credentials', {}, 401],
  ['empty authorization', { authorization: '' }, 401],
  ['blank authorization', { authorization: '   ' }, 401],
  ['wrong token', { authorization: 'Bearer not-the-token-000' }, 403],
  ['token of another case', { authorization: `Bearer ${TOKENS[1].toUpperCase()}` }, 403],
  ['token without scheme', { authorization: TOKENS[1] }, 403],
  ['Basic scheme', { authorization: `Basic ${Buffer.from(`vendre:${TOKENS[1]}`).toString('base64')}` }, 403],
  ['scheme only', { authorization: 'Bearer ' }, 403],
  ['token with a suffix', { authorization: `Bearer ${TOKENS[1]}x` }, 403],
  ['token truncated', { authorization: `Bearer ${TOKENS[1].slice(0, -1)}` }, 403],
  ['two tokens', { authorization: `Bearer ${TOKENS[1]}, Bearer ${TOKENS[0]}` }, 403],
  ['token with unicode look-alike (Cyrillic е)', { authorization: wire(`Bearer n\u0435w-token-456`) }, 403],
  ['scheme with unicode look-alike (Cyrillic В)', { authorization: wire(`\u0412earer ${TOKENS[1]}`) }, 403],
  ['token with fullwidth digits', { authorization: wire(`Bearer new-token-\uFF14\uFF15\uFF16`) }, 403],
  ['overlong header (8 KB)', { authorization: `Bearer ${'a'.repeat(8000)}` }, 403],
  ['valid token behind 1 KB of blanks', { authorization: `Bearer${' '.repeat(1100)}${TOKENS[1]}` }, 403],
  ['sha256 of the token as the token', { authorization: `Bearer ${sha256Hex(TOKENS[1])}` }, 403],
  ['valid token in X-Api-Key', { 'x-api-key': `Bearer ${TOKENS[1]}` }, 401],
  ['valid token in Proxy-Authorization', { 'proxy-authorization': `Bearer ${TOKENS[1]}` }, 401],
  ['valid token in X-Authorization', { 'x-authorization': `Bearer ${TOKENS[1]}` }, 401],
  ['valid token as a cookie', { cookie: `token=${TOKENS[1]}` }, 401],
];
for (const [cred, headers, status] of BAD_BEARER) {
  for (const [path, query] of PROBES) hostile(`${cred}: ${path}?${query}`, 'GET', path, query, headers, status);
}
// A valid token in the query string is no credential.
hostile('valid token in the query string', 'GET', '/v1/orders', `customer_no=${C}&token=${TOKENS[1]}`, {}, 401);
hostile('valid token as access_token', 'GET', '/v1/orders', `customer_no=${C}&access_token=${TOKENS[1]}`, {}, 401);

// Signatures that are not valid for this request.
const SP = '/v1/orders';
const SQ = `customer_no=${C}`;
const BAD_SIGNED: Array<[string, string, string, string, Record<string, string>]> = [
  ['expired (301 s old)', SP, SQ, 'GET', signed('GET', SP, SQ, { ts: NOW_S - 301 })],
  ['expired (1 day old)', SP, SQ, 'GET', signed('GET', SP, SQ, { ts: NOW_S - 86400 })],
  ['from the future (301 s ahead)', SP, SQ, 'GET', signed('GET', SP, SQ, { ts: NOW_S + 301 })],
  ['timestamp 0', SP, SQ, 'GET', signed('GET', SP, SQ, { ts: 0 })],
  ['for another path', SP, SQ, 'GET', signed('GET', '/v1/invoices', SQ)],
  ['for another customer', SP, SQ, 'GET', signed('GET', SP, 'customer_no=10001')],
  ['for another page', SP, `${SQ}&page=2`, 'GET', signed('GET', SP, SQ)],
  ['query parameter added after signing', SP, `${SQ}&from=2025-01-01`, 'GET', signed('GET', SP, SQ)],
  ['query parameter repeated after signing', SP, `${SQ}&customer_no=10001`, 'GET', signed('GET', SP, SQ)],
  ['for HEAD, sent as GET', SP, SQ, 'GET', signed('HEAD', SP, SQ)],
  ['with an unknown secret', SP, SQ, 'GET', signed('GET', SP, SQ, { secret: 'another-secret-00000000' })],
  ['with the token as the secret', SP, SQ, 'GET', signed('GET', SP, SQ, { secret: TOKENS[1] })],
  ['timestamp changed after signing', SP, SQ, 'GET', { ...signed('GET', SP, SQ), 'x-timestamp': String(NOW_S + 1) }],
  ['timestamp in milliseconds', SP, SQ, 'GET', signed('GET', SP, SQ, { ts: NOW })],
  ['timestamp with a sign', SP, SQ, 'GET', { ...signed('GET', SP, SQ), 'x-timestamp': `+${NOW_S}` }],
  ['timestamp with a space inside', SP, SQ, 'GET', { ...signed('GET', SP, SQ), 'x-timestamp': `${NOW_S} 0` }],
  ['timestamp in exponent form', SP, SQ, 'GET', { ...signed('GET', SP, SQ), 'x-timestamp': '1.764e9' }],
  ['timestamp as a date', SP, SQ, 'GET', { ...signed('GET', SP, SQ), 'x-timestamp': '2025-11-24T16:00:00Z' }],
  ['signature truncated', SP, SQ, 'GET', { ...signed('GET', SP, SQ), 'x-signature': signed('GET', SP, SQ)['x-signature']!.slice(0, 63) }],
  ['signature with a byte flipped', SP, SQ, 'GET', { ...signed('GET', SP, SQ), 'x-signature': flip(signed('GET', SP, SQ)['x-signature']!) }],
  ['signature not hex', SP, SQ, 'GET', { ...signed('GET', SP, SQ), 'x-signature': 'z'.repeat(64) }],
  ['signature in base64', SP, SQ, 'GET', { ...signed('GET', SP, SQ), 'x-signature': Buffer.from(signed('GET', SP, SQ)['x-signature']!, 'hex').toString('base64') }],
  ['signature overlong', SP, SQ, 'GET', { ...signed('GET', SP, SQ), 'x-signature': 'a'.repeat(5000) }],
  ['signature only', SP, SQ, 'GET', { 'x-signature': signed('GET', SP, SQ)['x-signature']! }],
  ['timestamp only', SP, SQ, 'GET', { 'x-timestamp': String(NOW_S) }],
  ['empty signature', SP, SQ, 'GET', { 'x-timestamp': String(NOW_S), 'x-signature': '' }],
  ['valid signature, wrong bearer token', SP, SQ, 'GET', { ...signed('GET', SP, SQ), authorization: 'Bearer wrong-token-0000' }],
  ['valid bearer token, wrong signature', SP, SQ, 'GET', { ...bearer(), ...signed('GET', '/v1/invoices', SQ) }],
  ['static path signed for another customer', `/v1/customers/${C}/orders/pages/1.json`, '', 'GET', signed('GET', '/v1/customers/10001/orders/pages/1.json', '')],
  ['static path signed for another document', `/v1/customers/${C}/orders/100077.json`, '', 'GET', signed('GET', `/v1/customers/${C}/orders/100078.json`, '')],
  ['signature for a malformed path', '/v1/orders/%E0%A4%A', SQ, 'GET', { 'x-timestamp': String(NOW_S), 'x-signature': '0'.repeat(64) }],
];
for (const [name, path, query, method, headers] of BAD_SIGNED) hostile(`signature ${name}`, method, path, query, headers, 403);

// PDF links that are not valid for this request: without a header credential a 401, as without any.
const SIG = pdfSig(PDF_INV).slice('sig='.length);
const BAD_PDF_LINKS: Array<[string, string, string, Record<string, string>, 401 | 403]> = [
  ['no sig', PDF_INV, '', {}, 401],
  ['sig of another PDF of the customer', PDF_INV, pdfSig(`/v1/customers/${C}/invoices/F-2025-2.pdf`), {}, 401],
  ['sig of the order PDF with the same number', `/v1/customers/${C}/orders/F-2025-1.pdf`, pdfSig(PDF_INV), {}, 401],
  ["sig of another customer's PDF", '/v1/customers/10001/invoices/F-2025-1.pdf', pdfSig(PDF_INV), {}, 401],
  ["another customer's PDF signed for itself, asked on this customer's path", PDF_INV, pdfSig('/v1/customers/10001/invoices/F-2025-1.pdf'), {}, 401],
  ['sig of the PDF on its JSON document', `/v1/customers/${C}/invoices/F-2025-1.json`, pdfSig(PDF_INV), {}, 401],
  ['sig made for the JSON document itself', `/v1/customers/${C}/invoices/F-2025-1.json`, pdfSig(`/v1/customers/${C}/invoices/F-2025-1.json`), {}, 401],
  ['sig made for a list page', `/v1/customers/${C}/invoices/pages/1.json`, pdfSig(`/v1/customers/${C}/invoices/pages/1.json`), {}, 401],
  ['sig made for backorders', `/v1/customers/${C}/backorders.json`, pdfSig(`/v1/customers/${C}/backorders.json`), {}, 401],
  ['sig on a query-style call', '/v1/invoices/F-2025-1', `customer_no=${C}&${pdfSig(PDF_INV)}`, {}, 401],
  ['sig on a query-style call for the .pdf', '/v1/invoices/F-2025-1.pdf', `customer_no=${C}&${pdfSig(PDF_INV)}`, {}, 401],
  ['sig of a PDF of a list page', `/v1/customers/${C}/invoices/pages/1.pdf`, pdfSig(`/v1/customers/${C}/invoices/pages/1.pdf`), {}, 401],
  ['sig of the key without the prefix', PDF_INV, `sig=${pdfLinkSignature(PDF_SECRETS[0], PDF_INV.slice('/v1'.length), nodeEdgeCrypto)}`, {}, 401],
  ['sig of the key under another prefix', PDF_INV, pdfSig(PDF_INV.replace('/v1/', '/v2/')), {}, 401],
  ['sig on another prefix', PDF_INV.replace('/v1/', '/v2/'), pdfSig(PDF_INV.replace('/v1/', '/v2/')), {}, 401],
  ['sig with dot-dot to another customer', `/v1/customers/${C}/../10001/invoices/F-2025-1.pdf`, pdfSig(`/v1/customers/${C}/../10001/invoices/F-2025-1.pdf`), {}, 401],
  ['sig with a flipped digit', PDF_INV, `sig=${flip(SIG)}`, {}, 401],
  ['sig truncated', PDF_INV, `sig=${SIG.slice(0, 31)}`, {}, 401],
  ['sig with a digit added', PDF_INV, `sig=${SIG}0`, {}, 401],
  ['sig in upper-case hex', PDF_INV, `sig=${SIG.toUpperCase()}`, {}, 401],
  ['sig as the whole HMAC', PDF_INV, `sig=${hmacSha256Hex(PDF_SECRETS[0], `VP1-PDF
${PDF_INV}`)}`, {}, 401],
  ['sig in base64url', PDF_INV, `sig=${Buffer.from(SIG, 'hex').toString('base64url')}`, {}, 401],
  ['sig percent-encoded', PDF_INV, `sig=${SIG.split('').map((ch) => `%${ch.charCodeAt(0).toString(16)}`).join('')}`, {}, 401],
  ['empty sig', PDF_INV, 'sig=', {}, 401],
  ['sig without a value', PDF_INV, 'sig', {}, 401],
  ['sig twice, both valid', PDF_INV, `${pdfSig(PDF_INV)}&${pdfSig(PDF_INV)}`, {}, 401],
  ['sig twice, one junk', PDF_INV, `${pdfSig(PDF_INV)}&sig=${'0'.repeat(32)}`, {}, 401],
  ['SIG in upper case', PDF_INV, `SIG=${SIG}`, {}, 401],
  ['sig name percent-encoded', PDF_INV, `%73ig=${SIG}`, {}, 401],
  ['sig made with an unknown secret', PDF_INV, pdfSig(PDF_INV, 'another-pdf-secret-00000'), {}, 401],
  ['sig made with the HMAC secret of signed mode', PDF_INV, pdfSig(PDF_INV, SECRETS[0]), {}, 401],
  ['sig made with a bearer token as the secret', PDF_INV, pdfSig(PDF_INV, TOKENS[1]), {}, 401],
  ['sig made with another scheme', PDF_INV, `sig=${hmacSha256Hex(PDF_SECRETS[0], `VP1-HMAC-SHA256
${PDF_INV}`).slice(0, 32)}`, {}, 401],
  ['sig of the path without its scheme line', PDF_INV, `sig=${hmacSha256Hex(PDF_SECRETS[0], PDF_INV).slice(0, 32)}`, {}, 401],
  ['valid sig, wrong bearer token', PDF_INV, pdfSig(PDF_INV), { authorization: 'Bearer wrong-token-0000' }, 403],
  ['valid sig, malformed authorization', PDF_INV, pdfSig(PDF_INV), { authorization: 'Basic abc' }, 403],
  ['valid sig, bad signature headers', PDF_INV, pdfSig(PDF_INV), signed('GET', PDF_ORD, ''), 403],
  ['valid sig, expired signature headers', PDF_INV, pdfSig(PDF_INV), signed('GET', PDF_INV, pdfSig(PDF_INV), { ts: NOW_S - 301 }), 403],
];
for (const [name, path, query, headers, status] of BAD_PDF_LINKS) hostile(`PDF link ${name}`, 'GET', path, query, headers, status);
for (const method of ['POST', 'PUT', 'DELETE']) hostile(`PDF link with method ${method}`, method, PDF_INV, pdfSig(PDF_INV), {}, 405);

function flip(hex: string): string {
  return (hex[0] === 'a' ? 'b' : 'a') + hex.slice(1);
}

// Paths that leave the layout, with valid credentials: a 404 or 400, never a key.
const ATTACK_PATHS: Array<[string, string, string, 400 | 404]> = [
  ['dot-dot', `/v1/customers/${C}/../10002/orders/pages/1.json`, '', 404],
  ['%2e%2e', `/v1/customers/${C}/%2e%2e/10002/orders/pages/1.json`, '', 404],
  ['%2E%2E%2F in one segment', `/v1/customers/${C}/orders/%2E%2E%2F%2E%2E%2F10002%2Forders%2Fpages%2F1.json`, '', 404],
  ['double-encoded %252e%252e', `/v1/customers/${C}/%252e%252e/10002/orders/pages/1.json`, '', 404],
  ['double-encoded %252F', `/v1/customers/${C}%252F..%252F10002/orders/pages/1.json`, '', 404],
  ['encoded slashes for the whole key', `/v1/customers%2F${C}%2Forders%2Fpages%2F1.json`, '', 404],
  ['backslashes', `/v1/customers/${C}\\..\\10002/orders/pages/1.json`, '', 404],
  ['encoded backslashes', `/v1/customers/${C}%5C..%5C10002/orders/pages/1.json`, '', 404],
  ['dot segment', `/v1/customers/./${C}/orders/pages/1.json`, '', 404],
  ['leading-dot customer', '/v1/customers/.10003/orders/pages/1.json', '', 404],
  ['empty segment', `/v1/customers//${C}/orders/pages/1.json`, '', 404],
  ['double slash after prefix', `/v1//customers/${C}/orders/pages/1.json`, '', 404],
  ['prefix in upper case', `/V1/customers/${C}/orders/pages/1.json`, '', 404],
  ['no prefix', `/customers/${C}/orders/pages/1.json`, '', 404],
  ['prefix only', '/v1/', '', 404],
  ['root', '/', '', 404],
  ['page 0', `/v1/customers/${C}/orders/pages/0.json`, '', 404],
  ['page with a leading zero', `/v1/customers/${C}/orders/pages/01.json`, '', 404],
  ['page as a word', `/v1/customers/${C}/orders/pages/one.json`, '', 404],
  ['fullwidth page digit', `/v1/customers/${C}/orders/pages/%EF%BC%91.json`, '', 404],
  ['Cyrillic о in orders', `/v1/customers/${C}/%D0%BErders/pages/1.json`, '', 404],
  ['Cyrillic о in a query-style list', '/v1/%D0%BErders', `customer_no=${C}`, 404],
  ['trailing slash', `/v1/customers/${C}/orders/pages/1.json/`, '', 404],
  ['extra segment', `/v1/customers/${C}/orders/pages/1.json/x`, '', 404],
  ['path parameter', `/v1/customers/${C}/orders/pages/1.json;x=1`, '', 404],
  ['other extension', `/v1/customers/${C}/orders/100077.xml`, '', 404],
  ['upper-case extension', `/v1/customers/${C}/orders/100077.JSON`, '', 404],
  ['lower-case hex in an id', `/v1/customers/${C}/orders/A~2f1.json`, '', 404],
  ['non-canonical ~41 for A', `/v1/customers/${C}/orders/~41.json`, '', 404],
  ['overlong UTF-8 in an id', `/v1/customers/${C}/orders/~C0~AF.json`, '', 404],
  ['NUL byte', `/v1/customers/${C}/orders/100077%00.json`, '', 404],
  ['unknown file in the customer folder', `/v1/customers/${C}/secrets.json`, '', 404],
  ['customer folder listing', `/v1/customers/${C}/`, '', 404],
  ['customers listing', '/v1/customers', '', 404],
  ['year page with a short year', `/v1/customers/${C}/orders/years/25/pages/1.json`, '', 404],
  ['backorders as a folder', `/v1/customers/${C}/backorders/1.json`, '', 404],
  ['PDF of a list page', `/v1/customers/${C}/orders/pages/1.pdf`, '', 404],
  ['overlong path', `/v1/customers/${C}/orders/${'a'.repeat(1100)}.json`, '', 404],
  ['malformed percent-encoding', '/v1/customers/%E0%A4%A/orders/1.json', '', 400],
  ['percent without hex', `/v1/customers/${C}/orders/%zz.json`, '', 400],
  ['encoded surrogate (CESU-8)', `/v1/customers/${C}/orders/%ED%A0%80.json`, '', 400],
  ['overlong %C0%AE', `/v1/customers/${C}/%C0%AE%C0%AE/10002/orders/pages/1.json`, '', 400],
  ['unknown list', '/v1/quotes', `customer_no=${C}`, 404],
  ['backorders with an id', '/v1/backorders/1', `customer_no=${C}`, 404],
  ['addresses with an id', '/v1/addresses/1', `customer_no=${C}`, 404],
  ['addresses as a folder', `/v1/customers/${C}/addresses/1.json`, '', 404],
  ['stock under a customer', `/v1/customers/${C}/stock/HAV-6.json`, '', 404],
  ['stock with two segments', '/v1/stock/HAV-6/MAIN', '', 404],
  ['stock with a trailing slash', '/v1/stock/', 'articles=HAV-6', 404],
  ['prices with two segments', '/v1/prices/HAV-6/SEK', `customer_no=${C}`, 404],
  ['prices under a customer', `/v1/customers/${C}/prices/HAV-6.json`, '', 404],
  ['a customer\'s pricing object', `/v1/customers/${C}/pricing.json`, '', 404],
  ['a price object', '/v1/customers/prices/HAV-6.json', '', 404],
  ['query list with trailing slash', '/v1/orders/', `customer_no=${C}`, 404],
  ['query document with two segments', '/v1/orders/100077/lines', `customer_no=${C}`, 404],
  ['query list, dot-dot', '/v1/orders/../customers', `customer_no=${C}`, 404],
  ['prototype name as a list', '/v1/__proto__', `customer_no=${C}`, 404],
  ['constructor as a list', '/v1/constructor', `customer_no=${C}`, 404],
];
/**
 * Signed variant of a hostile request. What cannot be canonicalised (malformed percent-encoding)
 * cannot carry a valid signature either: sent with a made-up one, it is a 403, not a 400.
 */
function signedOrForged(path: string, query: string, status: 400 | 404): [Record<string, string>, 400 | 403 | 404] {
  try {
    return [signed('GET', path, query), status];
  } catch {
    return [{ 'x-timestamp': String(NOW_S), 'x-signature': '0'.repeat(64) }, 403];
  }
}

for (const [name, path, query, status] of ATTACK_PATHS) {
  hostile(`path ${name} (bearer)`, 'GET', path, query, bearer(), status);
  const [headers, expected] = signedOrForged(path, query, status);
  hostile(`path ${name} (signed)`, 'GET', path, query, headers, expected);
}

// Malformed query-style calls, with valid credentials: 400 from the edge, or (page and dates, which
// only the compute path reads) from the compute path.
const BAD_QUERIES: Array<[string, string, string, string?]> = [
  ['no customer_no', '/v1/orders', 'page=1'],
  ['empty customer_no', '/v1/orders', 'customer_no='],
  ['customer_no without a value', '/v1/orders', 'customer_no'],
  ['customer_no twice', '/v1/orders', `customer_no=${C}&customer_no=10001`],
  ['customer_no in upper case', '/v1/orders', `CUSTOMER_NO=${C}`],
  ['customer_no with a Cyrillic о in the name', '/v1/orders', `customer_n%D0%BE=${C}`],
  ['customer_no overlong', '/v1/orders', `customer_no=${'9'.repeat(300)}`],
  ['customer_no malformed encoding', '/v1/orders', 'customer_no=%E0%A4%A'],
  ['parameter name malformed', '/v1/orders', `customer_no=${C}&%ZZ=1`],
  ['page 0', '/v1/orders', `customer_no=${C}&page=0`, `orders?customer_no=${C}&page=0`],
  ['page negative', '/v1/orders', `customer_no=${C}&page=-1`, `orders?customer_no=${C}&page=-1`],
  ['page fraction', '/v1/orders', `customer_no=${C}&page=1.5`, `orders?customer_no=${C}&page=1.5`],
  ['page exponent', '/v1/orders', `customer_no=${C}&page=1e3`, `orders?customer_no=${C}&page=1e3`],
  ['page hex', '/v1/orders', `customer_no=${C}&page=0x10`, `orders?customer_no=${C}&page=0x10`],
  ['page overlong', '/v1/orders', `customer_no=${C}&page=99999999`, `orders?customer_no=${C}&page=99999999`],
  ['page empty', '/v1/orders', `customer_no=${C}&page=`, `orders?customer_no=${C}&page=`],
  ['page twice', '/v1/orders', `customer_no=${C}&page=1&page=2`],
  ['from twice', '/v1/orders', `customer_no=${C}&from=2025-01-01&from=2025-02-01`],
  ['from not a date', '/v1/orders', `customer_no=${C}&from=yesterday&to=2025-12-31`, `orders?customer_no=${C}&from=yesterday&to=2025-12-31`],
  ['month 13', '/v1/orders', `customer_no=${C}&from=2025-13-01&to=2025-12-31`, `orders?customer_no=${C}&from=2025-13-01&to=2025-12-31`],
  ['day 32', '/v1/invoices', `customer_no=${C}&from=2025-01-32&to=2025-12-31`, `invoices?customer_no=${C}&from=2025-01-32&to=2025-12-31`],
  ['from after to', '/v1/orders', `customer_no=${C}&from=2025-12-31&to=2025-01-01`, `orders?customer_no=${C}&from=2025-12-31&to=2025-01-01`],
  ['to with junk', '/v1/orders', `customer_no=${C}&from=2025-01-01&to=2025-12-31%3Bdrop`, `orders?customer_no=${C}&from=2025-01-01&to=2025-12-31%3Bdrop`],
  ['too many parameters', '/v1/orders', [`customer_no=${C}`, ...Array.from({ length: 40 }, (_, i) => `p${i}=1`)].join('&')],
  ['document id overlong', `/v1/orders/${'x'.repeat(300)}`, `customer_no=${C}`],
  ['backorders without customer', '/v1/backorders', ''],
  ['addresses without customer', '/v1/addresses', 'articles=HAV-6'],
  ['stock with articles twice', '/v1/stock', 'articles=A&articles=B'],
  ['stock article overlong', `/v1/stock/${'x'.repeat(300)}`, ''],
  ['price article overlong', `/v1/prices/${'x'.repeat(300)}`, `customer_no=${C}`],
  ['prices without customer_no', '/v1/prices', 'articles=HAV-6'],
];
for (const [name, path, query, compute] of BAD_QUERIES) {
  if (compute) {
    computed(`query ${name}`, path, query, compute, 400);
    continue;
  }
  hostile(`query ${name} (bearer)`, 'GET', path, query, bearer(), 400);
  const [headers, expected] = signedOrForged(path, query, 400);
  hostile(`query ${name} (signed)`, 'GET', path, query, headers, expected);
}

// Methods other than GET and HEAD, with and without credentials.
for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'PROPFIND', 'PURGE']) {
  hostile(`method ${method} with a valid token`, method, `/v1/customers/${C}/orders/pages/1.json`, '', bearer(), 405);
  hostile(`method ${method} signed`, method, '/v1/orders', SQ, signed(method, '/v1/orders', SQ), 405);
  hostile(`method ${method} without credentials`, method, '/v1/orders', SQ, {}, 405);
}

/** Every case of the table. */
export const CASES: EdgeCase[] = [...VALID, ...COMPUTED, ...CONTAINED, ...HOSTILE];
