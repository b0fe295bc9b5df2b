import type { Logger } from 'pino';
import type { Store } from '../store/db.ts';
import type { RenderOptions } from '../render/documents.ts';
import type { DocumentValidator } from '../validate/schemas.ts';
import type { Target } from './target.ts';
import { planCustomers } from './plan.ts';
import { drainOutbox, type DrainEvent } from './drain.ts';

export { serialize, sha256 } from './plan.ts';

export interface PublishStats {
  customers: number;
  written: number;
  deleted: number;
  unchanged: number;
  invalid: number;
  failed: number;
  /** Outbox entries still waiting after this cycle. */
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
  /** After each target call of the drain (metrics, progress). */
  onDrain?: (e: DrainEvent) => void;
}

/**
 * One publish cycle outside an ingest: plan the given customers (default: the dirty ones) in one
 * transaction, then drain the whole outbox, including anything an earlier run left queued.
 */
export async function publishDirty(ctx: PublishContext, customers?: readonly string[]): Promise<PublishStats> {
  const planned = ctx.store.transaction(() => planCustomers(ctx, customers ?? ctx.store.dirtyCustomers(), ctx.onPlan));
  const drained = await drainOutbox(ctx.store, ctx.target, ctx.log, { concurrency: ctx.concurrency, signal: ctx.signal, onEntry: ctx.onDrain });
  return { customers: planned.customers, unchanged: planned.unchanged, invalid: planned.invalid, ...drained };
}
