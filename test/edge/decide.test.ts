import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkBearer, checkPdfLink, constantTimeEqual } from '../../src/edge/auth.ts';
import { pdfLinkSignature } from '../../src/layout/pdf-link.ts';
import { decide, type EdgeCredentials, type EdgeDecision, type EdgeSettings } from '../../src/edge/decide.ts';
import { nodeEdgeCrypto, sha256Hex } from '../../src/layout/node-crypto.ts';
import { parseQueryString } from '../../src/edge/query.ts';
import { parseKey } from '../../src/layout/keys.ts';
import { CASES, COMPUTED, CONTAINED, CREDENTIALS, HOSTILE, PDF_SECRETS, SETTINGS, VALID, pdfSig, type EdgeCase } from './cases.ts';

const settings: EdgeSettings = { prefix: 'v1', header: 'authorization', bearer: true, signed: false, windowSeconds: 300 };
const creds: EdgeCredentials = { tokenHashes: [sha256Hex('old-token-123'), sha256Hex('new-token-456')], hmacSecrets: [] };
const get = (path: string, auth?: string, method = 'GET') =>
  decide({ method, path, query: [], headers: auth === undefined ? {} : { authorization: auth }, now: Date.now() }, settings, creds, nodeEdgeCrypto);

/** A compute decision as the table spells it: `list?name=value&…`. */
export function computeSpec(d: Extract<EdgeDecision, { action: 'compute' }>): string {
  return `${d.list}?${d.query.map((q) => `${q.name}=${q.value}`).join('&')}`;
}

/** The module's decision for a case of the shared table. */
export function moduleDecision(c: EdgeCase): EdgeDecision {
  return decide({ method: c.method, path: c.path, query: parseQueryString(c.query), headers: c.headers, now: c.now }, SETTINGS, CREDENTIALS, nodeEdgeCrypto);
}

test('constantTimeEqual is a correct equality', () => {
  assert.equal(constantTimeEqual('abc', 'abc'), true);
  assert.equal(constantTimeEqual('abc', 'abd'), false);
  assert.equal(constantTimeEqual('abc', 'ab'), false);
  assert.equal(constantTimeEqual('', ''), true);
  assert.equal(constantTimeEqual('', 'a'), false);
});

test('bearer: missing, malformed, wrong and each of several rotated tokens', () => {
  const h = creds.tokenHashes;
  assert.equal(checkBearer(undefined, h, nodeEdgeCrypto), 'missing');
  assert.equal(checkBearer('', h, nodeEdgeCrypto), 'missing');
  assert.equal(checkBearer('Basic abc', h, nodeEdgeCrypto), 'invalid');
  assert.equal(checkBearer('Bearer nope', h, nodeEdgeCrypto), 'invalid');
  assert.equal(checkBearer('Bearer old-token-123', h, nodeEdgeCrypto), 'ok');
  assert.equal(checkBearer('bearer  new-token-456', h, nodeEdgeCrypto), 'ok');
  assert.equal(checkBearer('Bearer new-token-456', [], nodeEdgeCrypto), 'invalid');
});

test('401 without credentials and 403 with wrong ones, before any routing', () => {
  const a = get('/v1/customers/10001/orders/pages/1.json');
  assert.equal(a.action === 'respond' && a.status, 401);
  const b = get('/v1/customers/10001/orders/pages/1.json', 'Bearer wrong');
  assert.equal(b.action === 'respond' && b.status, 403);
  // An unknown path looks exactly the same to an unauthenticated caller.
  assert.deepEqual(get('/v1/nothing/here'), a);
  assert.deepEqual(get('/v1/nothing/here', 'Bearer wrong'), b);
});

test('authorised requests map to layout keys; anything else is a 404', () => {
  assert.deepEqual(get('/v1/customers/10001/orders/pages/1.json', 'Bearer old-token-123'), { action: 'serve', key: 'customers/10001/orders/pages/1.json' });
  assert.deepEqual(get('/v1/customers/10001/orders/A~20B.json', 'Bearer old-token-123'), { action: 'serve', key: 'customers/10001/orders/A~20B.json' });
  for (const p of ['/v1/customers/10001/../10002/orders/1.json', '/v1/customers/10001/orders/%2e%2e%2f1.json', '/v2/customers/10001/orders/pages/1.json', '/v1/customers/10001/orders/pages/1.json/x']) {
    const d = get(p, 'Bearer old-token-123');
    assert.equal(d.action === 'respond' && d.status, 404, p);
  }
  const post = get('/v1/customers/10001/orders/pages/1.json', 'Bearer old-token-123', 'POST');
  assert.equal(post.action === 'respond' && post.status, 405);
  const bad = get('/v1/customers/%E0%A4%A/orders/1.json', 'Bearer old-token-123');
  assert.equal(bad.action === 'respond' && bad.status, 400);
});

