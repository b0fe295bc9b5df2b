import { readdir } from 'node:fs/promises';
import type { App } from '../app.ts';
import { withApp, type GlobalOptions } from './context.ts';

export interface Status {
  state: string;
  target: string;
  documents: { orders: number; invoices: number; customers: number; orphan_line_sets: number };
  published_objects: number;
  dirty_customers: number;
  files: { ingested: number; rejected: number; duplicate: number };
  last_files: Array<{ name: string; feed: string | null; outcome: string; records: number; finished_at: string; error: string | null }>;
  quarantine: string[];
  inbox: string[];
  invalid_documents: Array<{ key: string; message: string; source: string }>;
}

export async function collectStatus(app: App): Promise<Status> {
  const db = app.store.db;
  const count = (sql: string) => (db.prepare(sql).pluck().get() as number) ?? 0;
  const byOutcome = Object.fromEntries(
    db.prepare<[], { outcome: string; n: number }>('SELECT outcome, count(*) AS n FROM files GROUP BY outcome').all().map((r) => [r.outcome, r.n]),
  );
  const list = async (dir: string) => {
    try {
      return (await readdir(dir)).filter((n) => !n.startsWith('.')).sort();
    } catch {
      return [];
    }
  };
  return {
    state: app.cfg.state,
    target: app.target.description,
    documents: {
      orders: count("SELECT count(*) FROM docs WHERE kind = 'order'"),
      invoices: count("SELECT count(*) FROM docs WHERE kind = 'invoice'"),
      customers: count('SELECT count(DISTINCT customer_no) FROM docs'),
      // Lines whose header has not arrived (yet): not published until it does.
      orphan_line_sets: count('SELECT count(*) FROM (SELECT DISTINCT l.kind, l.doc_id FROM lines l LEFT JOIN docs d ON d.kind = l.kind AND d.id = l.doc_id WHERE d.id IS NULL)'),
    },
    published_objects: count('SELECT count(*) FROM manifest'),
    dirty_customers: count('SELECT count(*) FROM dirty'),
    files: { ingested: byOutcome.ingested ?? 0, rejected: byOutcome.rejected ?? 0, duplicate: byOutcome.duplicate ?? 0 },
    last_files: db
      .prepare<[], Status['last_files'][number]>('SELECT name, feed, outcome, records, finished_at, error FROM files ORDER BY seq DESC LIMIT 10')
      .all(),
    quarantine: (await list(app.cfg.folders.quarantine)).filter((n) => !n.endsWith('.error.json')),
    inbox: await list(app.cfg.folders.drop),
    invalid_documents: db
      .prepare<[], { key: string; message: string; src_file: string; src_line: number }>('SELECT key, message, src_file, src_line FROM publish_errors ORDER BY key')
      .all()
      .map((r) => ({ key: r.key, message: r.message, source: `${r.src_file}:${r.src_line}` })),
  };
}

export function formatStatus(s: Status): string {
  const lines = [
    `state          ${s.state}`,
    `target         ${s.target}`,
    `documents      ${s.documents.orders} orders, ${s.documents.invoices} invoices, ${s.documents.customers} customers` +
      (s.documents.orphan_line_sets ? `, ${s.documents.orphan_line_sets} line sets waiting for their header` : ''),
    `published      ${s.published_objects} objects${s.dirty_customers ? `, ${s.dirty_customers} customers waiting to publish` : ''}`,
    `files          ${s.files.ingested} ingested, ${s.files.rejected} rejected, ${s.files.duplicate} duplicates`,
    `inbox          ${s.inbox.length ? s.inbox.join(', ') : '(empty)'}`,
    `quarantine     ${s.quarantine.length ? s.quarantine.join(', ') : '(empty)'}`,
  ];
  if (s.invalid_documents.length) {
    lines.push(`not published  ${s.invalid_documents.length} documents failed their schema:`);
    for (const d of s.invalid_documents.slice(0, 20)) lines.push(`  ${d.key} (from ${d.source}): ${d.message}`);
  }
  if (s.last_files.length) {
    lines.push('last files');
    for (const f of s.last_files) lines.push(`  ${f.finished_at}  ${f.outcome.padEnd(9)} ${f.name}${f.feed ? ` [${f.feed}]` : ''}${f.error ? ` — ${f.error}` : ''}`);
  }
  return `${lines.join('\n')}\n`;
}

export async function statusCommand(g: GlobalOptions, opts: { json?: boolean }): Promise<number> {
  return withApp(
    g,
    async (app) => {
      const s = await collectStatus(app);
      process.stdout.write(opts.json ? `${JSON.stringify(s, null, 2)}\n` : formatStatus(s));
      // Rejected files waiting in quarantine or documents that could not be published are data errors.
      return s.quarantine.length > 0 || s.invalid_documents.length > 0 ? 1 : 0;
    },
    2,
  );
}
