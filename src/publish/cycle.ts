import { createHash } from 'node:crypto';
import pLimit from 'p-limit';
import type { Logger } from 'pino';
import type { Store } from '../store/db.ts';
import { renderCustomer, type RenderOptions, type RenderedDocument } from '../render/documents.ts';
import type { DocumentValidator } from '../validate/schemas.ts';
import type { Target } from './target.ts';

export interface PublishStats {
  customers: number;
  written: number;
  deleted: number;
  unchanged: number;
  invalid: number;
}

export interface PublishContext {
  store: Store;
  target: Target;
  validate: DocumentValidator;
  render: RenderOptions;
  log: Logger;
  concurrency?: number;
}

/** Serialised form of a document: stable key order comes from the renderer; one trailing newline. */
export function serialize(body: unknown): Buffer {
  return Buffer.from(`${JSON.stringify(body)}\n`, 'utf8');
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Re-renders every dirty customer and converges the target on the result: writes objects whose
 * sha256 differs from the manifest (documents before the lists that point to them), then deletes
 * objects no longer produced. A document that fails its schema is not written (its previous version,
 * if any, stays) and is reported with the source file and line. A customer stays dirty until all of
 * its writes and deletes succeeded, so a crash or a failed write is retried on the next cycle.
 */
export async function publishDirty(ctx: PublishContext, customers = ctx.store.dirtyCustomers()): Promise<PublishStats> {
  const stats: PublishStats = { customers: 0, written: 0, deleted: 0, unchanged: 0, invalid: 0 };
  const limit = pLimit(ctx.concurrency ?? 8);
  for (const customer of customers) {
    await publishCustomer(ctx, customer, stats, limit);
    stats.customers++;
  }
  return stats;
}

async function publishCustomer(ctx: PublishContext, customer: string, stats: PublishStats, limit: ReturnType<typeof pLimit>): Promise<void> {
  const { store, target, log } = ctx;
  const docs = renderCustomer(customer, store.customerDocs(customer), ctx.render);
  const manifest = store.manifestOf(customer);
  const keep = new Set<string>();
  const documents: Array<{ doc: RenderedDocument; bytes: Buffer; sha: string }> = [];
  const lists: typeof documents = [];
  store.clearPublishErrors(customer);
  for (const doc of docs) {
    keep.add(doc.key);
    const problem = ctx.validate(doc.type, doc.body);
    if (problem) {
      stats.invalid++;
      const where = `${doc.source.file}:${doc.source.line}`;
      log.error({ code: 'VP_ERR_SCHEMA', customer, key: doc.key, file: doc.source.file, line: doc.source.line }, `not published: ${problem} (from ${where})`);
      store.setPublishError(doc.key, customer, problem, doc.source);
      continue;
    }
    const bytes = serialize(doc.body);
    const sha = sha256(bytes);
    if (manifest.get(doc.key) === sha) {
      stats.unchanged++;
      continue;
    }
    (doc.type === 'order' || doc.type === 'invoice' ? documents : lists).push({ doc, bytes, sha });
  }
  const write = async (batch: typeof documents) => {
    await Promise.all(
      batch.map((w) =>
        limit(async () => {
          await target.put(w.doc.key, w.bytes, { contentType: 'application/json; charset=utf-8', sha256: w.sha });
          store.setManifest(w.doc.key, customer, w.sha, w.bytes.length);
          stats.written++;
        }),
      ),
    );
  };
  await write(documents);
  await write(lists);
  const gone = [...manifest.keys()].filter((k) => !keep.has(k)).sort();
  if (gone.length > 0) {
    await target.delete(gone);
    for (const key of gone) store.removeManifest(key);
    stats.deleted += gone.length;
  }
  store.clearDirty(customer);
  log.debug({ customer, objects: docs.length }, 'customer published');
}
