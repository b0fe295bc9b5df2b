import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify, parse } from 'yaml';
import { tmpDir, writeBytes } from '../helpers.ts';

const CLI = ['--import', 'tsx', path.resolve('src/cli.ts')];

function sampleConfig(dir: string, extra: Record<string, unknown> = {}): string {
  const raw = parse(readFileSync('samples/vendre-pull.yaml', 'utf8')) as Record<string, unknown>;
  Object.assign(raw, { state: 'state.db', target: 'public', folders: { drop: 'inbox', archive: 'archive', quarantine: 'quarantine' }, inbox: { stableMs: 200, rescanMs: 1000 }, admin: { port: 0 } }, extra);
  return writeBytes(dir, 'vendre-pull.yaml', stringify(raw));
}

function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, [...CLI, ...args], { encoding: 'utf8', env: { ...process.env, VENDRE_PULL_LOG_LEVEL: 'warn', ...env }, timeout: 60_000 });
}

test('exit codes: 0 for help, 2 for usage and config errors, 1 for data errors', () => {
  assert.equal(cli(['--help']).status, 0);
  assert.equal(cli(['validate', '--help']).status, 0);
  assert.equal(cli(['frobnicate']).status, 2);
  const dir = tmpDir('vp-cli');
  const bad = writeBytes(dir, 'bad.yaml', 'feeds: []\n');
  const r = cli(['--config', bad, 'status']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /bad\.yaml:1: `feeds` must NOT have fewer than 1 items/);
  const cfg = sampleConfig(dir);
  assert.equal(cli(['--config', cfg, 'validate', path.join(dir, 'nope.csv')]).status, 2);
  const good = cli(['--config', cfg, 'validate', 'samples/exports/ordrar_20251130.csv']);
  assert.equal(good.status, 0, good.stderr);
  const broken = writeBytes(dir, 'ordrar_broken.csv', Buffer.from(readFileSync('samples/exports/ordrar_20251130.csv', 'latin1').replace(/20250\d(\d\d)/, '20250230'), 'latin1'));
  const v = cli(['--config', cfg, 'validate', broken]);
  assert.equal(v.status, 1);
  assert.match(v.stdout, /ordrar_broken\.csv:\d+ field `Orderdatum → date` value "20250230".*date-invalid/);
  // validate changed nothing: it did not even create the state file, which status says is missing.
  const s = cli(['--config', cfg, 'status', '--json']);
  assert.equal(s.status, 2);
  assert.match(s.stderr, /state file .*state\.db does not exist/);
  assert.equal(existsSync(broken), true, 'validate never moves files');
});

test('--print-config shows the effective config without secrets', () => {
  const dir = tmpDir('vp-cli');
  const r = cli(['--config', sampleConfig(dir), '--print-config', 'status']);
  assert.equal(r.status, 0, r.stderr);
  const cfg = JSON.parse(r.stdout);
  assert.equal(cfg.pageSize, 50);
  assert.ok(!r.stdout.includes('demo-token-for-samples-only'));
});

test('--print-config hides every token or secret written in the config and shows the references', () => {
  const dir = tmpDir('vp-cli');
  const cfg = sampleConfig(dir, {
    admin: { port: 0, tokens: [{ value: 'admin-token-in-the-file' }, { env: 'VP_ADMIN_TOKEN' }] },
    auth: { modes: ['bearer', 'signed'], tokens: [{ value: 'pull-token-in-the-file' }, { env: 'VP_PULL_TOKEN' }], secrets: [{ env: 'VP_HMAC' }, { value: 'hmac-secret-in-the-file' }] },
  });
  const r = cli(['--config', cfg, '--print-config', 'status']);
  assert.equal(r.status, 0, r.stderr);
  const shown = JSON.parse(r.stdout);
  assert.deepEqual(shown.admin.tokens, [{ value: '[redacted]' }, { env: 'VP_ADMIN_TOKEN' }]);
  assert.deepEqual(shown.auth.tokens, [{ value: '[redacted]' }, { env: 'VP_PULL_TOKEN' }]);
  assert.deepEqual(shown.auth.secrets, [{ env: 'VP_HMAC' }, { value: '[redacted]' }]);
  assert.doesNotMatch(r.stdout, /-in-the-file/);
});

test('the daemon takes files from a watched folder, archives good ones, quarantines bad ones with a report, keeps going, and stops cleanly on SIGTERM', async () => {
  const dir = tmpDir('vp-daemon');
  const cfg = sampleConfig(dir, { serve: { host: '127.0.0.1', port: 0 } });
  const child = spawn(process.execPath, [...CLI, '--config', cfg, 'run'], { env: { ...process.env, VENDRE_PULL_LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const waitFor = async (what: () => boolean, label: string, ms = 30_000) => {
    const until = Date.now() + ms;
    while (!what()) {
      if (Date.now() > until) assert.fail(`timed out waiting for ${label}\n${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  try {
    await waitFor(() => out.includes('watching drop folder'), 'start');
    const inbox = path.join(dir, 'inbox');
    // A bad file first, then a good one: the bad one must not stop the good one.
    writeFileSync(path.join(inbox, 'ordrar_bad.csv'), 'Ordernr;Kundnr\r\n"unclosed;1\r\n');
    copyFileSync('samples/exports/ordrar_20251130.csv', path.join(inbox, 'ordrar_20251130.csv'));
    await waitFor(() => readdirSync(inbox).length === 0 && out.includes('file archived'), 'both files taken');
    const q = readdirSync(path.join(dir, 'quarantine')).sort();
    assert.deepEqual(q, ['ordrar_bad.csv', 'ordrar_bad.csv.error.json']);
    const report = JSON.parse(readFileSync(path.join(dir, 'quarantine', 'ordrar_bad.csv.error.json'), 'utf8'));
    assert.equal(report.file, 'ordrar_bad.csv');
    assert.ok(report.errors.length >= 1 && report.errors[0].line >= 1 && report.errors[0].rule, JSON.stringify(report));
    const archived = readdirSync(path.join(dir, 'archive'), { recursive: true }).map(String);
    assert.ok(archived.some((f) => f.endsWith('ordrar_20251130.csv')), archived.join(','));
    assert.ok(existsSync(path.join(dir, 'public', 'v1', 'customers', '10003', 'orders', 'pages', '2.json')));
    assert.ok(!out.includes('demo-token-for-samples-only'), 'no token in logs (printCurl is off)');
    // The same bytes again, under another name: recognised, archived, not applied again.
    copyFileSync('samples/exports/ordrar_20251130.csv', path.join(inbox, 'ordrar_again.csv'));
    await waitFor(() => out.includes('same content as an earlier file'), 'duplicate recognised');
    await waitFor(() => readdirSync(inbox).length === 0, 'duplicate archived');
  } finally {
    child.kill('SIGTERM');
  }
  const stopping = Date.now();
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  assert.equal(code, 0, out);
  // The shutdown guarantee is functional (queued work is bounded by inbox.shutdownMs, 8 s), not a speed test.
  assert.ok(Date.now() - stopping < 10_000, `stopped within 10 s (took ${Date.now() - stopping} ms)`);
  const archivedAll = readdirSync(path.join(dir, 'archive'), { recursive: true }).map(String);
  assert.ok(archivedAll.some((f) => f.endsWith('ordrar_again.csv')), 'a duplicate ends in the archive too');
});
