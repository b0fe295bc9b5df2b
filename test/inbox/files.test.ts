import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, linkSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { moveNoClobber } from '../../src/inbox/files.ts';
import { globToRegExp, isIgnoredName } from '../../src/inbox/names.ts';
import { tmpDir } from '../helpers.ts';

test('moves never overwrite: a clash gets ~N before the extension, still matching the feed pattern', async () => {
  const dir = tmpDir('vp-move');
  const to = path.join(dir, 'archive');
  for (const content of ['one', 'two', 'three']) {
    writeFileSync(path.join(dir, 'ordrar_1.csv'), content);
    await moveNoClobber(path.join(dir, 'ordrar_1.csv'), to);
  }
  assert.deepEqual(readdirSync(to).sort(), ['ordrar_1.csv', 'ordrar_1~1.csv', 'ordrar_1~2.csv']);
  assert.equal(readFileSync(path.join(to, 'ordrar_1~2.csv'), 'utf8'), 'three');
  assert.ok(readdirSync(to).every((n) => globToRegExp('ordrar_*.csv').test(n)));
});

test('a move cut short between link and unlink is completed, not repeated', async () => {
  const dir = tmpDir('vp-move');
  const to = path.join(dir, 'archive');
  const src = path.join(dir, 'f.csv');
  writeFileSync(src, 'data');
  await moveNoClobber(src, to);
  // Simulate the crash: the archive copy exists and the inbox still has the file.
  linkSync(path.join(to, 'f.csv'), src);
  const dest = await moveNoClobber(src, to);
  assert.equal(dest, path.join(to, 'f.csv'));
  assert.deepEqual(readdirSync(to), ['f.csv']);
  assert.equal(existsSync(src), false);
});

test('marker files travel with their file; the report is written under the final name first', async () => {
  const dir = tmpDir('vp-move');
  const to = path.join(dir, 'q');
  writeFileSync(path.join(dir, 'f.csv'), 'x');
  writeFileSync(path.join(dir, 'f.csv.done'), '');
  const dest = await moveNoClobber(path.join(dir, 'f.csv'), to, ['.done'], async (d) => writeFileSync(`${d}.error.json`, '{}'));
  assert.equal(dest, path.join(to, 'f.csv'));
  assert.deepEqual(readdirSync(to).sort(), ['f.csv', 'f.csv.done', 'f.csv.error.json']);
  assert.deepEqual(readdirSync(dir).sort(), ['q']);
});

test('ignored names: temporaries, dotfiles, reports, markers', () => {
  for (const n of ['.x.csv', 'a.csv.tmp', 'a.part', 'a.csv.error.json', 'a.csv.skipped.json']) assert.ok(isIgnoredName(n), n);
  assert.ok(isIgnoredName('a.csv.DONE', ['.done']));
  assert.ok(!isIgnoredName('a.csv', ['.done']));
  assert.ok(globToRegExp('ORDRAR_*.csv').test('ordrar_2025.CSV'));
  assert.ok(!globToRegExp('ordrar_*.csv').test('xordrar_1.csv'));
  assert.ok(!globToRegExp('a.csv').test('abcsv'), 'dots are literal');
});
