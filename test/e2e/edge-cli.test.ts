import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { decide } from '../../src/edge/decide.ts';
import { nodeEdgeCrypto, sha256Hex } from '../../src/layout/node-crypto.ts';
import { parseQueryString } from '../../src/edge/query.ts';
import { tmpDir, writeBytes } from '../helpers.ts';
import { cfEvent, loadFunction } from '../edge/cloudfront-sim.ts';
import { runtimeViolations } from '../edge/runtime-check.ts';

const CLI = ['--import', 'tsx', path.resolve('src/cli.ts')];
const SECRET = 'cli-test-hmac-secret-0001';
const ENV_TOKEN = 'token-from-the-environment';

function config(dir: string, auth: Record<string, unknown>): string {
  const raw = parse(readFileSync('samples/vendre-pull.yaml', 'utf8')) as Record<string, unknown>;
  Object.assign(raw, { state: 'state.db', target: 'public', folders: { drop: 'inbox', archive: 'archive', quarantine: 'quarantine' }, auth });
  return writeBytes(dir, 'vendre-pull.yaml', stringify(raw));
}

function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, [...CLI, ...args], { encoding: 'utf8', env: { ...process.env, VENDRE_PULL_LOG_LEVEL: 'warn', VENDRE_PULL_TOKEN: '', ...env }, timeout: 60_000 });
}

const AUTH = { modes: ['bearer', 'signed'], tokens: [{ value: 'demo-token-for-samples-only' }, { env: 'VP_CLI_TOKEN' }], secrets: [{ value: SECRET }] };

test('edge --out writes the function, the KeyValueStore entries (0600) and the 404 body, and prints no secret', async () => {
  const dir = tmpDir('vp-edge');
  const cfg = config(dir, AUTH);
  const out = path.join(dir, 'edge');
  const r = cli(['--config', cfg, 'edge', '--out', out], { VP_CLI_TOKEN: ENV_TOKEN });
  assert.equal(r.status, 0, r.stderr);
  for (const secret of [SECRET, ENV_TOKEN, 'demo-token-for-samples-only', sha256Hex(ENV_TOKEN)]) assert.ok(!`${r.stdout}${r.stderr}`.includes(secret), 'no secret printed');
  assert.match(r.stdout, /viewer-request\.js: \d+ bytes of 10240/);
  const entriesFile = path.join(out, 'kvs-entries.json');
  assert.equal(statSync(entriesFile).mode & 0o777, 0o600);
  const { data } = JSON.parse(readFileSync(entriesFile, 'utf8')) as { data: Array<{ key: string; value: string }> };
  assert.deepEqual(data.map((e) => e.key).sort(), ['hmac.0', `token.${sha256Hex('demo-token-for-samples-only')}`, `token.${sha256Hex(ENV_TOKEN)}`].sort());
  assert.equal(data.find((e) => e.key === 'hmac.0')!.value, SECRET);
  assert.deepEqual(JSON.parse(readFileSync(path.join(out, 'not-found.json'), 'utf8')), { error: 'not_found', message: 'no such document' });
  const code = readFileSync(path.join(out, 'viewer-request.js'), 'utf8');
  assert.ok(Buffer.byteLength(code) <= 10240);
  assert.deepEqual(runtimeViolations(code), []);
  // The deployed pair accepts the environment's token and refuses another.
  const fn = loadFunction(code, data);
  const ok = await fn.run(cfEvent('GET', '/v1/orders', 'customer_no=10003', { authorization: `Bearer ${ENV_TOKEN}` }), Date.now());
  assert.equal(ok.uri, '/v1/customers/10003/orders/pages/1.json');
  assert.equal((await fn.run(cfEvent('GET', '/v1/orders', 'customer_no=10003', { authorization: 'Bearer nope-nope-nope' }), Date.now())).statusCode, 403);
  // A second run over an existing file keeps it private.
  assert.equal(cli(['--config', cfg, 'edge', '--out', out], { VP_CLI_TOKEN: ENV_TOKEN }).status, 0);
  assert.equal(statSync(entriesFile).mode & 0o777, 0o600);
});

