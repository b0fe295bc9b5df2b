/**
 * Prometheus metrics of the daemon (prom-client), served on the admin port at /metrics.
 *
 * Counters are fed by the daemon from what it already has in hand: the FileReport of each file and
 * the drain's per-call events (`onDrain`). Gauges that describe state (outbox depth, seconds since a
 * feed's last good file, stored documents) are read from the store when scraped, so they are right
 * after a restart too. Label values are bounded: feed names come from the config, kinds from the
 * key layout.
 */
import { readdir } from 'node:fs/promises';
import client from 'prom-client';
import type { FileReport } from '../ingest/process.ts';
import type { DrainEvent } from '../publish/drain.ts';
import { parseKey } from '../layout/keys.ts';
import type { Store } from '../store/db.ts';
import { isIgnoredName } from '../inbox/names.ts';

export interface MetricsSource {
  store: Store;
  feeds: readonly { name: string }[];
  quarantineDir: string;
  markers: readonly string[];
  now?: () => number;
}

export interface Metrics {
  readonly registry: client.Registry;
  /** A file taken from the drop folder went through: taken, and its outcome (archived or quarantined, records). */
  fileDone(report: FileReport): void;
  /** One target call of a drain: documents written/deleted per kind, latency, failures. */
  onDrain(e: DrainEvent): void;
  /** The exposition text, and its content type. */
  render(): Promise<{ contentType: string; body: string }>;
}

const NO_FEED = '(none)';

/** What kind of object a key is, for labels: order, invoice, credit, order-list, …, backorders, addresses, stock, pdf, other. */
export function kindOfKey(key: string): string {
  const p = parseKey(key);
  if (!p) return 'other';
  if (p.type === 'backorders' || p.type === 'addresses' || p.type === 'stock') return p.type;
  const singular = p.list === 'orders' ? 'order' : p.list === 'invoices' ? 'invoice' : 'credit';
  if (p.type === 'list') return `${singular}-list`;
  if (p.type === 'pdf') return 'pdf';
  return singular;
}

export function createMetrics(src: MetricsSource, opts: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new client.Registry();
  if (opts.defaultMetrics ?? true) client.collectDefaultMetrics({ register: registry });
  const now = src.now ?? Date.now;

  const taken = new client.Counter({ name: 'vendre_pull_files_taken_total', help: 'Files taken from the drop folder and processed (a file rolled back by a stop is taken again later), per feed.', labelNames: ['feed'], registers: [registry] });
  const archived = new client.Counter({ name: 'vendre_pull_files_archived_total', help: 'Files moved to the archive (applied, or duplicates of applied files), per feed.', labelNames: ['feed'], registers: [registry] });
  const quarantined = new client.Counter({ name: 'vendre_pull_files_quarantined_total', help: 'Files rejected and moved to quarantine, per feed.', labelNames: ['feed'], registers: [registry] });
  const duplicates = new client.Counter({ name: 'vendre_pull_files_duplicate_total', help: 'Files whose bytes had been applied before (archived, not applied again), per feed.', labelNames: ['feed'], registers: [registry] });
  const records = new client.Counter({ name: 'vendre_pull_records_total', help: 'Records read from applied files, per feed.', labelNames: ['feed'], registers: [registry] });
  const skipped = new client.Counter({ name: 'vendre_pull_records_skipped_total', help: 'Bad records skipped (onError: skip-record), per feed.', labelNames: ['feed'], registers: [registry] });
  const written = new client.Counter({ name: 'vendre_pull_documents_written_total', help: 'Objects written to the target, per kind.', labelNames: ['kind'], registers: [registry] });
  const deleted = new client.Counter({ name: 'vendre_pull_documents_deleted_total', help: 'Objects deleted from the target, per kind.', labelNames: ['kind'], registers: [registry] });
  const failures = new client.Counter({ name: 'vendre_pull_publish_failures_total', help: 'Target calls that failed (the entries stay queued and are retried).', labelNames: ['op'], registers: [registry] });
  const latency = new client.Histogram({
    name: 'vendre_pull_publish_duration_seconds',
    help: 'Latency of target calls: one put, or one delete of a batch of keys.',
    labelNames: ['op'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  for (const f of src.feeds) {
    // Zero series exist from the start, so rate() and alerts work before the first file.
    for (const c of [taken, archived, quarantined, duplicates, records, skipped]) c.inc({ feed: f.name }, 0);
  }

  new client.Gauge({
    name: 'vendre_pull_outbox_depth',
    help: 'Writes and deletes decided but not yet confirmed by the target.',
    registers: [registry],
    collect() {
      this.set(src.store.outboxDepth());
    },
  });
  new client.Gauge({
    name: 'vendre_pull_outbox_failing',
    help: 'Outbox entries that failed at least once.',
    registers: [registry],
    collect() {
      this.set(src.store.failingCount());
    },
  });
  const lastGood = () => src.store.lastSuccessPerFeed();
  new client.Gauge({
    name: 'vendre_pull_last_success_timestamp_seconds',
    help: 'Unix time of the last file per feed that was applied (or recognised as a duplicate). Absent until the first one.',
    labelNames: ['feed'],
    registers: [registry],
    collect() {
      this.reset();
      for (const r of lastGood()) this.set({ feed: r.feed }, Date.parse(r.at) / 1000);
    },
  });
  new client.Gauge({
    name: 'vendre_pull_seconds_since_last_success',
    help: 'Seconds since the last file per feed that was applied (or recognised as a duplicate). Absent until the first one: alert on absent() too.',
    labelNames: ['feed'],
    registers: [registry],
    collect() {
      this.reset();
      for (const r of lastGood()) this.set({ feed: r.feed }, Math.max(0, Math.round((now() - Date.parse(r.at)) / 1000)));
    },
  });
  new client.Gauge({
    name: 'vendre_pull_documents_stored',
    help: 'Documents in the store, per kind.',
    labelNames: ['kind'],
    registers: [registry],
    collect() {
      this.reset();
      for (const r of src.store.docsPerKind()) this.set({ kind: r.kind }, r.n);
    },
  });
  new client.Gauge({
    name: 'vendre_pull_quarantine_files',
    help: 'Files in the quarantine folder.',
    registers: [registry],
    async collect() {
      let names: string[] = [];
      try {
        names = await readdir(src.quarantineDir);
      } catch {
        /* not created yet */
      }
      this.set(names.filter((n) => !isIgnoredName(n, src.markers)).length);
    },
  });

  return {
    registry,
    fileDone(r) {
      const feed = r.feed ?? NO_FEED;
      taken.inc({ feed });
      if (r.outcome === 'duplicate') duplicates.inc({ feed });
      if (r.result) {
        records.inc({ feed }, r.result.records);
        if (r.result.skipped.length) skipped.inc({ feed }, r.result.skipped.length);
      }
      if (!r.movedTo) return;
      if (r.outcome === 'rejected') quarantined.inc({ feed });
      else archived.inc({ feed });
    },
    onDrain(e) {
      latency.observe({ op: e.op }, e.seconds);
      if (!e.ok) {
        failures.inc({ op: e.op });
        return;
      }
      const counter = e.op === 'put' ? written : deleted;
      for (const key of e.keys) counter.inc({ kind: kindOfKey(key) });
    },
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
