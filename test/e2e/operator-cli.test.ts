import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { tmpDir, writeBytes } from '../helpers.ts';

const CLI = ['--import', 'tsx', path.resolve('src/cli.ts')];

function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const clean = { ...process.env };
  delete clean.VENDRE_PULL_TOKEN;
  return spawnSync(process.execPath, [...CLI, ...args], { encoding: 'utf8', env: { ...clean, VENDRE_PULL_LOG_LEVEL: 'info', ...env }, timeout: 60_000 });
}

function sampleConfig(dir: string, extra: Record<string, unknown> = {}): string {
  const raw = parse(readFileSync('samples/vendre-pull.yaml', 'utf8')) as Record<string, unknown>;
  Object.assign(raw, { state: 'state.db', target: 'public', folders: { drop: 'inbox', archive: 'archive', quarantine: 'quarantine' }, inbox: { stableMs: 200 }, serve: { host: '127.0.0.1', port: 0 }, admin: { port: 0 } }, extra);
  return writeBytes(dir, 'vendre-pull.yaml', stringify(raw));
}

test('--version and -V print the package version; an error is followed by one line pointing at --help, not the whole help', () => {
  const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
  for (const flag of ['--version', '-V']) {
    const r = cli([flag]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, `${version}\n`);
  }
  // What commander refuses (an unknown option or command): its message and the one-line pointer.
  for (const args of [['--frobnicate'], ['frobnicate'], ['status', '--frobnicate']]) {
    const r = cli(args);
    assert.equal(r.status, 2, args.join(' '));
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 2, r.stderr);
    assert.match(lines[0]!, /^error: .* \[VP_E_USAGE\]$/);
    assert.equal(lines[1], 'run `vendre-pull --help` for the commands and options');
    assert.equal(r.stdout, '');
  }
  // A value vendre-pull refuses: one line with its code (the catalogue's hint says to run --help).
  const port = cli(['serve', '--port', 'x']);
  assert.equal(port.status, 2);
  assert.equal(port.stderr, 'vendre-pull: --port: "x" is not a port number [VP_E_USAGE_OPTION]\n');
  assert.equal(port.stdout, '');
});

test('read-only commands create nothing: a wrong state file or drop folder is named, exit 2', () => {
  const dir = tmpDir('vp-ro');
  const cfg = sampleConfig(dir, { state: 'nowhere/state.db' });
  for (const args of [['status'], ['status', '--json'], ['verify'], ['backup', path.join(dir, 'b.db')]]) {
    const r = cli(['--config', cfg, ...args]);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /state file .*nowhere\/state\.db does not exist \(`state` in .*vendre-pull\.yaml\)/);
  }
  assert.equal(existsSync(path.join(dir, 'nowhere')), false, 'no folder was created');
  assert.equal(existsSync(path.join(dir, 'public')), false, 'no target folder was created');
  // validate works on an empty store without leaving a state file behind.
  const v = cli(['--config', cfg, 'validate', 'samples/exports/ordrar_20251130.csv']);
  assert.equal(v.status, 0, v.stderr);
  assert.equal(existsSync(path.join(dir, 'nowhere')), false, 'validate created no state');

  // A state file that exists, a drop folder that does not.
  const good = sampleConfig(dir, { folders: { drop: 'no-such-drop', archive: 'archive', quarantine: 'quarantine' } });
  assert.equal(cli(['--config', good, 'ingest', 'samples/exports/ordrar_20251130.csv']).status, 0);
  const s = cli(['--config', good, 'status']);
  assert.equal(s.status, 2, s.stderr);
  assert.match(s.stderr, /drop folder .*no-such-drop does not exist \(`folders\.drop` in .*\)/);
  assert.equal(existsSync(path.join(dir, 'no-such-drop')), false);
  // verify without --repair: a missing local target folder is named too.
  const t = cli(['--config', sampleConfig(dir, { target: 'elsewhere' }), 'verify']);
  assert.equal(t.status, 2, t.stderr);
  assert.match(t.stderr, /target folder .*elsewhere\/v1 does not exist/);
  assert.equal(existsSync(path.join(dir, 'elsewhere')), false);
});

