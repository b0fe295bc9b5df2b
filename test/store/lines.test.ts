import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { processFile } from '../../src/ingest/process.ts';
import { openStore } from '../../src/store/db.ts';
import { MIGRATIONS } from '../../src/store/open.ts';
import { appIn, FLAT_HEADER, FLAT_ORDERS_FEED, flatRow, tmpDir, writeBytes, type LocalApp } from '../helpers.ts';

const readJson = (app: LocalApp, key: string): unknown => JSON.parse(readFileSync(app.target.pathOf(key), 'utf8'));

test('a state file at schema 4 (a row per line) keeps every line, in order, when it moves to one row per document', () => {
  const file = path.join(tmpDir('vp-migrate-lines'), 'state.db');
  const db = new Database(file);
  for (const m of MIGRATIONS.slice(0, 4)) m(db);
  db.pragma('user_version = 4');
  db.exec(`
    INSERT INTO docs (kind, id, customer_no, date, header, src_file, src_line) VALUES
      ('order', '1', 'C1', '2025-01-02', '{"id":"1","customer_no":"C1","date":"2025-01-02","currency":"SEK","customer":{},"delivery":{}}', 'a.csv', 2),
      ('order', '2', 'C1', '2025-01-03', '{"id":"2","customer_no":"C1","date":"2025-01-03","currency":"SEK","customer":{},"delivery":{}}', 'a.csv', 4);
    -- Inserted out of order: the order is seq, not arrival.
    INSERT INTO lines (kind, doc_id, seq, line, src_file, src_line) VALUES
      ('order', '1', 1, '{"model":"B","quantity":"2"}', 'a.csv', 3),
      ('order', '1', 0, '{"model":"A","name":"Öl åäö","quantity":"1"}', 'a.csv', 2),
      ('order', '2', 0, '{"model":"C","quantity":"5"}', 'a.csv', 4);
    -- Schema 4 kept a digest for line sets it had seen; order 2's is from before schema 4.
    INSERT INTO line_sets (kind, doc_id, sha256) VALUES ('order', '1', 'digest-of-1');
  `);
  db.close();

  const store = openStore(file);
  assert.equal(store.db.pragma('user_version', { simple: true }), MIGRATIONS.length);
  const docs = new Map(store.customerDocs('C1').map((d) => [d.id, d.lines]));
  assert.deepEqual(docs.get('1'), [{ model: 'A', name: 'Öl åäö', quantity: '1' }, { model: 'B', quantity: '2' }]);
  assert.deepEqual(docs.get('2'), [{ model: 'C', quantity: '5' }]);
  assert.equal(store.lineSet('order', '1')?.sha256, 'digest-of-1');
  // No digest yet: it can never equal a real one, so the next export of order 2 rewrites it.
  assert.equal(store.lineSet('order', '2')?.sha256, '');
  assert.equal(store.db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'lines'").pluck().get(), 0);
  store.close();
});

test('a document whose rows are not next to each other in the file keeps all its lines, in file order', async () => {
  const dir = tmpDir('vp-lines-split');
  const app = appIn(dir, `feeds:${FLAT_ORDERS_FEED}`);
  const rows = [
    flatRow({ id: '10', c: 'C1', date: '20250102', art: 'A' }),
    flatRow({ id: '11', c: 'C1', date: '20250102', art: 'X' }),
    flatRow({ id: '10', c: 'C1', date: '20250102', art: 'B' }),
    flatRow({ id: '10', c: 'C1', date: '20250102', art: 'C' }),
  ];
  const file = writeBytes(path.join(dir, 'in'), 'orders1.csv', [FLAT_HEADER, ...rows].join('\r\n') + '\r\n');
  const report = await processFile(app, file, { move: false, publish: true });
  assert.equal(report.outcome, 'ingested', JSON.stringify(report.errors));
  const order = readJson(app, 'customers/C1/orders/10.json') as { products: Array<{ model: string }> };
  assert.deepEqual(order.products.map((p) => p.model), ['A', 'B', 'C']);

  // The same rows again, in another file: nothing is written. (The customer may be re-rendered: a
  // split document's first rows are compared with its whole stored set before the rest arrive.)
  const again = writeBytes(path.join(dir, 'in'), 'orders2.csv', [FLAT_HEADER, ...rows].join('\r\n') + '\r\n');
  const second = await processFile(app, again, { move: false, publish: true, reapply: true });
  assert.equal(second.outcome, 'ingested');
  assert.equal(second.publish?.written, 0);

  // One line changed: the document is rewritten whole, its other lines kept.
  const changed = writeBytes(path.join(dir, 'in'), 'orders3.csv', [FLAT_HEADER, rows[0], rows[1], rows[2], flatRow({ id: '10', c: 'C1', date: '20250102', art: 'D' })].join('\r\n') + '\r\n');
  const third = await processFile(app, changed, { move: false, publish: true });
  assert.equal(third.publish?.written, 1, 'only the order: its sum is the same, so its list pages are too');
  const after = readJson(app, 'customers/C1/orders/10.json') as { products: Array<{ model: string }> };
  assert.deepEqual(after.products.map((p) => p.model), ['A', 'B', 'D']);
  app.close();
});
