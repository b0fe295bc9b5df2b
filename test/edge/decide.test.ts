import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkBearer, constantTimeEqual, sha256Hex } from '../../src/edge/auth.ts';
import { decide, type EdgeConfig } from '../../src/edge/decide.ts';

const cfg: EdgeConfig = { prefix: 'v1', header: 'authorization', tokenHashes: [sha256Hex('old-token-123'), sha256Hex('new-token-456')] };
const get = (path: string, auth?: string, method = 'GET') => decide({ method, path, headers: auth === undefined ? {} : { authorization: auth } }, cfg);

test('constantTimeEqual is a correct equality', () => {
  assert.equal(constantTimeEqual('abc', 'abc'), true);
  assert.equal(constantTimeEqual('abc', 'abd'), false);
  assert.equal(constantTimeEqual('abc', 'ab'), false);
  assert.equal(constantTimeEqual('', ''), true);
  assert.equal(constantTimeEqual('', 'a'), false);
});

test('bearer: missing, malformed, wrong and each of several rotated tokens', () => {
  assert.equal(checkBearer(undefined, cfg.tokenHashes), 'missing');
  assert.equal(checkBearer('', cfg.tokenHashes), 'missing');
  assert.equal(checkBearer('Basic abc', cfg.tokenHashes), 'invalid');
  assert.equal(checkBearer('Bearer nope', cfg.tokenHashes), 'invalid');
  assert.equal(checkBearer('Bearer old-token-123', cfg.tokenHashes), 'ok');
  assert.equal(checkBearer('bearer  new-token-456', cfg.tokenHashes), 'ok');
  assert.equal(checkBearer('Bearer new-token-456', []), 'invalid');
});

test('401 without credentials and 403 with wrong ones, before any routing', () => {
  const a = get('/v1/customers/10001/orders/pages/1.json');
  assert.equal(a.action === 'respond' && a.status, 401);
  const b = get('/v1/customers/10001/orders/pages/1.json', 'Bearer wrong');
  assert.equal(b.action === 'respond' && b.status, 403);
  // An unknown path looks exactly the same to an unauthenticated caller.
  assert.deepEqual(get('/v1/nothing/here'), a);
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