test('run and serve refuse to start when no credential can be accepted, naming the unset variable', () => {
  const dir = tmpDir('vp-auth');
  const cfg = sampleConfig(dir, { auth: { tokens: [{ env: 'VP_TEST_UNSET_TOKEN' }] } });
  for (const args of [['run'], ['serve']]) {
    const r = cli(['--config', cfg, ...args]);
    assert.equal(r.status, 2, `${args[0]}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, /no credential can be accepted, so every request would be refused: environment variable VP_TEST_UNSET_TOKEN is not set \(`auth` in .*vendre-pull\.yaml\)/);
    assert.ok(!r.stderr.includes('<token>') && !r.stdout.includes('<token>'));
  }
  assert.equal(existsSync(path.join(dir, 'inbox')), false, 'run stopped before creating its folders');
});

test('one-shot commands: the report on stdout, JSON logs on stderr, no key twice in a log line; wrong delimiter and UTF-8 on a 1252 feed are named', () => {
  const dir = tmpDir('vp-oneshot');
  const cfg = sampleConfig(dir);
  const latin1 = readFileSync('samples/exports/ordrar_20251130.csv', 'latin1');
  const commas = writeBytes(dir, 'ordrar_commas.csv', Buffer.from(latin1.replace(/;/g, ','), 'latin1'));
  const r = cli(['--config', cfg, 'validate', commas]);
  assert.equal(r.status, 1);
  assert.match(r.stdout, /^ordrar_commas\.csv: rejected \(1 error\(s\)\)\n {2}ordrar_commas\.csv:1 .*the file looks `,`-separated \(its header splits into \d+ columns\) but feed `se-orders` says `;` \(1 column\)/);
  const logs = r.stderr.trim().split('\n');
  assert.ok(logs.length > 0 && logs.every((l) => l.startsWith('{')), r.stderr);
  for (const l of logs) {
    const keys = [...l.matchAll(/"([^"\\]+)":/g)].map((m) => m[1]).filter((k) => k === 'file');
    assert.ok(keys.length <= 1, `"file" once: ${l}`);
  }
  assert.ok(logs.some((l) => JSON.parse(l).file === 'ordrar_commas.csv' && JSON.parse(l).rule === 'delimiter-mismatch'));

  const utf8 = writeBytes(dir, 'ordrar_utf8.csv', Buffer.from(latin1, 'utf8'));
  const u = cli(['--config', cfg, 'validate', utf8]);
  assert.equal(u.status, 1);
  assert.match(u.stdout, /the file looks UTF-8 but the feed says windows-1252: bytes 0xC3 0x\w\w .* would be published as "Ã.*\n {4}hint: set `encoding: utf-8`/);

  // replay and rebuild: a summary on stdout, logs apart.
  assert.equal(cli(['--config', cfg, 'ingest', 'samples/exports/ordrar_20251130.csv']).status, 0);
  const rb = cli(['--config', cfg, 'rebuild']);
  assert.equal(rb.status, 0, rb.stderr);
  assert.match(rb.stdout, /^rebuild: 12 customers rendered, 0 objects written, 0 deleted, \d+ unchanged\n$/);
  assert.ok(rb.stderr.includes('"msg":"rebuild done"'));
});

test('colour in pretty log lines follows NO_COLOR and FORCE_COLOR', () => {
  const script = `import { createLogger } from ${JSON.stringify(path.resolve('src/ops/log.ts'))}; createLogger({ pretty: true, destination: 1 }).info('hello');`;
  const run = (env: NodeJS.ProcessEnv) => {
    const base = { ...process.env };
    delete base.NO_COLOR;
    delete base.FORCE_COLOR;
    return spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', env: { ...base, ...env } }).stdout;
  };
  assert.match(run({}), /\x1b\[/);
  assert.match(run({ NO_COLOR: '1' }), /hello/);
  assert.doesNotMatch(run({ NO_COLOR: '1' }), /\x1b\[/);
  assert.match(run({ NO_COLOR: '1', FORCE_COLOR: '1' }), /\x1b\[/);
  assert.doesNotMatch(run({ FORCE_COLOR: '0' }), /\x1b\[/);
});

test('status: a long feed name widens the feed column instead of breaking it', async () => {
  const { formatStatus } = await import('../../src/cli/status.ts');
  const feed = (name: string) => ({ name, pattern: '*', last_file: { name: 'x.csv', outcome: 'ingested', records: 1, finished_at: '2025-11-30T10:00:00Z', error: null }, last_ingested_at: null });
  const published = { objects: 0, orders: 0, invoices: 0, credit_invoices: 0, backorders: 0, pdfs: 0, list_pages: 0, order_lists: 0, invoice_lists: 0, indexes: 0, addresses: 0, stock: 0, prices: 0, other: 0 };
  const text = formatStatus({
    state: 's', target: 't', feeds: [feed('orders'), feed('business-central-sales-credit-memo-lines')],
    documents: { orders: 0, invoices: 0, credit_invoices: 0, customers: 0, orphan_line_sets: 0 }, published,
    outbox: { depth: 0, failing: 0, last_error: null }, dirty_customers: 0, files: { ingested: 0, rejected: 0, duplicate: 0 },
    inbox: [], quarantine: { count: 0, newest: null }, invalid_documents: [], pdfs_waiting: [],
  });
  const rows = text.split('\n').filter((l) => l.includes('x.csv'));
  assert.equal(rows.length, 2);
  assert.equal(rows[0]!.indexOf('2025-11-30'), rows[1]!.indexOf('2025-11-30'), text);
});
