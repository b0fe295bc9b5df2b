/**
 * What the admin pages show, read from the store, the quarantine folder and the renderer. Read only:
 * nothing here writes the store or the target.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { App } from '../app.ts';
import type { DataErrorContext } from '../errors.ts';
import { isIgnoredName } from '../inbox/files.ts';
import { serialize, sha256 } from '../publish/plan.ts';
import { renderCustomer, type RenderedDocument } from '../render/documents.ts';

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
  const q = app.store.db.prepare<[string, number], FileRow>('SELECT seq, name, feed, outcome, records, finished_at, error, moved_to FROM files WHERE feed = ? ORDER BY seq DESC LIMIT ?');
  return app.cfg.feeds.map((f) => ({ name: f.name, pattern: f.pattern, kind: f.kind, format: f.format, mode: f.mode, expectEveryMinutes: f.expectEveryMinutes, files: q.all(f.name, perFeed) }));
}

export function fileHistory(app: App, opts: { feed?: string; limit: number; offset: number }): { rows: FileRow[]; total: number } {
  const db = app.store.db;
  const where = opts.feed === undefined ? '' : opts.feed === '' ? 'WHERE feed IS NULL' : 'WHERE feed = @feed';
  const byFeed = opts.feed ? { feed: opts.feed } : {};
  const rows = db.prepare(`SELECT seq, name, feed, outcome, records, finished_at, error, moved_to FROM files ${where} ORDER BY seq DESC LIMIT @limit OFFSET @offset`).all({ ...byFeed, limit: opts.limit, offset: opts.offset }) as FileRow[];
  const count = db.prepare(`SELECT count(*) FROM files ${where}`).pluck();
  const total = (opts.feed ? count.get(byFeed) : count.get()) as number;
  return { rows, total };
}

/** One error of a NAME.error.json: the DataError's context with its code and message. */
export type QuarantineError = DataErrorContext & { code?: string; message: string };

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
  const db = app.store.db;
  return {
    depth: app.store.outboxDepth(),
    byOp: db.prepare('SELECT op, phase, count(*) AS n FROM outbox GROUP BY op, phase ORDER BY phase, op').all() as OutboxOverview['byOp'],
    failing: db.prepare('SELECT key, customer_no, op, attempts, last_error FROM outbox WHERE attempts > 0 ORDER BY attempts DESC, key LIMIT ?').all(limit) as OutboxOverview['failing'],
    next: db.prepare('SELECT key, customer_no, op, phase, attempts FROM outbox ORDER BY phase, key LIMIT ?').all(limit) as OutboxOverview['next'],
    invalid: db.prepare('SELECT key, customer_no, message, src_file, src_line FROM publish_errors ORDER BY key LIMIT ?').all(limit) as OutboxOverview['invalid'],
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
  const db = app.store.db;
  const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const prefix = `${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const filter = q ? "WHERE customer_no LIKE @prefix ESCAPE '\\' OR json_extract(header, '$.customer.company') LIKE @like ESCAPE '\\'" : '';
  const sql = `SELECT customer_no, count(*) AS n, max(date) AS latest FROM docs ${filter} GROUP BY customer_no ORDER BY n DESC, customer_no`;
  type Match = { customer_no: string; n: number; latest: string };
  const matching = q ? db.prepare<[Record<string, string>], Match>(sql).all({ prefix, like }) : db.prepare<[], Match>(sql).all();
  const kinds = db.prepare<[string], { kind: string; n: number }>('SELECT kind, count(*) AS n FROM docs WHERE customer_no = ? GROUP BY kind');
  const company = db.prepare<[string], { company: string | null }>("SELECT json_extract(header, '$.customer.company') AS company FROM docs WHERE customer_no = ? ORDER BY date DESC, id DESC LIMIT 1");
  const rows = matching.slice(0, limit).map((m) => ({
    customer_no: m.customer_no,
    company: company.get(m.customer_no)?.company ?? null,
    counts: Object.fromEntries(kinds.all(m.customer_no).map((k) => [k.kind, k.n])),
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
  const docs = app.store.customerDocs(customerNo);
  if (docs.length === 0) return undefined;
  const { render } = app.publishContext();
  const documents = renderCustomer(customerNo, docs, render).documents;
  const manifest = app.store.manifestOf(customerNo);
  const queued = app.store.queuedOf(customerNo);
  const invalid = new Map(
    app.store.db
      .prepare<[string], { key: string; message: string }>('SELECT key, message FROM publish_errors WHERE customer_no = ?')
      .all(customerNo)
      .map((r) => [r.key, r.message]),
  );
  const state = new Map<string, PublishState>();
  for (const d of documents) {
    const sha = sha256(serialize(d.body));
    state.set(d.key, invalid.has(d.key) ? 'invalid' : manifest.get(d.key) === sha ? 'published' : queued.get(d.key) === sha ? 'queued' : 'not published');
  }
  const latest = [...docs].sort((a, b) => (a.header.date < b.header.date ? 1 : a.header.date > b.header.date ? -1 : 0))[0];
  return { customer_no: customerNo, company: latest?.header.customer?.company ?? null, documents, state, invalid };
}
