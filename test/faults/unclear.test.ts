import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, chownSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { writeBytes } from '../helpers.ts';
import { cli, ordersCsv, setup } from './daemon.ts';

// Finding 8: a state folder the service user cannot write, or a malformed database, is a message
// naming the path and what to do (exit 2), not "unexpected error" and a stack.

const NOBODY = 65534;

/** Everything readable by the unprivileged user; the state folder and its files owned by root, not writable by others. */
function readOnlyState(s: ReturnType<typeof setup>): void {
  for (const p of [s.dir, path.join(s.dir, 'vendre-pull.yaml')]) chmodSync(p, statSync(p).isDirectory() ? 0o755 : 0o644);
  const stateDir = path.dirname(s.state);
  chmodSync(stateDir, 0o755);
  for (const f of readdirSync(stateDir)) chmodSync(path.join(stateDir, f), 0o644);
  // The rest (drop folder, target, …) belongs to the service user.
  for (const d of ['inbox', 'public', 'archive', 'quarantine']) {
    const p = path.join(s.dir, d);
    try {
      chownSync(p, NOBODY, NOBODY);
    } catch {
      /* not made yet */
    }
  }
}

test('a read-only state folder: writing commands exit 2 naming the folder and the fix; no stack', () => {
  const s = setup('ro-state');
  assert.equal(cli(s.cfg, ['ingest', writeBytes(s.dir, 'orders_1.csv', ordersCsv(1, 3))]).status, 0);
  // As root, permissions do not bind: the CLI runs as an unprivileged user; otherwise the folder is made read-only.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) readOnlyState(s);
  else chmodSync(path.dirname(s.state), 0o555);
  for (const args of [['run', '--no-serve'], ['ingest', path.join(s.dir, 'orders_1.csv')], ['rebuild']]) {
    const r = cli(s.cfg, args, asRoot ? { uid: NOBODY, gid: NOBODY } : {});
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /state folder of .*state\.db is not writable \(EACCES.*give the service user write access/);
    assert.doesNotMatch(r.stderr, /unexpected error|\n\s+at /);
  }
});
