import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalPath, canonicalQuery, stringToSign } from '../../src/edge/canonical.ts';
import { checkSignature } from '../../src/edge/auth.ts';
import { hmacSha256Hex, nodeEdgeCrypto } from '../../src/layout/node-crypto.ts';
import { parseQueryString, percentDecode, percentEncode } from '../../src/edge/query.ts';

// A vector written out by hand (and checked with `openssl dgst -sha256 -hmac`), independent of the code.
const VECTOR = {
  method: 'GET',
  path: '/v1/orders/A%7e1%2F2',
  query: 'page=2&customer_no=10%20003&from=2025-01-01&b=%C3%A5&a=x+y&a=',
  timestamp: '1764000000',
  secret: 'hmac-secret-for-tests-0001',
  string: 'VP1-HMAC-SHA256\nGET\n/v1/orders/A~1%2F2\na=&a=x%20y&b=%C3%A5&customer_no=10%20003&from=2025-01-01&page=2\n1764000000',
  signature: '8be83bada749ce69595dfeca699ea87085672ad87caa15e4404880d8da71e737',
};

test('the canonical string and signature of the documented vector', () => {
  assert.equal(stringToSign(VECTOR.method, VECTOR.path, parseQueryString(VECTOR.query), VECTOR.timestamp), VECTOR.string);
  assert.equal(hmacSha256Hex(VECTOR.secret, VECTOR.string), VECTOR.signature);
  const now = Number(VECTOR.timestamp) * 1000;
  const req = { method: 'GET', path: VECTOR.path, query: parseQueryString(VECTOR.query), timestamp: VECTOR.timestamp, signature: VECTOR.signature, now };
  assert.equal(checkSignature(req, [VECTOR.secret], 300, nodeEdgeCrypto), 'ok');
  // The README's simple example.
  const simple = stringToSign('GET', '/v1/orders', parseQueryString('customer_no=10003&page=2'), '1764000000')!;
  assert.equal(simple, 'VP1-HMAC-SHA256\nGET\n/v1/orders\ncustomer_no=10003&page=2\n1764000000');
  assert.equal(hmacSha256Hex(VECTOR.secret, simple), 'e31eb1418306c4b9f3837db8fb8bd7ead4a477edc109ae9cdb65a6a992a14ab6');
});

test('spellings that mean the same sign the same; anything else differs', () => {
  const base = stringToSign('GET', '/v1/orders', parseQueryString('customer_no=10003&page=2'), '1');
  for (const q of ['page=2&customer_no=10003', 'customer_no=%31%30%30%30%33&page=2', 'page=%32&customer_no=10003']) {
    assert.equal(stringToSign('GET', '/v1/orders', parseQueryString(q), '1'), base, q);
  }
  for (const [m, p, q, t] of [['HEAD', '/v1/orders', 'customer_no=10003&page=2', '1'], ['GET', '/v1/invoices', 'customer_no=10003&page=2', '1'], ['GET', '/v1/orders', 'customer_no=10003&page=3', '1'], ['GET', '/v1/orders', 'customer_no=10003&page=2&x=', '1'], ['GET', '/v1/orders', 'customer_no=10003&page=2', '2']]) {
    assert.notEqual(stringToSign(m!, p!, parseQueryString(q!), t!), base, `${m} ${p}?${q} @${t}`);
  }
  assert.equal(canonicalPath('/v1/a%2Fb/c'), '/v1/a%2Fb/c', 'an encoded slash stays inside its segment');
  assert.equal(canonicalQuery(parseQueryString('')), '');
  assert.equal(canonicalQuery(parseQueryString('b=1&a=2&a=1')), 'a=1&a=2&b=1');
  assert.equal(canonicalPath('/v1/%E0%A4%A'), undefined);
  assert.equal(canonicalQuery(parseQueryString('a=%ZZ')), undefined);
});

test('percent-decoding is strict UTF-8; + is a space in queries only', () => {
  assert.equal(percentDecode('a+b%20c', true), 'a b c');
  assert.equal(percentDecode('a+b', false), 'a+b');
  assert.equal(percentDecode('%C3%A5%c3%a5', false), 'åå');
  assert.equal(percentDecode('%F0%9F%98%80', false), '😀');
  for (const bad of ['%', '%4', '%G0', '%C3', '%C0%AF', '%ED%A0%80', '%F4%90%80%80', '%FF']) assert.equal(percentDecode(bad, false), undefined, bad);
  assert.equal(percentEncode("a b/~-._!*'()å"), 'a%20b%2F~-._%21%2A%27%28%29%C3%A5');
  assert.deepEqual(parseQueryString('a=1&&b&c=x=y'), [{ name: 'a', value: '1' }, { name: 'b', value: '' }, { name: 'c', value: 'x=y' }]);
});
