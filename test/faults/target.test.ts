import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { writeBytes } from '../helpers.ts';
import { archived, cli, daemon, filesUnder, ordersCsv, setup, type Daemon } from './daemon.ts';

const adminUrl = (d: Daemon) => /"url":"(http:\/\/127\.0\.0\.1:\d+)","auth"/.exec(d.out())?.[1];

async function healthz(d: Daemon): Promise<{ status: number; body: { status: string; publish?: string } }> {
  const res = await fetch(`${adminUrl(d)}/healthz`);
  return { status: res.status, body: (await res.json()) as { status: string; publish?: string } };
}

// Finding 5: a target folder deleted behind the daemon is recreated and written again from the manifest, by itself.
test('the target folder deleted behind the running daemon: republished from the manifest without a new file or a restart; the next file is archived', async () => {
  const s = setup('target-gone');
  const d = daemon(s.cfg);
  try {
    await d.waitFor(() => d.out().includes('watching drop folder'), 'start');
    writeBytes(s.inbox, 'orders_1.csv', ordersCsv(1, 30));
    await d.waitFor(() => archived(s.dir).length === 1, 'the first file archived');
    const published = filesUnder(path.join(s.target, 'v1'));
    // Gone at once (a recursive delete races the daemon, which already writes it again).
    renameSync(s.target, `${s.target}.gone`);
    rmSync(`${s.target}.gone`, { recursive: true });
    await d.waitFor(() => d.out().includes('target written again from the manifest'), 'the target written again');
    assert.deepEqual(filesUnder(path.join(s.target, 'v1')), published);
    writeBytes(s.inbox, 'orders_2.csv', ordersCsv(100, 5, 'b'));
    await d.waitFor(() => archived(s.dir).length === 2, 'the next file archived');
    assert.equal(cli(s.cfg, ['verify']).status, 0, 'target and manifest agree');
  } finally {
    assert.equal(await d.stop(), 0);
  }
  // Deleted while the daemon was down: the next start writes it all again by itself.
  const before = filesUnder(path.join(s.target, 'v1'));
  rmSync(s.target, { recursive: true, maxRetries: 10 });
  const again = daemon(s.cfg);
  await again.waitFor(() => again.out().includes('watching drop folder'), 'the next start');
  assert.equal(await again.stop(), 0);
  assert.deepEqual(filesUnder(path.join(s.target, 'v1')), before);
  assert.equal(cli(s.cfg, ['verify']).status, 0);
});

// Finding 6: /healthz fails while the outbox fails; identical failures are logged once, then as counts.
test('/healthz answers 503 while every write fails and 200 once they go through; the failures are not logged one per object', async () => {
  const s = setup('health');
  const d = daemon(s.cfg);
  try {
    await d.waitFor(() => d.out().includes('watching drop folder'), 'start');
    writeBytes(s.inbox, 'orders_1.csv', ordersCsv(1, 5));
    await d.waitFor(() => archived(s.dir).length === 1, 'the first file archived');
    assert.equal((await healthz(d)).status, 200);
    // Every write fails: a file where the prefix folder must be.
    rmSync(path.join(s.target, 'v1'), { recursive: true });
    writeBytes(s.target, 'v1', 'in the way');
    writeBytes(s.inbox, 'orders_2.csv', ordersCsv(100, 40, 'b'));
    await d.waitFor(() => d.out().includes('not archived yet'), 'publishing failing');
    const sick = await healthz(d);
    assert.equal(sick.status, 503);
    assert.match(sick.body.publish ?? '', /outbox entries failing/);
    // The drain tries entry after entry: wait (not a timed assert) until many have failed.
    const failing = () => (JSON.parse(cli(s.cfg, ['status', '--json']).stdout) as { outbox: { failing: number } }).outbox.failing;
    let status = { outbox: { failing: failing() } };
    await d.waitFor(() => (status = { outbox: { failing: failing() } }).outbox.failing >= 20, 'many entries failing');
    const lines = (d.out().match(/"msg":"publish failed; stays in the outbox/g) ?? []).length;
    assert.ok(status.outbox.failing >= 20, `many entries failing (${status.outbox.failing})`);
    assert.ok(lines < status.outbox.failing, `${lines} "publish failed" lines for ${status.outbox.failing} failing entries`);
    rmSync(path.join(s.target, 'v1'));
    await d.waitFor(() => archived(s.dir).length === 2, 'the second file archived once writes work', 120_000);
    assert.equal((await healthz(d)).status, 200);
    // The removed prefix took the first file's objects along: the daemon publishes them again
    // (nothing queued, nothing dirty) before the target matches the manifest. Waited for, not timed.
    const settled = () => {
      const st = JSON.parse(cli(s.cfg, ['status', '--json']).stdout) as { outbox: { depth: number }; dirty_customers: number };
      return st.outbox.depth === 0 && st.dirty_customers === 0;
    };
    await d.waitFor(settled, 'the outbox drained and nothing dirty', 120_000);
  } finally {
    assert.equal(await d.stop(), 0);
  }
  const v = cli(s.cfg, ['verify']);
  assert.equal(v.status, 0, v.stdout + v.stderr);
});
