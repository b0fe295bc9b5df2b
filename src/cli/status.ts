import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { App } from '../app.ts';
import { isIgnoredName } from '../inbox/files.ts';
import { withApp, type GlobalOptions } from './context.ts';

export interface FeedStatus {
  name: string;
  pattern: string;
  last_file: { name: string; outcome: string; records: number; finished_at: string; error: string | null } | null;
  last_ingested_at: string | null;
}

export interface Status {
  state: string;
  target: string;
  feeds: FeedStatus[];
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
    /** Keys outside the layout (none, unless the manifest was edited by hand). */
    other: number;
  };
  outbox: { depth: number; failing: number; last_error: string | null };
  dirty_customers: number;
  files: { ingested: number; rejected: number; duplicate: number };
  inbox: string[];
  quarantine: { count: number; newest: { file: string; error: string } | null };
  invalid_documents: Array<{ key: string; message: string; source: string }>;
  /** PDFs whose document has not arrived (yet): not published until it does. */
  pdfs_waiting: Array<{ kind: string; id: string; file: string; since: string }>;
}

export async function collectStatus(app: App): Promise<Status> {
  const db = app.store.db;
  const count = (sql: string, ...params: unknown[]) => (db.prepare(sql).pluck().get(...params) as number) ?? 0;
  const byOutcome = Object.fromEntries(
    db.prepare<[], { outcome: string; n: number }>('SELECT outcome, count(*) AS n FROM files GROUP BY outcome').all().map((r) => [r.outcome, r.n]),
  );
  const lastOf = db.prepare<[string], FeedStatus['last_file']>('SELECT name, outcome, records, finished_at, error FROM files WHERE feed = ? ORDER BY seq DESC LIMIT 1');
  const lastIngested = db.prepare("SELECT max(finished_at) FROM files WHERE feed = ? AND outcome = 'ingested'").pluck();
  const outboxErr = db.prepare<[], { last_error: string }>('SELECT last_error FROM outbox WHERE last_error IS NOT NULL ORDER BY attempts DESC, key LIMIT 1').get();
  return {
    state: app.cfg.state,
    target: app.target.description,
    feeds: app.cfg.feeds.map((f) => ({
      name: f.name,
      pattern: f.pattern,
      last_file: lastOf.get(f.name) ?? null,
      last_ingested_at: (lastIngested.get(f.name) as string | null) ?? null,
    })),
    documents: {
      orders: count("SELECT count(*) FROM docs WHERE kind = 'order'"),
      invoices: count("SELECT count(*) FROM docs WHERE kind = 'invoice'"),
      credit_invoices: count("SELECT count(*) FROM docs WHERE kind = 'credit'"),
      customers: count('SELECT count(DISTINCT customer_no) FROM docs'),
      // Lines whose header has not arrived (yet): not published until it does.
      orphan_line_sets: count('SELECT count(*) FROM line_sets l LEFT JOIN docs d ON d.kind = l.kind AND d.id = l.doc_id WHERE d.id IS NULL'),
    },
    published: publishedParts(db),
    outbox: { depth: app.store.outboxDepth(), failing: count('SELECT count(*) FROM outbox WHERE attempts > 0'), last_error: outboxErr?.last_error ?? null },
    dirty_customers: count('SELECT count(*) FROM dirty'),
    files: { ingested: byOutcome.ingested ?? 0, rejected: byOutcome.rejected ?? 0, duplicate: byOutcome.duplicate ?? 0 },
    inbox: (await list(app.cfg.folders.drop)).filter((n) => !isIgnoredName(n, app.cfg.inbox.markers)),
    quarantine: await quarantine(app.cfg.folders.quarantine),
    invalid_documents: db
      .prepare<[], { key: string; message: string; src_file: string; src_line: number }>('SELECT key, message, src_file, src_line FROM publish_errors ORDER BY key')
      .all()
      .map((r) => ({ key: r.key, message: r.message, source: `${r.src_file}:${r.src_line}` })),
    pdfs_waiting: app.store.ownerlessPdfs().map((p) => ({ kind: p.kind, id: p.id, file: p.src_file, since: p.received_at })),
  };
}

/**
 * The manifest by kind of object, in one pass. Customer numbers hold no `/` and document ids are
 * encoded (`/` is `~2F`), so a key's shape tells its kind; each key lands in exactly one part.
 */
