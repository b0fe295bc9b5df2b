import { PRICE_OWNER_PREFIX, STOCK_OWNER_PREFIX } from '../model.ts';
import type { Part, StoreBase } from './base.ts';

/** One row of the file history. */
export interface FileRow {
  seq: number;
  name: string;
  feed: string | null;
  outcome: string;
  records: number;
  finished_at: string;
  error: string | null;
  moved_to: string | null;
}

export interface PublishErrorRow {
  key: string;
  customer_no: string;
  message: string;
  src_file: string | null;
  src_line: number | null;
}

export interface StatusCounts {
  documents: { orders: number; invoices: number; credit_invoices: number; customers: number; orphan_line_sets: number };
  /** Published objects by what they are; the parts add up to `objects`. */
  published: {
    objects: number;
    orders: number;
    invoices: number;
    credit_invoices: number;
    backorders: number;
    pdfs: number;
    list_pages: number;
    /** Of list_pages: order and invoice lists (kept for scripts that read them). */
    order_lists: number;
    invoice_lists: number;
    /** The compute path's index objects (customers/{c}/index.json and the per-year list indexes). */
    indexes: number;
    /** customers/{c}/addresses.json */
    addresses: number;
    /** stock/{article}.json */
    stock: number;
    /** The compute path's price objects: prices/{article}.json and customers/{c}/pricing.json. */
    prices: number;
    /** Keys outside the layout (none, unless the manifest was edited by hand). */
    other: number;
  };
  outbox: { depth: number; failing: number; last_error: string | null };
  dirty_customers: number;
}

/**
 * Read-only views across the tables for status, the admin pages and metrics. Nothing here writes.
 * Needs the outbox part for its depth.
 */
