/**
 * What the admin pages show, read from the store, the quarantine folder and the renderer. Read only:
 * nothing here writes the store or the target.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { App } from '../app.ts';
import type { DataErrorContext } from '../errors.ts';
import { isIgnoredName } from '../inbox/names.ts';
import { serialize, sha256 } from '../publish/plan.ts';
import { renderCustomer, type RenderedDocument } from '../render/documents.ts';
import { renderAddresses, renderPrices, renderPricing, renderStock, withCustomerRecord } from '../render/extended.ts';
import { answerPrices } from '../edge/compute/prices.ts';
import { percentEncode } from '../edge/query.ts';
import { pricesKey, pricingKey } from '../layout/keys.ts';
import { priceOwner, stockOwner } from '../model.ts';
import type { FileRow } from '../store/db.ts';

export interface FeedOverview {
  name: string;
  pattern: string;
  kind: string;
  format: string;
  mode: string;
  /** feeds[].expectEveryMinutes: past it without a good file, the overview marks the feed stale. */
  expectEveryMinutes: number | undefined;
  files: FileRow[];
}

export function feedOverview(app: App, perFeed = 5): FeedOverview[] {
  return app.cfg.feeds.map((f) => ({ name: f.name, pattern: f.pattern, kind: f.kind, format: f.format, mode: f.mode, expectEveryMinutes: f.expectEveryMinutes, files: app.store.recentFiles(f.name, perFeed) }));
}

export function fileHistory(app: App, opts: { feed?: string; limit: number; offset: number }): { rows: FileRow[]; total: number } {
  return app.store.fileHistory(opts);
}

/** One error of a NAME.error.json: the DataError's context with its codes (family and stable ref) and message. */
export type QuarantineError = DataErrorContext & { code?: string; ref?: string; message: string };

export interface QuarantinedFile {
  /** Name in the quarantine folder (may carry `~1` after a clash). */
  name: string;
  size: number;
  mtime: Date;
  feed: string | null;
  rejectedAt: string | null;
  errors: QuarantineError[];
  /** The report could not be read (missing or not JSON). */
  reportProblem?: string;
}

/** Files in quarantine, newest first, each with the errors from its NAME.error.json. */
export async function quarantine(app: App): Promise<QuarantinedFile[]> {
  const dir = app.cfg.folders.quarantine;
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const files = names.filter((n) => !isIgnoredName(n, app.cfg.inbox.markers));
  const out: QuarantinedFile[] = [];
  for (const name of files) {
    const st = await stat(path.join(dir, name)).catch(() => undefined);
    if (!st?.isFile()) continue;
    const entry: QuarantinedFile = { name, size: st.size, mtime: st.mtime, feed: null, rejectedAt: null, errors: [] };
    try {
      const report = JSON.parse(await readFile(path.join(dir, `${name}.error.json`), 'utf8')) as { feed?: string | null; rejected_at?: string; errors?: QuarantineError[] };
      entry.feed = report.feed ?? null;
      entry.rejectedAt = report.rejected_at ?? null;
      entry.errors = Array.isArray(report.errors) ? report.errors : [];
    } catch (err) {
      entry.reportProblem = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no error report beside it' : `error report unreadable: ${(err as Error).message}`;
    }
    out.push(entry);
  }
  return out.sort((a, b) => b.mtime.getTime() - a.mtime.getTime() || a.name.localeCompare(b.name));
}

export interface OutboxOverview {
  depth: number;
  byOp: Array<{ op: string; phase: number; n: number }>;
  failing: Array<{ key: string; customer_no: string; op: string; attempts: number; last_error: string | null }>;
  next: Array<{ key: string; customer_no: string; op: string; phase: number; attempts: number }>;
  invalid: Array<{ key: string; customer_no: string; message: string; src_file: string | null; src_line: number | null }>;
}

export function outbox(app: App, limit = 100): OutboxOverview {
  return {
    depth: app.store.outboxDepth(),
    byOp: app.store.outboxByOp(),
    failing: app.store.failingOutbox(limit),
    next: app.store.outboxHead(limit),
    invalid: app.store.publishErrors(limit),
  };
}

export interface CustomerRow {
  customer_no: string;
  company: string | null;
  counts: Record<string, number>;
  latest: string;
}

/** Customers matching `q` (number prefix or part of the company name), most documents first. */
export function findCustomers(app: App, q: string, limit = 100): { rows: CustomerRow[]; total: number } {
  const matching = app.store.customerMatches(q);
  const rows = matching.slice(0, limit).map((m) => ({
    customer_no: m.customer_no,
    company: app.store.companyOf(m.customer_no),
    counts: app.store.docCountsOf(m.customer_no),
    latest: m.latest,
  }));
  return { rows, total: matching.length };
}

export type PublishState = 'published' | 'queued' | 'not published' | 'invalid';

export interface CustomerView {
  customer_no: string;
  company: string | null;
  documents: RenderedDocument[];
  /** Per key: is what the store renders now what the target has? */
  state: Map<string, PublishState>;
  invalid: Map<string, string>;
}

/**
 * One customer as Vendre would see it: the documents rendered from the store now (what is or will be
 * published), with each key's publish state from the manifest and the outbox.
 */
