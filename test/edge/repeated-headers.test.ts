import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { buildViewerRequest } from '../../src/edge/bundle.ts';
import { kvsEntries } from '../../src/edge/kvs.ts';
import { startServer } from '../../src/serve/server.ts';
import type { StoredObject } from '../../src/publish/targets/target.ts';
import { silent } from '../helpers.ts';
import { AUTH_CONFIG, AUTH_ENV, CREDENTIALS, NOW, SETTINGS, TOKENS, signed } from './cases.ts';
import { cfEvent, loadFunction } from './cloudfront-sim.ts';

const PATH = '/v1/customers/10003/orders/pages/1.json';
const KEY = 'customers/10003/orders/pages/1.json';
const good = `Bearer ${TOKENS[1]}`;
const sig = signed('GET', PATH, '');

/** Each case: header lines as sent, in order (a name twice is a repeated header), and the one answer both must give. */
const CASES: Array<[string, Array<[string, string]>, number]> = [
  ['one valid token', [['authorization', good]], 200],
  ['valid token, then a wrong one', [['authorization', good], ['authorization', 'Bearer wrong-token-000']], 403],
  ['valid token, then an empty header', [['authorization', good], ['authorization', '']], 403],
  ['wrong token, then the valid one', [['authorization', 'Bearer wrong-token-000'], ['authorization', good]], 403],
  ['the valid token twice', [['authorization', good], ['authorization', good]], 403],
  ['two valid tokens', [['authorization', good], ['authorization', `Bearer ${TOKENS[0]}`]], 403],
  ['valid signature', [['x-timestamp', sig['x-timestamp']!], ['x-signature', sig['x-signature']!]], 200],
  ['signature twice', [['x-timestamp', sig['x-timestamp']!], ['x-signature', sig['x-signature']!], ['x-signature', sig['x-signature']!]], 403],
  ['signature, then a junk one', [['x-timestamp', sig['x-timestamp']!], ['x-signature', sig['x-signature']!], ['x-signature', '0'.repeat(64)]], 403],
  ['timestamp twice', [['x-timestamp', sig['x-timestamp']!], ['x-timestamp', sig['x-timestamp']!], ['x-signature', sig['x-signature']!]], 403],
  ['valid token, signature headers repeated', [['authorization', good], ['x-timestamp', sig['x-timestamp']!], ['x-timestamp', '1'], ['x-signature', sig['x-signature']!]], 403],
  ['a repeated header that is no credential', [['authorization', good], ['x-request-id', 'a'], ['x-request-id', 'b']], 200],
];

function send(url: string, lines: Array<[string, string]>): Promise<number> {
  const u = new URL(url);
  // Raw header lines: Node keeps repeats of an array value as separate lines.
  const headers: Record<string, string[]> = {};
  for (const [k, v] of lines) (headers[k] ??= []).push(v);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, path: PATH, headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

test('repeated credential headers: one rule in serve and in the function (403, whatever the values)', async () => {
  const target = {
    async get(key: string): Promise<StoredObject | undefined> {
      return key === KEY ? { body: Buffer.from('{}'), contentType: 'application/json; charset=utf-8', etag: '"1"', size: 2 } : undefined;
    },
  };
  const server = await startServer({ host: '127.0.0.1', port: 0, edge: SETTINGS, credentials: CREDENTIALS, target, log: silent(), now: () => NOW });
  const fn = loadFunction(await buildViewerRequest(SETTINGS), kvsEntries(AUTH_CONFIG, AUTH_ENV));
  try {
    for (const [name, lines, status] of CASES) {
      assert.equal(await send(server.url, lines), status, `serve: ${name}`);
      // CloudFront: the first value in `value`, every value in `multiValue` when there are several.
      const event = cfEvent('GET', PATH, '', {});
      const grouped = new Map<string, string[]>();
      for (const [k, v] of lines) grouped.set(k, [...(grouped.get(k) ?? []), v]);
      for (const [k, vs] of grouped) event.request.headers[k] = vs.length > 1 ? { value: vs[0]!, multiValue: vs.map((value) => ({ value })) } : { value: vs[0]! };
      const out = await fn.run(event, NOW);
      assert.equal('uri' in out ? 200 : out.statusCode, status, `function: ${name}`);
    }
  } finally {
    await server.close();
  }
});
