import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { CATALOGUE, ErrorCodes } from '../errors.ts';
import type { Store } from '../store/db.ts';
import { renderCustomer, type RenderedCustomer, type RenderOptions } from '../render/documents.ts';
import { renderAddresses, renderPrices, renderPricing, renderStock, withCustomerRecord } from '../render/extended.ts';
import { articleOfOwner, articleOfPriceOwner } from '../model.ts';
import { renderIndexes } from '../render/indexes.ts';
import type { DocumentValidator } from '../render/validate.ts';

export interface PlanStats {
  customers: number;
  /** Changes decided (writes and deletes). */
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

/** One object the target must change: a put (bytes in memory or in a file) or a delete. */
export interface Change {
  key: string;
  customer: string;
  op: 'put' | 'delete';
  /** 0 documents (and their PDFs), 1 lists (after the documents they point to), 2 deletes (last). */
  phase: 0 | 1 | 2;
  sha256?: string;
  body?: Buffer;
  /** A PDF: streamed from where it is kept, never loaded whole. */
  path?: string;
  /** Bytes of a put. */
  size?: number;
  contentType?: string;
}

/** What one customer's objects must become, decided against the manifest. */
export interface CustomerPlan {
  customer: string;
  changes: Change[];
  /** Documents that failed their schema: not published (their published version, if any, stays). */
  invalid: Array<{ key: string; message: string; source: { file: string; line: number } }>;
  unchanged: number;
}

/**
 * Renders one customer and decides what changes against the manifest. Reads the store, writes
 * nothing. It runs only when the outbox is empty (publishDirty drains it first), so nothing queued
 * needs overlaying. A document that fails its schema is not published and is reported with the
 * source file and line.
 */
export function planCustomer(ctx: PlanContext, customer: string): CustomerPlan {
  const { store, log } = ctx;
  const plan: CustomerPlan = { customer, changes: [], invalid: [], unchanged: 0 };
  const { documents: docs, files } = renderOwner(store, customer, ctx.render);
  const manifest = store.manifestOf(customer);
  const keep = new Set<string>();
  for (const doc of docs) {
    keep.add(doc.key);
    const bytes = serialize(doc.body);
    const sha = sha256(bytes);
    if (manifest.get(doc.key) === sha) {
      // The very bytes the target holds: they passed their schema when they were published.
      plan.unchanged++;
      continue;
    }
    const problem = ctx.validate(doc.type, doc.body);
    if (problem) {
      log.error({ code: ErrorCodes.SCHEMA, ref: CATALOGUE['document-schema'].code, rule: 'document-schema', feed: ctx.feedOf?.(doc.source.file), customer, key: doc.key, file: doc.source.file, line: doc.source.line }, `not published: ${problem} (from ${doc.source.file}:${doc.source.line})`);
      plan.invalid.push({ key: doc.key, message: problem, source: doc.source });
      continue;
    }
    const phase = doc.type === 'order' || doc.type === 'invoice' || doc.type === 'credit' ? 0 : 1;
    plan.changes.push({ key: doc.key, customer, op: 'put', phase, sha256: sha, body: bytes, size: bytes.length, contentType: JSON_TYPE });
  }
  // The compute path's indexes (src/render/indexes.ts), made from the list pages just rendered: with
  // the lists (phase 1), each only when its bytes changed.
  for (const index of renderIndexes(customer, docs)) {
    keep.add(index.key);
    const bytes = serialize(index.body);
    const sha = sha256(bytes);
    if (manifest.get(index.key) === sha) plan.unchanged++;
    else plan.changes.push({ key: index.key, customer, op: 'put', phase: 1, sha256: sha, body: bytes, size: bytes.length, contentType: JSON_TYPE });
  }
  // PDFs go out with the documents that link to them (phase 0), streamed from where they are kept.
  for (const f of files) {
    keep.add(f.key);
    if (manifest.get(f.key) === f.sha256) plan.unchanged++;
    else plan.changes.push({ key: f.key, customer, op: 'put', phase: 0, sha256: f.sha256, path: f.path, size: f.size, contentType: f.contentType });
  }
  for (const key of manifest.keys()) if (!keep.has(key)) plan.changes.push({ key, customer, op: 'delete', phase: 2 });
  return plan;
}

/**
 * What one owner publishes: a customer's documents and addresses, or (a stock owner, see model.ts)
 * one article's stock.
 */
function renderOwner(store: Store, owner: string, opts: RenderOptions): RenderedCustomer {
  const article = articleOfOwner(owner);
  if (article !== undefined) {
    const stock = renderStock(article, store.entitiesOf('stock', owner));
    return { documents: stock ? [stock] : [], files: [] };
  }
  const priced = articleOfPriceOwner(owner);
  if (priced !== undefined) {
    const prices = renderPrices(priced, store.entitiesOf('price', owner));
    return { documents: prices ? [prices] : [], files: [] };
  }
  const customer = store.entitiesOf('customer', owner)[0];
  const rendered = renderCustomer(owner, withCustomerRecord(store.customerDocs(owner), customer), opts);
  const addresses = renderAddresses(owner, customer, store.entitiesOf('delivery', owner));
  if (addresses) rendered.documents.push(addresses);
  const pricing = renderPricing(owner, customer);
  if (pricing) rendered.documents.push(pricing);
  return rendered;
}

/** Queues a change in the outbox (what failed; the next cycle's drain sends it). */
export function queueChange(store: Store, c: Change): void {
  if (c.op === 'delete') store.queueDelete(c.key, c.customer);
  else if (c.path !== undefined) store.queuePutFile(c.key, c.customer, c.phase as 0 | 1, c.sha256!, c.path, c.contentType!);
  else store.queuePut(c.key, c.customer, c.phase as 0 | 1, c.sha256!, c.body!, c.contentType!);
}

/** Records a customer's schema problems of this cycle (for status) and clears its dirty mark. */
export function settleCustomer(store: Store, plan: CustomerPlan): void {
  store.clearPublishErrors(plan.customer);
  for (const e of plan.invalid) store.setPublishError(e.key, plan.customer, e.message, e.source);
  store.clearDirty(plan.customer);
}
