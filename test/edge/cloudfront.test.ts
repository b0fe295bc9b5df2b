import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildViewerRequest, MAX_FUNCTION_BYTES } from '../../src/edge/bundle.ts';
import { decide } from '../../src/edge/decide.ts';
import { kvsEntries } from '../../src/edge/kvs.ts';
import { COMPUTE_ORIGIN_ID } from '../../src/edge/cloudfront/kvs-keys.ts';
import { nodeEdgeCrypto, sha256Hex } from '../../src/layout/node-crypto.ts';
import { parseQueryString } from '../../src/edge/query.ts';
import { AUTH_CONFIG, AUTH_ENV, CASES, CREDENTIALS, HOSTILE, NOW, PDF_SECRETS, SETTINGS, TOKENS, VALID, pdfSig, type EdgeCase } from './cases.ts';
import { cfEvent, loadFunction } from './cloudfront-sim.ts';
import { runtimeViolations } from './runtime-check.ts';

const code = await buildViewerRequest(SETTINGS);
const entries = kvsEntries(AUTH_CONFIG, AUTH_ENV);

/** The emitted function's answer, in the decision module's terms. */
async function functionDecision(fn: ReturnType<typeof loadFunction>, c: EdgeCase) {
  const out = await fn.run(cfEvent(c.method, c.path, c.query, c.headers), c.now);
  if ('uri' in out && fn.origin === COMPUTE_ORIGIN_ID) {
    const headers = out.headers as Record<string, unknown>;
    for (const h of ['authorization', 'x-signature', 'x-timestamp']) assert.ok(!(h in headers), `${c.name}: ${h} does not reach the compute origin`);
    const qs = out.querystring as Record<string, { value: string; multiValue?: unknown }>;
    const query = Object.entries(qs).map(([name, v]) => (assert.equal(v.multiValue, undefined), { name, value: v.value }));
    return { action: 'compute', list: String(out.uri).slice('/v1/'.length), query };
  }
  if ('uri' in out) {
    assert.equal(fn.origin, undefined, `${c.name}: a published object comes from the behaviour's origin`);
    assert.ok(String(out.uri).startsWith('/v1/'), c.name);
    assert.deepEqual(out.querystring, {}, `${c.name}: the query is dropped`);
    const headers = out.headers as Record<string, unknown>;
    for (const h of ['authorization', 'x-signature', 'x-timestamp']) assert.ok(!(h in headers), `${c.name}: ${h} does not reach the origin`);
    return { action: 'serve', key: String(out.uri).slice('/v1/'.length) };
  }
  const headers = out.headers as Record<string, { value: string }>;
  assert.equal(headers['content-type']?.value, 'application/json; charset=utf-8', c.name);
  assert.equal(headers['cache-control']?.value, 'no-store', c.name);
  const extra: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (k !== 'content-type' && k !== 'cache-control') extra[k] = v.value;
  const body = out.body as { encoding: string; data: string };
  assert.equal(body.encoding, 'text');
  return { action: 'respond', status: out.statusCode, body: JSON.parse(body.data), ...(Object.keys(extra).length ? { headers: extra } : {}) };
}

test(`the emitted viewer-request.js fits CloudFront's 10 KB (${Buffer.byteLength(code)} bytes)`, () => {
  assert.ok(Buffer.byteLength(code) <= MAX_FUNCTION_BYTES, `${Buffer.byteLength(code)} bytes`);
});

test('the emitted file uses only what cloudfront-js-2.0 offers', () => {
  assert.deepEqual(runtimeViolations(code), []);
  assert.match(code, /^\/\/ vendre-pull viewer-request function/);
  assert.match(code.split('\n')[1]!, /^import \w+ from "crypto";import \w+ from "cloudfront";$/);
  assert.doesNotMatch(code, /old-token|new-token|hmac-secret|pdf-link-secret|[0-9a-f]{64}/, 'no secret and no hash in the code');
});

