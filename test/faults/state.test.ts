import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import path from 'node:path';
import { writeBytes } from '../helpers.ts';
import { archived, cli, daemon, filesUnder, marker, ordersCsv, setup } from './daemon.ts';

// Finding 4 (and 8): a damaged or lost state is refused with exit 2, a message saying what was found
// and how to recover; verify --repair after it deletes nothing.

/** A daemon that applied two files, killed with SIGKILL after the second: its last commits sit in the -wal. */
async function killedAfterTwo(tag: string) {
  const s = setup(tag);
  const d = daemon(s.cfg);
  await d.waitFor(() => d.out().includes('watching drop folder'), 'start');
  writeBytes(s.inbox, 'orders_1.csv', ordersCsv(1, 20));
  await d.waitFor(() => marker(s.target)?.files === 1, 'the first file published and its marker written');
  writeBytes(s.inbox, 'orders_2.csv', ordersCsv(100, 20, 'b'));
  await d.waitFor(() => marker(s.target)?.files === 2, 'the second file published and its marker written');
  d.child.kill('SIGKILL');
  await d.exited;
  assert.ok(statSync(`${s.state}-wal`).size > 0, 'the -wal holds the last commits');
  return { ...s, published: filesUnder(path.join(s.target, 'v1')) };
}

function refused(r: { status: number | null; stderr: string }, what: RegExp, label: string) {
  assert.equal(r.status, 2, `${label}: ${r.stderr}`);
  assert.match(r.stderr, what, label);
  assert.match(r.stderr, /backup|replay/, `${label}: says how to recover`);
  assert.doesNotMatch(r.stderr, /unexpected error|\n\s+at /, `${label}: no stack trace`);
}

