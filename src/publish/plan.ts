import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { Store } from '../store/db.ts';
import { renderCustomer, type RenderOptions } from '../render/documents.ts';
import type { DocumentValidator } from '../validate/schemas.ts';

export interface PlanStats {
  customers: number;
  /** Entries queued in the outbox (writes and deletes). */
  queued: number;
  unchanged: number;
  invalid: number;
}

export interface PlanContext {
  store: Store;
  validate: DocumentValidator;
  render: RenderOptions;
  log: Logger;
  /** The feed a source file belongs to, so log lines about a document name it too. */
  feedOf?: (file: string) => string | undefined;
}

export const JSON_TYPE = 'application/json; charset=utf-8';

/** Serialised form of a document: stable key order comes from the renderer; one trailing newline. */
export function serialize(body: unknown): Buffer {
  return Buffer.from(`${JSON.stringify(body)}\n`, 'utf8');
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Decides what the target must become for every dirty customer and queues it in the outbox. Runs
 * inside the caller's transaction (the ingest of a file), so records, decisions and the clearing of
 * the dirty marks commit together or not at all. Pure apart from the store: nothing leaves the process.
 *
 * The baseline is the manifest overlaid with what is already queued: a key whose new bytes equal the
 * manifest needs nothing (and any queued change for it is withdrawn); otherwise a put replaces
 * whatever was queued. A document that fails its schema is not queued (its published version, if
 * any, stays) and is reported with the source file and line.
 */
export function planCustomers(ctx: PlanContext, customers: readonly string[], onProgress?: (done: number, total: number) => void): PlanStats {
  const stats: PlanStats = { customers: 0, queued: 0, unchanged: 0, invalid: 0 };
  const { store, log } = ctx;
  for (const customer of customers) {
    const { documents: docs, files } = renderCustomer(customer, store.customerDocs(customer), ctx.render);
    const manifest = store.manifestOf(customer);
    const queued = store.queuedOf(customer);
    const keep = new Set<string>();
    store.clearPublishErrors(customer);
    for (const doc of docs) {
      keep.add(doc.key);
      const problem = ctx.validate(doc.type, doc.body);
      if (problem) {
        stats.invalid++;
        log.error({ code: 'VP_ERR_SCHEMA', feed: ctx.feedOf?.(doc.source.file), customer, key: doc.key, file: doc.source.file, line: doc.source.line }, `not published: ${problem} (from ${doc.source.file}:${doc.source.line})`);
        store.setPublishError(doc.key, customer, problem, doc.source);
        continue;
      }
      const bytes = serialize(doc.body);
      const sha = sha256(bytes);
      if (manifest.get(doc.key) === sha) {
        if (queued.has(doc.key)) store.unqueue(doc.key);
        stats.unchanged++;
      } else if (queued.get(doc.key) !== sha) {
        store.queuePut(doc.key, customer, doc.type === 'order' || doc.type === 'invoice' || doc.type === 'credit' ? 0 : 1, sha, bytes, JSON_TYPE);
        stats.queued++;
      }
    }
    // PDFs go out with the documents that link to them (phase 0), streamed from where they are kept.
    for (const f of files) {
      keep.add(f.key);
      if (manifest.get(f.key) === f.sha256) {
        if (queued.has(f.key)) store.unqueue(f.key);
        stats.unchanged++;
      } else if (queued.get(f.key) !== f.sha256) {
        store.queuePutFile(f.key, customer, 0, f.sha256, f.path, f.contentType);
        stats.queued++;
      }
    }
    for (const key of manifest.keys()) {
      if (!keep.has(key) && !(queued.has(key) && queued.get(key) === null)) {
        store.queueDelete(key, customer);
        stats.queued++;
      }
    }
    // A put queued for a document that no longer exists, and never reached the target: withdraw it.
    for (const key of queued.keys()) if (!keep.has(key) && !manifest.has(key)) store.unqueue(key);
    store.clearDirty(customer);
    stats.customers++;
    onProgress?.(stats.customers, customers.length);
  }
  return stats;
}
