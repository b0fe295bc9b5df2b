import pLimit from 'p-limit';
import type { Logger } from 'pino';
import { CATALOGUE, ErrorCodes, logCode } from '../errors.ts';
import type { Store } from '../store/db.ts';
import type { RenderOptions } from '../render/documents.ts';
import type { DocumentValidator } from '../render/validate.ts';
import type { Target } from './targets/target.ts';
import { planCustomer, queueChange, settleCustomer, type Change, type CustomerPlan } from './plan.ts';
import { drainOutbox, type DrainEvent } from './drain.ts';

export { serialize, sha256 } from './plan.ts';

export interface PublishStats {
  customers: number;
  /** Changes decided (puts and deletes). */
  planned: number;
  written: number;
  deleted: number;
  unchanged: number;
  invalid: number;
  failed: number;
  /** Outbox entries and dirty customers still waiting after this cycle. */
  remaining: number;
}

export interface PublishContext {
  store: Store;
  target: Target;
  validate: DocumentValidator;
  render: RenderOptions;
  log: Logger;
  concurrency?: number;
  signal?: AbortSignal;
  /** The feed a source file belongs to (log lines about a document name it). */
  feedOf?: (file: string) => string | undefined;
  /** Customers rendered and planned so far (progress). */
  onPlan?: (done: number, total: number) => void;
  /** After each target call (metrics, progress). */
  onDrain?: (e: DrainEvent) => void;
  /** Changes per batch (a batch is rendered while the one before it is being written). */
  batchChanges?: number;
}

/** What the target said about one change of a batch. */
interface Outcome {
  change: Change;
  ok: boolean;
  error?: string;
  etag?: string;
}

/**
 * One publish cycle: first what an earlier cycle left in the outbox, then the given customers
 * (default: the dirty ones), rendered in batches and sent straight to the target. A customer's
 * documents go before its lists, deletes last. Only when the target confirmed a change does the
 * manifest take it over; what failed (and what of its customer had to wait for it) goes to the
 * outbox with its bytes and is retried by the next cycle. A customer stays dirty until its batch is
 * settled, so a stop at any moment loses nothing: the next cycle renders it again, and writing the
 * same bytes twice is harmless.
 *
 * Rendering is synchronous and the target's I/O is not: batch n+1 is rendered while batch n is on its
 * way, which keeps both cores busy (the target's file or network work runs off the main thread).
 */
export async function publishDirty(ctx: PublishContext, customers?: readonly string[]): Promise<PublishStats> {
  const { store, target, log } = ctx;
  const stats: PublishStats = { customers: 0, planned: 0, written: 0, deleted: 0, unchanged: 0, invalid: 0, failed: 0, remaining: 0 };
  const earlier = await drainOutbox(store, target, log, { concurrency: ctx.concurrency, signal: ctx.signal, onEntry: ctx.onDrain });
  stats.written += earlier.written;
  stats.deleted += earlier.deleted;
  stats.failed += earlier.failed;
  const list = customers ?? store.dirtyCustomers();
  if (earlier.remaining > 0 || ctx.signal?.aborted) {
    // The target is failing (or we are stopping): the customers stay dirty for the next cycle.
    stats.remaining = earlier.remaining + store.dirtyCount();
    return stats;
  }

  const limit = pLimit(ctx.concurrency ?? target.concurrency ?? 8);
  const perBatch = ctx.batchChanges ?? 512;
  const changed: string[] = [];
  let sent = 0;
  let inFlight: Promise<{ plans: CustomerPlan[]; outcomes: Outcome[] }> | undefined;
  let stop = false;
  const settle = async () => {
    if (!inFlight) return;
    const { plans, outcomes } = await inFlight;
    inFlight = undefined;
    const failedNow = settleBatch(store, log, plans, outcomes, changed, stats);
    if (failedNow > 0) stop = true;
  };

  let batch: CustomerPlan[] = [];
  let batchSize = 0;
  let i = 0;
  while (i < list.length && !stop && !ctx.signal?.aborted) {
    const plan = planCustomer(ctx, list[i]!);
    i++;
    stats.customers++;
    stats.planned += plan.changes.length;
    stats.unchanged += plan.unchanged;
    stats.invalid += plan.invalid.length;
    ctx.onPlan?.(stats.customers, list.length);
    // Let the batch in flight move on (completions, next writes) between two customers' rendering.
    if (inFlight) await new Promise<void>((resolve) => setImmediate(resolve));
    batch.push(plan);
    batchSize += plan.changes.length;
    if (batchSize >= perBatch || i === list.length) {
      await settle();
      if (stop) {
        // Not sent: the customers of this batch stay dirty and are rendered again next cycle.
        break;
      }
      const plans = batch;
      inFlight = sendBatch(target, plans, limit, (op, keys, ok, started) => {
        sent += keys.length;
        ctx.onDrain?.({ op, keys, ok, seconds: (performance.now() - started) / 1000, done: sent, total: Math.max(sent, stats.planned) });
      });
      batch = [];
      batchSize = 0;
    }
  }
  await settle();
  if (changed.length > 0 && target.published) {
    try {
      await target.published(changed);
    } catch (err) {
      log.error({ ...logCode('after-publish-failed'), err: (err as Error)?.message ?? String(err), keys: changed.length }, 'after-publish step failed (objects are published; caches expire by their max-age)');
    }
  }
  stats.remaining = store.outboxDepth() + store.dirtyCount();
  return stats;
}

