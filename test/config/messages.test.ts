import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { closestKey, loadConfig, loadConfigFor, parseConfig } from '../../src/config/load.ts';
import { ConfigError } from '../../src/errors.ts';
import { FLAT_ORDERS_FEED } from '../helpers.ts';

const FILE = '/etc/vp/vendre-pull.yaml';
const feeds = `feeds:${FLAT_ORDERS_FEED}`;

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err;
  }
  assert.fail('expected a ConfigError');
}

test('closestKey: a typo within about one edit in three characters, case aside; nothing for a stranger', () => {
  const inbox = ['stableMs', 'rescanMs', 'usePolling', 'markers', 'order', 'shutdownMs'];
  assert.equal(closestKey('stabelMs', inbox), 'stableMs');
  assert.equal(closestKey('stablems', inbox), 'stableMs');
  assert.equal(closestKey('rescan', inbox), 'rescanMs');
  assert.equal(closestKey('watchFolder', inbox), undefined);
  assert.equal(closestKey('x', []), undefined);
});

test('an unknown key names the closest known key at its own level', () => {
  const nested = configError(() => parseConfig(`inbox:\n  stabelMs: 500\n${feeds}`, FILE));
  assert.equal(nested.key, 'inbox.stabelMs');
  assert.equal(nested.line, 2);
  assert.match(nested.message, /:2: `inbox\.stabelMs` is not a known key; did you mean `stableMs`\?$/);
  const root = configError(() => parseConfig(`pagesize: 20\n${feeds}`, FILE));
  assert.match(root.message, /`pagesize` is not a known key; did you mean `pageSize`\?$/);
  // Inside a feed (a $ref in the schema) and inside its map (canonical field names).
  const feed = configError(() => parseConfig(feeds.replace('    mode: delta', '    mdoe: delta'), FILE));
  assert.match(feed.message, /`feeds\.0\.mdoe` is not a known key; did you mean `mode`\?$/);
  const field = configError(() => parseConfig(feeds.replace('customer.company: Namn', 'customer.compnay: Namn'), FILE));
  assert.match(field.message, /`feeds\.0\.map\.customer\.compnay` is not a known key; did you mean `customer\.company`\?$/);
  // The suggestion comes from the key's own level: `gzip` is a key of s3, not of serve.
  assert.match(configError(() => parseConfig(`serve:\n  prot: 8080\n${feeds}`, FILE)).message, /`serve\.prot` is not a known key; did you mean `port`\?$/);
  assert.match(configError(() => parseConfig(`serve:\n  gzip: true\n${feeds}`, FILE)).message, /`serve\.gzip` is not a known key$/);
  const none = configError(() => parseConfig(`watchFolder: /srv\n${feeds}`, FILE));
  assert.match(none.message, /`watchFolder` is not a known key$/);
});

test('no config file: the path tried, what named it, and how to name or write one', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'vp-noconfig-'));
  try {
    const flag = configError(() => loadConfigFor(path.join(dir, 'a.yaml'), {}));
    assert.match(flag.message, new RegExp(`^no config file: tried ${path.join(dir, 'a.yaml').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(from --config\\)`));
    const env = configError(() => loadConfigFor(undefined, { VENDRE_PULL_CONFIG: path.join(dir, 'b.yaml') }));
    assert.match(env.message, /b\.yaml \(from VENDRE_PULL_CONFIG\)/);
    const byDefault = configError(() => loadConfigFor(undefined, {}));
    assert.match(byDefault.message, new RegExp(`tried ${path.resolve('vendre-pull.yaml').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(the default, as neither --config nor VENDRE_PULL_CONFIG is set\\)`));
    for (const e of [flag, env, byDefault]) {
      assert.match(e.message, /--config FILE or VENDRE_PULL_CONFIG=FILE/);
      assert.match(e.message, /`vendre-pull init EXPORT_FILE`/);
      assert.doesNotMatch(e.message, /ENOENT/);
    }
    // Something other than a missing file still says what the system said.
    mkdirSync(path.join(dir, 'folder.yaml'));
    assert.match(configError(() => loadConfig(path.join(dir, 'folder.yaml'))).message, /cannot read config file .*folder\.yaml: EISDIR/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const CLI = ['--import', 'tsx', path.resolve('src/cli.ts')];

test('CLI: no config and a typo both exit 2 with one clear line on stderr', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'vp-cli-config-'));
  try {
    const env: NodeJS.ProcessEnv = { ...process.env, VENDRE_PULL_LOG_LEVEL: 'warn' };
    delete env.VENDRE_PULL_CONFIG;
    // `tsx` resolves from the project, so the child runs here and names the missing config by --config.
    const missing = path.join(dir, 'vendre-pull.yaml');
    const noConfig = spawnSync(process.execPath, [...CLI, '--config', missing, 'status'], { encoding: 'utf8', env, timeout: 60_000 });
    assert.equal(noConfig.status, 2, noConfig.stderr);
    assert.match(noConfig.stderr, /^vendre-pull: no config file: tried .*vendre-pull\.yaml \(from --config\)\..*VENDRE_PULL_CONFIG.*vendre-pull init/);
    assert.doesNotMatch(noConfig.stderr, /ENOENT|at .*\.ts:\d+/);
    writeFileSync(missing, `inbox:\n  stabelMs: 500\n${feeds}`);
    const typo = spawnSync(process.execPath, [...CLI, 'status'], { encoding: 'utf8', env: { ...env, VENDRE_PULL_CONFIG: missing }, timeout: 60_000 });
    assert.equal(typo.status, 2, typo.stderr);
    assert.equal(typo.stderr, `vendre-pull: ${missing}:2: \`inbox.stabelMs\` is not a known key; did you mean \`stableMs\`? [VP_E_CONFIG_INVALID]\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
