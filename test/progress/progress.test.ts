import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { createProgress, formatAmount, formatSeconds, publishProgress, writeAroundBar } from '../../src/ops/progress.ts';
import { tmpDir } from '../helpers.ts';

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const log = pino({ level: 'info', base: undefined }, { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) });
  return { log, lines };
}

class FakeTty extends Writable {
  isTTY = true;
  columns = 120;
  out = '';
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.out += chunk.toString('utf8');
    done();
  }
}

test('not on a terminal: one log line per interval with rate and ETA, and a final line for work that took longer', () => {
  const { log, lines } = capture();
  let now = 0;
  const progress = createProgress({ log, stream: new Writable({ write: (_c, _e, d) => d() }), intervalMs: 1000, now: () => now });
  const bar = progress.start('replay', 10_000_000, 'bytes', '3 files');
  for (let t = 0; t <= 4000; t += 250) {
    now = t;
    bar.update(t * 2000, 'file 1/3');
  }
  bar.finish();
  const periodic = lines.filter((l) => l.percent !== 100);
  assert.equal(periodic.length, 4, JSON.stringify(lines));
  const first = periodic[0]!;
  assert.equal(first.progress, 'replay');
  assert.equal(first.unit, 'bytes');
  assert.equal(first.done, 2_000_000);
  assert.equal(first.total, 10_000_000);
  assert.equal(first.percent, 20);
  assert.equal(first.rate, 2_000_000);
  assert.equal(first.eta_s, 4);
  assert.equal(first.detail, 'file 1/3');
  assert.match(String(first.msg), /^replay: 20 % \(2\.0 MB of 10\.0 MB, 2\.0 MB\/s, ETA 4s\)$/);
  const last = lines.at(-1)!;
  assert.equal(last.percent, 100);
  assert.match(String(last.msg), /done in 4s/);

  // Short work: no line at all (the command's own summary says enough).
  lines.length = 0;
  now = 10_000;
  const quick = progress.start('rebuild', 5, 'customers');
  quick.update(5);
  quick.finish();
  progress.close();
  assert.equal(lines.length, 0);
});

test('on a terminal: a cli-progress bar with amount, rate and ETA, cleared at the end; log lines clear its line first', () => {
  const { log, lines } = capture();
  const tty = new FakeTty();
  const progress = createProgress({ log, stream: tty as unknown as NodeJS.WritableStream & { isTTY: boolean }, delayMs: 0 });
  const bar = progress.start('ingest orders.csv', 1_000_000, 'bytes');
  bar.update(500_000, '1,234 records');
  const file = path.join(tmpDir('vp-progress'), 'log.txt');
  const fd = openSync(file, 'w');
  writeAroundBar(fd, 'a log line\n');
  closeSync(fd);
  assert.equal(readFileSync(file, 'utf8'), 'a log line\n');
  assert.ok(tty.out.includes('\r\x1b[2K'), 'the bar line is cleared before a log line');
  bar.finish();
  progress.close();
  assert.match(tty.out, /ingest orders\.csv \[[=-]+\] 0% \| 0 B\/1\.0 MB \| 0 B\/s \| ETA \?/);
  assert.match(tty.out, /50% \| 500\.0 kB\/1\.0 MB \| .*\/s \| ETA \S+ \| 1,234 records/);
  assert.equal(lines.length, 0, 'no log lines on a terminal');

  // --no-progress: nothing at all.
  const quiet = new FakeTty();
  const off = createProgress({ log, stream: quiet as unknown as NodeJS.WritableStream & { isTTY: boolean }, enabled: false });
  off.start('x', 10, 'objects').update(5);
  off.close();
  assert.equal(quiet.out, '');
});

test('on a terminal, work that is over before the delay (default 1 s) draws no bar at all', () => {
  const { log, lines } = capture();
  const tty = new FakeTty();
  const progress = createProgress({ log, stream: tty as unknown as NodeJS.WritableStream & { isTTY: boolean } });
  const bar = progress.start('ingest small.csv', 1_024, 'bytes');
  bar.update(512, '3 records');
  bar.update(1_024, '6 records');
  bar.finish();
  progress.close();
  assert.equal(tty.out, '', 'a 1 kB file draws nothing');
  assert.equal(lines.length, 0);
});

test('publish hooks: a render bar over customers, then a publish bar over outbox entries', () => {
  const { log, lines } = capture();
  const progress = createProgress({ log, stream: new Writable({ write: (_c, _e, d) => d() }), intervalMs: 0 });
  const hooks = publishProgress(progress);
  hooks.onPlan(1, 2);
  hooks.onPlan(2, 2);
  hooks.onDrain({ op: 'put', keys: ['a'], ok: true, seconds: 0.01, done: 1, total: 3 });
  hooks.onDrain({ op: 'delete', keys: ['b', 'c'], ok: true, seconds: 0.01, done: 3, total: 3 });
  progress.close();
  assert.deepEqual([...new Set(lines.map((l) => l.progress))], ['render', 'publish']);
  assert.deepEqual(lines.filter((l) => l.progress === 'publish').map((l) => l.done).at(-1), 3);
});

test('amounts and durations as people read them', () => {
  assert.equal(formatAmount(999, 'bytes'), '999 B');
  assert.equal(formatAmount(104_000_000, 'bytes'), '104.0 MB');
  assert.equal(formatAmount(220_000, 'objects'), '220,000 objects');
  assert.equal(formatAmount(2.5, 'customers', true), '2.5 customers');
  assert.equal(formatSeconds(42), '42s');
  assert.equal(formatSeconds(125), '2m05s');
  assert.equal(formatSeconds(7260), '2h01m');
});
