import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, copyFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { tmpDir, writeBytes } from '../helpers.ts';

/** What ops read when not on a terminal: JSON log lines about records name feed, file, line and customer; progress lines; no secrets. */

const CLI = ['--import', 'tsx', path.resolve('src/cli.ts')];
const SECRET = 'literal-secret-token-1234';
const ENV_SECRET = 'env-secret-token-5678';

function config(dir: string, feedsPatch: (feeds: Array<Record<string, unknown>>) => void = () => undefined): string {
  const raw = parse(readFileSync('samples/vendre-pull.yaml', 'utf8')) as Record<string, unknown> & { feeds: Array<Record<string, unknown>> };
  feedsPatch(raw.feeds);
  Object.assign(raw, {
    state: 'state.db',
    target: 'public',
    folders: { drop: 'inbox', archive: 'archive', quarantine: 'quarantine' },
    auth: { tokens: [{ value: SECRET }, { env: 'VP_TEST_TOKEN' }] },
    admin: { port: 0, tokens: [{ value: `${SECRET}-admin` }] },
  });
  return writeBytes(dir, 'vendre-pull.yaml', stringify(raw));
}

const cli = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, [...CLI, ...args], { encoding: 'utf8', env: { ...process.env, VENDRE_PULL_LOG_LEVEL: 'info', VP_TEST_TOKEN: ENV_SECRET, ...env }, timeout: 120_000 });

const jsonLines = (s: string) =>
  s
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

/** The sample order export with one bad date on the line of an order of customer 10003. */
function brokenOrders(dir: string): { file: string; line: number } {
  const lines = readFileSync('samples/exports/ordrar_20251130.csv', 'latin1').split('\r\n');
  const i = lines.findIndex((l, n) => n > 0 && l.split(';')[1] === '10003');
  const cells = lines[i]!.split(';');
  cells[3] = '20251340';
  lines[i] = cells.join(';');
  return { file: writeBytes(dir, 'ordrar_20251201.csv', Buffer.from(lines.join('\r\n'), 'latin1')), line: i + 1 };
}

test('log lines about a record carry feed, file, line and customer (rejected file and skipped record)', () => {
  const dir = tmpDir('vp-logs');
  const bad = brokenOrders(dir);
  const r = cli(['--config', config(dir), 'ingest', bad.file]);
  assert.equal(r.status, 1, r.stderr);
  const err = jsonLines(r.stderr).find((l) => l.code === 'VP_ERR_FIELD');
  assert.ok(err, r.stderr);
  assert.deepEqual({ feed: err.feed, file: err.file, line: err.line, customer: err.customer, level: err.level }, { feed: 'se-orders', file: 'ordrar_20251201.csv', line: bad.line, customer: '10003', level: 50 });

  const skipDir = tmpDir('vp-logs-skip');
  const skipBad = brokenOrders(skipDir);
  const s = cli(['--config', config(skipDir, (feeds) => Object.assign(feeds[0]!, { onError: 'skip-record' })), 'ingest', skipBad.file]);
  assert.equal(s.status, 0, s.stderr);
  const skipped = jsonLines(s.stderr).find((l) => /record skipped/.test(String(l.msg)));
  assert.ok(skipped, s.stderr);
  assert.deepEqual({ feed: skipped.feed, file: skipped.file, line: skipped.line, customer: skipped.customer }, { feed: 'se-orders', file: 'ordrar_20251201.csv', line: skipBad.line, customer: '10003' });
});

test('not on a terminal, replay and rebuild log progress lines (rate, ETA); --no-progress silences them; no secret in any output', () => {
  const dir = tmpDir('vp-progress-cli');
  const cfg = config(dir);
  const archive = path.join(dir, 'archive', '2025', '11', '30');
  mkdirSync(archive, { recursive: true });
  for (const name of ['ordrar_20251130.csv', 'fakturor_20251130.xml']) copyFileSync(path.join('samples/exports', name), path.join(archive, name));
  const r = cli(['--config', cfg, 'replay'], { VENDRE_PULL_PROGRESS_MS: '0' });
  assert.equal(r.status, 0, r.stderr);
  const progress = jsonLines(r.stderr).filter((l) => l.progress);
  const tasks = new Set(progress.map((l) => l.progress));
  assert.ok(tasks.has('replay') && tasks.has('render') && tasks.has('publish'), [...tasks].join(', '));
  const replay = progress.filter((l) => l.progress === 'replay');
  assert.equal(replay[0]!.unit, 'bytes');
  assert.ok(replay.every((l) => typeof l.rate === 'number' && 'eta_s' in l && typeof l.percent === 'number'));
  assert.equal(replay.at(-1)!.percent, 100);
  assert.match(String(replay.at(-1)!.msg), /^replay: 100 % \(.* of .*, .*\/s, done in \d+s\)$/);

  const quiet = cli(['--config', cfg, '--no-progress', 'rebuild'], { VENDRE_PULL_PROGRESS_MS: '0' });
  assert.equal(quiet.status, 0, quiet.stderr);
  assert.equal(jsonLines(quiet.stderr).filter((l) => l.progress).length, 0);
  const loud = cli(['--config', cfg, 'rebuild'], { VENDRE_PULL_PROGRESS_MS: '0' });
  assert.ok(jsonLines(loud.stderr).some((l) => l.progress === 'render'));

  // One-shot commands log to stderr and keep stdout for their report.
  assert.match(r.stdout, /^replay of 2 archived files: /);
  const printed = cli(['--config', cfg, '--print-config', 'status']);
  for (const out of [r.stdout, r.stderr, quiet.stdout, loud.stdout, loud.stderr, printed.stdout, printed.stderr]) {
    assert.ok(!out.includes(SECRET) && !out.includes(ENV_SECRET), 'no token in any output');
  }
});