test('modes are configurable: a signed-only edge ignores bearer tokens, a bearer-only edge ignores signatures', () => {
  const token = { authorization: 'Bearer new-token-456' };
  const signedOnly = decide({ method: 'GET', path: '/v1/orders', query: parseQueryString('customer_no=1'), headers: token, now: 0 }, { ...SETTINGS, bearer: false }, CREDENTIALS, nodeEdgeCrypto);
  assert.deepEqual(signedOnly, { action: 'respond', status: 401, body: { error: 'unauthorized', message: 'send X-Timestamp and X-Signature' } });
  const c = VALID.find((v) => v.name.startsWith('query orders, default page (signed)'))!;
  const bearerOnly = decide({ method: c.method, path: c.path, query: parseQueryString(c.query), headers: c.headers, now: c.now }, { ...SETTINGS, signed: false }, CREDENTIALS, nodeEdgeCrypto);
  assert.equal(bearerOnly.action === 'respond' && bearerOnly.status, 401);
});

test('the window is configurable', () => {
  const c = VALID.find((v) => v.name === 'signature 299 s old')!;
  const narrow = decide({ method: c.method, path: c.path, query: parseQueryString(c.query), headers: c.headers, now: c.now }, { ...SETTINGS, windowSeconds: 60 }, CREDENTIALS, nodeEdgeCrypto);
  assert.equal(narrow.action === 'respond' && narrow.status, 403);
});

test(`the shared table: ${CASES.length} cases (${VALID.length} valid, ${COMPUTED.length} computed, ${CONTAINED.length} contained, ${HOSTILE.length} hostile)`, () => {
  assert.ok(HOSTILE.length >= 200, `at least 200 hostile requests, got ${HOSTILE.length}`);
  const names = new Set<string>();
  for (const c of CASES) {
    assert.ok(!names.has(c.name), `duplicate case name ${c.name}`);
    names.add(c.name);
    const d = moduleDecision(c);
    if ('key' in c.expect) assert.deepEqual(d, { action: 'serve', key: c.expect.key }, c.name);
    else if ('compute' in c.expect) assert.equal(d.action === 'compute' ? computeSpec(d) : d.action, c.expect.compute, c.name);
    else assert.equal(d.action === 'respond' ? d.status : `serve ${(d as { key: string }).key}`, c.expect.status, c.name);
  }
  // Served keys stay in the layout and inside the customer named by the request.
  for (const c of [...VALID, ...CONTAINED]) {
    const d = moduleDecision(c);
    assert.ok(d.action === 'serve' && parseKey(d.key), c.name);
  }
  for (const c of HOSTILE) assert.notEqual(moduleDecision(c).action, 'serve', c.name);
});

test('responses carry a JSON error body and no hint about what exists', () => {
  const bodies = new Map<number, Set<string>>();
  for (const c of HOSTILE) {
    const d = moduleDecision(c);
    assert.equal(d.action, 'respond', c.name);
    if (d.action !== 'respond') continue;
    assert.deepEqual(Object.keys(d.body), ['error', 'message']);
    if (!bodies.has(d.status)) bodies.set(d.status, new Set());
    bodies.get(d.status)!.add(JSON.stringify(d.body));
  }
  // One 401 body and one 403 body whatever the path: nothing to tell customers apart.
  assert.equal(bodies.get(401)!.size, 1);
  assert.equal(bodies.get(403)!.size, 1);
  assert.equal(bodies.get(404)!.size, 1);
});

test('PDF links: whatever auth.modes says, only with pdfSecrets, every secret compared (no early exit)', () => {
  const pdf = '/v1/customers/10003/invoices/F-2025-1.pdf';
  const at = (settings: EdgeSettings, credentials: EdgeCredentials, query = pdfSig(pdf)) =>
    decide({ method: 'GET', path: pdf, query: parseQueryString(query), headers: {}, now: 0 }, settings, credentials, nodeEdgeCrypto);
  const served = { action: 'serve', key: 'customers/10003/invoices/F-2025-1.pdf' };
  assert.deepEqual(at({ ...SETTINGS, bearer: false }, CREDENTIALS), served, 'signed-only edge');
  assert.deepEqual(at({ ...SETTINGS, signed: false }, CREDENTIALS), served, 'bearer-only edge');
  const refused = at(SETTINGS, { tokenHashes: CREDENTIALS.tokenHashes, hmacSecrets: CREDENTIALS.hmacSecrets });
  assert.deepEqual(refused, at(SETTINGS, CREDENTIALS, ''), 'no pdfSecrets: the same 401 as no credentials');
  assert.equal(refused.action === 'respond' && refused.status, 401);
  let calls = 0;
  const counting = { sha256Hex: nodeEdgeCrypto.sha256Hex, hmacSha256Hex: (k: string, v: string) => (calls++, nodeEdgeCrypto.hmacSha256Hex(k, v)) };
  const secrets = [PDF_SECRETS[0], PDF_SECRETS[1], 'a-third-pdf-secret-000000'];
  const sig = pdfLinkSignature(PDF_SECRETS[0], pdf, nodeEdgeCrypto);
  assert.equal(checkPdfLink(pdf, [{ name: 'sig', value: sig }], secrets, counting), true);
  assert.equal(calls, 3, 'the first secret matched, the others were still computed');
  calls = 0;
  assert.equal(checkPdfLink(pdf, [{ name: 'sig', value: 'x' }], secrets, counting), false);
  assert.equal(calls, 0, 'a malformed sig is refused before any HMAC');
  assert.equal(checkPdfLink(pdf, [], secrets, counting), false);
  assert.equal(checkPdfLink(pdf, [{ name: 'sig', value: sig }], [], counting), false);
});
