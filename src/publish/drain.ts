import pLimit from 'p-limit';
import type { Logger } from 'pino';
import type { OutboxEntry, Store } from '../store/db.ts';
import type { Target } from './target.ts';

export interface DrainStats {
  written: number;
  deleted: number;
  failed: number;
  /** Entries still queued when the drain returned. */
  remaining: number;
}

export interface DrainOptions {
  concurrency?: number;
  /** Entries fetched from the store at a time. */
  batch?: number;
  /** Stop between batches when this aborts (shutdown deadline); what is left stays queued. */
  signal?: AbortSignal;
}

/**
 * Sends the outbox to the target, phase by phase: documents, then the lists that point to them,
 * then deletes. An entry leaves the outbox (and the manifest takes it over) only after the target
 * confirmed it. When an entry fails, the drain stops at the end of that batch, so no list is
 * published ahead of a document it points to; the entry is retried on the next cycle.
 */
export async function drainOutbox(store: Store, target: Target, log: Logger, opts: DrainOptions = {}): Promise<DrainStats> {
  const stats: DrainStats = { written: 0, deleted: 0, failed: 0, remaining: 0 };
  const limit = pLimit(opts.concurrency ?? 8);
  const batch = opts.batch ?? 256;
  while (!opts.signal?.aborted) {
    const entries = store.nextOutbox(batch);
    if (entries.length === 0) break;
    const deletes = entries.filter((e) => e.op === 'delete');
    const puts = entries.filter((e) => e.op === 'put');
    let failedNow = 0;
    const fail = (e: OutboxEntry, err: unknown) => {
      failedNow++;
      const message = (err as Error)?.message ?? String(err);
      store.failed(e.key, message);
      log.warn({ key: e.key, customer: e.customer_no, attempts: e.attempts + 1, err: message }, 'publish failed; stays in the outbox');
    };
    await Promise.all(
      puts.map((e) =>
        limit(async () => {
          try {
            await target.put(e.key, e.body!, { contentType: e.content_type!, sha256: e.sha256! });
          } catch (err) {
            return fail(e, err);
          }
          store.confirm(e, e.body!.length);
          stats.written++;
        }),
      ),
    );
    if (deletes.length > 0) {
      try {
        await target.delete(deletes.map((e) => e.key));
        for (const e of deletes) store.confirm(e, 0);
        stats.deleted += deletes.length;
      } catch (err) {
        for (const e of deletes) fail(e, err);
      }
    }
    stats.failed += failedNow;
    if (failedNow > 0) break;
  }
  stats.remaining = store.outboxDepth();
  return stats;
}
