import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Status } from '../../src/ops/status.ts';
import type { FeedOverview } from '../../src/admin/data.ts';
import { age, freshness, overviewPage, when } from '../../src/admin/views.ts';

const status = (over: Partial<Status> = {}): Status => ({
  state: '/var/lib/vendre-pull/state.db',
  target: 'local directory /srv/public/v1',
  feeds: [
    { name: 'orders', pattern: 'ordrar_*.csv', last_file: null, last_ingested_at: '2025-11-30T10:00:00.000Z' },
    { name: 'invoices', pattern: 'fakturor_*.xml', last_file: null, last_ingested_at: '2025-11-30T11:50:00.000Z' },
    { name: 'credits', pattern: 'kredit_*.csv', last_file: null, last_ingested_at: null },
    { name: 'lines', pattern: 'rader_*.csv', last_file: null, last_ingested_at: null },
  ],
  documents: { orders: 5, invoices: 4, credit_invoices: 2, customers: 3, orphan_line_sets: 0 },
  published: { objects: 0, orders: 0, invoices: 0, credit_invoices: 0, backorders: 0, pdfs: 0, list_pages: 0, order_lists: 0, invoice_lists: 0, indexes: 0, addresses: 0, stock: 0, prices: 0, other: 0 },
  outbox: { depth: 0, failing: 0, last_error: null },
  dirty_customers: 0,
  files: { ingested: 2, rejected: 0, duplicate: 0 },
  inbox: [],
  quarantine: { count: 0, newest: null },
  invalid_documents: [],
  pdfs_waiting: [{ kind: 'invoice', id: '599999', file: 'faktura_599999.pdf', since: '2025-11-30T09:15:00.000Z' }],
  ...over,
});
const feed = (name: string, expectEveryMinutes?: number): FeedOverview => ({ name, pattern: '*', kind: 'orders', format: 'csv', mode: 'delta', expectEveryMinutes, files: [] });

test('freshness: stale past the expected interval or without any good file; no signal without an interval', () => {
  const now = new Date('2025-11-30T12:00:00Z');
  assert.deepEqual(freshness('2025-11-30T10:00:00Z', 60, now), { lastGoodAt: '2025-11-30T10:00:00Z', minutes: 120, stale: true });
  assert.equal(freshness('2025-11-30T11:30:00Z', 60, now).stale, false);
  assert.equal(freshness(null, 60, now).stale, true);
  assert.equal(freshness('2025-11-01T00:00:00Z', undefined, now).stale, false);
  assert.equal(age(125 * 60_000), '2 h 05 min');
  assert.equal(age(3 * 86_400_000 + 2 * 3_600_000), '3 d 2 h');
});

test('overview: per feed the time since its last good file, stale marked; times in the configured zone; credits and waiting PDFs shown', () => {
  const page = overviewPage({
    status: status(),
    feeds: [feed('orders', 60), feed('invoices', 60), feed('credits', 1440), feed('lines')],
    quarantine: [],
    health: { ready: true, problems: [] },
    version: '0.1.0',
    now: new Date('2025-11-30T12:00:00Z'),
    timeZone: 'Europe/Stockholm',
  });
  const fresh = (name: string) => new RegExp(`data-testid="freshness-${name}" data-stale="(yes|no)">(.*?)</p>`).exec(page);
  assert.equal(fresh('orders')?.[1], 'yes');
  assert.match(fresh('orders')![2]!, /stale.*last good file 2 h 00 min ago .*2025-11-30 11:00:00 CET.*expected every 1 h 00 min/);
  assert.equal(fresh('invoices')?.[1], 'no');
  assert.match(fresh('invoices')![2]!, /on time.*last good file 10 min ago/);
  assert.equal(fresh('credits')?.[1], 'yes');
  assert.match(fresh('credits')![2]!, /no good file yet/);
  assert.equal(fresh('lines')?.[1], 'no');
  assert.match(fresh('lines')![2]!, /no expected interval/);
  assert.match(page, /<div class="n err">2<\/div><div class="l">stale feeds/);
  assert.match(page, /<div class="n">2<\/div><div class="l">credit invoices/);
  assert.match(page, /Times in Europe\/Stockholm/);
  assert.match(page, /data-testid="pdfs-waiting"[\s\S]*faktura_599999\.pdf[\s\S]*invoice 599999[\s\S]*2025-11-30 10:15:00 CET/);
  assert.equal(when('2025-07-01T10:00:00.000Z', 'Europe/Stockholm'), '2025-07-01 12:00:00 CEST');
  assert.equal(when('2025-07-01T10:00:00.000Z', 'UTC'), '2025-07-01 10:00:00 UTC');
});
