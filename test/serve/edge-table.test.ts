import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../../src/serve/server.ts';
import type { StoredObject } from '../../src/publish/targets/target.ts';
import { silent } from '../helpers.ts';
import { CASES, CONTAINED, CREDENTIALS, HOSTILE, SETTINGS, VALID } from '../edge/cases.ts';
import { rawRequest } from './http.ts';

/** A target holding exactly the keys the valid cases ask for; each object's body is its key, as a JSON string. */
function tableTarget() {
  const keys = new Set(VALID.map((c) => (c.expect as { key: string }).key));
  return {
    async get(key: string): Promise<StoredObject | undefined> {
      if (!keys.has(key)) return undefined;
      const body = Buffer.from(JSON.stringify(key));
      return { body, contentType: 'application/json; charset=utf-8', etag: `"${key.length}"`, size: body.length, cacheControl: 'max-age=60' };
    },
  };
}

test(`serve over HTTP decides every case of the shared table (${CASES.length} requests)`, async () => {
  let clock = 0;
  const server = await startServer({ host: '127.0.0.1', port: 0, edge: SETTINGS, credentials: CREDENTIALS, target: tableTarget(), log: silent(), now: () => clock });
  try {
    for (const c of CASES) {
      clock = c.now;
      const res = await rawRequest(server.url, c.method, c.query ? `${c.path}?${c.query}` : c.path, c.headers);
      if ('compute' in c.expect) {
        // The compute path, over a target with customer 10003's backorders but no index objects:
        // its 400, or a 503 that asks for a rebuild (an empty list would be wrong).
        const body = JSON.parse(res.body.toString()) as Record<string, unknown>;
        if (/^(stock|prices)\?/.test(c.expect.compute) && c.expect.status === 200) {
          // Stock and prices need no index: every article asked is answered, found or not.
          assert.deepEqual([res.status, body.type, body.total], [200, c.expect.compute.startsWith('stock') ? 'stock-list' : 'customer-prices', (body.items as unknown[]).length], c.name);
          continue;
        }
        if (c.expect.status === 200) assert.deepEqual([res.status, body.error], [503, 'not_indexed'], c.name);
        else assert.equal(res.status, 400, c.name);
        assert.deepEqual(Object.keys(body), ['error', 'message'], c.name);
      } else if ('key' in c.expect && !CONTAINED.includes(c)) {
        assert.equal(res.status, 200, c.name);
        if (c.method !== 'HEAD') assert.equal(JSON.parse(res.body.toString()), c.expect.key, c.name);
      } else if ('key' in c.expect) {
        // Contained: the key is inside the customer's prefix and simply does not exist (a list of
        // a customer never exported: an empty list).
        assert.equal(res.status, /\/pages\/\d+\.json$/.test(c.expect.key) ? 200 : 404, c.name);
      } else {
        assert.equal(res.status, c.expect.status, c.name);
        if (c.method !== 'HEAD') assert.deepEqual(Object.keys(JSON.parse(res.body.toString())), ['error', 'message'], c.name);
        assert.equal(res.headers['cache-control'], 'no-store', c.name);
      }
    }
    for (const c of HOSTILE) assert.ok(!('key' in c.expect));
  } finally {
    await server.close();
  }
});
