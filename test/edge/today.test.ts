import { test } from 'node:test';
import assert from 'node:assert/strict';
import { todayIn } from '../../src/edge/compute/answer.ts';

// A price valid from 2026-01-01 applies from midnight in the shop's time zone, not from 01:00 there.
test('today is the calendar date in the configured time zone; UTC without one', () => {
  const lateNewYearsEve = new Date('2025-12-31T23:30:00Z');
  assert.equal(todayIn('Europe/Stockholm', lateNewYearsEve), '2026-01-01');
  assert.equal(todayIn(undefined, lateNewYearsEve), '2025-12-31');
  assert.equal(todayIn('UTC', lateNewYearsEve), '2025-12-31');
  assert.equal(todayIn('America/New_York', new Date('2026-03-01T03:00:00Z')), '2026-02-28');
  assert.equal(todayIn('Europe/Stockholm', new Date('2026-06-30T22:10:00Z')), '2026-07-01', 'summer time (UTC+2)');
});

test('run refuses a time zone this Node.js does not know, naming the key (exit 2), before it takes the lock', async () => {
  const { readFileSync, writeFileSync, existsSync } = await import('node:fs');
  const { parse, stringify } = await import('yaml');
  const { cli, setup } = await import('../faults/daemon.ts');
  const s = setup('tz');
  for (const [key, raw] of [['timeZone', { timeZone: 'Europe/Atlantis' }], ['admin.timeZone', { admin: { port: 0, timeZone: 'Europe/Atlantis' } }]] as const) {
    writeFileSync(s.cfg, stringify({ ...(parse(readFileSync(s.cfg, 'utf8')) as object), ...raw }));
    const r = cli(s.cfg, ['run', '--no-serve']);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, new RegExp(`\`${key.replace('.', '\\.')}\` in .*"Europe/Atlantis" is not a time zone`));
    assert.equal(existsSync(`${s.state}.lock`), false);
  }
});