for (const [tag, damage] of [
  ['wal-deleted', (s: { state: string }) => rmSync(`${s.state}-wal`)],
  ['wal-truncated', (s: { state: string }) => truncateSync(`${s.state}-wal`, Math.floor(statSync(`${s.state}-wal`).size / 3))],
  [
    'wal-garbled',
    (s: { state: string }) => {
      const size = statSync(`${s.state}-wal`).size;
      const fd = openSync(`${s.state}-wal`, 'r+');
      writeSync(fd, Buffer.alloc(8192, 0x5a), 0, 8192, Math.floor(size / 3));
      closeSync(fd);
    },
  ],
] as const) {
  test(`after kill -9, a ${tag.replace('-', ' ')} loses commits: run, ingest and verify --repair refuse (exit 2, "behind"), replay recovers`, async () => {
    const s = await killedAfterTwo(`state-${tag}`);
    damage(s);
    refused(cli(s.cfg, ['run', '--no-serve']), /is behind its target|was published from another state/, 'run');
    refused(cli(s.cfg, ['ingest', writeBytes(s.dir, 'orders_3.csv', ordersCsv(300, 2))]), /is behind its target|was published from another state/, 'ingest');
    refused(cli(s.cfg, ['verify', '--repair']), /is behind its target|was published from another state/, 'verify --repair');
    assert.deepEqual(filesUnder(path.join(s.target, 'v1')), s.published, 'nothing was deleted or written');
    // The recovery the message names: replay re-applies the archive (both files are there) and takes the target over.
    assert.equal(archived(s.dir).length, 2);
    const r = cli(s.cfg, ['replay']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(cli(s.cfg, ['verify']).status, 0);
    assert.deepEqual(filesUnder(path.join(s.target, 'v1')), s.published);
    const again = cli(s.cfg, ['ingest', writeBytes(s.dir, 'orders_4.csv', ordersCsv(400, 2))]);
    assert.equal(again.status, 0, again.stderr);
  });
}

test('a 0-byte state file is refused by every command that opens it; verify --repair deletes nothing', async () => {
  const s = await killedAfterTwo('state-empty');
  for (const f of [s.state, `${s.state}-wal`, `${s.state}-shm`]) rmSync(f, { force: true });
  writeFileSync(s.state, '');
  for (const args of [['run', '--no-serve'], ['status'], ['verify'], ['verify', '--repair'], ['rebuild']]) refused(cli(s.cfg, args), /is empty \(0 bytes\)/, args.join(' '));
  assert.deepEqual(filesUnder(path.join(s.target, 'v1')), s.published);
});

test('a state file garbled in the middle is refused as damaged', async () => {
  const s = await killedAfterTwo('state-garbled');
  // Fold the -wal in first (a clean open and close), then damage pages of the main file.
  assert.equal(cli(s.cfg, ['status']).status, 0);
  const size = statSync(s.state).size;
  const fd = openSync(s.state, 'r+');
  writeSync(fd, Buffer.alloc(4096 * 3, 0xa5), 0, 4096 * 3, Math.max(4096 * 2, Math.floor(size / 2 / 4096) * 4096));
  closeSync(fd);
  for (const args of [['run', '--no-serve'], ['ingest', writeBytes(s.dir, 'orders_3.csv', ordersCsv(300, 2))], ['verify', '--repair']]) {
    refused(cli(s.cfg, args), /is damaged|not a usable SQLite database/, args.join(' '));
  }
  assert.deepEqual(filesUnder(path.join(s.target, 'v1')), s.published);
});

test('a file that is not SQLite at all: exit 2 naming the path, no stack', () => {
  const s = setup('state-notdb');
  writeBytes(path.dirname(s.state), 'state.db', 'this is not a database, it is a text file that happens to be here\n'.repeat(100));
  for (const args of [['status'], ['run', '--no-serve']]) {
    const r = cli(s.cfg, args);
    refused(r, /not a usable SQLite database/, args.join(' '));
    assert.ok(r.stderr.includes(s.state), 'names the path');
  }
});

test('a state deleted after it published (a new, empty one) is refused; replay --fresh rebuilds it; verify --repair is held to verify.maxDeleteShare', async () => {
  const s = await killedAfterTwo('state-deleted');
  for (const f of [s.state, `${s.state}-wal`, `${s.state}-shm`, `${s.state}.lock`]) rmSync(f, { force: true });
  refused(cli(s.cfg, ['run', '--no-serve']), /was published from another state/, 'run');
  refused(cli(s.cfg, ['verify', '--repair']), /was published from another state/, 'verify --repair');
  assert.deepEqual(filesUnder(path.join(s.target, 'v1')), s.published);
  // The marker removed too (an operator "cleaning up"): the share guard still keeps the target.
  const markerText = readFileSync(path.join(s.target, '.vendre-pull-state.json'));
  rmSync(path.join(s.target, '.vendre-pull-state.json'));
  const r = cli(s.cfg, ['verify', '--repair']);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /would delete \d+ of the \d+ objects .*verify\.maxDeleteShare.*--force/);
  assert.deepEqual(filesUnder(path.join(s.target, 'v1')), s.published);
  writeFileSync(path.join(s.target, '.vendre-pull-state.json'), markerText);
  const fresh = cli(s.cfg, ['replay', '--fresh']);
  assert.equal(fresh.status, 0, fresh.stderr);
  assert.equal(cli(s.cfg, ['verify']).status, 0);
  assert.deepEqual(filesUnder(path.join(s.target, 'v1')), s.published);
  const d = daemon(s.cfg);
  await d.waitFor(() => d.out().includes('watching drop folder'), 'the daemon starts on the rebuilt state');
  assert.equal(await d.stop(), 0);
});

test('a state restored from an older backup is behind its target: refused until replay re-applies the archive', async () => {
  const s = setup('state-restored');
  const backup = path.join(s.dir, 'old.db');
  assert.equal(cli(s.cfg, ['ingest', writeBytes(s.dir, 'orders_1.csv', ordersCsv(1, 5))]).status, 0);
  assert.equal(cli(s.cfg, ['backup', backup]).status, 0);
  assert.equal(cli(s.cfg, ['ingest', writeBytes(s.dir, 'orders_2.csv', ordersCsv(50, 5, 'b'))]).status, 0);
  for (const f of [s.state, `${s.state}-wal`, `${s.state}-shm`]) rmSync(f, { force: true });
  writeFileSync(s.state, readFileSync(backup));
  refused(cli(s.cfg, ['ingest', writeBytes(s.dir, 'orders_3.csv', ordersCsv(90, 1))]), /is behind its target .* 2 files were applied .* the state has 1 files/, 'ingest');
  assert.equal(cli(s.cfg, ['rebuild']).status, 2);
  assert.equal(cli(s.cfg, ['replay']).status, 0);
  assert.equal(cli(s.cfg, ['ingest', writeBytes(s.dir, 'orders_4.csv', ordersCsv(95, 1))]).status, 0);
});