export function customerView(app: App, customerNo: string): CustomerView | undefined {
  const customer = app.store.entitiesOf('customer', customerNo)[0];
  const docs = withCustomerRecord(app.store.customerDocs(customerNo), customer);
  const addresses = renderAddresses(customerNo, customer, app.store.entitiesOf('delivery', customerNo));
  if (docs.length === 0 && !addresses) return undefined;
  const { render } = app.publishContext();
  const documents = renderCustomer(customerNo, docs, render).documents;
  if (addresses) documents.push(addresses);
  const manifest = app.store.manifestOf(customerNo);
  const queued = app.store.queuedOf(customerNo);
  const invalid = app.store.publishErrorsOf(customerNo);
  const state = new Map<string, PublishState>();
  for (const d of documents) {
    const sha = sha256(serialize(d.body));
    state.set(d.key, invalid.has(d.key) ? 'invalid' : manifest.get(d.key) === sha ? 'published' : queued.get(d.key) === sha ? 'queued' : 'not published');
  }
  const latest = [...docs].sort((a, b) => (a.header.date < b.header.date ? 1 : a.header.date > b.header.date ? -1 : 0))[0];
  const billing = (addresses?.body.items as Array<Record<string, unknown>> | undefined)?.find((a) => a.type === 'billing');
  return { customer_no: customerNo, company: latest?.header.customer?.company ?? (billing?.company as string | null | undefined) ?? null, documents, state, invalid };
}

export interface StockRow {
  article: string;
  warehouses: number;
  /** The article's stock document as it is published (on hand, available, next incoming, per warehouse). */
  body: Record<string, unknown>;
}

/** One page of the articles with stock; `q` is part of the article number. */
export function stockList(app: App, opts: { q: string; limit: number; offset: number }): { rows: StockRow[]; total: number } {
  const { rows, total } = app.store.stockArticles(opts);
  return {
    rows: rows.map((r) => ({ ...r, body: renderStock(r.article, app.store.entitiesOf('stock', stockOwner(r.article)))?.body ?? {} })),
    total,
  };
}

export interface StockView {
  article: string;
  doc: RenderedDocument;
  state: PublishState;
}

/** One article's stock document as rendered from the store now, with its publish state. */
export function stockView(app: App, article: string): StockView | undefined {
  const owner = stockOwner(article);
  const doc = renderStock(article, app.store.entitiesOf('stock', owner));
  if (!doc) return undefined;
  const sha = sha256(serialize(doc.body));
  const invalid = app.store.publishErrorsOf(owner).has(doc.key);
  const state: PublishState = invalid ? 'invalid' : app.store.manifestOf(owner).get(doc.key) === sha ? 'published' : app.store.queuedOf(owner).get(doc.key) === sha ? 'queued' : 'not published';
  return { article, doc, state };
}

/** One resolved price as the compute path answers it (src/edge/compute/prices.ts). */
export interface ResolvedPrice {
  article: string;
  found: boolean;
  price?: string;
  currency?: string;
  source?: 'customer' | 'group' | 'list';
  min_quantity?: string;
  valid_to?: string | null;
  list_price?: string | null;
  breaks?: Array<{ min_quantity: string; price: string }>;
}

export interface CustomerPrices {
  price_group: string | null;
  date: string;
  currency: string | null;
  /** Articles with a price row that can apply to the customer (list, its group's or its own). */
  total: number;
  page: number;
  perPage: number;
  items: ResolvedPrice[];
}

/**
 * The prices a customer pays on `date`, one page of articles at a time: the price documents the
 * publisher renders (prices/{article}.json, customers/{c}/pricing.json) resolved by the compute
 * path's own resolver, so this page shows what the Pull API answers. Undefined when no price row
 * can apply to the customer.
 */
export async function customerPrices(app: App, customerNo: string, opts: { date: string; page: number; perPage: number }): Promise<CustomerPrices | undefined> {
  const customer = app.store.entitiesOf('customer', customerNo)[0];
  const pricing = renderPricing(customerNo, customer);
  const group = (pricing?.body.price_group as string | undefined) ?? null;
  const at = (page: number) => app.store.priceArticlesFor(customerNo, group, { limit: opts.perPage, offset: (page - 1) * opts.perPage });
  let page = Math.max(1, opts.page);
  let { articles, total } = at(page);
  if (total === 0) return undefined;
  // A page past the end (a shorter list since the link was made): the last page.
  if (articles.length === 0) ({ articles, total } = at((page = Math.ceil(total / opts.perPage))));
  const docs = new Map<string, unknown>(articles.map((a) => [pricesKey(a), renderPrices(a, app.store.entitiesOf('price', priceOwner(a)))?.body]));
  if (pricing) docs.set(pricingKey(customerNo), pricing.body);
  const read = async (key: string) => docs.get(key);
  const currency = app.cfg.currency;
  const items: ResolvedPrice[] = [];
  // One article per call (`article`, not `articles`): an article number may hold a comma.
  for (const article of articles) {
    const query = [
      { name: 'customer_no', value: percentEncode(customerNo) },
      { name: 'article', value: percentEncode(article) },
      { name: 'date', value: opts.date },
    ];
    const answer = await answerPrices(query, read, opts.date, currency);
    const item = 'body' in answer && answer.status === 200 ? ((answer.body.items as ResolvedPrice[] | undefined)?.[0] ?? { article, found: false }) : { article, found: false };
    items.push(item);
  }
  return { price_group: group, date: opts.date, currency: currency ?? null, total, page, perPage: opts.perPage, items };
}