export function Queries<B extends Part<StoreBase & { outboxDepth(): number }>>(Base: B) {
  return class Queries extends Base {
    hasCustomer(customerNo: string): boolean {
      return this.sql('SELECT 1 FROM docs WHERE customer_no = ? LIMIT 1').get(customerNo) !== undefined;
    }

    /** The customer with the most orders (the demo's "try it" line). */
    busiestOrderCustomer(): string | undefined {
      return this.sql<[], { customer_no: string }>("SELECT customer_no FROM docs WHERE kind = 'order' GROUP BY customer_no ORDER BY count(*) DESC, customer_no LIMIT 1").get()?.customer_no;
    }

    failingCount(): number {
      return this.sql('SELECT count(*) FROM outbox WHERE attempts > 0').pluck().get() as number;
    }

    /** Per feed, when its last file was applied or recognised as a duplicate. */
    lastSuccessPerFeed(): Array<{ feed: string; at: string }> {
      return this.sql<[], { feed: string; at: string }>("SELECT feed, max(finished_at) AS at FROM files WHERE feed IS NOT NULL AND outcome IN ('ingested', 'duplicate') GROUP BY feed").all();
    }

    docsPerKind(): Array<{ kind: string; n: number }> {
      return this.sql<[], { kind: string; n: number }>('SELECT kind, count(*) AS n FROM docs GROUP BY kind').all();
    }

    /** The newest files of one feed. */
    recentFiles(feed: string, limit: number): FileRow[] {
      return this.sql<[string, number], FileRow>('SELECT seq, name, feed, outcome, records, finished_at, error, moved_to FROM files WHERE feed = ? ORDER BY seq DESC LIMIT ?').all(feed, limit);
    }

    /** One page of the file history, newest first; `feed` '' means files of no feed, undefined all files. */
    fileHistory(opts: { feed?: string; limit: number; offset: number }): { rows: FileRow[]; total: number } {
      const where = opts.feed === undefined ? '' : opts.feed === '' ? 'WHERE feed IS NULL' : 'WHERE feed = @feed';
      const byFeed = opts.feed ? { feed: opts.feed } : {};
      const rows = this.sql(`SELECT seq, name, feed, outcome, records, finished_at, error, moved_to FROM files ${where} ORDER BY seq DESC LIMIT @limit OFFSET @offset`).all({ ...byFeed, limit: opts.limit, offset: opts.offset }) as FileRow[];
      const count = this.sql(`SELECT count(*) FROM files ${where}`).pluck();
      const total = (opts.feed ? count.get(byFeed) : count.get()) as number;
      return { rows, total };
    }

    /** The last file of a feed, whatever its outcome. */
    lastFileOf(feed: string): { name: string; outcome: string; records: number; finished_at: string; error: string | null } | undefined {
      return this.sql<[string], { name: string; outcome: string; records: number; finished_at: string; error: string | null }>('SELECT name, outcome, records, finished_at, error FROM files WHERE feed = ? ORDER BY seq DESC LIMIT 1').get(feed);
    }

    lastIngestedAt(feed: string): string | null {
      return (this.sql("SELECT max(finished_at) FROM files WHERE feed = ? AND outcome = 'ingested'").pluck().get(feed) as string | null) ?? null;
    }

    filesByOutcome(): Record<string, number> {
      return Object.fromEntries(this.sql<[], { outcome: string; n: number }>('SELECT outcome, count(*) AS n FROM files GROUP BY outcome').all().map((r) => [r.outcome, r.n]));
    }

    /** What status counts in the store: documents, published objects, the outbox and dirty customers. */
    statusCounts(): StatusCounts {
      const count = (sql: string) => (this.sql(sql).pluck().get() as number) ?? 0;
      const outboxErr = this.sql<[], { last_error: string }>('SELECT last_error FROM outbox WHERE last_error IS NOT NULL ORDER BY attempts DESC, key LIMIT 1').get();
      return {
        documents: {
          orders: count("SELECT count(*) FROM docs WHERE kind = 'order'"),
          invoices: count("SELECT count(*) FROM docs WHERE kind = 'invoice'"),
          credit_invoices: count("SELECT count(*) FROM docs WHERE kind = 'credit'"),
          customers: count('SELECT count(DISTINCT customer_no) FROM docs'),
          // Lines whose header has not arrived (yet): not published until it does.
          orphan_line_sets: count('SELECT count(*) FROM line_sets l LEFT JOIN docs d ON d.kind = l.kind AND d.id = l.doc_id WHERE d.id IS NULL'),
        },
        published: this.publishedParts(),
        outbox: { depth: this.outboxDepth(), failing: count('SELECT count(*) FROM outbox WHERE attempts > 0'), last_error: outboxErr?.last_error ?? null },
        dirty_customers: count('SELECT count(*) FROM dirty'),
      };
    }

    /**
     * The manifest by kind of object, in one pass. Customer numbers hold no `/` and document ids are
     * encoded (`/` is `~2F`), so a key's shape tells its kind; each key lands in exactly one part.
     */
    publishedParts(): StatusCounts['published'] {
      const rows = this.sql<[], { part: string; n: number }>(
        `SELECT CASE
           WHEN key GLOB 'customers/*/*.pdf' THEN 'pdfs'
           WHEN key GLOB 'customers/*/backorders.json' THEN 'backorders'
           WHEN key GLOB 'customers/*/addresses.json' AND key NOT GLOB 'customers/*/*/*' THEN 'addresses'
           WHEN key GLOB 'stock/*.json' AND key NOT GLOB 'stock/*/*' THEN 'stock'
           WHEN (key GLOB 'prices/*.json' AND key NOT GLOB 'prices/*/*') OR (key GLOB 'customers/*/pricing.json' AND key NOT GLOB 'customers/*/*/*') THEN 'prices'
           WHEN key GLOB 'customers/*/orders/*pages/*' THEN 'order_lists'
           WHEN key GLOB 'customers/*/invoices/*pages/*' THEN 'invoice_lists'
           WHEN key GLOB 'customers/*/credit-invoices/*pages/*' THEN 'credit_lists'
           WHEN key GLOB 'customers/*/orders/*.json' AND key NOT GLOB 'customers/*/orders/*/*' THEN 'orders'
           WHEN key GLOB 'customers/*/invoices/*.json' AND key NOT GLOB 'customers/*/invoices/*/*' THEN 'invoices'
           WHEN key GLOB 'customers/*/credit-invoices/*.json' AND key NOT GLOB 'customers/*/credit-invoices/*/*' THEN 'credit_invoices'
           WHEN key GLOB 'customers/*/index.json' AND key NOT GLOB 'customers/*/*/*' THEN 'indexes'
           WHEN key GLOB 'customers/*/orders/index/*.json' OR key GLOB 'customers/*/invoices/index/*.json' THEN 'indexes'
           ELSE 'other' END AS part, count(*) AS n
         FROM manifest GROUP BY part`,
      ).all();
      const n = Object.fromEntries(rows.map((r) => [r.part, r.n])) as Record<string, number>;
      const get = (k: string) => n[k] ?? 0;
      return {
        objects: rows.reduce((t, r) => t + r.n, 0),
        orders: get('orders'),
        invoices: get('invoices'),
        credit_invoices: get('credit_invoices'),
        backorders: get('backorders'),
        pdfs: get('pdfs'),
        list_pages: get('order_lists') + get('invoice_lists') + get('credit_lists'),
        order_lists: get('order_lists'),
        invoice_lists: get('invoice_lists'),
        indexes: get('indexes'),
        addresses: get('addresses'),
        stock: get('stock'),
        prices: get('prices'),
        other: get('other'),
      };
    }

    /** Documents that failed their schema in the last publish cycle, by key; `limit` -1: all. */
    publishErrors(limit = -1): PublishErrorRow[] {
      return this.sql<[number], PublishErrorRow>('SELECT key, customer_no, message, src_file, src_line FROM publish_errors ORDER BY key LIMIT ?').all(limit);
    }

    publishErrorsOf(customerNo: string): Map<string, string> {
      return new Map(this.sql<[string], { key: string; message: string }>('SELECT key, message FROM publish_errors WHERE customer_no = ?').all(customerNo).map((r) => [r.key, r.message]));
    }

    outboxByOp(): Array<{ op: string; phase: number; n: number }> {
      return this.sql<[], { op: string; phase: number; n: number }>('SELECT op, phase, count(*) AS n FROM outbox GROUP BY op, phase ORDER BY phase, op').all();
    }

    failingOutbox(limit: number): Array<{ key: string; customer_no: string; op: string; attempts: number; last_error: string | null }> {
      return this.sql<[number], { key: string; customer_no: string; op: string; attempts: number; last_error: string | null }>('SELECT key, customer_no, op, attempts, last_error FROM outbox WHERE attempts > 0 ORDER BY attempts DESC, key LIMIT ?').all(limit);
    }

    /** The outbox in the order it drains. */
    outboxHead(limit: number): Array<{ key: string; customer_no: string; op: string; phase: number; attempts: number }> {
      return this.sql<[number], { key: string; customer_no: string; op: string; phase: number; attempts: number }>('SELECT key, customer_no, op, phase, attempts FROM outbox ORDER BY phase, key LIMIT ?').all(limit);
    }

    /** Customers whose number starts with `q` or whose company name contains it (all for ''), most documents first. */
    customerMatches(q: string): Array<{ customer_no: string; n: number; latest: string }> {
      const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      const prefix = `${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      const filter = q ? "WHERE customer_no LIKE @prefix ESCAPE '\\' OR json_extract(header, '$.customer.company') LIKE @like ESCAPE '\\'" : '';
      const sql = `SELECT customer_no, count(*) AS n, max(date) AS latest FROM docs ${filter} GROUP BY customer_no ORDER BY n DESC, customer_no`;
      type Match = { customer_no: string; n: number; latest: string };
      return q ? this.sql<[Record<string, string>], Match>(sql).all({ prefix, like }) : this.sql<[], Match>(sql).all();
    }

    docCountsOf(customerNo: string): Record<string, number> {
      return Object.fromEntries(this.sql<[string], { kind: string; n: number }>('SELECT kind, count(*) AS n FROM docs WHERE customer_no = ? GROUP BY kind').all(customerNo).map((k) => [k.kind, k.n]));
    }

    /**
     * One page of the articles with stock, in article order, with how many warehouses each has;
     * `q` (if any) is part of the article number. For the admin's stock list (thousands of articles).
     */
    stockArticles(opts: { q?: string; limit: number; offset: number }): { rows: Array<{ article: string; warehouses: number }>; total: number } {
      const q = opts.q ?? '';
      // Owners are the prefix + the article: matching on the owner keeps the (owner, kind) index usable.
      const pattern = `${STOCK_OWNER_PREFIX}%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      const where = "kind = 'stock' AND owner LIKE @pattern ESCAPE '\\'";
      const rows = this.sql<[Record<string, string | number>], { article: string; warehouses: number }>(
        `SELECT substr(owner, @from) AS article, count(*) AS warehouses FROM entities WHERE ${where} GROUP BY owner ORDER BY owner LIMIT @limit OFFSET @offset`,
      ).all({ pattern, from: STOCK_OWNER_PREFIX.length + 1, limit: opts.limit, offset: opts.offset });
      const total = this.sql<[Record<string, string>]>(`SELECT count(DISTINCT owner) FROM entities WHERE ${where}`).pluck().get({ pattern }) as number;
      return { rows, total };
    }

    /**
     * One page of the articles whose price rows can apply to a customer (list prices, its price
     * group's, its own), in article order; which row it pays is the compute path's resolver's call.
     */
    priceArticlesFor(customerNo: string, group: string | null, opts: { limit: number; offset: number }): { articles: string[]; total: number } {
      const where = `kind = 'price' AND (json_extract(body, '$.type') = 'all'
        OR (json_extract(body, '$.type') = 'group' AND json_extract(body, '$.code') = @group)
        OR (json_extract(body, '$.type') = 'customer' AND json_extract(body, '$.code') = @customer))`;
      const params = { group: group ?? null, customer: customerNo };
      const articles = this.sql<[Record<string, string | number | null>], { article: string }>(
        `SELECT substr(owner, @from) AS article FROM entities WHERE ${where} GROUP BY owner ORDER BY owner LIMIT @limit OFFSET @offset`,
      )
        .all({ ...params, from: PRICE_OWNER_PREFIX.length + 1, limit: opts.limit, offset: opts.offset })
        .map((r) => r.article);
      const total = this.sql<[Record<string, string | null>]>(`SELECT count(DISTINCT owner) FROM entities WHERE ${where}`).pluck().get(params) as number;
      return { articles, total };
    }

    /** The company name on the customer's newest document. */
    companyOf(customerNo: string): string | null {
      return this.sql<[string], { company: string | null }>("SELECT json_extract(header, '$.customer.company') AS company FROM docs WHERE customer_no = ? ORDER BY date DESC, id DESC LIMIT 1").get(customerNo)?.company ?? null;
    }
  };
}
