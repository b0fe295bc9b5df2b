import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeBytes } from '../helpers.ts';
import { cli, daemon, exists, ordersCsv, setup } from './daemon.ts';

// Finding 3: one daemon or writing command per state; the second exits 2 naming the holder.
test('a second daemon, ingest, replay, rebuild and verify --repair on a held state exit 2 naming pid, host and since; read-only commands still work', async () => {
  const s = setup('lock');
  const d = daemon(s.cfg);
  try {
    await d.waitFor(() => d.out().includes('watching drop folder'), 'the first daemon');
    const file = writeBytes(s.dir, 'orders_1.csv', ordersCsv(1, 3));
    const holder = new RegExp(`in use by \`run\` \\(pid ${d.child.pid} on host ${os.hostname().replace(/[.]/g, '\\.')}, since \\d{4}-\\d\\d-\\d\\dT`);
    for (const args of [['run', '--no-serve'], ['ingest', file], ['replay'], ['replay', '--fresh'], ['rebuild'], ['verify', '--repair']]) {
      const r = cli(s.cfg, args);
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, holder, args.join(' '));
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    }
    const st = cli(s.cfg, ['status', '--json']);
    assert.notEqual(st.status, 2, st.stderr);
    assert.equal(JSON.parse(st.stdout).files.ingested, 0, 'the refused ingest applied nothing');
    assert.notEqual(cli(s.cfg, ['verify']).status, 2);
    assert.equal(cli(s.cfg, ['validate', file]).status, 0);
    assert.equal(cli(s.cfg, ['backup', path.join(s.dir, 'b.db')]).status, 0);
  } finally {
    assert.equal(await d.stop(), 0);
  }
  assert.equal(exists(`${s.state}.lock`), false, 'the lock goes with its holder');
  assert.equal(cli(s.cfg, ['ingest', writeBytes(s.dir, 'orders_2.csv', ordersCsv(1, 2))]).status, 0);
});

test('a lock left by a process that is gone (kill -9) is taken over', async () => {
  const s = setup('lock-stale');
  const d = daemon(s.cfg);
  await d.waitFor(() => d.out().includes('watching drop folder'), 'start');
  d.child.kill('SIGKILL');
  await d.exited;
  assert.ok(exists(`${s.state}.lock`), 'kill -9 leaves the lock file');
  const r = cli(s.cfg, ['ingest', writeBytes(s.dir, 'orders_1.csv', ordersCsv(1, 2))]);
  assert.equal(r.status, 0, r.stderr);
  // Half-written lock (a writer killed between create and write): also taken over.
  writeFileSync(`${s.state}.lock`, '');
  assert.equal(cli(s.cfg, ['rebuild']).status, 0);
});
