import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Inbox, type Completion } from '../../src/inbox/watch.ts';
import { silent, tmpDir } from '../helpers.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A real Inbox on a real folder; records what it hands over, in order. */
async function watching(opts: { stableMs?: number; order?: 'mtime' | 'name'; completion?: (name: string) => Completion; before?: (dir: string) => void }) {
  const dir = tmpDir('vp-inbox');
  opts.before?.(dir);
  const taken: string[] = [];
  const inbox = new Inbox({
    dir,
    stableMs: opts.stableMs ?? 200,
    rescanMs: 500,
    usePolling: false,
    markers: ['.done', '.ok'],
    order: opts.order ?? 'mtime',
    completion: opts.completion ?? (() => 'stable'),
    log: silent(),
    handle: async (file) => {
      taken.push(path.basename(file));
      // As the daemon does (archive, quarantine): a file left in the work folder is handed over again.
      rmSync(file);
    },
  });
  await inbox.start();
  return { dir, taken, inbox };
}

async function until(what: () => boolean, ms = 10_000) {
  const end = Date.now() + ms;
  while (!what()) {
    if (Date.now() > end) return false;
    await sleep(25);
  }
  return true;
}

test('stable: a file still being written is not taken until its size and mtime rest', async () => {
  const w = await watching({ stableMs: 400 });
  const file = path.join(w.dir, 'orders.csv');
  writeFileSync(file, 'a;b\n');
  for (let i = 0; i < 8; i++) {
    await sleep(150);
    appendFileSync(file, `${i};x\n`);
    assert.deepEqual(w.taken, [], `taken while still growing (append ${i})`);
  }
  assert.ok(await until(() => w.taken.length === 1));
  await sleep(600);
  assert.deepEqual(w.taken, ['orders.csv'], 'taken once');
  await w.inbox.stop();
});

test('files present before the start are taken, oldest mtime first; or by name when configured', async () => {
  const seed = (dir: string) => {
    ['c.csv', 'a.csv', 'b.csv'].forEach((n, i) => {
      writeFileSync(path.join(dir, n), 'x\n');
      utimesSync(path.join(dir, n), 1_700_000_000 + i, 1_700_000_000 + i);
    });
  };
  const byTime = await watching({ stableMs: 50, before: seed });
  assert.ok(await until(() => byTime.taken.length === 3));
  assert.deepEqual(byTime.taken, ['c.csv', 'a.csv', 'b.csv']);
  await byTime.inbox.stop();
  const byName = await watching({ stableMs: 50, order: 'name', before: seed });
  assert.ok(await until(() => byName.taken.length === 3));
  assert.deepEqual(byName.taken, ['a.csv', 'b.csv', 'c.csv']);
  await byName.inbox.stop();
});

test('marker: a file is taken only once NAME.done exists, however long it has rested', async () => {
  const w = await watching({ stableMs: 50, completion: () => 'marker' });
  writeFileSync(path.join(w.dir, 'orders.csv'), 'x\n');
  await sleep(800);
  assert.deepEqual(w.taken, []);
  writeFileSync(path.join(w.dir, 'orders.csv.done'), '');
  assert.ok(await until(() => w.taken.length === 1));
  assert.deepEqual(w.taken, ['orders.csv'], 'the marker itself is never taken as a file');
  await w.inbox.stop();
});

test('rename: temporary names are ignored; the renamed file is taken at once', async () => {
  const w = await watching({ stableMs: 60_000, completion: () => 'rename' });
  const tmp = path.join(w.dir, 'orders.csv.tmp');
  writeFileSync(tmp, 'x\n');
  writeFileSync(path.join(w.dir, '.hidden.csv'), 'x\n');
  writeFileSync(path.join(w.dir, 'orders2.csv.part'), 'x\n');
  await sleep(500);
  assert.deepEqual(w.taken, []);
  renameSync(tmp, path.join(w.dir, 'orders.csv'));
  assert.ok(await until(() => w.taken.length === 1, 5000), 'taken without waiting for stableMs');
  assert.deepEqual(w.taken, ['orders.csv']);
  await w.inbox.stop();
});
