import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { parse, stringify } from 'yaml';
import { CATALOGUE } from '../../src/errors.ts';
import { tmpDir, writeBytes } from '../helpers.ts';

/** Exit codes and the code in brackets come from the catalogue, for each kind of ending. */

const CLI = ['--import', 'tsx', path.resolve('src/cli.ts')];
const cli = (args: string[]) => spawnSync(process.execPath, [...CLI, ...args], { encoding: 'utf8', env: { ...process.env, VENDRE_PULL_LOG_LEVEL: 'warn' }, timeout: 60_000 });

function sampleConfig(dir: string, extra: Record<string, unknown> = {}): string {
  const raw = parse(readFileSync('samples/vendre-pull.yaml', 'utf8')) as Record<string, unknown>;
  Object.assign(raw, { state: 'state.db', target: 'public', folders: { drop: 'inbox', archive: 'archive', quarantine: 'quarantine' }, admin: { port: 0 } }, extra);
  return writeBytes(dir, 'vendre-pull.yaml', stringify(raw));
}

/** The command's one error line ends with the rule's code in brackets. */
function assertCoded(r: ReturnType<typeof cli>, rule: keyof typeof CATALOGUE): void {
  const e = CATALOGUE[rule];
  assert.equal(r.status, e.exit, `${rule}: exit ${e.exit}\n${r.stderr}`);
  assert.match(r.stderr, new RegExp(`^vendre-pull: .* \\[${e.code}\\]\\n$`), r.stderr);
}

test('config errors exit 2 and name their code: missing or unreadable file, unset variable, YAML syntax, unknown key', () => {
  const dir = tmpDir('vp-exit');
  assertCoded(cli(['--config', path.join(dir, 'missing.yaml'), 'status']), 'config-missing');
  assertCoded(cli(['--config', dir, 'status']), 'config-read'); // a folder: there, but not readable as a file
  assertCoded(cli(['--config', writeBytes(dir, 'env.yaml', 'state: ${VP_TEST_SURELY_UNSET}/state.db\nfeeds: []\n'), 'status']), 'config-env');
  assertCoded(cli(['--config', writeBytes(dir, 'syntax.yaml', 'feeds: [\n'), 'status']), 'config-syntax');
  assertCoded(cli(['--config', writeBytes(dir, 'typo.yaml', 'inbox:\n  stabelMs: 100\nfeeds: []\n'), 'status']), 'config-invalid');
});

test('usage errors exit 2 and name their code', () => {
  const dir = tmpDir('vp-exit');
  const cfg = sampleConfig(dir);
  assertCoded(cli(['--config', cfg, 'ingest', path.join(dir, 'nope.csv')]), 'usage-file');
  assertCoded(cli(['--config', cfg, 'sign', '/x', '--method', 'POST']), 'usage-option');
});

test('a data error exits 1 and names its code', () => {
  const dir = tmpDir('vp-exit');
  const cfg = sampleConfig(dir);
  const broken = writeBytes(dir, 'ordrar_broken.csv', Buffer.from(readFileSync('samples/exports/ordrar_20251130.csv', 'latin1').replace(/20250\d(\d\d)/, '20250230'), 'latin1'));
  const r = cli(['--config', cfg, 'validate', broken]);
  assert.equal(r.status, CATALOGUE['date-invalid'].exit, r.stderr);
  // The report (each error with its code) is on stdout; stderr has the log lines.
  assert.match(r.stdout, /\(rule date-invalid\) \[VP_E_DATE_INVALID\]/, r.stdout);
});

test('a state file written by a newer vendre-pull exits 2 with VP_E_STATE_SCHEMA, naming the file', () => {
  const dir = tmpDir('vp-exit');
  const cfg = sampleConfig(dir);
  const db = new Database(path.join(dir, 'state.db'));
  db.pragma('user_version = 999');
  db.close();
  mkdirSync(path.join(dir, 'inbox')); // status reads the drop folder too: it must exist
  const r = cli(['--config', cfg, 'status']);
  assertCoded(r, 'state-schema');
  assert.match(r.stderr, /state\.db: state file has schema version 999/, r.stderr);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack');
});

test('an error not raised on purpose exits 3 with VP_E_UNEXPECTED and the stack', () => {
  const dir = tmpDir('vp-exit');
  const cfg = sampleConfig(dir);
  // status reads an existing state and drop folder only (it creates neither): an empty store made by rebuild.
  mkdirSync(path.join(dir, 'inbox'));
  assert.equal(cli(['--config', cfg, 'rebuild']).status, 0);
  // A quarantine report that is not JSON (written by hand, cut off): status cannot read it, and nothing in the catalogue covers it.
  writeBytes(path.join(dir, 'quarantine'), 'x.csv.error.json', '{"file": "x.csv", ');
  const r = cli(['--config', cfg, 'status']);
  assert.equal(r.status, 3, r.stderr);
  assert.equal(CATALOGUE.unexpected.exit, 3);
  assert.match(r.stderr, /unexpected error \[VP_E_UNEXPECTED\]: SyntaxError: /, r.stderr);
  assert.match(r.stderr, /\n\s+at /, 'the stack follows');
});
