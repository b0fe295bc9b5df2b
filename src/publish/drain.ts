import { stat } from 'node:fs/promises';
import pLimit from 'p-limit';
import type { Logger } from 'pino';
import { CATALOGUE, ErrorCodes, logCode } from '../errors.ts';
import type { OutboxEntry, Store } from '../store/db.ts';
import type { Target } from './targets/target.ts';
import { repeated } from './repeated.ts';

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
  /** After each target call (metrics, progress); keep it cheap. */
  onEntry?: (e: DrainEvent) => void;
}

/** One target call of a drain: a put of one key, or a delete of a batch of keys. */
export interface DrainEvent {
  op: 'put' | 'delete';
  keys: string[];
  ok: boolean;
  /** How long the target took. */
  seconds: number;
  /** Entries handled (confirmed or failed) so far in this drain, of `total` (the depth at the start, or more). */
  done: number;
  total: number;
}

/**
 * Sends the outbox to the target, phase by phase: documents, then the lists that point to them,
 * then deletes. An entry leaves the outbox (and the manifest takes it over) only after the target
 * confirmed it. When an entry fails, the drain stops at the end of that batch, so no list is
 * published ahead of a document it points to; the entry is retried on the next cycle.
 */
export async function drainOutbox(store: Store, target: Target, log: Logger, opts: DrainOptions = {}): Promise<DrainStats> {
  const stats: DrainStats = { written: 0, deleted: 0, failed: 0, remaining: 0 };
  const limit = pLimit(opts.concurrency ?? target.concurrency ?? 8);
  /** Keys whose earlier version a reader may have cached: handed to target.published() at the end. */
  const changed: string[] = [];
  const batch = opts.batch ?? 256;
  let total = opts.onEntry ? store.outboxDepth() : 0;
  let handled = 0;
  const observe = (op: DrainEvent['op'], keys: string[], ok: boolean, started: number) => {
    if (!opts.onEntry) return;
    handled += keys.length;
    total = Math.max(total, handled);
    opts.onEntry({ op, keys, ok, seconds: (performance.now() - started) / 1000, done: handled, total });
  };
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
      // A target that is full or gone fails every entry alike: one line, then counts (src/publish/repeated.ts).
      repeated.warn(
        log,
        `publish:${e.op}:${failureKind(err, message)}`,
        { code: ErrorCodes.PUBLISH, ref: CATALOGUE['publish-failed'].code, rule: 'publish-failed', key: e.key, customer: e.customer_no, attempts: e.attempts + 1, err: message },
        'publish failed; stays in the outbox',
      );
    };
    const done: Array<{ entry: OutboxEntry; size: number; etag?: string }> = [];
    await Promise.all(
      puts.map((e) =>
        limit(async () => {
          const opts = { contentType: e.content_type!, sha256: e.sha256! };
          let size = e.body?.length ?? 0;
          const started = performance.now();
          let etag: string | undefined;
          try {
            if (e.body_path) {
              etag = (await target.putFile(e.key, e.body_path, opts))?.etag;
              size = (await stat(e.body_path)).size;
            } else {
              etag = (await target.put(e.key, e.body!, opts))?.etag;
            }
          } catch (err) {
            observe('put', [e.key], false, started);
            return fail(e, err);
          }
          observe('put', [e.key], true, started);
          done.push({ entry: e, size, etag });
          stats.written++;
        }),
      ),
    );
    if (deletes.length > 0) {
      const started = performance.now();
      try {
        // Per-key failures (S3 DeleteObjects reports them in a 200 response) stay queued; the rest are confirmed.
        const failures = new Map(((await target.delete(deletes.map((e) => e.key))) ?? []).map((f) => [f.key, f.error]));
        observe('delete', deletes.map((e) => e.key), failures.size === 0, started);
        for (const e of deletes) {
          if (failures.has(e.key)) {
            fail(e, new Error(failures.get(e.key)));
          } else {
            done.push({ entry: e, size: 0 });
            stats.deleted++;
          }
        }
      } catch (err) {
        observe('delete', deletes.map((e) => e.key), false, started);
        for (const e of deletes) fail(e, err);
      }
    }
    // One transaction per batch: the manifest takes over what the target confirmed.
    changed.push(...store.confirm(done));
    stats.failed += failedNow;
    if (failedNow > 0) break;
    if (done.length > 0) repeated.clearPrefix(log, 'publish:', 'publish failures ended');
  }
  if (changed.length > 0 && target.published) {
    try {
      await target.published(changed);
    } catch (err) {
      log.error({ ...logCode('after-publish-failed'), err: (err as Error)?.message ?? String(err), keys: changed.length }, 'after-publish step failed (objects are published; caches expire by their max-age)');
    }
  }
  stats.remaining = store.outboxDepth();
  return stats;
}

/** What kind of failure, for counting repeats: the error code (ENOSPC, ENOTDIR, NoSuchBucket…), not the message naming each key's path. */
function failureKind(err: unknown, message: string): string {
  const e = err as { code?: unknown; name?: unknown };
  if (typeof e?.code === 'string') return e.code;
  if (typeof e?.name === 'string' && e.name !== 'Error') return e.name;
  return message;
}