function publishedParts(db: App['store']['db']): Status['published'] {
  const rows = db
    .prepare<[], { part: string; n: number }>(
      `SELECT CASE
         WHEN key GLOB 'customers/*/*.pdf' THEN 'pdfs'
         WHEN key GLOB 'customers/*/backorders.json' THEN 'backorders'
         WHEN key GLOB 'customers/*/orders/*pages/*' THEN 'order_lists'
         WHEN key GLOB 'customers/*/invoices/*pages/*' THEN 'invoice_lists'
         WHEN key GLOB 'customers/*/credit-invoices/*pages/*' THEN 'credit_lists'
         WHEN key GLOB 'customers/*/orders/*.json' AND key NOT GLOB 'customers/*/orders/*/*' THEN 'orders'
         WHEN key GLOB 'customers/*/invoices/*.json' AND key NOT GLOB 'customers/*/invoices/*/*' THEN 'invoices'
         WHEN key GLOB 'customers/*/credit-invoices/*.json' AND key NOT GLOB 'customers/*/credit-invoices/*/*' THEN 'credit_invoices'
         ELSE 'other' END AS part, count(*) AS n
       FROM manifest GROUP BY part`,
    )
    .all();
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
    other: get('other'),
  };
}

async function list(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((n) => !n.startsWith('.')).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

/** Files in quarantine, and the newest one's first error from its NAME.error.json. */
async function quarantine(dir: string): Promise<Status['quarantine']> {
  const reports = (await list(dir)).filter((n) => n.endsWith('.error.json'));
  const files = (await list(dir)).filter((n) => !n.endsWith('.error.json'));
  let newest: { name: string; mtime: number } | undefined;
  for (const r of reports) {
    const m = (await stat(path.join(dir, r))).mtimeMs;
    if (!newest || m > newest.mtime) newest = { name: r, mtime: m };
  }
  if (!newest) return { count: files.length, newest: null };
  const report = JSON.parse(await readFile(path.join(dir, newest.name), 'utf8')) as { file: string; errors: Array<{ message: string }> };
  return { count: files.length, newest: { file: report.file, error: report.errors[0]?.message ?? '' } };
}

export function formatStatus(s: Status): string {
  const lines = [
    `state          ${s.state}`,
    `target         ${s.target}`,
    `documents      ${s.documents.orders} orders, ${s.documents.invoices} invoices, ${s.documents.credit_invoices} credit invoices, ${s.documents.customers} customers` +
      (s.documents.orphan_line_sets ? `, ${s.documents.orphan_line_sets} line sets waiting for their header` : ''),
    `published      ${s.published.objects} objects: ${s.published.orders} orders, ${s.published.invoices} invoices, ${s.published.credit_invoices} credit invoices, ${s.published.backorders} backorder lists, ${s.published.pdfs} PDFs, ${s.published.list_pages} list pages` +
      (s.published.other ? `, ${s.published.other} other` : ''),
    `outbox         ${s.outbox.depth} waiting${s.outbox.failing ? `, ${s.outbox.failing} failing (last error: ${s.outbox.last_error})` : ''}` +
      (s.dirty_customers ? `; ${s.dirty_customers} customers to render and publish` : ''),
    `files          ${s.files.ingested} ingested, ${s.files.rejected} rejected, ${s.files.duplicate} duplicates`,
    `inbox          ${s.inbox.length ? `${s.inbox.length} waiting: ${s.inbox.slice(0, 10).join(', ')}` : '(empty)'}`,
    `quarantine     ${s.quarantine.count ? `${s.quarantine.count} file(s); newest: ${s.quarantine.newest?.error ?? '?'}` : '(empty)'}`,
    'feeds',
  ];
  // As wide as the longest feed name, so a long one does not push its row out of line.
  const width = Math.max(16, ...s.feeds.map((f) => f.name.length));
  for (const f of s.feeds) {
    const l = f.last_file;
    lines.push(`  ${f.name.padEnd(width)} ${l ? `${l.finished_at}  ${l.outcome.padEnd(9)} ${l.name}${l.error ? ` — ${l.error}` : ''}` : 'no file yet'}`);
  }
  if (s.pdfs_waiting.length) {
    lines.push(`pdfs waiting   ${s.pdfs_waiting.length} without their document: ${s.pdfs_waiting.slice(0, 10).map((p) => `${p.file} (${p.kind} ${p.id})`).join(', ')}`);
  }
  if (s.invalid_documents.length) {
    lines.push(`not published  ${s.invalid_documents.length} documents failed their schema:`);
    for (const d of s.invalid_documents.slice(0, 20)) lines.push(`  ${d.key} (from ${d.source}): ${d.message}`);
  }
  return `${lines.join('\n')}\n`;
}

export async function statusCommand(g: GlobalOptions, opts: { json?: boolean }): Promise<number> {
  return withApp(
    g,
    async (app) => {
      const s = await collectStatus(app);
      process.stdout.write(opts.json ? `${JSON.stringify(s, null, 2)}\n` : formatStatus(s));
      // Something needs attention: files in quarantine, documents that could not be published.
      return s.quarantine.count > 0 || s.invalid_documents.length > 0 ? 1 : 0;
    },
    { requires: ['state', 'drop'] },
  );
}