test('the runtime check catches what the runtime lacks', () => {
  const ok = 'import crypto from "crypto";\nasync function handler(event){ return event.request; }';
  assert.deepEqual(runtimeViolations(ok), []);
  const bad: Record<string, string> = {
    'for-of': 'for (const x of [1]) {}',
    class: 'class A {}',
    destructuring: 'var { a } = {};',
    'array spread': 'var a = [...[1]];',
    'call spread': 'Math.max(...[1]);',
    'object spread': 'var o = { ...{} };',
    'default parameter': 'function f(a = 1) {}',
    'shorthand property': 'var a = 1; var o = { a };',
    method: 'var o = { m() {} };',
    generator: 'function* g() {}',
    'optional chaining': 'var a = {}; a?.b;',
    'named group': 'var r = /(?<y>a)/;',
    'sticky flag': 'var r = /a/y;',
    'RegExp constructor': 'var r = new RegExp("a");',
    require: 'var fs = require("fs");',
    'setTimeout': 'setTimeout(function () {}, 1);',
    fetch: 'fetch("https://example.com");',
    'other module': 'import fs from "fs";',
    export: 'export var x = 1;',
    'async arrow': 'var f = async () => 1;',
    'closure in async': 'async function h(e){ [1].forEach(function (x) {}); }',
    Buffer: 'Buffer.from("a");',
    TextDecoder: 'new TextDecoder();',
  };
  for (const [name, snippet] of Object.entries(bad)) {
    assert.notDeepEqual(runtimeViolations(`${snippet}\nasync function handler(event){ return event.request; }`), [], name);
  }
  assert.notDeepEqual(runtimeViolations('function handler(a, b) {}'), []);
  assert.notDeepEqual(runtimeViolations('var x = 1;'), [], 'no handler');
});

for (const build of ['literal', 'parse'] as const) test(`the emitted function decides every case of the shared table as the module does (${CASES.length} cases, event built by ${build})`, async () => {
  const fn = loadFunction(code, entries, build);
  let served = 0;
  for (const c of CASES) {
    const expected = decide({ method: c.method, path: c.path, query: parseQueryString(c.query), headers: c.headers, now: c.now }, SETTINGS, CREDENTIALS, nodeEdgeCrypto);
    const got = await functionDecision(fn, c);
    assert.deepEqual(got, expected, c.name);
    if ('key' in c.expect) {
      assert.deepEqual(got, { action: 'serve', key: c.expect.key }, c.name);
      served++;
    } else if ('compute' in c.expect) {
      assert.equal(got.action, 'compute', c.name);
    } else {
      assert.equal((got as { status?: number }).status, c.expect.status, c.name);
    }
  }
  assert.ok(served >= VALID.length);
  for (const c of HOSTILE) assert.notEqual((await functionDecision(fn, c)).action, 'serve', c.name);
});

test('the function reads only the KeyValueStore entries it needs', async () => {
  const fn = loadFunction(code, entries);
  const noAuth = VALID[0]!;
  await fn.run(cfEvent('GET', noAuth.path, '', {}), NOW);
  assert.deepEqual(fn.kvsReads, [], 'no credentials: no read');
  await fn.run(cfEvent('GET', noAuth.path, '', { authorization: `Bearer ${TOKENS[0]}` }), NOW);
  assert.deepEqual(fn.kvsReads, [`token.${sha256Hex(TOKENS[0])}`], 'a token: one read, of its own hash');
  fn.kvsReads.length = 0;
  const signedCase = VALID.find((c) => c.name.endsWith('(signed)'))!;
  await fn.run(cfEvent(signedCase.method, signedCase.path, signedCase.query, signedCase.headers), NOW);
  assert.deepEqual(fn.kvsReads, ['hmac.0', 'hmac.1', 'hmac.2'], 'a signature: the secret slots');
  fn.kvsReads.length = 0;
  const pdf = '/v1/customers/10003/invoices/F-2025-1.pdf';
  const out = await fn.run(cfEvent('GET', pdf, pdfSig(pdf), {}), NOW);
  assert.equal(out.uri, pdf);
  assert.deepEqual(fn.kvsReads, ['pdf.0', 'pdf.1', 'pdf.2'], 'a PDF link: the PDF-link slots');
  fn.kvsReads.length = 0;
  await fn.run(cfEvent('GET', pdf, '', {}), NOW);
  assert.deepEqual(fn.kvsReads, [], 'a PDF without sig: no read');
});