test('edge refuses to write entries with a credential missing from the environment (exit 2)', () => {
  const dir = tmpDir('vp-edge');
  const r = cli(['--config', config(dir, AUTH), 'edge', '--out', path.join(dir, 'edge')]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /VP_CLI_TOKEN/);
});

test('sign prints headers that the edge accepts for exactly that request', () => {
  const dir = tmpDir('vp-sign');
  const cfg = config(dir, AUTH);
  const ts = 1_764_000_000;
  const r = cli(['--config', cfg, 'sign', '/v1/orders?customer_no=10003', '--query', 'page=2', '--timestamp', String(ts)]);
  assert.equal(r.status, 0, r.stderr);
  const m = /^-H 'X-Timestamp: (\d+)' -H 'X-Signature: ([0-9a-f]{64})'\n$/.exec(r.stdout);
  assert.ok(m, r.stdout);
  const headers = { 'x-timestamp': m[1]!, 'x-signature': m[2]! };
  const settings = { prefix: 'v1', header: 'authorization', bearer: true, signed: true, windowSeconds: 300 };
  const creds = { tokenHashes: [], hmacSecrets: [SECRET] };
  const at = (query: string, now = ts * 1000) => decide({ method: 'GET', path: '/v1/orders', query: parseQueryString(query), headers, now }, settings, creds, nodeEdgeCrypto);
  assert.deepEqual(at('customer_no=10003&page=2'), { action: 'serve', key: 'customers/10003/orders/pages/2.json' });
  assert.equal((at('customer_no=10003&page=3') as { status?: number }).status, 403);
  assert.equal((at('customer_no=10003&page=2', (ts + 301) * 1000) as { status?: number }).status, 403);
  // A key-relative path and a whole curl command.
  const url = cli(['--config', cfg, 'sign', 'customers/10003/orders/pages/1.json', '--url', 'https://history.example.com/', '--timestamp', String(ts)]);
  assert.match(url.stdout, /^curl -s -H 'X-Timestamp: 1764000000' -H 'X-Signature: [0-9a-f]{64}' 'https:\/\/history\.example\.com\/v1\/customers\/10003\/orders\/pages\/1\.json'\n$/);
});

test('sign in bearer mode names the environment variable, and prints a token only with --show-token', () => {
  const dir = tmpDir('vp-sign');
  const cfg = config(dir, { tokens: [{ env: 'VP_CLI_TOKEN' }] });
  const r = cli(['--config', cfg, 'sign', '/v1/orders?customer_no=1'], { VP_CLI_TOKEN: ENV_TOKEN });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, '-H "Authorization: Bearer $VP_CLI_TOKEN"\n');
  assert.ok(!r.stdout.includes(ENV_TOKEN));
  assert.match(r.stderr, /not printed/);
  const shown = cli(['--config', cfg, 'sign', '/v1/orders', '--show-token'], { VP_CLI_TOKEN: ENV_TOKEN });
  assert.equal(shown.stdout, `-H 'Authorization: Bearer ${ENV_TOKEN}'\n`);
  assert.equal(cli(['--config', cfg, 'sign', '/v1/orders', '--mode', 'signed']).status, 2, 'signed mode is not configured');
  assert.equal(cli(['--config', cfg, 'sign', '/v1/orders', '--method', 'POST']).status, 2);
});

test('--print-config shows modes and window but no HMAC secret', () => {
  const dir = tmpDir('vp-edge');
  const r = cli(['--config', config(dir, AUTH), '--print-config', 'status']);
  assert.equal(r.status, 0, r.stderr);
  const shown = JSON.parse(r.stdout) as { auth: { modes: string[]; windowSeconds: number; secrets: unknown[] } };
  assert.deepEqual(shown.auth.modes, ['bearer', 'signed']);
  assert.equal(shown.auth.windowSeconds, 300);
  assert.deepEqual(shown.auth.secrets, [{ value: '[redacted]' }]);
  assert.ok(!r.stdout.includes(SECRET));
});
