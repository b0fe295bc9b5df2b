import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../src/config/load.ts';
import { resolveHmacSecrets } from '../../src/config/secrets.ts';
import { ConfigError } from '../../src/errors.ts';
import { edgeCredentials, edgeSettings } from '../../src/edge/settings.ts';
import { FLAT_ORDERS_FEED } from '../helpers.ts';

const base = `feeds:${FLAT_ORDERS_FEED}`;
const load = (auth: string) => parseConfig(`auth:\n${auth}\n${base}`, '/x/c.yaml');

test('auth defaults: bearer only, a 300 s window, no secrets', () => {
  const cfg = parseConfig(base, '/x/c.yaml');
  assert.deepEqual(cfg.auth.modes, ['bearer']);
  assert.equal(cfg.auth.windowSeconds, 300);
  assert.deepEqual(cfg.auth.secrets, []);
  assert.deepEqual(edgeSettings(cfg), { prefix: 'v1', header: 'authorization', bearer: true, signed: false, windowSeconds: 300 });
});

test('modes, secrets from literals and the environment, header name lower-cased for the edge', () => {
  const cfg = load('  header: X-Vendre-Key\n  modes: [signed, bearer]\n  windowSeconds: 60\n  tokens:\n    - value: literal-token-1\n  secrets:\n    - value: a-literal-secret-0001\n    - env: VP_TEST_SECRET\n    - env: VP_UNSET_SECRET');
  assert.deepEqual(edgeSettings(cfg), { prefix: 'v1', header: 'x-vendre-key', bearer: true, signed: true, windowSeconds: 60 });
  assert.deepEqual(resolveHmacSecrets(cfg, { VP_TEST_SECRET: 'from-the-env-secret-1' }), { secrets: ['a-literal-secret-0001', 'from-the-env-secret-1'], missingEnv: ['VP_UNSET_SECRET'] });
  const signedOnly = edgeCredentials(load('  modes: [signed]\n  tokens:\n    - value: literal-token-1\n  secrets:\n    - value: a-literal-secret-0001'), {});
  assert.deepEqual(signedOnly.credentials.tokenHashes, [], 'tokens are not accepted when bearer is off');
});

test('auth mistakes are config errors that name the key', () => {
  const err = (auth: string) => {
    try {
      load(auth);
    } catch (e) {
      assert.ok(e instanceof ConfigError);
      return e.key;
    }
    assert.fail('expected a ConfigError');
  };
  assert.equal(err('  modes: [basic]'), 'auth.modes.0');
  assert.equal(err('  modes: []'), 'auth.modes');
  assert.equal(err('  windowSeconds: 0'), 'auth.windowSeconds');
  assert.equal(err('  tokens:\n    - value: has a space'), 'auth.tokens.0.value');
  assert.equal(err('  secrets:\n    - value: short'), 'auth.secrets.0.value');
  assert.equal(err(`  secrets:\n${'    - value: a-literal-secret-0001\n'.repeat(4)}`), 'auth.secrets');
});
