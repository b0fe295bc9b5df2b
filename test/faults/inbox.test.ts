import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { appendFileSync, readFileSync, renameSync, utimesSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { writeBytes } from '../helpers.ts';
import { archived, cli, daemon, exists, filesUnder, ordersCsv, setup, xmlOrder } from './daemon.ts';

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

// Finding 1: an export renamed over the one being applied is a new file; the archive holds exactly the bytes applied.
test('a file replaced while it is applied: the old bytes are archived as applied, the new bytes are applied as a new file', async () => {
  const s = setup('replaced');
  const d = daemon(s.cfg);
  try {
    await d.waitFor(() => d.out().includes('watching drop folder'), 'start');
    const first = ordersCsv(1, 8000);
    const second = ordersCsv(20_000, 3, 'new');
    writeBytes(s.inbox, 'orders_day.csv', first);
    await d.waitFor(() => exists(path.join(s.inbox, '.taken', 'orders_day.csv')), 'the first export taken');
    // The ERP's next export renamed over the same name, as a careful writer does.
    writeBytes(s.dir, '.next.csv', second);
    renameSync(path.join(s.dir, '.next.csv'), path.join(s.inbox, 'orders_day.csv'));
    await d.waitFor(() => archived(s.dir).length === 2, 'both exports archived', 180_000);
  } finally {
    assert.equal(await d.stop(), 0);
  }
  const inArchive = archived(s.dir).map((a) => sha(a.bytes)).sort();
  const db = new Database(s.state, { readonly: true });
  const history = db.prepare("SELECT sha256 FROM files WHERE outcome = 'ingested' ORDER BY seq").pluck().all() as string[];
  const orders = db.prepare("SELECT count(*) FROM docs WHERE kind = 'order'").pluck().get() as number;
  db.close();
  assert.deepEqual([...history].sort(), inArchive, 'every archived file is the bytes its history row names');
  assert.equal(orders, 8003, 'both exports applied');
  assert.ok(exists(path.join(s.target, 'v1', 'customers', 'C1', 'orders', 'O20000.json')) || filesUnder(path.join(s.target, 'v1')).some((f) => f.includes('O20000')), 'the new export published');
});

// Finding 2: a writer that pauses longer than stableMs does not lose its file.
test('a slow writer pausing longer than stableMs: the cut-off XML and CSV wait ("still being written") and are taken whole', async () => {
  const s = setup('slow-writer');
  const d = daemon(s.cfg);
  try {
    await d.waitFor(() => d.out().includes('watching drop folder'), 'start');
    const xml = path.join(s.inbox, 'orders_slow.xml');
    writeBytes(s.inbox, 'orders_slow.xml', `<?xml version="1.0" encoding="UTF-8"?>\n<Orders>\n${xmlOrder('X1', 'C7')}`);
    const csv = path.join(s.inbox, 'orders_slow.csv');
    const rows = ordersCsv(500, 4).split('\n');
    writeBytes(s.inbox, 'orders_slow.csv', `${rows.slice(0, 3).join('\n')}\n${rows[3]!.slice(0, 10)}`);
    await d.waitFor(() => (d.out().match(/still being written/g) ?? []).length === 2, 'both seen as still being written');
    appendFileSync(xml, `${xmlOrder('X2', 'C8')}</Orders>\n`);
    appendFileSync(csv, `${rows[3]!.slice(10)}\n${rows.slice(4).join('\n')}`);
    await d.waitFor(() => archived(s.dir).length === 2, 'both archived');
  } finally {
    assert.equal(await d.stop(), 0);
  }
  assert.deepEqual(filesUnder(path.join(s.dir, 'quarantine')), [], 'nothing quarantined');
  const published = filesUnder(path.join(s.target, 'v1'));
  for (const id of ['X1', 'X2', 'O500', 'O503']) assert.ok(published.some((f) => f.endsWith(`/${id}.json`)), `${id} published`);
});

test('a cut-off file not modified for writingGraceMs is broken, not being written: quarantined', async () => {
  const s = setup('cut-off-old', '');
  writeBytes(s.inbox, 'orders_old.xml', `<?xml version="1.0"?>\n<Orders>\n${xmlOrder('X1', 'C7')}`);
  const old = Date.now() / 1000 - 3600;
  utimesSync(path.join(s.inbox, 'orders_old.xml'), old, old);
  const d = daemon(s.cfg);
  try {
    await d.waitFor(() => filesUnder(path.join(s.dir, 'quarantine')).length > 0, 'quarantined');
  } finally {
    assert.equal(await d.stop(), 0);
  }
  assert.match(readFileSync(path.join(s.dir, 'quarantine', 'orders_old.xml.error.json'), 'utf8'), /VP_ERR_XML/);
});

test('status lists a file taken and not finished (the work folder) as waiting', () => {
  const s = setup('taken-status');
  writeBytes(path.join(s.inbox, '.taken'), 'orders_1.csv', ordersCsv(1, 2));
  // status reads an existing state only (it creates none): an empty one, as rebuild leaves it.
  assert.equal(cli(s.cfg, ['rebuild']).status, 0);
  const r = cli(s.cfg, ['status', '--json']);
  assert.deepEqual(JSON.parse(r.stdout).inbox, ['orders_1.csv']);
});