test('PDF-link secrets are KeyValueStore entries pdf.0.. in config order; rotation needs no code change', async () => {
  assert.deepEqual(
    entries.filter((e) => e.key.startsWith('pdf.')),
    PDF_SECRETS.map((value, i) => ({ key: `pdf.${i}`, value })),
  );
  const pdf = '/v1/customers/10003/orders/100077.pdf';
  const oldLink = pdfSig(pdf, PDF_SECRETS[1]);
  // The old secret removed from the store: its links are refused, the new one's still work.
  const withoutOld = entries.filter((e) => e.key !== 'pdf.1');
  assert.equal((await loadFunction(code, withoutOld).run(cfEvent('GET', pdf, oldLink, {}), NOW)).statusCode, 401);
  assert.equal((await loadFunction(code, withoutOld).run(cfEvent('GET', pdf, pdfSig(pdf), {}), NOW)).uri, pdf);
  // No PDF-link secret at all: every link is refused, the bearer token still opens the PDF.
  const none = entries.filter((e) => !e.key.startsWith('pdf.'));
  assert.equal((await loadFunction(code, none).run(cfEvent('GET', pdf, pdfSig(pdf), {}), NOW)).statusCode, 401);
  assert.equal((await loadFunction(code, none).run(cfEvent('GET', pdf, '', { authorization: `Bearer ${TOKENS[0]}` }), NOW)).uri, pdf);
  // The sig never reaches the origin or the cache key.
  const served = await loadFunction(code, entries).run(cfEvent('GET', pdf, `${pdfSig(pdf)}&utm_source=mail`, {}), NOW);
  assert.deepEqual(served.querystring, {});
});

test('rotation is a KeyValueStore change, not a code change: a removed entry is refused, an added one accepted', async () => {
  const c = VALID.find((v) => v.name === 'old token during rotation')!;
  const withoutOld = entries.filter((e) => e.key !== `token.${sha256Hex(TOKENS[0])}`);
  const out = await loadFunction(code, withoutOld).run(cfEvent(c.method, c.path, c.query, c.headers), NOW);
  assert.equal(out.statusCode, 403);
  const newToken = 'brand-new-token-789';
  const added = [...entries, { key: `token.${sha256Hex(newToken)}`, value: sha256Hex(newToken) }];
  const ok = await loadFunction(code, added).run(cfEvent('GET', c.path, '', { authorization: `Bearer ${newToken}` }), NOW);
  assert.equal(ok.uri, `/v1/${(c.expect as { key: string }).key}`);
  // An entry whose value is not the hash of its key's token is no use.
  const forged = [{ key: `token.${sha256Hex(newToken)}`, value: 'x'.repeat(64) }];
  assert.equal((await loadFunction(code, forged).run(cfEvent('GET', c.path, '', { authorization: `Bearer ${newToken}` }), NOW)).statusCode, 403);
  // An empty store refuses everything.
  assert.equal((await loadFunction(code, []).run(cfEvent(c.method, c.path, c.query, c.headers), NOW)).statusCode, 403);
});

test('settings are baked in: another prefix and header, bearer only', async () => {
  const other = await buildViewerRequest({ prefix: 'api/v2', header: 'x-vendre-key', bearer: true, signed: false, windowSeconds: 60 });
  assert.deepEqual(runtimeViolations(other), []);
  const fn = loadFunction(other, entries);
  const ok = await fn.run(cfEvent('GET', '/api/v2/orders', 'customer_no=1', { 'x-vendre-key': `Bearer ${TOKENS[1]}` }), NOW);
  assert.equal(ok.uri, '/api/v2/customers/1/orders/pages/1.json');
  assert.equal(ok.headers && (ok.headers as Record<string, unknown>)['x-vendre-key'], undefined);
  const wrongHeader = await fn.run(cfEvent('GET', '/api/v2/orders', 'customer_no=1', { authorization: `Bearer ${TOKENS[1]}` }), NOW);
  assert.equal(wrongHeader.statusCode, 401);
});
