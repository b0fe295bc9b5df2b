import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { parseConfig, loadConfig } from '../../src/config/load.ts';
import { ConfigError } from '../../src/errors.ts';
import { resolveTokens } from '../../src/config/secrets.ts';
import { FLAT_ORDERS_FEED } from '../helpers.ts';

const base = `locale: sv-SE\nfeeds:${FLAT_ORDERS_FEED}`;

function configError(yaml: string): ConfigError {
  try {
    parseConfig(yaml, '/etc/vp/vendre-pull.yaml');
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err;
  }
  assert.fail('expected a ConfigError');
}

test('defaults are applied, paths resolved against the config folder, the result frozen', () => {
  const cfg = parseConfig(base, '/etc/vp/vendre-pull.yaml');
  assert.equal(cfg.pageSize, 50);
  assert.equal(cfg.prefix, 'v1');
  assert.equal(cfg.currency, 'SEK');
  assert.equal(cfg.state, path.resolve('/etc/vp/var/state.db'));
  assert.equal(cfg.folders.drop, path.resolve('/etc/vp/var/inbox'));
  assert.equal(cfg.feeds[0]!.encoding, 'utf-8');
  assert.ok(Object.isFrozen(cfg) && Object.isFrozen(cfg.feeds[0]));
});

test('an unknown key is named with its line', () => {
  const e = configError(`${base}\npagesize: 20\n`);
  assert.equal(e.key, 'pagesize');
  assert.equal(e.line, base.split('\n').length + 1);
  assert.match(e.message, /vendre-pull\.yaml:\d+: `pagesize` is not a known key/);
});

test('a wrong value names the key, line and what was expected', () => {
  const yaml = base.replace('kind: orders', 'kind: order');
  const e = configError(yaml);
  assert.equal(e.key, 'feeds.0.kind');
  assert.equal(e.line, yaml.split('\n').findIndex((l) => l.includes('kind: order')) + 1);
  assert.match(e.message, /must be one of "orders", "order_lines", "invoices", "invoice_lines"/);
  const p = configError(`pageSize: many\n${base}`);
  assert.equal(p.key, 'pageSize');
  assert.equal(p.line, 1);
  assert.match(p.message, /must be integer/);
});

test('semantic checks: header feeds need customer_no and date; bad date format', () => {
  assert.match(configError(base.replace('      date: Datum\n', '')).message, /`feeds\.0\.map` needs `date`/);
  assert.match(configError(base.replace('dateFormat: YYYYMMDD', 'dateFormat: YYMMDD')).message, /feeds\.0\.dateFormat/);
  assert.match(configError(base.replace('format: csv', 'format: xml')).message, /recordPath` is required/);
});

test('YAML syntax errors carry the line', () => {
  const e = configError('feeds:\n  - name: [unclosed\n');
  assert.match(e.message, /vendre-pull\.yaml:\d+: YAML syntax/);
});

test('tokens: literal, environment variable and sha256; unset variables are reported, not fatal', () => {
  const cfg = parseConfig(`auth:\n  tokens:\n    - value: literal-token-1\n    - env: VP_TEST_TOKEN\n    - env: VP_UNSET_TOKEN\n    - sha256: "${'a'.repeat(64)}"\n${base}`, '/x/c.yaml');
  const t = resolveTokens(cfg, { VP_TEST_TOKEN: 'from-env-token' });
  assert.equal(t.hashes.length, 3);
  assert.deepEqual(t.missingEnv, ['VP_UNSET_TOKEN']);
  assert.ok(!t.hashes.includes('literal-token-1'), 'only hashes are kept');
});

test('the bundled sample config is valid', () => {
  const cfg = loadConfig(path.resolve('samples/vendre-pull.yaml'));
  assert.ok(cfg.feeds.length >= 2);
});

test('a PDF pattern that a feed pattern also matches is refused (case-insensitive, as the inbox matches)', () => {
  const pdfs = (pattern: string) => `${base}publicBaseUrl: https://history.example.com\npdfs:\n  - { pattern: "${pattern}", kind: order }\n`;
  const e = configError(pdfs('ORDERS_{id}.CSV'));
  assert.equal(e.key, 'pdfs.0.pattern');
  assert.match(e.message, /overlaps the pattern of feed orders/);
  assert.equal(parseConfig(pdfs('order_{id}.pdf'), '/etc/vp/vendre-pull.yaml').pdfs[0]!.pattern, 'order_{id}.pdf');
});
