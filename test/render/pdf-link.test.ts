import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { renderCustomer, type RenderOptions } from '../../src/render/documents.ts';
import { serialize } from '../../src/publish/cycle.ts';
import { decide } from '../../src/edge/decide.ts';
import { nodeEdgeCrypto, pdfLinkSigner } from '../../src/layout/node-crypto.ts';
import { parseQueryString } from '../../src/edge/query.ts';
import { createValidator } from '../../src/render/validate.ts';
import type { StoredDoc } from '../../src/store/db.ts';
import type { DocKind } from '../../src/model.ts';

const SECRET = 'pdf-link-secret-for-tests-0001';
const NEXT = 'pdf-link-secret-for-tests-0002';
const base: RenderOptions = { locale: 'sv-SE', pageSize: 50, publicBaseUrl: 'https://historik.example.se', prefix: 'v1' };
const signed = (secret = SECRET): RenderOptions => ({ ...base, signPdfPath: pdfLinkSigner(secret) });

function doc(kind: DocKind, id: string, pdf = true): StoredDoc {
  return {
    kind,
    id,
    customer_no: 'C 1',
    header: { id, customer_no: 'C 1', date: '2025-03-01', currency: 'SEK', customer: { no: 'C 1' }, delivery: {} },
    lines: [{ quantity: '1', price: '100', vat_rate: '25' }],
    source: { file: 'x', line: 2, record: 1 },
    ...(pdf ? { pdf: { path: '/blobs/x.pdf', sha256: 'a'.repeat(64), size: 10 } } : {}),
  };
}

const DOCS = [doc('invoice', '500001'), doc('order', 'A/7'), doc('credit', '590001'), doc('invoice', '500002', false)];

/** The spec, computed without the project's code: first 128 bits of HMAC-SHA256(secret, "VP1-PDF\n" + path), hex. */
function expectedSig(secret: string, path: string): string {
  return createHmac('sha256', secret).update(`VP1-PDF\n${path}`).digest().subarray(0, 16).toString('hex');
}

function links(opts: RenderOptions): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const d of renderCustomer('C 1', DOCS, opts).documents) if ('pdf_link' in d.body) out[d.key] = d.body.pdf_link;
  return out;
}

test('pdf_link carries ?sig= of exactly its path (VP1-PDF, HMAC-SHA256 truncated to 128 bits, hex)', () => {
  const got = links(signed());
  const path = '/v1/customers/C~201/invoices/500001.pdf';
  assert.equal(got['customers/C~201/invoices/500001.json'], `https://historik.example.se${path}?sig=${expectedSig(SECRET, path)}`);
  const orderPath = '/v1/customers/C~201/orders/A~2F7.pdf';
  assert.equal(got['customers/C~201/orders/A~2F7.json'], `https://historik.example.se${orderPath}?sig=${expectedSig(SECRET, orderPath)}`);
  const creditPath = '/v1/customers/C~201/credit-invoices/590001.pdf';
  assert.equal(got['customers/C~201/credit-invoices/590001.json'], `https://historik.example.se${creditPath}?sig=${expectedSig(SECRET, creditPath)}`);
  assert.equal(got['customers/C~201/invoices/500002.json'], null, 'no PDF, no link');
  for (const link of Object.values(got)) if (link !== null) assert.match(String(link), /^https:\/\/[^?]+\.pdf\?sig=[0-9a-f]{32}$/);
});

test('pdf links are deterministic: the same input and secret give the same bytes; another secret changes every link', () => {
  const a = renderCustomer('C 1', DOCS, signed()).documents.map((d) => [d.key, serialize(d.body).toString('hex')]);
  const b = renderCustomer('C 1', DOCS, signed()).documents.map((d) => [d.key, serialize(d.body).toString('hex')]);
  assert.deepEqual(a, b);
  const one = links(signed());
  const other = links(signed(NEXT));
  for (const key of Object.keys(one)) {
    if (one[key] === null) assert.equal(other[key], null);
    else assert.notEqual(one[key], other[key], key);
  }
  // The documents that changed are exactly those with a PDF: a rotation republishes them, nothing else.
  const before = new Map(renderCustomer('C 1', DOCS, signed()).documents.map((d) => [d.key, serialize(d.body).toString('hex')]));
  const changed = renderCustomer('C 1', DOCS, signed(NEXT)).documents.filter((d) => before.get(d.key) !== serialize(d.body).toString('hex')).map((d) => d.key);
  assert.deepEqual(changed.sort(), ['customers/C~201/credit-invoices/590001.json', 'customers/C~201/invoices/500001.json', 'customers/C~201/orders/A~2F7.json']);
});

test('without a signer the link is the plain URL (as before), and a trailing slash of publicBaseUrl is dropped', () => {
  assert.equal(links(base)['customers/C~201/invoices/500001.json'], 'https://historik.example.se/v1/customers/C~201/invoices/500001.pdf');
  const slash = links({ ...signed(), publicBaseUrl: 'https://historik.example.se/', prefix: 'api/v2' });
  const path = '/api/v2/customers/C~201/invoices/500001.pdf';
  assert.equal(slash['customers/C~201/invoices/500001.json'], `https://historik.example.se${path}?sig=${expectedSig(SECRET, path)}`);
});

test('signed documents still validate against their schemas', () => {
  const validate = createValidator();
  for (const d of renderCustomer('C 1', DOCS, signed()).documents) assert.equal(validate(d.type, d.body), undefined, d.key);
});

test('the edge opens every rendered link, without any header, and only its own PDF', () => {
  const settings = { prefix: 'v1', header: 'authorization', bearer: true, signed: false, windowSeconds: 300 };
  const credentials = { tokenHashes: [], hmacSecrets: [], pdfSecrets: [NEXT, SECRET] };
  const open = (link: string, swapPath?: string) => {
    const u = new URL(link);
    return decide({ method: 'GET', path: swapPath ?? u.pathname, query: parseQueryString(u.search.slice(1)), headers: {}, now: 0 }, settings, credentials, nodeEdgeCrypto);
  };
  const got = Object.values(links(signed())).filter((l): l is string => typeof l === 'string');
  assert.equal(got.length, 3);
  for (const link of got) assert.deepEqual(open(link), { action: 'serve', key: new URL(link).pathname.slice('/v1/'.length) });
  // A link's sig on another document's path, or on the JSON beside it: refused like no credentials.
  assert.equal((open(got[0]!, new URL(got[1]!).pathname) as { status?: number }).status, 401);
  assert.equal((open(got[0]!, new URL(got[0]!).pathname.replace(/\.pdf$/, '.json')) as { status?: number }).status, 401);
  // Not among the edge's secrets: refused.
  assert.equal((decide({ method: 'GET', path: new URL(got[0]!).pathname, query: parseQueryString(new URL(got[0]!).search.slice(1)), headers: {}, now: 0 }, settings, { ...credentials, pdfSecrets: [NEXT] }, nodeEdgeCrypto) as { status?: number }).status, 401);
});
