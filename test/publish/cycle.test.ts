import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { processFile } from '../../src/ingest/process.ts';
import { publishDirty } from '../../src/publish/cycle.ts';
import type { PutOptions, Target } from '../../src/publish/targets/target.ts';
import { appIn, FLAT_HEADER, FLAT_ORDERS_FEED, flatRow, tmpDir, writeBytes } from '../helpers.ts';

const csv = (...rows: string[]) => `${[FLAT_HEADER, ...rows].join('\n')}\n`;

/** Records the calls a publish makes, then passes them on to the real local target. */
function recording(inner: Target) {
  const calls: string[] = [];
  const target: Target = {
    description: inner.description,
    check: () => inner.check(),
    put: async (key: string, body: Buffer, opts: PutOptions) => {
      calls.push(`put ${key}`);
      await inner.put(key, body, opts);
    },
    putFile: async (key: string, file: string, opts: PutOptions) => {
      calls.push(`put ${key}`);
      await inner.putFile(key, file, opts);
    },
    delete: async (keys: string[]) => {
      calls.push(...keys.map((k) => `delete ${k}`));
      await inner.delete(keys);
    },
    list: () => inner.list(),
    get: (key: string) => inner.get(key),
  };
  return { target, calls };
}

test('documents are written before the lists that point to them; deletions come last', async () => {
  const dir = tmpDir('vp-cycle');
  const app = appIn(dir, `feeds:${FLAT_ORDERS_FEED}`);
  const file = (name: string, text: string) => writeBytes(path.join(dir, 'in'), name, text);
  await processFile(app, file('orders1.csv', csv(flatRow({ id: '1', c: 'C1', date: '20250102' }))), { move: false, publish: true });
  await processFile(app, file('orders2.csv', csv(flatRow({ id: '1', c: 'C1', date: '20250102', status: 'Makulerad' }), flatRow({ id: '2', c: 'C1', date: '20240105' }))), { move: false, publish: false });
  const { target, calls } = recording(app.target);
  const stats = await publishDirty({ ...app.publishContext(), target });
  assert.deepEqual(calls, [
    'put customers/C1/orders/2.json',
    'put customers/C1/orders/pages/1.json',
    'put customers/C1/orders/years/2024/pages/1.json',
    // The compute path's indexes go with the lists (phase 1); the emptied year's index is deleted.
    'put customers/C1/index.json',
    'put customers/C1/orders/index/2024.json',
    'delete customers/C1/orders/1.json',
    'delete customers/C1/orders/index/2025.json',
    'delete customers/C1/orders/years/2025/pages/1.json',
  ]);
  assert.equal(stats.deleted, 3);
  assert.equal(app.store.dirtyCustomers().length, 0);
  app.close();
});

test('a document that fails its schema is not published, keeps its previous version, and is reported with its source line', async () => {
  const dir = tmpDir('vp-cycle');
  const app = appIn(dir, `feeds:${FLAT_ORDERS_FEED}`);
  const f1 = writeBytes(path.join(dir, 'in'), 'orders1.csv', csv(flatRow({ id: '1', c: 'C1', date: '20250102' })));
  await processFile(app, f1, { move: false, publish: true });
  const key = 'customers/C1/orders/1.json';
  const before = readFileSync(app.target.pathOf(key));
  const f2 = writeBytes(path.join(dir, 'in'), 'orders2.csv', csv(flatRow({ id: '1', c: 'C1', date: '20250102', qty: '3' })));
  await processFile(app, f2, { move: false, publish: false });
  // Fault injection: the schema check refuses this one order.
  const ctx = app.publishContext();
  const validate = (type: Parameters<typeof ctx.validate>[0], body: unknown) =>
    type === 'order' ? 'order does not match schemas/order.schema.json: injected' : ctx.validate(type, body);
  const stats = await publishDirty({ ...ctx, validate });
  assert.equal(stats.invalid, 1);
  assert.ok(readFileSync(app.target.pathOf(key)).equals(before), 'the old version stays');
  const row = app.store.db.prepare('SELECT key, message, src_file, src_line FROM publish_errors').get();
  assert.deepEqual(row, { key, message: 'order does not match schemas/order.schema.json: injected', src_file: 'orders2.csv', src_line: 2 });
  // Fixed on the next cycle: published, and the report is gone.
  app.store.markDirty('C1');
  await publishDirty(app.publishContext());
  assert.ok(!readFileSync(app.target.pathOf(key)).equals(before));
  assert.equal(app.store.db.prepare('SELECT count(*) FROM publish_errors').pluck().get(), 0);
  app.close();
});

test('a failed write stays in the outbox with the manifest unchanged, and the next cycle converges', async () => {
  const dir = tmpDir('vp-cycle');
  const app = appIn(dir, `feeds:${FLAT_ORDERS_FEED}`);
  const f1 = writeBytes(path.join(dir, 'in'), 'orders1.csv', csv(flatRow({ id: '1', c: 'C1', date: '20250102' })));
  await processFile(app, f1, { move: false, publish: false });
  const failing: Target = { ...app.target, description: 'failing', check: async () => {}, delete: async () => {}, put: async () => { throw new Error('disk full (injected)'); }, putFile: async () => { throw new Error('disk full (injected)'); } };
  const stats = await publishDirty({ ...app.publishContext(), target: failing });
  assert.ok(stats.failed >= 1);
  assert.equal(stats.written, 0);
  assert.ok(stats.remaining >= 3, 'the document and its lists are still queued');
  assert.equal(app.store.db.prepare('SELECT count(*) FROM manifest').pluck().get(), 0, 'nothing is marked published that the target did not confirm');
  const row = app.store.db.prepare("SELECT attempts, last_error FROM outbox WHERE key = 'customers/C1/orders/1.json'").get();
  assert.deepEqual(row, { attempts: 1, last_error: 'disk full (injected)' });
  assert.ok(!existsSync(app.target.pathOf('customers/C1/orders/pages/1.json')), 'no list went out ahead of its document');
  const again = await publishDirty(app.publishContext());
  assert.equal(again.remaining, 0);
  assert.ok(existsSync(app.target.pathOf('customers/C1/orders/1.json')));
  assert.equal(app.store.outboxDepth(), 0);
  app.close();
});