/**
 * Sends a batch: the documents (and PDFs) of all its customers, then the lists of the customers
 * whose documents all arrived, then their deletes. A customer with a failed write sends nothing
 * after it: its lists must never point to a document the target does not have.
 */
async function sendBatch(
  target: Target,
  plans: CustomerPlan[],
  limit: ReturnType<typeof pLimit>,
  observe: (op: DrainEvent['op'], keys: string[], ok: boolean, started: number) => void,
): Promise<{ plans: CustomerPlan[]; outcomes: Outcome[] }> {
  const outcomes: Outcome[] = [];
  const failedCustomers = new Set<string>();
  const changes = plans.flatMap((p) => p.changes);
  const put = (c: Change) =>
    limit(async () => {
      const started = performance.now();
      const opts = { contentType: c.contentType!, sha256: c.sha256! };
      try {
        const res = c.path !== undefined ? await target.putFile(c.key, c.path, opts) : await target.put(c.key, c.body!, opts);
        observe('put', [c.key], true, started);
        outcomes.push({ change: c, ok: true, etag: res?.etag });
      } catch (err) {
        observe('put', [c.key], false, started);
        failedCustomers.add(c.customer);
        outcomes.push({ change: c, ok: false, error: (err as Error)?.message ?? String(err) });
      }
    });
  for (const phase of [0, 1] as const) {
    await Promise.all(changes.filter((c) => c.phase === phase && !failedCustomers.has(c.customer)).map(put));
  }
  const deletes = changes.filter((c) => c.phase === 2 && !failedCustomers.has(c.customer));
  if (deletes.length > 0) {
    const started = performance.now();
    const keys = deletes.map((c) => c.key);
    try {
      // Per-key failures (S3 DeleteObjects reports them in a 200 response) are retried; the rest are done.
      const failures = new Map(((await target.delete(keys)) ?? []).map((f) => [f.key, f.error]));
      observe('delete', keys, failures.size === 0, started);
      for (const c of deletes) outcomes.push(failures.has(c.key) ? { change: c, ok: false, error: failures.get(c.key) } : { change: c, ok: true });
    } catch (err) {
      observe('delete', keys, false, started);
      for (const c of deletes) outcomes.push({ change: c, ok: false, error: (err as Error)?.message ?? String(err) });
    }
  }
  return { plans, outcomes };
}

/**
 * One transaction per batch: the manifest takes over what the target confirmed; what failed, and
 * what its customer had not sent yet, is queued with its bytes; the batch's customers are no longer
 * dirty. Returns the number of failed changes.
 */
function settleBatch(store: Store, log: Logger, plans: CustomerPlan[], outcomes: Outcome[], changed: string[], stats: PublishStats): number {
  const done = new Map(outcomes.map((o) => [o.change.key, o]));
  let failed = 0;
  store.transaction(() => {
    for (const plan of plans) {
      for (const c of plan.changes) {
        const o = done.get(c.key);
        if (o?.ok) {
          if (store.hasManifest(c.key)) changed.push(c.key);
          if (c.op === 'put') {
            store.setManifest(c.key, c.customer, c.sha256!, c.size ?? 0, o.etag ?? null);
            stats.written++;
          } else {
            store.removeManifest(c.key);
            stats.deleted++;
          }
          continue;
        }
        queueChange(store, c);
        if (o) {
          failed++;
          store.failed(c.key, o.error ?? 'failed');
          log.warn({ code: ErrorCodes.PUBLISH, ref: CATALOGUE['publish-failed'].code, rule: 'publish-failed', key: c.key, customer: c.customer, err: o.error }, 'publish failed; queued in the outbox for the next cycle');
        }
      }
      settleCustomer(store, plan);
    }
  });
  stats.failed += failed;
  return failed;
}
